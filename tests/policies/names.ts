/**
 * The pack's policy names as the tests refer to them, by rule module (policies/rules/<module>.ts).
 * Not a second list: policy-specs.test.ts checks that each group names exactly its module's
 * policies, in order.
 */
export const RULES = {
    listeners: {
        HTTPS_ONLY: "alb-listener-https-only",
        RULE_REDIRECT: "alb-listener-rule-redirect-https",
        ALLOWLIST: "alb-listener-tls-policy-allowlist",
        CERT: "alb-listener-certificate-required",
    },
    "target-groups": {
        PROTOCOL: "alb-target-group-https",
        HEALTH: "alb-target-group-health-check-https",
    },
    mtls: {
        VERIFY: "alb-listener-mtls-verify-trust-store",
        REQUIRED: "alb-listener-mtls-required",
    },
    "load-balancers": {
        HEADERS: "alb-drop-invalid-header-fields",
        DESYNC: "alb-desync-mitigation-mode",
        LOGS: "alb-access-logs-enabled",
        DELETION: "alb-deletion-protection-enabled",
    },
    "key-material": {
        STRENGTH: "tls-private-key-strength",
        ALB_ALGORITHM: "tls-private-key-alb-compatible-algorithm",
    },
    certificates: {
        VALIDITY: "certificate-validity-bounded",
        RENEWAL: "tls-certificate-early-renewal-window",
        ACM_KEY: "acm-certificate-key-strength",
    },
    acmpca: {
        PCA: "acmpca-strong-algorithms",
    },
    secrets: {
        PLAIN: "no-key-material-in-plain-values",
        OUTPUTS: "no-key-material-in-stack-outputs",
    },
    "secrets-inspection": {
        INSPECTED: "key-material-inspection-complete",
    },
    kms: {
        SECRET_CMK: "secretsmanager-secret-customer-managed-key",
        ROTATION: "kms-key-rotation-enabled",
    },
    "resource-policies": {
        TLS_STORES: "tls-key-store-policy-no-outside-read",
        STORES: "kms-secret-policy-no-outside-read",
    },
    instances: {
        IMDS: "ec2-imdsv2-required",
        PUBLIC_IP: "ec2-no-public-ip",
        EBS: "ebs-volumes-encrypted",
    },
    "security-groups": {
        WORLD: "security-group-world-ingress-web-ports-only",
    },
    "stack-path": {
        PATH: "alb-end-to-end-tls-path",
    },
    "external-targets": {
        EXTERNAL: "alb-forward-target-group-in-stack",
    },
    "deploy-ordering": {
        LISTENER: "ecs-service-waits-for-listener",
        BOOT: "compute-waits-for-boot-dependencies",
        VERSIONING: "trust-store-waits-for-bucket-versioning",
    },
    "deploy-network": {
        SUBNETS: "alb-subnets-deployable",
        CACHE: "ecr-pull-through-cache-needs-nat",
    },
    "deploy-limits": {
        USER_DATA: "ec2-user-data-within-limit",
        NAMES: "elb-names-within-limits",
        MTLS: "alb-listener-mtls-fields-valid",
        SECRETS: "ecs-secret-references-full-arn",
    },
    "deploy-pca": {
        SIGNING: "private-ca-signing-algorithm-matches-key",
        REVOKE: "private-ca-certificate-revokes-on-replace",
    },
    "classic-elb": {
        LISTENER: "classic-elb-listener-tls",
        BACKEND: "classic-elb-backend-tls",
        NEGOTIATION: "classic-elb-ssl-negotiation-policy",
        BACKEND_AUTH: "classic-elb-backend-authentication-keys",
        DEFAULT_POLICY: "classic-elb-listener-negotiation-policy-set",
    },
    cloudfront: {
        VIEWER: "cloudfront-viewer-https-only",
        VIEWER_TLS: "cloudfront-viewer-minimum-tls",
        ORIGIN: "cloudfront-origin-https-only",
        ORIGIN_TLS: "cloudfront-origin-tls-protocols",
        VPC_ORIGIN: "cloudfront-vpc-origin-in-stack",
    },
    "api-gateway": {
        DOMAIN: "apigateway-domain-tls12",
    },
    kubernetes: {
        INGRESS: "k8s-alb-ingress-tls-listeners",
        INGRESS_BACKEND: "k8s-alb-ingress-backend-https",
        SERVICE: "k8s-service-load-balancer-tls",
        SERVICE_BACKEND: "k8s-service-load-balancer-backend-tls",
    },
    exemptions: {
        APPLIED: "policy-exemptions-applied",
    },
} as const;

// The rule modules read from the rules directory: one home, shared with the benchmark.
export { RULES_DIR, ruleModules } from "../../offline/analyzer/rule-modules";
