import * as assert from "assert";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { reconcileConfig } from "../../offline/analyzer/harness";
import { AnalyzerInfo } from "../../offline/analyzer/config";
import { allPolicies } from "../../policies/rules";
import { GOOD_POLICY, httpsListener, resource, usePack } from "./fixtures";
import { RULES } from "./names";

const { ALLOWLIST } = RULES.listeners;
const { STRENGTH } = RULES["key-material"];
const WORLD = "security-group-world-ingress-web-ports-only";
const LISTENER_URN = "urn:pulumi:dev::e2e-tls::aws:lb/listener:Listener::web-https";
const REASON = "reviewed by the platform team";
const EXPIRES = "2027-06-30";

/** Config values the CLI refuses, with the schema rule each breaks. */
const REFUSED: [string, Record<string, unknown>, RegExp][] = [
    [ALLOWLIST, { minimumTlsVersion: "1.3 " }, /minimumTlsVersion is "1\.3 ": must be one of "1\.2", "1\.3"/],
    [ALLOWLIST, { fipsOnly: "false" }, /fipsOnly is "false": invalid type, expected boolean, given string/],
    [WORLD, { allowedWorldPorts: "443" }, /allowedWorldPorts is "443": invalid type, expected array, given string/],
    [WORLD, { allowedWorldPorts: ["443"] }, /allowedWorldPorts\[0\] is "443": invalid type, expected integer, given string/],
    [WORLD, { allowedWorldPorts: [443, 70000] }, /allowedWorldPorts\[1\] is 70000: must be less than or equal to 65535/],
    [STRENGTH, { minRsaBits: 512 }, /minRsaBits is 512: must be greater than or equal to 1024/],
    [STRENGTH, { minRsaBits: 2048.5 }, /minRsaBits is 2048.5: invalid type, expected integer, given number/],
    [STRENGTH, { minRsaBits: "2048" }, /minRsaBits is "2048": invalid type, expected integer, given string/],
    [STRENGTH, { allowedEcdsaCurves: ["P256", "p384"] }, /allowedEcdsaCurves\[1\] is "p384": must be one of/],
    // The exemption entries' object schema (policies/framework/exemptions.ts).
    [ALLOWLIST, { exemptions: [{ urn: LISTENER_URN, reason: "short", expires: EXPIRES }] }, /exemptions\[0\]\.reason is "short": must be at least 10 characters long/],
    [ALLOWLIST, { exemptions: [{ urn: "web-https", reason: REASON, expires: EXPIRES }] }, /exemptions\[0\]\.urn is "web-https": does not match the pattern \^urn:pulumi:/],
    [ALLOWLIST, { exemptions: [{ urn: "urn:pulumi:*::e2e-tls::*", reason: REASON, expires: EXPIRES }] }, /exemptions\[0\]\.urn is "urn:pulumi:\*::e2e-tls::\*": does not match the pattern/],
    [ALLOWLIST, { exemptions: [{ stack: "dev", reason: REASON, expires: EXPIRES }] }, /exemptions\[0\]\.stack is "dev": does not match the pattern/],
    [ALLOWLIST, { exemptions: [{ stack: "e2e-tls/dev", urn: LISTENER_URN, reason: REASON, expires: EXPIRES }] }, /exemptions\[0\] has 4 properties: must have at most 3/],
    [ALLOWLIST, { exemptions: [{ reason: REASON, expires: EXPIRES, name: "web" }] }, /exemptions\[0\]\.name is not allowed/],
    [ALLOWLIST, { exemptions: [{ tag: { key: "team" }, reason: REASON, expires: EXPIRES }] }, /exemptions\[0\]\.tag is not allowed/],
    [ALLOWLIST, { exemptions: [{ urn: LISTENER_URN, expires: EXPIRES }] }, /exemptions\[0\]\.reason is required/],
    [ALLOWLIST, { exemptions: [{ urn: LISTENER_URN, reason: REASON }] }, /exemptions\[0\]\.expires is required/],
    [ALLOWLIST, { exemptions: [{ urn: LISTENER_URN, reason: REASON, expires: "2026-02-30" }] }, /exemptions\[0\]\.expires is "2026-02-30": does not match format "date"/],
    [ALLOWLIST, { exemptions: [{ urn: LISTENER_URN, reason: REASON, expires: "2026-6-30" }] }, /exemptions\[0\]\.expires is "2026-6-30": does not match format "date"/],
    [ALLOWLIST, { exemptions: [{ urn: LISTENER_URN, reason: REASON, expires: 20270101 }] }, /exemptions\[0\]\.expires is 20270101: invalid type, expected string/],
];

