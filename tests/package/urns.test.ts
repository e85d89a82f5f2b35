/**
 * Today's stacks keep every resource through the change that made the tier one component: the
 * URNs of commit 61eb4cb (fixtures/urns-before.json, fixtures/generate-urns-before.ts) against what
 * the program registers now, matched the way the engine matches them (offline/engine/engine-urns.ts).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { engineUrns, qualifiedType, resolveAliases, urnName } from "../../offline/engine/engine-urns";
import { RecordedResource } from "../../offline/engine/recorded";
import { run } from "../program/support";
import { WebTier } from "../../components/web-tier";
import { PROJECT, URN_VARIANTS } from "./support";

const BEFORE: { commit: string; variants: Record<string, string[]> } =
    JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "urns-before.json"), "utf8"));
const typeOf = (urn: string) => qualifiedType(urn).split("$").pop();

/**
 * Resources of 61eb4cb that later changes removed on purpose (by type chain and name), each with
 * why: gone by decision, not lost by the move under WebTier.
 */
const REMOVED_ON_PURPOSE: Readonly<Record<string, string>> = {
    "e2etls:security:TierIdentity$aws:iam/rolePolicyAttachment:RolePolicyAttachment::web-execution":
        "the ECS execution role's AmazonECSTaskExecutionRolePolicy (pull from every repository, write to every log group) gave way to the inline web-execution-policy scoped to the task's repositories and log group",
};
const onPurpose = (urn: string) => Object.keys(REMOVED_ON_PURPOSE).some(k => urn.endsWith(`::${k}`));

describe("today's stacks keep their resources through WebTier", function () {
    this.timeout(300_000);
    const runs = new Map<string, RecordedResource[]>();
    before(async () => {
        for (const v of URN_VARIANTS) runs.set(v.label, (await run(v.stack, v.config)).resources);
    });

    it("compares against the stacks of the commit before WebTier, in both compute modes", () => {
        assert.strictEqual(BEFORE.commit.slice(0, 7), "61eb4cb");
        assert.deepStrictEqual(Object.keys(BEFORE.variants), URN_VARIANTS.map(v => v.label));
        for (const urns of Object.values(BEFORE.variants)) assert.ok(urns.length > 100, `only ${urns.length} URNs`);
    });

    for (const v of URN_VARIANTS) {
        it(`${v.label}: every old resource keeps its URN or is claimed by exactly one alias of a resource of the same type and name, so none is deleted or replaced`, () => {
            const r = resolveAliases(runs.get(v.label)!, new Set(BEFORE.variants[v.label]), v.stack, PROJECT);
            assert.deepStrictEqual(r.errors, []);
            assert.deepStrictEqual(r.deleted.filter(u => !onPurpose(u)), [], "the engine would delete these and create their successors anew");
            // The list keeps to what is true: each entry is gone from the variants that had it.
            for (const u of BEFORE.variants[v.label].filter(onPurpose)) assert.ok(r.deleted.includes(u), `${u} is listed as removed but still there`);
            for (const [old, now] of r.aliased) {
                assert.strictEqual(typeOf(now), typeOf(old), `${now} claims ${old}, of another type: a replacement`);
                assert.strictEqual(urnName(now), urnName(old), `${now} claims ${old} under another name`);
            }
            const tier = `urn:pulumi:${v.stack}::${PROJECT}::${WebTier.TOKEN}::web`;
            assert.ok(r.created.includes(tier), `${tier} is not new`);
            assert.ok(r.aliased.size > 90, `only ${r.aliased.size} resources moved under WebTier`);
        });
    }

    it("would fail without the aliases: the stack's former children and all below them would be deleted and created again", () => {
        const v = URN_VARIANTS[0];
        const bare = runs.get(v.label)!.map(x => ({ ...x, aliases: [] }));
        const r = resolveAliases(bare, new Set(BEFORE.variants[v.label]), v.stack, PROJECT);
        assert.ok(r.deleted.length > 90, `only ${r.deleted.length} deletions`);
    });
});

/** A component moved under a new parent, with the alias the SDK sends for `{ parent: rootStackResource }`. */
function moved(stack: string): RecordedResource[] {
    const base = { id: undefined, inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {}, secretInputs: [] };
    const root = `urn:pulumi:${stack}::p::pulumi:pulumi:Stack::p-${stack}`;
    return [
        { ...base, type: "pulumi:pulumi:Stack", name: `p-${stack}`, urn: root, custom: false },
        { ...base, type: "my:index:Top", name: "app", urn: "m-top", parent: root, custom: false },
        { ...base, type: "my:mod:Part", name: "app", urn: "m-part", parent: "m-top", custom: false, aliases: [{ noParent: true }] },
        { ...base, type: "aws:s3/bucket:Bucket", name: "app-logs", urn: "m-bucket", parent: "m-part", custom: true },
        { ...base, type: "my:mod:Inner", name: "app-inner", urn: "m-inner", parent: "m-part", custom: false },
        { ...base, type: "aws:s3/bucket:Bucket", name: "app-inner-data", urn: "m-data", parent: "m-inner", custom: true },
    ];
}

describe("the engine's URNs and alias matching, as modelled", () => {
    it("leaves the root stack's type out of a URN and chains every other parent's type", () => {
        const urns = [...engineUrns(moved("s"), "s", "p").values()];
        assert.deepStrictEqual(urns.slice(1), [
            "urn:pulumi:s::p::my:index:Top::app",
            "urn:pulumi:s::p::my:index:Top$my:mod:Part::app",
            "urn:pulumi:s::p::my:index:Top$my:mod:Part$aws:s3/bucket:Bucket::app-logs",
            "urn:pulumi:s::p::my:index:Top$my:mod:Part$my:mod:Inner::app-inner",
            "urn:pulumi:s::p::my:index:Top$my:mod:Part$my:mod:Inner$aws:s3/bucket:Bucket::app-inner-data",
        ]);
    });

    it("matches a noParent alias at the stack's top level and passes it down to children and grandchildren, as step_generator's generateAliases does", () => {
        const olds = new Set([
            "urn:pulumi:s::p::my:mod:Part::app",
            "urn:pulumi:s::p::my:mod:Part$aws:s3/bucket:Bucket::app-logs",
            "urn:pulumi:s::p::my:mod:Part$my:mod:Inner::app-inner",
            "urn:pulumi:s::p::my:mod:Part$my:mod:Inner$aws:s3/bucket:Bucket::app-inner-data",
        ]);
        const r = resolveAliases(moved("s"), olds, "s", "p");
        assert.deepStrictEqual([...r.aliased.keys()].sort(), [...olds].sort());
        assert.deepStrictEqual(r.deleted, []);
        assert.deepStrictEqual(r.created, ["urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", "urn:pulumi:s::p::my:index:Top::app"]);
    });

    it("refuses an old resource claimed by two new ones", () => {
        const twice = [...moved("s"), { ...moved("s")[2], name: "app", urn: "m-part-2", parent: "m-top", type: "my:mod:Part", aliases: [{ name: "app", noParent: true }] }];
        twice[6] = { ...twice[6], name: "other" };
        const r = resolveAliases(twice, new Set(["urn:pulumi:s::p::my:mod:Part::app"]), "s", "p");
        assert.match(r.errors.join("\n"), /claims urn:pulumi:s::p::my:mod:Part::app, which .* already claimed/);
    });
});
