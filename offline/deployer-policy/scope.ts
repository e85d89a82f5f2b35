/**
 * Which runs a stack's policy covers (its variants) and where the policy applies (its scope: the
 * account, region, hosted zone, stack tag, IAM path and boundary of one stack, and the references
 * of its application).
 */
import { loadStackConfig } from "../engine/run-program";
import { ACCOUNT_ID } from "../engine/mocks";
import { defaultBoundaryPolicyName, stackScope } from "../../components/security/stack-scope";
import { ecrRepositoryArn, isPrivateEcrImage } from "../../components/compute/images";
import { parseSecretReference } from "../../components/compute/secret-references";
import { PARTNER_VARIANT_CSR, SAMPLE_AMI, SAMPLE_START_COMMAND, sampleImages, sampleSecrets } from "./samples";

/** One run of the program: a stack and config overrides. */
export interface Variant {
    readonly stack: string;
    /** What the run stands for, e.g. "ecs, no NAT, application image and secrets". */
    readonly label: string;
    /** Overrides of the stack's configuration, keyed as `pulumi config set` keys them. */
    readonly config: Record<string, string>;
}

const NAT = { none: "no NAT", single: "NAT" } as const;
const key = (k: string) => `e2e-tls:${k}`;

/**
 * The variants a stack's policy covers, from its configuration (`base`: overrides of it, as
 * `pulumi config set` would make them):
 * - both compute modes, with and without NAT, with the stack's own application (or the demo),
 *   changed only where a mode refuses it (below);
 * - a revoked serial where the stack's CA is self-managed (the only one that signs revocation
 *   lists), and a bring-your-own-key partner (its certificate's SSM parameter and renewal rule);
 * - an application (samples.ts) in both modes with and without NAT: an image from the
 *   account's ECR, secrets from Secrets Manager (whole, and one JSON key) and SSM Parameter
 *   Store; NAT changes the VPC endpoints it needs (ECR on EC2, SSM on ECS). And a start command on
 *   a baked AMI (EC2), which adds nothing NAT would change.
 */
export function variants(stack: string, base: Record<string, string> = {}): Variant[] {
    const config = loadStackConfig(stack, base);
    const region = config["aws:region"] ?? "us-east-1";
    const images = sampleImages(stack, region);
    // The runs deploy to the mocks' account, where the program refuses a boundary of another: a
    // configured one is named in that account for the runs (the scope keeps the configured ARN).
    const boundary = config[key("permissionsBoundaryArn")] ?? "";
    const inRunAccount = boundary === "" ? {} : { [key("permissionsBoundaryArn")]: boundary.replace(/^(arn:[^:]+:iam::)\d{12}:/, `$1${ACCOUNT_ID}:`) };
    const out: Variant[] = [];
    const add = (label: string, overrides: Record<string, string>) => out.push({ stack, label, config: { ...base, ...inRunAccount, ...overrides } });
    for (const compute of ["asg", "ecs"] as const) {
        for (const natGateways of ["none", "single"] as const) {
            add(`${compute}, ${NAT[natGateways]}`, {
                [key("compute")]: compute, [key("natGateways")]: natGateways, ...ownApplication(config, compute, natGateways, region, images),
            });
        }
    }
    if ((config[key("pki")] ?? "self-managed") === "self-managed") add("a revoked serial", { [key("revokedSerials")]: JSON.stringify(["01"]) });
    add("a bring-your-own-key partner", { [key("mtlsClientCsrs")]: JSON.stringify([PARTNER_VARIANT_CSR]) });
    const secrets = JSON.stringify(sampleSecrets(region));
    for (const compute of ["asg", "ecs"] as const) {
        for (const natGateways of ["none", "single"] as const) {
            add(`${compute}, ${NAT[natGateways]}, application image and secrets`, {
                [key("compute")]: compute, [key("natGateways")]: natGateways, [key("appStartCommand")]: "", [key("appImage")]: images.appImage,
                [key("appSecrets")]: secrets,
                ...(compute === "ecs" && natGateways === "none" && !isPrivateEcrImage(config[key("terminatorImage")] ?? "", region)
                    ? { [key("terminatorImage")]: images.terminatorImage } : {}),
            });
        }
    }
    add("asg, no NAT, start command on a baked AMI and secrets", {
        [key("compute")]: "asg", [key("natGateways")]: "none", [key("amiId")]: config[key("amiId")] || SAMPLE_AMI,
        [key("appImage")]: "", [key("appCommand")]: "", [key("appEntryPoint")]: "", [key("appStartCommand")]: SAMPLE_START_COMMAND,
        [key("appSecrets")]: secrets,
    });
    return out;
}

