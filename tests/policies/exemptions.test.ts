/**
 * Exemptions with reasons (policies/framework/exemptions.ts): by URN, by stack, by tag, each with
 * a reason the pack reports as an advisory `policy-exemptions-applied` line, in resource and stack
 * rules alike; malformed entries exempt nothing; the deprecated logical-name keys still work.
 */
import * as assert from "assert";
import { describeSelector, matchExemption, parseExemptionMessage } from "../../policies/framework";
import { urnOf } from "../../offline/analyzer/harness";
import { httpsListener, of, resource, usePackPerTest } from "./fixtures";
import { find, toResources, webStack } from "./fixtures-stack";
import { RULES } from "./names";

const { HTTPS_ONLY } = RULES.listeners;
const { PUBLIC_IP } = RULES.instances;
const { PATH } = RULES["stack-path"];
const { APPLIED } = RULES.exemptions;
const REASON = "Public health endpoint, reviewed by platform-sec until 2027-06";
const httpListener = (name: string, tags?: Record<string, string>) =>
    httpsListener({ protocol: "HTTP", port: 80, certificateArn: undefined, sslPolicy: undefined, mutualAuthentication: undefined, ...(tags ? { tags } : {}) }, "lb", name);

describe("exemptions with reasons", () => {
    describe("matching", () => {
        const subject = { urn: "urn:pulumi:dev::e2e-tls::aws:lb/listener:Listener::web-http", props: { tags: { owner: "platform" } } };

        it("matches by exact URN, by stack name or project/stack, and by tag key or key=value", () => {
            assert.ok(matchExemption([{ urn: subject.urn, reason: REASON }], subject));
            assert.ok(matchExemption([{ stack: "dev", reason: REASON }], subject));
            assert.ok(matchExemption([{ stack: "e2e-tls/dev", reason: REASON }], subject));
            assert.ok(matchExemption([{ tag: { key: "owner" }, reason: REASON }], subject));
            assert.ok(matchExemption([{ tag: { key: "owner", value: "platform" }, reason: REASON }], subject));
            assert.ok(matchExemption([{ tag: { key: "Owner", value: "x" }, reason: REASON }], { urn: subject.urn, props: { tags: [{ key: "Owner", value: "x" }] } }),
                "aws-native's list of {key, value} tags");
        });

        it("does not match another stack's resource of the same logical name, another stack, or another tag value", () => {
            const prod = { ...subject, urn: subject.urn.replace(":dev::", ":prod::") };
            assert.strictEqual(matchExemption([{ urn: subject.urn, reason: REASON }], prod), undefined);
            assert.strictEqual(matchExemption([{ stack: "dev", reason: REASON }], prod), undefined);
            assert.strictEqual(matchExemption([{ stack: "other/dev", reason: REASON }], subject), undefined);
            assert.strictEqual(matchExemption([{ tag: { key: "owner", value: "apps" }, reason: REASON }], subject), undefined);
        });

        it("fails closed: an entry without a reason of 10 characters, or with no or two selectors, exempts nothing", () => {
            for (const entry of [{ stack: "dev" }, { stack: "dev", reason: "because" }, { reason: REASON }, { stack: "dev", urn: subject.urn, reason: REASON }, "dev", null]) {
                assert.strictEqual(matchExemption([entry], subject), undefined, JSON.stringify(entry));
            }
            assert.strictEqual(matchExemption({ stack: "dev", reason: REASON }, subject), undefined, "not a list");
        });

        it("names each selector the way the exemption message does, and the message parses back", () => {
            assert.strictEqual(describeSelector({ tag: { key: "owner", value: "platform" }, reason: REASON }), "tag owner=platform");
            assert.deepStrictEqual(
                parseExemptionMessage(`exempted: ${HTTPS_ONLY} on Listener "a" by stack "dev": ${REASON} Suppressed: Listener "a" (x): y.`),
                { policy: HTTPS_ONLY, selector: 'stack "dev"', reason: REASON });
            assert.strictEqual(parseExemptionMessage("Listener \"a\" (x): protocol is \"HTTP\"."), undefined);
        });
    });

    describe("through the pack", function () {
        this.timeout(60_000);
        const pack = usePackPerTest();

        it("suppresses a resource rule's finding exempted by URN and reports it once, advisory, with the reason", async () => {
            const listener = httpListener("health-http");
            await pack().configure({ [HTTPS_ONLY]: { exemptions: [{ urn: urnOf(listener.type, listener.name), reason: REASON }] } });
            assert.deepStrictEqual(of(await pack().analyze(listener), HTTPS_ONLY), [], "the exempted finding is not reported at its own level");
            assert.deepStrictEqual(of(await pack().analyze(httpListener("other-http")), HTTPS_ONLY).length, 1, "another listener is still judged");
            const applied = of(await pack().analyzeStack([listener]), APPLIED);
            assert.strictEqual(applied.length, 1, JSON.stringify(applied));
            assert.strictEqual(applied[0].enforcementLevel, "advisory");
            assert.strictEqual(applied[0].urn, urnOf(listener.type, listener.name));
            assert.match(applied[0].message, new RegExp(`^exempted: ${HTTPS_ONLY} on Listener "health-http" by urn \\S+: ${REASON} Suppressed: Listener "health-http"`, "m"));
            assert.deepStrictEqual(parseExemptionMessage(applied[0].message), { policy: HTTPS_ONLY, selector: `urn ${urnOf(listener.type, listener.name)}`, reason: REASON });
            assert.deepStrictEqual(of(await pack().analyzeStack([listener]), APPLIED), [], "each run reports only its own exemptions");
        });

        it("exempts by tag and by stack, and leaves untagged resources of the same type to the rule", async () => {
            const lt = (name: string, tags?: Record<string, string>) => resource("aws:ec2/launchTemplate:LaunchTemplate", name,
                { networkInterfaces: [{ associatePublicIpAddress: "true" }], ...(tags ? { tags } : {}) });
            await pack().configure({ [PUBLIC_IP]: { exemptions: [{ tag: { key: "guard-exempt", value: "bastion" }, reason: REASON }] } });
            assert.deepStrictEqual(of(await pack().analyze(lt("bastion", { "guard-exempt": "bastion" })), PUBLIC_IP), []);
            assert.strictEqual(of(await pack().analyze(lt("tier")), PUBLIC_IP).length, 1, "untagged launch template still reported");
            assert.match(of(await pack().analyzeStack([]), APPLIED)[0]?.message ?? "", /by tag guard-exempt=bastion: /);

            await pack().configure({ [PUBLIC_IP]: { exemptions: [{ stack: "test", reason: REASON }] } });
            assert.deepStrictEqual(of(await pack().analyze(lt("tier")), PUBLIC_IP), [], "the fixtures' stack is \"test\"");
            await pack().configure({ [PUBLIC_IP]: { exemptions: [{ stack: "prod", reason: REASON }] } });
            assert.strictEqual(of(await pack().analyze(lt("tier")), PUBLIC_IP).length, 1, "another stack's exemption does not apply");
        });

        it("suppresses a stack rule's finding on the exempted resource only, and reports it with the reason", async () => {
            const stack = webStack();
            find(stack, "web-tg").props.protocol = "HTTP";
            const tgUrn = urnOf(find(stack, "web-tg").type, "web-tg");
            const before = of(await pack().analyzeStack(toResources(stack)), PATH).filter((d) => d.urn === tgUrn);
            assert.ok(before.length > 0, "the plaintext target group is a path finding without the exemption");
            await pack().configure({ [PATH]: { exemptions: [{ urn: tgUrn, reason: REASON }] } });
            const result = await pack().analyzeStack(toResources(stack));
            assert.deepStrictEqual(of(result, PATH).filter((d) => d.urn === tgUrn), []);
            assert.strictEqual(of(result, APPLIED).length, before.length, "one exemption line per suppressed finding");
            assert.ok(of(result, APPLIED).every((d) => d.enforcementLevel === "advisory" && d.message.includes(REASON)));
        });

        it("keeps the deprecated logical-name key working, unreported as before", async () => {
            await pack().configure({ [PUBLIC_IP]: { exemptResourceNames: ["tier"] } });
            const lt = resource("aws:ec2/launchTemplate:LaunchTemplate", "tier", { networkInterfaces: [{ associatePublicIpAddress: "true" }] });
            assert.deepStrictEqual(of(await pack().analyze(lt), PUBLIC_IP), []);
            assert.deepStrictEqual(of(await pack().analyzeStack([]), APPLIED), []);
        });
    });
});
