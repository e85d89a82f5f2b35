/**
 * Deployability, ordering: resources AWS needs to exist first must be in the dependency closure of
 * what uses them, because the engine creates everything else in parallel. Stack policies over the
 * `dependencies` and `propertyDependencies` that `AnalyzeStack` carries.
 */
import { Policies } from "@pulumi/policy";
import { LB_TOKENS, TOKENS } from "../shared/tokens";
import { asArray, describeAll as names, describeResource, flag, isKnown, isUnknown, Node, StackIndex, stackRule } from "../framework";
import {
    all, BOOT_READS, Closures, computeNodes, computeParts, containerDefinitions, egressRules, endpointsOf, hasNatRoute, is, isToken, one,
    referrers, rolePolicies, secretArnOf, subnetAssociations, tablesOf, vpcOf,
} from "./deploy-graph";
import { forwardTargets } from "./elb";

/** A stack finding in the pack's format, for a resource that can start before what it needs. */
function orderingFinding(n: Node, what: string, why: string, fix: string): string {
    return `${describeResource(n)} (${n.type}): its dependencies leave out ${what}, which ${why}. Fix: ${fix}.`;
}

// ------------------------------------------------------------------------------------------------
// ecs-service-waits-for-listener
// ------------------------------------------------------------------------------------------------

/** For each target group, the listeners and listener rules that forward to it. */
function forwarders(index: StackIndex): Map<Node, Node[]> {
    const targets = (owner: Node, prop: string, actions: unknown) => isUnknown(actions) ? [] : asArray(actions).flatMap((a, i) =>
        forwardTargets(a, `${prop}[${i}]`).flatMap((t) => index.resolve(owner, prop, t.value, is("targetGroup")).nodes));
    return StackIndex.invert([...index.ofKind("listener"), ...index.ofKind("listenerRule")],
        (n) => is("listener")(n) ? targets(n, "defaultActions", n.props.defaultActions) : targets(n, "actions", n.props.actions));
}

export const ecsServiceWaitsForListener = stackRule({
    name: "ecs-service-waits-for-listener",
    description: "An ECS service registered in a load balancer target group waits for a listener or listener rule that forwards to that target group: " +
        "CreateService fails with \"target group ... does not have an associated load balancer\" until one exists (hashicorp/terraform#32908, aws/aws-cdk#1160). " +
        "Reads each service's transitive dependencies as AnalyzeStack carries them.",
    enforcementLevel: "advisory",
    severity: "high",
    onlyWith: TOKENS.ecsService,
    reads: [TOKENS.ecsService, ...LB_TOKENS.targetGroup, ...LB_TOKENS.listener, ...LB_TOKENS.listenerRule],
    check: ({ index, reportMessage }) => {
        const closures = Closures.shared(index);
        const byTarget = forwarders(index);
        for (const svc of index.ofType(TOKENS.ecsService)) {
            if (isUnknown(svc.props.loadBalancers)) {
                continue;
            }
            const tgs = [...new Set(asArray(svc.props.loadBalancers).flatMap((l) =>
                index.resolve(svc, "loadBalancers", l?.targetGroupArn, is("targetGroup")).nodes))];
            for (const tg of tgs) {
                const found = byTarget.get(tg) ?? [];
                const deps = closures.of(svc);
                if (found.some((f) => deps.has(f))) {
                    continue;
                }
                reportMessage(svc, orderingFinding(svc, `every listener and rule forwarding to ${describeResource(tg)}`,
                    found.length === 0
                        ? "no listener or rule in this stack forwards to, so CreateService fails (the target group has no associated load balancer)"
                        : `lets CreateService run before ${names(found)} exists; it then fails because the target group has no associated load balancer`,
                    found.length === 0
                        ? "forward to the target group from a listener or listener rule and add that to the service's dependsOn"
                        : `add ${names(found)} to the service's dependsOn`));
            }
        }
    },
});

// ------------------------------------------------------------------------------------------------
// compute-waits-for-boot-dependencies
// ------------------------------------------------------------------------------------------------

