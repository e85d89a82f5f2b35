import * as assert from "assert";
import { LB_TOKENS, TOKENS } from "../../policies/shared/tokens";
import { ProgramRun, RecordedResource } from "../../offline/engine/recorded";
import { privateImageOverrides, runProgram } from "../../offline/engine/run-program";
import { assertWaitsFor, byOutput, COMPUTES, computeConfig, ofType, one, run, STACKS, strings } from "./support";

/**
 * The engine creates a resource as soon as what it depends on exists, so what AWS needs first must
 * be in the resource's dependency graph. These tests read that graph as the program records it.
 */

const GROUP_RULE_TYPES = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"];
const ROLE_GRANT_TYPES = ["aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"];
const SSM_PARAMETER = "aws:ssm/getParameter:getParameter";
const PINNED_AMI = "ami-0123456789abcdef0";

const ofTypes = (r: ProgramRun, types: readonly string[]) => r.resources.filter(x => types.includes(x.type));

/** The ASG or ECS service, with what it is configured with. */
function compute(r: ProgramRun) {
    const asg = ofType(r, TOKENS.autoscalingGroup)[0];
    if (asg) {
        const template = byOutput(r, "id", asg.inputs.launchTemplate.id)!;
        const profile = ofType(r, "aws:iam/instanceProfile:InstanceProfile").find(p => p.outputs.name === template.inputs.iamInstanceProfile.name)!;
        return {
            resource: asg,
            targetGroupArns: asg.inputs.targetGroupArns as string[],
            subnetIds: asg.inputs.vpcZoneIdentifiers as string[],
            securityGroupIds: template.inputs.networkInterfaces.flatMap((n: any) => n.securityGroups) as string[],
            roleNames: [profile.inputs.role as string],
            roleGrants: [profile],
            readsAtBoot: strings(template.inputs.userData).join("\n"),
        };
    }
    const service = one(r, TOKENS.ecsService);
    const task = byOutput(r, "arn", service.inputs.taskDefinition)!;
    const roleNames = [task.inputs.executionRoleArn, task.inputs.taskRoleArn].map(arn => byOutput(r, "arn", arn)!.outputs.name as string);
    return {
        resource: service,
        targetGroupArns: service.inputs.loadBalancers.map((l: any) => l.targetGroupArn) as string[],
        subnetIds: service.inputs.networkConfiguration.subnets as string[],
        securityGroupIds: service.inputs.networkConfiguration.securityGroups as string[],
        roleNames,
        roleGrants: [] as RecordedResource[],
        readsAtBoot: task.inputs.containerDefinitions as string,
    };
}

const VARIANTS: [stack: string, config: Record<string, string>][] = [
    ...STACKS.flatMap(stack => COMPUTES.map(c => [stack, computeConfig(stack, c)] as [string, Record<string, string>])),
    ["dev", { "e2e-tls:compute": "asg", "e2e-tls:natGateways": "single" }],
    // ECS without NAT: the account's private images over the interface endpoints.
    ["dev", { "e2e-tls:compute": "ecs", ...privateImageOverrides("dev") }],
];

for (const [stack, config] of VARIANTS) {
    const label = Object.entries(config).map(([k, v]) => `${k.replace("e2e-tls:", "")} ${v}`).join(", ");
    describe(`the ${stack} stack with ${label}: what the compute waits for`, () => {
        const program = () => run(stack, config);

        it("starts the compute only after the listener that forwards to its target group", async () => {
            const r = await program();
            const c = compute(r);
            const forwards = (actions: any[] = []) => actions.some(a => a.type === "forward" && c.targetGroupArns.includes(a.targetGroupArn));
            const forwarders = [
                ...ofTypes(r, LB_TOKENS.listener).filter(l => forwards(l.inputs.defaultActions)),
                ...ofTypes(r, LB_TOKENS.listenerRule).filter(l => forwards(l.inputs.actions)),
            ];
            assertWaitsFor(r, c.resource, forwarders, "listeners and rules forwarding to its target group");
        });

        it("starts the compute only after every policy and attachment of its roles", async () => {
            const r = await program();
            const c = compute(r);
            const grants = ofTypes(r, ROLE_GRANT_TYPES).filter(p => c.roleNames.includes(p.inputs.role));
            assert.ok(grants.some(g => g.name.includes("read-backend-secret")), "the secret-read policy is not among the role's grants");
            assertWaitsFor(r, c.resource, [...grants, ...c.roleGrants], "role policies and attachments");
        });

        it("starts the compute only after its security group's ingress and egress rules and the load balancer's egress to it", async () => {
            const r = await program();
            const c = compute(r);
            const rules = ofTypes(r, GROUP_RULE_TYPES).filter(rule =>
                c.securityGroupIds.includes(rule.inputs.securityGroupId) || c.securityGroupIds.includes(rule.inputs.referencedSecurityGroupId));
            assert.ok(rules.some(x => x.type.endsWith("EgressRule") && c.securityGroupIds.includes(x.inputs.securityGroupId)), "the tier group has no egress rule");
            assertWaitsFor(r, c.resource, rules, "security group rules");
        });

        it("starts the compute only after its subnets' route tables and associations and the VPC endpoints", async () => {
            const r = await program();
            const c = compute(r);
            const associations = ofType(r, "aws:ec2/routeTableAssociation:RouteTableAssociation").filter(a => c.subnetIds.includes(a.inputs.subnetId));
            assert.strictEqual(associations.length, c.subnetIds.length, "not every subnet of the compute has a route table association");
            const tables = associations.map(a => byOutput(r, "id", a.inputs.routeTableId)!);
            const endpoints = ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint");
            assertWaitsFor(r, c.resource, [...associations, ...tables, ...endpoints], "routes and VPC endpoints");
            if (config["e2e-tls:natGateways"] !== undefined) {
                assertWaitsFor(r, c.resource, ofType(r, "aws:ec2/natGateway:NatGateway"), "NAT gateways");
            }
        });

        it("starts the compute only after the value of every secret it reads at boot", async () => {
            const r = await program();
            const c = compute(r);
            const versions = ofType(r, TOKENS.secretsManagerSecretVersion).filter(v =>
                c.readsAtBoot.includes(byOutput(r, "id", v.inputs.secretId)!.outputs.arn));
            assertWaitsFor(r, c.resource, versions, "secret values");
        });

        const pullsThroughCache = config["e2e-tls:compute"] === "ecs" && !("e2e-tls:terminatorImage" in config);
        if (pullsThroughCache) {
            it("starts the service only after the ECR pull-through cache rules and repositories it pulls through", async () => {
                const r = await program();
                const sources = ofTypes(r, ["aws:ecr/pullThroughCacheRule:PullThroughCacheRule", "aws:ecr/repository:Repository"]);
                const pullPolicies = ofType(r, "aws:iam/rolePolicy:RolePolicy").filter(p => /ecr:/.test(p.inputs.policy));
                assertWaitsFor(r, compute(r).resource, [...sources, ...pullPolicies], "image sources");
            });
        }
        if (config["e2e-tls:compute"] === "ecs") {

            it("fails the deploy unless the service reaches a steady state", async () => {
                const service = one(await program(), TOKENS.ecsService);
                assert.strictEqual(service.inputs.waitForSteadyState, true, "waitForSteadyState is not set: a service stopped at 0 tasks would report success");
            });
        }
    });
}

