import * as assert from "assert";
import {
    defaultHealthCheckProtocol, effectiveHealthCheckProtocol, effectiveListenerProtocol, effectiveSslPolicy,
    effectiveTargetGroupProtocol, healthCheckWire, OMITTED_SSL_POLICY,
} from "../../policies/shared/aws-defaults";
import { sslPolicyInfo } from "../../policies/shared/ssl-policies";

/** What AWS and the provider apply when an ELBv2 property is left out (sources in aws-defaults.ts). */
describe("AWS defaults for omitted ELBv2 properties", () => {
    it("reads an omitted listener or target group protocol as HTTP and upper-cases a given one", () => {
        assert.deepStrictEqual([undefined, null, "", "https", "TLS"].map(effectiveListenerProtocol), ["HTTP", "HTTP", "HTTP", "HTTPS", "TLS"]);
        assert.deepStrictEqual([undefined, "", "tls", "HTTPS"].map(p => effectiveTargetGroupProtocol(p)), ["HTTP", "HTTP", "TLS", "HTTPS"]);
    });

    it("applies ELBSecurityPolicy-2016-08, a TLS 1.0 policy, to an HTTPS or TLS listener without sslPolicy, and no policy to HTTP", () => {
        assert.strictEqual(OMITTED_SSL_POLICY, "ELBSecurityPolicy-2016-08");
        assert.strictEqual(sslPolicyInfo(OMITTED_SSL_POLICY)?.minTls, "1.0", "the omitted policy must be in the policy table");
        assert.deepStrictEqual([["HTTPS", undefined], ["TLS", ""], ["HTTPS", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"], ["HTTP", undefined]]
            .map(([p, s]) => effectiveSslPolicy(p as string, s)),
        [OMITTED_SSL_POLICY, OMITTED_SSL_POLICY, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", undefined]);
    });

    it("checks health over HTTP on ALB target groups, HTTPS ones included, and over TCP on NLB and GWLB ones, when there is no healthCheck block", () => {
        const table = Object.fromEntries(["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE", "tls"]
            .map(p => [p, effectiveHealthCheckProtocol(p, undefined)]));
        assert.deepStrictEqual(table, { HTTP: "HTTP", HTTPS: "HTTP", TCP: "TCP", TLS: "TCP", UDP: "TCP", TCP_UDP: "TCP", GENEVE: "TCP", tls: "TCP" });
        assert.strictEqual(defaultHealthCheckProtocol("HTTPS"), "HTTP");
    });

    it("checks health over HTTP when a healthCheck block leaves protocol out, on a TLS target group too (the provider's schema default)", () => {
        for (const tg of ["HTTPS", "TLS", "TCP"]) {
            assert.strictEqual(effectiveHealthCheckProtocol(tg, { path: "/healthz" }), "HTTP", tg);
        }
        assert.strictEqual(effectiveHealthCheckProtocol("TLS", { protocol: "https" }), "HTTPS");
    });

    it("says what each health check protocol puts on the wire: TLS, plaintext, or a bare TCP connect", () => {
        assert.deepStrictEqual(["HTTPS", "HTTP", "TCP"].map(healthCheckWire), ["tls", "plaintext", "connect-only"]);
    });
});