describe("policy pack config is validated like the Pulumi CLI", () => {
    const pack = usePack();
    let info: AnalyzerInfo;
    before(async () => {
        info = await pack().getAnalyzerInfo();
    });

    for (const [policy, properties, expected] of REFUSED) {
        it(`refuses ${policy} ${JSON.stringify(properties)} before configuring the pack, naming policy, key, value and rule`, () => {
            assert.throws(() => reconcileConfig(info, { [policy]: properties }), (e: Error) => {
                assert.match(e.message, expected);
                assert.ok(e.message.includes(`policy "${policy}": `), `names the policy: ${e.message}`);
                assert.match(e.message, /the Pulumi CLI validates it against each policy's configSchema and refuses it/);
                return true;
            });
        });
    }

    it("refuses null as the CLI's schema check does", () => {
        assert.throws(() => reconcileConfig(info, { [ALLOWLIST]: { fipsOnly: null } }), /fipsOnly is null: invalid type, expected boolean, given null/);
    });

    it("accepts values of the right types, and every policy's defaults", () => {
        assert.doesNotThrow(() => reconcileConfig(info, {}));
        assert.doesNotThrow(() => reconcileConfig(info, {
            [ALLOWLIST]: { minimumTlsVersion: "1.3", fipsOnly: true, exemptions: [{ stack: "e2e-tls/dev", reason: REASON, expires: EXPIRES }, { urn: "urn:pulumi:dev::e2e-tls::*::web-*", reason: REASON, expires: EXPIRES }] },
            [WORLD]: { allowedWorldPorts: [443] }, [STRENGTH]: { minRsaBits: 3072 },
        }));
    });

    it("lists every error at once", () => {
        assert.throws(() => reconcileConfig(info, { [ALLOWLIST]: { minimumTlsVersion: 1.3, fipsOnly: "no" } }),
            (e: Error) => /minimumTlsVersion is 1\.3/.test(e.message) && /fipsOnly is "no"/.test(e.message));
    });
});

describe("the pack fails closed on config its schema refuses", () => {
    const pack = usePack();
    const policy = (name: string) => allPolicies.find((p) => p.name === name) as ResourceValidationPolicy;
    const listener = httpsListener({ sslPolicy: GOOD_POLICY });
    const judged: Record<string, ReturnType<typeof resource>> = {
        [ALLOWLIST]: listener,
        [WORLD]: resource("aws:ec2/securityGroup:SecurityGroup", "web", { ingress: [] }),
        [STRENGTH]: resource("tls:index/privateKey:PrivateKey", "backend", { algorithm: "RSA", rsaBits: 2048 }),
    };

    for (const [name, properties, expected] of REFUSED) {
        it(`throws in ${name} when sent ${JSON.stringify(properties)} instead of judging with it`, () => {
            const args = { ...judged[name], getConfig: () => properties } as any;
            assert.throws(() => (policy(name).validateResource as (a: unknown, r: () => void) => void)(args, () => undefined),
                (e: Error) => expected.test(e.message) && /has invalid config, which the Pulumi CLI would refuse/.test(e.message));
        });
    }

    it("turns an unchecked minimumTlsVersion \"1.3 \" into an Analyze error, not a silently disabled check", async () => {
        const reconciled = reconcileConfig(await pack().getAnalyzerInfo(), {});
        reconciled[ALLOWLIST] = { ...reconciled[ALLOWLIST], properties: { ...reconciled[ALLOWLIST].properties, minimumTlsVersion: "1.3 " } };
        await pack().configureReconciled(reconciled);
        await assert.rejects(pack().analyze(listener), /alb-listener-tls-policy-allowlist.*invalid config.*minimumTlsVersion is "1\.3 "/s);
        await pack().configure({});
        assert.ok((await pack().analyze(resource("aws:s3/bucketV2:BucketV2", "b", { bucket: "b" }))).diagnostics.length >= 0, "valid config works again");
    });
});
