import * as pulumi from "@pulumi/pulumi";
import { MinTlsVersion, policiesAtLeast, sslPolicyInfo } from "../policies/shared/ssl-policies";
import { isPrivateEcrImage } from "../components/compute/images";
import { findPlaceholders } from "./placeholders";
import { regionProblem } from "./regions";

/**
 * The stack's configuration: every key of the `e2e-tls` namespace, read once and validated before
 * any resource is registered. Pulumi.yaml declares the same keys with the same defaults (a test
 * keeps the two in step).
 */

export type Compute = "asg" | "ecs";
export type Pki = "self-managed" | "aws-private-ca";
export type MtlsMode = "verify" | "passthrough" | "off";
export type NatGateways = "none" | "single" | "perAz";

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
    readonly appPort: number;
    readonly backendDnsName: string;
    readonly mtlsClients: string[];
    /** Serial numbers (hex) of client certificates the load balancer must refuse. */
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
    readonly appImage: string;
    readonly certValidityHours: number;
    readonly certEarlyRenewalHours: number;
    readonly caValidityHours: number;
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
}

export const NAMESPACE = "e2e-tls";

type KeyType = "string" | "integer" | "boolean" | "array";

/** Type and default of every key; Pulumi.yaml declares exactly these. */
export const CONFIG_KEYS: Record<keyof StackConfig, { type: KeyType; default?: string | number | boolean | string[] }> = {
    compute: { type: "string", default: "asg" },
    pki: { type: "string", default: "self-managed" },
    sslPolicy: { type: "string", default: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" },
    mtlsMode: { type: "string", default: "verify" },
    azCount: { type: "integer", default: 2 },
    vpcCidr: { type: "string", default: "10.0.0.0/16" },
    natGateways: { type: "string", default: "none" },
    domainName: { type: "string" },
    hostedZoneId: { type: "string" },
    backendPort: { type: "integer", default: 8443 },
    appPort: { type: "integer", default: 8080 },
    backendDnsName: { type: "string", default: "backend.e2e-tls.internal" },
    mtlsClients: { type: "array", default: [] },
    revokedSerials: { type: "array", default: [] },
    allowedCidrs: { type: "array", default: ["0.0.0.0/0"] },
    instanceType: { type: "string", default: "t4g.nano" },
    amiId: { type: "string" },
    minSize: { type: "integer", default: 2 },
    maxSize: { type: "integer", default: 4 },
    desiredSize: { type: "integer", default: 2 },
    taskCpu: { type: "integer", default: 256 },
    taskMemory: { type: "integer", default: 512 },
    terminatorImage: { type: "string", default: "public.ecr.aws/nginx/nginx:1.27-alpine" },
    appImage: { type: "string", default: "public.ecr.aws/docker/library/python:3.12-alpine" },
    certValidityHours: { type: "integer", default: 2160 },
    certEarlyRenewalHours: { type: "integer", default: 720 },
    caValidityHours: { type: "integer", default: 87600 },
    deletionProtection: { type: "boolean", default: false },
    retainAccessLogs: { type: "boolean", default: false },
    flowLogs: { type: "boolean", default: false },
    logRetentionDays: { type: "integer", default: 30 },
    adminPrincipalArns: { type: "array", default: [] },
};

/** Thrown for a bad configuration value; the message names the key, the value and what is allowed. */
export class ConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ConfigError";
    }
}

/**
 * Set to "1" only by the offline runner (offline/engine/run-program.ts), never by a deploy: the program
 * then reports placeholder values (findPlaceholders) instead of refusing them, so the committed
 * stack files can be previewed offline. A real `pulumi preview`/`up` does not set it and refuses.
 */
export const OFFLINE_PREVIEW_ENV = "E2E_TLS_OFFLINE_PREVIEW";

/** What validation knows besides the project's own keys. */
export interface ValidationContext {
    /** The stack's `aws:region`, when known: private ECR images must be in it. */
    readonly region?: string;
    /** "refuse" (default, a real deploy) or "report" placeholder domain and zone values. */
    readonly placeholders?: "refuse" | "report";
}

