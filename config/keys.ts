/**
 * The stack's configuration keys: every key of the `e2e-tls` namespace, its type and its default.
 * Pulumi.yaml declares the same keys with the same defaults (a test keeps the two in step); the
 * modes are data, so the validators and the types cannot disagree.
 */

import { DEFAULT_SSL_POLICY } from "../policies/shared/ssl-policies";
import { MtlsMode, MTLS_MODES } from "../policies/shared/mtls-modes";

export const NAMESPACE = "e2e-tls";

// Each closed set is an `as const` object whose type shares its name: the shape Pulumi's schema
// inference turns into an enum (@pulumi/pulumi provider/experimental/analyzer.js, extractEnumMembers).

/** Where the backend tier runs: an EC2 Auto Scaling group or an ECS Fargate service. */
export const Compute = {
    /** An EC2 Auto Scaling group. */
    asg: "asg",
    /** An ECS service on Fargate. */
    ecs: "ecs",
} as const;
export type Compute = (typeof Compute)[keyof typeof Compute];
export const COMPUTES = Object.values(Compute);

/** Who signs the backend and client certificates. */
export const Pki = {
    /** A `@pulumi/tls` CA whose key is a secret in the stack's state. */
    selfManaged: "self-managed",
    /** AWS Private CA (general-purpose mode, about $400 a month). */
    awsPrivateCa: "aws-private-ca",
} as const;
export type Pki = (typeof Pki)[keyof typeof Pki];
export const PKIS = Object.values(Pki);

// The ALB mutual TLS modes are an AWS fact the pack needs too: their home is the pack's.
export { MtlsMode, MTLS_MODES };

/** NAT gateways for the private subnets. */
export const NatGateways = {
    /** None: VPC interface endpoints only. */
    none: "none",
    /** One NAT gateway for every AZ. */
    single: "single",
    /** One NAT gateway per AZ. */
    perAz: "perAz",
} as const;
export type NatGateways = (typeof NatGateways)[keyof typeof NatGateways];
export const NAT_GATEWAYS = Object.values(NatGateways);

/** Whether the private subnets route to the internet through NAT (anything but "none"). */
export function hasNatRoute(natGateways: NatGateways): boolean {
    return natGateways !== "none";
}

/**
 * A whole number. TypeScript has only `number`: a component input declared `Integer` is typed
 * "integer" in the package schema (package/schema.ts), so Python, Go, C# and Java take an int.
 */
export type Integer = number;

/**
 * The TypeScript type of each type a Pulumi.yaml config declaration takes, as the program holds a
 * validated value. `object` (a map) is accepted by the Pulumi CLI since v3.186.0 (pulumi/pulumi#20129:
 * sdk/go/common/workspace/project.json, simpleConfigType), which checks only that the stack's value
 * is a map (project.go, ValidateConfigValue); the program checks its values (validate/coerce.ts).
 */
interface ValueOfType {
    string: string;
    integer: number;
    boolean: boolean;
    array: string[];
    object: Record<string, string>;
}
export type KeyType = keyof ValueOfType;

/** What CONFIG_KEYS says of a key. */
export interface KeySpec {
    /** Its Pulumi.yaml type, which gives its TypeScript type ({@link ValueOfType}). */
    readonly type: KeyType;
    /** A mode's closed set (its `as const` object): the key's type is the union of its values. */
    readonly values?: Readonly<Record<string, string>>;
    /** The value of an unset key. A key without one is optional in {@link StackConfig}: undefined when unset. */
    readonly default?: string | number | boolean | readonly string[] | Readonly<Record<string, string>>;
}

/**
 * The asg tier's instance type when none is configured: 2 GiB. A 0.5 GiB nano is killed for memory
 * while dnf installs at boot beside the SSM agent (amazonlinux/amazon-linux-2023#404), and 1 GiB
 * micro sizes have similar, unconfirmed reports (amazon-linux-2023#407, aws/amazon-ssm-agent#487).
 */
export const DEFAULT_INSTANCE_TYPE = "t4g.small";

/**
 * Every key of the stack's configuration: its type and default (Pulumi.yaml declares exactly these,
 * written by `npm run schema`), and through them {@link StackConfig}, the type of a validated
 * configuration. The one declaration of the keys.
 */
