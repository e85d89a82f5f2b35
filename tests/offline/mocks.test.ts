/**
 * The offline mocks refuse what AWS and the provider refuse, and answer look-ups as they would for
 * the stack's Region. Each modelled behaviour is called directly, with the bad input and the
 * closest good one.
 */
import * as assert from "assert";
import { AwsMocks } from "../../offline/engine/mocks";
import { USER_DATA_MAX_BYTES } from "../../offline/engine/mock-limits";
import { ISSUE_TIME_ENV, issueTime } from "../../offline/engine/x509-build";

const AZS = "aws:index/getAvailabilityZones:getAvailabilityZones";
const SERVICE_ACCOUNT = "aws:elb/getServiceAccount:getServiceAccount";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const ALB = "aws:alb/loadBalancer:LoadBalancer";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const TRUST_STORE = "aws:lb/trustStore:TrustStore";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const INSTANCE = "aws:ec2/instance:Instance";

const call = (region: string, token: string, inputs: Record<string, any> = {}) =>
    new AwsMocks({ region }).call({ token, inputs });
const create = (type: string, inputs: Record<string, any>, region = "us-east-1") =>
    new AwsMocks({ region }).newResource({ type, name: "web", inputs, custom: true });

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
    await assert.rejects(p, (err: Error) => {
        assert.match(err.message, message);
        return true;
    });
}

