import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { CONFIG_KEYS, instanceArchitecture, validateConfig } from "../../components/config";
import { runProgram } from "../../tools/run-program";

/**
 * Each bad value, the key the error must name, words of what is allowed, and how the message shows
 * the value (defaults to the value in quotes, or bare for numbers).
 */
const BAD: [key: string, value: string, allowed: RegExp, shown?: string, also?: string][] = [
    ["compute", "k8s", /Use one of: asg, ecs/],
    ["pki", "vault", /Use one of: self-managed, aws-private-ca/],
    ["sslPolicy", "ELBSecurityPolicy-2016-08", /allows TLS 1\.0\. Use one of: ELBSecurityPolicy-TLS13-1-3-2021-06/],
    ["sslPolicy", "ELBSecurityPolicy-TLS13-1-1-2021-06", /allows TLS 1\.1/],
    ["sslPolicy", "ELBSecurityPolicy-TLS13-1-2-2099-01", /not an ELB security policy/],
    ["mtlsMode", "required", /Use one of: verify, passthrough, off/],
    ["azCount", "1", /from 2 to 6/],
    ["azCount", "two", /whole number/],
    ["vpcCidr", "10.0.0.0/33", /prefix from \/16 to \/24/],
    ["vpcCidr", "10.0.0.1/16", /network address/],
    ["vpcCidr", "10.0.0.0/8", /prefix from \/16 to \/24/],
    ["natGateways", "two", /Use one of: none, single, perAz/],
    ["domainName", "app.example.com", /Set both .* or neither/],
    ["backendPort", "80", /from 1024 to 65535/],
    ["appPort", "8443", /same as e2e-tls:backendPort/],
    ["mtlsClients", '["ci-smoke","ci-smoke"]', /unique names/, '"ci-smoke"'],
    ["mtlsClients", "[]", /no client could connect/, "is empty"],
    ["allowedCidrs", '["0.0.0.0"]', /IPv4 network addresses/, '"0.0.0.0"'],
    ["revokedSerials", '["not-hex"]', /serial numbers in hexadecimal/, '"not-hex"'],
    ["revokedSerials", '["0A1B"]', /only with mtlsMode "verify" and pki "self-managed"/, '"verify"', "e2e-tls:pki=aws-private-ca"],
    ["minSize", "3", /more than e2e-tls:maxSize 2/],
    ["desiredSize", "5", /from minSize 1 to maxSize 2/],
    ["taskMemory", "4096", /does not offer with taskCpu 256/],
    ["certEarlyRenewalHours", "2160", /not shorter than e2e-tls:certValidityHours 2160/],
    ["certValidityHours", "2161", /from 24 to 2160/],
    ["certEarlyRenewalHours", "12", /from 24 to 2159/],
    ["caValidityHours", "175200", /to 87600/],
    ["logRetentionDays", "10", /Use one of: 1, 3, 5, 7, 14, 30/],
    ["deletionProtection", "yes", /true or false/],
    ["computee", "ecs", /not a configuration key of this project/, "computee"],
];

describe("stack configuration", () => {
    for (const [key, value, allowed, shown, also] of BAD) {
        it(`refuses e2e-tls:${key} = ${value}${also ? ` with ${also}` : ""} before registering any resource`, async () => {
            const extra = also ? Object.fromEntries([also.split("=")]) : {};
            const err: any = await runProgram({ stack: "dev", config: { ...extra, [`e2e-tls:${key}`]: value } }).then(
                () => assert.fail("the program accepted it"), e => e);
            assert.strictEqual(err.name, "ConfigError", err.stack);
            assert.ok(err.message.startsWith(`e2e-tls:${key} `), err.message);
            const expected = shown ?? (/^\d+$/.test(value) ? value : JSON.stringify(value));
            assert.ok(err.message.includes(expected), `message does not show ${expected}: ${err.message}`);
            assert.match(err.message, allowed);
            const registered = err.registered.filter((r: any) => r.type !== "pulumi:pulumi:Stack");
            assert.deepStrictEqual(registered.map((r: any) => r.type), []);
        });
    }

    it("refuses an image a stack without NAT cannot pull, naming the key and the way out", () => {
        assert.throws(() => validateConfig({ compute: "ecs", natGateways: "none", appImage: "docker.io/library/python:3.12", mtlsClients: ["a"] }),
            /^ConfigError: e2e-tls:appImage is "docker\.io\/library\/python:3\.12", which a stack with e2e-tls:natGateways "none" cannot pull.*set natGateways to "single" or "perAz"/);
        assert.doesNotThrow(() => validateConfig({ compute: "ecs", natGateways: "single", appImage: "docker.io/library/python:3.12", mtlsClients: ["a"] }));
    });

    it("accepts every TLS 1.2+ policy and defaults to TLS13-1-2-Res", () => {
        assert.strictEqual(validateConfig({ mtlsClients: ["a"] }).sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
        for (const p of ["ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10", "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09"]) {
            assert.strictEqual(validateConfig({ sslPolicy: p, mtlsClients: ["a"] }).sslPolicy, p);
        }
    });

    it("declares every key in Pulumi.yaml with the type and default the program applies", () => {
        const project = yaml.load(fs.readFileSync(path.join(__dirname, "../../Pulumi.yaml"), "utf8")) as any;
        assert.deepStrictEqual(Object.keys(project.config).sort(), Object.keys(CONFIG_KEYS).sort());
        for (const [k, spec] of Object.entries(CONFIG_KEYS)) {
            const decl = project.config[k];
            assert.strictEqual(decl.type, spec.type, k);
            assert.deepStrictEqual(decl.default, spec.default, k);
            assert.ok(decl.description && decl.description.length > 20, `${k} has no description`);
        }
    });

    it("keeps the stack files to declared keys", () => {
        for (const stack of ["dev", "prod"]) {
            const doc = yaml.load(fs.readFileSync(path.join(__dirname, `../../Pulumi.${stack}.yaml`), "utf8")) as any;
            for (const k of Object.keys(doc.config)) {
                if (k.startsWith("e2e-tls:")) assert.ok(k.slice(8) in CONFIG_KEYS, `${stack}: ${k}`);
                else assert.strictEqual(k, "aws:region");
            }
        }
    });

    it("picks the arm64 AMI for Graviton instance types only", () => {
        assert.deepStrictEqual(["t4g.nano", "m7g.large", "c7gn.xlarge", "t3.micro", "m7i-flex.large", "c5.large"].map(instanceArchitecture),
            ["arm64", "arm64", "arm64", "x86_64", "x86_64", "x86_64"]);
    });

    it("documents every key in the README's configuration table with its default", () => {
        const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");
        const table = readme.split("<!-- config-table:start -->")[1].split("<!-- config-table:end -->")[0];
        const rows = new Map(table.split("\n").filter(l => l.startsWith("| `"))
            .map(l => l.split("|").map(c => c.trim())).map(c => [c[1].replace(/`/g, ""), c]));
        assert.deepStrictEqual([...rows.keys()].sort(), Object.keys(CONFIG_KEYS).sort());
        for (const [k, spec] of Object.entries(CONFIG_KEYS)) {
            const [, , type, def] = rows.get(k)!;
            assert.strictEqual(type, spec.type, k);
            const expected = spec.default === undefined ? "unset" : `\`${Array.isArray(spec.default) ? JSON.stringify(spec.default) : spec.default}\``;
            assert.strictEqual(def, expected, k);
        }
    });
});