/** Secrets a compute resource reads at boot: task definition `secrets`, or its roles' GetSecretValue grants. */
function secretsRead(index: StackIndex, c: Node, template: Node | undefined, roles: Node[]): Node[] {
    const isSecret = isToken(TOKENS.secretsManagerSecret);
    const arns: { from: Node; prop: string; arn: string }[] = [];
    if (c.type === TOKENS.ecsService && template) {
        for (const container of containerDefinitions(template.props) ?? []) {
            for (const s of [...asArray(container?.secrets), ...asArray(container?.logConfiguration?.secretOptions)]) {
                const arn = typeof s?.valueFrom === "string" ? secretArnOf(s.valueFrom) : undefined;
                if (arn) {
                    arns.push({ from: template, prop: "containerDefinitions", arn });
                }
            }
        }
    } else {
        for (const policy of roles.flatMap((r) => referrers(index, [TOKENS.iamRolePolicy], "role", r))) {
            for (const st of policyStatements(policy.props.policy)) {
                const actions = asArray<string>(st?.Action).map((a) => String(a).toLowerCase());
                if (st?.Effect === "Allow" && actions.some((a) => a === "secretsmanager:getsecretvalue" || a === "secretsmanager:*" || a === "*")) {
                    asArray<string>(st?.Resource).filter((r) => typeof r === "string").forEach((arn) => arns.push({ from: policy, prop: "policy", arn }));
                }
            }
        }
    }
    return [...new Set(arns.flatMap((a) => index.resolve(a.from, a.prop, a.arn, isSecret).nodes.filter((n) => isKnown(n.props.arn) ? n.props.arn === a.arn : true)))];
}

function policyStatements(policy: unknown): any[] {
    if (!isKnown(policy)) {
        return [];
    }
    try {
        const doc = typeof policy === "string" ? JSON.parse(policy) : policy;
        return asArray(doc?.Statement);
    } catch {
        return [];
    }
}

