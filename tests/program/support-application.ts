/**
 * One application, given every way the tier takes it: the stack config keys a user sets, and the
 * same settings as WebTier's `application` input. Its secrets are ARNs; what they hold in the
 * offline world (the stub `aws`'s store) is FAKE_SECRET, which must reach the application's
 * environment and nowhere else.
 */
import { ApplicationArgs } from "../../components/compute/application";

export const ACCOUNT = "123456789012";
export const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
export const APP_IMAGE = `${REGISTRY}/shop/web:1.4.2`;
export const APP_REPOSITORY_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/shop/web`;
export const TERMINATOR_IMAGE = `${REGISTRY}/mirror/nginx:1.27-alpine`;
export const DB_SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:shop/db-AbCdEf`;
/** ECS's form for one JSON key of the secret, current version. */
export const DB_PASSWORD_REF = `${DB_SECRET_ARN}:password::`;
export const API_TOKEN_ARN = `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/shop/api-token`;

/** What the secrets hold offline: recognisable, so a test can tell it appears nowhere it must not. */
export const FAKE_SECRET = "fake-db-password-7d41c0e9-must-not-leak";
export const FAKE_TOKEN = "fake-api-token-5b2a91f3-must-not-leak";

export const APPLICATION: Required<Omit<ApplicationArgs, "startCommand">> = {
    image: APP_IMAGE,
    entryPoint: ["/usr/bin/tini", "--"],
    command: ["node", "server.js", "--port", "9000"],
    port: 9000,
    environment: { SHOP_NAME: "Acme Shop", LOG_LEVEL: "info" },
    secrets: { DB_PASSWORD: DB_PASSWORD_REF, API_TOKEN: API_TOKEN_ARN },
    healthCheckPath: "/ready",
    healthCheckCodes: "200-299",
};

/** The same application as `pulumi config set` would store it: flat keys, lists and maps as JSON. */
export const APPLICATION_CONFIG: Record<string, string> = {
    "e2e-tls:appImage": APPLICATION.image,
    "e2e-tls:appEntryPoint": JSON.stringify(APPLICATION.entryPoint),
    "e2e-tls:appCommand": JSON.stringify(APPLICATION.command),
    "e2e-tls:appPort": String(APPLICATION.port),
    "e2e-tls:appEnvironment": JSON.stringify(APPLICATION.environment),
    "e2e-tls:appSecrets": JSON.stringify(APPLICATION.secrets),
    "e2e-tls:appHealthCheckPath": APPLICATION.healthCheckPath,
    "e2e-tls:appHealthCheckCodes": APPLICATION.healthCheckCodes,
};

/** The stub `aws`'s store with the application's secrets: the DB secret as JSON, the token as a parameter. */
export function stubSecretStore(fs: typeof import("fs"), path: typeof import("path"), dir: string): void {
    const secret = path.join(dir, encodeURIComponent(DB_SECRET_ARN));
    fs.mkdirSync(secret, { recursive: true });
    fs.writeFileSync(path.join(secret, "AWSCURRENT"), "v-current\n");
    fs.writeFileSync(path.join(secret, "v-current.json"), JSON.stringify({ username: "shop", password: FAKE_SECRET }));
    const parameter = path.join(dir, encodeURIComponent(API_TOKEN_ARN));
    fs.mkdirSync(parameter, { recursive: true });
    fs.writeFileSync(path.join(parameter, "parameter"), FAKE_TOKEN);
}