/** Fargate CPU units to the memory sizes (MiB) AWS accepts with them. */
const FARGATE_MEMORY: Record<number, number[]> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
};

/** Retention periods CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
    2922, 3288, 3653];

/**
 * Leaf certificates live at most 90 days: short-lived keys are the point when renewal is automatic,
 * and it is the policy pack's default limit (certificate-validity-bounded), so a valid config is
 * never refused by the pack.
 */
const MAX_LEAF_HOURS = 90 * 24;
/** Ten years, within the pack's CA limit. */
const MAX_CA_HOURS = 10 * 365 * 24;
/** The pack's minimum renewal window (tls-certificate-early-renewal-window): a day to notice a failed renewal. */
const MIN_RENEWAL_HOURS = 24;
const MIN_TLS: MinTlsVersion = "1.2";
/**
 * The smallest VPC: network.ts cuts it into 16 equal blocks, and a load balancer subnet needs at
 * least a /27 with 8 free addresses ("Subnets for your load balancer",
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html),
 * so the VPC needs at least a /23.
 */
const MAX_VPC_PREFIX = 23;
/**
 * An IAM role or user ARN, as `aws:PrincipalArn` carries it (roles with their path, e.g. IAM
 * Identity Center's `role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_<set>_<suffix>`).
 * `*` and `?` may stand in the path and the name, for the random suffix Identity Center gives each
 * permission-set role and the region it puts in the path (none when its home is us-east-1), but
 * the name is never wildcards only: that would let every role read the secrets.
 */
const ADMIN_PRINCIPAL = /^arn:aws(-[a-z]+)*:iam::\d{12}:(role|user)\/([\w+=,.@*?-]+\/)*(?=[*?]*[\w+=,.@-])[\w+=,.@*?-]{1,64}$/;

function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let v = from; v <= to; v += step) out.push(v);
    return out;
}

const key = (k: string) => `${NAMESPACE}:${k}`;
const show = (v: unknown) => JSON.stringify(v);

function oneOf<T extends string>(k: keyof StackConfig, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value)) {
        throw new ConfigError(`${key(k)} is ${show(value)}. Use one of: ${allowed.join(", ")}.`);
    }
    return value as T;
}

function intIn(k: keyof StackConfig, value: number, min: number, max: number): number {
    if (!Number.isInteger(value) || value < min || value > max) {
        throw new ConfigError(`${key(k)} is ${show(value)}. Use a whole number from ${min} to ${max}.`);
    }
    return value;
}

/** Parses `a.b.c.d/n`; undefined when malformed. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some(o => o > 255) || prefix > 32) return undefined;
    const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if ((base & mask) >>> 0 !== base) return undefined; // host bits set: not a network address
    return { base, prefix };
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const CLIENT_NAME = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
/** EC2 image IDs: "ami-" and 8 (older) or 17 hexadecimal digits. */
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * Validates raw values (strings as the Pulumi engine passes them, or already-typed values) into a
 * StackConfig. Pure: tests call it directly.
 */
