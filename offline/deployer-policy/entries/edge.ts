/**
 * The load balancer and what it serves (components/edge): ELBv2, ACM and Route 53.
 * Form and sources: ../entry.ts; merged into RESOURCE_ACTIONS by ../actions.ts.
 */
import { ELBV2, TOKENS } from "../../../policies/shared/tokens";
import { ResourceEntry, TagCalls, tf, TAGGED } from "../entry";

/** ELB tags (elbv2/tags_gen.go); each Create* names elasticloadbalancing:AddTags as a dependent action (SAR). */
const TAGS_ELB: TagCalls = {
    onCreate: ["elasticloadbalancing:AddTags"], list: ["elasticloadbalancing:DescribeTags"],
    tag: ["elasticloadbalancing:AddTags"], untag: ["elasticloadbalancing:RemoveTags"],
};

export const EDGE_ACTIONS: Readonly<Record<string, ResourceEntry>> = {
    [ELBV2.lb.loadBalancer]: {
        source: [tf("elbv2/load_balancer.go")],
        create: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes"],
        read: ["elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeCapacityReservation"],
        update: ["elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetIpAddressType"],
        // Delete waits for the load balancer's network interfaces to go.
        delete: ["elasticloadbalancing:DeleteLoadBalancer", "ec2:DescribeNetworkInterfaces"],
        waiters: ["elasticloadbalancing:DescribeLoadBalancers"],
        tags: TAGS_ELB,
        serviceLinkedRole: { service: "elasticloadbalancing.amazonaws.com", source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-service-linked-roles.html" },
        arguments: {
            desyncMitigationMode: [], dropInvalidHeaderFields: [], enableDeletionProtection: [], enableHttp2: [],
            enableTlsVersionAndCipherSuiteHeaders: [], idleTimeout: [], internal: [], loadBalancerType: [], securityGroups: [], subnets: [], ...TAGGED,
            accessLogs: {
                calls: [],
                why: "a load balancer attribute (ModifyLoadBalancerAttributes); ELB itself checks that it may write to the bucket, through the bucket policy",
                source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html",
            },
        },
        checked: "reviewed",
    },
    [ELBV2.lb.targetGroup]: {
        source: [tf("elbv2/target_group.go")],
        create: ["elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"],
        read: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes"],
        update: ["elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes"],
        delete: ["elasticloadbalancing:DeleteTargetGroup"],
        tags: TAGS_ELB,
        arguments: { deregistrationDelay: [], healthCheck: [], port: [], protocol: [], protocolVersion: [], targetType: [], vpcId: [], ...TAGGED },
        checked: "reviewed",
    },
    [ELBV2.lb.listener]: {
        source: [tf("elbv2/listener.go")],
        create: ["elasticloadbalancing:CreateListener", "elasticloadbalancing:ModifyListenerAttributes"],
        read: ["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes"],
        update: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes"],
        delete: ["elasticloadbalancing:DeleteListener"],
        tags: TAGS_ELB,
        arguments: {
            certificateArn: [], defaultActions: [], loadBalancerArn: [], mutualAuthentication: [], port: [], protocol: [], sslPolicy: [], ...TAGGED,
            routingHttpResponseStrictTransportSecurityHeaderValue: {
                calls: ["elasticloadbalancing:ModifyListenerAttributes"], why: "an HTTP response header is a listener attribute",
            },
        },
        checked: "reviewed",
    },
    // The load balancer reads the bundle from S3 with the caller's permissions when the trust store
    // is created or modified, by its pinned version; the delete waits until no listener is
    // associated (resourceTrustStoreDelete, waitForNoTrustStoreAssociations).
    [ELBV2.lb.trustStore]: {
        source: [tf("elbv2/trust_store.go"), "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html"],
        create: ["elasticloadbalancing:CreateTrustStore"],
        read: ["elasticloadbalancing:DescribeTrustStores"],
        update: ["elasticloadbalancing:ModifyTrustStore"],
        delete: ["elasticloadbalancing:DescribeTrustStoreAssociations", "elasticloadbalancing:DeleteTrustStore"],
        waiters: ["elasticloadbalancing:DescribeTrustStores"],
        tags: TAGS_ELB,
        dependent: [{
            actions: ["s3:GetObject", "s3:GetObjectVersion"],
            why: "ELB reads the CA bundle object with the caller's credentials",
            source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html",
        }],
        arguments: { caCertificatesBundleS3Bucket: [], caCertificatesBundleS3Key: [], caCertificatesBundleS3ObjectVersion: [], ...TAGGED },
        checked: "read: resourceTrustStoreUpdate, resourceTrustStoreDelete, waitForNoTrustStoreAssociations (issue 17: DescribeTrustStoreAssociations was missing)",
    },
    [ELBV2.lb.trustStoreRevocation]: {
        source: [tf("elbv2/trust_store_revocation.go")],
        create: ["elasticloadbalancing:AddTrustStoreRevocations"],
        read: ["elasticloadbalancing:DescribeTrustStoreRevocations"],
        update: [],
        delete: ["elasticloadbalancing:RemoveTrustStoreRevocations"],
        dependent: [{
            actions: ["s3:GetObject", "s3:GetObjectVersion"],
            why: "ELB reads the CRL object with the caller's credentials",
            source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddTrustStoreRevocations.html",
        }],
        arguments: { revocationsS3Bucket: [], revocationsS3Key: [], revocationsS3ObjectVersion: [], trustStoreArn: [] },
        checked: "reviewed",
    },
    // ImportCertificate and RequestCertificate name no dependent tagging action in the SAR
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscertificatemanager.html):
    // tags given there are authorized by acm:ImportCertificate / acm:RequestCertificate with
    // aws:RequestTag. A re-import (a renewed imported certificate) carries no tags.
    [TOKENS.acmCertificate]: {
        source: [tf("acm/certificate.go"), "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscertificatemanager.html"],
        create: [],
        read: ["acm:DescribeCertificate", "acm:GetCertificate"],
        update: ["acm:UpdateCertificateOptions"],
        delete: ["acm:DeleteCertificate"],
        waiters: ["acm:DescribeCertificate"],
        tags: { onCreate: [], list: ["acm:ListTagsForCertificate"], tag: ["acm:AddTagsToCertificate"], untag: ["acm:RemoveTagsFromCertificate"] },
        arguments: {
            keyAlgorithm: [], ...TAGGED,
            domainName: { calls: ["acm:RequestCertificate"], why: "a public certificate is requested", when: ["create"] },
            validationMethod: [],
            certificateBody: {
                calls: ["acm:ImportCertificate"], why: "a certificate of the stack's CA is imported, and re-imported (without tags) when renewed",
                when: ["create", "existing"],
            },
            certificateChain: [], privateKey: [],
        },
        checked: "reviewed",
    },
    [TOKENS.acmCertificateValidation]: {
        source: [tf("acm/certificate_validation.go")],
        create: ["acm:DescribeCertificate"],
        read: ["acm:DescribeCertificate"],
        update: [],
        delete: [],
        arguments: { certificateArn: [], validationRecordFqdns: [] },
        checked: "reviewed",
    },
    // The read finds the record in its zone and reads the zone's name; a change is waited on.
    [TOKENS.route53Record]: {
        source: [tf("route53/record.go")],
        create: ["route53:ChangeResourceRecordSets"],
        read: ["route53:ListResourceRecordSets", "route53:GetHostedZone"],
        update: ["route53:ChangeResourceRecordSets"],
        delete: ["route53:ChangeResourceRecordSets"],
        waiters: ["route53:GetChange"],
        arguments: { aliases: [], allowOverwrite: [], name: [], records: [], ttl: [], type: [], zoneId: [] },
        checked: "reviewed",
    },
};
