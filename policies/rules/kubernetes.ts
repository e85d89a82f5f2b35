/**
 * Load balancers made from Kubernetes objects, judged by the same rules as the ELB resources:
 * Ingresses of the AWS Load Balancer Controller (ALBs) and `type: LoadBalancer` Services (NLBs of
 * the controller or the in-tree cloud provider, Classic ELBs of the in-tree provider).
 *
 * Annotation names, values and defaults: kubernetes-sigs/aws-load-balancer-controller
 * docs/guide/ingress/annotations.md (listen-ports defaults to `[{"HTTP": 80}]`, or `[{"HTTPS": 443}]`
 * with a certificate; ssl-redirect makes every HTTP listener redirect; ssl-policy defaults to
 * ELBSecurityPolicy-2016-08; backend-protocol and healthcheck-protocol default to HTTP) and
 * docs/guide/service/annotations.md (ssl-ports: every port when omitted, `*` matches none;
 * ssl-negotiation-policy defaults to ELBSecurityPolicy-2016-08; backend-protocol `ssl` or `tcp`,
 * default tcp; health checks default to TCP). Annotation values are strings.
 */
import { Policies } from "@pulumi/policy";
import { LB_CONTROLLER_DEFAULT_SSL_POLICY } from "../shared/aws-defaults";
import { HOP_TOKENS } from "../shared/tokens";
import { asArray, CheckContext, flag, isUnknown, resourceRule, strings } from "../framework";
import { knownString, sslPolicyFix, sslPolicyProblem } from "./hop-values";
import { TLS_POLICY_PARAMS, TlsPolicyConfig } from "./tls-policies";

/** Prefix of the AWS Load Balancer Controller's Ingress annotations. */
export const ALB = "alb.ingress.kubernetes.io/";
/** Prefix of the load balancer annotations of a `type: LoadBalancer` Service (controller and in-tree provider). */
export const SVC = "service.beta.kubernetes.io/aws-load-balancer-";
const CONTROLLER_DEFAULT_POLICY = LB_CONTROLLER_DEFAULT_SSL_POLICY;

function annotationsOf(props: Record<string, any>): Record<string, unknown> {
    const a = props.metadata?.annotations;
    return a && typeof a === "object" && !isUnknown(a) ? a : {};
}

/** An annotation as the controller reads it: a trimmed string, `undefined` when absent or unknown. */
function annotation(props: Record<string, any>, name: string): string | undefined {
    return knownString(annotationsOf(props)[name])?.trim();
}

const where = (name: string) => `metadata.annotations["${name}"]`;

/** True when the AWS Load Balancer Controller reconciles this Ingress. */
function isAlbIngress(props: Record<string, any>, classes: readonly string[]): boolean {
    const cls = knownString(props.spec?.ingressClassName) ?? annotation(props, "kubernetes.io/ingress.class");
    return cls !== undefined && classes.includes(cls);
}

type IngressConfig = TlsPolicyConfig & { ingressClasses: string[] };

/** The listen ports as the controller computes them, or `undefined` when the annotation is unknown or malformed. */
function listenPorts(props: Record<string, any>): { protocol: string; port: unknown }[] | undefined {
    if (isUnknown(annotationsOf(props)[`${ALB}listen-ports`])) {
        return undefined;
    }
    const text = annotation(props, `${ALB}listen-ports`);
    if (text === undefined) {
        const tls = annotation(props, `${ALB}certificate-arn`) !== undefined || asArray(props.spec?.tls).length > 0;
        return [tls ? { protocol: "HTTPS", port: 443 } : { protocol: "HTTP", port: 80 }];
    }
    try {
        const parsed = JSON.parse(text);
        return asArray(parsed).flatMap((entry: any) => (entry && typeof entry === "object" ? Object.entries(entry).map(([protocol, port]) => ({ protocol: protocol.toUpperCase(), port })) : []));
    } catch {
        return undefined; // The controller refuses it and builds nothing.
    }
}

