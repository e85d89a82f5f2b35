/**
 * The offline preview names the application the tier serves (the demo as a demo, the user's image
 * or start command) and where each of its secrets is read from, by whom, in text, Markdown and
 * JSON, from the stack's own `application` output.
 */
import { strict as assert } from "assert";
import { renderMarkdown } from "../../offline/report/markdown";
import { PolicyReport } from "../../offline/report/model";
import { buildReport } from "../../offline/report/report";
import { paint, renderText } from "../../offline/report/text";
import { ProgramRun } from "../../offline/engine/recorded";
import { programRun } from "../program/support";
import { API_TOKEN_ARN, APP_IMAGE, APPLICATION_CONFIG, DB_SECRET_ARN, TERMINATOR_IMAGE } from "../program/support-application";

const CLEAN: PolicyReport = { pack: "e2e-tls-guard", version: "0.1.0", policiesEvaluated: 28, violations: [], remediations: [] };

describe("offline preview: the application", function () {
    this.timeout(120_000);
    let dev: ProgramRun;
    let ec2App: ProgramRun;
    let ecsApp: ProgramRun;
    let baked: ProgramRun;

    before(async () => {
        dev = await programRun({ stack: "dev", preview: true });
        ec2App = await programRun({ stack: "dev", preview: true, config: APPLICATION_CONFIG });
        ecsApp = await programRun({ stack: "dev", preview: true, config: { ...APPLICATION_CONFIG, "e2e-tls:compute": "ecs", "e2e-tls:terminatorImage": TERMINATOR_IMAGE } });
        baked = await programRun({
            stack: "dev", preview: true,
            config: { "e2e-tls:amiId": "ami-0123456789abcdef0", "e2e-tls:appStartCommand": "/opt/shop/bin/server\n--quiet" },
        });
    });

    it("names the demo as a demo, with no secrets, in text and Markdown", () => {
        const report = buildReport(dev, CLEAN);
        assert.deepEqual(report.application, { source: "demo", port: 8080, healthCheck: { path: "/healthz", codes: "200" }, secrets: [] });
        const text = renderText(report, paint(false));
        assert.match(text, /\n  the application\n    demo application \(the project's Python demo\): no application given, see docs\/application\.md; plain HTTP on port 8080 behind the terminator; health check \/healthz → 200\n    secrets: none\n/);
        assert.match(renderMarkdown(report), /#### The application\n\n⚠️ demo application/);
    });

    it("names the image and each secret's source, read by the instance role at start on EC2", () => {
        const report = buildReport(ec2App, CLEAN);
        assert.deepEqual(report.application!.secrets, [
            { name: "API_TOKEN", arn: API_TOKEN_ARN, from: `SSM parameter ${API_TOKEN_ARN}` },
            { name: "DB_PASSWORD", arn: `${DB_SECRET_ARN}:password::`, from: `Secrets Manager secret ${DB_SECRET_ARN} (JSON key "password")` },
        ]);
        const text = renderText(report, paint(false));
        assert.ok(text.includes(`    image ${APP_IMAGE}; plain HTTP on port 9000 behind the terminator; health check /ready → 200-299\n`), text);
        assert.ok(text.includes("    secrets, read by the instance role, when the application starts (the e2etls-app unit's start script); never in user data:\n"));
        assert.ok(text.includes(`    - DB_PASSWORD ← Secrets Manager secret ${DB_SECRET_ARN} (JSON key "password")\n`));
        const md = renderMarkdown(report);
        assert.ok(md.includes("| `API_TOKEN` | SSM parameter arn:aws:ssm:us-east-1:123456789012:parameter/shop/api-token |"), md);
    });

    it("says on ECS that the task execution role reads the secrets when each task starts", () => {
        assert.match(buildReport(ecsApp, CLEAN).application!.secretsReadBy!, /^the ECS task execution role, when each task starts/);
    });

    it("names a baked AMI's start command, printing its line breaks as text", () => {
        const text = renderText(buildReport(baked, CLEAN), paint(false));
        assert.ok(text.includes('    start command "/opt/shop/bin/server\\n--quiet" on the tier\'s AMI; plain HTTP on port 8080'), text);
    });

    it("leaves the application out for a stack without the output", () => {
        const { application: _, ...outputs } = dev.outputs;
        assert.equal(buildReport({ ...dev, outputs }, CLEAN).application, undefined);
    });
});
