import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CertificateAuthority, CertificateValidity, LeafKeyAlgorithm } from "./ca";
import { inspectCsr } from "./csr";

export interface PartnerCertificateArgs extends CertificateValidity {
    /** The CA that signs the request. No default. */
    readonly ca: CertificateAuthority;
    /** The client's certificate signing request, PEM, as config validation returned it. No default. */
    readonly csrPem: string;
    /** Algorithm of the request's key (components/pki/csr.ts). No default. */
    readonly keyAlgorithm: LeafKeyAlgorithm;
    /** The client's name: the request's common name. No default. */
    readonly clientName: string;
}

/**
 * A client_auth certificate for a partner that brings its own key: the stack signs the partner's
 * request and publishes only the certificate and its chain, both public. There is no private key
 * in the stack, its state or Secrets Manager; the partner keeps it.
 *
 * The certificate is also published as a standard-tier SSM parameter (free, up to 4 KB: a leaf of
 * any key ALB mTLS accepts fits): Systems Manager sends EventBridge a "Parameter Store Change" each
 * time `pulumi up` writes a new one, with no CloudTrail trail needed
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-cwe.html), which
 * is the partner's renewal notice (components/observability/certificate-alarms.ts).
 */
export class PartnerCertificate extends pulumi.ComponentResource {
    /** The leaf certificate, PEM (public). */
    public readonly certificatePem: pulumi.Output<string>;
    /** The issuing chain up to the root, PEM (public). */
    public readonly chainPem: pulumi.Output<string>;
    /** Its serial number in hexadecimal, as `revokedSerials` takes it. */
    public readonly serialNumber: pulumi.Output<string>;
    /** The SSM parameter the certificate is published under: `/<project>/<stack>/partner-certificates/<client>`. */
    public readonly parameterName: pulumi.Output<string>;

    constructor(name: string, args: PartnerCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:pki:PartnerCertificate", name, {}, opts);
        const issued = args.ca.signRequest(`${name}-cert`, args.csrPem, {
            usage: "client",
            keyAlgorithm: args.keyAlgorithm,
            validityHours: args.validityHours,
            earlyRenewalHours: args.earlyRenewalHours,
        }, this);
        this.certificatePem = issued.certPem;
        this.chainPem = issued.chainPem;
        this.serialNumber = issued.certPem.apply(pem => new crypto.X509Certificate(pem).serialNumber);
        const published = new aws.ssm.Parameter(`${name}-published`, {
            name: `/${pulumi.getProject()}/${pulumi.getStack()}/partner-certificates/${args.clientName}`,
            description: `Client certificate of bring-your-own-key partner ${args.clientName} (public): hand each new value to the partner`,
            type: "String",
            tier: "Standard",
            dataType: "text",
            value: issued.certPem,
        }, { parent: this });
        this.parameterName = published.name;
        this.registerOutputs({ certificatePem: this.certificatePem, serialNumber: this.serialNumber, parameterName: this.parameterName });
    }
}

/**
 * One PartnerCertificate per request of config `mtlsClientCsrs`, by client name (the request's
 * common name, which config validation checked).
 */
export function partnerCertificates(name: string, csrPems: string[], ca: CertificateAuthority, validity: CertificateValidity,
    opts?: pulumi.ComponentResourceOptions): Record<string, PartnerCertificate> {
    return Object.fromEntries(csrPems.map(pem => {
        const inspected = inspectCsr(pem);
        if ("problem" in inspected) throw new Error(`a request config validation accepted ${inspected.problem}`);
        const client = inspected.csr.commonName;
        return [client, new PartnerCertificate(`${name}-${client}`, { ca, csrPem: pem, keyAlgorithm: inspected.csr.keyAlgorithm, clientName: client, ...validity }, opts)];
    }));
}
