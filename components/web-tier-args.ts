import { Compute, Integer, MtlsMode, NatGateways, Pki } from "../config/keys";
import { ApplicationArgs } from "./compute/application";

/**
 * The inputs of {@link WebTier}: everything a stack's `e2e-tls:` configuration offers, as plain
 * data a Pulumi schema can describe (strings, numbers, booleans, lists and enums), so that every
 * Pulumi language can construct the component. Every input is optional; an omitted input takes the
 * default its description gives, which is also the default of the config key of the same name in
 * Pulumi.yaml. The component validates them all before it registers anything.
 */
export interface WebTierArgs {
    /**
     * Where the backend runs: asg (EC2 Auto Scaling group) or ecs (ECS Fargate service). Defaults to
     * "asg".
     */
    readonly compute?: Compute;
    /**
     * Who signs the backend and client certificates: self-managed (a `@pulumi/tls` CA in state) or
     * aws-private-ca (AWS Private CA, about $400 a month). Defaults to "self-managed".
     */
    readonly pki?: Pki;
    /**
     * ELB security policy of the HTTPS listener. Must accept TLS 1.2 or later only. Defaults to
     * "ELBSecurityPolicy-TLS13-1-2-Res-2021-06".
     */
    readonly sslPolicy?: string;
    /**
     * Mutual TLS on the HTTPS listener: verify (the load balancer checks client certificates against
     * the trust store) or off. passthrough is refused: the client chain would be forwarded in a header
     * that nothing verifies. Defaults to "verify".
     */
    readonly mtlsMode?: MtlsMode;
    /** Availability Zones to span (at least 2). Defaults to 2. */
    readonly azCount?: Integer;
    /**
     * IPv4 CIDR of the VPC, /16 to /23: it is cut into 16 subnets, and the load balancer's need at
     * least a /27. Defaults to "10.0.0.0/16".
     */
    readonly vpcCidr?: string;
    /**
     * NAT gateways: none (VPC endpoints only; ECS then needs private ECR images of the stack's
     * region), single, or perAz (one per AZ, for high availability). Defaults to "none".
     */
    readonly natGateways?: NatGateways;
    /**
     * Public DNS name of the service. With hostedZoneId: a DNS-validated ACM certificate and an alias
     * record. Unset: a certificate from the stack's CA imported into ACM, and the ALB's DNS name as
     * the URL. Reserved names (example.com/.net/.org, .example, .test, .invalid, .localhost) are
     * refused; at most 64 characters.
     */
    readonly domainName?: string;
    /**
     * Route 53 hosted zone that holds domainName. Set both or neither: unset, the stack makes no DNS
     * record. Placeholder ids (containing EXAMPLE) are refused.
     */
    readonly hostedZoneId?: string;
    /**
     * Port the TLS terminator on the tier listens on; the target group and health check use it.
     * Defaults to 8443.
     */
    readonly backendPort?: Integer;
    /**
     * Internal DNS name put in the backend certificate's SANs and common name; at most 64 characters.
     * Defaults to "backend.e2e-tls.internal".
     */
    readonly backendDnsName?: string;
    /**
     * Names of mutual-TLS clients; each gets a client_auth certificate stored in Secrets Manager.
     * Defaults to [].
     */
    readonly mtlsClients?: string[];
    /**
     * Serial numbers (hex, at most 40 digits; 0x and : allowed) of client certificates to revoke: the
     * stack signs a CRL with its CA and adds it to the trust store. Self-managed PKI and mtlsMode
     * verify only. Defaults to [].
     */
    readonly revokedSerials?: string[];
    /**
     * Bring-your-own-key mTLS clients: PEM certificate signing requests, inline or as file paths
     * relative to the project. The CSR's common name is the client's name; the stack signs it and
     * publishes only the certificate. Defaults to [].
     */
    readonly mtlsClientCsrs?: string[];
    /**
     * IPv4 CIDRs allowed to reach the load balancer on 443 and 80, each once. Defaults to
     * ["0.0.0.0/0"].
     */
    readonly allowedCidrs?: string[];
    /**
     * EC2 instance type of the asg tier (Graviton types such as t4g.small get the arm64 AMI), with at
     * least 1 GiB of memory: nano sizes are refused (dnf at boot is killed for memory there,
     * amazonlinux/amazon-linux-2023#404). Defaults to "t4g.small".
     */
    readonly instanceType?: string;
    /**
     * AMI of the asg tier, e.g. ami-0123456789abcdef0. Unset: the latest Amazon Linux 2023 AMI for the
     * instance type's architecture at the first deploy, then kept (a new AL2023 release changes
     * nothing; another architecture gets its own template and a fresh look-up). Setting or changing it
     * is the deliberate bump: the Auto Scaling group rolls to it with an instance refresh.
     */
    readonly amiId?: string;
    /** Fewest instances or tasks. Defaults to 2. */
    readonly minSize?: Integer;
    /** Most instances or tasks. Defaults to 4. */
    readonly maxSize?: Integer;
    /** Instances or tasks to run; between minSize and maxSize. Defaults to 2. */
    readonly desiredSize?: Integer;
    /** Fargate task CPU units (ecs tier): 256, 512, 1024, 2048 or 4096. Defaults to 256. */
    readonly taskCpu?: Integer;
    /** Fargate task memory in MiB (ecs tier); must suit taskCpu. Defaults to 512. */
    readonly taskMemory?: Integer;
    /**
     * Container image of the nginx TLS terminator (ecs tier). With natGateways none: an image of your
     * ECR registry in the stack's region; with NAT, public.ecr.aws images come through the stack's
     * pull-through cache. Defaults to "public.ecr.aws/nginx/nginx:1.27-alpine".
     */
    readonly terminatorImage?: string;
    /**
     * Validity of backend and client certificates, in hours: 24 to 2160 (90 days). Defaults to 2160.
     */
    readonly certValidityHours?: Integer;
    /**
     * How long before expiry pulumi up renews a certificate, in hours: at least 24 and less than
     * certValidityHours. Defaults to 720.
     */
    readonly certEarlyRenewalHours?: Integer;
    /**
     * Validity of the self-managed root CA certificate, in hours: twice certValidityHours to 87600 (10
     * years). Defaults to 87600.
     */
    readonly caValidityHours?: Integer;
    /**
     * Generation of the CA that signs every certificate: raise it by one to introduce a new CA
     * (docs/operations.md, CA rotation). Defaults to 1.
     */
    readonly caGeneration?: Integer;
    /**
     * The previous CA generation, kept in the trust store while clients move to the new CA; unset it
     * to retire that CA.
     */
    readonly retiringCaGeneration?: Integer;
    /** Deletion protection on the load balancer. Defaults to false. */
    readonly deletionProtection?: boolean;
    /**
     * On pulumi destroy, keep the access-log bucket and its logs (retained, not emptied) instead of
     * deleting them. Defaults to false.
     */
    readonly retainAccessLogs?: boolean;
    /** VPC flow logs to CloudWatch Logs. Defaults to false. */
    readonly flowLogs?: boolean;
    /**
     * Retention of CloudWatch log groups and load-balancer access logs, in days. Defaults to 30.
     */
    readonly logRetentionDays?: Integer;
    /**
     * IAM role or user ARNs, besides the deploying role, that may read and administer the
     * certificate secrets and their KMS key (the provider reads them on every refresh): a second
     * pipeline role, or an IAM Identity Center role such as
     * arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_AdminAccess_*.
     * `*` and `?` only after at least 4 literal characters of the name, or for a whole permission
     * set: patterns that match almost anything (role/*-*, user/*.*) are refused. Defaults to [].
     */
    readonly adminPrincipalArns?: string[];
    /**
     * ARN of the IAM managed policy every role the stack creates carries as its permissions
     * boundary: a customer managed policy of the deploying account, created by an administrator
     * before the first deploy (`npm run deployer-policy` writes its document). Defaults to
     * arn:aws:iam::<deploying account>:policy/<project>-<stack>-role-boundary.
     */
    readonly permissionsBoundaryArn?: string;
    /**
     * Who is told before a served certificate expires, when a client certificate is renewed and when
     * the tier refuses a renewal: an SNS topic ARN in the stack's account and region, or an e-mail
     * address (the stack creates a KMS-encrypted topic and an e-mail subscription, which the recipient
     * must confirm). Addresses at reserved domains (example.com, .test, ...) are refused by a real
     * deploy. Unset: the stack's topic with nobody subscribed.
     */
    readonly alertTarget?: string;
    /**
     * The application the tier serves, plain HTTP on loopback behind its TLS terminator: a
     * container image (both compute modes) or, on EC2 with your own AMI, a start command; its
     * environment, secrets by ARN and health check. The stack config gives the same settings as the
     * keys appImage, appCommand, appEntryPoint, appPort, appEnvironment, appSecrets,
     * appHealthCheckPath, appHealthCheckCodes and appStartCommand. Defaults to the project's demo
     * application (without an image or a start command).
     */
    readonly application?: ApplicationArgs;
}
