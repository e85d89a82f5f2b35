/**
 * What a person trusts the offline commands with: stack files are read as the Pulumi CLI reads
 * them or refused naming the file and line; any stack with a Pulumi.<stack>.yaml works in every
 * command; a list in `--config` is given the way the error message says; a long benchmark says
 * what it is doing; a command whose programs are missing says so at once and exits 2. In-process
 * calls where they prove it, one child process for an exit code.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCommandLine, UsageError } from "../../offline/commands/cli";
import { DEPLOYER_POLICY } from "../../offline/commands/deployer-policy";
import { EMIT_PKI } from "../../offline/commands/emit-pki";
import { configOverrides, PREVIEW } from "../../offline/commands/preview";
import { REHEARSE_ROTATION } from "../../offline/commands/rehearse-rotation";
import { PROJECT_DIR, readStackFile, STACK_FILE_KEYS, StackFileError } from "../../offline/engine/stack-file";
import { loadStackConfig, runProgram } from "../../offline/engine/run-program";
import { MissingProgramError } from "../../offline/loopback/programs";
import { rehearseRotation } from "../../offline/loopback/rotation";
import { runBenchmark } from "../../offline/analyzer/bench";
import { validateConfig } from "../../config/index";

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "entry-points-"));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** A folder holding one stack file `Pulumi.<stack>.yaml` with exactly `text`. */
function stackDir(stack: string, text: string): string {
    const dir = fs.mkdtempSync(path.join(TMP, `${stack}-`));
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}

const refusal = (stack: string, text: string): string => {
    try {
        loadStackConfig(stack, {}, stackDir(stack, text));
    } catch (e) {
        assert.ok(e instanceof StackFileError, String(e));
        return e.message;
    }
    assert.fail(`Pulumi.${stack}.yaml was accepted`);
};

