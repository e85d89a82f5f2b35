import * as assert from "assert";
import { loadStackConfig, RunOptions, runProgram } from "../../offline/engine/run-program";
import { shared } from "../setup/shared-runs";
import { ProgramRun, RecordedResource } from "../../offline/engine/recorded";
import { AwsMocks } from "../../offline/engine/mocks";
import { FUNCTIONS } from "../../policies/shared/tokens";
import { decodeUserData } from "../../components/compute/backend/user-data";
import { webcrypto } from "crypto";
import { ISSUE_TIME_ENV, x509 } from "../../offline/engine/x509-build";

export const STACKS = ["dev", "prod"] as const;
export const COMPUTES = ["asg", "ecs"] as const;

/**
 * Overrides that run a stack with the given compute. ECS on a stack without NAT also gets one NAT
 * gateway: its default images come from ECR Public through the pull-through cache, whose first pull
 * needs a NAT route, and config validation refuses the combination (see docs/deploying.md, "Why prod has NAT").
 */
export function computeConfig(stack: string, compute: (typeof COMPUTES)[number]): Record<string, string> {
    const natless = (loadStackConfig(stack)["e2e-tls:natGateways"] ?? "none") === "none";
    return { "e2e-tls:compute": compute, ...(compute === "ecs" && natless ? { "e2e-tls:natGateways": "single" } : {}) };
}

/** The key a run is shared under: everything in `opts` that changes what the program registers. */
export function runKey(opts: RunOptions): string {
    if (opts.program !== undefined && typeof opts.program !== "string") throw new Error("a run of a program given as a function is not shared: call runProgram");
    const config = Object.entries(opts.config ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify(["program", opts.stack, config, opts.preview ?? false, opts.placeholders ?? "report", opts.program ?? null]);
}

/**
 * The program's run with these options, computed once per suite run and shared between tests and
 * test processes (tests/setup/shared-runs.ts): each call gets a fresh copy, so a test may change
 * it. For runs that must be made anew (a second run to compare with, a run at another time), call
 * runProgram.
 */
export function programRun(opts: RunOptions): Promise<ProgramRun> {
    return shared(runKey(opts), () => runProgram(opts));
}

/** Runs the program once per stack, compute mode and overrides, and shares the run between tests. */
export function run(stack: string, config: Record<string, string> = {}): Promise<ProgramRun> {
    return programRun({ stack, config });
}

export function ofType(r: ProgramRun, type: string): RecordedResource[] {
    return r.resources.filter(x => x.type === type);
}

export function one(r: ProgramRun, type: string, name?: string): RecordedResource {
    const found = ofType(r, type).filter(x => name === undefined || x.name === name);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
    return found[0];
}

/** The resource whose output `attr` equals `value` (how a program's reference is followed). */
export function byOutput(r: ProgramRun, attr: string, value: unknown): RecordedResource | undefined {
    return r.resources.find(x => x.custom && (attr === "id" ? x.id : x.outputs[attr]) === value);
}

export const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Every string in a value, with base64 strings also decoded. */
export function strings(v: unknown): string[] {
    if (typeof v === "string") {
        const out = [v];
        if (/^[A-Za-z0-9+/=\s]{40,}$/.test(v)) out.push(decodeUserData(v));
        return out;
    }
    if (Array.isArray(v)) return v.flatMap(strings);
    if (v && typeof v === "object") return Object.values(v).flatMap(strings);
    return [];
}

/**
 * URNs a resource waits for: its dependencies and property dependencies, followed transitively,
 * which is what the engine orders creation by.
 */
export function waitsFor(r: ProgramRun, resource: RecordedResource): Set<string> {
    const byUrn = new Map(r.resources.map(x => [x.urn, x]));
    const seen = new Set<string>();
    const next = (x: RecordedResource) => [...x.dependencies, ...Object.values(x.propertyDependencies).flat()];
    const queue = next(resource);
    while (queue.length > 0) {
        const urn = queue.pop()!;
        if (seen.has(urn)) continue;
        seen.add(urn);
        const dep = byUrn.get(urn);
        if (dep) queue.push(...next(dep));
    }
    return seen;
}

/** Fails naming each of `required` that `resource` does not wait for. */
export function assertWaitsFor(r: ProgramRun, resource: RecordedResource, required: RecordedResource[], what: string): void {
    assert.ok(required.length > 0, `no ${what} found to check ${resource.name} against`);
    const deps = waitsFor(r, resource);
    const missing = required.filter(x => !deps.has(x.urn)).map(x => `${x.type} ${x.name}`);
    assert.deepStrictEqual(missing, [], `${resource.type} ${resource.name} can start before its ${what}: ${missing.join(", ")}`);
}

/** The SSM parameter Amazon Linux 2023 publishes its latest AMI of an architecture under. */
export const al2023Parameter = (arch: "arm64" | "x86_64") => `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;

/**
 * The AMI the offline stand-in answers for the AL2023 parameter of `arch`, as the program's
 * look-up receives it: what a launch template of that architecture must boot.
 */
export async function al2023Ami(arch: "arm64" | "x86_64"): Promise<{ imageId: string; architecture: string }> {
    const answer = await new AwsMocks().call({ token: FUNCTIONS.getSsmParameter, inputs: { name: al2023Parameter(arch) }, provider: "" });
    return { imageId: answer.value, architecture: answer.architecture };
}

/** Fails unless the run's launch template boots the AL2023 AMI of `arch`, and not the other one. */
export async function assertBootsAl2023(r: ProgramRun, arch: "arm64" | "x86_64"): Promise<void> {
    const lt = one(r, "aws:ec2/launchTemplate:LaunchTemplate");
    const wanted = await al2023Ami(arch);
    const other = await al2023Ami(arch === "arm64" ? "x86_64" : "arm64");
    assert.strictEqual(wanted.architecture, arch, "the stand-in's answer is of another architecture");
    assert.notStrictEqual(wanted.imageId, other.imageId, "the stand-in gives both architectures one AMI: the check proves nothing");
    assert.deepStrictEqual(r.invokes.filter(i => i.token === FUNCTIONS.getSsmParameter).map(i => i.inputs.name), [al2023Parameter(arch)],
        `the AMI look-up must ask for the ${arch} image`);
    assert.strictEqual(lt.inputs.imageId, wanted.imageId, `${lt.name} boots ${lt.inputs.imageId}, not the ${arch} AMI ${wanted.imageId}`);
}

/**
 * A bring-your-own-key partner's certificate signing request (ECDSA P-256, SHA-256), made at run
 * time with a key that is thrown away: what config `mtlsClientCsrs` takes, with no openssl needed.
 */
export async function partnerCsrPem(commonName: string): Promise<string> {
    const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
    const keys = await webcrypto.subtle.generateKey(alg, false, ["sign", "verify"]);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${commonName}`, keys, signingAlgorithm: alg });
    return csr.toString("pem");
}

