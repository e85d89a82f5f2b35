import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ComputeMode } from "../../config/compute-modes";
import { COMPONENTS } from "../../policies/shared/tokens";

export interface TierIdentityArgs {
    /**
     * Which identity reads the secret and which service assumes it: `COMPUTE_MODES[compute]` of
     * config/compute-modes.ts. No default.
     */
    readonly mode: Pick<ComputeMode, "reader" | "principal">;
}

/**
 * The IAM identity that fetches the tier's certificate: the EC2 instance role, or the ECS task
 * execution role (ECS reads task secrets with it, not with the task role). It exists before the
 * secret so the secret's resource policy can name it; `grantSecretRead` then lets it read exactly
 * that secret and decrypt with exactly that key.
 */
export class TierIdentity extends pulumi.ComponentResource {
    /** The role allowed to read the backend secret. */
    public readonly readerRoleArn: pulumi.Output<string>;
    public readonly readerRoleName: pulumi.Output<string>;
    /** EC2 only: the instance profile wrapping the role. */
    public readonly instanceProfileName?: pulumi.Output<string>;
    /** ECS only: the role the application's containers run with (no permissions). */
    public readonly taskRoleArn?: pulumi.Output<string>;
    /**
     * The managed-policy attachments and the instance profile: IAM grants the tier needs before it
     * boots. `grantSecretRead` returns its policy for the caller to add.
     */
    public readonly grants: pulumi.Resource[];

    constructor(name: string, args: TierIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super(COMPONENTS.tierIdentity, name, {}, opts);
        const assumeRolePolicy = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: args.mode.principal }, Action: "sts:AssumeRole" }],
        });
        const role = (roleName: string, description: string) =>
            new aws.iam.Role(`${name}-${roleName}`, { description, assumeRolePolicy }, { parent: this });
        const attach = (attachmentName: string, to: aws.iam.Role, policyArn: string) =>
            new aws.iam.RolePolicyAttachment(`${name}-${attachmentName}`, { role: to.name, policyArn }, { parent: this });

        if (args.mode.reader === "instance-role") {
            const instance = role("instance", "e2e-tls instances: read the backend certificate secret, Session Manager");
            // Session Manager instead of SSH: no port 22, no key pairs.
            const ssm = attach("ssm", instance, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
            const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: instance.name }, { parent: this });
            this.readerRoleArn = instance.arn;
            this.readerRoleName = instance.name;
            this.instanceProfileName = profile.name;
            this.grants = [ssm, profile];
        } else {
            const execution = role("execution", "e2e-tls tasks: pull images, write logs, read the backend certificate secret");
            const executionPolicy = attach("execution", execution, "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
            const task = role("task", "e2e-tls application containers: no AWS permissions");
            this.readerRoleArn = execution.arn;
            this.readerRoleName = execution.name;
            this.taskRoleArn = task.arn;
            this.grants = [executionPolicy];
        }
        this.registerOutputs({ readerRoleArn: this.readerRoleArn });
    }

    /** Lets the reader role get exactly this secret's value and decrypt it with exactly this key. */
    grantSecretRead(name: string, secretArn: pulumi.Input<string>, kmsKeyArn: pulumi.Input<string>): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(name, {
            role: this.readerRoleName,
            policy: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ReadTheBackendCertificate",
                        Effect: "Allow",
                        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
                        Resource: secretArn,
                    },
                    {
                        Sid: "DecryptThroughSecretsManagerOnly",
                        Effect: "Allow",
                        Action: "kms:Decrypt",
                        Resource: kmsKeyArn,
                        Condition: { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } },
                    },
                ],
            }),
        }, { parent: this });
    }
}
