/**
 * API Gateway custom domain names (REST `aws:apigateway/domainName` `securityPolicy`, HTTP/WebSocket
 * `aws:apigatewayv2/domainName` `domainNameConfiguration.securityPolicy`, and their CloudFormation
 * shapes, whose v2 form is a `domainNameConfigurations` list) on a TLS 1.2 or later policy.
 *
 * Values: `TLS_1_0`, `TLS_1_2`, and the enhanced policies `SecurityPolicy_TLS13_*` /
 * `SecurityPolicy_TLS12_*` (AWS Config apigateway-domain-name-tls-check lists them; every one starts
 * at TLS 1.2 or 1.3). A TLS_1_0 policy accepts TLS 1.0 and 1.1 (API Gateway developer guide, "Choose
 * a security policy for your REST API custom domain"). An omitted policy is not taken on trust:
 * the API does not document the default, and KICS flags a missing SecurityPolicy too.
 */
import { Policies } from "@pulumi/policy";
import { HOP_TOKENS } from "../shared/tokens";
import { asArray, CheckContext, isUnknown, knownString, resourceRule } from "../framework";

/** True for a security policy whose lowest TLS version is 1.2 or later. */
function isModern(policy: string): boolean {
    return policy === "TLS_1_2" || /^SecurityPolicy_TLS1[23]_[A-Z0-9_]+$/.test(policy);
}

/** The security policies of a domain name: property path and value. */
function securityPolicies(type: string, props: Record<string, any>): { property: string; value: unknown }[] {
    if ((HOP_TOKENS.apiGatewayDomainName as readonly string[]).includes(type)) {
        return [{ property: "securityPolicy", value: props.securityPolicy }];
    }
    const key = type === HOP_TOKENS.apiGatewayV2DomainName[1] ? "domainNameConfigurations" : "domainNameConfiguration";
    if (isUnknown(props[key])) {
        return [];
    }
    const configs = asArray(props[key]);
    const path = (i: number) => (key === "domainNameConfiguration" ? key : `${key}[${i}]`);
    return configs.map((c: any, i) => ({ property: `${path(i)}.securityPolicy`, value: c?.securityPolicy }));
}

function checkSecurityPolicy({ resource, props, report }: CheckContext<object>): void {
    for (const { property, value } of securityPolicies(resource.type, props)) {
        if (isUnknown(value)) {
            continue;
        }
        const policy = knownString(value);
        if (policy === undefined || !isModern(policy)) {
            report({
                property, value,
                problem: policy === undefined
                    ? "leaves the TLS policy to API Gateway, whose REST domains have defaulted to TLS_1_0 (aws-cloudformation-coverage-roadmap#3)"
                    : policy === "TLS_1_0" ? "accepts TLS 1.0 and 1.1" : "is not an API Gateway security policy starting at TLS 1.2",
                fix: 'set securityPolicy to "TLS_1_2" (or an enhanced "SecurityPolicy_TLS13_1_2_2021_06" policy)',
            });
        }
    }
}

export const policies: Policies = [
    resourceRule({
        name: "apigateway-domain-tls12",
        description: "API Gateway custom domain names (REST and HTTP/WebSocket, @pulumi/aws and aws-native) use a security policy starting at TLS 1.2: TLS_1_0 accepts TLS 1.0 and 1.1, and an omitted policy is not taken on trust (AWS Config apigateway-domain-name-tls-check, Checkov CKV_AWS_206, tfsec aws-api-gateway-use-secure-tls-policy, KICS).",
        enforcementLevel: "mandatory",
        severity: "high",
        appliesTo: [...HOP_TOKENS.apiGatewayDomainName, ...HOP_TOKENS.apiGatewayV2DomainName],
        check: checkSecurityPolicy,
    }),
];
