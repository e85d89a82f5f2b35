import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { COMPUTE_MODES, CONFIG_KEYS } from "../../config/index";
import { PRICES } from "../../offline/report/cost";
import { assertBootsAl2023, COMPUTES, ofType, one, PRIVATE_KEY, run, strings } from "./support";
import { decodeUserData } from "../../components/compute/backend/user-data";

/** What each backend tier runs and how it gets its certificate: EC2 instances, then ECS tasks. */
describe("the EC2 tier", () => {
    const program = () => run("dev", { "e2e-tls:compute": "asg" });

    it("requires IMDSv2 with hop limit 1, encrypts the root volume and gives instances no public IP", async () => {
        const lt = one(await program(), "aws:ec2/launchTemplate:LaunchTemplate");
        assert.strictEqual(lt.inputs.metadataOptions.httpTokens, "required");
        assert.strictEqual(lt.inputs.metadataOptions.httpPutResponseHopLimit, 1);
        assert.strictEqual(lt.inputs.networkInterfaces[0].associatePublicIpAddress, "false");
        assert.strictEqual(lt.inputs.blockDeviceMappings[0].ebs.encrypted, "true");
    });

    it("boots the current Amazon Linux 2023 arm64 AMI for its Graviton type (t4g.small): the image the arm64 look-up answered", async () => {
        const r = await program();
        assert.strictEqual(one(r, "aws:ec2/launchTemplate:LaunchTemplate").inputs.instanceType, "t4g.small");
        await assertBootsAl2023(r, "arm64");
    });

    it("runs dev, and any stack by default, on 2 GiB: dnf at boot beside the SSM agent is killed for memory on a 0.5 GiB nano (amazon-linux-2023#404)", async () => {
        assert.strictEqual(CONFIG_KEYS.instanceType.default, "t4g.small");
        const devFile = yaml.load(fs.readFileSync(path.join(__dirname, "../../Pulumi.dev.yaml"), "utf8")) as any;
        assert.strictEqual(devFile.config["e2e-tls:instanceType"], "t4g.small");
        assert.strictEqual(PRICES.ec2Hour["t4g.small"], 0.0168, "the cost model prices it");
    });

    it("boots the x86_64 AMI for an Intel type (t3.micro)", async () => {
        await assertBootsAl2023(await run("dev", { "e2e-tls:compute": "asg", "e2e-tls:instanceType": "t3.micro" }), "x86_64");
    });

    it("fetches the certificate at boot by secret ARN, runs nginx on the backend port and a refresh timer", async () => {
        const r = await program();
        const lt = one(r, "aws:ec2/launchTemplate:LaunchTemplate");
        const userData = decodeUserData(lt.inputs.userData);
        assert.ok(userData.includes(`SECRET_ID=${r.outputs.backendSecretArn}`));
        assert.match(userData, /listen 8443 ssl;/);
        assert.match(userData, /ssl_protocols TLSv1.2 TLSv1.3;/);
        assert.match(userData, /proxy_pass http:\/\/127\.0\.0\.1:8080;/);
        assert.match(userData, /OnUnitActiveSec=5min/);
        assert.doesNotMatch(userData, PRIVATE_KEY);
    });

    it("health-checks through the load balancer and rolls launch-template changes with an instance refresh", async () => {
        const r = await program();
        const asg = one(r, "aws:autoscaling/group:Group");
        assert.strictEqual(asg.inputs.healthCheckType, "ELB");
        assert.deepStrictEqual(asg.inputs.targetGroupArns, [one(r, "aws:lb/targetGroup:TargetGroup").outputs.arn]);
        assert.strictEqual(asg.inputs.instanceRefresh.strategy, "Rolling");
        assert.deepStrictEqual([asg.inputs.minSize, asg.inputs.desiredCapacity, asg.inputs.maxSize], [1, 1, 2]);
    });
});

