import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { COMPONENTS } from "../../policies/shared/tokens";
import { stackKeyPolicy } from "./key-policy";

export interface SecretsKeyArgs {
    /**
     * ARN patterns of the principals that deploy the stack (the deploying role and config
     * `adminPrincipalArns`): the key's policy lets them administer it and use it through Secrets
     * Manager. No default.
     */
    readonly deployers: pulumi.Input<pulumi.Input<string>[]>;
    /** Days AWS waits before deleting the key once scheduled. Defaults to 30 (the maximum). */
    readonly deletionWindowInDays?: number;
}

/**
 * The customer-managed KMS key that encrypts the stack's certificate secrets, with yearly automatic
 * rotation. Using our own key rather than `aws/secretsmanager` means a reader needs kms:Decrypt on
 * this key as well as secretsmanager:GetSecretValue, and CloudTrail shows every decrypt.
 */
export class SecretsKey extends pulumi.ComponentResource {
    public readonly keyArn: pulumi.Output<string>;
    public readonly keyId: pulumi.Output<string>;

    constructor(name: string, args: SecretsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super(COMPONENTS.secretsKey, name, {}, opts);
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const key = new aws.kms.Key(`${name}-key`, {
            description: `Encrypts the TLS certificates and keys of ${pulumi.getProject()}/${pulumi.getStack()}`,
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            enableKeyRotation: true,
            deletionWindowInDays: args.deletionWindowInDays ?? 30,
            policy: stackKeyPolicy({ account, partition, deployers: args.deployers, secretsManagerRegion: region }),
        }, { parent: this });
        new aws.kms.Alias(`${name}-alias`, {
            name: `alias/${pulumi.getProject()}-${pulumi.getStack()}-tls`,
            targetKeyId: key.keyId,
        }, { parent: this });
        this.keyArn = key.arn;
        this.keyId = key.keyId;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