function checkIngressListeners({ props, config, report }: CheckContext<IngressConfig>): void {
    if (!isAlbIngress(props, config.ingressClasses)) {
        return;
    }
    const ports = listenPorts(props);
    if (!ports) {
        return;
    }
    const plain = ports.filter((p) => p.protocol !== "HTTPS");
    if (plain.length > 0 && annotation(props, `${ALB}ssl-redirect`) === undefined && !isUnknown(annotationsOf(props)[`${ALB}ssl-redirect`])) {
        report({
            property: where(`${ALB}listen-ports`), value: annotation(props, `${ALB}listen-ports`),
            problem: `makes the controller serve ${plain.map((p) => `${p.protocol}:${p.port}`).join(", ")} in plaintext, with no ssl-redirect`,
            fix: `listen on HTTPS only, or set ${ALB}ssl-redirect to the HTTPS port so every HTTP listener redirects`,
        });
    }
    const policyValue = annotationsOf(props)[`${ALB}ssl-policy`];
    if (ports.some((p) => p.protocol === "HTTPS") && !isUnknown(policyValue)) {
        const policy = annotation(props, `${ALB}ssl-policy`) ?? CONTROLLER_DEFAULT_POLICY;
        const problem = sslPolicyProblem(policy, config);
        if (problem) {
            report({ property: where(`${ALB}ssl-policy`), value: policyValue, problem: `${policyValue === undefined ? `lets the controller apply ${CONTROLLER_DEFAULT_POLICY}, which ` : ""}${problem}`, fix: sslPolicyFix(`${ALB}ssl-policy`, config) });
        }
    }
    const mtls = annotation(props, `${ALB}mutual-authentication`);
    let entries: any[] = [];
    try {
        entries = mtls === undefined ? [] : asArray(JSON.parse(mtls));
    } catch {
        return;
    }
    entries.forEach((e: any) => {
        const mode = knownString(e?.mode)?.toLowerCase();
        if (mode === "verify" && (knownString(e.trustStore) ?? "") === "") {
            report({ property: where(`${ALB}mutual-authentication`), value: e, problem: "verifies client certificates against no trust store", fix: "name the trust store ARN (or name) in trustStore" });
        } else if (mode === "verify" && String(e.ignoreClientCertificateExpiry).toLowerCase() === "true") {
            report({ property: where(`${ALB}mutual-authentication`), value: e, problem: "accepts expired client certificates", fix: "set ignoreClientCertificateExpiry to false" });
        }
    });
}

function checkIngressBackend({ props, config, report }: CheckContext<{ ingressClasses: string[] }>): void {
    if (!isAlbIngress(props, config.ingressClasses)) {
        return;
    }
    for (const [name, what] of [["backend-protocol", "forwards requests to the pods"], ["healthcheck-protocol", "health-checks the pods"]]) {
        const value = annotationsOf(props)[`${ALB}${name}`];
        const protocol = annotation(props, `${ALB}${name}`)?.toUpperCase() ?? "HTTP";
        if (!isUnknown(value) && protocol !== "HTTPS") {
            report({
                property: where(`${ALB}${name}`), value,
                problem: `makes the ALB ${what} over plaintext HTTP${value === undefined ? " (the controller's default)" : ""}`,
                fix: `set ${ALB}${name} to "HTTPS" (pods serve TLS), on the Ingress or on each backend Service`,
            });
        }
    }
}

/** True for a `type: LoadBalancer` Service reconciled by the AWS Load Balancer Controller (not the in-tree provider). */
function isControllerService(props: Record<string, any>): boolean {
    const type = annotation(props, `${SVC}type`);
    return type === "external" || type === "nlb-ip" || knownString(props.spec?.loadBalancerClass) === "service.k8s.aws/nlb";
}

/** The Service's ports with whether each gets a TLS listener; `undefined` while something it depends on is unknown. */
function servicePorts(props: Record<string, any>): { i: number; port: any; tls: boolean }[] | undefined {
    const a = annotationsOf(props);
    if (isUnknown(props.spec?.ports) || isUnknown(a[`${SVC}ssl-cert`]) || isUnknown(a[`${SVC}ssl-ports`])) {
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
    const policyValue = annotationsOf(props)[`${SVC}ssl-negotiation-policy`];
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
    if (!ports?.some((p) => p.tls)) {
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

const INGRESS_CLASSES = strings("Ingress class names reconciled by the AWS Load Balancer Controller (spec.ingressClassName or the kubernetes.io/ingress.class annotation).", ["alb"]);

export const policies: Policies = [
    resourceRule({
        name: "k8s-alb-ingress-tls-listeners",
        description: "Ingresses of the AWS Load Balancer Controller listen on HTTPS only (HTTP listen ports only with ssl-redirect), on an allow-listed ssl-policy (the controller's default ELBSecurityPolicy-2016-08 allows TLS 1.0), and a mutual-authentication verify entry names a trust store and does not ignore expiry: the rules of alb-listener-https-only, alb-listener-tls-policy-allowlist and alb-listener-mtls-verify-trust-store.",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: HOP_TOKENS.k8sIngress,
        config: { ...TLS_POLICY_PARAMS, ingressClasses: INGRESS_CLASSES },
        check: checkIngressListeners,
    }),
    resourceRule({
        name: "k8s-alb-ingress-backend-https",
        description: "Ingresses of the AWS Load Balancer Controller set backend-protocol and healthcheck-protocol to HTTPS: both default to HTTP (the rules of alb-target-group-https and alb-target-group-health-check-https).",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: HOP_TOKENS.k8sIngress,
        config: { ingressClasses: INGRESS_CLASSES },
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
