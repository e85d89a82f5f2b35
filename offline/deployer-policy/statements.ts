/**
 * The statements of the deploying role's policy for the runs of one stack: explicit denies that
 * keep the holder from escaping (no role write without the stack's boundary, no change to the
 * boundary policy, no retagging of another stack's resources), then the grants, each scoped to
 * the stack: its IAM path and boundary, the stack tag, its names, zone, account and region.
 */
import type { ProgramRun, RecordedResource } from "../engine/recorded";
import { ANY_RESOURCE_ACTIONS, RESOURCE_ACTIONS } from "./actions";
import type { Scope } from "./scope";
import { programTagKeys, resourceTypes, serviceLinkedRoles, sorted, stackRepositories, trustedServices, usedActions } from "./usage";
import { FUNCTIONS, TOKENS } from "../../policies/shared/tokens";
import { TAG } from "../../components/facts";
import { DEPLOYER_KEY_ACTIONS } from "../../components/security/key-policy";

/** An IAM policy statement as the generator writes it: Action and Resource always given. */
export interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Action: string[];
    readonly Resource: string | string[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document, a managed policy's. */
export interface PolicyDocument {
    readonly Version: "2012-10-17";
    readonly Statement: Statement[];
}

/** A managed policy: its name and document. */
export interface NamedPolicy {
    readonly PolicyName: string;
    readonly PolicyDocument: PolicyDocument;
}

/** Services whose ARNs carry no region (their calls are all made in us-east-1 or are global). */
const GLOBAL_SERVICES = new Set(["iam", "route53", "s3", "sts"]);

/** Every ARN pattern a service's otherwise unscoped actions may act on. */
function servicePatterns(service: string, s: Scope): string[] {
    const { account: a, region: r } = s;
    switch (service) {
        // AWS-owned resources a call names (AMIs with an empty account field, managed prefix lists
        // owned by "aws", endpoint services) are not in the deploying account: account left open.
        case "ec2": return [`arn:aws:ec2:${r}:*:*`];
        case "cloudwatch": return [`arn:aws:cloudwatch:${r}:${a}:alarm:*`];
        case "logs": return [`arn:aws:logs:${r}:${a}:log-group:*`];
        default: return [`arn:aws:${service}:${r}:${a}:*`];
    }
}

/** The physical name of a resource: the one the program set, or Pulumi's `<logical name>-<random>`. */
function namePattern(r: RecordedResource, property: string): string {
    const set = r.inputs[property];
    return typeof set === "string" && set !== "" ? set : `${r.name}-*`;
}


function sid(text: string): string {
    return text.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, "");
}

/** The writes of a role IAM authorizes with iam:PermissionsBoundary, the role's boundary (SAR, IAM). */
export const BOUNDED_ROLE_WRITES = [
    "iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary", "iam:UpdateAssumeRolePolicy", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:DeleteRole",
] as const;

/** What changes a managed policy's content or removes it. */
export const POLICY_CHANGES = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy"] as const;

/** kms calls granted by the keys' own policies (components/security/key-policy.ts), never by this policy. */
const KEY_POLICY_ACTIONS: ReadonlySet<string> = new Set([...DEPLOYER_KEY_ACTIONS, "kms:Decrypt", "kms:GenerateDataKey"]);