/** Pull-through cache rules whose prefix an ECS task's images use. */
function cacheRulesUsed(index: StackIndex, template: Node | undefined): Node[] {
    const images = (template ? containerDefinitions(template.props) ?? [] : []).map((c) => c?.image).filter((i): i is string => typeof i === "string");
    return index.ofType(TOKENS.ecrPullThroughCacheRule).filter((r) => {
        const prefix = r.props.ecrRepositoryPrefix;
        return typeof prefix === "string" && !isUnknown(prefix) && images.some((i) => /\.dkr\.ecr\.[^/]+\.amazonaws\.com(\.cn)?\//.test(i) && i.split("/")[1] === prefix);
    });
}

export const computeWaitsForBootDependencies = stackRule({
    name: "compute-waits-for-boot-dependencies",
    description: "Auto Scaling groups, ECS services and EC2 instances wait for what they need at boot: their roles' policies and attachments (instance profile, launch template, task definition roles), " +
        "their security groups' standalone egress rules (the provider removes AWS's default egress rule: TF aws_security_group docs), their subnets' route-table associations, " +
        "the VPC endpoints when the subnets have no NAT route, the secret versions they read (task definition secrets[].valueFrom; EC2 roles' GetSecretValue resources), and the ECR pull-through cache rules their images use. " +
        "Otherwise the first instances or tasks boot without permissions, network or secrets, and ECS's circuit breaker stops the service at 0 tasks. One finding per compute resource, listing what is missing.",
    enforcementLevel: "advisory",
    severity: "high",
    reads: BOOT_READS,
    config: { checkVpcEndpoints: flag(true, "Require compute in subnets without a NAT route to wait for its VPC's endpoints.") },
    check: ({ index, config, reportMessage }) => {
        const closures = Closures.shared(index);
        for (const c of computeNodes(index)) {
            const parts = computeParts(index, c);
            const deps = closures.of(c);
            const missing: string[] = [];
            const need = (label: string, nodes: Node[]) => {
                const absent = [...new Set(nodes)].filter((n) => !deps.has(n) && n !== c);
                if (absent.length > 0) {
                    missing.push(`${label} (${names(absent)})`);
                }
            };
            need("the role policies", parts.roles.flatMap((r) => rolePolicies(index, r)));
            need("the security groups' egress rules", parts.securityGroups.flatMap((sg) => egressRules(index, sg)));
            need("the subnets' route-table associations", parts.subnets.flatMap((s) => subnetAssociations(index, s)));
            if (config.checkVpcEndpoints && parts.subnets.length > 0) {
                const tables = tablesOf(index, parts.subnets);
                const nat = tables.map((t) => hasNatRoute(index, t));
                if (tables.length > 0 && nat.every((x) => x === false)) {
                    const vpcs = [...new Set(parts.subnets.map((s) => vpcOf(index, s)).filter((v): v is Node => v !== undefined))];
                    need("the VPC endpoints its NAT-less subnets reach AWS through", vpcs.flatMap((v) => endpointsOf(index, v)));
                }
            }
            const secrets = secretsRead(index, c, parts.template, parts.roles);
            need("the secret versions it reads", secrets.flatMap((s) => referrers(index, [TOKENS.secretsManagerSecretVersion], "secretId", s)));
            if (c.type === TOKENS.ecsService) {
                need("the pull-through cache rules its images come through", cacheRulesUsed(index, parts.template));
            }
            if (missing.length > 0) {
                reportMessage(c, orderingFinding(c, missing.join("; "),
                    "lets it boot before them: AWS does not wait, so the first instances or tasks start without permissions, egress, routes or secrets and fail",
                    "add the listed resources (or the components that own them) to its dependsOn"));
            }
        }
    },
});

// ------------------------------------------------------------------------------------------------
// trust-store-waits-for-bucket-versioning
// ------------------------------------------------------------------------------------------------

const BUCKET_TOKENS = [TOKENS.s3Bucket, TOKENS.s3BucketV2];
const OBJECT_TOKENS = [TOKENS.s3BucketObject, TOKENS.s3BucketObjectV2];
const VERSIONING_TOKENS = [TOKENS.s3BucketVersioning, TOKENS.s3BucketVersioningV2];

/** Each S3 object version a trust store or revocation reads: bucket property, version property, and key property. */
function versionedReads(n: Node): { bucket: string; version: string; key: string; base: string; value: Record<string, any> }[] {
    if (is("trustStore")(n)) {
        return [{ bucket: "caCertificatesBundleS3Bucket", version: "caCertificatesBundleS3ObjectVersion", key: "caCertificatesBundleS3Key", base: "", value: n.props }];
    }
    if (isUnknown(n.props.revocationContents)) {
        return [];
    }
    return asArray(n.props.revocationContents).map((rc, i) => ({ bucket: "s3Bucket", version: "s3ObjectVersion", key: "s3Key", base: `revocationContents[${i}].`, value: rc ?? {} }));
}

export const trustStoreWaitsForBucketVersioning = stackRule({
    name: "trust-store-waits-for-bucket-versioning",
    description: "A trust store or trust store revocation that reads a pinned S3 object version (caCertificatesBundleS3ObjectVersion, revocationContents[].s3ObjectVersion) waits for the bucket's versioning " +
        "(aws:s3/bucketVersioning, aws:s3/bucketVersioningV2), and so does the object it reads: an object written before versioning is on has the version \"null\", and S3 says versioning can take up to 15 minutes to apply (S3 user guide, \"Enabling versioning on buckets\").",
    enforcementLevel: "advisory",
    severity: "medium",
    reads: [...LB_TOKENS.trustStore, ...LB_TOKENS.trustStoreRevocation, ...BUCKET_TOKENS, ...OBJECT_TOKENS, ...VERSIONING_TOKENS],
    check: ({ index, reportMessage }) => {
        const closures = Closures.shared(index);
        for (const n of [...index.ofKind("trustStore"), ...index.ofKind("trustStoreRevocation")]) {
            const deps = closures.of(n);
            for (const read of versionedReads(n)) {
                const pinned = read.value[read.version];
                if (pinned === undefined || pinned === null || pinned === "") {
                    continue;
                }
                const topProp = read.base === "" ? read.bucket : "revocationContents";
                const bucket = one(index, n, topProp, read.value[read.bucket], isToken(...BUCKET_TOKENS));
                if (!bucket || bucket.props.versioning?.enabled === true) {
                    continue;
                }
                const versionings = referrers(index, VERSIONING_TOKENS, "bucket", bucket);
                const objects = all(index, n, read.base === "" ? read.version : "revocationContents", pinned, isToken(...OBJECT_TOKENS));
                const waiters = [n, ...objects];
                const late = waiters.filter((w) => !versionings.some((v) => w === n ? deps.has(v) : closures.of(w).has(v)));
                if (versionings.length > 0 && late.length === 0) {
                    continue;
                }
                reportMessage(n, orderingFinding(n, versionings.length === 0
                    ? `any versioning of ${describeResource(bucket)} (the stack has none), while ${read.base}${read.version} pins an object version`
                    : `${names(versionings)} for ${names(late)}, while ${read.base}${read.version} pins an object version`,
                "lets the object be written, and its version read, before versioning is on (the version is then \"null\" or changes)",
                versionings.length === 0
                    ? `enable versioning on ${describeResource(bucket)} with an aws.s3.BucketVersioning and make the object and the trust store depend on it`
                    : `add ${names(versionings)} to the dependsOn of ${names(late)}`));
            }
        }
    },
});

export const policies: Policies = [ecsServiceWaitsForListener, computeWaitsForBootDependencies, trustStoreWaitsForBucketVersioning];
