/**
 * Token families beyond `@pulumi/aws` v7: `aws-native` shapes mapped onto the tokens rules read,
 * and the hops beyond ELBv2 in every family that publishes them (see ./index.ts).
 */
import { TOKENS } from "./aws";
import { ELBV2, LB_KINDS, LB_TOKENS, LbKind } from "./elbv2";

const kindOfToken = new Map<string, LbKind>(LB_KINDS.flatMap((kind) => LB_TOKENS[kind].map((t) => [t, kind] as [string, LbKind])));

/** The ELBv2 kind of a type token (any family, `aws-native` included), or `undefined` for any other token. Exact match only. */
export function lbKindOf(resourceType: string): LbKind | undefined {
    return kindOfToken.get(shapeOf(resourceType));
}

/** True when `resourceType` is one of the exact tokens of `kind`, in any ELBv2 family. */
export function isType(resourceType: string, kind: LbKind): boolean {
    return lbKindOf(resourceType) === kind;
}

/**
 * `aws-native` tokens (CloudFormation shapes, https://github.com/pulumi/pulumi-aws-native) of the
 * resources the pack judges. Their properties differ from `@pulumi/aws`'s, so each maps onto the
 * token of the shape rules read ({@link SHAPE_OF}); ../framework/shapes.ts converts the properties.
 */
export const NATIVE = {
    loadBalancer: "aws-native:elasticloadbalancingv2:LoadBalancer",
    listener: "aws-native:elasticloadbalancingv2:Listener",
    listenerRule: "aws-native:elasticloadbalancingv2:ListenerRule",
    listenerCertificate: "aws-native:elasticloadbalancingv2:ListenerCertificate",
    targetGroup: "aws-native:elasticloadbalancingv2:TargetGroup",
    trustStore: "aws-native:elasticloadbalancingv2:TrustStore",
    trustStoreRevocation: "aws-native:elasticloadbalancingv2:TrustStoreRevocation",
    acmCertificate: "aws-native:certificatemanager:Certificate",
    acmpcaCertificate: "aws-native:acmpca:Certificate",
    acmpcaCertificateAuthority: "aws-native:acmpca:CertificateAuthority",
    autoscalingGroup: "aws-native:autoscaling:AutoScalingGroup",
    launchConfiguration: "aws-native:autoscaling:LaunchConfiguration",
    instance: "aws-native:ec2:Instance",
    eip: "aws-native:ec2:Eip",
    eipAssociation: "aws-native:ec2:EipAssociation",
    networkInterface: "aws-native:ec2:NetworkInterface",
    networkInterfaceAttachment: "aws-native:ec2:NetworkInterfaceAttachment",
    launchTemplate: "aws-native:ec2:LaunchTemplate",
    securityGroup: "aws-native:ec2:SecurityGroup",
    securityGroupIngress: "aws-native:ec2:SecurityGroupIngress",
    ebsVolume: "aws-native:ec2:Volume",
    ecsService: "aws-native:ecs:Service",
    ecsTaskDefinition: "aws-native:ecs:TaskDefinition",
    ecsTaskSet: "aws-native:ecs:TaskSet",
    kmsKey: "aws-native:kms:Key",
    kmsReplicaKey: "aws-native:kms:ReplicaKey",
    lambdaFunction: "aws-native:lambda:Function",
    secretsManagerResourcePolicy: "aws-native:secretsmanager:ResourcePolicy",
    secretsManagerSecret: "aws-native:secretsmanager:Secret",
    ssmParameter: "aws-native:ssm:Parameter",
    // Read in its own shape (no SHAPE_OF entry): only the path rule reads it, for MapPublicIpOnLaunch,
    // which aws:ec2/subnet names the same; mapping it would make every subnet rule judge it.
    subnet: "aws-native:ec2:Subnet",
} as const;
export type NativeKind = keyof typeof NATIVE;

/** The family table: each token of another family → the token whose shape rules read. */
export const SHAPE_OF: { readonly [token: string]: string } = {
    [NATIVE.loadBalancer]: ELBV2.lb.loadBalancer,
    [NATIVE.listener]: ELBV2.lb.listener,
    [NATIVE.listenerRule]: ELBV2.lb.listenerRule,
    [NATIVE.listenerCertificate]: ELBV2.lb.listenerCertificate,
    [NATIVE.targetGroup]: ELBV2.lb.targetGroup,
    [NATIVE.trustStore]: ELBV2.lb.trustStore,
    [NATIVE.trustStoreRevocation]: ELBV2.lb.trustStoreRevocation,
    [NATIVE.acmCertificate]: TOKENS.acmCertificate,
    [NATIVE.acmpcaCertificate]: TOKENS.acmpcaCertificate,
    [NATIVE.acmpcaCertificateAuthority]: TOKENS.acmpcaCertificateAuthority,
    [NATIVE.autoscalingGroup]: TOKENS.autoscalingGroup,
    [NATIVE.launchConfiguration]: TOKENS.launchConfiguration,
    [NATIVE.instance]: TOKENS.instance,
    [NATIVE.eip]: TOKENS.eip,
    [NATIVE.eipAssociation]: TOKENS.eipAssociation,
    [NATIVE.networkInterface]: TOKENS.networkInterface,
    [NATIVE.networkInterfaceAttachment]: TOKENS.networkInterfaceAttachment,
    [NATIVE.launchTemplate]: TOKENS.launchTemplate,
    [NATIVE.securityGroup]: TOKENS.securityGroup,
    [NATIVE.securityGroupIngress]: TOKENS.securityGroupIngressRule,
    [NATIVE.ebsVolume]: TOKENS.ebsVolume,
    [NATIVE.ecsService]: TOKENS.ecsService,
    [NATIVE.ecsTaskDefinition]: TOKENS.ecsTaskDefinition,
    [NATIVE.ecsTaskSet]: TOKENS.ecsTaskSet,
    [NATIVE.kmsKey]: TOKENS.kmsKey,
    [NATIVE.kmsReplicaKey]: TOKENS.kmsReplicaKey,
    [NATIVE.lambdaFunction]: TOKENS.lambdaFunction,
    [NATIVE.secretsManagerResourcePolicy]: TOKENS.secretsManagerSecretPolicy,
    [NATIVE.secretsManagerSecret]: TOKENS.secretsManagerSecret,
    [NATIVE.ssmParameter]: TOKENS.ssmParameter,
};

