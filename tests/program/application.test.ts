/**
 * The user's application in both compute modes, given only by stack config or only as WebTier's
 * `application` input: what the task definition and the instances run, how the load balancer
 * checks it, the IAM it adds (exactly its secrets and repositories), and that no secret value is
 * anywhere the program writes. The demo runs only when no application is given.
 */
import * as assert from "assert";
import { decodeUserData } from "../../components/compute/backend/user-data";
import { buildReport } from "../../offline/report/report";
import { ProgramRun } from "../../offline/engine/recorded";
import { runProgram } from "../../offline/engine/run-program";
import { ELBV2, TOKENS } from "../../policies/shared/tokens";
import { ofType, one, run, waitsFor } from "./support";
import {
    API_TOKEN_ARN, APP_IMAGE, APP_REPOSITORY_ARN, APPLICATION, APPLICATION_CONFIG, DB_PASSWORD_REF, DB_SECRET_ARN, FAKE_SECRET, FAKE_TOKEN, TERMINATOR_IMAGE,
} from "./support-application";

const EC2 = { "e2e-tls:compute": "asg", ...APPLICATION_CONFIG };
const ECS = { "e2e-tls:compute": "ecs", "e2e-tls:terminatorImage": TERMINATOR_IMAGE, ...APPLICATION_CONFIG };

/** The launch template's boot script, and the heredoc named `marker` in it. */
function bootScript(r: ProgramRun): string {
    return decodeUserData(one(r, TOKENS.launchTemplate).inputs.userData);
}
function heredoc(script: string, marker: string): string {
    const m = new RegExp(`<<'${marker}'\\n([\\s\\S]*?)\\n${marker}\\n`).exec(script);
    assert.ok(m, `no ${marker} heredoc`);
    return m![1];
}
function policy(r: ProgramRun, name: string): any[] {
    return JSON.parse(one(r, TOKENS.iamRolePolicy, name).inputs.policy).Statement;
}
function appContainer(r: ProgramRun): any {
    return JSON.parse(one(r, TOKENS.ecsTaskDefinition).inputs.containerDefinitions).find((c: any) => c.name === "app");
}
function interfaceEndpoints(r: ProgramRun): string[] {
    return ofType(r, TOKENS.vpcEndpoint).filter(e => e.inputs.vpcEndpointType === "Interface").map(e => e.inputs.serviceName.split(".").slice(3).join(".")).sort();
}

