/**
 * WebTier's construct path, what a program in another language runs, registers what the program
 * registers for the same configuration, and names a bad input as its author wrote it.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { resolveConfig, validateConfig } from "../../config/index";
import { RecordedResource } from "../../offline/engine/recorded";
import { runConstruct, stackInputs } from "../../offline/engine/run-construct";
import { loadStackConfig, runProgram } from "../../offline/engine/run-program";
import { SECRET_PROPERTIES } from "../../package/schema";
import { WebTier } from "../../components/web-tier";
import { differences } from "./compare-runs";
import { run } from "../program/support";
import { construct, URN_VARIANTS } from "./support";

const registered = (e: unknown): RecordedResource[] => (e as { registered?: RecordedResource[] }).registered ?? [];

describe("WebTier's construct path", function () {
    this.timeout(300_000);

    for (const v of URN_VARIANTS) {
        it(`${v.label}: registers the program's resources, with their types, names, parents, inputs, dependencies, options and aliases, from the stack file's values given as inputs`, async () => {
            const program = await run(v.stack, v.config);
            const again = await runProgram({ stack: v.stack, config: v.config });
            const built = await construct(v.stack, v.config);
            assert.deepStrictEqual(differences(program.resources, again.resources, built.resources), []);
            assert.ok(built.resources.some(r => r.type === WebTier.TOKEN), "WebTier itself is registered");
            assert.deepStrictEqual(Object.keys(built.state).sort(), Object.keys(program.outputs).sort(), "the component's outputs are the stack's");
            assert.deepStrictEqual(built.secretState, SECRET_PROPERTIES.filter(p => p in built.state), "secret outputs");
            assert.deepStrictEqual(program.secretOutputs, [], "no stack output is a secret");
        });
    }

    it("tells the two apart when the inputs differ: one more client is more resources, one more instance a different input", async () => {
        const program = await run("dev", URN_VARIANTS[0].config);
        const again = await runProgram({ stack: "dev", config: URN_VARIANTS[0].config });
        const client = await runConstruct({ stack: "dev", inputs: { ...stackInputs("dev"), mtlsClients: ["ci-smoke", "other"] } });
        assert.ok(differences(program.resources, again.resources, client.resources).some(d => d.startsWith("extra ")));
        const larger = await runConstruct({ stack: "dev", inputs: { ...stackInputs("dev"), maxSize: 3 } });
        assert.deepStrictEqual(differences(program.resources, again.resources, larger.resources).filter(d => / input /.test(d)),
            ["urn:pulumi:dev::e2e-tls::e2etls:compute:Ec2Tier$aws:autoscaling/group:Group::web-asg input maxSize differs"]);
    });

    it("refuses a bad input naming it as the consumer wrote it (sslPolicy), before registering anything", async () => {
        const err = await runConstruct({ stack: "dev", inputs: { mtlsClients: ["a"], sslPolicy: "ELBSecurityPolicy-2016-08" } }).then(() => undefined, e => e);
        assert.match(String(err?.message), /^sslPolicy is "ELBSecurityPolicy-2016-08", which allows TLS 1\.0\. Use one of: /);
        assert.deepStrictEqual(registered(err), []);
    });

    it("refuses the same value given as stack config naming the key as the stack's (e2e-tls:sslPolicy)", async () => {
        const err = await runProgram({ stack: "dev", config: { "e2e-tls:sslPolicy": "ELBSecurityPolicy-2016-08" } }).then(() => undefined, e => e);
        assert.match(String(err?.message), /^e2e-tls:sslPolicy is "ELBSecurityPolicy-2016-08", which allows TLS 1\.0\. Use one of: /);
        assert.deepStrictEqual(registered(err).filter(r => r.type !== "pulumi:pulumi:Stack"), []);
    });

    it("refuses an input WebTier does not have, one of the wrong type, and an Output, each by its input name", async () => {
        const refused = (inputs: Record<string, unknown>) => runConstruct({ stack: "dev", inputs: { mtlsClients: ["a"], ...inputs } }).then(() => "", e => String(e.message));
        assert.match(await refused({ sslPolicyName: "x" }), /^sslPolicyName is not an input of WebTier\. Known inputs: compute, pki, /);
        assert.match(await refused({ azCount: "two" }), /^azCount is "two"\. Use a whole number\.$/);
        assert.match(await refused({ allowedCidrs: "10.0.0.0/8" }), /^allowedCidrs is "10\.0\.0\.0\/8"\. Use a list\.$/);
        pulumi.runtime.setAllConfig({ "aws:region": "us-east-1" }, []);
        assert.throws(() => resolveConfig({ mtlsClients: ["a"], domainName: pulumi.output("app.example.org") }), /^ConfigError: domainName is an Output of another resource\. WebTier's inputs are plain values known before deployment/);
    });

    it("takes back what it validated unchanged: the program validates the stack's config, then WebTier validates it again as inputs", () => {
        for (const stack of ["dev", "prod"]) {
            const raw = Object.fromEntries(Object.entries(loadStackConfig(stack)).filter(([k]) => k.startsWith("e2e-tls:")).map(([k, v]) => [k.slice(8), v]));
            const once = validateConfig(raw, { region: "us-east-1", placeholders: "report" });
            assert.deepStrictEqual(validateConfig(once as unknown as Record<string, unknown>, { region: "us-east-1", placeholders: "report", door: "input" }), once);
        }
    });
});
