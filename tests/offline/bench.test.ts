/**
 * The benchmark's logic that is not timed (offline/analyzer/bench*.ts, rule-modules.ts): the
 * disabled group is built from the rule modules, the synthetic stack holds the families the
 * group's rules read and passes the pack, a broken copy of it is reported by those rules and by
 * nothing of the group once the group is disabled, and the rounds are paired and rotated.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { adversarialInputs } from "../../offline/analyzer/adversarial";
import { median, pairedMedian, roundOrder, VARIANTS } from "../../offline/analyzer/bench";
import { formatComposition, stackComposition, syntheticStack, TIER_SIZE } from "../../offline/analyzer/bench-stack";
import { PackHandle, ResourceInput, startPack } from "../../offline/analyzer/harness";
import { removePack, writeFloorPack } from "../../offline/analyzer/pack-variants";
import { disabledConfig, ISSUE_10_MODULES, modulesNamed, ruleModules } from "../../offline/analyzer/rule-modules";
import { allPolicies } from "../../policies/rules";
import { ALB, SVC } from "../../policies/rules/kubernetes";
import { HOP_TOKENS, TOKENS } from "../../policies/shared/tokens";
import { RULES } from "../policies/names";

const TIER = TIER_SIZE.web + TIER_SIZE.newFamilies;
const groupNames = () => modulesNamed(ISSUE_10_MODULES).flatMap((m) => m.policies.map((p) => p.name));

describe("benchmark: the disabled group", () => {
    it("disables exactly the policies of the issue-10 modules, the advisory ones of secrets-inspection, external-targets and exemptions included", () => {
        const config = disabledConfig(modulesNamed(ISSUE_10_MODULES));
        const expected = ISSUE_10_MODULES.flatMap((m) => Object.values(RULES[m]));
        assert.deepEqual(Object.keys(config).sort(), [...expected].sort());
        assert.ok(Object.values(config).every((level) => level === "disabled"));
        for (const name of ["key-material-inspection-complete", "alb-forward-target-group-in-stack", "policy-exemptions-applied", "classic-elb-listener-tls", "k8s-service-load-balancer-tls"]) {
            assert.ok(name in config, name);
        }
        const others = allPolicies.map((p) => p.name).filter((n) => !(n in config));
        assert.ok(others.length >= 30 && others.includes("alb-end-to-end-tls-path"), "the rest of the pack stays enabled");
    });

    it("refuses a name that is not a rule module exporting policies", () => {
        assert.throws(() => modulesNamed(["classic-elb", "hop-values"]), /"hop-values" is not a rule module of \S+rules \(one of: acmpca, /);
        assert.throws(() => modulesNamed(["nope"]), /"nope" is not a rule module/);
        assert.deepEqual(modulesNamed(["cloudfront"]).map((m) => m.name), ["cloudfront"]);
        assert.ok(ruleModules().every((m) => m.policies.length > 0));
    });
});

describe("benchmark: the synthetic stack", () => {
    it("holds every family the group's rules read, in each tier, and is cut at the size asked", () => {
        const stack = syntheticStack(5000);
        assert.equal(stack.length, 5000);
        assert.equal(new Set(stack.map((r) => r.urn)).size, 5000, "URNs are unique");
        const c = stackComposition(stack);
        const tiers = Math.floor(5000 / TIER);
        for (const family of ["classicLoadBalancer", "classicSslNegotiationPolicy", "cloudfrontDistribution", "k8sIngress", "k8sService"] as const) {
            const n = HOP_TOKENS[family].reduce((sum, t) => sum + (c.byType[t] ?? 0), 0);
            assert.ok(n >= tiers, `${family}: ${n}`);
        }
        const apiDomains = [...HOP_TOKENS.apiGatewayDomainName, ...HOP_TOKENS.apiGatewayV2DomainName].reduce((sum, t) => sum + (c.byType[t] ?? 0), 0);
        assert.ok(apiDomains >= tiers && c.byType[HOP_TOKENS.apiGatewayDomainName[0]] > 0 && c.byType[HOP_TOKENS.apiGatewayV2DomainName[0]] > 0, "REST and HTTP API domains");
        assert.ok(c.hops / c.total > 0.2, `${c.hops} of ${c.total} resources beyond ELBv2`);
        const scanned = stack.filter((r) => r.type === TOKENS.launchTemplate || r.type === TOKENS.ecsTaskDefinition);
        assert.ok(scanned.every((r) => String(r.props?.userData ?? r.props?.containerDefinitions).length >= 60), "values long enough for key-material-inspection-complete to read");
        assert.equal(syntheticStack(7).length, 7);
    });

    it("says what it holds: the families beyond ELBv2 with their counts, then the rest", () => {
        const [hops, rest] = formatComposition(stackComposition(syntheticStack(TIER * 2)));
        assert.match(hops, new RegExp(`^stack: ${TIER * 2} resources; 12 \\(26%\\) of the families beyond ELBv2: 2 aws:cloudfront/distribution:Distribution, 2 aws:elb/loadBalancer:LoadBalancer, `));
        assert.match(hops, /1 aws:apigateway\/domainName:DomainName, 1 aws:apigatewayv2\/domainName:DomainName$/);
        assert.match(rest, /^ {2}the rest: 4 aws:ec2\/securityGroup:SecurityGroup, 4 aws:lb\/listener:Listener, /);
        assert.doesNotMatch(rest, /kubernetes:|aws:elb\//);
    });
});

/** One tier with a fault on each resource of the group's families, and a forward to another stack's target group. */
function brokenTier(): ResourceInput[] {
    const copy = syntheticStack(TIER).map((r) => ({ ...r, props: JSON.parse(JSON.stringify(r.props)) }));
    const of = (type: string) => copy.find((r) => r.type === type)!.props;
    of(HOP_TOKENS.classicLoadBalancer[0]).listeners[0].lbProtocol = "HTTP";
    of(HOP_TOKENS.classicSslNegotiationPolicy[0]).attributes[0].value = "ELBSecurityPolicy-2016-08";
    of(HOP_TOKENS.cloudfrontDistribution[0]).defaultCacheBehavior.viewerProtocolPolicy = "allow-all";
    of(HOP_TOKENS.apiGatewayDomainName[0]).securityPolicy = "TLS_1_0";
    of(HOP_TOKENS.k8sIngress[0]).metadata.annotations[`${ALB}backend-protocol`] = "HTTP";
    of(HOP_TOKENS.k8sService[0]).metadata.annotations[`${SVC}backend-protocol`] = "tcp";
    of(TOKENS.launchTemplate).userData = adversarialInputs().find((i) => i.name === "deep base64")!.value;
    const rule = copy.find((r) => r.type === "aws:lb/listenerRule:ListenerRule")!;
    rule.props.actions[0].targetGroupArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/other-stack/1";
    const tg = rule.propertyDependencies!.actions[0];
    rule.propertyDependencies = { ...rule.propertyDependencies, actions: [] };
    rule.dependencies = rule.dependencies!.filter((u) => u !== tg);
    return copy;
}

