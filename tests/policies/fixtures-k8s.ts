/**
 * Kubernetes objects of the AWS Load Balancer Controller as the policy tests build them: an ALB
 * Ingress and a LoadBalancer Service that pass every rule, one change per test on top, and the
 * IngressClass and IngressClassParams the controller reads with them.
 */
import { AnalyzeResult, Diagnostic, PackHandle, ResourceInput } from "../../offline/analyzer/harness";
import { CERT_ARN, GOOD_POLICY, resource, TRUST_STORE_ARN } from "./fixtures";

export const A = "alb.ingress.kubernetes.io/";
export const S = "service.beta.kubernetes.io/aws-load-balancer-";
export const INGRESS_TOKENS = ["kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:networking.k8s.io/v1beta1:Ingress", "kubernetes:extensions/v1beta1:Ingress"];
export const SERVICE_TOKEN = "kubernetes:core/v1:Service";

const drop = (annotations: Record<string, unknown>, ...names: string[]) =>
    Object.fromEntries(Object.entries(annotations).filter(([k]) => !names.includes(k)));

/** An ALB Ingress: HTTP redirected to HTTPS, an allow-listed policy, HTTPS to the pods, mTLS verify. */
export function ingress(token: string, annotations: Record<string, unknown> = {}, spec: Record<string, unknown> = {}, without: string[] = []) {
    return resource(token, "web", {
        apiVersion: "networking.k8s.io/v1", kind: "Ingress",
        metadata: {
            name: "web",
            annotations: drop({
                [`${A}listen-ports`]: '[{"HTTP": 80}, {"HTTPS": 443}]',
                [`${A}ssl-redirect`]: "443",
                [`${A}certificate-arn`]: CERT_ARN,
                [`${A}ssl-policy`]: GOOD_POLICY,
                [`${A}backend-protocol`]: "HTTPS",
                [`${A}healthcheck-protocol`]: "HTTPS",
                [`${A}mutual-authentication`]: JSON.stringify([{ port: 443, mode: "verify", trustStore: TRUST_STORE_ARN }]),
                ...annotations,
            }, ...without),
        },
        spec: { ingressClassName: "alb", rules: [], ...spec },
    });
}

/** A LoadBalancer Service of the controller: TLS on 443, allow-listed policy, TLS to the pods. */
export function service(annotations: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) {
    return resource(SERVICE_TOKEN, "web-nlb", {
        apiVersion: "v1", kind: "Service",
        metadata: {
            name: "web-nlb",
            annotations: {
                [`${S}type`]: "external",
                [`${S}ssl-cert`]: CERT_ARN,
                [`${S}ssl-negotiation-policy`]: GOOD_POLICY,
                [`${S}backend-protocol`]: "ssl",
                ...annotations,
            },
        },
        spec: { type: "LoadBalancer", ports: [{ name: "https", port: 443, targetPort: 8443, protocol: "TCP" }], ...spec },
    });
}


export const INGRESS_CLASS_TOKENS = ["kubernetes:networking.k8s.io/v1:IngressClass", "kubernetes:networking.k8s.io/v1beta1:IngressClass"];
export const PARAMS_TOKEN = "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams";

/** An IngressClass of the controller, named `name`, with `parameters` naming IngressClassParams `params` when given. */
export function ingressClass(token: string, name: string, opts: { controller?: string; params?: string; isDefault?: string; logical?: string } = {}) {
    return resource(token, opts.logical ?? `class-${name}`, {
        apiVersion: token.split(":")[1], kind: "IngressClass",
        metadata: { name, annotations: opts.isDefault === undefined ? {} : { "ingressclass.kubernetes.io/is-default-class": opts.isDefault } },
        spec: {
            controller: opts.controller ?? "ingress.k8s.aws/alb",
            ...(opts.params ? { parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: opts.params } } : {}),
        },
    });
}

/** IngressClassParams `name` with `spec` (a custom resource: apiVersion and kind are inputs). */
export function classParams(name: string, spec: Record<string, unknown>) {
    return resource(PARAMS_TOKEN, `params-${name}`, { apiVersion: "elbv2.k8s.aws/v1beta1", kind: "IngressClassParams", metadata: { name }, spec });
}

/** A ClusterIP Service `name` that an Ingress routes to, with ALB annotations of its own. */
export function backendService(name: string, annotations: Record<string, unknown>) {
    return resource(SERVICE_TOKEN, `svc-${name}`, { apiVersion: "v1", kind: "Service", metadata: { name, annotations }, spec: { type: "ClusterIP", ports: [{ port: 8443 }] } });
}

/** Routes every request of an Ingress to Service `name` (the v1 shape, or v1beta1's `serviceName`). */
export const routeTo = (name: string, v1 = true) => ({
    rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: v1 ? { service: { name, port: { number: 8443 } } } : { serviceName: name, servicePort: 8443 } }] } }],
});

/**
 * What a preview reports for `resources`: each resource's Analyze, then AnalyzeStack, as the engine
 * calls them. The Ingress rules read several objects, so they report at AnalyzeStack; a test that
 * reads the whole preview fails whichever call a wrong finding comes from.
 */
export async function preview(pack: PackHandle, resources: ResourceInput[]): Promise<AnalyzeResult> {
    const diagnostics: Diagnostic[] = [];
    for (const r of resources) diagnostics.push(...(await pack.analyze(r)).diagnostics);
    diagnostics.push(...(await pack.analyzeStack(resources)).diagnostics);
    return { diagnostics, notApplicable: [] };
}