/**
 * Runs `fn` with the clock moved to `at`: `new Date()` and `Date.now()` answer `at` plus the time
 * elapsed since, as they would in a `pulumi up` run then, and the mocks issue certificates at `at`
 * (the suite otherwise fixes one instant for them: offline/engine/x509-build.ts `ISSUE_TIME_ENV`).
 * Restored afterwards, whatever happens. (Mocha keeps its own reference to Date, so test timeouts
 * are unaffected.)
 */
export async function atTime<T>(at: Date, fn: () => Promise<T>): Promise<T> {
    const issueTime = process.env[ISSUE_TIME_ENV];
    process.env[ISSUE_TIME_ENV] = at.toISOString();
    const RealDate = Date;
    const offset = at.getTime() - RealDate.now();
    class ShiftedDate extends RealDate {
        constructor(...args: any[]) {
            if (args.length === 0) super(RealDate.now() + offset);
            else super(...(args as [number]));
        }
        static now(): number {
            return RealDate.now() + offset;
        }
    }
    (globalThis as any).Date = ShiftedDate;
    try {
        return await fn();
    } finally {
        (globalThis as any).Date = RealDate;
        if (issueTime === undefined) delete process.env[ISSUE_TIME_ENV];
        else process.env[ISSUE_TIME_ENV] = issueTime;
    }
}

/**
 * The AWS managed policy PowerUserAccess, as the AWS managed policy reference gives it
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html, v12): every
 * action but IAM's, Organizations' and Account's, on every resource. The operator the custody of
 * the stack's secrets and keys must hold against.
 */
export const POWER_USER_ACCESS = {
    Version: "2012-10-17",
    Statement: [
        { Effect: "Allow" as const, NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" },
        {
            Effect: "Allow" as const,
            Action: ["account:GetAccountInformation", "account:GetGovCloudAccountInformation", "account:GetPrimaryEmail", "account:ListRegions",
                "iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles", "organizations:DescribeEffectivePolicy",
                "organizations:DescribeOrganization"],
            Resource: "*",
        },
    ],
};
