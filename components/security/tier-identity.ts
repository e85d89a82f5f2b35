import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Compute } from "../../config/index";
import { COMPONENTS } from "../../policies/shared/tokens";

export interface TierIdentityArgs {
    /** Which tier the role serves: EC2 instances or ECS task launches. No default. */
    readonly compute: Compute;
}

const assumedBy = (service: string) => JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
});

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
        if (args.compute === "asg") {
            const role = new aws.iam.Role(`${name}-instance`, {
                description: "e2e-tls instances: read the backend certificate secret, Session Manager",
                assumeRolePolicy: assumedBy("ec2.amazonaws.com"),
            }, { parent: this });
            // Session Manager instead of SSH: no port 22, no key pairs.
            const ssm = new aws.iam.RolePolicyAttachment(`${name}-ssm`, {
                role: role.name,
                policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            }, { parent: this });
            const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name }, { parent: this });
            this.readerRoleArn = role.arn;
            this.readerRoleName = role.name;
            this.instanceProfileName = profile.name;
            this.grants = [ssm, profile];
        } else {
            const execution = new aws.iam.Role(`${name}-execution`, {
                description: "e2e-tls tasks: pull images, write logs, read the backend certificate secret",
                assumeRolePolicy: assumedBy("ecs-tasks.amazonaws.com"),
            }, { parent: this });
            const executionPolicy = new aws.iam.RolePolicyAttachment(`${name}-execution`, {
                role: execution.name,
                policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            }, { parent: this });
            const task = new aws.iam.Role(`${name}-task`, {
                description: "e2e-tls application containers: no AWS permissions",
                assumeRolePolicy: assumedBy("ecs-tasks.amazonaws.com"),
            }, { parent: this });
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
