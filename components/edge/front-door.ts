import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { CertificateAuthority, CertificateValidity, LEAF_KEY } from "../pki/ca";
import { leafKey } from "../pki/leaf-key";

/**
 * Validity and renewal window of a CA-signed front certificate, in hours. Default to 2160 and 720.
 */
export interface FrontDoorArgs extends Partial<CertificateValidity> {
    /** The load balancer, for the alias record (its DNS name and zone) and the imported certificate's name. */
    readonly loadBalancer: { readonly dnsName: pulumi.Input<string>; readonly zoneId: pulumi.Input<string> };
    /** Public name of the service. Unset: the load balancer's own DNS name. */
    readonly domainName?: string;
    /** Route 53 hosted zone of domainName; required with it. */
    readonly hostedZoneId?: string;
    /** CA that signs the certificate when there is no domain. Required without domainName. */
    readonly ca?: CertificateAuthority;
}

/**
 * The name clients use and the certificate the HTTPS listener presents.
 *
 * With a domain: a public ACM certificate validated through Route 53 (free, renewed by ACM), and an
 * alias record to the load balancer. The listener uses the validation's ARN, so it waits until the
 * certificate is issued.
 *
 * Without: a certificate for the load balancer's DNS name signed by the stack's CA and imported into
 * ACM (free, needs no domain; clients trust the stack's CA bundle). ACM does not renew imported
 * certificates: the certificate's early-renewal window makes `pulumi up` re-issue and re-import it.
 */
export class FrontDoor extends pulumi.ComponentResource {
    public readonly certificateArn: pulumi.Output<string>;
    /** https://<name>/ */
    public readonly url: pulumi.Output<string>;
    /** The name in the certificate. */
    public readonly hostname: pulumi.Output<string>;

    constructor(name: string, args: FrontDoorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:edge:FrontDoor", name, {}, opts);
        if (args.domainName && args.hostedZoneId) {
            const cert = new aws.acm.Certificate(`${name}-cert`, {
                domainName: args.domainName,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
            }, { parent: this });
            // One domain, so exactly one validation record.
            const option = cert.domainValidationOptions[0];
            const record = new aws.route53.Record(`${name}-validation`, {
                zoneId: args.hostedZoneId,
                name: option.resourceRecordName,
                type: option.resourceRecordType,
                records: [option.resourceRecordValue],
                ttl: 300,
                allowOverwrite: true,
            }, { parent: this });
            const validation = new aws.acm.CertificateValidation(`${name}-cert`, {
                certificateArn: cert.arn,
                validationRecordFqdns: [record.fqdn],
            }, { parent: this });
            new aws.route53.Record(`${name}-alias`, {
                zoneId: args.hostedZoneId,
                name: args.domainName,
                type: "A",
                aliases: [{ name: args.loadBalancer.dnsName, zoneId: args.loadBalancer.zoneId, evaluateTargetHealth: true }],
            }, { parent: this });
            this.certificateArn = validation.certificateArn;
            this.hostname = pulumi.output(args.domainName);
        } else {
            if (!args.ca) throw new pulumi.ResourceError("FrontDoor needs a CA when no domain is configured", this);
            const validity = { validityHours: args.validityHours ?? 2160, earlyRenewalHours: args.earlyRenewalHours ?? 720 };
            // A new key each renewal period, re-imported into the same ACM certificate with its certificate.
            const key = leafKey(`${name}-key`, validity, this);
            const hostname = pulumi.output(args.loadBalancer.dnsName).apply(n => n.toLowerCase());
            const issued = args.ca.issue(`${name}-cert`, {
                privateKeyPem: key.privateKeyPem,
                keyAlgorithm: LEAF_KEY.algorithm,
                commonName: "e2e-tls front",
                dnsNames: [hostname],
                usage: "server",
                ...validity,
            }, this);
            const imported = new aws.acm.Certificate(`${name}-cert`, {
                privateKey: key.privateKeyPem,
                certificateBody: issued.certPem,
                certificateChain: issued.chainPem,
            }, { parent: this });
            this.certificateArn = imported.arn;
            this.hostname = hostname;
        }
        this.url = pulumi.interpolate`https://${this.hostname}/`;
        this.registerOutputs({ certificateArn: this.certificateArn, url: this.url });
    }
}
