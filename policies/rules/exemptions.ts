/**
 * The exemptions that applied: each finding an `exemptions` entry suppressed, with its reason and
 * expiry, as one advisory line. The framework reports the lines from the policy that applied the
 * exemption (policies/framework/exemptions.ts says why), so this policy only declares them: its
 * name, description and severity in the pack's self-description, the rule reference and the reports.
 */
import { Policies } from "@pulumi/policy";
import { EXEMPTIONS_REPORT, stackRule } from "../framework";

export const exemptionsApplied = stackRule({
    ...EXEMPTIONS_REPORT,
    enforcementLevel: "advisory",
    // It reads no resource, and its own check reports nothing: setting its level or exempting it
    // changes nothing, because the lines come with the findings they replace.
    reads: [],
    declaresOnly: true,
    check: () => undefined,
});

export const policies: Policies = [exemptionsApplied];