/** Exactly the two secrets' reads and their decryption, held to the store and the secret. */
function assertSecretGrant(statements: any[], parameterAction: string): void {
    assert.deepStrictEqual(statements, [
        { Sid: "ReadTheApplicationSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [DB_SECRET_ARN] },
        {
            Sid: "DecryptTheApplicationSecretsThroughTheirStore", Effect: "Allow", Action: "kms:Decrypt", Resource: ["arn:aws:kms:us-east-1:123456789012:key/*"],
            Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.us-east-1.amazonaws.com"], "kms:EncryptionContext:SecretARN": [DB_SECRET_ARN] } },
        },
        { Sid: "ReadTheApplicationParameters", Effect: "Allow", Action: parameterAction, Resource: [API_TOKEN_ARN] },
        {
            Sid: "DecryptTheApplicationParametersThroughTheirStore", Effect: "Allow", Action: "kms:Decrypt", Resource: ["arn:aws:kms:us-east-1:123456789012:key/*"],
            Condition: { StringEquals: { "kms:ViaService": ["ssm.us-east-1.amazonaws.com"], "kms:EncryptionContext:PARAMETER_ARN": [API_TOKEN_ARN] } },
        },
    ]);
}

/** No secret value in any input, output, the stack outputs or the offline report; no look-up read one. */
function assertNoSecretValue(r: ProgramRun): void {
    const report = JSON.stringify(buildReport(r, { pack: "e2e-tls-guard", version: "0", policiesEvaluated: 0, violations: [], remediations: [] }));
    const everything = [JSON.stringify(r.resources.map(x => [x.inputs, x.outputs])), JSON.stringify(r.outputs), report,
        ...ofType(r, TOKENS.launchTemplate).map(lt => decodeUserData(lt.inputs.userData))].join("\n");
    for (const value of [FAKE_SECRET, FAKE_TOKEN]) assert.ok(!everything.includes(value), "a secret value is in the stack");
    assert.deepStrictEqual(r.invokes.filter(i => /secretsmanager|getParameter/i.test(i.token) && i.inputs.name !== undefined && !String(i.inputs.name).startsWith("/aws/service/")), [],
        "the program reads no secret or parameter value");
    assert.ok(report.includes(DB_SECRET_ARN) && report.includes(API_TOKEN_ARN), "the report names where each secret comes from");
}

describe("the user's application on EC2, given by stack config", function () {
    this.timeout(120_000);
    const program = () => run("dev", EC2);

    it("writes the image, entry point, command, port, environment and secret references to the instances exactly, and no demo", async () => {
        const script = bootScript(await program());
        assert.deepStrictEqual(JSON.parse(heredoc(script, "APPCONFIG")), {
            image: APP_IMAGE,
            ecrLogin: { registry: "123456789012.dkr.ecr.us-east-1.amazonaws.com", region: "us-east-1" },
            entryPoint: APPLICATION.entryPoint,
            command: APPLICATION.command,
            port: 9000,
            environment: APPLICATION.environment,
            secrets: {
                API_TOKEN: { service: "ssm", arn: API_TOKEN_ARN, region: "us-east-1" },
                DB_PASSWORD: { service: "secretsmanager", arn: DB_SECRET_ARN, region: "us-east-1", jsonKey: "password" },
            },
        });
        const unit = heredoc(script.slice(script.indexOf("e2etls-app.service")), "UNIT");
        assert.match(unit, /^Requires=docker\.service$/m);
        assert.match(unit, /^ExecStart=\/usr\/local\/sbin\/e2etls-app-start \/etc\/e2etls\/app\.json$/m);
        assert.match(script, /\nretry 5 dnf install -y nginx python3 openssl docker\n/);
        assert.match(script, /proxy_pass http:\/\/127\.0\.0\.1:9000;/);
        for (const demo of ["ThreadingHTTPServer", "e2e-tls demo", "/opt/e2etls/app.py"]) assert.ok(!script.includes(demo), `demo code in user data: ${demo}`);
    });

    it("health-checks the given path with the given codes through the terminator", async () => {
        const tg = one(await program(), ELBV2.lb.targetGroup);
        assert.deepStrictEqual([tg.inputs.healthCheck.path, tg.inputs.healthCheck.matcher, tg.inputs.healthCheck.protocol], ["/ready", "200-299", "HTTPS"]);
    });

    it("lets the instance role read exactly the referenced secrets and pull exactly the image's repository, before the first instance", async () => {
        const r = await program();
        assertSecretGrant(policy(r, "web-read-app-secrets"), "ssm:GetParameter");
        assert.deepStrictEqual(policy(r, "web-pull-app-image"), [
            { Sid: "EcrAuthorizationTokenIsAccountWide", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            { Sid: "PullTheTierImages", Effect: "Allow", Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], Resource: [APP_REPOSITORY_ARN] },
        ]);
        const role = one(r, TOKENS.iamRole, "web-instance").outputs.name;
        for (const name of ["web-read-app-secrets", "web-pull-app-image"]) assert.strictEqual(one(r, TOKENS.iamRolePolicy, name).inputs.role, role);
        const deps = waitsFor(r, one(r, TOKENS.autoscalingGroup));
        for (const name of ["web-read-app-secrets", "web-pull-app-image"]) assert.ok(deps.has(one(r, TOKENS.iamRolePolicy, name).urn), `the group starts before ${name}`);
    });

    it("reaches ECR through its two endpoints without NAT, beside the mode's own (the agent's sns among them)", async () => {
        assert.deepStrictEqual(interfaceEndpoints(await program()), ["ec2messages", "ecr.api", "ecr.dkr", "secretsmanager", "sns", "ssm", "ssmmessages"]);
    });

    it("puts no secret value in user data, inputs, outputs or the report, and exports the application with its secrets' ARNs", async () => {
        const r = await program();
        assertNoSecretValue(r);
        assert.deepStrictEqual(r.outputs.application, {
            source: "image", image: APP_IMAGE, port: 9000, healthCheckPath: "/ready", healthCheckCodes: "200-299",
            secrets: { DB_PASSWORD: DB_PASSWORD_REF, API_TOKEN: API_TOKEN_ARN },
        });
    });
});

describe("the user's application on ECS, given by stack config", function () {
    this.timeout(120_000);
    const program = () => run("dev", ECS);

    it("runs the image with its entry point, command, environment and secrets in the task definition, and no demo", async () => {
        assert.deepStrictEqual(appContainer(await program()), {
            name: "app", image: APP_IMAGE, essential: true,
            entryPoint: APPLICATION.entryPoint, command: APPLICATION.command,
            environment: [{ name: "LOG_LEVEL", value: "info" }, { name: "SHOP_NAME", value: "Acme Shop" }],
            secrets: [{ name: "API_TOKEN", valueFrom: API_TOKEN_ARN }, { name: "DB_PASSWORD", valueFrom: DB_PASSWORD_REF }],
            logConfiguration: appContainer(await program()).logConfiguration,
        });
        const task = one(await program(), TOKENS.ecsTaskDefinition).inputs.containerDefinitions;
        assert.ok(!task.includes("python3"), "demo code in the task definition");
        const conf = Buffer.from(JSON.parse(task).find((c: any) => c.name === "tls").environment[0].value, "base64").toString();
        assert.match(conf, /proxy_pass http:\/\/127\.0\.0\.1:9000;/);
    });

    it("lets the execution role read exactly the secrets, pull exactly the two repositories and write its log group, with no managed policy", async () => {
        const r = await program();
        assertSecretGrant(policy(r, "web-read-app-secrets"), "ssm:GetParameters");
        const [token, pull, logs] = policy(r, "web-execution-policy");
        assert.strictEqual(token.Resource, "*");
        assert.deepStrictEqual(pull.Resource, ["arn:aws:ecr:us-east-1:123456789012:repository/mirror/nginx", APP_REPOSITORY_ARN]);
        assert.deepStrictEqual(logs.Resource, `${one(r, TOKENS.cloudwatchLogGroup).outputs.arn}:*`);
        assert.deepStrictEqual(ofType(r, TOKENS.iamRolePolicyAttachment).map(a => a.name), [], "the execution role has no managed policy");
        const deps = waitsFor(r, one(r, TOKENS.ecsService));
        for (const name of ["web-read-app-secrets", "web-execution-policy"]) assert.ok(deps.has(one(r, TOKENS.iamRolePolicy, name).urn), `the service starts before ${name}`);
    });

    it("adds the SSM endpoint for a parameter secret without NAT, and health-checks the given path and codes", async () => {
        const r = await program();
        assert.deepStrictEqual(interfaceEndpoints(r), ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"]);
        const tg = one(r, ELBV2.lb.targetGroup);
        assert.deepStrictEqual([tg.inputs.healthCheck.path, tg.inputs.healthCheck.matcher], ["/ready", "200-299"]);
    });

    it("puts no secret value in the task definition's environment, the inputs, outputs or the report", async () => {
        assertNoSecretValue(await program());
    });
});

describe("the user's application as WebTier's input, from any program", function () {
    this.timeout(120_000);
    for (const [compute, config] of [["asg", EC2], ["ecs", ECS]] as const) {
        it(`registers for ${compute} what the stack config registers: the same resources with the same inputs`, async () => {
            const viaInputs = await runProgram({
                stack: "dev",
                program: () => {
                    // eslint-disable-next-line @typescript-eslint/no-var-requires
                    const { WebTier } = require("../../components/web-tier");
                    const tier = new WebTier("web", {
                        compute, mtlsClients: ["ci-smoke"], minSize: 1, maxSize: 2, desiredSize: 1,
                        ...(compute === "ecs" ? { terminatorImage: TERMINATOR_IMAGE } : {}),
                        application: APPLICATION,
                    });
                    return { application: tier.application };
                },
            });
            const viaConfig = await run("dev", config);
            // Keys and certificates are fresh in every run; everything the application decides is not.
            const urns = (r: ProgramRun) => r.resources.filter(x => x.type !== TOKENS.stack).map(x => x.urn).sort();
            assert.deepStrictEqual(urns(viaInputs), urns(viaConfig));
            const decided = (r: ProgramRun) => [
                ...ofType(r, TOKENS.launchTemplate).map(lt => heredoc(bootScript(r), "APPCONFIG") + lt.inputs.description),
                ...ofType(r, TOKENS.ecsTaskDefinition).map(() => appContainer(r)),
                ...ofType(r, TOKENS.iamRolePolicy).map(p => [p.name, p.inputs.policy]),
                ...ofType(r, ELBV2.lb.targetGroup).map(tg => tg.inputs.healthCheck),
                interfaceEndpoints(r),
            ];
            assert.deepStrictEqual(decided(viaInputs), decided(viaConfig));
            assert.deepStrictEqual(viaInputs.outputs.application, viaConfig.outputs.application);
        });
    }
});

describe("the demo application, only when none is given", function () {
    this.timeout(120_000);

    it("runs the demo on both stacks, exports it as the demo, and the report names it a demo", async () => {
        for (const stack of ["dev", "prod"]) {
            const r = await run(stack);
            assert.strictEqual(r.outputs.application.source, "demo");
            assert.strictEqual(r.outputs.application.healthCheckPath, "/healthz");
            const report = buildReport(r, { pack: "e2e-tls-guard", version: "0", policiesEvaluated: 0, violations: [], remediations: [] });
            assert.match(report.application!.source, /^demo$/);
            assert.deepStrictEqual(report.application!.secrets, []);
        }
        assert.match(bootScript(await run("dev")), /Description=e2e-tls demo application/);
        assert.deepStrictEqual(appContainer(await run("prod")).command.slice(0, 2), ["python3", "-c"]);
    });
});