export function validateConfig(raw: Record<string, unknown>, context: ValidationContext = {}): StackConfig {
    for (const k of Object.keys(raw)) {
        if (!(k in CONFIG_KEYS)) {
            throw new ConfigError(`${key(k)} is not a configuration key of this project. Known keys: ${Object.keys(CONFIG_KEYS).join(", ")}.`);
        }
    }
    const v: Record<string, unknown> = {};
    for (const [k, spec] of Object.entries(CONFIG_KEYS)) {
        const given = raw[k];
        v[k] = given === undefined || given === "" ? spec.default : coerce(k, spec.type, given);
    }
    const c = v as unknown as StackConfig;

    oneOf("compute", c.compute, ["asg", "ecs"] as const);
    oneOf("pki", c.pki, ["self-managed", "aws-private-ca"] as const);
    oneOf("mtlsMode", c.mtlsMode, ["verify", "passthrough", "off"] as const);
    oneOf("natGateways", c.natGateways, ["none", "single", "perAz"] as const);

    const policy = sslPolicyInfo(c.sslPolicy);
    const allowed = policiesAtLeast(MIN_TLS);
    if (!policy) {
        throw new ConfigError(`${key("sslPolicy")} is ${show(c.sslPolicy)}, which is not an ELB security policy. Use one of: ${allowed.join(", ")}.`);
    }
    if (!allowed.includes(policy.name)) {
        throw new ConfigError(`${key("sslPolicy")} is ${show(c.sslPolicy)}, which allows TLS ${policy.minTls}. Use one of: ${allowed.join(", ")}.`);
    }

    intIn("azCount", c.azCount, 2, 6);
    const cidr = parseCidr(c.vpcCidr);
    if (!cidr || cidr.prefix < 16 || cidr.prefix > MAX_VPC_PREFIX) {
        const why = cidr && cidr.prefix > MAX_VPC_PREFIX
            ? `, which leaves the load balancer /${cidr.prefix + 4} subnets; it needs at least /27`
            : "";
        throw new ConfigError(`${key("vpcCidr")} is ${show(c.vpcCidr)}${why}. Use an IPv4 network address with a prefix from /16 to /${MAX_VPC_PREFIX}, e.g. "10.0.0.0/16".`);
    }

    if ((c.domainName === undefined) !== (c.hostedZoneId === undefined)) {
        throw new ConfigError(`${key("domainName")} is ${show(c.domainName)} and ${key("hostedZoneId")} is ${show(c.hostedZoneId)}. Set both (a DNS-validated certificate) or neither (a certificate from the stack's CA).`);
    }
    if (c.domainName !== undefined && !HOSTNAME.test(c.domainName)) {
        throw new ConfigError(`${key("domainName")} is ${show(c.domainName)}. Use a lower-case DNS name in a zone you control, such as "app.<your-domain>".`);
    }
    // Route 53 ids are at most 32 characters (API_HostedZone); every one it assigns starts with Z.
    if (c.hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(c.hostedZoneId)) {
        throw new ConfigError(`${key("hostedZoneId")} is ${show(c.hostedZoneId)}. Use the id of a Route 53 hosted zone: "Z" and up to 31 upper-case letters and digits, as \`aws route53 list-hosted-zones\` shows it.`);
    }
    if (context.placeholders !== "report") {
        const [first] = findPlaceholders(c);
        if (first) throw new ConfigError(`${key(first.key)} is ${show(first.value)}, ${first.why}.`);
    }
    if (!HOSTNAME.test(c.backendDnsName)) {
        throw new ConfigError(`${key("backendDnsName")} is ${show(c.backendDnsName)}. Use a lower-case DNS name such as "backend.e2e-tls.internal".`);
    }

    intIn("backendPort", c.backendPort, 1024, 65535);
    intIn("appPort", c.appPort, 1024, 65535);
    if (c.appPort === c.backendPort) {
        throw new ConfigError(`${key("appPort")} is ${c.appPort}, the same as ${key("backendPort")}. Use a different port for the application behind the terminator.`);
    }

    const seen = new Set<string>();
    for (const name of c.mtlsClients) {
        if (typeof name !== "string" || !CLIENT_NAME.test(name) || seen.has(name)) {
            throw new ConfigError(`${key("mtlsClients")} has ${show(name)}. Use unique names of lower-case letters, digits and hyphens, at most 32 characters.`);
        }
        seen.add(name);
    }
    if (c.mtlsMode === "verify" && c.mtlsClients.length === 0) {
        throw new ConfigError(`${key("mtlsClients")} is empty while ${key("mtlsMode")} is "verify": no client could connect. Name at least one client, or use mtlsMode "passthrough" or "off".`);
    }

    for (const serial of c.revokedSerials) {
        if (typeof serial !== "string" || !/^(0x)?[0-9A-Fa-f:]{1,59}$/.test(serial) || !/[0-9A-Fa-f]/.test(serial)) {
            throw new ConfigError(`${key("revokedSerials")} has ${show(serial)}. Use certificate serial numbers in hexadecimal, as \`openssl x509 -noout -serial\` or the clientCertificateSerials output shows them.`);
        }
    }
    if (c.revokedSerials.length > 0 && (c.mtlsMode !== "verify" || c.pki !== "self-managed")) {
        throw new ConfigError(`${key("revokedSerials")} is set while ${key("mtlsMode")} is ${show(c.mtlsMode)} and ${key("pki")} is ${show(c.pki)}. The stack publishes a revocation list only with mtlsMode "verify" and pki "self-managed"; with aws-private-ca, revoke through AWS Private CA (aws acm-pca revoke-certificate) and its CRL distribution.`);
    }

    if (c.allowedCidrs.length === 0) {
        throw new ConfigError(`${key("allowedCidrs")} is empty. Name at least one IPv4 CIDR, e.g. "0.0.0.0/0" for a public service.`);
    }
    for (const a of c.allowedCidrs) {
        if (typeof a !== "string" || !parseCidr(a)) {
            throw new ConfigError(`${key("allowedCidrs")} has ${show(a)}. Use IPv4 network addresses such as "203.0.113.0/24".`);
        }
    }

    if (!INSTANCE_TYPE.test(c.instanceType)) {
        throw new ConfigError(`${key("instanceType")} is ${show(c.instanceType)}. Use an EC2 instance type such as "t4g.nano".`);
    }
    if (c.amiId !== undefined && !AMI_ID.test(c.amiId)) {
        throw new ConfigError(`${key("amiId")} is ${show(c.amiId)}. Use an AMI ID such as "ami-0123456789abcdef0", or leave it unset to take the latest Amazon Linux 2023 AMI at the first deploy and keep it.`);
    }
    intIn("minSize", c.minSize, 1, 100);
    intIn("maxSize", c.maxSize, 1, 100);
    if (c.minSize > c.maxSize) {
        throw new ConfigError(`${key("minSize")} is ${c.minSize}, more than ${key("maxSize")} ${c.maxSize}. Use minSize <= desiredSize <= maxSize.`);
    }
    if (!Number.isInteger(c.desiredSize) || c.desiredSize < c.minSize || c.desiredSize > c.maxSize) {
        throw new ConfigError(`${key("desiredSize")} is ${show(c.desiredSize)}. Use a whole number from minSize ${c.minSize} to maxSize ${c.maxSize}.`);
    }

    const memories = FARGATE_MEMORY[c.taskCpu];
    if (!memories) {
        throw new ConfigError(`${key("taskCpu")} is ${show(c.taskCpu)}. Use one of: ${Object.keys(FARGATE_MEMORY).join(", ")}.`);
    }
    if (!memories.includes(c.taskMemory)) {
        throw new ConfigError(`${key("taskMemory")} is ${show(c.taskMemory)}, which Fargate does not offer with taskCpu ${c.taskCpu}. Use one of: ${memories.join(", ")}.`);
    }
    for (const k of ["terminatorImage", "appImage"] as const) {
        if (c[k].trim() === "" || /\s/.test(c[k])) {
            throw new ConfigError(`${key(k)} is ${show(c[k])}. Use an image reference such as "public.ecr.aws/nginx/nginx:1.27-alpine".`);
        }
        // The first pull through a pull-through cache rule needs a NAT route even with the ECR
        // endpoints ("Considerations for Amazon ECR VPC endpoints",
        // https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html): without NAT
        // only images already in the account's registry of the stack's region can be pulled.
        if (c.compute === "ecs" && !hasNatRoute(c.natGateways) && !isPrivateEcrImage(c[k], context.region)) {
            const registry = `<account>.dkr.ecr.${context.region ?? "<region>"}.amazonaws.com/<repository>:<tag>`;
            throw new ConfigError(`${key(k)} is ${show(c[k])}, which ECS cannot pull with ${key("natGateways")} "none": without a NAT route the tasks reach only the stack region's private ECR registry. Set natGateways to "perAz" or "single" (images from public.ecr.aws then come through the stack's pull-through cache), or push the image to your ECR registry and use ${registry}.`);
        }
    }

    intIn("certValidityHours", c.certValidityHours, 24, MAX_LEAF_HOURS);
    if (!Number.isInteger(c.certEarlyRenewalHours) || c.certEarlyRenewalHours < MIN_RENEWAL_HOURS || c.certEarlyRenewalHours >= c.certValidityHours) {
        const why = c.certEarlyRenewalHours >= c.certValidityHours ? `, which is not shorter than ${key("certValidityHours")} ${c.certValidityHours}` : "";
        throw new ConfigError(`${key("certEarlyRenewalHours")} is ${show(c.certEarlyRenewalHours)}${why}. Use a whole number from ${MIN_RENEWAL_HOURS} to ${c.certValidityHours - 1}.`);
    }
    if (!Number.isInteger(c.caValidityHours) || c.caValidityHours < 2 * c.certValidityHours || c.caValidityHours > MAX_CA_HOURS) {
        throw new ConfigError(`${key("caValidityHours")} is ${show(c.caValidityHours)}. Use a whole number from ${2 * c.certValidityHours} (twice certValidityHours) to ${MAX_CA_HOURS}.`);
    }
    if (!LOG_RETENTION_DAYS.includes(c.logRetentionDays)) {
        throw new ConfigError(`${key("logRetentionDays")} is ${show(c.logRetentionDays)}. Use one of: ${LOG_RETENTION_DAYS.join(", ")}.`);
    }
    for (const arn of c.adminPrincipalArns) {
        if (typeof arn !== "string" || !ADMIN_PRINCIPAL.test(arn)) {
            throw new ConfigError(`${key("adminPrincipalArns")} has ${show(arn)}. Use IAM role or user ARNs such as "arn:aws:iam::123456789012:role/pipeline" or, for an IAM Identity Center permission set, "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdminAccess_*".`);
        }
    }
    return c;
}

