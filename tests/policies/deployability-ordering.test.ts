import * as assert from "assert";
import { arn, assertViolation, FAMILIES, of, token, UNKNOWN, usePack } from "./fixtures";
import { asPreview, find, StackResource, toResources } from "./fixtures-stack";
import { RULES } from "./names";

const { LISTENER, BOOT, VERSIONING } = RULES["deploy-ordering"];

const TG_ARN = arn("elasticloadbalancing", "targetgroup/web-tg/abcdef1234567890");
const LB_ARN = arn("elasticloadbalancing", "loadbalancer/app/web/1234567890abcdef");
const SECRET_ARN = arn("secretsmanager", "secret:web-backend-a1b2c3");

/** A Fargate service behind an HTTPS listener, with its role, egress, routes and secret, waiting for all of it. */
function ecsStack(family: "lb" | "alb" = "lb"): StackResource[] {
    return [
        { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { id: "vpc-1", cidrBlock: "10.0.0.0/16" } },
        { type: "aws:ec2/subnet:Subnet", name: "private-1", props: { id: "subnet-1", vpcId: "vpc-1", cidrBlock: "10.0.1.0/24", availabilityZone: "us-east-1a" }, deps: { vpcId: ["vpc"] } },
        { type: "aws:ec2/routeTable:RouteTable", name: "private-rt", props: { id: "rtb-1", vpcId: "vpc-1", routes: [] }, deps: { vpcId: ["vpc"] } },
        { type: "aws:ec2/routeTableAssociation:RouteTableAssociation", name: "private-1-rt", props: { id: "rtbassoc-1", subnetId: "subnet-1", routeTableId: "rtb-1" }, deps: { subnetId: ["private-1"], routeTableId: ["private-rt"] } },
        { type: "aws:ec2/vpcEndpoint:VpcEndpoint", name: "ep-secrets", props: { id: "vpce-1", vpcId: "vpc-1", vpcEndpointType: "Interface", subnetIds: ["subnet-1"] }, deps: { vpcId: ["vpc"], subnetIds: ["private-1"] } },
        { type: "aws:ec2/securityGroup:SecurityGroup", name: "tier-sg", props: { id: "sg-0tier", vpcId: "vpc-1" }, deps: { vpcId: ["vpc"] } },
        { type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", name: "tier-out", props: { securityGroupId: "sg-0tier", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" }, deps: { securityGroupId: ["tier-sg"] } },
        { type: "aws:iam/role:Role", name: "exec", props: { id: "exec-1", name: "exec-1", arn: "arn:aws:iam::123456789012:role/exec-1" } },
        { type: "aws:iam/rolePolicy:RolePolicy", name: "exec-read", props: { role: "exec-1", policy: "{}" }, deps: { role: ["exec"] } },
        { type: "aws:secretsmanager/secret:Secret", name: "backend", props: { id: SECRET_ARN, arn: SECRET_ARN } },
        { type: "aws:secretsmanager/secretVersion:SecretVersion", name: "backend-v", props: { secretId: SECRET_ARN, arn: SECRET_ARN }, deps: { secretId: ["backend"] } },
        {
            type: "aws:ecs/taskDefinition:TaskDefinition", name: "task",
            props: { arn: arn("ecs", "task-definition/web:1"), executionRoleArn: "arn:aws:iam::123456789012:role/exec-1", containerDefinitions: JSON.stringify([{ name: "tls", image: "nginx", secrets: [{ name: "CERT", valueFrom: `${SECRET_ARN}:certificate::` }] }]) },
            deps: { executionRoleArn: ["exec"], containerDefinitions: ["backend"] },
        },
        { type: token(family, "loadBalancer"), name: "web-alb", props: { arn: LB_ARN, id: LB_ARN, loadBalancerType: "application" } },
        { type: token(family, "targetGroup"), name: "web-tg", props: { arn: TG_ARN, id: TG_ARN, port: 8443, protocol: "HTTPS", targetType: "ip" } },
        {
            type: token(family, "listener"), name: "web-https",
            props: { arn: arn("elasticloadbalancing", "listener/app/web/1/2"), loadBalancerArn: LB_ARN, protocol: "HTTPS", defaultActions: [{ type: "forward", targetGroupArn: TG_ARN }] },
            deps: { loadBalancerArn: ["web-alb"], defaultActions: ["web-tg"] },
        },
        {
            type: "aws:ecs/service:Service", name: "svc",
            props: { launchType: "FARGATE", taskDefinition: arn("ecs", "task-definition/web:1"), loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "tls", containerPort: 8443 }], networkConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-0tier"] } },
            deps: { taskDefinition: ["task"], loadBalancers: ["web-tg"], networkConfiguration: ["private-1", "tier-sg"] },
            dependsOn: ["web-https", "exec-read", "tier-out", "private-1-rt", "ep-secrets", "backend-v"],
        },
    ];
}

