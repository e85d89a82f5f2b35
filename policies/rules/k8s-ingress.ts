/**
 * Ingresses of the AWS Load Balancer Controller, read as the controller reads them
 * (kubernetes-sigs/aws-load-balancer-controller; files below are under pkg/ingress/ unless named):
 *
 * - Whether the controller reconciles the Ingress, and its IngressClassParams: ./k8s-ingress-class.ts.
 * - Listen ports: the `listen-ports` annotation as `[]map[string]int32` (encoding/json, ./go-json.ts:
 *   map keys exact, `"HTTP"` or `"HTTPS"` only, ports 1-65535, a later entry for a port wins), else
 *   HTTPS:443 when a certificate is named (IngressClassParams `spec.certificateArn` or the
 *   `certificate-arn` annotation), else HTTP:80; `spec.tls` alone names no certificate
 *   (model_build_listener.go computeIngressListenPortConfigByPort, computeIngressListenPorts).
 * - The security policy: IngressClassParams `spec.sslPolicy` when set, else the `ssl-policy`
 *   annotation, else the controller's default (computeIngressExplicitSSLPolicy; model_builder.go
 *   mergeListenPortConfigs).
 * - The redirect: IngressClassParams `spec.sslRedirectPort` when set (a value that is not a
 *   number turns redirects off for the whole group: buildSSLRedirectConfig returns no config and
 *   no error), else the `ssl-redirect` annotation (strconv.ParseInt, no spaces); it must name an
 *   HTTPS listen port, or the controller refuses the group.
 * - mTLS: the `mutual-authentication` annotation as `[]MutualAuthenticationConfig` (field names
 *   matched case-insensitively, the last of equal keys wins).
 * - Back ends: `backend-protocol` and `healthcheck-protocol` from the backend Service's
 *   annotations, which win over the Ingress's (model_build_target_group.go: `MergeStringMap(
 *   svc.Annotations, ing.Ing.Annotations)` keeps the first map's value); the health check follows
 *   the target group's protocol when not set (buildTargetGroupHealthCheckProtocol).
 * A malformed annotation makes the controller refuse the Ingress's group, so it builds nothing and
 * the pack reports nothing for it. Annotation values are strings.
 */
import { LB_CONTROLLER_DEFAULT_BACKEND_PROTOCOL, LB_CONTROLLER_DEFAULT_SSL_POLICY } from "../shared/aws-defaults";
import { HOP_TOKENS } from "../shared/tokens";
import { asArray, isUnknown, Node, StackCheckContext } from "../framework";
import { decodeMap, decodeSlice, decodeStruct, parseGoJson } from "./go-json";
import { knownString, sslPolicyFix, sslPolicyProblem } from "./hop-values";
import { annotationPath as where, annotationsOf, ClassConfig, classifyIngress, IngressClassReading } from "./k8s-ingress-class";
import { TlsPolicyConfig } from "./tls-policies";

/** Prefix of the AWS Load Balancer Controller's Ingress annotations. */
export const ALB = "alb.ingress.kubernetes.io/";

/** An annotation: `undefined` when absent, `null` while unknown. */
function raw(annotations: Record<string, unknown>, name: string): string | null | undefined {
    const v = annotations[name];
    return isUnknown(v) ? null : knownString(v);
}

type Port = { protocol: "HTTP" | "HTTPS"; port: number };

/** The listen ports the controller computes; `undefined` when it refuses the annotation, `null` while unknown. */
function listenPorts(a: Record<string, unknown>, params: Node | undefined): Port[] | null | undefined {
    const text = raw(a, `${ALB}listen-ports`);
    if (text === null) {
        return null;
    }
    if (text === undefined) {
        const fromParams = params?.props.spec?.certificateArn;
        if (isUnknown(fromParams) || raw(a, `${ALB}certificate-arn`) === null) {
            return null;
        }
        const named = asArray(fromParams).length > 0 || (raw(a, `${ALB}certificate-arn`) ?? "").split(",").some((s) => s.trim() !== "");
        return [named ? { protocol: "HTTPS", port: 443 } : { protocol: "HTTP", port: 80 }];
    }
    const decoded = decodeSlice(parseGoJson(text), (entry) => decodeMap(entry, "int32"));
    if ("error" in decoded || decoded.ok.length === 0) {
        return undefined;
    }
    const byPort = new Map<number, Port["protocol"]>();
    for (const entry of decoded.ok) {
        const inEntry = new Map<number, Port["protocol"]>();
        for (const [protocol, port] of entry) {
            if (typeof port !== "number" || port < 1 || port > 65535 || (protocol !== "HTTP" && protocol !== "HTTPS")) {
                return undefined;
            }
            // One object naming a port twice is read in Go's random map order: take the plaintext reading.
            inEntry.set(port, inEntry.get(port) === "HTTP" ? "HTTP" : protocol);
        }
        inEntry.forEach((protocol, port) => byPort.set(port, protocol));
    }
    return [...byPort].map(([port, protocol]) => ({ protocol, port }));
}