async function policiesReporting(pack: PackHandle, resources: ResourceInput[]): Promise<Set<string>> {
    const names = new Set<string>();
    for (const r of resources) for (const d of (await pack.analyze(r)).diagnostics) names.add(d.policyName);
    for (const d of (await pack.analyzeStack(resources)).diagnostics) names.add(d.policyName);
    return names;
}

describe("benchmark: the stack over the analyzer protocol", function () {
    this.timeout(120_000);
    let full: PackHandle;
    let without: PackHandle;
    before(async () => {
        full = await startPack();
        without = await startPack({ build: false, policyConfig: disabledConfig(modulesNamed(ISSUE_10_MODULES)) });
    });
    after(async () => Promise.all([full?.close(), without?.close()]));

    it("passes the whole pack: no finding on a tier, in Analyze or AnalyzeStack", async () => {
        assert.deepEqual([...await policiesReporting(full, syntheticStack(TIER))], []);
    });

    it("has a floor pack of as many resource and stack policies as the pack, which finds nothing and keeps one decode per request", async () => {
        const dir = writeFloorPack();
        const floor = await startPack({ packDir: dir, build: false });
        try {
            const kinds = async (p: PackHandle) => (await p.getAnalyzerInfo()).policies.map((x) => x.policyType).sort();
            assert.deepEqual(await kinds(floor), await kinds(full));
            assert.deepEqual([...await policiesReporting(floor, syntheticStack(TIER))], []);
            assert.match(fs.readFileSync(path.join(dir, "index.js"), "utf8"), /decode-once"\)\.decodeOncePerRequest\(\);/);
        } finally {
            await floor.close();
            removePack(dir);
        }
    });

    it("is read by the group's rules: a fault on each family is reported by its rule, and by no rule of the group once the group is disabled", async () => {
        const broken = brokenTier();
        const group = new Set(groupNames());
        const reported = [...await policiesReporting(full, broken)].filter((n) => group.has(n)).sort();
        assert.deepEqual(reported, [
            "alb-forward-target-group-in-stack", "apigateway-domain-tls12", "classic-elb-listener-tls", "classic-elb-ssl-negotiation-policy",
            "cloudfront-viewer-https-only", "k8s-alb-ingress-backend-https", "k8s-service-load-balancer-backend-tls", "key-material-inspection-complete",
        ]);
        assert.deepEqual([...await policiesReporting(without, broken)].filter((n) => group.has(n)), []);
    });
});

describe("benchmark: rounds", () => {
    it("rotates which pack goes first, so each of the five leads once every five rounds", () => {
        assert.deepEqual([...VARIANTS], ["full", "without", "perPolicy", "floor", "trivial"]);
        assert.deepEqual([0, 1, 2, 3, 4].map((i) => roundOrder(i)[0]), [...VARIANTS]);
        for (let i = 0; i < 10; i++) assert.deepEqual([...roundOrder(i)].sort(), [...VARIANTS].sort());
    });

    it("takes the median of per-round ratios and differences, not the ratio of medians", () => {
        assert.equal(median([3, 1, 2]), 2);
        assert.equal(median([4, 1, 3, 2]), 2.5);
        // A slow round slows both packs alike: its paired ratio stays 2.
        assert.equal(pairedMedian([2, 20, 4], [1, 10, 2], (x, y) => x / y), 2);
        assert.equal(pairedMedian([3, 30, 5], [1, 10, 2], (x, y) => x - y), 3);
    });
});