/** The token whose shape a resource of `token` is read in: its {@link SHAPE_OF} entry, else itself. */
export function shapeOf(token: string): string {
    return SHAPE_OF[token] ?? token;
}

/**
 * `shapes` and every token read in one of them: the other `@pulumi/aws` ELBv2 families of the same
 * kind, and every token of another family whose {@link SHAPE_OF} entry is one of them.
 */
export function tokensOfShapes(shapes: readonly string[]): string[] {
    const wanted = new Set(shapes.flatMap((t) => {
        const kind = kindOfToken.get(t);
        return kind ? [t, ...LB_TOKENS[kind]] : [t];
    }));
    return [...wanted, ...Object.keys(SHAPE_OF).filter((t) => wanted.has(SHAPE_OF[t]) && !wanted.has(t))];
}

/**
 * Hops beyond ELBv2, per resource and token family: the `@pulumi/aws` module, its v5-and-older
 * module name (`aws:elasticloadbalancing/*`, still in state files), `aws-native:*` (CloudFormation
 * shapes; `aws-native:elasticloadbalancing:LoadBalancer` is published though Cloud Control cannot
 * create it) and the Kubernetes objects the AWS Load Balancer Controller turns into load balancers.
 */
export const HOP_TOKENS = {
    classicLoadBalancer: ["aws:elb/loadBalancer:LoadBalancer", "aws:elasticloadbalancing/loadBalancer:LoadBalancer", "aws-native:elasticloadbalancing:LoadBalancer"],
    classicLoadBalancerPolicy: ["aws:elb/loadBalancerPolicy:LoadBalancerPolicy", "aws:elasticloadbalancing/loadBalancerPolicy:LoadBalancerPolicy"],
    classicSslNegotiationPolicy: ["aws:elb/sslNegotiationPolicy:SslNegotiationPolicy", "aws:elasticloadbalancing/sslNegotiationPolicy:SslNegotiationPolicy"],
    classicListenerPolicy: ["aws:elb/listenerPolicy:ListenerPolicy", "aws:elasticloadbalancing/listenerPolicy:ListenerPolicy"],
    cloudfrontDistribution: ["aws:cloudfront/distribution:Distribution", "aws-native:cloudfront:Distribution"],
    // A distribution in multi-tenant mode (CloudFront developer guide, "Understand how multi-tenant
    // distributions work"); its origins list customOriginConfigs and vpcOriginConfigs.
    cloudfrontMultitenantDistribution: ["aws:cloudfront/multitenantDistribution:MultitenantDistribution"],
    // A VPC origin: CloudFront's hop into a private ALB, NLB or instance (CloudFront developer
    // guide, "Restrict access with VPC origins"), published by both providers.
    cloudfrontVpcOrigin: ["aws:cloudfront/vpcOrigin:VpcOrigin", "aws-native:cloudfront:VpcOrigin"],
    apiGatewayDomainName: ["aws:apigateway/domainName:DomainName", "aws-native:apigateway:DomainName"],
    apiGatewayV2DomainName: ["aws:apigatewayv2/domainName:DomainName", "aws-native:apigatewayv2:DomainName"],
    k8sIngress: ["kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:networking.k8s.io/v1beta1:Ingress", "kubernetes:extensions/v1beta1:Ingress"],
    k8sService: ["kubernetes:core/v1:Service"],
    // Which controller reconciles an Ingress, and its parameters (Kubernetes networking.k8s.io
    // IngressClass; kubernetes-sigs/aws-load-balancer-controller apis/elbv2/v1beta1, a custom
    // resource whose token @pulumi/kubernetes' apiextensions.CustomResource, ConfigFile and
    // ConfigGroup all write as `kubernetes:<apiVersion>:<kind>`).
    k8sIngressClass: ["kubernetes:networking.k8s.io/v1:IngressClass", "kubernetes:networking.k8s.io/v1beta1:IngressClass"],
    k8sIngressClassParams: ["kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams"],
} as const;

/**
 * The token family of a type token: its package and module, the grain the rule reference (docs/rules.md)
 * and the SARIF rule metadata name (`aws:lb` for `aws:lb/listener:Listener`,
 * `aws-native:elasticloadbalancingv2`, `kubernetes:networking.k8s.io` whatever the API version,
 * `pulumi:pulumi` for the root Stack resource), the package alone for its `index` module (`tls`).
 */
export function tokenFamily(token: string): string {
    const [pkg, member = "index"] = token.split(":");
    const module = member.split("/")[0];
    return module === "index" ? pkg : `${pkg}:${module}`;
}

/** The families of `tokens`, each once, sorted. */
export function familiesOf(tokens: readonly string[]): string[] {
    return [...new Set(tokens.map(tokenFamily))].sort();
}