/** strconv.ParseInt(s, 10, 32): optional sign, decimal digits, nothing else. */
function parseInt32(s: string): number | undefined {
    const n = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
    return Number.isSafeInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 ? n : undefined;
}

/** The redirect port; `"off"` when there is none, `"params-off"` when the params turn it off, `undefined` when refused, `null` while unknown. */
function sslRedirect(a: Record<string, unknown>, params: Node | undefined, ports: Port[]): number | "off" | "params-off" | null | undefined {
    const fromParams = params?.props.spec?.sslRedirectPort;
    if (isUnknown(fromParams)) {
        return null;
    }
    let port: number | undefined;
    if (typeof fromParams === "string" && fromParams !== "") {
        port = parseInt32(fromParams);
        if (port === undefined) {
            return "params-off";
        }
    } else {
        const text = raw(a, `${ALB}ssl-redirect`);
        if (text === null || text === undefined) {
            return text === null ? null : "off";
        }
        port = parseInt32(text);
    }
    return port !== undefined && ports.some((p) => p.port === port && p.protocol === "HTTPS") ? port : undefined;
}

type IngressConfig = TlsPolicyConfig & ClassConfig;
type Ctx<C> = StackCheckContext<C>;

/** Every Ingress the controller reconciles, with its reading. */
function albIngresses(index: Ctx<ClassConfig>["index"], config: ClassConfig): { ingress: Node; a: Record<string, unknown>; cls: IngressClassReading }[] {
    return HOP_TOKENS.k8sIngress.flatMap((t) => index.ofType(t)).flatMap((ingress) => {
        const cls = classifyIngress(index, ingress, config);
        const a = annotationsOf(ingress.props);
        return cls?.managed && a ? [{ ingress, a, cls }] : [];
    });
}

/** IngressClassParams whose sslPolicy the allow-list refuses: they set every listener of their classes. */
function checkParamsPolicies({ index, config, report }: Ctx<IngressConfig>): void {
    for (const params of HOP_TOKENS.k8sIngressClassParams.flatMap((t) => index.ofType(t))) {
        const policy = isUnknown(params.props.spec) ? undefined : knownString(params.props.spec?.sslPolicy);
        const problem = policy ? sslPolicyProblem(policy, config) : undefined;
        if (problem) {
            report(params, { property: "spec.sslPolicy", value: policy, problem: `${problem}, on every HTTPS listener of the Ingresses of its classes (the controller prefers it to their ssl-policy annotations)`, fix: sslPolicyFix("spec.sslPolicy", config) });
        }
    }
}

export function checkIngressListeners(ctx: Ctx<IngressConfig>): void {
    const { index, config, report } = ctx;
    checkParamsPolicies(ctx);
    for (const { ingress, a, cls } of albIngresses(index, config)) {
        const ports = listenPorts(a, cls.params);
        if (!ports) {
            continue;
        }
        const redirect = sslRedirect(a, cls.params, ports);
        const plain = ports.filter((p) => p.protocol !== "HTTPS");
        if (plain.length > 0 && (redirect === "off" || redirect === "params-off")) {
            const byParams = redirect === "params-off" ? `, and the IngressClassParams "${cls.params?.name}" turn ssl-redirect off (spec.sslRedirectPort ${JSON.stringify(cls.params?.props.spec?.sslRedirectPort)} is not a number)` : ", with no ssl-redirect";
            report(ingress, {
                property: where(`${ALB}listen-ports`), value: raw(a, `${ALB}listen-ports`),
                problem: `makes the controller serve ${plain.map((p) => `${p.protocol}:${p.port}`).join(", ")} in plaintext${byParams}`,
                fix: `listen on HTTPS only, or set ${ALB}ssl-redirect (or the IngressClassParams' sslRedirectPort) to the HTTPS port so every HTTP listener redirects`,
            });
        }
        const fromParams = cls.params?.props.spec?.sslPolicy;
        const value = a[`${ALB}ssl-policy`];
        if (ports.some((p) => p.protocol === "HTTPS") && !isUnknown(fromParams) && !(typeof fromParams === "string" && fromParams !== "") && !isUnknown(value)) {
            const policy = knownString(value)?.trim() || LB_CONTROLLER_DEFAULT_SSL_POLICY;
            const problem = sslPolicyProblem(policy, config);
            if (problem) {
                report(ingress, { property: where(`${ALB}ssl-policy`), value, problem: `${value === undefined ? `lets the controller apply ${LB_CONTROLLER_DEFAULT_SSL_POLICY}, which ` : ""}${problem}`, fix: sslPolicyFix(`${ALB}ssl-policy`, config) });
            }
        }
        checkMutualAuthentication(ingress, a, report);
    }
}

const MTLS_FIELDS = { port: "int32", mode: "string", trustStore: "*string", ignoreClientCertificateExpiry: "*bool", advertiseTrustStoreCaNames: "*string" } as const;

