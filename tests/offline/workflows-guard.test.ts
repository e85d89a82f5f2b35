/**
 * The reusable workflow another repository calls to run the pack on its own stacks
 * (.github/workflows/guard.yml): `pulumi preview --policy-pack` per stack with the pack at a pinned
 * ref, the caller's environment holding the secrets, never a fork's pull request, a read-only
 * token, no credentials left in a checkout, and no input interpolated into a shell script.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import { stepsUsing, workflow } from "./workflows-support";

const guard = () => workflow("guard.yml");
const job = () => guard().doc.jobs.preview;
const step = (name: string) => job().steps.find((s: any) => s.name === name);

describe("the reusable guard workflow", () => {
    it("is called with workflow_call only, taking the pack's repository and ref, the stacks, the environment and the policy config", () => {
        const on = guard().doc.on;
        assert.deepEqual(Object.keys(on), ["workflow_call"]);
        const inputs = on.workflow_call.inputs;
        for (const name of ["pack-repository", "pack-ref", "stacks", "environment"]) {
            assert.equal(inputs[name].required, true, `${name} is required`);
        }
        assert.equal(inputs["policy-config"].default, "policies/config/audit.json", "audit first by default");
        assert.deepEqual(Object.keys(on.workflow_call.secrets).sort(), ["PULUMI_ACCESS_TOKEN", "PULUMI_CONFIG_PASSPHRASE"]);
        assert.equal(job().strategy.matrix.stack, "${{ fromJSON(inputs.stacks) }}");
    });

    it("runs in the caller's environment, skips a fork's pull request, and gives the token contents: read plus an OIDC token only", () => {
        assert.equal(job().environment, "${{ inputs.environment }}");
        assert.match(job().if, /github\.event_name != 'pull_request' \|\| github\.event\.pull_request\.head\.repo\.full_name == github\.repository/);
        assert.deepEqual(guard().doc.permissions, { contents: "read" });
        assert.deepEqual(job().permissions, { contents: "read", "id-token": "write" });
        for (const checkout of stepsUsing(job(), "actions/checkout")) {
            assert.equal(checkout.with["persist-credentials"], false);
        }
    });

    it("checks the pack out at the given ref and refuses a ref that is not a full commit SHA or a vX.Y.Z tag", () => {
        const steps: any[] = job().steps;
        const pack = stepsUsing({ steps }, "actions/checkout").find((s: any) => s.with.repository);
        assert.equal(pack.with.repository, "${{ inputs.pack-repository }}");
        assert.equal(pack.with.ref, "${{ inputs.pack-ref }}");
        const refuse = steps.find((s) => s.name === "Refuse an unpinned pack");
        assert.ok(steps.indexOf(refuse) === 0 && steps.indexOf(pack) > 0, "the ref is checked before anything is fetched");
        const run = (ref: string) => {
            try {
                execFileSync("bash", ["-c", refuse.run], { env: { ...process.env, PACK_REF: ref }, stdio: "pipe" });
                return 0;
            } catch (e: any) {
                return e.status as number;
            }
        };
        assert.equal(run("0123456789abcdef0123456789abcdef01234567"), 0);
        assert.equal(run("v1.2.0"), 0);
        for (const bad of ["main", "v1", "0123456", "v1.2.0; curl evil", "0123456789ABCDEF0123456789ABCDEF01234567"]) {
            assert.equal(run(bad), 1, `${bad} is refused`);
        }
    });

    it("runs pulumi preview with the built pack and the policy config for each stack, inputs passed through env only", () => {
        const preview = step("pulumi preview with the pack");
        assert.match(preview.run, /pulumi preview --stack "\$STACK" --policy-pack "\$pack" --policy-pack-config "\$config"/);
        assert.equal(preview.env.STACK, "${{ matrix.stack }}");
        assert.match(step("Build the pack").run, /npm run build --workspace policies/);
        for (const s of job().steps.filter((x: any) => x.run)) {
            assert.doesNotMatch(s.run, /\$\{\{/, `step "${s.name}" interpolates an expression into its script`);
        }
    });
});
