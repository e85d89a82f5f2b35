import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PrivateBucket } from "../storage/private-bucket";

export interface TrustStoreArgs {
    /** PEM CA certificates clients may chain to (at most 25). No default. */
    readonly caCertificatesPem: pulumi.Input<string>[];
    /**
     * PEM CRLs of revoked client certificates, one per CA that revokes (two while a CA rotates).
     * Defaults to none.
     */
    readonly revocationListsPem?: pulumi.Input<string>[];
}

/**
 * The trust store the HTTPS listener verifies client certificates against: the CA bundle as a
 * versioned object in a private bucket, and an ELB trust store created from that exact version,
 * so a changed bundle is a new object version and an in-place trust-store update. With a
 * revocation list, the CRL goes beside it and is added to the trust store the same way; the load
 * balancer then refuses the revoked client certificates.
 */
export class TrustStore extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    /** The bundle exactly as uploaded. */
    public readonly bundlePem: pulumi.Output<string>;

    constructor(name: string, args: TrustStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:edge:TrustStore", name, {}, opts);
        if (args.caCertificatesPem.length === 0 || args.caCertificatesPem.length > 25) {
            throw new pulumi.ResourceError(`a trust store takes 1 to 25 CA certificates, got ${args.caCertificatesPem.length}`, this);
        }
        const bucket = new PrivateBucket(`${name}-bucket`, { purpose: "mTLS trust store bundle", versioning: true }, { parent: this });
        this.bundlePem = pulumi.all(args.caCertificatesPem).apply(trustStoreBundle);
        const object = new aws.s3.BucketObjectv2(`${name}-bundle`, {
            bucket: bucket.bucketName,
            key: "trust-store/ca-bundle.pem",
            content: this.bundlePem,
            contentType: "application/x-pem-file",
        }, { parent: this, dependsOn: bucket.ready });
        const store = new aws.lb.TrustStore(`${name}`, {
            caCertificatesBundleS3Bucket: bucket.bucketName,
            caCertificatesBundleS3Key: object.key,
            caCertificatesBundleS3ObjectVersion: object.versionId,
        }, { parent: this });
        (args.revocationListsPem ?? []).forEach((revocationListPem, i) => {
            // The first list keeps the names it had before lists of several CRLs existed.
            const suffix = i === 0 ? "" : `-${i + 1}`;
            const crl = new aws.s3.BucketObjectv2(`${name}-crl${suffix}`, {
                bucket: bucket.bucketName,
                key: `trust-store/revocations${suffix}.crl.pem`,
                content: revocationListPem,
                contentType: "application/x-pem-file",
            }, { parent: this, dependsOn: bucket.ready });
            // A new CRL version replaces this resource (every argument forces replacement), and a
            // CRL left out even briefly admits every revoked client. So create the new one first:
            // ELB takes several CRLs per trust store, of the same CA too (AddTrustStoreRevocations
            // adds one with a new revocation id and refuses only invalid, missing or too many
            // entries; 30 CRLs a trust store), and during the overlap the load balancer refuses
            // the union of both, a superset of what either refuses alone.
            // terraform-provider-aws internal/service/elbv2/trust_store_revocation.go;
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_AddTrustStoreRevocations.html
            new aws.lb.TrustStoreRevocation(`${name}-crl${suffix}`, {
                trustStoreArn: store.arn,
                revocationsS3Bucket: bucket.bucketName,
                revocationsS3Key: crl.key,
                revocationsS3ObjectVersion: crl.versionId,
            }, { parent: this, deleteBeforeReplace: false });
        });
        this.arn = store.arn;
        this.registerOutputs({ arn: this.arn, bundlePem: this.bundlePem });
    }
}

/**
 * Joins PEM certificates into a bundle ELB accepts: one certificate after another with no blank
 * lines (ELB rejects them) and a trailing newline.
 */
export function trustStoreBundle(pems: string[]): string {
    return pems
        .map(p => p.split(/\r?\n/).map(l => l.trim()).filter(l => l !== "").join("\n"))
        .join("\n") + "\n";
}