describe("the ECS tier", () => {
    const program = () => run("prod");

    it("hands the certificate to the terminator through version-pinned task secrets, never environment", async () => {
        const r = await program();
        const task = one(r, "aws:ecs/taskDefinition:TaskDefinition");
        const containers = JSON.parse(task.inputs.containerDefinitions);
        const tls = containers.find((c: any) => c.name === "tls");
        const secretArn = r.outputs.backendSecretArn;
        const version = ofType(r, "aws:secretsmanager/secretVersion:SecretVersion").find(v => v.inputs.secretId === secretArn)!;
        assert.deepStrictEqual(tls.secrets.map((s: any) => s.valueFrom), ["certificate", "chain", "privateKey"]
            .map(f => `${secretArn}:${f}::${version.outputs.versionId}`));
        for (const c of containers) {
            for (const s of strings(c.environment ?? [])) assert.doesNotMatch(s, PRIVATE_KEY);
        }
        assert.strictEqual(task.inputs.executionRoleArn, one(r, "aws:iam/role:Role", "web-execution").outputs.arn);
    });

    it("deploys with 100% minimum healthy and the circuit breaker, behind the HTTPS target group", async () => {
        const r = await program();
        const service = one(r, "aws:ecs/service:Service");
        assert.strictEqual(service.inputs.deploymentMinimumHealthyPercent, 100);
        assert.deepStrictEqual(service.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.strictEqual(service.inputs.networkConfiguration.assignPublicIp, false);
        assert.deepStrictEqual(service.inputs.loadBalancers, [{
            targetGroupArn: one(r, "aws:lb/targetGroup:TargetGroup").outputs.arn, containerName: "tls", containerPort: 8443,
        }]);
    });

    it("pulls ECR Public images over a NAT gateway per AZ, through the pull-through cache, into repositories the stack owns and destroys", async () => {
        const r = await program();
        const rule = one(r, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule");
        const repos = ofType(r, "aws:ecr/repository:Repository");
        assert.deepStrictEqual(repos.map(x => x.inputs.name).sort(),
            ["docker/library/python", "nginx/nginx"].map(p => `${rule.inputs.ecrRepositoryPrefix}/${p}`));
        for (const repo of repos) {
            assert.strictEqual(repo.inputs.forceDelete, true, `${repo.name}: destroy must delete the cached images`);
            assert.strictEqual(repo.inputs.imageTagMutability, "MUTABLE", `${repo.name}: ECR refreshes cached tags`);
            assert.ok(repo.dependencies.includes(rule.urn), `${repo.name} waits for the cache rule`);
        }
        const task = one(r, "aws:ecs/taskDefinition:TaskDefinition");
        const images = JSON.parse(task.inputs.containerDefinitions).map((c: any) => c.image).sort();
        assert.deepStrictEqual(images, [
            `${repos.find(x => x.inputs.name.endsWith("/docker/library/python"))!.outputs.repositoryUrl}:3.12-alpine`,
            `${repos.find(x => x.inputs.name.endsWith("/nginx/nginx"))!.outputs.repositoryUrl}:1.27-alpine`,
        ]);
        assert.deepStrictEqual((task.propertyDependencies.containerDefinitions ?? []).filter(u => repos.some(x => x.urn === u)).sort(),
            repos.map(x => x.urn).sort(), "the task definition (and so the service) waits for the repositories");
        const fill = JSON.parse(one(r, "aws:iam/rolePolicy:RolePolicy", "web-pull-through").inputs.policy).Statement;
        assert.deepStrictEqual(fill.map((s: any) => s.Action), ["ecr:BatchImportUpstreamImage"], "the tasks create no repository of their own");
        assert.deepStrictEqual([...fill[0].Resource].sort(), repos.map(x => x.outputs.arn).sort());
        assert.strictEqual(ofType(r, "aws:ec2/natGateway:NatGateway").length, 3);
        const endpoints = ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint").map(e => e.inputs.serviceName.split(".").slice(3).join("."));
        assert.deepStrictEqual(endpoints, ["s3"]);
    });

    it("without NAT runs the account's private ECR images of the stack's region directly, with no pull-through cache", async () => {
        const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
        const r = await run("dev", {
            "e2e-tls:compute": "ecs",
            "e2e-tls:terminatorImage": `${registry}/mirror/nginx:1.27-alpine`,
            "e2e-tls:appImage": `${registry}/mirror/python@sha256:${"ab".repeat(32)}`,
        });
        assert.strictEqual(ofType(r, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule").length, 0);
        assert.strictEqual(ofType(r, "aws:ecr/repository:Repository").length, 0);
        assert.strictEqual(ofType(r, "aws:ec2/natGateway:NatGateway").length, 0);
        const images = JSON.parse(one(r, "aws:ecs/taskDefinition:TaskDefinition").inputs.containerDefinitions).map((c: any) => c.image);
        assert.deepStrictEqual(images, [`${registry}/mirror/nginx:1.27-alpine`, `${registry}/mirror/python@sha256:${"ab".repeat(32)}`]);
        const endpoints = ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint").map(e => e.inputs.serviceName.split(".").slice(3).join("."));
        assert.deepStrictEqual(endpoints.sort(), ["ecr.api", "ecr.dkr", "logs", "s3", "secretsmanager"]);
    });
});

describe("the compute mode, decided once (config/compute-modes.ts)", () => {
    const registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    for (const compute of COMPUTES) {
        it(`gives ${compute} the target type, reader principal and NAT-less endpoints of its COMPUTE_MODES entry`, async () => {
            const mode = COMPUTE_MODES[compute];
            const r = await run("dev", {
                "e2e-tls:compute": compute,
                ...(mode.pullsImages ? { "e2e-tls:terminatorImage": `${registry}/nginx:1`, "e2e-tls:appImage": `${registry}/app:1` } : {}),
            });
            assert.strictEqual(one(r, "aws:lb/targetGroup:TargetGroup").inputs.targetType, mode.targetType);
            const grant = one(r, "aws:iam/rolePolicy:RolePolicy", "web-read-backend-secret");
            const reader = ofType(r, "aws:iam/role:Role").find(x => x.outputs.name === grant.inputs.role)!;
            assert.deepStrictEqual(JSON.parse(reader.inputs.assumeRolePolicy).Statement.map((s: any) => s.Principal.Service), [mode.principal]);
            assert.strictEqual(ofType(r, "aws:iam/instanceProfile:InstanceProfile").length, mode.reader === "instance-role" ? 1 : 0);
            const endpoints = ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(e => e.inputs.vpcEndpointType === "Interface")
                .map(e => e.inputs.serviceName.split(".").slice(3).join("."));
            assert.deepStrictEqual(endpoints.sort(), [...mode.interfaceEndpoints].sort());
        });
    }
});
