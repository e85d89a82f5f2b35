/**
 * Every type and function token the program, the pack and the offline tools name: the one home
 * of these strings. Nothing outside this module writes a token literal (tests/layout/tokens.test.ts
 * enforces it); everything else imports from here.
 *
 * Tokens are the engine's names for a resource type (`<package>:<module>/<member>:<Type>`) or a
 * function (`…:<function>`), exactly as the Pulumi CLI reports them to an analyzer. The pack matches
 * on them rather than on `@pulumi/aws` classes, which keeps it light and lets one rule cover every
 * family that publishes the same AWS resource.
 */

/** Kinds of Elastic Load Balancing v2 resource. */
export const LB_KINDS = [
    "loadBalancer",
    "listener",
    "listenerRule",
    "listenerCertificate",
    "targetGroup",
    "targetGroupAttachment",
    "trustStore",
    "trustStoreRevocation",
] as const;
export type LbKind = (typeof LB_KINDS)[number];

/**
 * ELBv2 kinds per token family of `@pulumi/aws`, all with the same property names. `aws:alb/*` is
 * the older module name of the same AWS resources; `@pulumi/aws` still publishes both, and a rule
 * that knows only one is bypassed by the other. Trust stores exist only under `aws:lb`. The
 * CloudFormation-shaped `aws-native` family is {@link NATIVE}.
 */
export const ELBV2 = {
    lb: {
        loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
        listener: "aws:lb/listener:Listener",
        listenerRule: "aws:lb/listenerRule:ListenerRule",
        listenerCertificate: "aws:lb/listenerCertificate:ListenerCertificate",
        targetGroup: "aws:lb/targetGroup:TargetGroup",
        targetGroupAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
        trustStore: "aws:lb/trustStore:TrustStore",
        trustStoreRevocation: "aws:lb/trustStoreRevocation:TrustStoreRevocation",
    },
    alb: {
        loadBalancer: "aws:alb/loadBalancer:LoadBalancer",
        listener: "aws:alb/listener:Listener",
        listenerRule: "aws:alb/listenerRule:ListenerRule",
        listenerCertificate: "aws:alb/listenerCertificate:ListenerCertificate",
        targetGroup: "aws:alb/targetGroup:TargetGroup",
        targetGroupAttachment: "aws:alb/targetGroupAttachment:TargetGroupAttachment",
    },
    // @pulumi/aws v5 and older: deprecated aliases of the same Terraform resources (aws_lb_*), so
    // the same property names as aws:lb (pulumi-aws docs "Migrating from v5 to v6", "Deprecated
    // resources and functions"; removed in v6, still in state files). The guide's row for
    // applicationloadbalancing's listener rule is garbled; the token is listed rather than risked.
    elasticloadbalancingv2: {
        loadBalancer: "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
        listener: "aws:elasticloadbalancingv2/listener:Listener",
        listenerRule: "aws:elasticloadbalancingv2/listenerRule:ListenerRule",
        listenerCertificate: "aws:elasticloadbalancingv2/listenerCertificate:ListenerCertificate",
        targetGroup: "aws:elasticloadbalancingv2/targetGroup:TargetGroup",
        targetGroupAttachment: "aws:elasticloadbalancingv2/targetGroupAttachment:TargetGroupAttachment",
    },
    applicationloadbalancing: {
        loadBalancer: "aws:applicationloadbalancing/loadBalancer:LoadBalancer",
        listener: "aws:applicationloadbalancing/listener:Listener",
        listenerRule: "aws:applicationloadbalancing/listenerRule:ListenerRule",
        listenerCertificate: "aws:applicationloadbalancing/listenerCertificate:ListenerCertificate",
        targetGroup: "aws:applicationloadbalancing/targetGroup:TargetGroup",
        targetGroupAttachment: "aws:applicationloadbalancing/targetGroupAttachment:TargetGroupAttachment",
    },
} as const satisfies Record<string, Partial<Record<LbKind, string>>>;

/** Every type token of each ELBv2 kind, across the families of {@link ELBV2}. */
export const LB_TOKENS: { readonly [K in LbKind]: readonly string[] } = Object.fromEntries(
    LB_KINDS.map((kind) => [
        kind,
        Object.values(ELBV2)
            .map((family) => (family as Partial<Record<LbKind, string>>)[kind])
            .filter((t): t is string => t !== undefined),
    ]),
) as unknown as { readonly [K in LbKind]: readonly string[] };