/**
 * The stack's own application as a compute mode and NAT setting take it: config validation refuses
 * a start command on ECS, and without NAT an image that is not the account's ECR image of the
 * region (the ECS demo's included) and a secret of another region. Those are replaced by the
 * sample's image, or left out; everything else is the stack's.
 */
function ownApplication(config: Record<string, string>, compute: "asg" | "ecs", natGateways: "none" | "single", region: string,
    images: { appImage: string; terminatorImage: string }): Record<string, string> {
    const out: Record<string, string> = {};
    const startCommand = (config[key("appStartCommand")] ?? "") !== "";
    const appImage = config[key("appImage")] ?? "";
    if (compute === "ecs" && startCommand) Object.assign(out, { [key("appStartCommand")]: "", [key("appImage")]: images.appImage });
    if (natGateways === "none") {
        const runsImage = appImage !== "" || compute === "ecs";
        if (runsImage && !startCommand && !isPrivateEcrImage(appImage, region)) out[key("appImage")] = images.appImage;
        if (compute === "ecs" && !isPrivateEcrImage(config[key("terminatorImage")] ?? "", region)) out[key("terminatorImage")] = images.terminatorImage;
        const secrets = appSecrets(config);
        const reachable = Object.fromEntries(Object.entries(secrets).filter(([, ref]) => parseSecretReference(ref)?.region === region));
        if (Object.keys(reachable).length !== Object.keys(secrets).length) out[key("appSecrets")] = JSON.stringify(reachable);
    }
    return out;
}

function appSecrets(config: Record<string, string>): Record<string, string> {
    const raw = config[key("appSecrets")] ?? "";
    if (raw === "") return {};
    const parsed = JSON.parse(raw);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(`e2e-tls:appSecrets is ${raw}: not a map of names to ARNs`);
    return parsed;
}

/**
 * What the application of a stack's configuration names outside the stack: the secrets and
 * parameters it reads and the private ECR repositories its images come from. The roles'
 * boundary lets the stack's roles read and pull exactly these (boundary.ts): a new secret or image
 * means generating the boundary again and updating the policy before `pulumi up`.
 */
export interface ApplicationReferences {
    /** Config `appSecrets`: environment variable name to the ARN of a secret or parameter (ECS's JSON-key form allowed). */
    readonly secrets: Readonly<Record<string, string>>;
    /** ARNs of the ECR repositories of config `appImage` and `terminatorImage`, when they are in an ECR registry. */
    readonly repositories: readonly string[];
}

export function applicationReferences(config: Record<string, string>): ApplicationReferences {
    const images = [config[key("appImage")], config[key("terminatorImage")]].filter((i): i is string => !!i);
    return {
        secrets: appSecrets(config),
        repositories: [...new Set(images.map(ecrRepositoryArn).filter((a): a is string => !!a))].sort(),
    };
}

/** Where the policy applies: one stack in one account and region. */
export interface Scope {
    /** 12-digit account id, or "*". */
    readonly account: string;
    /** Region, e.g. "eu-west-1", or "*". */
    readonly region: string;
    /** The project (Pulumi.yaml `name`). */
    readonly project: string;
    readonly stack: string;
    /** The stack's `e2etls:stack` tag value. */
    readonly tagValue: string;
    /** IAM path of the stack's roles and instance profiles. */
    readonly iamPath: string;
    /** ARN (account "*" allowed) of the permissions boundary of the stack's roles. */
    readonly boundaryArn: string;
    /** The stack's Route 53 hosted zone, when it has a domain. */
    readonly hostedZoneId?: string;
    /** What the stack's application reads and pulls, from its configuration. */
    readonly application: ApplicationReferences;
}

/**
 * The scope of a stack, from its configuration (Pulumi.yaml defaults, Pulumi.<stack>.yaml, then
 * `overrides` as `pulumi config set` keys them): the hosted zone, the boundary and the
 * application's references follow the stack's own values.
 */
export function stackPolicyScope(project: string, stack: string, account = "*", region = "*", overrides: Record<string, string> = {}): Scope {
    const config = loadStackConfig(stack, overrides);
    const boundaryArn = config[key("permissionsBoundaryArn")]
        || `arn:aws:iam::${account}:policy/${defaultBoundaryPolicyName(project, stack)}`;
    return {
        account, region, project, stack, ...stackScope(project, stack), boundaryArn,
        hostedZoneId: config[key("hostedZoneId")] || undefined,
        application: applicationReferences(config),
    };
}
