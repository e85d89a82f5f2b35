/**
 * The offline preview's report: one document, rendered as text for a person, as JSON for tools and
 * as Markdown for a pull request. The JSON schema is these interfaces (docs/offline-preview.md,
 * section "JSON").
 */

/** Bump when a field changes meaning or disappears; adding a field does not bump it. */
export const REPORT_SCHEMA_VERSION = 1;

export interface PreviewReport {
    readonly schemaVersion: number;
    readonly project: string;
    readonly stack: string;
    /**
     * What this offline run accepted and a real `pulumi preview`/`up` refuses (placeholder domain or
     * hosted zone), one sentence each naming the key. Empty when the stack is ready to deploy.
     */
    readonly warnings: string[];
    /** Every registration of the program, in order, the stack resource included. */
    readonly resources: PreviewResource[];
    readonly summary: { readonly create: number; readonly custom: number; readonly components: number };
    readonly policy: PolicyReport;
    readonly tlsPaths: TlsPath[];
    /** Who is told, and when, about the certificates on the TLS path. */
    readonly alerts: Alerting;
    /**
     * The application behind the terminator, from the stack's `application` output; absent for a
     * stack without it (one this program did not build).
     */
    readonly application?: ApplicationReport;
    readonly cost: CostEstimate;
    /** The public AWS sample's estimate under the same price table, with `--compare-sample`. */
    readonly sampleCost?: CostEstimate;
    /** 0: no mandatory violation; 1: at least one. (2, a failed run, produces no report.) */
    readonly exitCode: 0 | 1;
}

export interface ApplicationReport {
    /** "demo" (no application given), "image" or "start-command". */
    readonly source: string;
    readonly image?: string;
    readonly startCommand?: string;
    /** Port of the plain-HTTP application behind the terminator. */
    readonly port: number;
    readonly healthCheck: { readonly path: string; readonly codes: string };
    /** Who reads the secrets, and when; absent when there are none. */
    readonly secretsReadBy?: string;
    /** Each secret by variable name: where its value is read from (ARNs only, never a value). */
    readonly secrets: { readonly name: string; readonly from: string; readonly arn: string }[];
}

export interface PreviewResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** URN of the parent; absent for the stack. */
    readonly parent?: string;
    /** True for cloud resources, false for components and the stack. */
    readonly custom: boolean;
    /** Offline, nothing exists yet: every step is a create. */
    readonly op: "create";
    /** Inputs as registered; secret inputs (and any PEM private key) read "[secret]". */
    readonly inputs: Record<string, unknown>;
    readonly secretInputs: string[];
    readonly dependencies: string[];
}

export type Level = "mandatory" | "advisory" | "remediate" | "disabled";

export interface PolicyReport {
    readonly pack: string;
    readonly version: string;
    /** Policies not disabled by the policy config. */
    readonly policiesEvaluated: number;
    /** The --policy-config file, when one was given. */
    readonly configFile?: string;
    /** Mandatory first, then remediate, then advisory; within a level, by policy then URN. */
    readonly violations: PolicyViolation[];
    /** Changes remediate-level policies would make before the resource is checked. */
    readonly remediations: PolicyRemediation[];
    /** Findings an `exemptions` entry suppressed, with its reason (not counted as violations). */
    readonly exemptions?: PolicyExemption[];
}

export interface PolicyExemption {
    /** The policy whose finding was suppressed. */
    readonly policy: string;
    readonly urn: string;
    /** `urn … until 2027-06-30` or `stack "e2e-tls/dev" until 2027-06-30`: the entry that applied, with its expiry. */
    readonly selector: string;
    readonly reason: string;
}

export interface PolicyViolation {
    readonly policy: string;
    readonly level: Level;
    /** The resource's URN; the stack's URN for a stack policy without a resource. */
    readonly urn: string;
    /** The pack's message: the rule, then what is wrong on this resource and the fix. */
    readonly message: string;
    /**
     * The request paths (`tlsPaths`) the resource is on, one line each, written as the path rule
     * writes them (finding-paths.ts). Absent for the path rule's own findings (their message names
     * the paths) and for a resource on no path the report traces (listener rules are not traced).
     */
    readonly paths?: string[];
}

export interface PolicyRemediation {
    readonly policy: string;
    readonly urn: string;
    readonly description: string;
}

/** Who signed a certificate. */
export interface CaRef {
    readonly kind: "self-managed" | "aws-private-ca" | "acm-public" | "unknown";
    /** Logical name of the CA resource (root certificate or Private CA). */
    readonly name?: string;
    readonly urn?: string;
    /** The Private CA's ARN (aws-private-ca). */
    readonly arn?: string;
    /** GENERAL_PURPOSE or SHORT_LIVED_CERTIFICATE (aws-private-ca). */
    readonly usageMode?: string;
}

