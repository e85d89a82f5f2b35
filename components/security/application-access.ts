import * as pulumi from "@pulumi/pulumi";
import { ComputeMode } from "../../config/compute-modes";
import { parseSecretReference, SecretReference, SecretService } from "../compute/secret-references";

/** One statement of an identity policy. */
export interface PolicyStatement {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Action: string | string[];
    readonly Resource: pulumi.Input<string> | pulumi.Input<string>[];
    readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * The call that reads an SSM parameter, by who reads it: ECS fetches a task's parameter secrets
 * with GetParameters ("Required IAM permissions for Amazon ECS secrets",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-ssm-paramstore.html);
 * the EC2 start script calls `aws ssm get-parameter`, GetParameter
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
 */
const PARAMETER_READ: Readonly<Record<ComputeMode["reader"], string>> = {
    "task-execution-role": "ssm:GetParameters",
    "instance-role": "ssm:GetParameter",
};

/**
 * The encryption context each store puts on its KMS calls, which names the one secret or parameter
 * decrypted: Secrets Manager's `SecretARN`
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context),
 * Parameter Store's `PARAMETER_ARN`
 * (https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html#parameter-store-encryption-context).
 */
const ENCRYPTION_CONTEXT: Readonly<Record<SecretService, string>> = {
    secretsmanager: "kms:EncryptionContext:SecretARN",
    ssm: "kms:EncryptionContext:PARAMETER_ARN",
};

function sorted(xs: Iterable<string>): string[] {
    return [...new Set(xs)].sort();
}

/** The references of an application's `secrets` map (validated: every value parses). */
export function secretReferences(secrets: Readonly<Record<string, string>>): SecretReference[] {
    return Object.values(secrets).map(v => {
        const ref = parseSecretReference(v);
        if (!ref) throw new Error(`not a secret reference: ${v}`); // config validation refuses it first
        return ref;
    });
}

/**
 * What the role that fetches the application's secrets may do, and no more: read exactly those
 * secrets and parameters, and decrypt with whatever key protects them only through their store, for
 * exactly them. The key is not known before deploy (aws/secretsmanager, aws/ssm or a customer key
 * of the owning account), so kms:Decrypt names the owning accounts' keys and is held to the store
 * (`kms:ViaService`) and the secret (`kms:EncryptionContext:*`). A secret under an AWS managed key
 * needs no kms:Decrypt at all; one under a customer key needs it ("kms:Decrypt - Required only if
 * your key uses a custom KMS key", ECS secrets IAM page above), and that key's policy must allow it.
 */
export function applicationSecretStatements(secrets: Readonly<Record<string, string>>, reader: ComputeMode["reader"]): PolicyStatement[] {
    const refs = secretReferences(secrets);
    const statements: PolicyStatement[] = [];
    for (const service of Object.values(SecretService)) {
        const mine = refs.filter(r => r.service === service);
        if (mine.length === 0) continue;
        const arns = sorted(mine.map(r => r.arn));
        const label = service === SecretService.secretsManager ? "Secrets" : "Parameters";
        statements.push({
            Sid: `ReadTheApplication${label}`,
            Effect: "Allow",
            Action: service === SecretService.secretsManager ? "secretsmanager:GetSecretValue" : PARAMETER_READ[reader],
            Resource: arns,
        }, {
            Sid: `DecryptTheApplication${label}ThroughTheirStore`,
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: sorted(mine.map(r => `arn:${r.partition}:kms:${r.region}:${r.account}:key/*`)),
            Condition: {
                StringEquals: {
                    "kms:ViaService": sorted(mine.map(r => `${service}.${r.region}.amazonaws.com`)),
                    [ENCRYPTION_CONTEXT[service]]: arns,
                },
            },
        });
    }
    return statements;
}

/**
 * Pulling images from ECR: an authorization token, which IAM grants on "*" only (ecr:GetAuthorizationToken
 * has no resource type, https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html),
 * and the image's layers and manifest from exactly `repositoryArns`: the actions
 * AmazonECSTaskExecutionRolePolicy grants on every repository
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonECSTaskExecutionRolePolicy.html).
 */
export function imagePullStatements(repositoryArns: pulumi.Input<string>[]): PolicyStatement[] {
    if (repositoryArns.length === 0) return [];
    return [
        { Sid: "EcrAuthorizationTokenIsAccountWide", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
            Sid: "PullTheTierImages",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
            Resource: repositoryArns,
        },
    ];
}

/** An identity policy document of `statements`, for `aws.iam.RolePolicy`'s `policy`. */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}
