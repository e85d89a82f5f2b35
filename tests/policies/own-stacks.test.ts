/**
 * The pack against the project's own program: every stack and compute choice passes with no
 * mandatory violation, and the insecure variants a careless change would make are caught by the
 * rule that owns them.
 */
import * as assert from "assert";
import { generateKeyPairSync } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_PACK_DIR } from "../../offline/analyzer/harness";
import { RecordedResource } from "../../offline/engine/recorded";
import { runProgram } from "../../offline/engine/run-program";
import { UNKNOWN, usePack } from "./fixtures";
import { analyzeRun, mandatory, mutate, OWN_VARIANTS, runVariant } from "./own-stack-runs";


const isHttpsListener = (r: RecordedResource) => /^aws:a?lb\/listener:Listener$/.test(r.type) && r.inputs.protocol === "HTTPS";
const isHttpListener = (r: RecordedResource) => /^aws:a?lb\/listener:Listener$/.test(r.type) && r.inputs.protocol === "HTTP";
const isTargetGroup = (r: RecordedResource) => /^aws:a?lb\/targetGroup:TargetGroup$/.test(r.type);

describe("the pack on the project's own stacks", function () {
    this.timeout(180_000);
    const pack = usePack();
    const runs = new Map<string, RecordedResource[]>();

    before(async function () {
        this.timeout(300_000);
        for (const v of OWN_VARIANTS) {
            runs.set(v.label, await runVariant(v));
        }
    });

    /** The mandatory findings of a run with the path rule's `reportOwnedHops` on. */
    const withOwnedHops = async (resources: RecordedResource[]) => {
        await pack().configure({ "alb-end-to-end-tls-path": { reportOwnedHops: true } });
        try {
            return mandatory(await analyzeRun(pack(), resources));
        } finally {
            await pack().configure({});
        }
    };

    const exampleConfig = (file: string) => JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "config", file), "utf8"));
    for (const [file, variants] of [["org-strict.json", ["prod/asg", "prod/ecs", "prod/ecs (preview)"]], ["dev-relaxed.json", ["dev/asg", "dev/ecs"]]] as const) {
        for (const variant of variants) {
            it(`finds no mandatory violation in ${variant} under the example config ${file}`, async () => {
                await pack().configure(exampleConfig(file));
                try {
                    assert.deepStrictEqual(mandatory(await analyzeRun(pack(), runs.get(variant)!)), []);
                } finally {
                    await pack().configure({});
                }
            });
        }
    }

    it("holds dev to org-strict's mandatory deletion protection, which dev leaves off", async () => {
        await pack().configure(exampleConfig("org-strict.json"));
        try {
            const found = mandatory(await analyzeRun(pack(), runs.get("dev/asg")!));
            assert.ok(found.some((m) => m.startsWith("alb-deletion-protection-enabled:") && m.includes("enableDeletionProtection is false")), found.join("\n"));
        } finally {
            await pack().configure({});
        }
    });

    for (const v of OWN_VARIANTS) {
        it(`finds no mandatory violation in ${v.label}`, async () => {
            const resources = runs.get(v.label)!;
            assert.ok(resources.some(isHttpsListener), "the run has an HTTPS listener");
            if (v.preview) {
                assert.ok(JSON.stringify(resources).includes(UNKNOWN), "the preview has unknown values");
            }
            assert.deepStrictEqual(mandatory(await analyzeRun(pack(), resources)), []);
        });
    }

    it("finds no mandatory violation at the edges of what the program's config validation accepts", async () => {
        const edges: Record<string, string>[] = [
            { "e2e-tls:certValidityHours": "2160", "e2e-tls:certEarlyRenewalHours": "24", "e2e-tls:caValidityHours": "87600", "e2e-tls:azCount": "6", "e2e-tls:natGateways": "perAz" },
            { "e2e-tls:certValidityHours": "25", "e2e-tls:certEarlyRenewalHours": "24", "e2e-tls:caValidityHours": "50" },
            { "e2e-tls:sslPolicy": "ELBSecurityPolicy-FS-1-2-Res-2020-10", "e2e-tls:mtlsMode": "off", "e2e-tls:compute": "ecs", "e2e-tls:natGateways": "single" },
            { "e2e-tls:revokedSerials": '["0A1B2C"]', "e2e-tls:allowedCidrs": '["203.0.113.0/24"]' },
        ];
        for (const config of edges) {
            const run = await runProgram({ stack: "dev", config });
            assert.deepStrictEqual(mandatory(await analyzeRun(pack(), run.resources)), [], JSON.stringify(config));
        }
    });

    for (const variant of ["dev/asg", "prod/ecs", "prod/ecs (preview)"]) describe(`insecure variants of ${variant}`, () => {
        const base = () => runs.get(variant)!;

        it("catches a target group switched to HTTP once, by alb-target-group-https (along the path too with reportOwnedHops)", async () => {
            const insecure = mutate(base(), isTargetGroup, (p) => ({ ...p, protocol: "HTTP" }));
            const found = mandatory(await analyzeRun(pack(), insecure));
            assert.ok(found.some((m) => m.startsWith("alb-target-group-https:") && m.includes('protocol is "HTTP"')), found.join("\n"));
            const alongPath = (m: string) => m.startsWith("alb-end-to-end-tls-path:") && /Listener "[^"]+" \(HTTPS[^)]*\) → TargetGroup "[^"]+" \(HTTP:8443/.test(m);
            assert.ok(!found.some(alongPath), `reported once, by the rule that owns it:\n${found.join("\n")}`);
            assert.ok((await withOwnedHops(insecure)).some(alongPath), "reportOwnedHops reports it along the path too");
        });

        it("catches the port-80 redirect replaced by a forward once, by alb-listener-https-only (along the path too with reportOwnedHops)", async () => {
            const tg = base().find(isTargetGroup)!;
            const forwarded = mutate(base(), isHttpListener, (p) => ({ ...p, defaultActions: [{ type: "forward", targetGroupArn: tg.outputs.arn }] }))
                .map((r) => isHttpListener(r) ? { ...r, propertyDependencies: { ...r.propertyDependencies, defaultActions: [tg.urn] } } : r);
            const found = mandatory(await analyzeRun(pack(), forwarded));
            assert.ok(found.some((m) => m.startsWith("alb-listener-https-only:") && m.includes('defaultActions[0].type is "forward"')), found.join("\n"));
            const alongPath = (m: string) => m.startsWith("alb-end-to-end-tls-path:") && m.includes("(HTTP) → TargetGroup");
            assert.ok(!found.some(alongPath), `reported once, by the rule that owns it:\n${found.join("\n")}`);
            assert.ok((await withOwnedHops(forwarded)).some(alongPath), "reportOwnedHops reports it along the path too");
        });

        it("catches sslPolicy ELBSecurityPolicy-2016-08", async () => {
            const result = await analyzeRun(pack(), mutate(base(), isHttpsListener, (p) => ({ ...p, sslPolicy: "ELBSecurityPolicy-2016-08" })));
            const found = mandatory(result);
            assert.ok(found.some((m) => m.startsWith("alb-listener-tls-policy-allowlist:") && m.includes('sslPolicy is "ELBSecurityPolicy-2016-08", which allows TLS 1.0')), found.join("\n"));
        });

        it("catches an HTTP health check once, by alb-target-group-health-check-https (along the path too with reportOwnedHops)", async () => {
            const insecure = mutate(base(), isTargetGroup, (p) => ({ ...p, healthCheck: { ...p.healthCheck, protocol: "HTTP" } }));
            const found = mandatory(await analyzeRun(pack(), insecure));
            assert.ok(found.some((m) => m.startsWith("alb-target-group-health-check-https:") && m.includes('healthCheck.protocol is "HTTP"')), found.join("\n"));
            const alongPath = (m: string) => m.startsWith("alb-end-to-end-tls-path:") && m.includes("health check HTTP");
            assert.ok(!found.some(alongPath), `reported once, by the rule that owns it:\n${found.join("\n")}`);
            assert.ok((await withOwnedHops(insecure)).some(alongPath), "reportOwnedHops reports it along the path too");
        });

        it("catches a private key exported as a plain stack output", async () => {
            const pem = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" });
            const leaked = mutate(base(), (r) => r.type === "pulumi:pulumi:Stack", (p) => ({ ...p, debugKey: pem }));
            const found = mandatory(await analyzeRun(pack(), leaked));
            assert.ok(found.some((m) => m.startsWith("no-key-material-in-stack-outputs:") && m.includes("debugKey")), found.join("\n"));
        });

        it("catches the tier's security group opened to the VPC on the backend port", async () => {
            const rule = (r: RecordedResource) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 8443;
            const result = await analyzeRun(pack(), mutate(base(), rule, (p) => {
                const { referencedSecurityGroupId: _, ...rest } = p;
                return { ...rest, cidrIpv4: "10.0.0.0/16" };
            }));
            const found = mandatory(result);
            assert.ok(found.some((m) => m.startsWith("alb-end-to-end-tls-path:") && m.includes('cidrIpv4 is "10.0.0.0/16", which admits the backend port 8443')), found.join("\n"));
        });
    });
});
