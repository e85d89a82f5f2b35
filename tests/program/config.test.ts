import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { CONFIG_KEYS, validateConfig } from "../../config/index";
import { SSL_POLICIES } from "../../policies/shared/ssl-policies";
import { runProgram } from "../../offline/engine/run-program";

/** A private ECR image of the mock account in the dev stack's Region: what an EC2 tier without NAT can pull. */
const APP_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.4.2";

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
    ["mtlsMode", "required", /Use one of: verify, off/],
    ["azCount", "1", /from 2 to 6/],
    ["azCount", "two", /whole number/],
    ["vpcCidr", "10.0.0.0/33", /prefix from \/16 to \/23/],
    ["vpcCidr", "10.0.0.1/16", /network address/],
    ["vpcCidr", "10.0.0.0/8", /prefix from \/16 to \/23/],
    ["vpcCidr", "10.0.0.0/24", /leaves the load balancer \/28 subnets; it needs at least \/27\. .*prefix from \/16 to \/23/],
    ["hostedZoneId", "z123", /Use the id of a Route 53 hosted zone/, '"z123"', "e2e-tls:domainName=app.acme-corp.io"],
    ["adminPrincipalArns", '["arn:aws:iam::123456789012:role/*"]', /matches almost any role or user/, '"arn:aws:iam::123456789012:role/*"'],
    ["adminPrincipalArns", '["arn:aws:sts::123456789012:assumed-role/admin/alice"]', /Use IAM role or user ARNs/, '"arn:aws:sts::123456789012:assumed-role/admin/alice"'],
    ["adminPrincipalArns", '["arn:aws:iam::1234:user/alice"]', /AWSReservedSSO_AdminAccess_\*/, '"arn:aws:iam::1234:user/alice"'],
    ["adminPrincipalArns", '["arn:aws:iam::123456789012:role/*-*"]', /matches almost any role or user/, '"arn:aws:iam::123456789012:role/*-*"'],
    ["permissionsBoundaryArn", "arn:aws:iam::aws:policy/AdministratorAccess", /customer managed IAM policy of the deploying account/, '"arn:aws:iam::aws:policy/AdministratorAccess"'],
    ["terminatorImage", "docker.io/library/nginx:1.27", /ECS cannot pull with e2e-tls:natGateways "none".*Set natGateways to "perAz" or "single".*<account>\.dkr\.ecr\.us-east-1\.amazonaws\.com/, undefined, "e2e-tls:compute=ecs"],
    ["natGateways", "two", /Use one of: none, single, perAz/],
    ["domainName", "app.example.com", /Set both .* or neither/],
    ["backendPort", "80", /from 1024 to 65535/],
    ["appPort", "8443", /same as e2e-tls:backendPort/],
    ["mtlsClients", '["ci-smoke","ci-smoke"]', /unique names/, '"ci-smoke"'],
    ["mtlsClients", "[]", /no client could connect/, "is empty"],
    ["allowedCidrs", '["0.0.0.0"]', /IPv4 network addresses/, '"0.0.0.0"'],
    ["revokedSerials", '["not-hex"]', /serial numbers in hexadecimal/, '"not-hex"'],
    ["revokedSerials", `["${"1".repeat(50)}"]`, /over 40 hexadecimal digits: RFC 5280 caps a serial number at 20 octets/, `"${"1".repeat(50)}"`],
    ["revokedSerials", '["0x:"]', /serial numbers in hexadecimal/, '"0x:"'],
    ["allowedCidrs", '["203.0.113.0/24","0.0.0.0/0","203.0.113.0/24"]', /twice\. Name each CIDR once: EC2 refuses a duplicate security group rule/, '"203.0.113.0/24"'],
    ["domainName", `${"a".repeat(52)}.acme-corp.io`, /65 characters: ACM refuses a certificate domain name over 64/, undefined, "e2e-tls:hostedZoneId=Z1D633PJN98FT9"],
    ["backendDnsName", `${"b".repeat(48)}.e2e-tls.internal`, /65 characters: it is the backend certificate's common name, which RFC 5280 bounds at 64/],
    ["revokedSerials", '["0A1B"]', /only with mtlsMode "verify" and pki "self-managed"/, '"verify"', "e2e-tls:pki=aws-private-ca"],
    ["mtlsClientCsrs", '["not a csr"]', /neither a PEM CSR nor a readable file in the project/, '"not a csr"'],
    ["caGeneration", "0", /from 1 to 999/],
    ["retiringCaGeneration", "1", /Use unset: caGeneration is 1, there is no older CA/],
    ["minSize", "3", /more than e2e-tls:maxSize 2/],
    ["desiredSize", "5", /from minSize 1 to maxSize 2/],
    ["taskMemory", "4096", /does not offer with taskCpu 256/],
    ["certEarlyRenewalHours", "2160", /not shorter than e2e-tls:certValidityHours 2160/],
    ["certValidityHours", "2161", /from 24 to 2160/],
    ["certEarlyRenewalHours", "12", /from 24 to 2159/],
    ["caValidityHours", "175200", /to 87600/],
    ["logRetentionDays", "10", /Use one of: 1, 3, 5, 7, 14, 30/],
    ["deletionProtection", "yes", /true or false/],
    ["instanceType", "t4g", /Use an EC2 instance type such as "t4g\.small"/],
    ["instanceType", "t4g.nano", /0\.5 GiB.*killed for lack of memory \(amazonlinux\/amazon-linux-2023#404\)\. Use a size with at least 1 GiB, such as "t4g\.small"/],
    ["instanceType", "t3a.nano", /0\.5 GiB/],
    ["amiId", "ami-123", /Use an AMI ID such as "ami-0123456789abcdef0"/],
    ["maxSize", "101", /from 1 to 100/],
    ["taskCpu", "300", /Use one of: 256, 512, 1024, 2048, 4096/],
    ["appImage", "my image", /Use an image reference/],
    ["appCommand", "[]", /Use a non-empty list of strings/, "[]", `e2e-tls:appImage=${APP_IMAGE}`],
    ["appEntryPoint", '["sh","-c","curl https://ci:hunter2@artifacts.acme-corp.io/x"]', /is a URL with a password \(value withheld\).*appSecrets/, "has an argument", `e2e-tls:appImage=${APP_IMAGE}`],
    ["appEnvironment", '{"DB_PASSWORD":"hunter2"}', /DB_PASSWORD, and its name says it holds a secret \(value withheld\).*e2e-tls:appSecrets\.DB_PASSWORD/, "DB_PASSWORD", `e2e-tls:appImage=${APP_IMAGE}`],
    ["appSecrets", '{"DB":"arn:aws:secretsmanager:us-east-1:123456789012:secret:db"}', /not the complete ARN of a Secrets Manager secret or an SSM parameter/, '"arn:aws:secretsmanager:us-east-1:123456789012:secret:db"', `e2e-tls:appImage=${APP_IMAGE}`],
    ["appHealthCheckPath", "healthz", /Use a path that starts with "\/"/],
    ["appHealthCheckCodes", "200-600", /from 200 to 499 .* one \("200"\), a list \("200,204"\) or a range \("200-299"\)/],
    ["appStartCommand", "/opt/app/bin/server", /without e2e-tls:amiId: a start command runs an application baked into your AMI/, "is set without"],
    ["retainAccessLogs", "keep", /true or false/],
    ["flowLogs", "1", /true or false/],
    ["alertTarget", "on-call", /Use the ARN of a standard SNS topic .* or an e-mail address/],
    ["computee", "ecs", /not a configuration key of this project/, "computee"],
];

describe("stack configuration", () => {
    for (const [key, value, allowed, shown, also] of BAD) {
        it(`refuses e2e-tls:${key} = ${value}${also ? ` with ${also}` : ""} before registering any resource`, async () => {
            const extra = also ? Object.fromEntries([also.split(/=(.*)/s).slice(0, 2)]) : {};
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

    it("has a refused value above for every declared key, so no key goes unchecked", () => {
        const covered = new Set(BAD.map(([k]) => k));
        assert.deepStrictEqual(Object.keys(CONFIG_KEYS).filter(k => !covered.has(k)), []);
    });

    it("refuses ECS without NAT on its default ECR Public images, whose first pull through the cache needs NAT, naming both keys and both ways out", async () => {
        const err: any = await runProgram({ stack: "dev", config: { "e2e-tls:compute": "ecs" } }).then(
            () => assert.fail("the program accepted it"), e => e);
        assert.strictEqual(err.name, "ConfigError", err.stack);
        assert.match(err.message, /^e2e-tls:terminatorImage is "public\.ecr\.aws\/nginx\/nginx:1\.27-alpine", which ECS cannot pull with e2e-tls:natGateways "none"/);
        assert.match(err.message, /Set natGateways to "perAz" or "single" .*or push the image to your ECR registry and use <account>\.dkr\.ecr\.us-east-1\.amazonaws\.com\/<repository>:<tag>\.$/);
        assert.deepStrictEqual(err.registered.filter((r: any) => r.type !== "pulumi:pulumi:Stack").map((r: any) => r.type), []);
    });

    it("takes only private ECR images of the stack's own region for ECS without NAT, and any image once there is NAT", () => {
        const ecs = (natGateways: string, appImage: string) => () => validateConfig({
            compute: "ecs", natGateways, appImage, mtlsClients: ["a"],
            terminatorImage: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/nginx:1.27-alpine",
        }, { region: "eu-west-1" });
        assert.doesNotThrow(ecs("none", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/python:3.12"));
        assert.throws(ecs("none", "123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/python:3.12"),
            /^ConfigError: e2e-tls:appImage is "123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/mirror\/python:3\.12", which ECS cannot pull/);
        assert.throws(ecs("none", "public.ecr.aws/docker/library/python:3.12-alpine"), /^ConfigError: e2e-tls:appImage .*e2e-tls:natGateways "none"/);
        assert.doesNotThrow(ecs("single", "docker.io/library/python:3.12"));
        assert.doesNotThrow(ecs("perAz", "public.ecr.aws/docker/library/python:3.12-alpine"));
    });

    it("accepts a public and a backend name of exactly 64 characters, the certificate common-name limit", () => {
        const domainName = `${"a".repeat(51)}.acme-corp.io`;
        const backendDnsName = `${"b".repeat(47)}.e2e-tls.internal`;
        assert.deepStrictEqual([domainName.length, backendDnsName.length], [64, 64]);
        const c = validateConfig({ domainName, hostedZoneId: "Z1D633PJN98FT9", backendDnsName, mtlsClients: ["a"] });
        assert.deepStrictEqual([c.domainName, c.backendDnsName], [domainName, backendDnsName]);
    });

    it("accepts a /23 VPC, whose 16 subnets are the /27 the load balancer needs", async () => {
        const r = await runProgram({ stack: "dev", config: { "e2e-tls:vpcCidr": "10.9.0.0/23" } });
        const lb = r.resources.find(x => x.type === "aws:lb/loadBalancer:LoadBalancer")!;
        const subnets = r.resources.filter(x => x.type === "aws:ec2/subnet:Subnet");
        const lbSubnets = subnets.filter(s => lb.inputs.subnets.includes(s.id));
        assert.strictEqual(lbSubnets.length, 2);
        assert.deepStrictEqual(lbSubnets.map(s => s.inputs.cidrBlock).sort(), ["10.9.0.0/27", "10.9.0.32/27"]);
        assert.ok(subnets.every(s => s.inputs.cidrBlock.endsWith("/27")), subnets.map(s => s.inputs.cidrBlock).join(", "));
    });

    /** Placeholder forms a real deploy refuses: each override, the key the error names, and why. */
    const PLACEHOLDERS: [config: Record<string, string>, key: string, why: RegExp][] = [
        [{}, "domainName", /"app\.example\.com", a name under example\.com, which RFC 2606\/6761 reserve/],
        [{ "e2e-tls:domainName": "example.net" }, "domainName", /under example\.net/],
        [{ "e2e-tls:domainName": "shop.eu.example.org" }, "domainName", /under example\.org/],
        [{ "e2e-tls:domainName": "app.example" }, "domainName", /under \.example,/],
        [{ "e2e-tls:domainName": "staging.test" }, "domainName", /under \.test,/],
        [{ "e2e-tls:domainName": "app.invalid" }, "domainName", /under \.invalid,/],
        [{ "e2e-tls:domainName": "web.localhost" }, "domainName", /under \.localhost,/],
        [{ "e2e-tls:domainName": "app.acme-corp.io" }, "hostedZoneId", /"Z0123456789EXAMPLE", a placeholder, not an id Route 53 assigned/],
        [{ "e2e-tls:domainName": "app.acme-corp.io", "e2e-tls:hostedZoneId": "ZEXAMPLE12345" }, "hostedZoneId", /a placeholder/],
    ];
    for (const [config, key, why] of PLACEHOLDERS) {
        it(`refuses, as a real deploy, prod with e2e-tls:${key} ${JSON.stringify(config[`e2e-tls:${key}`] ?? "as committed")} before registering any resource`, async () => {
            const err: any = await runProgram({ stack: "prod", config, placeholders: "refuse" }).then(
                () => assert.fail("the program accepted it"), e => e);
            assert.strictEqual(err.name, "ConfigError", err.stack);
            assert.ok(err.message.startsWith(`e2e-tls:${key} is `), err.message);
            assert.match(err.message, why);
            assert.deepStrictEqual(err.registered.filter((r: any) => r.type !== "pulumi:pulumi:Stack").map((r: any) => r.type), []);
        });
    }

    it("deploys prod for real once domain, zone and alert address are real, with no warning; offline it runs the committed placeholders and warns of each", async () => {
        const real = await runProgram({
            stack: "prod", placeholders: "refuse",
            config: { "e2e-tls:domainName": "app.acme-corp.io", "e2e-tls:hostedZoneId": "Z1D633PJN98FT9", "e2e-tls:alertTarget": "tls-oncall@acme-corp.io" },
        });
        assert.deepStrictEqual(real.warnings, []);
        assert.ok(real.resources.some(r => r.type === "aws:route53/record:Record" && r.inputs.zoneId === "Z1D633PJN98FT9"));
        const offline = await runProgram({ stack: "prod" });
        assert.deepStrictEqual(offline.warnings.map(w => w.split(" is ")[0]), ["e2e-tls:domainName", "e2e-tls:hostedZoneId", "e2e-tls:alertTarget"]);
        assert.match(offline.warnings[0], /A real `pulumi preview` or `pulumi up` refuses it\.$/);
        assert.strictEqual(process.env.E2E_TLS_OFFLINE_PREVIEW, undefined, "the offline signal does not outlive the run");
    });

    it("lets the configured administrators read every certificate secret besides the tier and the deployer, matching SSO roles by ArnLike", async () => {
        const admins = ["arn:aws:iam::123456789012:role/pipeline-b", "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdminAccess_*"];
        const r = await runProgram({ stack: "dev", config: { "e2e-tls:adminPrincipalArns": JSON.stringify(admins) } });
        const policies = r.resources.filter(x => x.type === "aws:secretsmanager/secretPolicy:SecretPolicy");
        assert.strictEqual(policies.length, 2, "backend and ci-smoke");
        const tierRole = r.resources.find(x => x.type === "aws:iam/role:Role" && x.name === "web-instance")!;
        for (const p of policies) {
            const [deny] = JSON.parse(p.inputs.policy).Statement;
            assert.strictEqual(deny.Effect, "Deny");
            assert.deepStrictEqual(Object.keys(deny.Condition), ["ArnNotLike"]);
            const allowed: string[] = deny.Condition.ArnNotLike["aws:PrincipalArn"];
            assert.ok(allowed.includes("arn:aws:iam::123456789012:role/deployer"), `${p.name}: the deployer`);
            for (const a of admins) assert.ok(allowed.includes(a), `${p.name}: ${a}`);
            if (p.name === "web-backend-secret") assert.ok(allowed.includes(tierRole.outputs.arn), "the tier reads the backend secret");
        }
        const plain = await runProgram({ stack: "dev" });
        const [deny] = JSON.parse(plain.resources.find(x => x.type === "aws:secretsmanager/secretPolicy:SecretPolicy" && x.name === "web-client-ci-smoke-secret")!.inputs.policy).Statement;
        assert.deepStrictEqual(deny.Condition.ArnNotLike["aws:PrincipalArn"], ["arn:aws:iam::123456789012:role/deployer"]);
    });

    it("takes administrator patterns only when they name a role, user or permission set, and refuses those that match almost anything, naming the key and the value", () => {
        const take = (arn: string) => () => validateConfig({ adminPrincipalArns: [arn], mtlsClients: ["a"] });
        const accepted = [
            "arn:aws:iam::123456789012:role/ci",
            "arn:aws:iam::123456789012:user/ops.alice",
            "arn:aws:iam::123456789012:role/pipeline-*",
            "arn:aws:iam::123456789012:role/team-a/deployer-?",
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdminAccess_*",
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdminAccess_*",
            "arn:aws-us-gov:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Ops_0123456789abcdef",
        ];
        for (const arn of accepted) assert.doesNotThrow(take(arn), arn);
        const refused = [
            "arn:aws:iam::123456789012:role/*-*", "arn:aws:iam::123456789012:role/*e*", "arn:aws:iam::123456789012:user/*.*",
            "arn:aws:iam::123456789012:role/ci-*", "arn:aws:iam::123456789012:role/???-deployer", "arn:aws:iam::123456789012:role/team-a/*",
            "arn:aws:iam::123456789012:role/*/deployer", "arn:aws:iam::123456789012:role/aws-r*",
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_*",
            "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*",
        ];
        for (const arn of refused) {
            assert.throws(take(arn), (e: Error) => e.message.startsWith(`e2e-tls:adminPrincipalArns has ${JSON.stringify(arn)}, a pattern that matches almost any role or user`)
                && /at least 4 literal characters/.test(e.message) && /AWSReservedSSO_AdminAccess_\*/.test(e.message), arn);
        }
    });

    it("accepts every TLS 1.2+ policy of the policy table, refuses every other one naming its TLS version, and defaults to TLS13-1-2-Res", () => {
        assert.strictEqual(validateConfig({ mtlsClients: ["a"] }).sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06");
        const weak = SSL_POLICIES.filter(p => p.minTls === "1.0" || p.minTls === "1.1");
        assert.ok(weak.length >= 10 && SSL_POLICIES.length - weak.length >= 20, "the policy table is the one the pack reads");
        for (const p of SSL_POLICIES) {
            const take = () => validateConfig({ sslPolicy: p.name, mtlsClients: ["a"] }).sslPolicy;
            if (weak.includes(p)) {
                assert.throws(take, new RegExp(`^ConfigError: e2e-tls:sslPolicy is "${p.name}", which allows TLS ${p.minTls.replace(".", "\\.")}\\.`), p.name);
            } else {
                assert.strictEqual(take(), p.name);
            }
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
});
