/**
 * The one policy evaluator (offline/engine/iam-evaluator.ts) that the deployer-policy and custody
 * suites rely on decides as IAM does for the elements and operators the generated and written
 * policies use: checked on small policies whose outcome the IAM user guide states.
 */
import { strict as assert } from "assert";
import { arnMatches, conditionHolds, directAllows, evaluate, explicitDenies, Policy, Request, statementApplies } from "../../offline/engine/iam-evaluator";

const caller = { arn: "arn:aws:iam::111122223333:role/deployer", account: "111122223333" };
const request = (action: string, resource: string, context: Request["context"] = {}): Request => ({ action, resource, context });
const decide = (identity: Policy[], req: Request, extra: Partial<Parameters<typeof evaluate>[0]> = {}) =>
    evaluate({ identity, caller, ...extra }, req).decision;

describe("IAM evaluator", () => {
    it("denies what no statement allows, allows what one does, and lets an explicit deny win", () => {
        const allow: Policy = { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }] };
        const deny: Policy = { Statement: [{ Effect: "Deny", Action: "s3:*", Resource: "*" }] };
        assert.equal(decide([allow], request("s3:GetObject", "arn:aws:s3:::bucket/key")), "allow");
        assert.equal(decide([allow], request("s3:PutObject", "arn:aws:s3:::bucket/key")), "implicit deny");
        assert.equal(decide([allow, deny], request("s3:GetObject", "arn:aws:s3:::bucket/key")), "explicit deny");
    });

    it("matches actions with wildcards case-insensitively, and NotAction as everything else", () => {
        const p: Policy = { Statement: [{ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }] };
        assert.equal(decide([p], request("ec2:describevpcs", "*")), "allow");
        assert.equal(decide([p], request("ec2:CreateVpc", "*")), "implicit deny");
        const not: Policy = { Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] };
        assert.equal(decide([not], request("s3:ListBucket", "arn:aws:s3:::b")), "allow");
        assert.equal(decide([not], request("iam:CreateRole", "arn:aws:iam::111122223333:role/x")), "implicit deny");
    });

    it("matches resource ARNs part by part: a wildcard does not reach across the account or region", () => {
        assert.ok(arnMatches("arn:aws:iam::*:role/app/*", "arn:aws:iam::111122223333:role/app/web-1"));
        assert.ok(!arnMatches("arn:aws:iam::*:role/app/*", "arn:aws:iam::111122223333:role/other/app/web-1"));
        assert.ok(arnMatches("arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/web-*",
            "arn:aws:autoscaling:us-east-1:111122223333:autoScalingGroup:0a1b:autoScalingGroupName/web-asg-1"));
        assert.ok(!arnMatches("arn:aws:kms:us-east-1:*:key/*", "arn:aws:kms:eu-west-1:111122223333:key/abc"));
        assert.ok(arnMatches("*", "arn:aws:kms:eu-west-1:111122223333:key/abc"));
    });

    it("reads a missing key as false for positive operators and true for negated ones, IfExists and Null as IAM does", () => {
        const none = {};
        assert.equal(conditionHolds("StringEquals", "aws:ResourceTag/team", "a", none), false);
        assert.equal(conditionHolds("StringNotEquals", "aws:ResourceTag/team", "a", none), true);
        assert.equal(conditionHolds("ArnNotLike", "iam:PermissionsBoundary", "arn:aws:iam::*:policy/b", none), true);
        assert.equal(conditionHolds("StringEqualsIfExists", "iam:PassedToService", "ec2.amazonaws.com", none), true);
        assert.equal(conditionHolds("StringEqualsIfExists", "iam:PassedToService", "ec2.amazonaws.com", { "iam:PassedToService": "lambda.amazonaws.com" }), false);
        assert.equal(conditionHolds("Null", "aws:ResourceTag/team", "true", none), true);
        assert.equal(conditionHolds("Null", "aws:ResourceTag/team", "false", { "aws:ResourceTag/team": "a" }), true);
        assert.equal(conditionHolds("Bool", "aws:SecureTransport", "false", { "aws:SecureTransport": true }), false);
    });

    it("applies ForAllValues to every request value (true when there is none) and matches ARN and string patterns", () => {
        assert.equal(conditionHolds("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], { "aws:TagKeys": ["a"] }), true);
        assert.equal(conditionHolds("ForAllValues:StringEquals", "aws:TagKeys", ["a", "b"], { "aws:TagKeys": ["a", "c"] }), false);
        assert.equal(conditionHolds("ForAllValues:StringEquals", "aws:TagKeys", ["a"], {}), true);
        assert.equal(conditionHolds("StringLike", "kms:ViaService", ["secretsmanager.*.amazonaws.com"], { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" }), true);
        assert.equal(conditionHolds("ArnLike", "aws:PrincipalArn", ["arn:aws:iam::*:role/deploy-*"], { "aws:PrincipalArn": "arn:aws:iam::1:role/deploy-prod" }), true);
        assert.equal(conditionHolds("ArnEquals", "iam:PolicyARN", ["arn:aws:iam::aws:policy/A"], { "iam:PolicyARN": "arn:aws:iam::aws:policy/B" }), false);
        assert.equal(conditionHolds("StringEquals", "Aws:RequestTag/x", "1", { "aws:requesttag/x": "1" }), true, "condition keys are case-insensitive");
    });

    it("needs the permissions boundary to allow as well, when the principal has one", () => {
        const identity: Policy = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
        const boundary: Policy = { Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: "*" }] };
        assert.equal(decide([identity], request("sns:Publish", "arn:aws:sns:us-east-1:111122223333:t"), { boundary }), "allow");
        assert.equal(decide([identity], request("iam:CreateUser", "arn:aws:iam::111122223333:user/x"), { boundary }), "implicit deny");
    });

    it("takes a KMS key policy as the key's authority: a direct grant, or identity policies only where the key delegates to the account", () => {
        const key = "arn:aws:kms:us-east-1:111122223333:key/1";
        const identity: Policy = { Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }] };
        const delegating = { policy: { Statement: [{ Effect: "Allow" as const, Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" }] }, kms: true };
        const closed = { policy: { Statement: [{ Effect: "Allow" as const, Principal: { AWS: "arn:aws:iam::111122223333:role/admin" }, Action: "kms:*", Resource: "*" }] }, kms: true };
        const direct = {
            policy: { Statement: [{ Effect: "Allow" as const, Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": caller.arn } } }] },
            kms: true,
        };
        assert.equal(decide([identity], request("kms:Decrypt", key), { resourcePolicy: delegating }), "allow");
        assert.equal(decide([], request("kms:Decrypt", key), { resourcePolicy: delegating }), "implicit deny");
        assert.equal(decide([identity], request("kms:Decrypt", key), { resourcePolicy: closed }), "implicit deny");
        assert.equal(decide([], request("kms:Decrypt", key), { resourcePolicy: direct }), "allow");
    });

    it("lets a resource policy's Deny with Principal \"*\" and a negated ARN condition spare only the principals it names, whatever allows", () => {
        const secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:s-AbCdEf";
        const policy: Policy = { Statement: [{
            Sid: "OnlyHolders", Effect: "Deny", Principal: "*", Action: "secretsmanager:*", Resource: "*",
            Condition: { ArnNotLike: { "aws:PrincipalArn": [caller.arn, "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_*"] } },
        }] };
        const everything: Policy = { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
        const other = { arn: "arn:aws:iam::111122223333:role/power", account: caller.account };
        const admin = { arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123", account: caller.account };
        const req = request("secretsmanager:DeleteResourcePolicy", secret);
        assert.deepEqual(explicitDenies(policy, req, other), ["OnlyHolders"]);
        assert.deepEqual(explicitDenies(policy, req, caller), []);
        assert.deepEqual(explicitDenies(policy, req, admin), []);
        assert.equal(evaluate({ identity: [everything], resourcePolicy: { policy }, caller: other }, req).decision, "explicit deny");
        assert.equal(evaluate({ identity: [everything], resourcePolicy: { policy }, caller }, req).decision, "allow");
    });

    it("names service principals by Service, counts Principal \"*\" as everyone including services, and gives them no identity policies", () => {
        const topic = "arn:aws:sns:us-east-1:111122223333:alerts";
        const events = { service: "events.amazonaws.com", account: caller.account };
        const topicPolicy: Policy = { Statement: [{
            Sid: "Events", Effect: "Allow", Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }, Action: "sns:Publish", Resource: topic,
            Condition: { StringEquals: { "aws:SourceAccount": caller.account } },
        }] };
        assert.equal(evaluate({ identity: [], resourcePolicy: { policy: topicPolicy }, caller: events }, request("sns:Publish", topic, { "aws:SourceAccount": caller.account })).decision, "allow");
        assert.equal(evaluate({ identity: [], resourcePolicy: { policy: topicPolicy }, caller: events }, request("sns:Publish", topic, { "aws:SourceAccount": "999999999999" })).decision, "implicit deny");
        assert.equal(evaluate({ identity: [], resourcePolicy: { policy: topicPolicy }, caller: { service: "lambda.amazonaws.com", account: caller.account } },
            request("sns:Publish", topic, { "aws:SourceAccount": caller.account })).decision, "implicit deny");
        assert.equal(evaluate({ identity: [], resourcePolicy: { policy: topicPolicy }, caller }, request("sns:Publish", topic, { "aws:SourceAccount": caller.account })).decision, "implicit deny");
        const key = "arn:aws:kms:us-east-1:111122223333:key/1";
        const keyPolicy: Policy = { Statement: [
            { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" },
            { Sid: "Services", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" },
        ] };
        assert.equal(evaluate({ identity: [], resourcePolicy: { policy: keyPolicy, kms: true }, caller: events }, request("kms:GenerateDataKey", key)).decision, "allow");
        assert.equal(evaluate({ identity: [], resourcePolicy: { policy: keyPolicy, kms: true }, caller: events }, request("kms:PutKeyPolicy", key)).decision, "implicit deny");
        const denyAllButRoles: Policy = { Statement: [{ Sid: "D", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { ArnNotLike: { "aws:PrincipalArn": caller.arn } } }] };
        assert.deepEqual(explicitDenies(denyAllButRoles, request("kms:Decrypt", key), events), ["D"], "a service has no aws:PrincipalArn: a negated ARN condition holds for it");
    });

    it("finds the Allow statements that name a principal itself, not its account", () => {
        const root = { arn: "arn:aws:iam::111122223333:root", account: "111122223333" };
        const keyPolicy: Policy = { Statement: [
            { Sid: "Root", Effect: "Allow", Principal: { AWS: root.arn }, Action: "kms:*", Resource: "*" },
            { Sid: "Deployers", Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:PutKeyPolicy", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": caller.arn } } },
        ] };
        const req = request("kms:PutKeyPolicy", "arn:aws:kms:us-east-1:111122223333:key/1");
        assert.deepEqual(directAllows(keyPolicy, req, root), ["Root"]);
        assert.deepEqual(directAllows(keyPolicy, req, caller), ["Deployers"]);
    });

    it("refuses to judge what it does not model: an unknown condition operator, a statement without Action or NotAction", () => {
        assert.throws(() => conditionHolds("NumericLessThan", "aws:MultiFactorAuthAge", "3600", {}), /does not know the condition operator NumericLessThan/);
        assert.throws(() => statementApplies({ Sid: "Empty", Effect: "Deny", Resource: "*" }, request("s3:GetObject", "*")), /Empty has neither Action nor NotAction/);
    });
});
