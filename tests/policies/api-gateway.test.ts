import * as assert from "assert";
import { assertPasses, assertViolation, CERT_ARN, of, resource, UNKNOWN, usePackPerTest } from "./fixtures";
import { RULES } from "./names";

const { DOMAIN } = RULES["api-gateway"];

/** Each family's domain name with `policy` in its own shape, and the property path a message names. */
const FAMILIES = [
    { token: "aws:apigateway/domainName:DomainName", property: "securityPolicy", props: (policy: unknown) => ({ domainName: "api.example.com", regionalCertificateArn: CERT_ARN, securityPolicy: policy }) },
    { token: "aws-native:apigateway:DomainName", property: "securityPolicy", props: (policy: unknown) => ({ domainName: "api.example.com", regionalCertificateArn: CERT_ARN, securityPolicy: policy }) },
    { token: "aws:apigatewayv2/domainName:DomainName", property: "domainNameConfiguration.securityPolicy", props: (policy: unknown) => ({ domainName: "api.example.com", domainNameConfiguration: { certificateArn: CERT_ARN, endpointType: "REGIONAL", securityPolicy: policy } }) },
    { token: "aws-native:apigatewayv2:DomainName", property: "domainNameConfigurations[0].securityPolicy", props: (policy: unknown) => ({ domainName: "api.example.com", domainNameConfigurations: [{ certificateArn: CERT_ARN, endpointType: "REGIONAL", securityPolicy: policy }] }) },
];

describe("API Gateway policies", () => {
    const pack = usePackPerTest();

    for (const f of FAMILIES) {
        describe(`${DOMAIN} (${f.token})`, () => {
            it("accepts TLS_1_2 and an enhanced TLS 1.3 policy", async () => {
                assertPasses(await pack().analyze(resource(f.token, "api", f.props("TLS_1_2"))), DOMAIN);
                assertPasses(await pack().analyze(resource(f.token, "api", f.props("SecurityPolicy_TLS13_1_3_2025_09"))), DOMAIN);
            });

            it("refuses TLS_1_0, which accepts TLS 1.0 and 1.1", async () => {
                assertViolation(await pack().analyze(resource(f.token, "api", f.props("TLS_1_0"))), DOMAIN, "mandatory",
                    `${f.property} is "TLS_1_0"`, "accepts TLS 1.0 and 1.1", 'set securityPolicy to "TLS_1_2"');
            });

            it("refuses an omitted policy, whose default the API does not promise", async () => {
                assertViolation(await pack().analyze(resource(f.token, "api", f.props(undefined))), DOMAIN, "mandatory",
                    `${f.property} is not set`, "TLS_1_0");
            });

            it("reports nothing while the policy is unknown in preview", async () => {
                assert.deepStrictEqual(of(await pack().analyze(resource(f.token, "api", f.props(UNKNOWN))), DOMAIN), []);
            });
        });
    }

    it("refuses a name that is not an API Gateway security policy", async () => {
        assertViolation(await pack().analyze(resource(FAMILIES[0].token, "api", FAMILIES[0].props("ELBSecurityPolicy-TLS13-1-2-2021-06"))), DOMAIN, "mandatory",
            "is not an API Gateway security policy starting at TLS 1.2");
    });
});
