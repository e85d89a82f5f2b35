/**
 * The one resolver of references (policies/shared/resolver.ts) answers with the precedence it
 * documents, and the pack's stack rules, the offline preview and the PKI emission all ask it.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { identities, ReferenceIndex, ResourceRecord } from "../../policies/shared/resolver";
import { ResourceGraph } from "../../offline/report/graph";
import { UNKNOWN } from "./fixtures";

const TG = "aws:lb/targetGroup:TargetGroup";
const LISTENER = "aws:lb/listener:Listener";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const ASG = "aws:autoscaling/group:Group";
const ROLE = "aws:iam/role:Role";

const urn = (type: string, name: string) => `urn:pulumi:test::e2e-tls::${type}::${name}`;
function rec(type: string, name: string, props: Record<string, any>, propertyDependencies: Record<string, string[]> = {}): ResourceRecord {
    return { type, name, urn: urn(type, name), props, propertyDependencies };
}

const blue = rec(TG, "blue", { arn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/blue/1", id: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/blue/1", name: "blue" });
const green = rec(TG, "green", { arn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/green/2", name: "green" });
const sg = rec(SG, "tier", { arn: "arn:aws:ec2:us-east-1:1:security-group/sg-0tier", id: "sg-0tier", name: "tier" });
const lt = rec(LT, "tier", { id: "lt-0abc", name: "tier-lt" });
const role = rec(ROLE, "tier", { arn: "arn:aws:iam::1:role/tier", name: "tier-role" });
const anyNode = () => true;

describe("the reference resolver", () => {
    it("names a resource by its ARN, its id, an EC2 ARN's resource id, and by name only for the types quoted by name", () => {
        assert.deepStrictEqual(identities(sg), ["arn:aws:ec2:us-east-1:1:security-group/sg-0tier", "sg-0tier", "tier"], "security groups are quoted by name");
        assert.deepStrictEqual(identities(rec(SG, "x", { arn: "arn:aws:ec2:us-east-1:1:security-group/sg-0x" })), ["arn:aws:ec2:us-east-1:1:security-group/sg-0x", "sg-0x"]);
        assert.deepStrictEqual(identities(lt), ["lt-0abc", "tier-lt"], "launch templates are quoted by name");
        assert.deepStrictEqual(identities(role), ["arn:aws:iam::1:role/tier"], "a role's name is not an identity");
        assert.deepStrictEqual(identities(rec(TG, "x", { arn: UNKNOWN, id: "" })), [], "unknown and empty values identify nothing");
    });

    it("names an instance by its primary network interface and private IP, and a network interface by its private IPs", () => {
        const instance = rec("aws:ec2/instance:Instance", "web", { id: "i-0web", primaryNetworkInterfaceId: "eni-0primary", privateIp: "10.0.1.5" });
        const eni = rec("aws:ec2/networkInterface:NetworkInterface", "extra", { id: "eni-0extra", privateIp: "10.0.1.6", privateIps: ["10.0.1.6", "10.0.1.7"] });
        assert.deepStrictEqual(identities(instance), ["i-0web", "eni-0primary", "10.0.1.5"]);
        assert.deepStrictEqual(identities(eni), ["eni-0extra", "10.0.1.6", "10.0.1.7"]);
        const attachment = rec("aws:ec2/networkInterfaceSecurityGroupAttachment:NetworkInterfaceSecurityGroupAttachment", "a", {});
        assert.deepStrictEqual(new ReferenceIndex([instance, eni, attachment]).resolve(attachment, "networkInterfaceId", "eni-0primary", anyNode).nodes, [instance]);
    });

    it("prefers a known value over the property's dependencies, so one item of a list names one resource", () => {
        const listener = rec(LISTENER, "web", {}, { defaultActions: [blue.urn, green.urn] });
        const index = new ReferenceIndex([blue, green, listener]);
        const ref = index.resolve(listener, "defaultActions", green.props.arn, anyNode);
        assert.deepStrictEqual(ref.nodes.map((n) => n.name), ["green"]);
        assert.strictEqual(ref.known, true);
    });

    it("falls back to the property's dependencies for an unknown value, filtered by the accepted types", () => {
        const listener = rec(LISTENER, "web", {}, { defaultActions: [blue.urn, sg.urn] });
        const index = new ReferenceIndex([blue, sg, listener]);
        const ref = index.resolve(listener, "defaultActions", UNKNOWN, (n) => n.type === TG);
        assert.deepStrictEqual(ref.nodes.map((n) => n.name), ["blue"]);
        assert.strictEqual(ref.known, false);
    });

    it("falls back to dependencies for a known value no resource carries, and says it was known", () => {
        const listener = rec(LISTENER, "web", {}, { defaultActions: [blue.urn] });
        const index = new ReferenceIndex([blue, listener]);
        const linked = index.resolve(listener, "defaultActions", "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/other/9", anyNode);
        assert.deepStrictEqual(linked.nodes.map((n) => n.name), ["blue"]);
        const outside = index.resolve(rec(LISTENER, "bare", {}), "defaultActions", "arn:elsewhere", anyNode);
        assert.deepStrictEqual(outside, { nodes: [], value: "arn:elsewhere", known: true });
    });

    it("skips value matches of types the caller does not accept and then asks the dependencies", () => {
        const twin = rec(ASG, "tier", { id: "lt-0abc" });
        const asg = rec(ASG, "web", {}, { launchTemplate: [lt.urn] });
        const index = new ReferenceIndex([twin, lt, asg]);
        assert.deepStrictEqual(index.resolve(asg, "launchTemplate", "lt-0abc", (n) => n.type === LT).nodes.map((n) => n.type), [LT]);
        assert.deepStrictEqual(index.resolve(asg, "launchTemplate", "tier-lt", (n) => n.type === LT).nodes, [lt], "by name");
    });

    it("resolves each item of a list, and a whole-list unknown through the dependencies", () => {
        const svc = rec("aws:ecs/service:Service", "web", {}, { securityGroups: [sg.urn] });
        const index = new ReferenceIndex([sg, svc]);
        assert.deepStrictEqual(index.resolveAll(svc, "securityGroups", ["sg-0tier", "sg-0gone"], anyNode).map((r) => r.nodes.map((n) => n.name)), [["tier"], ["tier"]]);
        assert.deepStrictEqual(index.resolveAll(svc, "securityGroups", UNKNOWN, anyNode).map((r) => r.nodes.map((n) => n.name)), [["tier"]]);
        assert.deepStrictEqual(index.resolveAll(svc, "securityGroups", undefined, anyNode), []);
    });

    it("gives the offline preview's graph the pack's answer: a value an input names before the property's dependencies", () => {
        const like = (r: ResourceRecord, inputs: Record<string, any>) =>
            ({ type: r.type, name: r.name, urn: r.urn, inputs, outputs: r.props, propertyDependencies: { ...r.propertyDependencies } as Record<string, string[]> });
        const listener = like(rec(LISTENER, "web", {}, { defaultActions: [blue.urn, green.urn] }), { defaultActions: [{ type: "forward", targetGroupArn: green.props.arn }] });
        const graph = new ResourceGraph([like(blue, {}), like(green, {}), listener]);
        // The graph's own resolver answered from the dependencies first, and named both target groups.
        assert.deepStrictEqual(graph.refs(listener, "defaultActions", TG).map((r) => r.name), ["green"]);
        const unnamed = like(rec(LISTENER, "preview", {}, { defaultActions: [blue.urn] }), { defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
        assert.deepStrictEqual(new ResourceGraph([like(blue, {}), unnamed]).refs(unnamed, "defaultActions", TG).map((r) => r.name), ["blue"]);
    });

    it("is the only resolver: the stack index, the preview's graph and the PKI emission import it", () => {
        const root = path.resolve(__dirname, "..", "..");
        for (const file of ["policies/framework/stack-index.ts", "offline/report/graph.ts", "offline/loopback/pki.ts"]) {
            assert.match(fs.readFileSync(path.join(root, file), "utf8"), /from "(\.\.?\/)+(policies\/)?shared\/resolver"/, `${file} does not use policies/shared/resolver.ts`);
        }
    });

    it("keeps the shared resolver free of the policy SDK, so the offline tools can use it", () => {
        const text = fs.readFileSync(path.resolve(__dirname, "..", "..", "policies", "shared", "resolver.ts"), "utf8");
        assert.doesNotMatch(text, /@pulumi\//);
    });
});