export interface Alerting {
    /** The stack's alert topic (resource name), or the ARN of the topic it publishes to; undefined: none. */
    readonly topic?: string;
    /** Whether the stack's topic is KMS-encrypted; undefined for a topic it does not own. */
    readonly encrypted?: boolean;
    /** "email <address> (…)", one per subscription the stack makes. */
    readonly subscribers: string[];
    readonly routes: AlertRoute[];
    /** Alerts the stack would send from inside its VPC with no route out to SNS: never delivered. */
    readonly undeliverable: Undeliverable[];
}

export interface Undeliverable {
    /** What would have been told. */
    readonly what: string;
    /** Why it cannot arrive. */
    readonly why: string;
}

export interface AlertRoute {
    /** What happened. */
    readonly what: string;
    /** When the alert fires. */
    readonly when: string;
    /** The resource that sends it. */
    readonly via: string;
}

export interface TlsPath {
    readonly loadBalancer: {
        readonly urn: string;
        readonly name: string;
        readonly scheme: "internet-facing" | "internal";
        /** Subnets, one per AZ. */
        readonly zones: number;
    };
    readonly listeners: ListenerHop[];
}

export interface ListenerHop {
    readonly urn: string;
    readonly name: string;
    readonly protocol: string;
    readonly port: number;
    readonly sslPolicy?: {
        readonly name: string;
        /** Lowest TLS version the policy accepts; absent for a name AWS does not publish. */
        readonly minTls?: string;
        readonly tls13?: boolean;
        readonly fips?: boolean;
        readonly postQuantum?: boolean;
    };
    /** The certificate the listener presents. */
    readonly certificate?: {
        readonly urn?: string;
        readonly name?: string;
        /** "acm-dns-validated" (public, renewed by ACM) or "acm-imported" (signed elsewhere, renewed by us). */
        readonly source: "acm-dns-validated" | "acm-imported" | "unknown";
        readonly domainName?: string;
        readonly signedBy?: CaRef;
    };
    readonly mtls?: {
        readonly mode: string;
        readonly ignoreClientCertificateExpiry?: boolean;
        readonly trustStore?: {
            readonly urn: string;
            readonly name: string;
            /** s3://bucket/key of the CA bundle. */
            readonly bundle?: string;
            readonly ca?: CaRef;
        };
        /** Names of the client certificates the stack issues. */
        readonly clients: string[];
    };
    readonly action: ForwardAction | RedirectAction | { readonly type: string };
}

export interface RedirectAction {
    readonly type: "redirect";
    readonly protocol: string;
    readonly port: string;
    readonly statusCode: string;
}

export interface ForwardAction {
    readonly type: "forward";
    readonly targetGroups: TargetGroupHop[];
}

export interface TargetGroupHop {
    readonly urn: string;
    readonly name: string;
    readonly protocol: string;
    readonly port: number;
    readonly targetType: string;
    readonly healthCheck: {
        /** As AWS applies it (policies/shared/aws-defaults.ts): HTTP on an ALB, TCP on an NLB target group without a healthCheck block. */
        readonly protocol: string;
        readonly port: string;
        readonly path?: string;
        readonly matcher?: string;
    };
    readonly tiers: TierHop[];
}

export interface TierHop {
    readonly urn: string;
    readonly name: string;
    readonly kind: "ec2-asg" | "ecs-fargate";
    /** Port the targets listen on (the terminator's). */
    readonly port: number;
    readonly desired?: number;
    readonly min?: number;
    readonly max?: number;
    /** EC2 instance type, or Fargate "<cpu> CPU units / <memory> MiB". */
    readonly size?: string;
    readonly architecture?: string;
    /** The application behind the terminator, when the tier's nginx config names it. */
    readonly upstream?: string;
    /** The certificate the terminator serves and where it comes from. */
    readonly certificate?: {
        readonly secret: { readonly urn: string; readonly name: string; readonly arn?: string };
        readonly signedBy?: CaRef;
    };
}

export interface CostLine {
    readonly item: string;
    readonly quantity: number;
    readonly unit: string;
    readonly unitPriceUsd: number;
    readonly monthlyUsd: number;
    readonly assumption: string;
    /** Logical names of the resources the line counts. */
    readonly resources: string[];
}

export interface CostEstimate {
    readonly label: string;
    readonly region: string;
    readonly currency: "USD";
    readonly hoursPerMonth: number;
    /** Date the price table was last checked. */
    readonly pricesAsOf: string;
    readonly lines: CostLine[];
    readonly monthlyUsd: number;
    /** Charges that depend on traffic or storage and are left out of the total. */
    readonly notEstimated: string[];
}
