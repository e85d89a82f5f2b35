/**
 * The stand-in for EventBridge's pattern matching (offline/engine/event-pattern.ts) follows the
 * documented rules on the shapes this program's rules use, and refuses an operator it does not model.
 */
import { strict as assert } from "assert";
import { matchesEventPattern } from "../../offline/engine/event-pattern";

describe("EventBridge event patterns, offline", () => {
    const event = { source: "aws.acm", "detail-type": "ACM Certificate Approaching Expiration", resources: ["arn:a", "arn:b"], detail: { DaysToExpiry: 12, name: "x" } };

    it("matches when every named field matches one of its values, ignoring the fields it does not name", () => {
        assert.equal(matchesEventPattern({ source: ["aws.acm", "aws.ssm"] }, event), true);
        assert.equal(matchesEventPattern({ source: ["aws.ssm"] }, event), false);
        assert.equal(matchesEventPattern({ source: ["aws.acm"], detail: { name: ["y"] } }, event), false);
    });

    it("matches an array in the event when any element matches, and a nested pattern only against an object", () => {
        assert.equal(matchesEventPattern({ resources: ["arn:b"] }, event), true);
        assert.equal(matchesEventPattern({ resources: ["arn:c"] }, event), false);
        assert.equal(matchesEventPattern({ source: { x: ["aws.acm"] } }, event), false);
    });

    it("compares numbers by value and applies numeric ranges, prefixes, exists and anything-but", () => {
        assert.equal(matchesEventPattern({ detail: { DaysToExpiry: [{ numeric: ["<", 15] }] } }, event), true);
        assert.equal(matchesEventPattern({ detail: { DaysToExpiry: [{ numeric: [">=", 0, "<", 12] }] } }, event), false);
        assert.equal(matchesEventPattern({ source: [{ prefix: "aws." }] }, event), true);
        assert.equal(matchesEventPattern({ detail: { missing: [{ exists: false }] } }, event), true);
        assert.equal(matchesEventPattern({ detail: { missing: [{ exists: true }] } }, event), false);
        assert.equal(matchesEventPattern({ detail: { name: [{ "anything-but": ["x"] }] } }, event), false);
    });

    it("refuses an operator it does not model rather than match or miss by omission", () => {
        assert.throws(() => matchesEventPattern({ source: [{ wildcard: "aws.*" }] }, event), /operator "wildcard" is not modelled/);
    });
});