const KEYS = {
    compute: { type: "string", values: Compute, default: Compute.asg },
    pki: { type: "string", values: Pki, default: Pki.selfManaged },
    sslPolicy: { type: "string", default: DEFAULT_SSL_POLICY },
    mtlsMode: { type: "string", values: MtlsMode, default: MtlsMode.verify },
    azCount: { type: "integer", default: 2 },
    vpcCidr: { type: "string", default: "10.0.0.0/16" },
    natGateways: { type: "string", values: NatGateways, default: NatGateways.none },
    /** Set together with hostedZoneId, or neither is set. */
    domainName: { type: "string" },
    hostedZoneId: { type: "string" },
    backendPort: { type: "integer", default: 8443 },
    backendDnsName: { type: "string", default: "backend.e2e-tls.internal" },
    mtlsClients: { type: "array", default: [] },
    /**
     * Serial numbers of client certificates the load balancer must refuse, in the one form
     * validation gives them (components/pki/serial.ts): upper-case hexadecimal, no separators, no
     * leading zeros.
     */
    revokedSerials: { type: "array", default: [] },
    /**
     * mTLS clients that bring their own key: PEM certificate signing requests, each given inline or
     * as a file path relative to the project folder. The request's common name is the client's
     * name. Validation reads the files: afterwards every entry is the PEM itself.
     */
    mtlsClientCsrs: { type: "array", default: [] },
    allowedCidrs: { type: "array", default: ["0.0.0.0/0"] },
    instanceType: { type: "string", default: DEFAULT_INSTANCE_TYPE },
    /** Pinned AMI of the asg tier; undefined: the latest AL2023 at the first deploy, then held. */
    amiId: { type: "string" },
    minSize: { type: "integer", default: 2 },
    maxSize: { type: "integer", default: 4 },
    desiredSize: { type: "integer", default: 2 },
    taskCpu: { type: "integer", default: 256 },
    taskMemory: { type: "integer", default: 512 },
    terminatorImage: { type: "string", default: "public.ecr.aws/nginx/nginx:1.27-alpine" },
    /**
     * The application (components/compute/application.ts names each key's component input):
     * undefined image and start command mean the demo application.
     */
    appImage: { type: "string" },
    appCommand: { type: "array" },
    appEntryPoint: { type: "array" },
    appPort: { type: "integer", default: 8080 },
    /** Plain environment variables by name, each value a string (numbers and booleans normalised). */
    appEnvironment: { type: "object", default: {} },
    /** Environment variable name to the ARN its value is read from. */
    appSecrets: { type: "object", default: {} },
    /** Undefined: "/" for the user's application, "/healthz" for the demo. */
    appHealthCheckPath: { type: "string" },
    appHealthCheckCodes: { type: "string", default: "200" },
    appStartCommand: { type: "string" },
    certValidityHours: { type: "integer", default: 2160 },
    certEarlyRenewalHours: { type: "integer", default: 720 },
    caValidityHours: { type: "integer", default: 87600 },
    /** Generation of the CA that signs (1, 2, ...): raising it introduces a new CA (docs/operations.md, CA rotation). */
    caGeneration: { type: "integer", default: 1 },
    /** The previous generation, still trusted while its clients move to the new CA; unset: none. */
    retiringCaGeneration: { type: "integer" },
    deletionProtection: { type: "boolean", default: false },
    /** Keep the access-log bucket (not emptied) when the stack is destroyed. */
    retainAccessLogs: { type: "boolean", default: false },
    flowLogs: { type: "boolean", default: false },
    logRetentionDays: { type: "integer", default: 30 },
    /**
     * IAM role or user ARN patterns (ArnLike wildcards allowed, never a name of wildcards only)
     * that may read the certificate secrets besides the tier and the deploying role.
     */
    adminPrincipalArns: { type: "array", default: [] },
    /**
     * ARN of the IAM managed policy every role the stack creates carries as its permissions
     * boundary: a policy of the deploying account. Undefined: the policy named
     * `<project>-<stack>-role-boundary` in the deploying account (components/security/stack-scope.ts).
     */
    permissionsBoundaryArn: { type: "string" },
    /**
     * Who is told when a certificate nears expiry or the tier refuses a renewal: an SNS topic ARN
     * (used as is) or an e-mail address (a stack-owned, KMS-encrypted topic with that subscription).
     * Undefined: the stack-owned topic without a subscriber.
     */
    alertTarget: { type: "string" },
} as const satisfies Record<string, KeySpec>;

type Keys = typeof KEYS;
/** A key's TypeScript type: the union of its mode's values, or its config type's. */
type ValueOf<S extends KeySpec> = S extends { readonly values: infer V } ? V[keyof V] : ValueOfType[S["type"]];
/** The keys with a default: always set in a validated configuration. */
type Defaulted = { [K in keyof Keys]: Keys[K] extends { readonly default: unknown } ? K : never }[keyof Keys];

/** A validated configuration: every key, of its type; a key without a default may be undefined. */
export type StackConfig =
    & { readonly [K in keyof Keys as K extends Defaulted ? K : never]: ValueOf<Keys[K]> }
    & { readonly [K in keyof Keys as K extends Defaulted ? never : K]?: ValueOf<Keys[K]> };

/** {@link KEYS}, as its readers take it: each key's spec. */
export const CONFIG_KEYS: Readonly<Record<keyof StackConfig, KeySpec>> = KEYS;

/**
 * The config key of each application input: the stack config is flat (`e2e-tls:appImage`), the
 * component's input nested (`application.image`). ApplicationArgs (components/compute/application.ts)
 * checks that every input of its has one.
 */
export const APPLICATION_KEYS = {
    image: "appImage",
    command: "appCommand",
    entryPoint: "appEntryPoint",
    port: "appPort",
    environment: "appEnvironment",
    secrets: "appSecrets",
    healthCheckPath: "appHealthCheckPath",
    healthCheckCodes: "appHealthCheckCodes",
    startCommand: "appStartCommand",
} as const satisfies Record<string, keyof StackConfig>;

/**
 * Where a config key's value goes among WebTier's inputs when it is not the input of the same
 * name: a path into a nested input (`appImage` as `application.image`, were the stack config
 * flat where the component is nested). Messages name such a value by this path when it came in as
 * a component input (validate/check.ts, `key`), and Pulumi.yaml declares the key with the nested
 * input's type and description (package/project-config.ts). Every other key is the input of its name.
 */
export const INPUT_PATHS: Partial<Record<keyof StackConfig, string>> = Object.fromEntries(
    Object.entries(APPLICATION_KEYS).map(([input, k]) => [k, `application.${input}`]));

