/**
 * Values read as the provider coerces them: `"true"`, `"false"`, `"64"`, `"1024"`, `"443"` are the
 * booleans and numbers the Terraform bridge and CloudFormation make of them, so a rule neither
 * refuses a secure string nor lets an insecure one through.
 */
import * as assert from "assert";
import { asBoolean, asNumber, isFalse, isTrue, UNKNOWN } from "../../policies/framework";
import { applicationLoadBalancer, assertPasses, assertViolation, httpsListener, httpsTargetGroup, of, resource, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { HEADERS, LOGS, DELETION } = RULES["load-balancers"];
const { VERIFY } = RULES.mtls;
const { HEALTH } = RULES["target-groups"];
const { ROTATION } = RULES.kms;

describe("values read as the provider coerces them", () => {
    describe("the coercion helpers", () => {
        it("read booleans and their string spellings, and nothing else", () => {
            assert.deepStrictEqual([true, false, "true", "false", " TRUE ", "False", "1", "0"].map(asBoolean), [true, false, true, false, true, false, true, false]);
            assert.deepStrictEqual([undefined, null, "", "yes", 1, UNKNOWN, {}].map(asBoolean), [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
            assert.strictEqual(isTrue("true"), true);
            assert.strictEqual(isFalse("false"), true);
            assert.strictEqual(isFalse(undefined), false, "an absent value is not false");
        });

        it("read numbers and decimal strings, and nothing else", () => {
            assert.deepStrictEqual([64, "64", " 1024 ", "443", "-1", "1.5"].map(asNumber), [64, 64, 1024, 443, -1, 1.5]);
            assert.deepStrictEqual(["traffic-port", "", "0x10", UNKNOWN, undefined, NaN, true].map(asNumber), [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
        });
    });

    describe("in the rules", () => {
        const pack = usePackPerTest();

        it("accepts a load balancer whose protections are the string \"true\"", async () => {
            const result = await pack().analyze(applicationLoadBalancer({
                dropInvalidHeaderFields: "true", enableDeletionProtection: "true", accessLogs: { bucket: "web-alb-logs", enabled: "true" },
            }));
            for (const p of [HEADERS, LOGS, DELETION]) assertPasses(result, p);
        });

        it("refuses a load balancer whose protections are the string \"false\"", async () => {
            const result = await pack().analyze(applicationLoadBalancer({ dropInvalidHeaderFields: "false", enableDeletionProtection: "false" }));
            assertViolation(result, HEADERS, "mandatory", 'dropInvalidHeaderFields is "false"');
            assertViolation(result, DELETION, "advisory", 'enableDeletionProtection is "false"');
        });

        it("refuses ignoreClientCertificateExpiry given as the string \"true\"", async () => {
            const listener = httpsListener({ mutualAuthentication: { mode: "verify", trustStoreArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:truststore/c/1", ignoreClientCertificateExpiry: "true" } });
            assertViolation(await pack().analyze(listener), VERIFY, "mandatory", 'mutualAuthentication.ignoreClientCertificateExpiry is "true"', "expired certificates");
        });

        it("accepts a health check disabled with the string \"false\"", async () => {
            assertPasses(await pack().analyze(httpsTargetGroup({ protocol: "HTTPS", healthCheck: { enabled: "false" } })), HEALTH);
        });

        // The rules of the hops beyond ELBv2 once read booleans with a vocabulary of their own that
        // refused "1" and "0", so a KMS key with enableKeyRotation "1" was reported while a load
        // balancer with dropInvalidHeaderFields "1" passed. One reading now: both pass, both "0"s fail.
        it("reads \"1\" and \"0\" the same way in every rule, and an unknown as nothing", async () => {
            const key = (enableKeyRotation: unknown) => resource("aws:kms/key:Key", "secrets", { enableKeyRotation, rotationPeriodInDays: "365" });
            assertPasses(await pack().analyze(key("1")), ROTATION);
            assertPasses(await pack().analyze(applicationLoadBalancer({ dropInvalidHeaderFields: "1" })), HEADERS);
            assertViolation(await pack().analyze(key("0")), ROTATION, "mandatory", 'enableKeyRotation is "0"');
            assertViolation(await pack().analyze(applicationLoadBalancer({ dropInvalidHeaderFields: "0" })), HEADERS, "mandatory", 'dropInvalidHeaderFields is "0"');
            assert.deepStrictEqual(of(await pack().analyze(key(UNKNOWN)), ROTATION), [], "an unknown rotation flag is not a finding");
        });
    });
});