/** The statements for the union of the runs of one stack. */
export function buildStatements(runs: readonly ProgramRun[], scope: Scope): Statement[] {
    const actions = new Set(usedActions(runs));
    const resources = runs.flatMap(run => run.resources.filter(x => x.custom && x.type.startsWith("aws:")));
    const ofType = (t: string) => resources.filter(x => x.type === t);
    const { account: a, region: r } = scope;
    const regionCondition = r === "*" ? undefined : { StringEquals: { "aws:RequestedRegion": r } };
    const stackTag = `${"aws:ResourceTag"}/${TAG.stack}`;
    const requestTag = `${"aws:RequestTag"}/${TAG.stack}`;
    const tagKeys = programTagKeys(runs);
    // New resources carry the stack tag and no tag key the program does not set.
    const created = { StringEquals: { [requestTag]: scope.tagValue }, "ForAllValues:StringEquals": { "aws:TagKeys": tagKeys } };
    const owned = { StringEquals: { [stackTag]: scope.tagValue } };
    const withBoundary = { ArnLike: { "iam:PermissionsBoundary": scope.boundaryArn } };

    const statements: Statement[] = [];
    const take = (pred: (action: string) => boolean): string[] => {
        const picked = sorted([...actions].filter(pred));
        picked.forEach(x => actions.delete(x));
        return picked;
    };
    const add = (name: string, list: readonly string[], resource: string | string[], condition?: Statement["Condition"], effect: Statement["Effect"] = "Allow") => {
        if (list.length === 0) return;
        // An allow on "*" of a regional service holds in the stack's region only.
        const service = list[0].split(":")[0];
        if (effect === "Allow" && resource === "*" && regionCondition && !GLOBAL_SERVICES.has(service)) {
            condition = { ...(condition ?? {}), StringEquals: { ...(condition?.StringEquals ?? {}), ...regionCondition.StringEquals } };
        }
        statements.push({ Sid: sid(name), Effect: effect, Action: [...list].sort(), Resource: resource, ...(condition ? { Condition: condition } : {}) });
    };

    // Guard rails. Explicit denies win over any allow, in these policies or any other the role holds.
    add("deny changing the role boundary policy", POLICY_CHANGES, scope.boundaryArn, undefined, "Deny");
    add("deny removing a permissions boundary", ["iam:DeleteRolePermissionsBoundary"], "*", undefined, "Deny");
    // A negated operator matches when the key is absent: a role without a boundary is refused too.
    add("deny role writes outside the boundary", BOUNDED_ROLE_WRITES, "*", { ArnNotLike: { "iam:PermissionsBoundary": scope.boundaryArn } }, "Deny");
    const tagging = sorted(resourceTypes(runs).flatMap(t => RESOURCE_ACTIONS[t].tags ? [...RESOURCE_ACTIONS[t].tags!.tag, ...RESOURCE_ACTIONS[t].tags!.untag] : []));
    add("deny retagging another stacks resources", tagging, "*",
        { StringNotEquals: { [stackTag]: scope.tagValue }, Null: { [stackTag]: "false" } }, "Deny");

    // IAM: roles and instance profiles live under the stack's path; every write of a role needs the
    // stack's boundary on it; roles are passed only to the service their trust policy names.
    const roles = `arn:aws:iam::${a}:role${scope.iamPath}*`;
    const profiles = `arn:aws:iam::${a}:instance-profile${scope.iamPath}*`;
    add("iam create stack roles with the boundary", take(x => x === "iam:CreateRole"), roles,
        { ...withBoundary, ...created });
    add("iam write stack roles within the boundary",
        take(x => (BOUNDED_ROLE_WRITES as readonly string[]).includes(x) && x !== "iam:AttachRolePolicy" && x !== "iam:DetachRolePolicy"), roles, withBoundary);
    const managedPolicies = sorted(ofType(TOKENS.iamRolePolicyAttachment).map(x => String(x.inputs.policyArn)));
    add("iam attach the stack managed policies", take(x => x === "iam:AttachRolePolicy" || x === "iam:DetachRolePolicy"), roles,
        { ...withBoundary, ArnEquals: { "iam:PolicyARN": managedPolicies } });
    const passRole = actions.has("iam:PassRole");
    actions.delete("iam:PassRole");
    if (passRole) {
        const byService = new Map<string, string[]>();
        for (const role of ofType(TOKENS.iamRole)) {
            for (const service of trustedServices(role)) {
                byService.set(service, sorted([...(byService.get(service) ?? []), `arn:aws:iam::${a}:role${scope.iamPath}${role.name}-*`]));
            }
        }
        for (const [service, arns] of [...byService].sort()) {
            // AddRoleToInstanceProfile checks iam:PassRole as well, and its API reference names no
            // service it passes to (https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html):
            // for EC2 a request that names a service must name EC2, one that names none is allowed.
            const operator = service === "ec2.amazonaws.com" ? "StringEqualsIfExists" : "StringEquals";
            add(`iam pass roles to ${service.split(".")[0]}`, ["iam:PassRole"], arns, { [operator]: { "iam:PassedToService": service } });
        }
    }
    // getSessionContext reads the deploying role itself, whose name the stack does not know.
    add("iam read roles", take(x => x === "iam:GetRole"), `arn:aws:iam::${a}:role/*`);
    add("iam stack roles", take(x => x === "iam:ListInstanceProfilesForRole" || (/^iam:(List|Get|Tag|Untag).*Role/.test(x) && !/InstanceProfile/.test(x))), roles);
    add("iam stack instance profiles", take(x => /InstanceProfile/.test(x)), profiles);
    const linked = serviceLinkedRoles(runs);
    add("iam service linked roles", take(x => x === "iam:CreateServiceLinkedRole"), `arn:aws:iam::${a}:role/aws-service-role/*`,
        { StringEquals: { "iam:AWSServiceName": linked } });
    const iamLeft = [...actions].filter(x => x.startsWith("iam:"));
    if (iamLeft.length > 0) throw new Error(`iam actions without a statement in offline/deployer-policy/policy.ts: ${iamLeft.join(", ")}`);

    // KMS: the key-level calls are in the keys' own policies. Here: creating keys (tagged as the
    // stack's), tagging at creation (IAM authorizes it for any key: no key-level grant here
    // depends on a key's tags), and the stack's aliases.
    take(x => KEY_POLICY_ACTIONS.has(x) && !/Alias$/.test(x) && x !== "kms:TagResource");
    add("kms create stack keys", take(x => x === "kms:CreateKey"), "*", created);
    add("kms tag keys at creation", take(x => x === "kms:TagResource"), `arn:aws:kms:${r}:${a}:key/*`, created);
    add("kms stack aliases", take(x => /^kms:(Create|Update|Delete)Alias$/.test(x)), `arn:aws:kms:${r}:${a}:alias/${scope.project}-${scope.stack}-*`);
    const kmsLeft = [...actions].filter(x => x.startsWith("kms:") && !ANY_RESOURCE_ACTIONS.has(x));
    if (kmsLeft.length > 0) {
        throw new Error(`kms actions neither in the key policy (components/security/key-policy.ts) nor granted here: ${kmsLeft.join(", ")}`);
    }

    // Secrets Manager: the stack's secrets by name, created with the stack tag, reached only with it.
    const secrets = sorted(ofType(TOKENS.secretsManagerSecret).map(x => `arn:aws:secretsmanager:${r}:${a}:secret:${namePattern(x, "name")}`));
    add("secretsmanager create stack secrets", take(x => x === "secretsmanager:CreateSecret"), secrets, created);
    if (actions.has("secretsmanager:TagResource")) add("secretsmanager tag secrets at creation", ["secretsmanager:TagResource"], secrets, created);
    add("secretsmanager stack secrets", take(x => x.startsWith("secretsmanager:")), secrets, owned);

    // ACM: requested or imported with the stack tag; otherwise only certificates that carry it.
    const certificates = `arn:aws:acm:${r}:${a}:certificate/*`;
    add("acm request stack certificates", take(x => x === "acm:RequestCertificate"), "*", created);
    if (actions.has("acm:ImportCertificate")) add("acm import stack certificates", ["acm:ImportCertificate"], certificates, created);
    add("acm stack certificates", take(x => x.startsWith("acm:")), certificates, owned);

    // AWS Private CA: created and tagged with the stack tag; the stack's CA issues only with the
    // templates the program uses.
    const cas = `arn:aws:acm-pca:${r}:${a}:certificate-authority/*`;
    add("acm-pca create stack CAs", take(x => x === "acm-pca:CreateCertificateAuthority"), "*", created);
    if (actions.has("acm-pca:TagCertificateAuthority")) add("acm-pca tag CAs at creation", ["acm-pca:TagCertificateAuthority"], cas, created);
    const templates = sorted(ofType(TOKENS.acmpcaCertificate).map(x => String(x.inputs.templateArn)));
    add("acm-pca issue from the stack CA", take(x => x === "acm-pca:IssueCertificate"), cas,
        { ...owned, ArnLike: { "acm-pca:TemplateArn": templates } });
    add("acm-pca stack CAs", take(x => x.startsWith("acm-pca:")), cas, owned);

    // S3, Auto Scaling, Route 53 and SSM by the names the stack uses.
    const buckets = sorted(ofType(TOKENS.s3Bucket).flatMap(x => {
        const arn = `arn:aws:s3:::${namePattern(x, "bucket")}`;
        return [arn, `${arn}/*`];
    }));
    add("s3 stack buckets", take(x => x.startsWith("s3:")), buckets);
    const groups = sorted(ofType(TOKENS.autoscalingGroup).map(x =>
        `arn:aws:autoscaling:${r}:${a}:autoScalingGroup:*:autoScalingGroupName/${namePattern(x, "name")}`));
    add("autoscaling stack groups", take(x => x.startsWith("autoscaling:") && !ANY_RESOURCE_ACTIONS.has(x)), groups);
    const recordedZones = sorted(ofType(TOKENS.route53Record).map(x => String(x.inputs.zoneId)));
    const foreign = recordedZones.filter(z => z !== scope.hostedZoneId);
    if (foreign.length > 0) throw new Error(`records in hosted zones other than the stack's ${scope.hostedZoneId}: ${foreign.join(", ")}`);
    add("route53 records of the stack zone", take(x => x.startsWith("route53:") && x !== "route53:GetChange"),
        recordedZones.map(z => `arn:aws:route53:::hostedzone/${z}`));
    add("route53 changes", take(x => x === "route53:GetChange"), "arn:aws:route53:::change/*");
    // The stack's own parameters (partners' certificates), by the path the program names them under,
    // so a partner added later needs no new policy; and the AMI parameters AWS publishes (no account).
    const ownParameters = sorted(ofType(TOKENS.ssmParameter).map(x =>
        `arn:aws:ssm:${r}:${a}:parameter${String(x.inputs.name).replace(/^\/?/, "/").replace(/\/[^/]*$/, "/*")}`));
    const parameters = sorted([
        ...runs.flatMap(run => run.invokes).filter(i => i.token === FUNCTIONS.getSsmParameter).map(i => `arn:aws:ssm:${r}::parameter${i.inputs.name}`),
        ...ownParameters,
    ]);
    add("ssm read parameters", take(x => x === "ssm:GetParameter"), parameters);
    add("ssm stack parameters", take(x => x.startsWith("ssm:") && !ANY_RESOURCE_ACTIONS.has(x)), ownParameters, regionCondition);

    // ECR: the repositories of the stack's pull-through cache, by the prefix its rule names them
    // under (a repository the stack names otherwise, by its name), never the account's others: the
    // application's own images live there too.
    const repositories = stackRepositories(runs).map(p => `arn:aws:ecr:${r}:${a}:repository/${p}`);
    add("ecr stack repositories", take(x => x.startsWith("ecr:") && !ANY_RESOURCE_ACTIONS.has(x)), repositories, regionCondition);

    const byService = new Map<string, string[]>();
    for (const action of sorted(actions)) {
        const service = action.split(":")[0];
        byService.set(service, [...(byService.get(service) ?? []), action]);
    }
    for (const [service, list] of byService) {
        add(`${service} scoped`, list.filter(x => !ANY_RESOURCE_ACTIONS.has(x)), servicePatterns(service, scope),
            GLOBAL_SERVICES.has(service) ? undefined : regionCondition);
        add(`${service} any resource`, list.filter(x => ANY_RESOURCE_ACTIONS.has(x)), "*");
    }
    return statements;
}
