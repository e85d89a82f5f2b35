/**
 * The sample inputs the deployer policy's variants (scope.ts) add to a stack's configuration, so
 * the policy a user generates covers what a team adds later: an application and a
 * bring-your-own-key partner.
 *
 * The application the application variants run: a private ECR image of the stack's region, secrets
 * from Secrets Manager (a whole secret, and one JSON key of another in ECS's `:json-key::` form)
 * and from SSM Parameter Store, or a start command on a baked AMI.
 * What it adds to a stack (VPC endpoints, the roles' inline grants, the task definition's
 * secrets, the launch template's start script) is what any application adds, so the deploying
 * role's policy covers a stack before and after its team gives it an application.
 *
 * Its ARNs are the mock account's and exist only in these runs: the roles' boundary is generated
 * for the stack's own configuration (boundary.ts), never for these.
 */
import { ACCOUNT_ID } from "../engine/mocks";
import { privateImageOverrides } from "../engine/run-program";

/**
 * A bring-your-own-key partner's certificate signing request (ECDSA P-256, CN partner-variant),
 * public by nature: its private key was thrown away when it was made. The deployer policy's
 * variants include it so the resources a partner adds (its certificate's SSM parameter and the
 * renewal rule) are in the policy a user generates.
 */
export const PARTNER_VARIANT_CSR = [
    "-----BEGIN CERTIFICATE REQUEST-----",
    "MIHTMHwCAQAwGjEYMBYGA1UEAwwPcGFydG5lci12YXJpYW50MFkwEwYHKoZIzj0C",
    "AQYIKoZIzj0DAQcDQgAExvNPoaydCgTKzBw0I9JfqvSGx7ucjDkuPOLP5xCIJ7PT",
    "lnzNMjAfwY+V3My2T7lhNb7OK7AioiemuvNzFiaJq6AAMAoGCCqGSM49BAMCA0cA",
    "MEQCIFqhYMNgILu+N26dl+IC9gjRoGBMyx8cULVuPneBczFXAiBIv3QSK3h1wJup",
    "zW55LD1O7RYf/JPWyAX7i3wgdb3kfg==",
    "-----END CERTIFICATE REQUEST-----",
    "",
].join("\n");

/** A baked AMI for the start-command variant (any well-formed id: the runs never launch it). */
export const SAMPLE_AMI = "ami-0123456789abcdef0";
export const SAMPLE_START_COMMAND = "/opt/app/bin/server --port 8080";

/** The sample's secret references in `region`, by environment variable name, as config `appSecrets` takes them. */
export function sampleSecrets(region: string): Record<string, string> {
    const secret = (name: string) => `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:${name}-AbCdEf`;
    return {
        // A whole secret, and one JSON key of another (ECS's ":<json-key>:<version-stage>:<version-id>").
        DB_URL: secret("deployer-variant/db-url"),
        DB_PASSWORD: `${secret("deployer-variant/db")}:password::`,
        API_TOKEN: `arn:aws:ssm:${region}:${ACCOUNT_ID}:parameter/deployer-variant/api-token`,
    };
}

/** The sample's private ECR images in `region`: the application's, and the ECS terminator's. */
export function sampleImages(stack: string, region: string): { appImage: string; terminatorImage: string } {
    const images = privateImageOverrides(stack, region);
    return { appImage: images["e2e-tls:appImage"], terminatorImage: images["e2e-tls:terminatorImage"] };
}
