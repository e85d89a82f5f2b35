/**
 * Ingresses read as the AWS Load Balancer Controller reads them, across the objects it joins:
 * the class (legacy annotation first, then spec.ingressClassName, then the default IngressClass),
 * the IngressClass's controller, the IngressClassParams it prefers to the annotations, the
 * backend Services whose annotations win, and annotation JSON decoded as Go's encoding/json does.
 * Every token family the two Ingress rules read, secure and insecure.
 */
import { assertPasses, assertViolation, TRUST_STORE_ARN, UNKNOWN, usePackPerTest } from "./fixtures";
import { A, backendService, classParams, ingress, ingressClass, INGRESS_CLASS_TOKENS, INGRESS_TOKENS, PARAMS_TOKEN, preview, routeTo } from "./fixtures-k8s";
import { RULES } from "./names";

const { INGRESS, INGRESS_BACKEND } = RULES.kubernetes;
const WEAK = "ELBSecurityPolicy-2016-08";
const TLS10 = "ELBSecurityPolicy-TLS13-1-0-2021-06";
const STRONG = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";
const mtls = (entry: string) => ({ [`${A}mutual-authentication`]: `[${entry}]` });

describe("Ingresses as the AWS Load Balancer Controller reads them", () => {
    const pack = usePackPerTest();
    const analyze = (...resources: ReturnType<typeof ingress>[]) => preview(pack(), resources);

    for (const ct of INGRESS_CLASS_TOKENS) {
        for (const tok of INGRESS_TOKENS) {
            describe(`${tok} classed by ${ct}`, () => {
                // The class is named "alb", the configured default, so that reading only the Ingress would judge its annotations.
                const classed = (annotations: Record<string, unknown>) => ingress(tok, annotations, { ingressClassName: "alb" });

                it("refuses a weak sslPolicy in the IngressClassParams, which the controller prefers to a strong ssl-policy annotation", async () => {
                    const result = await analyze(classed({}), ingressClass(ct, "alb", { params: "web-params" }), classParams("web-params", { sslPolicy: WEAK }));
                    assertViolation(result, INGRESS, "mandatory", `IngressClassParams "params-web-params" (${PARAMS_TOKEN}): spec.sslPolicy is "${WEAK}", which allows TLS 1.0`);
                });

                it("accepts a strong sslPolicy in the IngressClassParams over a weak ssl-policy annotation, which the controller ignores", async () => {
                    const result = await analyze(classed({ [`${A}ssl-policy`]: TLS10 }), ingressClass(ct, "alb", { params: "web-params" }), classParams("web-params", { sslPolicy: STRONG }));
                    assertPasses(result, INGRESS);
                });

                it("judges an Ingress that names no class by the IngressClass marked default, and leaves it alone when none is", async () => {
                    const classless = ingress(tok, { [`${A}backend-protocol`]: "HTTP" }, { ingressClassName: undefined });
                    assertViolation(await analyze(classless, ingressClass(ct, "cluster-default", { isDefault: "true" })), INGRESS_BACKEND, "mandatory", `backend-protocol"] is "HTTP"`);
                    assertPasses(await analyze(classless, ingressClass(ct, "cluster-default")), INGRESS_BACKEND);
                    assertPasses(await analyze(classless, ingressClass(ct, "cluster-default", { isDefault: "True" })), INGRESS_BACKEND);
                    assertPasses(await analyze(classless, ingressClass(ct, "cluster-default", { isDefault: "true", controller: "k8s.io/ingress-nginx" })), INGRESS_BACKEND);
                });

                it("judges a class of the stack by its IngressClass's controller, not by the configured class names", async () => {
                    const plain = (name: string) => ingress(tok, { [`${A}backend-protocol`]: "HTTP" }, { ingressClassName: name });
                    assertPasses(await analyze(plain("alb"), ingressClass(ct, "alb", { controller: "k8s.io/ingress-nginx" })), INGRESS_BACKEND);
                    assertViolation(await analyze(plain("internal"), ingressClass(ct, "internal")), INGRESS_BACKEND, "mandatory", '"HTTP"');
                });

                it("reads the IngressClassParams' sslRedirectPort first: a port redirects, a value that is not a number turns redirects off", async () => {
                    const withParams = (annotations: Record<string, unknown>, sslRedirectPort: string) =>
                        analyze(classed(annotations), ingressClass(ct, "alb", { params: "web-params" }), classParams("web-params", { sslRedirectPort }));
                    assertPasses(await withParams({ [`${A}ssl-redirect`]: undefined }, "443"), INGRESS);
                    assertViolation(await withParams({}, "https"), INGRESS, "mandatory", "serve HTTP:80 in plaintext", 'turn ssl-redirect off (spec.sslRedirectPort "https" is not a number)');
                });
            });
        }
    }

    for (const tok of INGRESS_TOKENS) {
        describe(tok, () => {
            it("reads the kubernetes.io/ingress.class annotation before spec.ingressClassName, as the controller does", async () => {
                const http = { [`${A}backend-protocol`]: "HTTP" };
                assertViolation(await analyze(ingress(tok, { ...http, "kubernetes.io/ingress.class": "alb" }, { ingressClassName: "nginx" })), INGRESS_BACKEND, "mandatory", '"HTTP"');
                assertPasses(await analyze(ingress(tok, { ...http, "kubernetes.io/ingress.class": "nginx" }, { ingressClassName: "alb" })), INGRESS_BACKEND);
            });

            it("reads mutual-authentication field names in any case, and the last of equal keys, as Go's encoding/json does", async () => {
                const ts = JSON.stringify(TRUST_STORE_ARN);
                assertViolation(await analyze(ingress(tok, mtls(`{"port": 443, "Mode": "verify", "TrustStore": ${ts}, "IgnoreClientCertificateExpiry": true}`))), INGRESS, "mandatory", "accepts expired client certificates");
                assertPasses(await analyze(ingress(tok, mtls(`{"port": 443, "mode": "verify", "trustStore": ${ts}, "ignoreClientCertificateExpiry": true, "IGNORECLIENTCERTIFICATEEXPIRY": false}`))), INGRESS);
                // U+017F (long s) folds onto "s": the controller reads this key as trustStore.
                assertPasses(await analyze(ingress(tok, mtls(`{"port": 443, "mode": "verify", "tru\\u017ftStore": ${ts}}`))), INGRESS);
            });

            it("reads listen-ports as the controller does: spec.tls names no certificate, and a later entry for a port wins", async () => {
                const tlsOnly = ingress(tok, {}, { tls: [{ hosts: ["web.example.com"], secretName: "web-tls" }] }, [`${A}listen-ports`, `${A}ssl-redirect`, `${A}certificate-arn`]);
                assertViolation(await analyze(tlsOnly), INGRESS, "mandatory", "serve HTTP:80 in plaintext");
                assertPasses(await analyze(ingress(tok, { [`${A}listen-ports`]: '[{"HTTP": 443}, {"HTTPS": 443}]' }, {}, [`${A}ssl-redirect`])), INGRESS);
            });

            it("reads backend-protocol from the backend Service before the Ingress, and health checks follow the backend protocol", async () => {
                const routed = ingress(tok, {}, routeTo("api", tok.endsWith("/v1:Ingress")));
                assertViolation(await analyze(routed, backendService("api", { [`${A}backend-protocol`]: "HTTP" })), INGRESS_BACKEND, "mandatory",
                    'Service "svc-api" (kubernetes:core/v1:Service): metadata.annotations["alb.ingress.kubernetes.io/backend-protocol"] is "HTTP"', 'behind Ingress "web"');
                assertPasses(await analyze(routed, backendService("api", { [`${A}backend-protocol`]: "HTTPS" })), INGRESS_BACKEND);
                assertPasses(await analyze(ingress(tok, { [`${A}healthcheck-protocol`]: undefined })), INGRESS_BACKEND);
            });
        });
    }

    it("reports nothing while the IngressClass's controller or its parameters are unknown, nor for several default classes", async () => {
        const http = ingress(INGRESS_TOKENS[0], { [`${A}backend-protocol`]: "HTTP" }, { ingressClassName: "alb" });
        const unknownController = ingressClass(INGRESS_CLASS_TOKENS[0], "alb");
        unknownController.props!.spec.controller = UNKNOWN;
        assertPasses(await analyze(http, unknownController), INGRESS_BACKEND);
        const unknownParams = ingressClass(INGRESS_CLASS_TOKENS[0], "alb");
        unknownParams.props!.spec.parameters = UNKNOWN;
        assertPasses(await analyze(http, unknownParams), INGRESS_BACKEND);
        const classless = ingress(INGRESS_TOKENS[0], { [`${A}backend-protocol`]: "HTTP" }, { ingressClassName: undefined });
        const defaults = ["a", "b"].map((n) => ingressClass(INGRESS_CLASS_TOKENS[0], n, { isDefault: "true" }));
        assertPasses(await analyze(classless, ...defaults), INGRESS_BACKEND);
    });

    it("takes the cluster's default class from config when the stack marks none", async () => {
        const classless = ingress(INGRESS_TOKENS[0], { [`${A}backend-protocol`]: "HTTP" }, { ingressClassName: undefined });
        assertPasses(await analyze(classless), INGRESS_BACKEND);
        await pack().configure({ [INGRESS_BACKEND]: { defaultIngressClass: "alb" } });
        assertViolation(await analyze(classless), INGRESS_BACKEND, "mandatory", '"HTTP"');
        await pack().configure({ [INGRESS_BACKEND]: { defaultIngressClass: "alb", ingressClasses: [] } });
        assertPasses(await analyze(classless), INGRESS_BACKEND);
        assertPasses(await analyze(classless, ingressClass(INGRESS_CLASS_TOKENS[1], "other", { isDefault: "true", controller: "k8s.io/ingress-nginx" })), INGRESS_BACKEND);
    });
});
