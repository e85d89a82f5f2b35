/**
 * What the application's config keys (and WebTier's `application` input, the same settings)
 * accept and refuse, each refusal naming the key and what is allowed, before any resource.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import { nameSaysSecret, secretShapedValue } from "../../config/validate/application";
import { ConfigError, toConfigKeys, validateConfig } from "../../config/index";
import { runProgram } from "../../offline/engine/run-program";
import { API_TOKEN_ARN, APP_IMAGE, DB_SECRET_ARN } from "./support-application";

const BASE = { mtlsClients: ["a"], appImage: APP_IMAGE };
const AMI = "ami-0123456789abcdef0";

function accepts(config: Record<string, unknown>, region = "us-east-1"): void {
    assert.doesNotThrow(() => validateConfig({ ...BASE, ...config }, { region }), JSON.stringify(config));
}
function refuses(config: Record<string, unknown>, message: RegExp, region = "us-east-1"): ConfigError {
    let error: unknown;
    try {
        validateConfig({ ...BASE, ...config }, { region });
    } catch (e) {
        error = e;
    }
    assert.ok(error instanceof ConfigError, `accepted ${JSON.stringify(config)}`);
    assert.match((error as Error).message, message);
    return error as ConfigError;
}

describe("application config", () => {
    it("takes secrets as complete Secrets Manager ARNs (whole, by JSON key, stage or version) and SSM parameter ARNs", () => {
        for (const ref of [DB_SECRET_ARN, `${DB_SECRET_ARN}:password::`, `${DB_SECRET_ARN}::AWSPREVIOUS:`, `${DB_SECRET_ARN}:::3f2a6c1e-0c1b-4a5e-9d9e-2b8f1c0d7e6a`,
            API_TOKEN_ARN, "arn:aws:ssm:us-east-1:123456789012:parameter/flat-name", "arn:aws:secretsmanager:us-east-1:210987654321:secret:shared/key-Z9y8X7"]) {
            accepts({ appSecrets: { S: ref } });
        }
    });

    it("refuses a reference that is not a supported ARN, naming the key and showing only ARNs", () => {
        for (const bad of ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db", "arn:aws:s3:::bucket/key", "arn:aws:ssm:us-east-1:123456789012:document/x",
            `${DB_SECRET_ARN}:password`, "arn:aws:ssm:us-east-1:123456789012:parameter//double"]) {
            const e = refuses({ appSecrets: { DB: bad } }, /^e2e-tls:appSecrets has DB = ".*", which is not the complete ARN of a Secrets Manager secret or an SSM parameter\. Use e\.g\./);
            assert.ok(e.message.includes(JSON.stringify(bad)));
        }
        const e = refuses({ appSecrets: { DB: "hunter2-the-password-itself" } }, /has DB = a value \(withheld\) that is not an ARN/);
        assert.ok(!e.message.includes("hunter2"), "a secret given by mistake is echoed");
    });

    it("refuses another partition, another Region without NAT (the endpoints serve the stack's), and both a stage and a version", () => {
        refuses({ appSecrets: { S: DB_SECRET_ARN.replace("arn:aws:", "arn:aws-cn:") } }, /in partition "aws-cn"\. Use an ARN of the stack's partition, "aws"/);
        const other = DB_SECRET_ARN.replace("us-east-1", "eu-west-1");
        refuses({ appSecrets: { S: other } }, /in eu-west-1, which the tier cannot reach with e2e-tls:natGateways "none": its VPC endpoints serve us-east-1 only/);
        accepts({ appSecrets: { S: other }, natGateways: "single" });
        refuses({ appSecrets: { S: `${DB_SECRET_ARN}::AWSCURRENT:3f2a6c1e-0c1b-4a5e-9d9e-2b8f1c0d7e6a` } }, /names both a version stage and a version id/);
    });

    it("refuses a variable name a shell or runtime cannot carry, and one given both plainly and as a secret", () => {
        refuses({ appEnvironment: { "1ST": "x" } }, /^e2e-tls:appEnvironment has the variable name "1ST"\. Use letters, digits and "_"/);
        refuses({ appSecrets: { "DB-PASSWORD": DB_SECRET_ARN } }, /^e2e-tls:appSecrets has the variable name "DB-PASSWORD"/);
        refuses({ appEnvironment: { DB: "x" }, appSecrets: { DB: DB_SECRET_ARN } }, /^e2e-tls:appSecrets has DB, which e2e-tls:appEnvironment sets too/);
    });

    it("refuses a plain variable that carries a private key, a credential or a URL password, without echoing it", () => {
        const { privateKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
        const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
        const cases: [string, string, RegExp][] = [
            ["TLS_KEY", pem, /contains a PEM "PRIVATE KEY" block/],
            ["TLS_KEY_B64", Buffer.from(pem).toString("base64"), /contains a PEM "PRIVATE KEY" block \(base64 encoded\)/],
            ["AWS_SECRET_ACCESS_KEY", crypto.randomBytes(30).toString("base64"), /contains an AWS secret access key/],
            ["ECS_ENGINE_AUTH_DATA", "{}", /credential variable \(Security Hub ECS\.8\)/],
            ["DATABASE_URL", "postgres://shop:hunter2@db.internal:5432/shop", /is a URL with a password/],
            ["STRIPE_API_KEY", "sk_live_51Habc", /its name says it holds a secret/],
            ["jwtSecret", "s3cr3t", /its name says it holds a secret/],
        ];
        for (const [name, value, why] of cases) {
            const e = refuses({ appEnvironment: { [name]: value } }, new RegExp(`^e2e-tls:appEnvironment has ${name}, and .*${why.source} \\(value withheld\\).*e2e-tls:appSecrets\\.${name}\\.$`));
            assert.ok(!e.message.includes(value), `${name}'s value is in the message`);
        }
    });

    it("lets plain settings through: references under secret names, numbers, and names that only mention a secret", () => {
        accepts({ appEnvironment: { DB_PASSWORD_FILE: "/run/secrets/db", SECRET_ARN: DB_SECRET_ARN, TOKEN_URL: "https://auth.acme-corp.io/token",
            TOKEN_TTL: "3600", API_KEY_HEADER: "X-Api-Key", LOG_LEVEL: "info", EMPTY_TOKEN: "" } });
        assert.deepStrictEqual(["DB_PASSWORD", "apiToken", "GITHUB_TOKEN", "STRIPE_API_KEY", "TOKEN_TTL", "API_KEY_HEADER", "MONKEY"].map(nameSaysSecret),
            [true, true, true, true, false, false, false]);
        assert.strictEqual(secretShapedValue("PASSWORD", "arn:aws:ssm:us-east-1:123456789012:parameter/p"), undefined);
    });

    it("takes health-check codes in the matcher's syntax from 200 to 499, and a path that starts with /", () => {
        for (const codes of ["200", "200,204", "200-299", "401", "200-499"]) accepts({ appHealthCheckCodes: codes });
        for (const codes of ["199", "500", "200-200", "299-200", "200-299,302", "2xx", "200, 204", ""]) {
            if (codes === "") continue; // empty is unset: the default
            refuses({ appHealthCheckCodes: codes }, /^e2e-tls:appHealthCheckCodes is ".*"\. Use HTTP codes from 200 to 499/);
        }
        accepts({ appHealthCheckPath: "/ready?deep=1" });
        for (const p of ["ready", "/has space", `/${"a".repeat(1024)}`]) refuses({ appHealthCheckPath: p }, /^e2e-tls:appHealthCheckPath is .* Use a path that starts with "\/"/);
    });

    it("takes a port from 1024 to 65535 other than the backend port", () => {
        accepts({ appPort: 1024 });
        refuses({ appPort: 80 }, /^e2e-tls:appPort is 80\. Use a whole number from 1024 to 65535\./);
        refuses({ appPort: 9443, backendPort: 9443 }, /^e2e-tls:appPort is 9443, the same as e2e-tls:backendPort/);
    });

    it("takes a start command only on EC2, with your AMI, and without an image or container settings", () => {
        const start = { appImage: undefined, appStartCommand: "/opt/shop/bin/server", amiId: AMI };
        accepts(start);
        refuses({ ...start, appImage: APP_IMAGE }, /^e2e-tls:appStartCommand is set together with e2e-tls:appImage/);
        refuses({ ...start, amiId: undefined }, /^e2e-tls:appStartCommand is set without e2e-tls:amiId/);
        refuses({ ...start, compute: "ecs", natGateways: "single" }, /^e2e-tls:appStartCommand is set, but e2e-tls:compute is "ecs", which runs container images only/);
        refuses({ ...start, appCommand: ["x"] }, /^e2e-tls:appCommand is set with e2e-tls:appStartCommand: it is a container setting/);
        refuses({ ...start, appStartCommand: "run --db postgres://a:b@c/d" }, /^e2e-tls:appStartCommand holds a URL with a password \(value withheld\)/);
    });

    it("refuses application settings without an application, and the demo on ECS without NAT (its image is public)", () => {
        refuses({ appImage: undefined, appEnvironment: { A: "1" } }, /^e2e-tls:appEnvironment is set, but no application is: without e2e-tls:appImage or e2e-tls:appStartCommand the tier runs the demo/);
        refuses({ appImage: undefined, compute: "ecs", terminatorImage: APP_IMAGE }, /^e2e-tls:appImage is unset, so the ECS tier would run the demo application from public\.ecr\.aws\/docker\/library\/python:3\.12-alpine, which ECS cannot pull/);
        accepts({ appImage: undefined, appPort: 9000, appHealthCheckPath: "/" });
    });

    it("refuses on EC2 without NAT an image outside the stack region's ECR, with the terminator image's rule", () => {
        refuses({ appImage: "docker.io/acme/web:1" }, /^e2e-tls:appImage is "docker\.io\/acme\/web:1", which the EC2 instances cannot pull with e2e-tls:natGateways "none"/);
        accepts({ appImage: "docker.io/acme/web:1", natGateways: "single" });
    });

    it("reads environment and secret maps from config text, numbers as text, and refuses a value that is not text", () => {
        const c = validateConfig({ ...BASE, appEnvironment: '{"WORKERS":4,"DEBUG":false}' }, { region: "us-east-1" });
        assert.deepStrictEqual(c.appEnvironment, { WORKERS: "4", DEBUG: "false" });
        refuses({ appEnvironment: '{"A":{"b":1}}' }, /^e2e-tls:appEnvironment has "A" set to \{"b":1\}\. Use a string\./);
        refuses({ appSecrets: '["x"]' }, /^e2e-tls:appSecrets is "\[\\"x\\"\]"\. Use a map of names to strings/);
    });
});

describe("WebTier's application input", function () {
    this.timeout(60_000);

    it("maps every application input to its config key and refuses the config keys at the top level and unknown inputs", () => {
        assert.deepStrictEqual(toConfigKeys({ compute: "asg", application: { image: APP_IMAGE, port: 9000 } }), { compute: "asg", appImage: APP_IMAGE, appPort: 9000 });
        assert.throws(() => toConfigKeys({ appImage: APP_IMAGE }), /^ConfigError: appImage is not an input of the component: give it as application\.image/);
        assert.throws(() => toConfigKeys({ application: { imagee: APP_IMAGE } }), /^ConfigError: application\.imagee is not an application input\. Use: image, command, entryPoint, port/);
    });

    it("is validated like the config before WebTier registers anything", async () => {
        const err: any = await runProgram({
            stack: "dev",
            program: () => {
                // eslint-disable-next-line @typescript-eslint/no-var-requires
                const { WebTier } = require("../../components/web-tier");
                new WebTier("web", { mtlsClients: ["a"], application: { image: APP_IMAGE, healthCheckPath: "ready" } });
                return {};
            },
        }).then(() => assert.fail("WebTier accepted it"), e => e);
        assert.strictEqual(err.name, "ConfigError");
        assert.match(err.message, /^application\.healthCheckPath is "ready"/);
        assert.deepStrictEqual(err.registered.filter((r: any) => r.type !== "pulumi:pulumi:Stack"), []);
    });
});
