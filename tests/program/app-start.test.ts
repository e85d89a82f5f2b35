/**
 * The EC2 application start script (components/compute/backend/app-start.py) run for real, with the
 * stub `aws` (offline/stub-aws/aws) as Secrets Manager, SSM and ECR, and a stub `docker` that
 * records each call: the secrets reach the application's environment, by name, and nothing else:
 * not a command line, not a file, not a message.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { applicationOf } from "../../components/compute/application";
import { APP_START_PATH, appStartConfig } from "../../components/compute/backend/user-data";
import { validateConfig } from "../../config/index";
import { tempDir } from "../../offline/loopback/processes";
import { STUB_AWS_DIR } from "../../offline/loopback/rotation";
import { requireTools } from "../tls/support/requires";
import {
    API_TOKEN_ARN, APP_IMAGE, APPLICATION_CONFIG, DB_PASSWORD_REF, DB_SECRET_ARN, FAKE_SECRET, FAKE_TOKEN, REGISTRY, stubSecretStore,
} from "./support-application";

interface DockerCall { argv: string[]; env: Record<string, string>; stdin: string }

/** The validated application of `config` (flat keys, as the stack gives them) as the start script reads it. */
function startConfig(config: Record<string, unknown>) {
    const raw = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^e2e-tls:/, ""), v]));
    return appStartConfig(applicationOf(validateConfig({ mtlsClients: ["a"], ...raw }, { region: "us-east-1" })));
}

