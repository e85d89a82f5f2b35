/**
 * The memo the slow suites share their runs through (tests/setup/shared-runs.ts): one computation
 * per key and suite run, a fresh copy for every caller, and a failure seen by every caller.
 */
import { strict as assert } from "assert";
import { randomUUID } from "crypto";
import { shared, sharedAll } from "./shared-runs";

describe("runs shared between tests", () => {
    const key = (name: string) => JSON.stringify(["shared-runs.test", randomUUID(), name]);

    it("computes a run once per key and hands each caller its own copy, so one test's change reaches no other", async () => {
        let computed = 0;
        const k = key("once");
        const compute = async () => {
            computed++;
            return { resources: [{ name: "web-alb", inputs: { port: 443, tags: { a: "b" } } }], absent: undefined };
        };
        const first = await shared(k, compute);
        first.resources[0].inputs.port = 80;
        first.resources[0].inputs.tags.a = "changed";
        first.resources.push({ name: "extra", inputs: { port: 1, tags: { a: "" } } });
        const second = await shared(k, compute);
        assert.equal(computed, 1);
        assert.notStrictEqual(first, second);
        assert.deepStrictEqual(second, { resources: [{ name: "web-alb", inputs: { port: 443, tags: { a: "b" } } }], absent: undefined });
        assert.ok("absent" in second, "a key whose value is undefined is kept");
    });

    it("gives every caller of a failed run its error", async () => {
        const k = key("fails");
        const compute = async (): Promise<number> => {
            throw new Error("e2e-tls:compute is \"k8s\"");
        };
        await assert.rejects(shared(k, compute), /e2e-tls:compute is "k8s"/);
        await assert.rejects(shared(k, async () => 1), /e2e-tls:compute is "k8s"/);
    });

    it("returns several runs in the order asked, each computed once", async () => {
        const calls: string[] = [];
        const keys = { a: key("a"), b: key("b") };
        const runs = (["a", "b", "a"] as const).map(name => ({ key: keys[name], compute: async () => (calls.push(name), { name }) }));
        assert.deepStrictEqual(await sharedAll(runs), [{ name: "a" }, { name: "b" }, { name: "a" }]);
        assert.deepStrictEqual(calls, ["a", "b"]);
    });
});