describe("offline mocks", () => {
    describe("availability-zone look-up", () => {
        it("lists the opted-in Local Zone first, as the provider's name sort does, but not zones the account never opted into", async () => {
            const zones = await call("eu-west-1", AZS, { state: "available" });
            assert.deepStrictEqual(zones.names, [
                "eu-west-1-lcl-1a", "eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d", "eu-west-1e", "eu-west-1f"]);
            assert.deepStrictEqual(zones.zoneIds.slice(0, 2), ["euw1-lcl1-az1", "euw1-az1"]);
            assert.deepStrictEqual(zones.groupNames, ["eu-west-1", "eu-west-1-lcl-1"]);
        });

        it("returns Availability Zones only when filtered on opt-in-status opt-in-not-required or zone-type availability-zone", async () => {
            const azs = ["ap-southeast-5a", "ap-southeast-5b", "ap-southeast-5c", "ap-southeast-5d", "ap-southeast-5e", "ap-southeast-5f"];
            const byOptIn = await call("ap-southeast-5", AZS, { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] });
            const byType = await call("ap-southeast-5", AZS, { filters: [{ name: "zone-type", values: ["availability-zone"] }] });
            assert.deepStrictEqual(byOptIn.names, azs);
            assert.deepStrictEqual(byType.names, azs);
        });

        it("includes zones not opted into only with allAvailabilityZones, and honours exclusions", async () => {
            const all = await call("us-east-1", AZS, { allAvailabilityZones: true, filters: [{ name: "zone-type", values: ["local-zone"] }] });
            assert.deepStrictEqual(all.names, ["us-east-1-lcl-1a", "us-east-1-lcl-2a"]);
            const rest = await call("us-east-1", AZS, { excludeNames: ["us-east-1-lcl-1a"], excludeZoneIds: ["use1-az1"] });
            assert.deepStrictEqual(rest.names, ["us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]);
        });

        it("refuses a filter it does not model rather than ignoring it", async () => {
            await assert.rejects(call("us-east-1", AZS, { filters: [{ name: "network-border-group", values: ["us-east-1"] }] }),
                /filter "network-border-group" is not modelled/);
        });

        it("answers getRegion for the stack's Region", async () => {
            const region = await call("me-central-1", "aws:index/getRegion:getRegion");
            assert.strictEqual(region.region, "me-central-1");
        });
    });

    describe("ELB service account look-up", () => {
        it("returns the Region's ELB account where the provider's table has one", async () => {
            assert.deepStrictEqual(await call("eu-west-1", SERVICE_ACCOUNT),
                { id: "156460612806", arn: "arn:aws:iam::156460612806:root", region: "eu-west-1" });
        });

        for (const region of ["me-central-1", "ap-southeast-5", "il-central-1"]) {
            it(`fails in ${region} with the provider's "unsupported AWS Region"`, async () => {
                await refused(call(region, SERVICE_ACCOUNT), new RegExp(`^unsupported AWS Region: ${region}$`));
            });
        }

        it("fails for an explicit region argument the table lacks, whatever the stack's Region", async () => {
            await refused(call("us-east-1", SERVICE_ACCOUNT, { region: "eu-central-2" }), /^unsupported AWS Region: eu-central-2$/);
        });
    });

    describe("ELBv2 names", () => {
        const name33 = "a".repeat(33);
        for (const type of [LB, ALB, TARGET_GROUP, TRUST_STORE]) {
            it(`refuses a name over 32 characters for ${type} and accepts one of 32`, async () => {
                await refused(create(type, { name: name33 }), /"name" cannot be longer than 32 characters/);
                await create(type, { name: "a".repeat(32) });
            });

            it(`refuses a name for ${type} with characters other than letters, digits and hyphens, or a hyphen at either end`, async () => {
                await refused(create(type, { name: "web_tier" }), /only alphanumeric characters and hyphens allowed in "name"/);
                await refused(create(type, { name: "-web" }), /"name" cannot begin with a hyphen/);
                await refused(create(type, { name: "web-" }), /"name" cannot end with a hyphen/);
            });

            it(`refuses a namePrefix over 6 characters for ${type} and accepts one of 6`, async () => {
                await refused(create(type, { namePrefix: "web-tls" }), /"name_prefix" cannot be longer than 6 characters/);
                await create(type, { namePrefix: "web-tl" });
            });
        }

        it("refuses a load balancer or trust store name starting with internal-, but not a target group's", async () => {
            await refused(create(LB, { name: "internal-web" }), /cannot begin with "internal-"/);
            await refused(create(TRUST_STORE, { name: "internal-web" }), /cannot begin with "internal-"/);
            await create(TARGET_GROUP, { name: "internal-web" });
        });
    });

    describe("EC2 user data", () => {
        const bytes = (n: number) => "#".repeat(n);
        it("refuses a launch template whose user data decodes to more than 16 KB and accepts exactly 16 KB", async () => {
            await refused(create(LAUNCH_TEMPLATE, { userData: Buffer.from(bytes(USER_DATA_MAX_BYTES + 1)).toString("base64") }),
                /user data is 16385 bytes; EC2 accepts at most 16384 \(16 KB\) before base64 encoding/);
            await create(LAUNCH_TEMPLATE, { userData: Buffer.from(bytes(USER_DATA_MAX_BYTES)).toString("base64") });
        });

        it("refuses an instance whose user data, as text or base64, is over 16 KB", async () => {
            await refused(create(INSTANCE, { userData: bytes(USER_DATA_MAX_BYTES + 1) }), /user data is 16385 bytes/);
            await refused(create(INSTANCE, { userDataBase64: Buffer.from(bytes(USER_DATA_MAX_BYTES + 1)).toString("base64") }), /user data is 16385 bytes/);
            await create(INSTANCE, { userData: bytes(USER_DATA_MAX_BYTES) });
        });
    });
});

describe("offline mocks: the instant certificates are issued at", () => {
    const withIssueTime = <T>(value: string | undefined, fn: () => T): T => {
        const saved = process.env[ISSUE_TIME_ENV];
        if (value === undefined) delete process.env[ISSUE_TIME_ENV];
        else process.env[ISSUE_TIME_ENV] = value;
        try {
            return fn();
        } finally {
            if (saved === undefined) delete process.env[ISSUE_TIME_ENV];
            else process.env[ISSUE_TIME_ENV] = saved;
        }
    };

    it("is the fixed instant when one is set, so two runs seconds apart register the same validity", () => {
        assert.strictEqual(withIssueTime("2026-12-07T20:00:00.000Z", () => issueTime().toISOString()), "2026-12-07T20:00:00.000Z");
    });

    it("is now when none is set, as the providers issue", () => {
        const before = Date.now();
        const at = withIssueTime(undefined, () => issueTime().getTime());
        assert.ok(at >= before && at <= Date.now());
    });

    it("refuses a value that is not an instant, naming the variable and the value", () => {
        assert.throws(() => withIssueTime("yesterday", () => issueTime()), /E2E_TLS_MOCK_ISSUE_TIME="yesterday" is not an ISO 8601 instant/);
    });
});
