/**
 * Exemptions the audited team cannot grant itself (policies/framework/exemptions.ts): decided only
 * in the pack's config, by URN or project-qualified stack, each with a reason and an expiry; an
 * expired one stops applying and the finding names it; every suppressed finding is reported as an
 * advisory `policy-exemptions-applied` line that neither that policy's level nor an exemption of it
 * can hide.
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
const REASON = "Public health endpoint, reviewed by platform-sec (SEC-123)";
const FUTURE = "2099-12-31";
const PAST = "2020-01-31";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const httpListener = (name: string, extra: Record<string, any> = {}) =>
    httpsListener({ protocol: "HTTP", port: 80, certificateArn: undefined, sslPolicy: undefined, mutualAuthentication: undefined, ...extra }, "lb", name);
/** A launch template giving its instances a public address, in the stack and project `urn` names. */
const publicTemplate = (name: string, urn?: string, tags?: unknown) =>
    resource(LT, name, { networkInterfaces: [{ associatePublicIpAddress: "true" }], ...(tags ? { tags } : {}) }, urn ? { urn } : {});
const urnIn = (stack: string, project: string, type: string, name: string) => `urn:pulumi:${stack}::${project}::${type}::${name}`;

describe("exemptions the audited team cannot grant itself", () => {
    describe("matching", () => {
        const urn = urnIn("dev", "shop", "aws:lb/listener:Listener", "web-http");
        const TODAY = "2026-06-15";
        const entry = (selector: Record<string, string>, expires = FUTURE) => ({ ...selector, reason: REASON, expires });

        it("matches by exact URN, by a URN pattern after the stack and project, and by project-qualified stack", () => {
            assert.ok(matchExemption([entry({ urn })], urn, TODAY)?.applies);
            assert.ok(matchExemption([entry({ urn: "urn:pulumi:dev::shop::*::web-*" })], urn, TODAY)?.applies);
            assert.ok(matchExemption([entry({ stack: "shop/dev" })], urn, TODAY)?.applies);
        });

        it("does not match another project's stack of the same name, another stack, or another resource", () => {
            const otherProject = urnIn("dev", "payments", "aws:lb/listener:Listener", "web-http");
            assert.strictEqual(matchExemption([entry({ stack: "shop/dev" })], otherProject, TODAY), undefined);
            assert.strictEqual(matchExemption([entry({ urn: "urn:pulumi:dev::shop::*" })], otherProject, TODAY), undefined);
            assert.strictEqual(matchExemption([entry({ stack: "shop/prod" })], urn, TODAY), undefined);
            assert.strictEqual(matchExemption([entry({ urn: urn.replace("web-http", "web") })], urn, TODAY), undefined);
        });

        it("applies through its expiry day (UTC) and after it only says that it expired", () => {
            assert.ok(matchExemption([entry({ urn }, TODAY)], urn, TODAY)?.applies, "the expiry day is the last day it applies");
            const after = matchExemption([entry({ urn }, "2026-06-14")], urn, TODAY);
            assert.strictEqual(after?.applies, undefined);
            assert.strictEqual(after?.expired?.expires, "2026-06-14");
            assert.strictEqual(matchExemption([entry({ urn }, "2026-06-14"), entry({ stack: "shop/dev" })], urn, TODAY)?.applies?.stack, "shop/dev",
                "an entry in force wins over an expired one");
        });

        it("fails closed: an entry without a reason of 10 characters or an expiry, with a bad date, a bare stack, a tag or two selectors exempts nothing", () => {
            const malformed: unknown[] = [
                { urn, expires: FUTURE }, { urn, reason: "because", expires: FUTURE }, { urn, reason: REASON },
                { urn, reason: REASON, expires: "2026-02-30" }, { urn, reason: REASON, expires: "30/06/2026" },
                { stack: "dev", reason: REASON, expires: FUTURE }, { stack: "shop/dev/extra", reason: REASON, expires: FUTURE },
                { tag: { key: "guard-exempt" }, reason: REASON, expires: FUTURE },
                { urn, stack: "shop/dev", reason: REASON, expires: FUTURE },
                { urn: "urn:pulumi:*::shop::*", reason: REASON, expires: FUTURE },
                "shop/dev", null,
            ];
            for (const e of malformed) {
                assert.strictEqual(matchExemption([e], urn, TODAY), undefined, JSON.stringify(e));
            }
            assert.strictEqual(matchExemption(entry({ urn }), urn, TODAY), undefined, "not a list");
        });

        it("names each selector and expiry the way the exemption line does, and the line parses back", () => {
            assert.strictEqual(describeSelector({ stack: "shop/dev", reason: REASON, expires: FUTURE }), 'stack "shop/dev"');
            assert.deepStrictEqual(
                parseExemptionMessage(`exempted: ${HTTPS_ONLY} on Listener "a" by stack "shop/dev" until ${FUTURE}: ${REASON} Suppressed: Listener "a" (x): y.`),
                { policy: HTTPS_ONLY, selector: 'stack "shop/dev"', expires: FUTURE, reason: REASON });
            assert.strictEqual(parseExemptionMessage("Listener \"a\" (x): protocol is \"HTTP\"."), undefined);
        });
    });

    describe("through the analyzer protocol", function () {
        this.timeout(60_000);
        const pack = usePackPerTest();

        it("suppresses a resource rule's finding exempted by URN and reports it in the same response, advisory, with reason and expiry", async () => {
            const listener = httpListener("health-http");
            await pack().configure({ [HTTPS_ONLY]: { exemptions: [{ urn: listener.urn, reason: REASON, expires: FUTURE }] } });
            const result = await pack().analyze(listener);
            assert.deepStrictEqual(of(result, HTTPS_ONLY), [], "the exempted finding is not reported at its own level");
            const applied = of(result, APPLIED);
            assert.strictEqual(applied.length, 1, JSON.stringify(result.diagnostics));
            assert.strictEqual(applied[0].enforcementLevel, "advisory");
            assert.strictEqual(applied[0].urn, listener.urn);
            assert.match(applied[0].message, new RegExp(`^exempted: ${HTTPS_ONLY} on Listener "health-http" by urn \\S+ until ${FUTURE}: ${REASON.replace(/[()]/g, "\\$&")} Suppressed: Listener "health-http"`, "m"));
            assert.deepStrictEqual(parseExemptionMessage(applied[0].message), { policy: HTTPS_ONLY, selector: `urn ${listener.urn}`, expires: FUTURE, reason: REASON });
            assert.strictEqual(of(await pack().analyze(httpListener("other-http")), HTTPS_ONLY).length, 1, "another listener is still judged");
        });

        it("judges a resource carrying any tag, in map or list form, and refuses a config that still names a tag selector", async () => {
            for (const tags of [{ "guard-exempt": "bastion" }, [{ key: "guard-exempt", value: "bastion" }]]) {
                assert.strictEqual(of(await pack().analyze(publicTemplate("bastion", undefined, tags)), PUBLIC_IP).length, 1, JSON.stringify(tags));
            }
            await assert.rejects(pack().configure({ [PUBLIC_IP]: { exemptions: [{ tag: { key: "guard-exempt", value: "bastion" }, reason: REASON, expires: FUTURE }] } }),
                /exemptions\[0\]\.tag is not allowed/);
            // What a CLI that skipped the schema check would send: the pack throws instead of exempting.
            const info = await pack().getAnalyzerInfo();
            const reconciled = Object.fromEntries(info.policies.map((p) => [p.name, { enforcementLevel: p.enforcementLevel, properties: {} as Record<string, unknown> }]));
            reconciled[PUBLIC_IP].properties = { exemptions: [{ tag: { key: "guard-exempt", value: "bastion" }, reason: REASON, expires: FUTURE }] };
            await pack().configureReconciled(reconciled);
            await assert.rejects(pack().analyze(publicTemplate("bastion", undefined, { "guard-exempt": "bastion" })), /exemptions\[0\]\.tag is not allowed/);
        });

        it("ignores the stack tags the engine sends with ConfigureStack", async () => {
            await pack().configureStack({ stack: "test", project: "e2e-tls", tags: { "guard-exempt": "true", [PUBLIC_IP]: "exempt" } });
            assert.strictEqual(of(await pack().analyze(publicTemplate("tier")), PUBLIC_IP).length, 1);
        });

        it("exempts a project-qualified stack only, not another project's stack of the same name", async () => {
            await pack().configureStack({ stack: "dev", project: "shop", organization: "acme" });
            await pack().configure({ [PUBLIC_IP]: { exemptions: [{ stack: "shop/dev", reason: REASON, expires: FUTURE }] } });
            const shop = await pack().analyze(publicTemplate("tier", urnIn("dev", "shop", LT, "tier")));
            assert.deepStrictEqual(of(shop, PUBLIC_IP), []);
            assert.match(of(shop, APPLIED)[0]?.message ?? "", new RegExp(`by stack "shop/dev" until ${FUTURE}: `));
            await pack().configureStack({ stack: "dev", project: "payments", organization: "acme" });
            const payments = await pack().analyze(publicTemplate("tier", urnIn("dev", "payments", LT, "tier")));
            assert.strictEqual(of(payments, PUBLIC_IP).length, 1, "payments/dev is judged");
            assert.deepStrictEqual(of(payments, APPLIED), []);
        });

        it("refuses a bare stack name, an entry without reason or expiry, and a date that does not exist", async () => {
            for (const [entry, expected] of [
                [{ stack: "dev", reason: REASON, expires: FUTURE }, /exemptions\[0\]\.stack is "dev": does not match the pattern/],
                [{ urn: urnOf(LT, "tier"), expires: FUTURE }, /exemptions\[0\]\.reason is required/],
                [{ urn: urnOf(LT, "tier"), reason: REASON }, /exemptions\[0\]\.expires is required/],
                [{ urn: urnOf(LT, "tier"), reason: REASON, expires: "2026-02-30" }, /exemptions\[0\]\.expires is "2026-02-30": does not match format "date"/],
            ] as const) {
                await assert.rejects(pack().configure({ [PUBLIC_IP]: { exemptions: [entry] } }), expected, JSON.stringify(entry));
            }
        });

        it("stops applying an expired exemption: the finding is reported at its policy's level, naming the expired entry", async () => {
            const lt = publicTemplate("tier");
            await pack().configure({ [PUBLIC_IP]: { exemptions: [{ urn: lt.urn, reason: REASON, expires: PAST }] } });
            const result = await pack().analyze(lt);
            const found = of(result, PUBLIC_IP);
            assert.strictEqual(found.length, 1, JSON.stringify(result.diagnostics));
            assert.strictEqual(found[0].enforcementLevel, "mandatory");
            assert.ok(found[0].message.includes(`The exemption by urn ${lt.urn} expired on ${PAST} ("${REASON}")`), found[0].message);
            assert.deepStrictEqual(of(result, APPLIED), [], "nothing is listed as exempted");
        });

        it("suppresses a stack rule's finding on the exempted resource only, one line per suppressed finding", async () => {
            const stack = webStack();
            find(stack, "web-tg").props.protocol = "HTTP";
            const tgUrn = urnOf(find(stack, "web-tg").type, "web-tg");
            const before = of(await pack().analyzeStack(toResources(stack)), PATH).filter((d) => d.urn === tgUrn);
            assert.ok(before.length > 0, "the plaintext target group is a path finding without the exemption");
            await pack().configure({ [PATH]: { exemptions: [{ urn: tgUrn, reason: REASON, expires: FUTURE }] } });
            const result = await pack().analyzeStack(toResources(stack));
            assert.deepStrictEqual(of(result, PATH).filter((d) => d.urn === tgUrn), []);
            assert.strictEqual(of(result, APPLIED).length, before.length);
            assert.ok(of(result, APPLIED).every((d) => d.enforcementLevel === "advisory" && d.message.includes(REASON)));
        });

        it("lists every applied exemption although policy-exemptions-applied is disabled and exempts everything itself", async () => {
            const listener = httpListener("health-http");
            const stack = webStack();
            find(stack, "web-tg").props.protocol = "HTTP";
            const tgUrn = urnOf(find(stack, "web-tg").type, "web-tg");
            const everything = [{ stack: "e2e-tls/test", reason: REASON, expires: FUTURE }, { urn: "urn:pulumi:test::e2e-tls::*", reason: REASON, expires: FUTURE }];
            await pack().configure({
                [APPLIED]: { enforcementLevel: "disabled", exemptions: everything },
                [HTTPS_ONLY]: { exemptions: [{ urn: listener.urn, reason: REASON, expires: FUTURE }] },
                [PATH]: { exemptions: [{ urn: tgUrn, reason: REASON, expires: FUTURE }] },
            });
            assert.strictEqual(of(await pack().analyze(listener), APPLIED).length, 1, "the resource rule's exemption is listed");
            assert.ok(of(await pack().analyzeStack(toResources(stack)), APPLIED).length > 0, "the stack rule's exemption is listed");
        });

        it("costs no AnalyzeStack work of its own: the policy server skips policy-exemptions-applied on every stack, while the lines still come", async () => {
            const stack = webStack();
            find(stack, "web-tg").props.protocol = "HTTP";
            const tgUrn = urnOf(find(stack, "web-tg").type, "web-tg");
            await pack().configure({ [PATH]: { exemptions: [{ urn: tgUrn, reason: REASON, expires: FUTURE }] } });
            const result = await pack().analyzeStack(toResources(stack));
            assert.deepStrictEqual(result.notApplicable.filter((n) => n.policyName === APPLIED).length, 1, "skipped by the server's one-type check");
            assert.ok(of(result, APPLIED).length > 0, "the path rule's exemption is listed under policy-exemptions-applied");
        });

        it("no longer knows the logical-name keys", async () => {
            for (const [policy, key] of [[PUBLIC_IP, "exemptResourceNames"], [RULES.mtls.REQUIRED, "exemptListenerNames"]] as const) {
                await assert.rejects(pack().configure({ [policy]: { [key]: ["tier"] } }), new RegExp(`has no config property "${key}"`));
            }
        });
    });
});
