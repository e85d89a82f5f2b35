/**
 * Ingresses of the AWS Load Balancer Controller, read as the controller reads them
 * (kubernetes-sigs/aws-load-balancer-controller; files below are under pkg/ingress/ unless named):
 *
 * - Whether the controller reconciles the Ingress, and its IngressClassParams: the first section below.
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
import { asArray, isToken, isUnknown, knownString, Node, StackCheckContext, StackIndex } from "../framework";
import { decodeMap, decodeSlice, decodeStruct, parseGoJson } from "./go-json";
import { sslPolicyFix, sslPolicyProblem, TlsPolicyConfig } from "./tls-policies";

// ------------------------------------------------------------------------------------------------
// Which Ingresses the controller reconciles, and with which IngressClassParams
// ------------------------------------------------------------------------------------------------

/*
 * Which Ingresses the AWS Load Balancer Controller reconciles, and with which IngressClassParams,
 * read from the stack as the controller reads the cluster
 * (kubernetes-sigs/aws-load-balancer-controller pkg/ingress/group_loader.go classifyIngress,
 * pkg/ingress/class_loader.go Load and GetDefaultIngressClass):
 *
 * 1. The legacy `kubernetes.io/ingress.class` annotation, when present, wins over
 *    `spec.ingressClassName`: the Ingress is the controller's when the value is its
 *    `--ingress-class` (`alb` by default; class_annotation_matcher.go), and no IngressClassParams
 *    apply to it.
 * 2. Otherwise `spec.ingressClassName`, or when it is absent the one IngressClass annotated
 *    `ingressclass.kubernetes.io/is-default-class: "true"` (the string exactly; several defaults
 *    are an error, so nothing is built). Without either, the controller leaves the Ingress alone
 *    (`--manage-ingresses-without-ingress-class` defaults to false).
 * 3. The IngressClass is the controller's when `spec.controller` is `ingress.k8s.aws/alb`; its
 *    `spec.parameters` (API group `elbv2.k8s.aws`, kind `IngressClassParams`, anything else is an
 *    error) name the IngressClassParams whose settings the controller prefers over the Ingress's
 *    annotations.
 *
 * IngressClass and IngressClassParams are cluster-scoped: matched by `metadata.name`, or through
 * the engine's recorded dependencies while a generated name is unknown. An IngressClass outside
 * the stack is judged by the pack's `ingressClasses` config, as before.
 */
/** The annotation that names an Ingress's class the legacy way (pkg/annotations/constants.go IngressClass). */
export const LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
/** The annotation that marks the cluster's default IngressClass (class_loader.go defaultClassAnnotation). */
export const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";
/** The controller name of an IngressClass the controller owns (class_loader.go IngressClassControllerALB). */
export const ALB_CONTROLLER_NAME = "ingress.k8s.aws/alb";
/** What an IngressClass's `spec.parameters` must name (apis/elbv2/v1beta1 GroupVersion, class_loader.go ingressClassParamsKind). */
export const PARAMS_API_GROUP = "elbv2.k8s.aws";
export const PARAMS_KIND = "IngressClassParams";

/** The controller's reading of one Ingress. */
export interface IngressClassReading {
    /** The controller reconciles it. */
    readonly managed: boolean;
    /** How its class was decided, for messages: `IngressClass "alb"`, `annotation "alb"`, …. */
    readonly via: string;
    /** The IngressClassParams the controller applies, when the stack holds them. */
    readonly params?: Node;
}

/** The config keys that stand in for the cluster's IngressClasses outside the stack. */
export interface ClassConfig {
    readonly ingressClasses: string[];
    readonly defaultIngressClass: string;
}

/** The property path of annotation `name`, as findings name it. */
export const annotationPath = (name: string) => `metadata.annotations["${name}"]`;

/** A Kubernetes object's annotations: `{}` when absent, `undefined` while unknown. */
export function annotationsOf(props: Record<string, any>): Record<string, unknown> | undefined {
    const metadata = props.metadata;
    if (isUnknown(metadata) || isUnknown(metadata?.annotations)) {
        return undefined;
    }
    const a = metadata?.annotations;
    return a && typeof a === "object" ? a : {};
}

const nameOf = (n: Node) => (isUnknown(n.props.metadata) ? undefined : n.props.metadata?.name);