describe("the trust store and bucket versioning", () => {
    for (const config of [{}, { "e2e-tls:revokedSerials": '["0A1B"]' }] as Record<string, string>[]) {
        const label = Object.keys(config).length === 0 ? "" : " with a revocation list";
        it(`writes the CA bundle${label} and creates the trust store only after versioning is enabled on the bucket`, async () => {
            const r = await run("dev", config);
            const store = one(r, "aws:lb/trustStore:TrustStore");
            const versioning = ofType(r, "aws:s3/bucketVersioning:BucketVersioning").filter(v => byOutput(r, "id", v.inputs.bucket)?.outputs.bucket === store.inputs.caCertificatesBundleS3Bucket);
            assert.strictEqual(versioning.length, 1, "the trust-store bucket has no BucketVersioning");
            const objects = ofType(r, "aws:s3/bucketObjectv2:BucketObjectv2").filter(o => o.inputs.bucket === store.inputs.caCertificatesBundleS3Bucket);
            const revocations = ofType(r, "aws:lb/trustStoreRevocation:TrustStoreRevocation");
            assert.strictEqual(objects.length, 1 + revocations.length);
            for (const reader of [...objects, store, ...revocations]) {
                assertWaitsFor(r, reader, versioning, "bucket versioning");
            }
        });
    }
});

describe("the AMI of the asg tier", () => {
    it("takes the latest Amazon Linux 2023 AMI once and then holds it: the launch template ignores imageId changes", async () => {
        const r = await run("dev", { "e2e-tls:compute": "asg" });
        const template = one(r, TOKENS.launchTemplate);
        const lookup = r.invokes.filter(i => i.token === SSM_PARAMETER);
        assert.deepStrictEqual(lookup.map(i => i.inputs.name), ["/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"]);
        assert.match(template.inputs.imageId, /^ami-/);
        assert.deepStrictEqual(template.options?.ignoreChanges, ["imageId"], "a new AL2023 release would change the launch template and start an instance refresh");
    });

    it("launches the pinned amiId without an SSM look-up, and a change of it is an ordinary update", async () => {
        const r = await run("dev", { "e2e-tls:compute": "asg", "e2e-tls:amiId": PINNED_AMI });
        const template = one(r, TOKENS.launchTemplate);
        assert.strictEqual(template.inputs.imageId, PINNED_AMI);
        assert.deepStrictEqual(template.options?.ignoreChanges, [], "a pinned AMI must roll out when it is bumped");
        assert.deepStrictEqual(r.invokes.filter(i => i.token === SSM_PARAMETER), []);
    });

    it("keeps one held AMI per architecture: another architecture is another launch template", async () => {
        const arm = one(await run("dev", { "e2e-tls:compute": "asg" }), TOKENS.launchTemplate);
        const x86 = one(await run("dev", { "e2e-tls:compute": "asg", "e2e-tls:instanceType": "t3.micro" }), TOKENS.launchTemplate);
        assert.notStrictEqual(arm.name, x86.name, "an x86 instance type would keep the held arm64 AMI");
    });

    for (const bad of ["ami-123", "ami-0123456789ABCDEF0", "0123456789abcdef0", "ami-0123456789abcdef01"]) {
        it(`refuses e2e-tls:amiId = ${bad} before registering any resource`, async () => {
            const err: any = await runProgram({ stack: "dev", config: { "e2e-tls:amiId": bad } }).then(
                () => assert.fail("the program accepted it"), e => e);
            assert.strictEqual(err.name, "ConfigError", err.stack);
            assert.ok(err.message.startsWith(`e2e-tls:amiId is ${JSON.stringify(bad)}.`), err.message);
            assert.match(err.message, /Use an AMI ID such as "ami-0123456789abcdef0"/);
            assert.deepStrictEqual(err.registered.filter((x: any) => x.type !== "pulumi:pulumi:Stack").map((x: any) => x.type), []);
        });
    }
});
