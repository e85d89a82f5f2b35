/**
 * The private buckets and their objects (components/storage, the trust store): S3.
 * Form and sources: ../entry.ts; merged into RESOURCE_ACTIONS by ../actions.ts.
 */
import { TOKENS } from "../../../policies/shared/tokens";
import { ResourceEntry, tf, TAGGED } from "../entry";

export const STORAGE_ACTIONS: Readonly<Record<string, ResourceEntry>> = {
    [TOKENS.s3Bucket]: {
        source: [tf("s3/bucket.go")],
        create: ["s3:CreateBucket"],
        // The read fetches every bucket sub-configuration the resource still exposes (policy, ACL,
        // CORS, website, versioning, acceleration, request payment, logging, lifecycle, replication,
        // encryption, object lock): resourceBucketRead.
        read: ["s3:ListBucket", "s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketWebsite", "s3:GetBucketVersioning",
            "s3:GetAccelerateConfiguration", "s3:GetBucketRequestPayment", "s3:GetBucketLogging", "s3:GetLifecycleConfiguration",
            "s3:GetReplicationConfiguration", "s3:GetEncryptionConfiguration", "s3:GetBucketObjectLockConfiguration"],
        update: [],
        delete: ["s3:DeleteBucket"],
        tags: { onCreate: [], list: ["s3:GetBucketTagging"], tag: ["s3:PutBucketTagging"], untag: ["s3:PutBucketTagging"] },
        arguments: {
            ...TAGGED,
            forceDestroy: { calls: ["s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"], why: "the delete empties the bucket, every version included" },
        },
        checked: "reviewed",
    },
    [TOKENS.s3BucketPublicAccessBlock]: {
        source: [tf("s3/bucket_public_access_block.go")],
        create: ["s3:PutBucketPublicAccessBlock"], read: ["s3:GetBucketPublicAccessBlock"], update: ["s3:PutBucketPublicAccessBlock"],
        delete: ["s3:PutBucketPublicAccessBlock"],
        arguments: { blockPublicAcls: [], blockPublicPolicy: [], bucket: [], ignorePublicAcls: [], restrictPublicBuckets: [] },
        checked: "reviewed: the delete is DeletePublicAccessBlock, authorized as s3:PutBucketPublicAccessBlock (SAR)",
    },
    [TOKENS.s3BucketOwnershipControls]: {
        source: [tf("s3/bucket_ownership_controls.go")],
        create: ["s3:PutBucketOwnershipControls"], read: ["s3:GetBucketOwnershipControls"], update: ["s3:PutBucketOwnershipControls"],
        delete: ["s3:PutBucketOwnershipControls"],
        arguments: { bucket: [], rule: [] },
        checked: "reviewed: DeleteBucketOwnershipControls is authorized as s3:PutBucketOwnershipControls (SAR)",
    },
    [TOKENS.s3BucketServerSideEncryptionConfiguration]: {
        source: [tf("s3/bucket_server_side_encryption_configuration.go")],
        create: ["s3:PutEncryptionConfiguration"], read: ["s3:GetEncryptionConfiguration"], update: ["s3:PutEncryptionConfiguration"],
        delete: ["s3:PutEncryptionConfiguration"],
        arguments: { bucket: [], rules: [] },
        checked: "reviewed: DeleteBucketEncryption is authorized as s3:PutEncryptionConfiguration (SAR)",
    },
    [TOKENS.s3BucketVersioning]: {
        source: [tf("s3/bucket_versioning.go")],
        create: ["s3:PutBucketVersioning"], read: ["s3:GetBucketVersioning"], update: ["s3:PutBucketVersioning"], delete: ["s3:PutBucketVersioning"],
        arguments: { bucket: [], versioningConfiguration: [] },
        checked: "reviewed",
    },
    [TOKENS.s3BucketLifecycleConfiguration]: {
        source: [tf("s3/bucket_lifecycle_configuration.go")],
        create: ["s3:PutLifecycleConfiguration"], read: ["s3:GetLifecycleConfiguration"], update: ["s3:PutLifecycleConfiguration"],
        delete: ["s3:PutLifecycleConfiguration"],
        arguments: { bucket: [], rules: [] },
        checked: "reviewed: DeleteBucketLifecycle is authorized as s3:PutLifecycleConfiguration (SAR)",
    },
    [TOKENS.s3BucketPolicy]: {
        source: [tf("s3/bucket_policy.go")],
        create: ["s3:PutBucketPolicy"], read: ["s3:GetBucketPolicy"], update: ["s3:PutBucketPolicy"], delete: ["s3:DeleteBucketPolicy"],
        arguments: { bucket: [], policy: [] },
        checked: "reviewed",
    },
    // A delete removes every version of the key in a versioned bucket.
    [TOKENS.s3BucketObjectV2]: {
        source: [tf("s3/object.go")],
        create: ["s3:PutObject"],
        read: ["s3:GetObject", "s3:GetObjectVersion"],
        update: ["s3:PutObject"],
        delete: ["s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"],
        tags: { onCreate: ["s3:PutObjectTagging"], list: ["s3:GetObjectTagging"], tag: ["s3:PutObjectTagging"], untag: ["s3:DeleteObjectTagging"] },
        arguments: { bucket: [], content: [], contentType: [], key: [], ...TAGGED },
        checked: "reviewed",
    },
};
