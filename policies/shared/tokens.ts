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
 * ELBv2 kinds per token family. `aws:alb/*` is the older module name of the same AWS resources;
 * `@pulumi/aws` still publishes both, and a rule that knows only one is bypassed by the other.
 * Trust stores exist only under `aws:lb`.
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

/** The ELBv2 kind of a type token (either family), or `undefined` for any other token. Exact match only. */
export function lbKindOf(resourceType: string): LbKind | undefined {
    return kindOfToken.get(resourceType);
}

/** True when `resourceType` is one of the exact tokens of `kind`, in any ELBv2 family. */
export function isType(resourceType: string, kind: LbKind): boolean {
    return kindOfToken.get(resourceType) === kind;
}
