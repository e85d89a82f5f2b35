import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    AnalyzerInfo, ensurePackBuilt, reconcileConfig, SECRET_SIG, SECRET_SIG_KEY, startPack, toAnalyzeRequest, toAnalyzerResource, UNKNOWN,
} from "../../offline/analyzer/harness";
import { httpsListener, usePack } from "./fixtures";

describe("the analyzer harness", () => {
    describe("request building", () => {
        it("sends a resource's inputs to Analyze, with secrets in the engine's signature form and unknowns as the sentinel", () => {
            const req = toAnalyzeRequest({
                type: "aws:lb/listener:Listener", name: "l", inputs: { sslPolicy: "p", certificateArn: UNKNOWN, tags: { a: "b" } }, outputs: { arn: "x" }, secretInputs: ["tags"],
            });
            assert.deepStrictEqual(req.getProperties().toJavaScript(), { sslPolicy: "p", certificateArn: UNKNOWN, tags: { [SECRET_SIG_KEY]: SECRET_SIG, value: { a: "b" } } });
            assert.strictEqual(req.getUrn(), "urn:pulumi:test::e2e-tls::aws:lb/listener:Listener::l");
            assert.ok(req.getOptions(), "options are always set, as the CLI does");
        });

        it("sends a resource's state to AnalyzeStack with its dependencies and parent", () => {
            const res = toAnalyzerResource({
                type: "aws:lb/listener:Listener", name: "l", urn: "urn:l", parent: "urn:p", inputs: { a: 1 }, outputs: { a: 1, arn: "x", gone: undefined },
                dependencies: ["urn:lb"], propertyDependencies: { loadBalancerArn: ["urn:lb"] },
            });
            assert.deepStrictEqual(res.getProperties().toJavaScript(), { a: 1, arn: "x" });
            assert.strictEqual(res.getParent(), "urn:p");
            assert.deepStrictEqual(res.getDependenciesList(), ["urn:lb"]);
            assert.deepStrictEqual(res.getPropertydependenciesMap().get("loadBalancerArn").getUrnsList(), ["urn:lb"]);
        });
    });

    describe("config reconciliation, as the CLI does it", () => {
        const info: AnalyzerInfo = {
            name: "p", version: "1", supportsConfig: true,
            policies: [
                { name: "a-rule", displayName: "", description: "", enforcementLevel: "mandatory", policyType: "resource", configSchema: { properties: { n: { type: "integer", default: 3 } }, required: [] } },
                { name: "b-rule", displayName: "", description: "", enforcementLevel: "advisory", policyType: "stack", configSchema: { properties: {}, required: [] } },
            ],
        };

        it("fills every policy's schema defaults and levels, with `all` below per-policy entries", () => {
            assert.deepStrictEqual(reconcileConfig(info, { all: "disabled", "a-rule": { n: 5 } }), {
                "a-rule": { enforcementLevel: "disabled", properties: { n: 5 } },
                "b-rule": { enforcementLevel: "disabled", properties: {} },
            });
            assert.deepStrictEqual(reconcileConfig(info, { "b-rule": "mandatory" })["a-rule"], { enforcementLevel: "mandatory", properties: { n: 3 } });
        });

        it("refuses config for a policy or a property the pack does not have", () => {
            assert.throws(() => reconcileConfig(info, { "c-rule": "advisory" }), /"c-rule", which is not a policy of p/);
            assert.throws(() => reconcileConfig(info, { "a-rule": { m: 1 } }), /policy "a-rule" has no config property "m"/);
        });
    });

    describe("a pack started without Configure", () => {
        const pack = usePack({ configure: false });

        it("runs the pack as the CLI does and prints a port", () => {
            assert.ok(pack().port > 0);
            assert.ok(pack().startupMs > 0);
        });

        it("still applies the rules' own defaults, since getConfig() returns {}", async () => {
            const result = await pack().analyze(httpsListener({ sslPolicy: "ELBSecurityPolicy-2016-08" }));
            assert.ok(result.diagnostics.some((d) => d.policyName === "alb-listener-tls-policy-allowlist" && d.enforcementLevel === "mandatory"));
        });

        it("hands secret inputs to the rules unwrapped", async () => {
            const result = await pack().analyze({ ...httpsListener({ sslPolicy: "ELBSecurityPolicy-2015-05" }), secretInputs: ["sslPolicy"] });
            assert.ok(result.diagnostics.some((d) => d.message.includes('sslPolicy is "ELBSecurityPolicy-2015-05"')), JSON.stringify(result.diagnostics));
        });
    });

    describe("building a TypeScript pack", function () {
        this.timeout(120_000);
        let dir: string;
        before(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-pack-"));
            fs.symlinkSync(path.resolve(__dirname, "..", "..", "node_modules"), path.join(dir, "node_modules"), "dir");
            fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), "runtime: nodejs\nname: built\n");
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "built", version: "1.0.0", main: "bin/index.js" }));
            fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs", target: "ES2022", strict: true, skipLibCheck: true, outDir: "bin", types: [] }, include: ["index.ts"] }));
            // `require` keeps tsc from loading the SDK's type declarations: the build stays quick.
            fs.writeFileSync(path.join(dir, "index.ts"), [
                "declare const require: (m: string) => any;",
                `const { PolicyPack } = require("@pulumi/policy");`,
                `new PolicyPack("built", { policies: [{ name: "first-rule", description: "d", validateResource: () => undefined }] });`,
                "",
            ].join("\n"));
        });
        after(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("compiles a stale pack before starting it, and leaves a fresh one alone", async () => {
            ensurePackBuilt(dir);
            const main = path.join(dir, "bin", "index.js");
            assert.ok(fs.existsSync(main));
            const built = fs.statSync(main).mtimeMs;
            ensurePackBuilt(dir);
            assert.strictEqual(fs.statSync(main).mtimeMs, built, "a fresh build is not redone");

            const later = new Date(Date.now() + 5000);
            fs.writeFileSync(path.join(dir, "index.ts"), fs.readFileSync(path.join(dir, "index.ts"), "utf8").replace("first-rule", "second-rule"));
            fs.utimesSync(path.join(dir, "index.ts"), later, later);
            const pack = await startPack({ packDir: dir });
            try {
                assert.deepStrictEqual((await pack.getAnalyzerInfo()).policies.map((p) => p.name), ["second-rule"]);
            } finally {
                await pack.close();
            }
        });
    });
});
