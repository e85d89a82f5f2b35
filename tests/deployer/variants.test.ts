/**
 * The runs the deployer policy is generated from (offline/deployer-policy/scope.ts variants()):
 * both compute modes with and without NAT, a revoked serial, a partner, and an application in each
 * mode (an ECR image with secrets from Secrets Manager, whole and by JSON key, and from Parameter
 * Store; a start command on a baked AMI), each with what it adds; and a stack's own application
 * kept wherever its mode takes it, so the variants run for any valid configuration.
 */
import { strict as assert } from "assert";
import { ACCOUNT_ID } from "../../offline/engine/mocks";
import { stackPolicyScope, VariantRun, variants } from "../../offline/deployer-policy/policy";
import { SAMPLE_START_COMMAND, sampleImages, sampleSecrets } from "../../offline/deployer-policy/samples";
import { parseSecretReference } from "../../components/compute/secret-references";
import { validateConfig } from "../../config/index";
import { loadStackConfig, PROJECT, runProgram } from "../../offline/engine/run-program";
import { TOKENS } from "../../policies/shared/tokens";
import { STACKS, variantRuns } from "./runs";

describe("deployer policy variants", function () {
    this.timeout(300_000);
    const vruns: Record<string, VariantRun[]> = {};

    before(async () => {
        for (const stack of STACKS) {
            vruns[stack] = await variantRuns(stack);
        }
    });

    const APPLICATION_VARIANTS = [
        "asg, no NAT, application image and secrets", "asg, NAT, application image and secrets",
        "ecs, no NAT, application image and secrets", "ecs, NAT, application image and secrets",
        "asg, no NAT, start command on a baked AMI and secrets",
    ];

    it("covers both compute modes, NAT or not, a revoked serial where the stack's CA signs CRLs, a bring-your-own-key partner, and an application in each mode", () => {
        const label = (c: Record<string, string>) => c["e2e-tls:compute"] ?? (c["e2e-tls:revokedSerials"] ? "revocation" : c["e2e-tls:mtlsClientCsrs"] ? "partner" : "?");
        assert.deepEqual(variants("dev").map(v => label(v.config)), ["asg", "asg", "ecs", "ecs", "revocation", "partner", "asg", "asg", "ecs", "ecs", "asg"]);
        assert.deepEqual(variants("prod").map(v => v.config["e2e-tls:natGateways"]), ["none", "single", "none", "single", undefined, "none", "single", "none", "single", "none"]);
        assert.deepEqual(variants("dev").map(v => v.label), [
            "asg, no NAT", "asg, NAT", "ecs, no NAT", "ecs, NAT", "a revoked serial", "a bring-your-own-key partner", ...APPLICATION_VARIANTS,
        ]);
    });

    it("runs the application variants with a private ECR image of the stack's region, secrets from Secrets Manager (whole and one JSON key) and Parameter Store, or a start command on a baked AMI, and the endpoints each needs without NAT", () => {
        for (const stack of STACKS) {
            const region = loadStackConfig(stack)["aws:region"];
            const secrets = Object.values(sampleSecrets(region)).map(v => parseSecretReference(v)!);
            assert.deepEqual(secrets.map(r => [r.service, r.jsonKey ?? ""]), [["secretsmanager", ""], ["secretsmanager", "password"], ["ssm", ""]]);
            for (const label of APPLICATION_VARIANTS) {
                const { run, variant } = vruns[stack].find(v => v.variant.label === label)!;
                const app = run.outputs.application;
                assert.deepEqual(app.secrets, sampleSecrets(region), `${stack} ${label}: the application's secrets`);
                if (label.includes("start command")) {
                    assert.deepEqual([app.source, app.startCommand, variant.config["e2e-tls:amiId"]], ["start-command", SAMPLE_START_COMMAND, "ami-0123456789abcdef0"]);
                } else {
                    assert.deepEqual([app.source, app.image], ["image", sampleImages(stack, region).appImage], `${stack} ${label}`);
                    assert.ok(app.image.startsWith(`${ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/`));
                }
                const endpoints = run.resources.filter(r => r.type === TOKENS.vpcEndpoint).map(r => String(r.inputs.serviceName).split(`${region}.`)[1]);
                const expected = !label.includes("no NAT") ? ["s3"]
                    : label.startsWith("ecs") ? ["ecr.api", "ecr.dkr", "logs", "s3", "secretsmanager", "ssm"]
                        : label.includes("image") ? ["ec2messages", "ecr.api", "ecr.dkr", "s3", "secretsmanager", "sns", "ssm", "ssmmessages"]
                            : ["ec2messages", "s3", "secretsmanager", "sns", "ssm", "ssmmessages"];
                assert.deepEqual(endpoints.sort(), expected, `${stack} ${label}: endpoints`);
            }
        }
    });

    it("keeps a stack's own application in the variants where its mode takes it, and replaces only what a mode refuses, so every variant passes config validation", () => {
        const region = loadStackConfig("dev")["aws:region"];
        const own = {
            "e2e-tls:natGateways": "single", "e2e-tls:appImage": "ghcr.io/acme/shop:2.0",
            "e2e-tls:appSecrets": JSON.stringify({ DB: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:shop/db-AbCdEf`, EU: `arn:aws:ssm:eu-west-1:${ACCOUNT_ID}:parameter/shop/eu` }),
        };
        const baked = { "e2e-tls:amiId": "ami-0fedcba9876543210", "e2e-tls:appStartCommand": "/srv/shop --port 8080",
            "e2e-tls:appSecrets": JSON.stringify({ DB: `arn:aws:secretsmanager:${region}:${ACCOUNT_ID}:secret:shop/db-AbCdEf` }) };
        for (const base of [{}, own, baked]) {
            for (const v of variants("dev", base)) {
                const config = loadStackConfig("dev", v.config);
                const raw = Object.fromEntries(Object.entries(config).filter(([k]) => k.startsWith("e2e-tls:")).map(([k, x]) => [k.slice("e2e-tls:".length), x]));
                assert.doesNotThrow(() => validateConfig(raw, { region, placeholders: "report" }), `${v.label} of ${JSON.stringify(base)}`);
            }
        }
        const ownVariants = variants("dev", own);
        assert.equal(ownVariants.find(v => v.label === "asg, NAT")!.config["e2e-tls:appImage"], "ghcr.io/acme/shop:2.0", "the stack's own image where NAT reaches it");
        assert.equal(ownVariants.find(v => v.label === "asg, no NAT")!.config["e2e-tls:appImage"], sampleImages("dev", region).appImage);
        assert.deepEqual(Object.keys(JSON.parse(ownVariants.find(v => v.label === "ecs, no NAT")!.config["e2e-tls:appSecrets"])), ["DB"], "a secret of another region is out of reach without NAT");
        assert.equal(loadStackConfig("dev", variants("dev", baked).find(v => v.label === "asg, NAT")!.config)["e2e-tls:appStartCommand"], "/srv/shop --port 8080", "the start command stays on EC2");
        assert.equal(variants("dev", baked).find(v => v.label === "ecs, NAT")!.config["e2e-tls:appStartCommand"], "");
    });

    it("runs a stack whose configured boundary is a policy of the user's account: the runs name it in the mocks' account, the scope keeps it", async () => {
        const base = { "e2e-tls:permissionsBoundaryArn": "arn:aws:iam::210987654321:policy/platform/web-boundary" };
        const all = variants("dev", base);
        assert.ok(all.every(v => v.config["e2e-tls:permissionsBoundaryArn"] === `arn:aws:iam::${ACCOUNT_ID}:policy/platform/web-boundary`));
        const run = await runProgram(all[0]);
        assert.ok(run.resources.filter(r => r.type === TOKENS.iamRole).every(r => r.inputs.permissionsBoundary === `arn:aws:iam::${ACCOUNT_ID}:policy/platform/web-boundary`));
        assert.equal(stackPolicyScope(PROJECT, "dev", "210987654321", "us-east-1", base).boundaryArn, base["e2e-tls:permissionsBoundaryArn"]);
    });
});
