/**
 * The stack's configuration keys: every key of the `e2e-tls` namespace, its type and its default.
 * Pulumi.yaml declares the same keys with the same defaults (a test keeps the two in step); the
 * modes are data, so the validators and the types cannot disagree.
 */

import { DEFAULT_SSL_POLICY } from "../policies/shared/ssl-policies";
import { MtlsMode, MTLS_MODES } from "../policies/shared/mtls-modes";
import type { ApplicationArgs } from "../components/compute/application";

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

export interface StackConfig {
    readonly compute: Compute;
    readonly pki: Pki;
    readonly sslPolicy: string;
    readonly mtlsMode: MtlsMode;
    readonly azCount: number;
    readonly vpcCidr: string;
    readonly natGateways: NatGateways;
    /** Set together with hostedZoneId, or neither is set. */
    readonly domainName?: string;
    readonly hostedZoneId?: string;
    readonly backendPort: number;
    readonly backendDnsName: string;
    readonly mtlsClients: string[];
    /**
     * mTLS clients that bring their own key: PEM certificate signing requests, each given inline or
     * as a file path relative to the project folder. The request's common name is the client's
     * name. Validation reads the files: afterwards every entry is the PEM itself.
     */
    readonly mtlsClientCsrs: string[];
    /**
     * Serial numbers of client certificates the load balancer must refuse, in the one form
     * validation gives them (components/pki/serial.ts): upper-case hexadecimal, no separators, no
     * leading zeros.
     */
    readonly revokedSerials: string[];
    readonly allowedCidrs: string[];
    readonly instanceType: string;
    /** Pinned AMI of the asg tier; undefined: the latest AL2023 at the first deploy, then held. */
    readonly amiId?: string;
    readonly minSize: number;
    readonly maxSize: number;
    readonly desiredSize: number;
    readonly taskCpu: number;
    readonly taskMemory: number;
    readonly terminatorImage: string;
    /**
     * The application (components/compute/application.ts names each key's component input):
     * undefined image and start command mean the demo application.
     */
    readonly appImage?: string;
    readonly appCommand?: string[];
    readonly appEntryPoint?: string[];
    readonly appPort: number;
    /** Plain environment variables by name, each value a string (numbers and booleans normalised). */
    readonly appEnvironment: Record<string, string>;
    /** Environment variable name to the ARN its value is read from. */
    readonly appSecrets: Record<string, string>;
    /** Undefined: "/" for the user's application, "/healthz" for the demo. */
    readonly appHealthCheckPath?: string;
    readonly appHealthCheckCodes: string;
    readonly appStartCommand?: string;
    readonly certValidityHours: number;
    readonly certEarlyRenewalHours: number;
    readonly caValidityHours: number;
    /** Generation of the CA that signs (1, 2, ...): raising it introduces a new CA (README, CA rotation). */
    readonly caGeneration: number;
    /** The previous generation, still trusted while its clients move to the new CA; unset: none. */
    readonly retiringCaGeneration?: number;
    readonly deletionProtection: boolean;
    /** Keep the access-log bucket (not emptied) when the stack is destroyed. */
    readonly retainAccessLogs: boolean;
    readonly flowLogs: boolean;
    readonly logRetentionDays: number;
    /**
     * IAM role or user ARN patterns (ArnLike wildcards allowed, never a name of wildcards only)
     * that may read the certificate secrets besides the tier and the deploying role.
     */
    readonly adminPrincipalArns: string[];
    /**
     * ARN of the IAM managed policy every role the stack creates carries as its permissions
     * boundary: a policy of the deploying account. Undefined: the policy named
     * `<project>-<stack>-role-boundary` in the deploying account (components/security/stack-scope.ts).
     */
    readonly permissionsBoundaryArn?: string;
    /**
     * Who is told when a certificate nears expiry or the tier refuses a renewal: an SNS topic ARN
     * (used as is) or an e-mail address (a stack-owned, KMS-encrypted topic with that subscription).
     * Undefined: the stack-owned topic without a subscriber.
     */
    readonly alertTarget?: string;
}

/**
 * A whole number. TypeScript has only `number`: a component input declared `Integer` is typed
 * "integer" in the package schema (package/schema.ts), so Python, Go, C# and Java take an int.
 */
export type Integer = number;

