import * as assert from "assert";
import { applicationLoadBalancer, assertPasses, assertViolation, FAMILIES, of, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { HEADERS, DESYNC, LOGS, DELETION } = RULES["load-balancers"];

describe("load balancer policies", () => {
    const pack = usePackPerTest();

    for (const family of FAMILIES) {
        it(`accepts a hardened application load balancer (aws:${family})`, async () => {
            const result = await pack().analyze(applicationLoadBalancer({}, family));
            for (const name of [HEADERS, DESYNC, LOGS, DELETION]) {
                assertPasses(result, name);
            }
        });

        it(`refuses an ALB that forwards invalid header fields (aws:${family})`, async () => {
            assertViolation(await pack().analyze(applicationLoadBalancer({ dropInvalidHeaderFields: undefined }, family)), HEADERS, "mandatory",
                `LoadBalancer "web-alb" (aws:${family}/loadBalancer:LoadBalancer)`, "dropInvalidHeaderFields is not set", "set dropInvalidHeaderFields: true");
        });
    }

    it("treats an omitted load balancer type as application", async () => {
        assertViolation(await pack().analyze(applicationLoadBalancer({ loadBalancerType: undefined, dropInvalidHeaderFields: false })), HEADERS, "mandatory", "dropInvalidHeaderFields is false");
    });

    it("leaves network load balancers alone", async () => {
        const nlb = applicationLoadBalancer({ loadBalancerType: "network", dropInvalidHeaderFields: undefined, desyncMitigationMode: undefined, accessLogs: undefined, enableDeletionProtection: false });
        assert.deepStrictEqual((await pack().analyze(nlb)).diagnostics, []);
    });

    it("remediates dropInvalidHeaderFields to true", async () => {
        await pack().configure({ [HEADERS]: "remediate" });
        const { remediations } = await pack().remediate(applicationLoadBalancer({ dropInvalidHeaderFields: false }));
        assert.strictEqual(remediations.length, 1);
        assert.strictEqual(remediations[0].properties?.dropInvalidHeaderFields, true);
        assert.deepStrictEqual(remediations[0].properties?.subnets, ["subnet-a", "subnet-b"]);
    });

    it("advises against desync mode monitor and accepts the AWS default", async () => {
        assertViolation(await pack().analyze(applicationLoadBalancer({ desyncMitigationMode: "monitor" })), DESYNC, "advisory", 'desyncMitigationMode is "monitor"', '"defensive" or "strictest"');
        assertPasses(await pack().analyze(applicationLoadBalancer({ desyncMitigationMode: undefined })), DESYNC);
    });

    it("can require strictest desync mitigation, mandatory, by config", async () => {
        await pack().configure({ [DESYNC]: { enforcementLevel: "mandatory", allowedModes: ["strictest"] } });
        assertViolation(await pack().analyze(applicationLoadBalancer({ desyncMitigationMode: "defensive" })), DESYNC, "mandatory", 'set desyncMitigationMode to "strictest"');
        assertViolation(await pack().analyze(applicationLoadBalancer({ desyncMitigationMode: undefined })), DESYNC, "mandatory", "the AWS default");
    });

    it("advises access logs and deletion protection", async () => {
        const result = await pack().analyze(applicationLoadBalancer({ accessLogs: { bucket: "logs", enabled: false }, enableDeletionProtection: undefined }));
        assertViolation(result, LOGS, "advisory", "accessLogs.enabled is false");
        assertViolation(result, DELETION, "advisory", "enableDeletionProtection is not set");
        assertViolation(await pack().analyze(applicationLoadBalancer({ accessLogs: undefined })), LOGS, "advisory", "accessLogs is not set");
    });

    it("reports nothing while values are unknown in preview", async () => {
        const result = await pack().analyze(applicationLoadBalancer({ dropInvalidHeaderFields: UNKNOWN, desyncMitigationMode: UNKNOWN, accessLogs: UNKNOWN, enableDeletionProtection: UNKNOWN }));
        for (const name of [HEADERS, DESYNC, LOGS, DELETION]) {
            assert.deepStrictEqual(of(result, name), []);
        }
        assert.deepStrictEqual((await pack().analyze(applicationLoadBalancer({ loadBalancerType: UNKNOWN, dropInvalidHeaderFields: false }))).diagnostics, []);
    });
});
