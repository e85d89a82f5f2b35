/**
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
import { HOP_TOKENS } from "../shared/tokens";
import { isToken, isUnknown, knownString, Node, StackIndex } from "../framework";

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
