import { MinTlsVersion, policiesAtLeast, sslPolicyInfo } from "../../policies/shared/ssl-policies";
import { findPlaceholders } from "../placeholders";
import { MTLS_MODES, StackConfig } from "../keys";
import { AreaValidator, ConfigError, HOSTNAME, key, MAX_COMMON_NAME, oneOf, show, ValidationContext } from "./check";

const MIN_TLS: MinTlsVersion = "1.2";

/** The load balancer's listeners and public name: sslPolicy, mtlsMode, domainName, hostedZoneId. */
export const validateEdge: AreaValidator = (c: StackConfig, context: ValidationContext) => {
    oneOf("mtlsMode", c.mtlsMode, MTLS_MODES);

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
