/**
 * The exemptions that applied: each finding an `exemptions` entry suppressed, with its reason, as
 * one advisory line (policies/framework/exemptions.ts says why this shape).
 */
import { Policies } from "@pulumi/policy";
import { exemptionMessage, stackRule, takeExemptions } from "../framework";

export const exemptionsApplied = stackRule({
    name: "policy-exemptions-applied",
    description: "Lists every finding of this pack that an exemptions entry (by URN, stack or tag) suppressed, with the reason the entry records, " +
        "the way cdk-nag reports its NagSuppressions. Advisory: an exemption is a reviewed decision, so it is shown, never enforced. " +
        "Runs last: AnalyzeStack comes once after every resource's Analyze, in the same analyzer process " +
        "(@pulumi/policy server.js: \"analyzeStack ... at the end of a successful preview or update\"; policies run in the pack's order).",
    enforcementLevel: "advisory",
    severity: "low",
    // It reads the findings the other policies recorded, no resource.
    reads: [],
    check: ({ reportMessage }) => {
        for (const applied of takeExemptions()) {
            reportMessage(applied.resource, exemptionMessage(applied));
        }
        takeExemptions(); // an exemption of this policy itself is not carried into the next run
    },
});

export const policies: Policies = [exemptionsApplied];
