/**
 * Container image references of the tier (the ECS terminator's, the application's in either
 * mode): which registry an image comes from, its ECR repository, and where the stack's ECR
 * pull-through cache keeps a copy of it. Pure: config validation and both tiers use it.
 */

/** ECR Public, the upstream registry of the stack's pull-through cache rule. */
export const ECR_PUBLIC_REGISTRY = "public.ecr.aws";

export interface ImageRef {
    /** Registry host, e.g. "public.ecr.aws" or "123456789012.dkr.ecr.eu-west-1.amazonaws.com". */
    readonly registry: string;
    /** Repository path inside the registry, e.g. "nginx/nginx". */
    readonly repository: string;
    /** What follows the repository: ":tag", "@sha256:…" or both; empty for the implicit latest. */
    readonly reference: string;
}

/** Splits `registry/path[:tag][@digest]`; undefined when the reference names no registry host. */
export function parseImageRef(ref: string): ImageRef | undefined {
    const slash = ref.indexOf("/");
    if (slash <= 0 || !/[.:]/.test(ref.slice(0, slash))) return undefined;
    const registry = ref.slice(0, slash);
    const rest = ref.slice(slash + 1);
    const at = rest.indexOf("@");
    const named = at >= 0 ? rest.slice(0, at) : rest;
    const colon = named.lastIndexOf(":");
    const repository = colon >= 0 ? named.slice(0, colon) : named;
    if (repository === "") return undefined;
    return { registry, repository, reference: rest.slice(repository.length) };
}

/**
 * True for an image in the account's private ECR registry of `region` (any account and region
 * when `region` is undefined): `<12 digits>.dkr.ecr.<region>.amazonaws.com/<repository>`. Those
 * are the only images a task in a subnet without NAT can pull: through the ecr.api and ecr.dkr
 * interface endpoints, with the layers from S3 through the gateway endpoint
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html).
 */
export function isPrivateEcrImage(ref: string, region?: string): boolean {
    const image = parseImageRef(ref);
    const m = image && /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(image.registry);
    return !!m && (region === undefined || m[1] === region);
}

/** The upstream repository path of an ECR Public image (e.g. "nginx/nginx"), else undefined. */
export function ecrPublicRepository(ref: string): string | undefined {
    const image = parseImageRef(ref);
    return image?.registry === ECR_PUBLIC_REGISTRY ? image.repository : undefined;
}

/**
 * The ARN of the ECR repository a private ECR image is in (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>`),
 * what IAM scopes its pull to (`arn:aws:ecr:<region>:<account>:repository/<name>`,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html#amazonelasticcontainerregistry-resources-for-iam-policies);
 * undefined for an image of another registry.
 */
export function ecrRepositoryArn(ref: string): string | undefined {
    const image = parseImageRef(ref);
    const m = image && /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/.exec(image.registry);
    return m ? `arn:aws:ecr:${m[2]}:${m[1]}:repository/${image!.repository}` : undefined;
}

/** The registry host of an image (`123456789012.dkr.ecr.us-east-1.amazonaws.com`), else undefined. */
export function registryOf(ref: string): string | undefined {
    return parseImageRef(ref)?.registry;
}