function checkMutualAuthentication(ingress: Node, a: Record<string, unknown>, report: Ctx<object>["report"]): void {
    const text = raw(a, `${ALB}mutual-authentication`);
    const decoded = text ? decodeSlice(parseGoJson(text), (e) => decodeStruct(e, MTLS_FIELDS)) : undefined;
    if (!decoded || "error" in decoded) {
        return;
    }
    for (const e of decoded.ok) {
        const mode = typeof e.mode === "string" ? e.mode.toLowerCase() : undefined;
        const value = { port: e.port, mode: e.mode, trustStore: e.trustStore, ignoreClientCertificateExpiry: e.ignoreClientCertificateExpiry };
        if (mode === "verify" && (typeof e.trustStore !== "string" || e.trustStore === "")) {
            report(ingress, { property: where(`${ALB}mutual-authentication`), value, problem: "verifies client certificates against no trust store", fix: "name the trust store ARN (or name) in trustStore" });
        } else if (mode === "verify" && e.ignoreClientCertificateExpiry === true) {
            report(ingress, { property: where(`${ALB}mutual-authentication`), value, problem: "accepts expired client certificates (the controller reads field names case-insensitively, and the last of equal keys)", fix: "set ignoreClientCertificateExpiry to false, once" });
        }
    }
}

/** The stack's Services by namespace and name (`namespace\u0000name`; an unknown name as ""), each with its place in the stack. */
function servicesByName(index: Ctx<object>["index"]): Map<string, { at: number; svc: Node }[]> {
    const out = new Map<string, { at: number; svc: Node }[]>();
    HOP_TOKENS.k8sService.flatMap((t) => index.ofType(t)).forEach((svc, at) => {
        const key = `${namespaceOf(svc)}\u0000${knownString(svc.props.metadata?.name) ?? ""}`;
        const same = out.get(key) ?? [];
        same.push({ at, svc });
        out.set(key, same);
    });
    return out;
}

const namespaceOf = (n: Node) => knownString(n.props.metadata?.namespace) ?? "default";

/**
 * The Services an Ingress routes to, by name in its namespace (networking.k8s.io/v1 and the
 * v1beta1 shapes), in stack order: looked up by name in {@link servicesByName}, so the check
 * stays linear in the stack rather than Ingresses times Services.
 */
function backendServices(services: ReturnType<typeof servicesByName>, ingress: Node): Node[] {
    const spec = ingress.props.spec ?? {};
    const backends = [spec.defaultBackend, spec.backend, ...asArray(spec.rules).flatMap((r: any) => asArray(r?.http?.paths).map((p: any) => p?.backend))];
    const names = new Set(backends.map((b: any) => knownString(b?.service?.name) ?? knownString(b?.serviceName)).filter((n): n is string => n !== undefined));
    const ns = namespaceOf(ingress);
    return [...names].flatMap((name) => services.get(`${ns}\u0000${name}`) ?? [])
        .sort((a, b) => a.at - b.at)
        .map((s) => s.svc);
}

export function checkIngressBackend({ index, config, report }: Ctx<ClassConfig>): void {
    const reported = new Set<string>();
    const byName = servicesByName(index);
    for (const { ingress, a } of albIngresses(index, config)) {
        const services = backendServices(byName, ingress);
        const sources = services.length > 0 ? services.map((s) => ({ svc: s, sa: annotationsOf(s.props) })) : [{ svc: undefined, sa: {} as Record<string, unknown> }];
        for (const { svc, sa } of sources) {
            if (sa === undefined) {
                continue;
            }
            // The Service's annotation wins; then the Ingress's; then the default.
            const pick = (name: string) => (sa[`${ALB}${name}`] !== undefined ? { at: svc!, v: sa[`${ALB}${name}`] } : { at: ingress, v: a[`${ALB}${name}`] });
            const backend = pick("backend-protocol");
            const health = pick("healthcheck-protocol");
            if (isUnknown(backend.v)) {
                continue;
            }
            const tg = knownString(backend.v)?.trim().toUpperCase() ?? LB_CONTROLLER_DEFAULT_BACKEND_PROTOCOL;
            const hc = isUnknown(health.v) ? undefined : knownString(health.v)?.trim().toUpperCase() ?? tg;
            const found = [
                { name: "backend-protocol", at: backend.at, v: backend.v, bad: tg !== "HTTPS", what: "forwards requests to the pods", why: backend.v === undefined ? " (the controller's default)" : "" },
                { name: "healthcheck-protocol", at: health.at, v: health.v, bad: hc !== undefined && hc !== "HTTPS", what: "health-checks the pods", why: health.v === undefined ? " (it follows the backend protocol when not set)" : "" },
            ];
            for (const f of found.filter((x) => x.bad && !reported.has(`${x.at.urn}\u0000${x.name}`))) {
                reported.add(`${f.at.urn}\u0000${f.name}`);
                const via = f.at === ingress ? "" : `, on Service "${f.at.name}" behind Ingress "${ingress.name}" (a backend Service's annotation wins over the Ingress's)`;
                report(f.at, {
                    property: where(`${ALB}${f.name}`), value: f.v,
                    problem: `makes the ALB ${f.what} over plaintext HTTP${f.why}${via}`,
                    fix: `set ${ALB}${f.name} to "HTTPS" (pods serve TLS), on the Ingress and on any backend Service that sets it`,
                });
            }
        }
    }
}