/** The stack without `name` in the service's dependsOn. */
function without(stack: StackResource[], name: string): StackResource[] {
    const svc = find(stack, "svc");
    svc.dependsOn = svc.dependsOn!.filter((n) => n !== name);
    return stack;
}

describe("deployability: ordering rules", () => {
    const pack = usePack({ configure: true });
    const analyze = (stack: StackResource[]) => pack().analyzeStack(toResources(stack));

    describe(LISTENER, () => {
        for (const family of FAMILIES) {
            it(`accepts a service that waits for the listener forwarding to its target group (aws:${family})`, async () => {
                assert.deepStrictEqual(of(await analyze(ecsStack(family)), LISTENER), []);
            });

            it(`advises when the service can start before the listener (aws:${family})`, async () => {
                assertViolation(await analyze(without(ecsStack(family), "web-https")), LISTENER, "advisory",
                    'Service "svc" (aws:ecs/service:Service)', 'TargetGroup "web-tg"', 'Listener "web-https"', "no associated load balancer");
            });
        }

        it("accepts a service that waits for a listener rule forwarding to its target group", async () => {
            const stack = without(ecsStack(), "web-https");
            find(stack, "web-https").props.defaultActions = [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }];
            stack.push({ type: "aws:lb/listenerRule:ListenerRule", name: "api", props: { listenerArn: UNKNOWN, actions: [{ type: "forward", targetGroupArn: TG_ARN }] }, deps: { listenerArn: ["web-https"], actions: ["web-tg"] } });
            find(stack, "svc").dependsOn!.push("api");
            assert.deepStrictEqual(of(await analyze(stack), LISTENER), []);
        });

        it("follows propertyDependencies in preview and reports nothing for a stack that waits", async () => {
            assert.deepStrictEqual(of(await analyze(asPreview(ecsStack())), LISTENER), []);
            assert.strictEqual(of(await analyze(asPreview(without(ecsStack(), "web-https"))), LISTENER).length, 1);
        });
    });

    describe(BOOT, () => {
        it("accepts compute that waits for every boot dependency, in state and in preview", async () => {
            assert.deepStrictEqual(of(await analyze(ecsStack()), BOOT), []);
            assert.deepStrictEqual(of(await analyze(asPreview(ecsStack())), BOOT), []);
        });

        for (const [name, label] of [["exec-read", "the role policies"], ["tier-out", "egress rules"], ["private-1-rt", "route-table associations"], ["ep-secrets", "VPC endpoints"], ["backend-v", "secret versions"]]) {
            it(`lists ${label} the service can start before`, async () => {
                assertViolation(await analyze(without(ecsStack(), name)), BOOT, "advisory", 'Service "svc"', label, `"${name}"`, "dependsOn");
            });
        }

        it("makes one finding per compute resource listing everything missing", async () => {
            const stack = without(without(ecsStack(), "tier-out"), "exec-read");
            assertViolation(await analyze(stack), BOOT, "advisory", 'RolePolicy "exec-read"', 'SecurityGroupEgressRule "tier-out"');
        });

        it("does not ask for VPC endpoints when the subnets have a NAT route", async () => {
            const stack = without(ecsStack(), "ep-secrets");
            find(stack, "private-rt").props.routes = [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }];
            assert.deepStrictEqual(of(await analyze(stack), BOOT), []);
        });

        it("counts an Auto Scaling group's instance-profile role, launch template groups and EC2 secret grants", async () => {
            const stack = ecsStack().filter((r) => r.name !== "svc" && r.name !== "task");
            stack.push(
                { type: "aws:iam/instanceProfile:InstanceProfile", name: "profile", props: { arn: "arn:aws:iam::123456789012:instance-profile/p", role: "exec-1" }, deps: { role: ["exec"] } },
                { type: "aws:iam/rolePolicy:RolePolicy", name: "exec-secret", props: { role: "exec-1", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: SECRET_ARN }] }) }, deps: { role: ["exec"] } },
                { type: "aws:ec2/launchTemplate:LaunchTemplate", name: "lt", props: { id: "lt-1", iamInstanceProfile: { arn: "arn:aws:iam::123456789012:instance-profile/p" }, vpcSecurityGroupIds: ["sg-0tier"] }, deps: { iamInstanceProfile: ["profile"], vpcSecurityGroupIds: ["tier-sg"] } },
                { type: "aws:autoscaling/group:Group", name: "asg", props: { name: "asg-1", launchTemplate: { id: "lt-1" }, vpcZoneIdentifiers: ["subnet-1"] }, deps: { launchTemplate: ["lt"], vpcZoneIdentifiers: ["private-1"] } },
            );
            assertViolation(await analyze(stack), BOOT, "advisory", 'Group "asg"', 'RolePolicy "exec-read"', 'RolePolicy "exec-secret"', 'SecurityGroupEgressRule "tier-out"', 'SecretVersion "backend-v"');
        });

        it("becomes mandatory by config", async () => {
            await pack().configure({ [BOOT]: "mandatory" });
            try {
                assertViolation(await analyze(without(ecsStack(), "tier-out")), BOOT, "mandatory");
            } finally {
                await pack().configure({});
            }
        });
    });

    describe(VERSIONING, () => {
        const trustStack = (waits: boolean, token = "aws:s3/bucketVersioning:BucketVersioning"): StackResource[] => [
            { type: "aws:s3/bucket:Bucket", name: "pki", props: { id: "pki-1", bucket: "pki-1", arn: "arn:aws:s3:::pki-1" } },
            { type: token, name: "pki-versioning", props: { bucket: "pki-1", versioningConfiguration: { status: "Enabled" } }, deps: { bucket: ["pki"] } },
            { type: "aws:s3/bucketObjectv2:BucketObjectv2", name: "bundle", props: { bucket: "pki-1", key: "ca.pem", versionId: "v1" }, deps: { bucket: ["pki"] }, dependsOn: waits ? ["pki-versioning"] : [] },
            {
                type: "aws:lb/trustStore:TrustStore", name: "clients",
                props: { caCertificatesBundleS3Bucket: "pki-1", caCertificatesBundleS3Key: "ca.pem", caCertificatesBundleS3ObjectVersion: "v1" },
                deps: { caCertificatesBundleS3Bucket: ["pki"], caCertificatesBundleS3Key: ["bundle"], caCertificatesBundleS3ObjectVersion: ["bundle"] },
            },
        ];

        for (const t of ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"]) {
            it(`accepts a trust store whose object waits for ${t.split(":").pop()}`, async () => {
                assert.deepStrictEqual(of(await analyze(trustStack(true, t)), VERSIONING), []);
            });

            it(`advises when the object and trust store can be written before ${t.split(":").pop()}`, async () => {
                assertViolation(await analyze(trustStack(false, t)), VERSIONING, "advisory", 'TrustStore "clients"', '"pki-versioning"', 'BucketObjectv2 "bundle"', "caCertificatesBundleS3ObjectVersion");
            });
        }

        it("advises when the bucket has no versioning at all, and skips unpinned reads", async () => {
            const stack = trustStack(true).filter((r) => r.name !== "pki-versioning");
            find(stack, "bundle").dependsOn = [];
            assertViolation(await analyze(stack), VERSIONING, "advisory", "the stack has none");
            delete find(stack, "clients").props.caCertificatesBundleS3ObjectVersion;
            assert.deepStrictEqual(of(await analyze(stack), VERSIONING), []);
        });

        it("checks trust store revocations' pinned CRL versions, and follows dependencies in preview", async () => {
            const stack = trustStack(true);
            stack.push({ type: "aws:s3/bucketObjectv2:BucketObjectv2", name: "crl", props: { bucket: "pki-1", key: "crl.pem" }, deps: { bucket: ["pki"] } });
            stack.push({
                type: "aws:lb/trustStoreRevocation:TrustStoreRevocation", name: "revoked",
                props: { trustStoreArn: UNKNOWN, revocationsS3: [], revocationContents: [{ s3Bucket: "pki-1", s3Key: "crl.pem", s3ObjectVersion: UNKNOWN }] },
                deps: { trustStoreArn: ["clients"], revocationContents: ["pki", "crl"] },
            });
            assertViolation(await analyze(asPreview(stack)), VERSIONING, "advisory", 'TrustStoreRevocation "revoked"', "revocationContents[0].s3ObjectVersion", 'BucketObjectv2 "crl"');
        });
    });
});
