/**
 * Every offline command refuses bad input the same way (offline/commands/cli.ts): a table of the
 * commands, each run as a child process for an unknown flag, --help, a bad value and an output it
 * cannot write; then the parser itself, called directly over each command's declared flags.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CommandSpec, OutputError, parseCommandLine, UsageError, usage, writeOutput } from "../../offline/commands/cli";
import { BENCH_POLICIES } from "../../offline/commands/bench-policies";
import { ISSUE_10_MODULES } from "../../offline/analyzer/rule-modules";
import { DEPLOYER_POLICY } from "../../offline/commands/deployer-policy";
import { EMIT_PKI } from "../../offline/commands/emit-pki";
import { configOverrides, PREVIEW } from "../../offline/commands/preview";
import { PREVIEW_SARIF } from "../../offline/commands/preview-sarif";
import { REHEARSE_ROTATION } from "../../offline/commands/rehearse-rotation";
import { runOfflineCommand } from "./spawn";

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "offline-commands-"));
const A_FILE = path.join(TMP, "a-file");
fs.writeFileSync(A_FILE, "");
const MISSING = path.join(TMP, "missing-folder");

after(() => fs.rmSync(TMP, { recursive: true, force: true }));

const command = runOfflineCommand;

interface Case {
    readonly script: string;
    readonly spec: CommandSpec;
    /** A bad value, and the message naming the flag and the value. */
    readonly bad: readonly [string[], RegExp];
    /** An output that cannot be written, and the message naming the path. */
    readonly unwritable: readonly [string[], RegExp];
}

const CASES: Case[] = [
    {
        script: "preview", spec: PREVIEW,
        bad: [["--stack", "qa"], /error: --stack is "qa": there is no Pulumi\.qa\.yaml in \S+ \(found Pulumi\.dev\.yaml, Pulumi\.prod\.yaml\)\. Use one of: dev, prod, or add Pulumi\.qa\.yaml next to Pulumi\.yaml/],
        unwritable: [["--stack", "dev", "--markdown", path.join(MISSING, "p.md")], /error: --markdown \S*missing-folder\/p\.md cannot be written: its folder does not exist/],
    },
    {
        script: "emit-pki", spec: EMIT_PKI,
        bad: [["--stack", "dev prod", "--out", TMP], /error: --stack is "dev prod": there is no Pulumi\.dev prod\.yaml in \S+ \(found Pulumi\.dev\.yaml, Pulumi\.prod\.yaml\)/],
        unwritable: [["--out", path.join(A_FILE, "pki")], /error: --out \S*a-file\/pki cannot be written: \S*a-file is not a directory/],
    },
    {
        script: "rehearse-rotation", spec: REHEARSE_ROTATION,
        bad: [["--requests", "abc"], /error: --requests is "abc": use a whole number from 1 to 2000/],
        unwritable: [["--out", TMP], /error: --out \S+ cannot be written: it is a directory/],
    },
    {
        script: "bench-policies", spec: BENCH_POLICIES,
        bad: [["--resources", "1.5"], /error: --resources is "1\.5": use a whole number 1 or more/],
        unwritable: [["--out", path.join(MISSING, "bench.json")], /error: --out \S*missing-folder\/bench\.json cannot be written: its folder does not exist/],
    },
    {
        script: "preview-sarif", spec: PREVIEW_SARIF,
        bad: [["--events", A_FILE, "--stack", "a/b/c/d"], /error: --stack is "a\/b\/c\/d": use a stack name as pulumi --stack takes it: name, org\/name or org\/project\/name/],
        unwritable: [["--events", A_FILE, "--stack", "dev", "--sarif", TMP], /error: --sarif \S+ cannot be written: it is a directory/],
    },
    {
        script: "deployer-policy", spec: DEPLOYER_POLICY,
        bad: [["--stack", "prod", "--account", "12345"], /error: --account is "12345": use a 12-digit account id/],
        unwritable: [["--stack", "prod", "--out", path.join(A_FILE, "p.json")], /error: --out \S*a-file\/p\.json cannot be written: its folder is not a directory/],
    },
];

