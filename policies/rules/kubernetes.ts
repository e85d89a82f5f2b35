/**
 * Load balancers made from Kubernetes objects, judged by the same rules as the ELB resources:
 * Ingresses of the AWS Load Balancer Controller (ALBs; read with their IngressClass,
 * IngressClassParams and backend Services in ./k8s-ingress.ts) and
 * `type: LoadBalancer` Services (NLBs of the controller or the in-tree cloud provider, Classic ELBs
 * of the in-tree provider).
 *
 * Service annotation names, values and defaults: kubernetes-sigs/aws-load-balancer-controller
 * docs/guide/service/annotations.md (ssl-ports: every port when omitted, `*` matches none;
 * ssl-negotiation-policy defaults to ELBSecurityPolicy-2016-08; backend-protocol `ssl` or `tcp`,
 * default tcp; health checks default to TCP). Annotation values are strings.
 */
import { Policies } from "@pulumi/policy";
import { LB_CONTROLLER_DEFAULT_SSL_POLICY } from "../shared/aws-defaults";
import { HOP_TOKENS } from "../shared/tokens";
import { asArray, CheckContext, flag, isUnknown, knownString, param, resourceRule, stackRule, strings } from "../framework";
import { ALB, annotationPath as where, annotationsOf, checkIngressBackend, checkIngressListeners } from "./k8s-ingress";
import { sslPolicyFix, sslPolicyProblem, TLS_POLICY_PARAMS, TlsPolicyConfig } from "./tls-policies";

/** Re-exported for the benchmark's stack, which writes Ingress annotations. */
export { ALB };

/** Prefix of the load balancer annotations of a `type: LoadBalancer` Service (controller and in-tree provider). */
export const SVC = "service.beta.kubernetes.io/aws-load-balancer-";
const CONTROLLER_DEFAULT_POLICY = LB_CONTROLLER_DEFAULT_SSL_POLICY;

/** An annotation as the controller reads it: a trimmed string, `undefined` when absent or unknown. */
function annotation(props: Record<string, any>, name: string): string | undefined {
    return knownString(annotationsOf(props)?.[name])?.trim();
}

/** True for a `type: LoadBalancer` Service reconciled by the AWS Load Balancer Controller (not the in-tree provider). */
function isControllerService(props: Record<string, any>): boolean {
    const type = annotation(props, `${SVC}type`);
    return type === "external" || type === "nlb-ip" || knownString(props.spec?.loadBalancerClass) === "service.k8s.aws/nlb";
}

/** The Service's ports with whether each gets a TLS listener; `undefined` while something it depends on is unknown. */
function servicePorts(props: Record<string, any>): { i: number; port: any; tls: boolean }[] | undefined {
    const a = annotationsOf(props);
    if (a === undefined || isUnknown(props.spec?.ports) || isUnknown(a[`${SVC}ssl-cert`]) || isUnknown(a[`${SVC}ssl-ports`])) {
        return undefined;
    }
    const cert = annotation(props, `${SVC}ssl-cert`);
    const listed = annotation(props, `${SVC}ssl-ports`)?.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const all = listed === undefined || (listed.includes("*") && !isControllerService(props));
    return asArray(props.spec?.ports).map((port: any, i) => ({
        i, port,
        tls: cert !== undefined && cert !== "" && (all || listed!.includes(String(port?.port)) || (typeof port?.name === "string" && listed!.includes(port.name))),
    }));
}

const isLoadBalancerService = (props: Record<string, any>) => knownString(props.spec?.type) === "LoadBalancer";

function checkServiceListeners({ props, config, report }: CheckContext<TlsPolicyConfig & { allowTcpPassthrough: boolean }>): void {
    const ports = isLoadBalancerService(props) ? servicePorts(props) : undefined;
    for (const { i, port, tls } of ports ?? []) {
        const protocol = (knownString(port?.protocol) ?? "TCP").toUpperCase();
        if (!tls && !(protocol === "TCP" && config.allowTcpPassthrough)) {
            report({
                property: `spec.ports[${i}]`, value: port,
                problem: protocol === "UDP" ? "gets a UDP listener, which carries no TLS" : "gets a plain TCP listener: no TLS the pack can verify",
                fix: `set ${SVC}ssl-cert to an ACM certificate ARN and include the port in ${SVC}ssl-ports, or set allowTcpPassthrough for TLS pass-through`,
            });
        }
    }
    const policyValue = annotationsOf(props)?.[`${SVC}ssl-negotiation-policy`];
    if ((ports ?? []).some((p) => p.tls) && !isUnknown(policyValue)) {
        const problem = sslPolicyProblem(annotation(props, `${SVC}ssl-negotiation-policy`) ?? CONTROLLER_DEFAULT_POLICY, config);
        if (problem) {
            report({ property: where(`${SVC}ssl-negotiation-policy`), value: policyValue, problem: `${policyValue === undefined ? `lets the load balancer use ${CONTROLLER_DEFAULT_POLICY}, which ` : ""}${problem}`, fix: sslPolicyFix(`${SVC}ssl-negotiation-policy`, config) });
        }
    }
}