describe("entry points: stack files", function () {
    this.timeout(60_000);

    it("names the file, line and column of a YAML syntax error", () => {
        assert.match(refusal("broken", "config:\n  aws:region: us-east-1\n  e2e-tls:mtlsClients: [ci-smoke\n"),
            /^Pulumi\.broken\.yaml:\d+:\d+: not valid YAML: /);
        assert.match(refusal("twice", "config:\n  e2e-tls:compute: asg\n  e2e-tls:compute: ecs\n"), /^Pulumi\.twice\.yaml:3:\d+: not valid YAML: duplicated mapping key/);
    });

    it("reads a config key without a namespace as the project's, as the Pulumi CLI does, and refuses one set both ways", () => {
        const config = loadStackConfig("bare", {}, stackDir("bare", "config:\n  aws:region: eu-west-1\n  compute: ecs\n  mtlsClients: [a, b]\n"));
        assert.equal(config["e2e-tls:compute"], "ecs");
        assert.equal(config["e2e-tls:mtlsClients"], '["a","b"]');
        assert.ok(!("compute" in config), "no key is left without its namespace");
        assert.equal(refusal("both", "config:\n  e2e-tls:compute: asg\n  compute: ecs\n"),
            "Pulumi.both.yaml:3: compute and e2e-tls:compute (line 2) are the same key: a key without a namespace is the project's, and the CLI would keep either value. Keep one.");
    });

    it("refuses a misspelt config: or any other top-level key a stack settings file does not have, and takes the five it has", () => {
        assert.match(refusal("typo", "# dev\nconfg:\n  e2e-tls:compute: ecs\n"),
            /^Pulumi\.typo\.yaml:2: "confg" is not a key of a stack settings file \(did you mean config\?\)\. Use secretsprovider, encryptedkey, encryptionsalt, config, environment /);
        assert.match(refusal("extra", "config:\n  aws:region: us-east-1\nstack: extra\n"), /^Pulumi\.extra\.yaml:3: "stack" is not a key of a stack settings file\. /);
        assert.match(refusal("list", "- config\n"), /^Pulumi\.list\.yaml: the file is a list\./);
        const all = STACK_FILE_KEYS.map((k) => (k === "config" ? "config:\n  aws:region: eu-west-1\n  other:key: 1" : `${k}: x`)).join("\n");
        assert.deepEqual(readStackFile("full", stackDir("full", all)), { "aws:region": "eu-west-1", "other:key": 1 }, "keys of other namespaces are the providers'");
        assert.deepEqual(readStackFile("empty", stackDir("empty", "# nothing set yet\n")), {});
    });

    it("names the stack file it looked for, and the ones it found, for a stack without one", () => {
        assert.throws(() => loadStackConfig("qa"), (e: Error) => e instanceof StackFileError
            && e.message === `there is no Pulumi.qa.yaml in ${PROJECT_DIR} (found Pulumi.dev.yaml, Pulumi.prod.yaml). Use one of: dev, prod, or add Pulumi.qa.yaml next to Pulumi.yaml`);
    });

    it("runs a stack of any name that has a stack file, and every command with --stack takes it and refuses one without", async () => {
        const dir = stackDir("staging", fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"));
        for (const spec of [PREVIEW, EMIT_PKI, DEPLOYER_POLICY, REHEARSE_ROTATION]) {
            const out = spec === EMIT_PKI ? ["--out", TMP] : [];
            assert.equal(parseCommandLine(spec, ["--stack", "staging", ...out], { cwd: TMP, stackDir: dir }).stack, "staging", spec.usage);
            assert.throws(() => parseCommandLine(spec, ["--stack", "qa", ...out], { cwd: TMP, stackDir: dir }),
                (e: Error) => e instanceof UsageError && e.message.startsWith(`--stack is "qa": there is no Pulumi.qa.yaml in ${dir} (found Pulumi.staging.yaml). Use one of: staging`), spec.usage);
        }
        const run = await runProgram({ stack: "staging", stackDir: dir });
        assert.ok(run.resources.some((r) => r.urn.startsWith("urn:pulumi:staging::e2e-tls::")), "the run is the staging stack's");
        assert.ok(run.resources.some((r) => r.type === "aws:lb/listener:Listener"), "with its listeners");
    });

    it("refuses an unknown key of the project's, namespaced or not, naming it, before any resource", async () => {
        const dir = stackDir("unknown", "config:\n  aws:region: us-east-1\n  computee: ecs\n");
        await assert.rejects(runProgram({ stack: "unknown", stackDir: dir }),
            (e: Error & { registered?: { type: string }[] }) => /^e2e-tls:computee is not a configuration key of this project\. Known keys: /.test(e.message)
                && e.registered!.every((r) => !r.type.startsWith("aws:")));
    });
});

describe("entry points: a list in --config", () => {
    const dev = { mtlsClients: '["ci-smoke"]' };

    it("refuses revokedSerials=01 with a message whose JSON form the offline preview's --config takes as given", () => {
        const given = configOverrides(["revokedSerials=01"], "e2e-tls")["e2e-tls:revokedSerials"];
        let message = "";
        assert.throws(() => validateConfig({ ...dev, revokedSerials: given }, { region: "us-east-1" }), (e: Error) => ((message = e.message), true));
        assert.match(message, /^e2e-tls:revokedSerials is "01"\. Use a list: as JSON, '\["01"\]' /);
        const suggested = /`--config '([^']+)'` offline/.exec(message)?.[1];
        assert.equal(suggested, 'revokedSerials=["01"]');
        const o = parseCommandLine(PREVIEW, ["--stack", "dev", "--config", suggested!]);
        const c = validateConfig({ ...dev, revokedSerials: configOverrides(o.config, "e2e-tls")["e2e-tls:revokedSerials"] }, { region: "us-east-1" });
        assert.deepEqual(c.revokedSerials, validateConfig({ ...dev, revokedSerials: ["01"] }, { region: "us-east-1" }).revokedSerials, "the same as the list itself");
    });

    it("refuses the --path form, which only `pulumi config set` takes, naming the JSON form", () => {
        assert.throws(() => parseCommandLine(PREVIEW, ["--stack", "dev", "--config", "revokedSerials[0]=01"]),
            (e: Error) => e instanceof UsageError && e.message === `--config is "revokedSerials[0]=01": a path (pulumi config set --path) is not taken here: give the whole list as JSON, e.g. --config 'revokedSerials=["01"]'`);
    });
});

describe("entry points: long runs and missing programs", function () {
    this.timeout(120_000);
    /** A PATH with node alone: where nginx, openssl, python3 and even bash are missing. */
    let nodeOnly: string;
    before(() => {
        nodeOnly = fs.mkdtempSync(path.join(TMP, "bin-"));
        fs.symlinkSync(process.execPath, path.join(nodeOnly, "node"));
    });

    it("reports the benchmark's progress a line per phase and round", async () => {
        const lines: string[] = [];
        await runBenchmark({ resources: 40, starts: 1, analyzeRounds: 2, stackRounds: 2, without: ["cloudfront"] }, (l) => lines.push(l));
        assert.deepEqual(lines, [
            "building the pack if it is stale", "start-ups: 1 of 1", "starting the 5 packs (full, without, perPolicy, floor, trivial)",
            "warm-up: every pack analyses the 40 resources once", "Analyze round 1 of 2 (20 resources)", "Analyze round 2 of 2 (20 resources)",
            "AnalyzeStack round 1 of 2", "AnalyzeStack round 2 of 2",
        ]);
    });

    it("refuses to rehearse a rotation without nginx before running anything, naming what is missing", async () => {
        const saved = process.env.PATH;
        process.env.PATH = nodeOnly;
        try {
            await assert.rejects(rehearseRotation({ stack: "dev" }), (e: Error) => e instanceof MissingProgramError
                && e.message.startsWith("The rotation rehearsal needs bash, nginx, openssl, python3, which are not on PATH."));
        } finally {
            process.env.PATH = saved;
        }
    });

    it("rehearse:rotation without nginx exits 2 at once with the message, and prints no rotation result", async () => {
        const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
            const child = spawn(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "offline/commands/rehearse-rotation.ts"], {
                cwd: PROJECT_DIR, env: { ...process.env, PATH: nodeOnly, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"],
            });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => (stdout += d));
            child.stderr.on("data", (d) => (stderr += d));
            child.on("error", reject);
            child.on("close", (code) => resolve({ code, stdout, stderr }));
        });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /^error: The rotation rehearsal needs bash, nginx, openssl, python3, which are not on PATH\. Install them \(Debian: sudo apt-get install bash nginx openssl python3\)/);
        assert.equal(r.stdout, "", "no rotation line: nothing was rehearsed");
    });
});