/** The object of `tokens` named `name`, or through `from`'s dependencies under `property` while names are unknown. */
function byName(index: StackIndex, tokens: readonly string[], name: unknown, from: Node, property: string): Node | "unknown" | undefined {
    const candidates = tokens.flatMap((t) => index.ofType(t));
    const deps = index.resolve(from, property, undefined, isToken(...tokens)).nodes;
    const wanted = knownString(name);
    if (wanted === undefined) {
        // A name only known after apply: the object it came from, if the engine recorded one.
        return deps.length === 1 ? deps[0] : "unknown";
    }
    const named = candidates.find((n) => nameOf(n) === wanted);
    if (named) {
        return named;
    }
    // An object the name depends on whose own generated name is not known yet may be the one.
    return deps.some((n) => isUnknown(nameOf(n))) ? "unknown" : undefined;
}

/** The stack's default IngressClass: a node, `"none"`, `"several"`, or `undefined` while a marking is unknown. */
function defaultClass(index: StackIndex): Node | "none" | "several" | undefined {
    const classes = HOP_TOKENS.k8sIngressClass.flatMap((t) => index.ofType(t));
    const marked = classes.filter((n) => annotationsOf(n.props)?.[DEFAULT_CLASS_ANNOTATION] === "true");
    if (marked.length > 1) {
        return "several";
    }
    if (marked.length === 1) {
        return marked[0];
    }
    return classes.some((n) => { const a = annotationsOf(n.props); return a === undefined || isUnknown(a[DEFAULT_CLASS_ANNOTATION]); }) ? undefined : "none";
}

/** The IngressClassParams an IngressClass of the controller names; `"error"` when it names another kind. */
function paramsOf(index: StackIndex, cls: Node): Node | "error" | "unknown" | undefined {
    const spec = cls.props.spec;
    const p = isUnknown(spec) ? spec : spec?.parameters;
    if (isUnknown(p) || isUnknown(p?.apiGroup) || isUnknown(p?.kind)) {
        return "unknown";
    }
    if (p === undefined || p === null) {
        return undefined;
    }
    if (p.apiGroup !== PARAMS_API_GROUP || p.kind !== PARAMS_KIND) {
        return "error";
    }
    const found = byName(index, HOP_TOKENS.k8sIngressClassParams, p.name, cls, "spec");
    return found === "unknown" ? "unknown" : found;
}

/** The controller's reading of `ingress`, or `undefined` while something it depends on is unknown. */
export function classifyIngress(index: StackIndex, ingress: Node, config: ClassConfig): IngressClassReading | undefined {
    const annotations = annotationsOf(ingress.props);
    if (annotations === undefined || isUnknown(ingress.props.spec)) {
        return undefined;
    }
    if (Object.prototype.hasOwnProperty.call(annotations, LEGACY_CLASS_ANNOTATION)) {
        const value = annotations[LEGACY_CLASS_ANNOTATION];
        return isUnknown(value) ? undefined : { managed: config.ingressClasses.includes(String(value)), via: `annotation ${LEGACY_CLASS_ANNOTATION} "${value}"` };
    }
    const className = ingress.props.spec?.ingressClassName;
    let cls: Node | "unknown" | undefined;
    let name: string | undefined;
    if (className === undefined || className === null) {
        const d = defaultClass(index);
        if (d === undefined) {
            return undefined;
        }
        if (d === "several") {
            return { managed: false, via: "several default IngressClasses" };
        }
        if (d === "none") {
            name = config.defaultIngressClass === "" ? undefined : config.defaultIngressClass;
            if (name === undefined) {
                return { managed: false, via: "no IngressClass" };
            }
            cls = byName(index, HOP_TOKENS.k8sIngressClass, name, ingress, "spec");
        } else {
            cls = d;
        }
    } else {
        cls = byName(index, HOP_TOKENS.k8sIngressClass, className, ingress, "spec");
        name = knownString(className);
    }
    if (cls === "unknown") {
        return undefined;
    }
    if (cls === undefined) {
        return name === undefined ? undefined : { managed: config.ingressClasses.includes(name), via: `class "${name}"` };
    }
    const controller = isUnknown(cls.props.spec) ? cls.props.spec : cls.props.spec?.controller;
    if (isUnknown(controller)) {
        return undefined;
    }
    const via = `IngressClass "${knownString(nameOf(cls)) ?? cls.name}"`;
    if (controller !== ALB_CONTROLLER_NAME) {
        return { managed: false, via };
    }
    const params = paramsOf(index, cls);
    if (params === "unknown") {
        return undefined;
    }
    return params === "error" ? { managed: false, via } : { managed: true, via, params };
}

// ------------------------------------------------------------------------------------------------
// What the controller builds for an Ingress it reconciles
// ------------------------------------------------------------------------------------------------

/** Prefix of the AWS Load Balancer Controller's Ingress annotations. */
export const ALB = "alb.ingress.kubernetes.io/";

const where = annotationPath;

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
