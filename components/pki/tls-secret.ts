import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { SecretRole, TAG } from "../facts";
import { custodians } from "../security/custodians";

export interface TlsSecretArgs {
    /** What the secret holds: the tier's server certificate or an mTLS client's. Tagged `e2etls:role`. */
    readonly role: SecretRole;
    /** The client's name, for role "client"; tagged `e2etls:client`. */
    readonly clientName?: string;
    /** ARN of the customer-managed KMS key that encrypts the secret. No default. */
    readonly kmsKeyArn: pulumi.Input<string>;
    /** Leaf certificate, PEM. */
    readonly certificatePem: pulumi.Input<string>;
    /** Issuing chain, PEM. */
    readonly chainPem: pulumi.Input<string>;
    /** Private key, PEM (a Pulumi secret; stored only in the secret value). */
    readonly privateKeyPem: pulumi.Input<string>;
    /**
     * IAM role ARNs that may read the value besides the deploying principal. Defaults to none:
     * only the principal running `pulumi up` (which must read it back on refresh).
     */
    readonly readerRoleArns?: pulumi.Input<string>[];
    /**
     * IAM role or user ARN patterns (`*` and `?` allowed, as ArnLike matches them) of other
     * administrators and pipelines that run `pulumi up`/`refresh` on the stack: the provider reads
     * the value back on every refresh. Defaults to none (config `adminPrincipalArns`).
     */
    readonly adminPrincipalArns?: string[];
}

/**
 * One certificate with its chain and private key as a Secrets Manager secret, JSON
 * `{"certificate", "chain", "privateKey"}`, encrypted with the stack's KMS key. A resource policy
 * denies secretsmanager:GetSecretValue to every principal but the named readers, the deployer and
 * the named administrators, and every other action on the secret (changing its value, its key or
 * this policy) to all but those and the account root, whatever their IAM policies say.
 */
export class TlsSecret extends pulumi.ComponentResource {
    public readonly secretArn: pulumi.Output<string>;
    /** Changes whenever the certificate is renewed: the ECS tier pins task revisions to it. */
    public readonly versionId: pulumi.Output<string>;
    /** The secret's value: a reader at boot must wait for it, not only for the secret. */
    public readonly value: pulumi.Resource;

    constructor(name: string, args: TlsSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:pki:TlsSecret", name, {}, opts);
        const secret = new aws.secretsmanager.Secret(`${name}`, {
            description: args.role === "backend"
                ? "Backend TLS certificate, chain and private key of the web tier"
                : `Mutual-TLS client certificate, chain and private key of ${args.clientName}`,
            kmsKeyId: args.kmsKeyArn,
            tags: {
                [TAG.role]: args.role,
                ...(args.clientName ? { [TAG.client]: args.clientName } : {}),
            },
        }, { parent: this });
        const version = new aws.secretsmanager.SecretVersion(`${name}`, {
            secretId: secret.id,
            secretString: pulumi.secret(pulumi.jsonStringify({
                certificate: args.certificatePem,
                chain: args.chainPem,
                privateKey: args.privateKeyPem,
            })),
        }, { parent: this });
        // The provider calls GetSecretValue when it creates a SecretVersion and on every refresh
        // (hashicorp/terraform-provider-aws internal/service/secretsmanager/secret_version.go,
        // resourceSecretVersionCreate and resourceSecretVersionRead), so whoever deploys must be
        // excepted from the deny: the deploying role and the configured administrators.
        const { deployerArn, rootArn, serviceLinkedRoles } = custodians(this);
        const admins = args.adminPrincipalArns ?? [];
        const readers = pulumi.all([deployerArn, ...(args.readerRoleArns ?? []), ...admins]);
        const holders = pulumi.all([deployerArn, ...(args.readerRoleArns ?? []), ...admins, rootArn, serviceLinkedRoles]);
        new aws.secretsmanager.SecretPolicy(`${name}`, {
            secretArn: secret.arn,
            blockPublicPolicy: true,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "OnlyNamedReaders",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "secretsmanager:GetSecretValue",
                    Resource: "*",
                    // ArnNotLike: exact ARNs match themselves, and an IAM Identity Center role can be
                    // named with a wildcard for the suffix it changes on reassignment
                    // (https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html).
                    Condition: { ArnNotLike: { "aws:PrincipalArn": readers } },
                }, {
                    // A deny on reading alone is undone by whoever may DeleteResourcePolicy or
                    // PutResourcePolicy (PowerUserAccess may), and the value is replaced by whoever may
                    // PutSecretValue, UpdateSecretVersionStage or UpdateSecret (its KmsKeyId), copied out
                    // by ReplicateSecretToRegions, or destroyed by DeleteSecret
                    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html;
                    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html).
                    // So every action, secretsmanager:* (those added later too), is denied to all but
                    // the tier's reader (whose IAM grant is GetSecretValue and DescribeSecret alone),
                    // the deployer, the administrators, the account root (break glass) and AWS's
                    // service-linked roles (Config and Security Hub read metadata; the deny above
                    // still keeps the value from them).
                    Sid: "OnlyHoldersTouchIt",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "secretsmanager:*",
                    Resource: "*",
                    Condition: { ArnNotLike: { "aws:PrincipalArn": holders } },
                }],
            }),
        }, { parent: this });
        this.secretArn = secret.arn;
        this.versionId = version.versionId;
        this.value = version;
        this.registerOutputs({ secretArn: this.secretArn, versionId: this.versionId });
    }
}
