import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { COMPONENTS } from "../../policies/shared/tokens";
import { SecretRole, TAG } from "../../policies/shared/tags";
import { deployerPrincipalArn } from "../security/deployer";

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
 * the named administrators, whatever their IAM policies say.
 */
export class TlsSecret extends pulumi.ComponentResource {
    public readonly secretArn: pulumi.Output<string>;
    /** Changes whenever the certificate is renewed: the ECS tier pins task revisions to it. */
    public readonly versionId: pulumi.Output<string>;
    /** The secret's value: a reader at boot must wait for it, not only for the secret. */
    public readonly value: pulumi.Resource;

    constructor(name: string, args: TlsSecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super(COMPONENTS.tlsSecret, name, {}, opts);
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
        const readers = pulumi.all([deployerPrincipalArn(this), ...(args.readerRoleArns ?? []), ...(args.adminPrincipalArns ?? [])]);
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
                }],
            }),
        }, { parent: this });
        this.secretArn = secret.arn;
        this.versionId = version.versionId;
        this.value = version;
        this.registerOutputs({ secretArn: this.secretArn, versionId: this.versionId });
    }
}