describe("offline commands: refusing bad input", function () {
    this.timeout(120_000);

    for (const c of CASES) {
        it(`${c.script}: an unknown flag and a bad value exit 2 naming them, --help exits 0 with the usage, an unwritable output exits 2 naming the path`, async () => {
            const [unknown, help, bad, unwritable] = await Promise.all([
                command(c.script, ["--bogus"]), command(c.script, ["--help"]), command(c.script, c.bad[0]), command(c.script, c.unwritable[0]),
            ]);
            assert.equal(unknown.code, 2, unknown.stderr);
            assert.match(unknown.stderr, /^error: unknown flag --bogus\n\nusage: /);
            assert.equal(help.code, 0, help.stderr);
            assert.equal(help.stdout, usage(c.spec) + "\n");
            assert.equal(bad.code, 2, bad.stderr);
            assert.match(bad.stderr, c.bad[1]);
            assert.equal(unwritable.code, 2, unwritable.stderr);
            assert.match(unwritable.stderr, c.unwritable[1]);
            assert.ok(!fs.existsSync(MISSING), "nothing was created on the way");
        });
    }

    it("bench-policies refuses a --without that names something other than rule modules, exit 2 naming the flag and the value", async () => {
        const r = await command("bench-policies", ["--without", "classic-elb,nope"]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /^error: --without is "classic-elb,nope": "nope" is not a rule module; use comma-separated rule modules of policies\/rules, each once: acmpca, /);
    });

    it("preview --json prints a usage error as the documented JSON document on stdout, and still exits 2", async () => {
        const r = await command("preview", ["--json", "--stack", "dev", "--rate", "0"]);
        assert.equal(r.code, 2);
        const doc = JSON.parse(r.stdout);
        assert.deepEqual(doc.error, { kind: "usage", flag: "--rate", message: "unknown flag --rate" });
        assert.equal(doc.schemaVersion, 1);
        assert.equal(doc.stack, "dev", "the document names the stack the command line gave");
    });

    it("preview refuses a Markdown path it cannot write before the run, even when the run would have mandatory violations", async () => {
        const config = path.join(TMP, "mtls-mandatory.json");
        fs.writeFileSync(config, JSON.stringify({ "alb-listener-mtls-required": { enforcementLevel: "mandatory", requireVerify: true } }));
        const r = await command("preview", ["--stack", "dev", "--config", "mtlsMode=off", "--policy-config", config, "--json", "--markdown", path.join(MISSING, "x.md")]);
        assert.equal(r.code, 2, r.stderr);
        assert.doesNotMatch(r.stderr, /running index\.ts/, "refused before the program ran");
        assert.deepEqual(JSON.parse(r.stdout).error, {
            kind: "output", flag: "--markdown", value: path.join(MISSING, "x.md"),
            message: `--markdown ${path.join(MISSING, "x.md")} cannot be written: its folder does not exist`,
        });
    });
});

describe("offline commands: an output that fails after the run", function () {
    this.timeout(120_000);

    it("preview exits 2, not 0 or 1, when the Markdown cannot be written after a run with a mandatory violation", async function () {
        // /dev/full passes every check before the run (it exists and is writable) and fails every write (ENOSPC).
        if (!fs.existsSync("/dev/full")) this.skip();
        const config = path.join(TMP, "mtls-mandatory-late.json");
        fs.writeFileSync(config, JSON.stringify({ "alb-listener-mtls-required": { enforcementLevel: "mandatory", requireVerify: true } }));
        const r = await command("preview", ["--stack", "dev", "--config", "mtlsMode=off", "--policy-config", config, "--markdown", "/dev/full"]);
        assert.match(r.stderr, /1 mandatory and \d+ other violation/, "the run finished");
        assert.match(r.stderr, /error: --markdown \/dev\/full cannot be written: ENOSPC/);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stdout, "", "no report is printed as if the run had succeeded");
    });
});

