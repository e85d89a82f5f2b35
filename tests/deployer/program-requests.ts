/**
 * The requests the AWS provider makes for what the program registers, as IAM sees them: every
 * action of each resource's entry (offline/deployer-policy/actions.ts, for the inputs the program
 * set), on the resource it acts on, with the request context the program's resources give (their
 * tags, names, ARNs, roles' boundaries and trusted services), and the resource policy that also
 * decides (a KMS key's policy). Built from the recorded runs, so a request follows the program.
 */
import type { ProgramRun, RecordedResource } from "../../offline/engine/recorded";
import { ACCOUNT_ID } from "../../offline/engine/mocks";
import { ANY_RESOURCE_ACTIONS, INVOKE_ACTIONS, RESOURCE_ACTIONS } from "../../offline/deployer-policy/actions";
import { argumentCalls, argumentWhen } from "../../offline/deployer-policy/entry";
import { inputsSet, trustedServices } from "../../offline/deployer-policy/policy";
import { tagsOf } from "../../offline/deployer-policy/boundary";
import { TAG } from "../../components/facts";
import { ELBV2, FUNCTIONS, TOKENS } from "../../policies/shared/tokens";
import type { Request, ResourcePolicy } from "../../offline/engine/iam-evaluator";

/** The deploying role the mocks answer getSessionContext with (offline/engine/mocks.ts). */
export const DEPLOYER_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/deployer`;

export interface ProgramRequest extends Request {
    /** What makes the request: `<type> <logical name>: <phase>`. */
    readonly why: string;
    readonly resourcePolicy?: ResourcePolicy;
}

const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

export { tagsOf };

function tagContext(prefix: "aws:RequestTag" | "aws:ResourceTag", tags: Record<string, string>): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = Object.fromEntries(Object.entries(tags).map(([k, v]) => [`${prefix}/${k}`, v]));
    if (prefix === "aws:RequestTag") out["aws:TagKeys"] = Object.keys(tags);
    return out;
}

/** Requests for every resource of the runs, and for the look-ups. */
export function programRequests(runs: readonly ProgramRun[], region: string): ProgramRequest[] {
    return runs.flatMap(run => runRequests(run, region));
}

function runRequests(run: ProgramRun, region: string): ProgramRequest[] {
    const all = run.resources;
    const byArn = (arn: unknown) => all.find(x => x.outputs.arn === arn || x.id === arn);
    const role = (ref: unknown) => all.find(x => x.type === TOKENS.iamRole && (x.outputs.arn === ref || x.outputs.name === ref));
    const keyOf = (ref: unknown) => all.find(x => x.type === TOKENS.kmsKey && (x.outputs.arn === ref || x.outputs.keyId === ref || x.id === ref));
    const keyPolicy = (key: RecordedResource | undefined): ResourcePolicy | undefined =>
        key ? { policy: json(key.inputs.policy ?? defaultKeyPolicy()), kms: true } : undefined;
    // A secret's resource policy (components/pki/tls-secret.ts) decides with the caller's IAM policy on every call on the secret.
    const secretPolicy = (secretArn: unknown): ResourcePolicy | undefined => {
        const p = all.find(x => x.type === TOKENS.secretsManagerSecretPolicy && x.inputs.secretArn === secretArn);
        return p ? { policy: json(p.inputs.policy) } : undefined;
    };
    const base = { "aws:RequestedRegion": region, "kms:CallerAccount": ACCOUNT_ID };
    const out: ProgramRequest[] = [];

    for (const r of all.filter(x => x.custom && x.type.startsWith("aws:"))) {
        const entry = RESOURCE_ACTIONS[r.type];
        if (!entry) continue;
        const used = inputsSet(r);
        const tags = tagsOf(r);
        const args = Object.entries(entry.arguments).filter(([k]) => used.includes(k));
        const phases: [string, readonly string[]][] = [
            ["create", [...entry.create, ...(used.includes("tags") ? entry.tags?.onCreate ?? [] : []),
                ...args.filter(([, a]) => argumentWhen(a).includes("create")).flatMap(([, a]) => argumentCalls(a))]],
            ["read", entry.read], ["update", entry.update], ["delete", entry.delete], ["waiter", entry.waiters ?? []],
            ["tags", used.includes("tags") && entry.tags ? [...entry.tags.list, ...entry.tags.tag, ...entry.tags.untag] : []],
            ["argument", args.filter(([, a]) => argumentWhen(a).includes("existing")).flatMap(([, a]) => argumentCalls(a))],
            ["dependent", (entry.dependent ?? []).flatMap(d => d.actions)],
        ];
        for (const [phase, actions] of phases) {
            for (const action of actions) {
                const tagContextFor = phase === "create" ? tagContext("aws:RequestTag", tags) : tagContext("aws:ResourceTag", tags);
                for (const target of targets(action, r)) {
                    out.push({
                        action, why: `${r.type} ${r.name}: ${phase}`, resource: target.resource, resourcePolicy: target.resourcePolicy,
                        context: { ...base, ...(target.ownTags === false ? {} : tagContextFor), ...(target.context ?? {}) },
                    });
                }
            }
        }
    }
    for (const i of run.invokes) {
        for (const action of INVOKE_ACTIONS[i.token]?.actions ?? []) {
            const resource = ANY_RESOURCE_ACTIONS.has(action) ? "*"
                : i.token === FUNCTIONS.getSessionContext ? DEPLOYER_ARN
                    : i.token === FUNCTIONS.getSsmParameter ? `arn:aws:ssm:${region}::parameter${i.inputs.name}`
                        : i.token === FUNCTIONS.getManagedPrefixList ? `arn:aws:ec2:${region}:aws:prefix-list/pl-0123456789abcdef0`
                            : `arn:aws:${action.split(":")[0]}:${region}:${ACCOUNT_ID}:unknown`;
            out.push({ action, why: `look-up ${i.token}`, resource, context: base });
        }
    }
    return out;

    interface Target { resource: string; context?: Record<string, string | string[]>; resourcePolicy?: ResourcePolicy; ownTags?: boolean }

    /** What an action of resource `r` acts on, with the context that resource gives. */
    function targets(action: string, r: RecordedResource): Target[] {
        const [service, name] = action.split(":");
        if (ANY_RESOURCE_ACTIONS.has(action)) return [{ resource: "*" }];
        if (action === "iam:CreateServiceLinkedRole") {
            const linked = RESOURCE_ACTIONS[r.type].serviceLinkedRole!.service;
            return [{ resource: `arn:aws:iam::${ACCOUNT_ID}:role/aws-service-role/${linked}/AWSServiceRole`, context: { "iam:AWSServiceName": linked }, ownTags: false }];
        }
        if (action === "iam:PassRole") return passedRoles(r);
        if (service === "iam") return iamTargets(action, r);
        if (service === "kms") return kmsTargets(action, r);
        if (service === "s3") return [{ resource: s3Arn(r), ownTags: false }];
        if (service === "route53") {
            return [{ resource: name === "GetChange" ? "arn:aws:route53:::change/C0000000000000" : `arn:aws:route53:::hostedzone/${r.inputs.zoneId}` }];
        }
        // Another resource the call names.
        if (r.type === TOKENS.acmCertificateValidation) {
            const cert = byArn(r.inputs.certificateArn);
            return [{ resource: String(r.inputs.certificateArn), context: tagContext("aws:ResourceTag", tagsOf(cert)), ownTags: false }];
        }
        if (r.type === TOKENS.acmpcaCertificate || r.type === TOKENS.acmpcaCertificateAuthorityCertificate) {
            const ca = byArn(r.inputs.certificateAuthorityArn);
            return [{
                resource: String(r.inputs.certificateAuthorityArn), ownTags: false,
                context: { ...tagContext("aws:ResourceTag", tagsOf(ca)), ...(action === "acm-pca:IssueCertificate" ? { "acm-pca:TemplateArn": r.inputs.templateArn } : {}) },
            }];
        }
        if (r.type === TOKENS.appautoscalingTarget && service === "ecs") {
            const svc = all.find(x => x.type === TOKENS.ecsService && String(r.inputs.resourceId).endsWith(`/${x.outputs.name}`));
            return [{ resource: String(svc?.id), context: tagContext("aws:ResourceTag", tagsOf(svc)), ownTags: false }];
        }
        if (r.type === TOKENS.appautoscalingPolicy && service === "cloudwatch") {
            return [{ resource: `arn:aws:cloudwatch:${region}:${ACCOUNT_ID}:alarm:TargetTracking-${r.name}-AlarmHigh`, ownTags: false }];
        }
        if (r.type === TOKENS.autoscalingGroup && service === "ec2") {
            return [{ resource: `arn:aws:ec2:${region}:${ACCOUNT_ID}:instance/i-0123456789abcdef0`, ownTags: false }];
        }
        if (service === "secretsmanager") {
            const secret = r.type === TOKENS.secretsManagerSecret ? r : byArn(r.inputs.secretId ?? r.inputs.secretArn);
            return [{
                resource: String(secret?.outputs.arn), resourcePolicy: secretPolicy(secret?.outputs.arn),
                ...(secret === r ? {} : { context: tagContext("aws:ResourceTag", tagsOf(secret)), ownTags: false }),
            }];
        }
        if ((r.type === TOKENS.snsTopicPolicy || r.type === TOKENS.snsTopicSubscription) && service === "sns") {
            const topic = byArn(r.inputs.arn ?? r.inputs.topic);
            return [{ resource: String(r.inputs.arn ?? r.inputs.topic), context: tagContext("aws:ResourceTag", tagsOf(topic)), ownTags: false }];
        }
        if (r.type === ELBV2.lb.trustStoreRevocation) return [{ resource: String(r.inputs.trustStoreArn), ownTags: false }];
        if (r.type === TOKENS.cloudwatchMetricAlarm) return [{ resource: `arn:aws:cloudwatch:${region}:${ACCOUNT_ID}:alarm:${r.name}-0123456` }];
        if (r.type === TOKENS.appautoscalingTarget || r.type === TOKENS.appautoscalingPolicy) {
            return [{ resource: `arn:aws:application-autoscaling:${region}:${ACCOUNT_ID}:scalable-target/0123456789abcdef` }];
        }
        if (r.type === TOKENS.cloudwatchEventTarget) return [{ resource: `arn:aws:events:${region}:${ACCOUNT_ID}:rule/${r.inputs.rule ?? "rule"}`, ownTags: false }];
        const own = typeof r.outputs.arn === "string" && r.outputs.arn.startsWith(`arn:aws:${service}:`) ? r.outputs.arn
            : typeof r.id === "string" && r.id.startsWith(`arn:aws:${service}:`) ? r.id
                : `arn:aws:${service}:${region}:${ACCOUNT_ID}:${r.type.split(":")[2].toLowerCase()}/${r.id ?? r.name}`;
        return [{ resource: own }];
    }

    function iamTargets(action: string, r: RecordedResource): Target[] {
        const instanceProfileAction = /InstanceProfile/.test(action);
        if (r.type === TOKENS.iamRole) {
            if (instanceProfileAction && action !== "iam:ListInstanceProfilesForRole") {
                const profile = all.find(x => x.type === TOKENS.iamInstanceProfile && x.inputs.role === r.outputs.name);
                return [{ resource: profile?.outputs.arn ?? `arn:aws:iam::${ACCOUNT_ID}:instance-profile${r.inputs.path}${r.name}-0000000`, ownTags: false }];
            }
            return [{ resource: r.outputs.arn, context: { "iam:PermissionsBoundary": r.inputs.permissionsBoundary } }];
        }
        if (r.type === TOKENS.iamInstanceProfile) return [{ resource: r.outputs.arn }];
        // A role's policies: the role is the resource, with its boundary.
        const target = role(r.inputs.role);
        return [{
            resource: String(target?.outputs.arn), ownTags: false,
            context: {
                "iam:PermissionsBoundary": target?.inputs.permissionsBoundary,
                ...tagContext("aws:ResourceTag", tagsOf(target)),
                ...(r.inputs.policyArn ? { "iam:PolicyARN": r.inputs.policyArn } : {}),
            },
        }];
    }

    /** The roles a resource passes, each to the service its trust policy names. */
    function passedRoles(r: RecordedResource): Target[] {
        const refs: unknown[] = r.type === TOKENS.autoscalingGroup
            // The group launches with the template's instance profile, whose role Auto Scaling checks.
            ? all.filter(x => x.type === TOKENS.iamInstanceProfile).map(x => x.inputs.role)
            : [r.inputs.iamRoleArn, r.inputs.executionRoleArn, r.inputs.taskRoleArn, r.inputs.role, r.inputs.target?.roleArn];
        return refs.map(role).filter((x): x is RecordedResource => !!x).map(passed => ({
            resource: passed.outputs.arn, ownTags: false,
            context: {
                ...tagContext("aws:ResourceTag", tagsOf(passed)),
                // AddRoleToInstanceProfile names no service (policy.ts).
                ...(r.type === TOKENS.iamInstanceProfile ? {} : { "iam:PassedToService": trustedServices(passed)[0] }),
            },
        }));
    }

    function kmsTargets(action: string, r: RecordedResource): Target[] {
        if (r.type === TOKENS.kmsKey) return [{ resource: r.outputs.arn, resourcePolicy: keyPolicy(r) }];
        if (r.type === TOKENS.kmsAlias) {
            const key = keyOf(r.inputs.targetKeyId);
            return [{ resource: r.outputs.arn, ownTags: false }, { resource: key?.outputs.arn, resourcePolicy: keyPolicy(key), ownTags: false }];
        }
        // Secrets Manager uses the secret's key on the caller's behalf.
        const secret = byArn(r.inputs.secretId);
        const key = keyOf(secret?.inputs.kmsKeyId);
        return [{
            resource: key?.outputs.arn, resourcePolicy: keyPolicy(key), ownTags: false,
            context: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com`, ...tagContext("aws:ResourceTag", tagsOf(key)) },
        }];
    }

    function s3Arn(r: RecordedResource): string {
        if (r.type === TOKENS.s3Bucket) return `arn:aws:s3:::${r.outputs.bucket}`;
        if (r.type === TOKENS.s3BucketObjectV2) return `arn:aws:s3:::${r.inputs.bucket}/${r.inputs.key}`;
        if (r.type === ELBV2.lb.trustStore) return `arn:aws:s3:::${r.inputs.caCertificatesBundleS3Bucket}/${r.inputs.caCertificatesBundleS3Key}`;
        if (r.type === ELBV2.lb.trustStoreRevocation) return `arn:aws:s3:::${r.inputs.revocationsS3Bucket}/${r.inputs.revocationsS3Key}`;
        return `arn:aws:s3:::${r.inputs.bucket}`;
    }
}

/** The policy KMS gives a key created without one: the account's IAM policies decide. */
function defaultKeyPolicy() {
    return { Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }] };
}

export { TAG };