/**
 * The types a Pulumi.yaml config declaration takes. `object` (a map) is accepted by the Pulumi CLI
 * since v3.186.0 (pulumi/pulumi#20129: sdk/go/common/workspace/project.json, simpleConfigType),
 * which checks only that the stack's value is a map (project.go, ValidateConfigValue); the
 * program checks its values (validate/coerce.ts).
 */
export type KeyType = "string" | "integer" | "boolean" | "array" | "object";

/**
 * The asg tier's instance type when none is configured: 2 GiB. A 0.5 GiB nano is killed for memory
 * while dnf installs at boot beside the SSM agent (amazonlinux/amazon-linux-2023#404), and 1 GiB
 * micro sizes have similar, unconfirmed reports (amazon-linux-2023#407, aws/amazon-ssm-agent#487).
 */
export const DEFAULT_INSTANCE_TYPE = "t4g.small";

/** Type and default of every key; Pulumi.yaml declares exactly these. */
export const CONFIG_KEYS: Record<keyof StackConfig, { type: KeyType; default?: string | number | boolean | string[] | Record<string, string> }> = {
    compute: { type: "string", default: "asg" },
    pki: { type: "string", default: "self-managed" },
    sslPolicy: { type: "string", default: DEFAULT_SSL_POLICY },
    mtlsMode: { type: "string", default: "verify" },
    azCount: { type: "integer", default: 2 },
    vpcCidr: { type: "string", default: "10.0.0.0/16" },
    natGateways: { type: "string", default: "none" },
    domainName: { type: "string" },
    hostedZoneId: { type: "string" },
    backendPort: { type: "integer", default: 8443 },
    backendDnsName: { type: "string", default: "backend.e2e-tls.internal" },
    mtlsClients: { type: "array", default: [] },
    revokedSerials: { type: "array", default: [] },
    mtlsClientCsrs: { type: "array", default: [] },
    allowedCidrs: { type: "array", default: ["0.0.0.0/0"] },
    instanceType: { type: "string", default: DEFAULT_INSTANCE_TYPE },
    amiId: { type: "string" },
    minSize: { type: "integer", default: 2 },
    maxSize: { type: "integer", default: 4 },
    desiredSize: { type: "integer", default: 2 },
    taskCpu: { type: "integer", default: 256 },
    taskMemory: { type: "integer", default: 512 },
    terminatorImage: { type: "string", default: "public.ecr.aws/nginx/nginx:1.27-alpine" },
    appImage: { type: "string" },
    appCommand: { type: "array" },
    appEntryPoint: { type: "array" },
    appPort: { type: "integer", default: 8080 },
    appEnvironment: { type: "object", default: {} },
    appSecrets: { type: "object", default: {} },
    appHealthCheckPath: { type: "string" },
    appHealthCheckCodes: { type: "string", default: "200" },
    appStartCommand: { type: "string" },
    certValidityHours: { type: "integer", default: 2160 },
    certEarlyRenewalHours: { type: "integer", default: 720 },
    caValidityHours: { type: "integer", default: 87600 },
    caGeneration: { type: "integer", default: 1 },
    retiringCaGeneration: { type: "integer" },
    deletionProtection: { type: "boolean", default: false },
    retainAccessLogs: { type: "boolean", default: false },
    flowLogs: { type: "boolean", default: false },
    logRetentionDays: { type: "integer", default: 30 },
    adminPrincipalArns: { type: "array", default: [] },
    permissionsBoundaryArn: { type: "string" },
    alertTarget: { type: "string" },
};

/**
 * The config key of each application input: the stack config is flat (`e2e-tls:appImage`), the
 * component's input nested (`application.image`).
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
} as const satisfies Record<keyof ApplicationArgs, keyof StackConfig>;

/**
 * Where a config key's value goes among WebTier's inputs when it is not the input of the same
 * name: a path into a nested input (`appImage` as `application.image`, were the stack config
 * flat where the component is nested). Messages name such a value by this path when it came in as
 * a component input (validate/check.ts, `key`), and Pulumi.yaml declares the key with the nested
 * input's type and description (package/project-config.ts). Every other key is the input of its name.
 */
export const INPUT_PATHS: Partial<Record<keyof StackConfig, string>> = Object.fromEntries(
    Object.entries(APPLICATION_KEYS).map(([input, k]) => [k, `application.${input}`]));

