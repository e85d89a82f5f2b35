import { MinTlsVersion, policiesAtLeast, sslPolicyInfo } from "../../policies/shared/ssl-policies";
import { findPlaceholders } from "../placeholders";
import { MTLS_MODES, StackConfig } from "../keys";
import { AreaValidator, ConfigError, HOSTNAME, key, MAX_COMMON_NAME, oneOf, show, ValidationContext } from "./check";

const MIN_TLS: MinTlsVersion = "1.2";

/**
 * The listener modes the stack deploys. "passthrough" is refused: the ALB then forwards the client's
 * chain in the X-Amzn-Mtls-Clientcert header without verifying it (ALB user guide,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/mutual-authentication.html),
 * and the tier's terminator checks no header, so any client, or anyone who can forge the header,
 * would be admitted while the stack's client certificates looked in use. Verifying the header on
 * the tier would need code in the terminator's request path; "verify" gives the same
 * authentication at the ALB, with revocation.
 */
export const DEPLOYABLE_MTLS_MODES = MTLS_MODES.filter(m => m !== "passthrough");

/** The load balancer's listeners and public name: sslPolicy, mtlsMode, domainName, hostedZoneId. */
export const validateEdge: AreaValidator = (c: StackConfig, context: ValidationContext) => {
    if (c.mtlsMode === "passthrough") {
        throw new ConfigError(`${key("mtlsMode")} is "passthrough": the load balancer would forward the client's certificate chain in the X-Amzn-Mtls-Clientcert header without verifying it, and the tier's terminator does not verify it either, so no client would be authenticated. Use "verify" (the load balancer checks each client certificate against the stack's CA) or "off" (no client certificates).`);
    }
    oneOf("mtlsMode", c.mtlsMode, DEPLOYABLE_MTLS_MODES);

    const policy = sslPolicyInfo(c.sslPolicy);
    const allowed = policiesAtLeast(MIN_TLS);
    if (!policy) {
        throw new ConfigError(`${key("sslPolicy")} is ${show(c.sslPolicy)}, which is not an ELB security policy. Use one of: ${allowed.join(", ")}.`);
    }
    if (!allowed.includes(policy.name)) {
        throw new ConfigError(`${key("sslPolicy")} is ${show(c.sslPolicy)}, which allows TLS ${policy.minTls}. Use one of: ${allowed.join(", ")}.`);
    }

    if ((c.domainName === undefined) !== (c.hostedZoneId === undefined)) {
        throw new ConfigError(`${key("domainName")} is ${show(c.domainName)} and ${key("hostedZoneId")} is ${show(c.hostedZoneId)}. Set both (a DNS-validated certificate) or neither (a certificate from the stack's CA).`);
    }
    if (c.domainName !== undefined && !HOSTNAME.test(c.domainName)) {
        throw new ConfigError(`${key("domainName")} is ${show(c.domainName)}. Use a lower-case DNS name in a zone you control, such as "app.<your-domain>".`);
    }
    // The name is the ACM certificate's DomainName, its common name (check.ts, MAX_COMMON_NAME).
    if (c.domainName !== undefined && c.domainName.length > MAX_COMMON_NAME) {
        throw new ConfigError(`${key("domainName")} is ${show(c.domainName)}, ${c.domainName.length} characters: ACM refuses a certificate domain name over ${MAX_COMMON_NAME}. Use a name of at most ${MAX_COMMON_NAME} characters.`);
    }
    // Route 53 ids are at most 32 characters (API_HostedZone); every one it assigns starts with Z.
    if (c.hostedZoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(c.hostedZoneId)) {
        throw new ConfigError(`${key("hostedZoneId")} is ${show(c.hostedZoneId)}. Use the id of a Route 53 hosted zone: "Z" and up to 31 upper-case letters and digits, as \`aws route53 list-hosted-zones\` shows it.`);
    }
    if (context.placeholders !== "report") {
        const [first] = findPlaceholders(c);
        if (first) throw new ConfigError(`${key(first.key)} is ${show(first.value)}, ${first.why}.`);
    }
};