/** Resource types other than ELBv2, one token each. */
export const TOKENS = {
    stack: "pulumi:pulumi:Stack",

    acmCertificate: "aws:acm/certificate:Certificate",
    acmCertificateValidation: "aws:acm/certificateValidation:CertificateValidation",
    acmpcaCertificate: "aws:acmpca/certificate:Certificate",
    acmpcaCertificateAuthority: "aws:acmpca/certificateAuthority:CertificateAuthority",
    acmpcaCertificateAuthorityCertificate: "aws:acmpca/certificateAuthorityCertificate:CertificateAuthorityCertificate",
    acmpcaPermission: "aws:acmpca/permission:Permission",
    acmpcaPolicy: "aws:acmpca/policy:Policy",
    appautoscalingPolicy: "aws:appautoscaling/policy:Policy",
    appautoscalingTarget: "aws:appautoscaling/target:Target",
    autoscalingAttachment: "aws:autoscaling/attachment:Attachment",
    autoscalingGroup: "aws:autoscaling/group:Group",
    cloudwatchLogGroup: "aws:cloudwatch/logGroup:LogGroup",
    ebsVolume: "aws:ebs/volume:Volume",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    eip: "aws:ec2/eip:Eip",
    flowLog: "aws:ec2/flowLog:FlowLog",
    instance: "aws:ec2/instance:Instance",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    natGateway: "aws:ec2/natGateway:NatGateway",
    route: "aws:ec2/route:Route",
    routeTable: "aws:ec2/routeTable:RouteTable",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    ecrPullThroughCacheRule: "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
    ecrRepository: "aws:ecr/repository:Repository",
    ecsCluster: "aws:ecs/cluster:Cluster",
    ecsService: "aws:ecs/service:Service",
    ecsTaskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    iamInstanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    iamPolicy: "aws:iam/policy:Policy",
    iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
    iamRole: "aws:iam/role:Role",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    kmsAlias: "aws:kms/alias:Alias",
    kmsKey: "aws:kms/key:Key",
    lambdaFunction: "aws:lambda/function:Function",
    route53Record: "aws:route53/record:Record",
    s3Bucket: "aws:s3/bucket:Bucket",
    s3BucketV2: "aws:s3/bucketV2:BucketV2",
    s3BucketLifecycleConfiguration: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    s3BucketObject: "aws:s3/bucketObject:BucketObject",
    s3BucketObjectV2: "aws:s3/bucketObjectv2:BucketObjectv2",
    s3BucketOwnershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    s3BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    s3BucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    s3BucketServerSideEncryptionConfiguration: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    // @pulumi/aws 7 renamed BucketVersioningV2 to BucketVersioning and still publishes both.
    s3BucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
    s3BucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    secretsManagerSecret: "aws:secretsmanager/secret:Secret",
    secretsManagerSecretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
    secretsManagerSecretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    ssmParameter: "aws:ssm/parameter:Parameter",
    securityGroupEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    cloudwatchEventRule: "aws:cloudwatch/eventRule:EventRule",
    cloudwatchEventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    cloudwatchMetricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    schedulerSchedule: "aws:scheduler/schedule:Schedule",
    snsTopic: "aws:sns/topic:Topic",
    snsTopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    snsTopicSubscription: "aws:sns/topicSubscription:TopicSubscription",

    tlsCertRequest: "tls:index/certRequest:CertRequest",
    tlsLocallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
    tlsPrivateKey: "tls:index/privateKey:PrivateKey",
    tlsSelfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
} as const;

/** Function (invoke) tokens: the look-ups the program makes. */
export const FUNCTIONS = {
    getAvailabilityZones: "aws:index/getAvailabilityZones:getAvailabilityZones",
    getCallerIdentity: "aws:index/getCallerIdentity:getCallerIdentity",
    getPartition: "aws:index/getPartition:getPartition",
    getRegion: "aws:index/getRegion:getRegion",
    getManagedPrefixList: "aws:ec2/getManagedPrefixList:getManagedPrefixList",
    getElbServiceAccount: "aws:elb/getServiceAccount:getServiceAccount",
    getSessionContext: "aws:iam/getSessionContext:getSessionContext",
    getSsmParameter: "aws:ssm/getParameter:getParameter",
    /** The engine's own read of a resource by URN (resource references, `get` functions). */
    getResource: "pulumi:pulumi:getResource",
} as const;

