import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { TAG } from "../facts";

export interface PrivateBucketArgs {
    /** What the bucket holds, for its tags. No default. */
    readonly purpose: string;
    /** Keep object versions. Defaults to false. */
    readonly versioning?: boolean;
    /** Delete objects this many days after creation. Defaults to never. */
    readonly expirationDays?: number;
    /**
     * Policy statements to add to the TLS-only statement, given the bucket ARN. Defaults to none.
     */
    readonly statements?: (bucketArn: pulumi.Output<string>) => pulumi.Input<any>[];
    /** Allow `pulumi destroy` to empty the bucket. Defaults to true (it holds nothing that cannot be re-created). */
    readonly forceDestroy?: boolean;
    /**
     * Keep the bucket and its settings in AWS when the stack deletes them (`retainOnDelete`):
     * `pulumi destroy` then drops them from the stack only, and they go on costing storage until
     * deleted by hand. Defaults to false.
     */
    readonly retainOnDelete?: boolean;
}

/**
 * An S3 bucket nobody outside the account can reach: all public access blocked, ACLs disabled,
 * default encryption (SSE-S3: the one ALB access logs support), and a policy that refuses any
 * request not made over TLS.
 */
export class PrivateBucket extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    /**
     * What a writer waits for: the bucket policy (a service writing to it may need it first) and,
     * with versioning, the BucketVersioning, so objects read by version get a real version id.
     * S3 may take up to 15 minutes to propagate a first enablement
     * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/manage-versioning-examples.html).
     */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: PrivateBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:storage:PrivateBucket", name, {}, opts);
        // retainOnDelete is not inherited from a component: each child states it, so a retained
        // bucket keeps its public-access block, encryption, lifecycle and TLS-only policy.
        const child: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: args.retainOnDelete ?? false };
        const bucket = new aws.s3.Bucket(`${name}`, {
            forceDestroy: args.forceDestroy ?? true,
            tags: { [TAG.purpose]: args.purpose },
        }, child);
        const block = new aws.s3.BucketPublicAccessBlock(`${name}`, {
            bucket: bucket.id,
            blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        }, child);
        new aws.s3.BucketOwnershipControls(`${name}`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}`, {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, child);
        const versioning = args.versioning ? new aws.s3.BucketVersioning(`${name}`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, child) : undefined;
        if (args.expirationDays !== undefined) {
            new aws.s3.BucketLifecycleConfiguration(`${name}`, {
                bucket: bucket.id,
                rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days: args.expirationDays } }],
            }, child);
        }
        const policy = new aws.s3.BucketPolicy(`${name}`, {
            bucket: bucket.id,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                    ...(args.statements ? args.statements(bucket.arn) : []),
                ],
            }),
        }, { ...child, dependsOn: [block] });
        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.ready = versioning ? [policy, versioning] : [policy];
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
    }
}