describe("offline commands: the parser", () => {
    it("lists every declared flag, and --help, in each command's usage", () => {
        for (const c of CASES) {
            const text = usage(c.spec);
            for (const name of [...Object.keys(c.spec.flags), "help"]) assert.match(text, new RegExp(`^  --${name}\\b`, "m"), `${c.script} --${name}`);
            assert.match(text, /^exit codes: /m);
        }
    });

    it("refuses a whole-number flag given anything but a whole number in its range, naming the flag and the value", () => {
        for (const raw of ["abc", "0", "1.5", "2001", "1e3", " 5"]) {
            assert.throws(() => parseCommandLine(REHEARSE_ROTATION, [`--requests=${raw}`]),
                (e: Error) => e instanceof UsageError && e.flag === "--requests" && e.value === raw && e.message.startsWith(`--requests is ${JSON.stringify(raw)}: `), raw);
        }
        assert.throws(() => parseCommandLine(REHEARSE_ROTATION, ["--rate", "-5"]), /^UsageError: --rate is "-5": use a whole number 1 or more$/);
        assert.throws(() => parseCommandLine(PREVIEW, ["--markdown", "-x.md", "--stack", "dev"]), /--markdown needs a value \(to give one starting with "-", write --markdown=<value>\)/);
        assert.equal(parseCommandLine(REHEARSE_ROTATION, ["--requests", "2000", "--rate", "25"]).requests, 2000);
    });

    it("takes --without as rule module names, each once, and refuses an unknown, empty or repeated one naming the flag and the value", () => {
        assert.deepEqual(parseCommandLine(BENCH_POLICIES, ["--without", "cloudfront,kubernetes"]).without, ["cloudfront", "kubernetes"]);
        assert.deepEqual(parseCommandLine(BENCH_POLICIES, []).without, ISSUE_10_MODULES);
        for (const [raw, why] of [["hop-values", /"hop-values" is not a rule module/], ["cloudfront,,kubernetes", /an empty name/], ["cloudfront,cloudfront", /"cloudfront" twice/]] as const) {
            assert.throws(() => parseCommandLine(BENCH_POLICIES, ["--without", raw]),
                (e: Error) => e instanceof UsageError && e.flag === "--without" && e.value === raw && why.test(e.message), raw);
        }
    });

    it("takes --shape-sizes as at least two increasing sizes of 16 or more, and refuses others naming the flag and the value", () => {
        assert.deepEqual(parseCommandLine(BENCH_POLICIES, ["--shape-sizes", "1000,4000"])["shape-sizes"], [1000, 4000]);
        assert.deepEqual(parseCommandLine(BENCH_POLICIES, [])["shape-sizes"], [4000, 16000, 64000]);
        for (const [raw, why] of [["4000", /at least two/], ["4000,abc", /"abc" is not a whole number of 16 or more/], ["8,4000", /"8" is not a whole number/],
            ["16000,4000", /increasing order/], ["4000,4000", /increasing order/], ["4000,", /"" is not a whole number/]] as const) {
            assert.throws(() => parseCommandLine(BENCH_POLICIES, ["--shape-sizes", raw]),
                (e: Error) => e instanceof UsageError && e.flag === "--shape-sizes" && e.value === raw && why.test(e.message), raw);
        }
    });

    it("refuses a missing value, a value on a boolean flag, a bare argument and a flag given twice", () => {
        assert.throws(() => parseCommandLine(PREVIEW, ["--stack"]), /^UsageError: --stack needs a value$/);
        assert.throws(() => parseCommandLine(PREVIEW, ["--stack", "--json"]), /--stack needs a value/);
        assert.throws(() => parseCommandLine(PREVIEW, ["--stack", "dev", "--json=yes"]), /--json takes no value/);
        assert.throws(() => parseCommandLine(PREVIEW, ["--stack", "dev", "extra"]), /unexpected argument "extra"/);
        assert.throws(() => parseCommandLine(PREVIEW, ["--stack", "dev", "--stack", "prod"]), /--stack is given twice/);
        assert.throws(() => parseCommandLine(PREVIEW, []), /--stack is required/);
        assert.throws(() => parseCommandLine(PREVIEW, ["--stack", "dev", "--config", "azCount"]), /--config is "azCount": use <namespace:key>=<value>/);
    });

    it("answers --help (or -h) before checking values, required flags or outputs", () => {
        for (const c of CASES) assert.deepEqual(parseCommandLine(c.spec, ["-h"]), { help: true }, c.script);
        assert.deepEqual(parseCommandLine(PREVIEW, ["--stack", "qa", "--markdown", path.join(MISSING, "x.md"), "--help"]), { help: true });
    });

    it("collects repeated --config pairs, puts a bare key in the project's namespace, and resolves paths against the caller's directory", () => {
        const o = parseCommandLine(PREVIEW, ["--stack", "dev", "--config", "e2e-tls:compute=ecs", "--config=mtlsMode=off", "--markdown", "out.md", "--emit-pki", "pki"], { cwd: TMP });
        assert.deepEqual(configOverrides(o.config, "e2e-tls"), { "e2e-tls:compute": "ecs", "e2e-tls:mtlsMode": "off" });
        assert.equal(o.markdown, path.join(TMP, "out.md"));
        assert.equal(o["emit-pki"], path.join(TMP, "pki"));
        assert.equal(o.json, false);
    });

    it("turns a write that fails after the run into an error naming the flag and the path", () => {
        assert.throws(() => writeOutput("--markdown", path.join(MISSING, "late.md"), "x"),
            (e: Error) => e instanceof OutputError && e.flag === "--markdown" && /--markdown \S+late\.md cannot be written: ENOENT/.test(e.message));
    });
});
