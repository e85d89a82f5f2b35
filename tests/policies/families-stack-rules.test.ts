/**
 * Stack rules that need one shape on a stack that holds it only in aws-native: the policy server's
 * fast path (`__pulumiType`) compares one type, so a rule marked with the @pulumi/aws token would be
 * skipped there. Each rule reports on, and accepts, a stack of aws-native resources alone, through
 * the real pack process.
 */
import * as assert from "assert";
import { arn, assertViolation, of, usePackPerTest } from "./fixtures";
import { StackResource, toResources } from "./fixtures-stack";
import { RULES } from "./names";

const { LISTENER } = RULES["deploy-ordering"];
const { SIGNING, REVOKE } = RULES["deploy-pca"];

const N = (module: string, type: string) => `aws-native:${module}:${type}`;
const TG_ARN = arn("elasticloadbalancing", "targetgroup/web-tg/abcdef1234567890");
const LB_ARN = arn("elasticloadbalancing", "loadbalancer/app/web/1234567890abcdef");
const CA_ARN = arn("acm-pca", "certificate-authority/2222");

/** An aws-native Fargate service registered in a target group, waiting for the listener that forwards to it. */
function ecsStack(waits: boolean): StackResource[] {
    return [
        { type: N("elasticloadbalancingv2", "LoadBalancer"), name: "web-alb", props: { loadBalancerArn: LB_ARN, type: "application" } },
        { type: N("elasticloadbalancingv2", "TargetGroup"), name: "web-tg", props: { targetGroupArn: TG_ARN, port: 8443, protocol: "HTTPS", targetType: "ip" } },
        {
            type: N("elasticloadbalancingv2", "Listener"), name: "web-https",
            props: { loadBalancerArn: LB_ARN, protocol: "HTTPS", defaultActions: [{ type: "forward", forwardConfig: { targetGroups: [{ targetGroupArn: TG_ARN }] } }] },
            deps: { loadBalancerArn: ["web-alb"], defaultActions: ["web-tg"] },
        },
        {
            type: N("ecs", "Service"), name: "svc",
            props: { launchType: "FARGATE", loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "tls", containerPort: 8443 }] },
            deps: { loadBalancers: ["web-tg"] },
            dependsOn: waits ? ["web-https"] : [],
        },
    ];
}

/** An aws-native Private CA with an RSA key, and an end-entity certificate it issues. */
function pcaStack(ca: Record<string, any>, cert: Record<string, any>): StackResource[] {
    return [
        { type: N("acmpca", "CertificateAuthority"), name: "root", props: { arn: CA_ARN, type: "ROOT", keyAlgorithm: "RSA_2048", signingAlgorithm: "SHA256WITHRSA", subject: { commonName: "root" }, ...ca } },
        {
            type: N("acmpca", "Certificate"), name: "leaf",
            props: { certificateAuthorityArn: CA_ARN, signingAlgorithm: "SHA256WITHRSA", templateArn: "arn:aws:acm-pca:::template/EndEntityServerAuthCertificate/V1", validity: { type: "DAYS", value: 30 }, ...cert },
            deps: { certificateAuthorityArn: ["root"] },
        },
    ];
}

describe("stack rules on a stack of aws-native resources only", () => {
    const pack = usePackPerTest();
    const analyze = (stack: StackResource[]) => pack().analyzeStack(toResources(stack));

    it(`${LISTENER}: advises on an aws-native service that can start before its listener, and accepts one that waits`, async () => {
        assertViolation(await analyze(ecsStack(false)), LISTENER, "advisory", `Service "svc" (${N("ecs", "Service")})`, 'Listener "web-https"', "no associated load balancer");
        assert.deepStrictEqual(of(await analyze(ecsStack(true)), LISTENER), []);
    });

    it(`${SIGNING}: advises on an ECDSA signature from an aws-native RSA CA, and accepts an RSA one`, async () => {
        assertViolation(await analyze(pcaStack({}, { signingAlgorithm: "SHA256WITHECDSA" })), SIGNING, "advisory",
            `Certificate "leaf" (${N("acmpca", "Certificate")}): signingAlgorithm is "SHA256WITHECDSA"`, "RSA_2048");
        assert.deepStrictEqual(of(await analyze(pcaStack({}, {})), SIGNING), []);
    });

    it(`${REVOKE}: advises on an aws-native certificate of a CA that publishes a CRL, and accepts one of a CA without revocation`, async () => {
        assertViolation(await analyze(pcaStack({ revocationConfiguration: { crlConfiguration: { enabled: true } } }, {})), REVOKE, "advisory",
            `Certificate "leaf" (${N("acmpca", "Certificate")}): certificateAuthorityArn`, "publishes revocation by CRL");
        assert.deepStrictEqual(of(await analyze(pcaStack({}, {})), REVOKE), []);
    });
});
