import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { ComputeMode } from "../../config/compute-modes";
import { applicationSecretStatements, PolicyStatement, policyDocument } from "./application-access";

export interface TierIdentityArgs {
    /**
     * Which identity reads the secret and which service assumes it: `COMPUTE_MODES[compute]` of
     * config/compute-modes.ts. No default.
     */
    readonly mode: Pick<ComputeMode, "reader" | "principal">;
}

/** The reader of this identity: which role it is, so the actions it is granted are the ones its service calls. */
type Reader = ComputeMode["reader"];

/**
 * The IAM identity that fetches the tier's certificate: the EC2 instance role, or the ECS task
 * execution role (ECS reads task secrets with it, not with the task role). It exists before the
 * secret so the secret's resource policy can name it; `grantSecretRead` then lets it read exactly
 * that secret and decrypt with exactly that key, and `grantApplicationSecrets` exactly the
 * application's secrets. The ECS execution role has no managed policy: the tier grants it the pull
 * of exactly its images and the logs of exactly its log group (components/compute/ecs-tier.ts).
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

    private readonly reader: Reader;

    constructor(name: string, args: TierIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("e2etls:security:TierIdentity", name, {}, opts);
        this.reader = args.mode.reader;
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
            // AmazonECSTaskExecutionRolePolicy would let the role pull every ECR repository of the
            // account and write to every log group (Resource "*"): anyone allowed to pass the role
            // to a task definition could pull any image. The tier's own scoped policy replaces it.
            const execution = role("execution", "e2e-tls tasks: pull images, write logs, read the backend certificate secret");
            const task = role("task", "e2e-tls application containers: no AWS permissions");
            this.readerRoleArn = execution.arn;
            this.readerRoleName = execution.name;
            this.taskRoleArn = task.arn;
            this.grants = [];
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

    /**
     * Lets the reader role read exactly the application's secrets (ARNs by environment variable
     * name) with the call its service makes, and decrypt them only through their store; undefined
     * when there are none.
     */
    grantApplicationSecrets(name: string, secrets: Readonly<Record<string, string>>): aws.iam.RolePolicy | undefined {
        const statements = applicationSecretStatements(secrets, this.reader);
        return statements.length > 0 ? this.grant(name, statements) : undefined;
    }

    /** An inline policy of the reader role. */
    grant(name: string, statements: PolicyStatement[]): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(name, { role: this.readerRoleName, policy: policyDocument(statements) }, { parent: this });
    }
}