describe("the EC2 application start script, with stub aws and docker", function () {
    this.timeout(30_000);
    let work: { dir: string; remove: () => void };
    let bin: string;
    let secrets: string;
    let calls: string;

    // The interpreter itself, not a wrapper (pyenv's shim puts its own bin, with a real `aws`, first on PATH).
    let python: string;

    before(function () {
        requireTools(this, "application start script (tests/program/app-start.test.ts)", ["python3"]);
        python = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
    });

    beforeEach(() => {
        work = tempDir("e2etls-app-start");
        bin = path.join(work.dir, "bin");
        secrets = path.join(work.dir, "secrets");
        calls = path.join(work.dir, "docker-calls.jsonl");
        fs.mkdirSync(bin);
        stubSecretStore(fs, path, secrets);
        // The script runs `docker run` with the application's variables only (no PATH): an absolute interpreter.
        fs.writeFileSync(path.join(bin, "docker"), `#!${process.execPath}
const fs = require("fs");
let stdin = "";
try { stdin = fs.readFileSync(0, "utf8"); } catch {}
fs.appendFileSync(${JSON.stringify(calls)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env, stdin }) + "\\n");
`, { mode: 0o755 });
    });

    afterEach(() => work.remove());

    function start(config: object, extraEnv: Record<string, string> = {}) {
        const file = path.join(work.dir, "app.json");
        fs.writeFileSync(file, JSON.stringify(config));
        const runtime = path.join(work.dir, "run");
        fs.mkdirSync(runtime, { recursive: true, mode: 0o700 });
        const r = spawnSync(python, [APP_START_PATH, file], {
            encoding: "utf8", input: "", timeout: 20_000,
            env: {
                PATH: [bin, STUB_AWS_DIR, process.env.PATH].join(path.delimiter), STUB_AWS_SECRETS_DIR: secrets,
                RUNTIME_DIRECTORY: runtime, ...extraEnv,
            },
        });
        const docker: DockerCall[] = fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n").map(l => JSON.parse(l)) : [];
        return { ...r, docker };
    }

    /** Every file the run left under the work folder, but the stub's own secret store. */
    function filesWritten(): string[] {
        const out: string[] = [];
        const walk = (d: string) => fs.readdirSync(d).forEach(e => {
            const p = path.join(d, e);
            if (p === secrets) return;
            if (fs.statSync(p).isDirectory()) walk(p); else out.push(p);
        });
        walk(work.dir);
        return out;
    }

    it("pulls the image with an ECR login on stdin, then runs it on 127.0.0.1 with the secrets passed by name only", () => {
        const r = start(startConfig(APPLICATION_CONFIG));
        assert.strictEqual(r.status, 0, r.stderr);
        const [login, pull, rm, run] = r.docker;
        const runtime = path.join(work.dir, "run");
        const base = ["--host", "unix:///var/run/docker.sock", "--config", path.join(runtime, "docker")];
        assert.deepStrictEqual(login.argv, [...base, "login", "--username", "AWS", "--password-stdin", REGISTRY]);
        assert.strictEqual(login.stdin.trim(), "stub-ecr-token-for-us-east-1", "the token goes on stdin, not the command line");
        assert.deepStrictEqual(pull.argv, [...base, "pull", APP_IMAGE]);
        assert.deepStrictEqual(rm.argv, [...base, "rm", "--force", "e2etls-app"]);
        assert.deepStrictEqual(run.argv, [...base, "run", "--rm", "--name", "e2etls-app", "--pull", "never", "--disable-content-trust",
            "--publish", "127.0.0.1:9000:9000", "--log-driver", "journald", "--security-opt", "no-new-privileges",
            "--env", "API_TOKEN", "--env", "DB_PASSWORD", "--env", "LOG_LEVEL", "--env", "SHOP_NAME",
            "--entrypoint", "/usr/bin/tini", APP_IMAGE, "--", "node", "server.js", "--port", "9000"]);
        const own = Object.fromEntries(["API_TOKEN", "DB_PASSWORD", "LOG_LEVEL", "SHOP_NAME"].map(k => [k, run.env[k]]));
        assert.deepStrictEqual(own, { API_TOKEN: FAKE_TOKEN, DB_PASSWORD: FAKE_SECRET, LOG_LEVEL: "info", SHOP_NAME: "Acme Shop" });
        assert.strictEqual(run.env.PATH, undefined, "docker run gets the application's variables, not the unit's");
        for (const call of r.docker) {
            for (const value of [FAKE_SECRET, FAKE_TOKEN]) assert.ok(!call.argv.join(" ").includes(value), `a secret is on the command line: ${call.argv[4]}`);
        }
        for (const other of [login, pull, rm]) assert.strictEqual(other.env.DB_PASSWORD, undefined, "a secret reached docker's own steps");
        assert.doesNotMatch(r.stdout + r.stderr, new RegExp(`${FAKE_SECRET}|${FAKE_TOKEN}`));
        for (const f of filesWritten().filter(f => f !== calls)) {
            const text = fs.readFileSync(f, "utf8");
            assert.ok(!text.includes(FAKE_SECRET) && !text.includes(FAKE_TOKEN), `${path.relative(work.dir, f)} holds a secret value`);
        }
    });

    it("logs in to no registry for a public image, and leaves the image's own entry point and command alone", () => {
        const r = start(startConfig({ "e2e-tls:natGateways": "single", "e2e-tls:appImage": "public.ecr.aws/acme/web:2" }));
        assert.strictEqual(r.status, 0, r.stderr);
        assert.deepStrictEqual(r.docker.map(c => c.argv[4]), ["pull", "rm", "run"]);
        assert.deepStrictEqual(r.docker[2].argv.slice(-1), ["public.ecr.aws/acme/web:2"]);
    });

    it("starts a baked application's command with the unit's environment, the variables and the secrets", () => {
        const r = start(startConfig({
            "e2e-tls:amiId": "ami-0123456789abcdef0", "e2e-tls:appStartCommand": "echo \"$SHOP_NAME:${#DB_PASSWORD}:$UNIT_VAR\"",
            "e2e-tls:appEnvironment": JSON.stringify({ SHOP_NAME: "Acme" }), "e2e-tls:appSecrets": JSON.stringify({ DB_PASSWORD: DB_PASSWORD_REF }),
        }), { UNIT_VAR: "from-unit" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(r.stdout.trim(), `Acme:${FAKE_SECRET.length}:from-unit`);
        assert.deepStrictEqual(r.docker, [], "a start command needs no container runtime");
    });

    it("reads a version by stage or id and a whole secret, as ECS's valueFrom suffix names them", () => {
        const dir = path.join(secrets, encodeURIComponent(DB_SECRET_ARN));
        fs.writeFileSync(path.join(dir, "AWSPREVIOUS"), "v-old\n");
        fs.writeFileSync(path.join(dir, "v-old.json"), JSON.stringify({ password: "old" }));
        const cmd = { "e2e-tls:amiId": "ami-0123456789abcdef0", "e2e-tls:appStartCommand": "echo \"$A|$B|$C\"" };
        const r = start(startConfig({
            ...cmd, "e2e-tls:appSecrets": JSON.stringify({
                A: `${DB_SECRET_ARN}:password:AWSPREVIOUS:`, B: `${DB_SECRET_ARN}:password::v-old`, C: DB_SECRET_ARN,
            }),
        }));
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(r.stdout.trim(), `old|old|${JSON.stringify({ username: "shop", password: FAKE_SECRET })}`);
    });

    it("fails, naming the variable and the ARN and no value, when a secret or its key cannot be read", () => {
        const cmd = { "e2e-tls:amiId": "ami-0123456789abcdef0", "e2e-tls:appStartCommand": "true" };
        const missingKey = start(startConfig({ ...cmd, "e2e-tls:appSecrets": JSON.stringify({ DB_USER: `${DB_SECRET_ARN}:user::` }) }));
        assert.strictEqual(missingKey.status, 1);
        assert.match(missingKey.stderr, /^e2etls-app: reading arn:aws:secretsmanager:.*shop\/db-AbCdEf for DB_USER: the secret has no JSON key "user"\n$/);
        assert.doesNotMatch(missingKey.stderr, new RegExp(FAKE_SECRET));
        const missing = start(startConfig({ ...cmd, "e2e-tls:appSecrets": JSON.stringify({ T: `${API_TOKEN_ARN}-gone` }) }));
        assert.strictEqual(missing.status, 1);
        assert.match(missing.stderr, /reading arn:aws:ssm:us-east-1:123456789012:parameter\/shop\/api-token-gone for T failed \(exit 254\): .*ParameterNotFound/);
    });
});
