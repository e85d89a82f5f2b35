/**
 * The walk the key-material rules scan with, and what keeps it bounded: every string at any depth
 * without recursion, JSON in a string read as its structure, one allowance of decoding per
 * resource whatever the number of values, and the secret marks read from the request the SDK
 * deserialized.
 */
import * as assert from "assert";
import * as zlib from "zlib";
import { pathOf, walkStrings } from "../../policies/rules/plain-values";
import { scanResource } from "../../policies/rules/secrets-scan";
import { wireOf, WIRE_PROPS_AVAILABLE } from "../../policies/framework";
import { SECRET_SIG, SPECIAL_SIG_KEY } from "../../policies/shared/wire";
import { toStruct } from "../../offline/analyzer/requests";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const sdk = require("@pulumi/policy/deserialize");

const strings = (props: Record<string, unknown>) => {
    const out: [string, string][] = [];
    // Every value, and the keys long enough to hold something.
    walkStrings(props, (place, text, isKey) => {
        if (!isKey || text.length >= 20) out.push([isKey ? `${pathOf(place)} (a key)` : pathOf(place), text]);
    }, () => true);
    return out;
};

describe("the plain-value walk", () => {
    it("reaches a string 100,000 levels down without recursion", () => {
        let deep: Record<string, unknown> = { leaf: "the value at the bottom" };
        for (let i = 0; i < 100_000; i++) deep = { next: deep };
        const found: string[] = [];
        walkStrings({ root: deep }, (_, text, isKey) => isKey || found.push(text), () => true);
        assert.deepStrictEqual(found, ["the value at the bottom"]);
    });

    it("names list items, pairs and JSON held in a string by their place", () => {
        const containers = JSON.stringify([{ name: "nginx", environment: [{ name: "PORT", value: "8443" }], command: ["sh", "-c", "run"] }]);
        assert.deepStrictEqual(strings({ containerDefinitions: containers, tags: [{ Key: "team", Value: "platform" }] }), [
            ['containerDefinitions[0] ("nginx").name', "nginx"],
            ['containerDefinitions[0] ("nginx").environment[0].name', "PORT"],
            ['containerDefinitions[0] ("nginx").environment[0] (PORT)', "8443"],
            ['containerDefinitions[0] ("nginx").command[0]', "sh"],
            ['containerDefinitions[0] ("nginx").command[1]', "-c"],
            ['containerDefinitions[0] ("nginx").command[2]', "run"],
            ["tags[0].Key", "team"],
            ["tags[0] (team)", "platform"],
        ]);
    });

    it("reads values as the engine writes them, and withholds a long key from paths", () => {
        const secret = { [SPECIAL_SIG_KEY]: SECRET_SIG, value: { inner: "x" } };
        const longKey = "k".repeat(80);
        assert.deepStrictEqual(strings({ s: secret, m: { [longKey]: "v" } }), [
            ["s.inner", "x"],
            ["m (a key)", longKey],
            ["m.…", "v"],
        ]);
    });
});

describe("one resource's allowance", () => {
    it("stops decoding once the resource's values have cost four values' worth, however many there are", function () {
        this.timeout(30_000);
        // Ten distinct bombs, each inflating past one value's budget (4 MiB).
        const props = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`blob${i}`, zlib.gzipSync(Buffer.alloc(5 * 1024 * 1024, 65 + i)).toString("base64")]));
        const { unread, found } = scanResource("acme:widgets:Widget", props, { awsAccessKeyIds: true });
        assert.deepStrictEqual(found, []);
        assert.strictEqual(unread.length, 10);
        const ownBudget = unread.filter((u) => /inflates past the remaining budget of \d+ bytes/.test(u.reason)).length;
        const shared = unread.filter((u) => /what the resource's values may cost together/.test(u.reason)).length;
        assert.ok(ownBudget >= 3 && ownBudget <= 4, `values read to their own budget: ${ownBudget}`);
        assert.strictEqual(ownBudget + shared, 10, unread.map((u) => u.reason).join("\n"));
    });
});

describe("secret marks read from the request", () => {
    it("sees which values the engine sent marked secret in properties the SDK deserialized, and nothing in other objects", () => {
        assert.strictEqual(WIRE_PROPS_AVAILABLE, true);
        const struct = toStruct({ plain: "a", hidden: { [SPECIAL_SIG_KEY]: SECRET_SIG, value: { key: "b" } }, list: [{ [SPECIAL_SIG_KEY]: SECRET_SIG, value: "c" }] });
        const props = sdk.deserializeProperties(struct, false);
        assert.deepStrictEqual(props, { plain: "a", hidden: { key: "b" }, list: ["c"] }, "the policy sees what it saw before");
        const wire = wireOf(props)!;
        assert.deepStrictEqual(wire.at(["plain"]), { secret: false, value: "a" });
        assert.deepStrictEqual(wire.at(["hidden", "key"]), { secret: true, value: "b" });
        assert.deepStrictEqual(wire.at(["list", 0]), { secret: true, value: "c" });
        assert.strictEqual(wire.at(["missing"]), undefined);
        assert.strictEqual(wireOf({ plain: "a" }), undefined);
    });
});