function coerce(k: string, type: KeyType, given: unknown): unknown {
    if (type === "string") {
        if (typeof given !== "string") throw new ConfigError(`${key(k)} is ${show(given)}. Use a string.`);
        return given;
    }
    if (type === "integer") {
        const n = typeof given === "number" ? given : /^-?\d+$/.test(String(given)) ? Number(given) : NaN;
        if (!Number.isInteger(n)) throw new ConfigError(`${key(k)} is ${show(given)}. Use a whole number.`);
        return n;
    }
    if (type === "boolean") {
        if (given === true || given === "true") return true;
        if (given === false || given === "false") return false;
        throw new ConfigError(`${key(k)} is ${show(given)}. Use true or false.`);
    }
    let list = given;
    if (typeof given === "string") {
        try {
            list = JSON.parse(given);
        } catch {
            throw new ConfigError(`${key(k)} is ${show(given)}. Use a list, e.g. \`pulumi config set --path '${k}[0]' value\`.`);
        }
    }
    if (!Array.isArray(list)) throw new ConfigError(`${key(k)} is ${show(given)}. Use a list.`);
    return list;
}

/** Reads the `e2e-tls` namespace from the engine's config and validates it. */
export function loadConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    const region = regionProblem(all["aws:region"]);
    if (region) throw new ConfigError(region);
    const raw: Record<string, string> = {};
    for (const [k, value] of Object.entries(all)) {
        if (k.startsWith(`${NAMESPACE}:`)) raw[k.slice(NAMESPACE.length + 1)] = value;
    }
    return validateConfig(raw, {
        region: all["aws:region"],
        placeholders: process.env[OFFLINE_PREVIEW_ENV] === "1" ? "report" : "refuse",
    });
}
