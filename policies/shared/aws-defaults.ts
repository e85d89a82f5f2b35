/**
 * What AWS (through the Terraform-bridged provider) does when an ELBv2 property is left out: one
 * home for these defaults, shared by the pack's rules and the offline preview. Pure functions of
 * plain values; callers deal with unknown (preview-time) values before asking.
 */

/** Upper-cased string, or undefined for undefined/null/"". */
function norm(v: unknown): string | undefined {
    return v === undefined || v === null || v === "" ? undefined : String(v).toUpperCase();
}

/**
 * The policy of an HTTPS/TLS listener whose `sslPolicy` is omitted. The provider sends none
 * (terraform-provider-aws internal/service/elbv2/listener.go sets SslPolicy only when given) and
 * AWS picks ELBSecurityPolicy-2016-08, which allows TLS 1.0 (@pulumi/aws lb/listener.d.ts:
 * "Default is `ELBSecurityPolicy-2016-08`"; CloudFormation AWS::ElasticLoadBalancingV2::Listener
 * SslPolicy).
 */
export const OMITTED_SSL_POLICY = "ELBSecurityPolicy-2016-08";

/**
 * What a Classic Load Balancer HTTPS/SSL listener with no SSL negotiation policy attached gets:
 * the default predefined policy, which accepts TLS 1.0 (ELB Classic user guide, "Predefined SSL
 * security policies").
 */
export const CLASSIC_ELB_DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";

/**
 * What the AWS Load Balancer Controller puts on an Ingress's HTTPS listener, or an NLB Service's TLS
 * listener, without an ssl-policy / ssl-negotiation-policy annotation (controller docs, ingress
 * and service annotations: default `ELBSecurityPolicy-2016-08`).
 */
export const LB_CONTROLLER_DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";

/**
 * The AWS Load Balancer Controller's target group protocol without a backend-protocol annotation
 * (on the backend Service or the Ingress): its `--backend-protocol` default, HTTP
 * (kubernetes-sigs/aws-load-balancer-controller pkg/ingress/model_build_target_group.go,
 * buildTargetGroupProtocol; docs/guide/ingress/annotations.md, backend-protocol). Its health check
 * protocol without a healthcheck-protocol annotation is the target group's protocol
 * (buildTargetGroupHealthCheckProtocol starts from `tgProtocol`), not HTTP as the annotation table
 * of the docs says: the code is what runs.
 */
export const LB_CONTROLLER_DEFAULT_BACKEND_PROTOCOL = "HTTP";

/**
 * An omitted listener protocol: the provider sends HTTP when the load balancer ARN is an
 * Application Load Balancer's (`loadbalancer/app/`), whatever the port (terraform-provider-aws
 * internal/service/elbv2/listener.go, resourceListenerCreate: `else if strings.Contains(lbARN,
 * "loadbalancer/app/")` … "Keep previous default of HTTP for Application Load Balancers"), and
 * nothing otherwise; the pack reads every omitted protocol that way but a gateway listener's.
 */
export const OMITTED_LISTENER_PROTOCOL = "HTTP";

/** True for a known Application Load Balancer ARN (`…:loadbalancer/app/<name>/<id>`), the provider's own test. */
export function isApplicationLoadBalancerArn(arn: unknown): boolean {
    return typeof arn === "string" && arn.includes("loadbalancer/app/");
}

/**
 * An omitted target group protocol. CreateTargetGroup requires it for instance, ip and alb
 * targets (@pulumi/aws lb/targetGroup.d.ts: "Required when `targetType` is `instance`, `ip`, or
 * `alb`"); where it is left out the pack assumes the weakest reading, HTTP.
 */
export const OMITTED_TARGET_GROUP_PROTOCOL = "HTTP";

/**
 * Target group protocols of Network and Gateway Load Balancers (everything but HTTP/HTTPS). QUIC
 * and TCP_QUIC: NLB listeners "accept QUIC traffic… as a pass through load balancer in accordance
 * with RFC9000", TCP_QUIC for "both TCP and QUIC on the same port" (NLB guide, Listeners).
 */