function checkServiceBackend({ props, report }: CheckContext<object>): void {
    const ports = isLoadBalancerService(props) ? servicePorts(props) : undefined;
    const a = annotationsOf(props);
    if (a === undefined || !ports?.some((p) => p.tls)) {
        return;
    }
    const backend = annotation(props, `${SVC}backend-protocol`)?.toLowerCase() ?? "tcp";
    if (!isUnknown(a[`${SVC}backend-protocol`]) && backend !== "ssl" && backend !== "https") {
        report({
            property: where(`${SVC}backend-protocol`), value: a[`${SVC}backend-protocol`],
            problem: `makes the load balancer decrypt and forward to the pods in plaintext (${backend}${a[`${SVC}backend-protocol`] === undefined ? ", the default" : ""})`,
            fix: `set ${SVC}backend-protocol to "ssl" (pods serve TLS)`,
        });
    }
    const health = annotation(props, `${SVC}healthcheck-protocol`)?.toLowerCase();
    if (health === "http") {
        report({
            property: where(`${SVC}healthcheck-protocol`), value: health,
            problem: "health-checks the pods over plaintext HTTP (the default is a TCP connect check)",
            fix: 'set it to "https", or remove it for the TCP connect check',
        });
    }
}

const CLASS_PARAMS = {
    ingressClasses: strings("Ingress class names the AWS Load Balancer Controller reconciles when the stack holds no IngressClass of that name: its --ingress-class for the kubernetes.io/ingress.class annotation, and the IngressClasses of other stacks for spec.ingressClassName.", ["alb"]),
    defaultIngressClass: param("", { type: "string", description: "The cluster's default IngressClass when the stack marks none (ingressclass.kubernetes.io/is-default-class): an Ingress that names no class gets it. Empty: such Ingresses are left to their controller." }),
};

/** What the Ingress rules read: Ingresses with their classes and parameters; the back-end rule also the Services they route to. */
const INGRESS_READS = [...HOP_TOKENS.k8sIngress, ...HOP_TOKENS.k8sIngressClass, ...HOP_TOKENS.k8sIngressClassParams];

export const policies: Policies = [
    stackRule({
        name: "k8s-alb-ingress-tls-listeners",
        description: "Ingresses the AWS Load Balancer Controller reconciles (by the kubernetes.io/ingress.class annotation, spec.ingressClassName or the default IngressClass, and an IngressClass whose controller is ingress.k8s.aws/alb) listen on HTTPS only (HTTP listen ports only with ssl-redirect, or the IngressClassParams' sslRedirectPort), on an allow-listed security policy: the IngressClassParams' sslPolicy, which the controller prefers, else the ssl-policy annotation, else the controller's default ELBSecurityPolicy-2016-08 (TLS 1.0); a mutual-authentication verify entry names a trust store and does not ignore expiry. " +
            "Annotation JSON is read as Go's encoding/json reads it (field names case-insensitive, the last of equal keys wins). Source: kubernetes-sigs/aws-load-balancer-controller pkg/ingress/ (group_loader.go, class_loader.go, model_build_listener.go, model_builder.go). The rules of alb-listener-https-only, alb-listener-tls-policy-allowlist and alb-listener-mtls-verify-trust-store.",
        enforcementLevel: "mandatory",
        severity: "high",
        reads: INGRESS_READS,
        config: { ...TLS_POLICY_PARAMS, ...CLASS_PARAMS },
        check: checkIngressListeners,
    }),
    stackRule({
        name: "k8s-alb-ingress-backend-https",
        description: "Ingresses the AWS Load Balancer Controller reconciles forward to and health-check their pods over HTTPS: backend-protocol (default HTTP) and healthcheck-protocol (default: the backend protocol) read from each backend Service's annotations first, then the Ingress's, as the controller merges them (pkg/ingress/model_build_target_group.go). The rules of alb-target-group-https and alb-target-group-health-check-https.",
        enforcementLevel: "mandatory",
        severity: "high",
        reads: [...INGRESS_READS, ...HOP_TOKENS.k8sService],
        config: CLASS_PARAMS,
        check: checkIngressBackend,
    }),
    resourceRule({
        name: "k8s-service-load-balancer-tls",
        description: "type: LoadBalancer Services (NLB or Classic ELB) give every port a TLS listener (ssl-cert, and ssl-ports naming the port or left out) on an allow-listed ssl-negotiation-policy (default ELBSecurityPolicy-2016-08 allows TLS 1.0); TCP ports only with allowTcpPassthrough, UDP ports fail.",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: HOP_TOKENS.k8sService,
        config: { ...TLS_POLICY_PARAMS, allowTcpPassthrough: flag(false, "Accept plain TCP ports (TLS pass-through to pods that terminate TLS).") },
        check: checkServiceListeners,
    }),
    resourceRule({
        name: "k8s-service-load-balancer-backend-tls",
        description: "type: LoadBalancer Services with TLS listeners re-encrypt to the pods: backend-protocol ssl (or https on a Classic ELB; the default tcp forwards decrypted traffic), and no HTTP health check (TCP connect checks are the default and accepted).",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: HOP_TOKENS.k8sService,
        check: checkServiceBackend,
    }),
];