/** Areas of this program's components: the middle segment of their type tokens, and the folders of components/. */
export const AREAS = ["network", "edge", "pki", "security", "compute", "storage", "observability"] as const;
export type Area = (typeof AREAS)[number];

/** This program's component resources, `e2etls:<area>:<Name>`. */
export const COMPONENTS = {
    network: "e2etls:network:Network",
    tierSecurityGroups: "e2etls:network:TierSecurityGroups",
    secureLoadBalancer: "e2etls:edge:SecureLoadBalancer",
    secureListeners: "e2etls:edge:SecureListeners",
    frontDoor: "e2etls:edge:FrontDoor",
    trustStore: "e2etls:edge:TrustStore",
    certificateAuthority: "e2etls:pki:CertificateAuthority",
    storedCertificate: "e2etls:pki:StoredCertificate",
    tlsSecret: "e2etls:pki:TlsSecret",
    partnerCertificate: "e2etls:pki:PartnerCertificate",
    secretsKey: "e2etls:security:SecretsKey",
    tierIdentity: "e2etls:security:TierIdentity",
    ec2Tier: "e2etls:compute:Ec2Tier",
    ecsTier: "e2etls:compute:EcsTier",
    privateBucket: "e2etls:storage:PrivateBucket",
    alertTopic: "e2etls:observability:AlertTopic",
    certificateAlarms: "e2etls:observability:CertificateAlarms",
} as const;

/** The area a component token names (`e2etls:<area>:<Name>`), or undefined for any other token. */
export function areaOf(token: string): Area | undefined {
    const [pkg, area] = token.split(":");
    return pkg === "e2etls" && (AREAS as readonly string[]).includes(area) ? (area as Area) : undefined;
}


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
    acmpcaCertificate: "aws-native:acmpca:Certificate",
    acmpcaCertificateAuthority: "aws-native:acmpca:CertificateAuthority",
    autoscalingGroup: "aws-native:autoscaling:AutoScalingGroup",
    launchConfiguration: "aws-native:autoscaling:LaunchConfiguration",
    instance: "aws-native:ec2:Instance",
    launchTemplate: "aws-native:ec2:LaunchTemplate",
    securityGroup: "aws-native:ec2:SecurityGroup",
    securityGroupIngress: "aws-native:ec2:SecurityGroupIngress",
    ebsVolume: "aws-native:ec2:Volume",
    ecsService: "aws-native:ecs:Service",
    ecsTaskDefinition: "aws-native:ecs:TaskDefinition",
    kmsKey: "aws-native:kms:Key",
    lambdaFunction: "aws-native:lambda:Function",
    secretsManagerSecret: "aws-native:secretsmanager:Secret",
    ssmParameter: "aws-native:ssm:Parameter",
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
    [NATIVE.acmpcaCertificate]: TOKENS.acmpcaCertificate,
    [NATIVE.acmpcaCertificateAuthority]: TOKENS.acmpcaCertificateAuthority,
    [NATIVE.autoscalingGroup]: TOKENS.autoscalingGroup,
    [NATIVE.launchConfiguration]: TOKENS.launchConfiguration,
    [NATIVE.instance]: TOKENS.instance,
    [NATIVE.launchTemplate]: TOKENS.launchTemplate,
    [NATIVE.securityGroup]: TOKENS.securityGroup,
    [NATIVE.securityGroupIngress]: TOKENS.securityGroupIngressRule,
    [NATIVE.ebsVolume]: TOKENS.ebsVolume,
    [NATIVE.ecsService]: TOKENS.ecsService,
    [NATIVE.ecsTaskDefinition]: TOKENS.ecsTaskDefinition,
    [NATIVE.kmsKey]: TOKENS.kmsKey,
    [NATIVE.lambdaFunction]: TOKENS.lambdaFunction,
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
    apiGatewayDomainName: ["aws:apigateway/domainName:DomainName", "aws-native:apigateway:DomainName"],
    apiGatewayV2DomainName: ["aws:apigatewayv2/domainName:DomainName", "aws-native:apigatewayv2:DomainName"],
    k8sIngress: ["kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:networking.k8s.io/v1beta1:Ingress", "kubernetes:extensions/v1beta1:Ingress"],
    k8sService: ["kubernetes:core/v1:Service"],
    nativeEcsService: ["aws-native:ecs:Service"],
} as const;