export const LAYER4_TARGET_GROUP_PROTOCOLS = ["TCP", "TLS", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC", "GENEVE"] as const;

/**
 * Health check protocol AWS applies when the target group has no `healthCheck` block, by target
 * group protocol. CreateTargetGroup HealthCheckProtocol: "For Application Load Balancers, the
 * default is HTTP. For Network Load Balancers and Gateway Load Balancers, the default is TCP."
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html).
 * HTTP even on an HTTPS target group.
 */
export function defaultHealthCheckProtocol(targetGroupProtocol: string): "HTTP" | "TCP" {
    return (LAYER4_TARGET_GROUP_PROTOCOLS as readonly string[]).includes(targetGroupProtocol.toUpperCase()) ? "TCP" : "HTTP";
}

/**
 * A `healthCheck` block without `protocol` gets the provider's schema default HTTP on every
 * target group, TCP and TLS ones included (terraform-provider-aws
 * internal/service/elbv2/target_group.go, health_check.protocol `Default: ProtocolEnumHttp`;
 * hashicorp/terraform-provider-aws#2487).
 */
export const HEALTH_CHECK_BLOCK_PROTOCOL = "HTTP";

/**
 * What a Gateway Load Balancer listener carries: GENEVE-encapsulated packets to appliances. Its
 * listener takes neither protocol nor port ("You cannot specify a protocol or port when you create
 * a listener for a Gateway Load Balancer", ELB Gateway Load Balancer guide, Listeners; CreateListener
 * Protocol and Port), and its target groups use protocol GENEVE.
 */
export const GATEWAY_PROTOCOL = "GENEVE";

/** True for a known Gateway Load Balancer ARN (`…:loadbalancer/gwy/<name>/<id>`; ALB `app/`, NLB `net/`). */
export function isGatewayLoadBalancerArn(arn: unknown): boolean {
    return typeof arn === "string" && arn.includes(":loadbalancer/gwy/");
}

/** The listener protocol AWS uses, upper-cased, from the protocol input alone. */
export function effectiveListenerProtocol(protocol: unknown): string {
    return norm(protocol) ?? OMITTED_LISTENER_PROTOCOL;
}

/**
 * The listener protocol AWS uses, from the listener's inputs: a listener without protocol whose
 * load balancer ARN is a Gateway Load Balancer's, or that has no port either (which only a Gateway
 * Load Balancer listener may lack), carries {@link GATEWAY_PROTOCOL}, not HTTP.
 */
export function listenerProtocolOf(listener: { protocol?: unknown; port?: unknown; loadBalancerArn?: unknown }): string {
    const given = norm(listener.protocol);
    if (given !== undefined) {
        return given;
    }
    // A known ALB ARN decides before the port: the provider sends HTTP on it even without a port.
    if (isApplicationLoadBalancerArn(listener.loadBalancerArn)) {
        return OMITTED_LISTENER_PROTOCOL;
    }
    return isGatewayLoadBalancerArn(listener.loadBalancerArn) || listener.port === undefined || listener.port === null ? GATEWAY_PROTOCOL : OMITTED_LISTENER_PROTOCOL;
}

/** The target group protocol the pack assumes, upper-cased (Lambda target groups have none; callers exempt them). */
export function effectiveTargetGroupProtocol(protocol: unknown): string {
    return norm(protocol) ?? OMITTED_TARGET_GROUP_PROTOCOL;
}

/** The health check protocol AWS uses for a target group of this (effective) protocol and `healthCheck` input. */
export function effectiveHealthCheckProtocol(targetGroupProtocol: string, healthCheck: Record<string, any> | undefined | null): string {
    const given = norm(healthCheck?.protocol);
    if (given !== undefined) {
        return given;
    }
    return healthCheck === undefined || healthCheck === null ? defaultHealthCheckProtocol(targetGroupProtocol) : HEALTH_CHECK_BLOCK_PROTOCOL;
}

/** The security policy of a listener: the given one, AWS's omitted-policy default on HTTPS/TLS, none otherwise. */
export function effectiveSslPolicy(listenerProtocol: string, sslPolicy: unknown): string | undefined {
    if (listenerProtocol !== "HTTPS" && listenerProtocol !== "TLS") {
        return undefined;
    }
    return sslPolicy === undefined || sslPolicy === null || sslPolicy === "" ? OMITTED_SSL_POLICY : String(sslPolicy);
}

/** What a health check of this protocol puts on the wire. */
export type HealthCheckWire = "tls" | "plaintext" | "connect-only";

/** HTTPS checks travel in TLS, HTTP ones in plaintext; a TCP check only opens a connection and sends no request. */
export function healthCheckWire(protocol: string): HealthCheckWire {
    const p = protocol.toUpperCase();
    return p === "HTTPS" ? "tls" : p === "TCP" ? "connect-only" : "plaintext";
}

/** An omitted load balancer type (@pulumi/aws lb/loadBalancer.d.ts: "The default value is `application`"). */
export const OMITTED_LOAD_BALANCER_TYPE = "application";

/** An omitted target type (@pulumi/aws lb/targetGroup.d.ts targetType: "The default is `instance`"). */
export const OMITTED_TARGET_TYPE = "instance";

/** An omitted health check port (@pulumi/aws types/input.d.ts TargetGroupHealthCheck.port: "Default is `traffic-port`"). */
export const OMITTED_HEALTH_CHECK_PORT = "traffic-port";

/** An omitted `mutualAuthentication` block or mode: mTLS off (ALB user guide, "Mutual authentication with TLS"; CreateListener MutualAuthentication Mode default `off`). */
export const OMITTED_MTLS_MODE = "off";

/**
 * A task definition without `runtimePlatform.cpuArchitecture` runs on X86_64 (Amazon ECS developer
 * guide, task definition parameters, "Runtime platform"; linked from @pulumi/aws TaskDefinitionRuntimePlatform).
 */
export const OMITTED_CPU_ARCHITECTURE = "X86_64";

/**
 * What ACM requests when `keyAlgorithm` is left out: RSA_2048 (ACM API RequestCertificate,
 * KeyAlgorithm: "Default: RSA_2048"; CloudFormation AWS::CertificateManager::Certificate
 * KeyAlgorithm, the same API call).
 */
export const ACM_DEFAULT_KEY_ALGORITHM = "RSA_2048";

/** The key algorithms ACM requests a certificate for (ACM API RequestCertificate, KeyAlgorithm). */
export const ACM_REQUESTABLE_KEY_ALGORITHMS: readonly string[] = ["RSA_2048", "EC_prime256v1", "EC_secp384r1"];

/**
 * CloudFront's protocols to a custom origin when a CloudFormation-shaped distribution
 * (aws-native) leaves `OriginSSLProtocols` out: "By default, AWS CloudFormation specifies the
 * TLSv1 and SSLv3 protocols" (CloudFormation user guide, AWS::CloudFront::Distribution
 * CustomOriginConfig, OriginSSLProtocols). @pulumi/aws requires the list.
 */
export const CLOUDFORMATION_DEFAULT_ORIGIN_SSL_PROTOCOLS: readonly string[] = ["TLSv1", "SSLv3"];

/**
 * A CloudFormation-shaped VPC origin (aws-native) without `OriginProtocolPolicy` gets
 * `match-viewer` (CloudFormation user guide, AWS::CloudFront::VpcOrigin VpcOriginEndpointConfig,
 * OriginProtocolPolicy, "Default: match-viewer"; @pulumi/aws requires the field). For its
 * `OriginSSLProtocols` neither CloudFormation nor the CloudFront API (VpcOriginEndpointConfig)
 * documents a default, so the pack does not assume one: it asks for the list.
 */
export const CLOUDFORMATION_DEFAULT_VPC_ORIGIN_PROTOCOL_POLICY = "match-viewer";

/**
 * An Application Load Balancer without `desyncMitigationMode` runs in `defensive` (ELBv2 API,
 * LoadBalancerAttribute `routing.http.desync_mitigation_mode`: "The default is defensive").
 */
export const OMITTED_DESYNC_MITIGATION_MODE = "defensive";
