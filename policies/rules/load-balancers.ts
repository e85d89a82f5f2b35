/**
 * Application Load Balancer hardening: HTTP parsing that refuses smuggling tricks, and the
 * records and guard rails that make an incident traceable.
 */
import { Policies } from "@pulumi/policy";
import { OMITTED_DESYNC_MITIGATION_MODE } from "../shared/aws-defaults";
import { LB_TOKENS } from "../shared/tokens";
import { CheckContext, isTrue, isUnknown, oneOf, param, resourceRule, securityHub } from "../framework";

/**
 * True for an application load balancer (the type AWS uses when `loadBalancerType` is omitted);
 * `undefined` when the type is unknown.
 */
export function isApplication(props: Record<string, any>): boolean | undefined {
    const t = props.loadBalancerType;
    if (isUnknown(t)) {
        return undefined;
    }
    return t === undefined || t === null || t === "application";
}

/** A check that an application load balancer sets boolean `property` to true (`"true"` reads as the provider coerces it). */
function requiresTrue(property: string, problem: string, fix: string) {
    return ({ props, report }: CheckContext<object>): void => {
        if (isApplication(props) === true && !isUnknown(props[property]) && !isTrue(props[property])) {
            report({ property, value: props[property], problem, fix });
        }
    };
}

function checkDesync({ props, config, report }: CheckContext<{ allowedModes: string[] }>): void {
    if (isApplication(props) !== true || isUnknown(props.desyncMitigationMode)) {
        return;
    }
    const mode = props.desyncMitigationMode ?? OMITTED_DESYNC_MITIGATION_MODE;
    if (config.allowedModes.includes(mode)) {
        return;
    }
    report({
        property: "desyncMitigationMode",
        value: props.desyncMitigationMode ?? `${OMITTED_DESYNC_MITIGATION_MODE} (the AWS default)`,
        problem: "lets requests that can desynchronise the load balancer and the targets through (HTTP desync)",
        fix: `set desyncMitigationMode to ${oneOf(config.allowedModes)}`,
    });
}

function checkAccessLogs({ props, report }: CheckContext<object>): void {
    if (isApplication(props) !== true || isUnknown(props.accessLogs)) {
        return;
    }
    const logs = props.accessLogs;
    if (isTrue(logs?.enabled) && (isUnknown(logs.bucket) || (typeof logs.bucket === "string" && logs.bucket !== ""))) {
        return;
    }
    const property = logs === undefined || logs === null ? "accessLogs" : !isTrue(logs.enabled) ? "accessLogs.enabled" : "accessLogs.bucket";
    report({
        property,
        value: property === "accessLogs" ? logs : property === "accessLogs.enabled" ? logs.enabled : logs.bucket,
        problem: "leaves no record of who connected, with which TLS version and client certificate",
        fix: "set accessLogs: { enabled: true, bucket: <S3 bucket the ELB service may write to> }",
    });
}

export const policies: Policies = [
    resourceRule({
        name: "alb-drop-invalid-header-fields",
        description: "Application Load Balancers drop HTTP header fields that are not valid (dropInvalidHeaderFields: true). AWS forwards them by default, which helps request smuggling and header injection reach the targets.",
        enforcementLevel: "mandatory",
        severity: "medium",
        control: securityHub("ELB.4", "Application Load Balancer should be configured to drop invalid http headers"),
        appliesTo: LB_TOKENS.loadBalancer,
        remediationSteps: "Set dropInvalidHeaderFields: true.",
        check: requiresTrue("dropInvalidHeaderFields",
            "forwards header fields that are not valid HTTP to the targets (request smuggling and header injection)",
            "set dropInvalidHeaderFields: true"),
        remediate: ({ props }) => isApplication(props) === true && !isTrue(props.dropInvalidHeaderFields) && !isUnknown(props.dropInvalidHeaderFields)
            ? { ...props, dropInvalidHeaderFields: true }
            : undefined,
    }),
    resourceRule({
        name: "alb-desync-mitigation-mode",
        description: "Application Load Balancers mitigate HTTP desync in \"defensive\" or \"strictest\" mode; \"monitor\" lets ambiguous requests through to the targets.",
        enforcementLevel: "advisory",
        severity: "medium",
        control: securityHub("ELB.12", "Application Load Balancer should be configured with defensive or strictest desync mitigation mode"),
        appliesTo: LB_TOKENS.loadBalancer,
        config: {
            allowedModes: param(["defensive", "strictest"], {
                type: "array",
                items: { type: "string", enum: ["monitor", "defensive", "strictest"] },
                minItems: 1,
                description: "Desync mitigation modes accepted (\"strictest\" alone for the strictest posture).",
            }),
        },
        check: checkDesync,
    }),
    resourceRule({
        name: "alb-access-logs-enabled",
        description: "Application Load Balancers write access logs to S3, the only record of client addresses, TLS protocol and cipher, and client certificate details per request.",
        enforcementLevel: "advisory",
        severity: "low",
        control: securityHub("ELB.5", "Application and Classic Load Balancers logging should be enabled"),
        appliesTo: LB_TOKENS.loadBalancer,
        check: checkAccessLogs,
    }),
    resourceRule({
        name: "alb-deletion-protection-enabled",
        description: "Application Load Balancers have deletion protection, so a mistaken update or destroy cannot take the TLS entry point away.",
        enforcementLevel: "advisory",
        severity: "low",
        control: securityHub("ELB.6", "Application, Gateway, and Network Load Balancers should have deletion protection enabled"),
        appliesTo: LB_TOKENS.loadBalancer,
        check: requiresTrue("enableDeletionProtection",
            "lets one mistaken update or destroy remove the load balancer and its listeners",
            "set enableDeletionProtection: true (and turn it off deliberately before a planned teardown)"),
    }),
];
