/**
 * The secrets rules' safety valve. The key-material detector works within a budget per value
 * (key-material-detector.ts): a value shaped to exhaust it (nested base64/gzip, a gzip bomb,
 * megabytes of base64-looking text) is not inspected to the end, and the rules cannot say it holds
 * no key. Such a value must not pass silently, nor block every stack that happens to carry a large
 * legitimate blob: this rule reports it, advisory by default. Raise it to mandatory where no
 * stack should carry values the detector cannot read through.
 */
import { Policies } from "@pulumi/policy";
import { TOKENS } from "../shared/tokens";
import { describeResource, resourceRule } from "../framework";
import { PLAINTEXT_CONFIG_TYPES, USER_DATA_TYPES } from "./secrets";
import { SCAN_PARAMS, scanOptions, inspectText, stringLeaves } from "./secrets-scan";

// The types the secrets rules of secrets.ts scan.
const SCANNED = [...USER_DATA_TYPES, TOKENS.ecsTaskDefinition, ...PLAINTEXT_CONFIG_TYPES];

// Shorter strings hold no base64 run the detector would decode, so they are always read through.
const MIN_LENGTH = 60;

export const keyMaterialInspectionComplete = resourceRule({
    name: "key-material-inspection-complete",
    description: "Every value the secrets rules scan must be inspected to the end: a value whose nested base64/gzip " +
        "layers or size exceed the detector's budget (4 MiB scanned, 4 MiB decoded, 256 base64 runs, 3 base64 and 8 gzip " +
        "layers) may hide a private key the rules cannot see. Advisory by default, so a large legitimate blob does not " +
        "block a stack; the report names the budget that ran out.",
    enforcementLevel: "advisory",
    severity: "medium",
    appliesTo: SCANNED,
    config: SCAN_PARAMS,
    check: ({ resource, props, config, reportMessage, ownPath }) => {
        const options = scanOptions(config);
        for (const [path, leaf] of stringLeaves(props, "")) {
            if (leaf.length < MIN_LENGTH) {
                continue;
            }
            const inspection = inspectText(leaf, options);
            if (inspection.incomplete && !inspection.found) {
                reportMessage(`${describeResource(resource)} (${resource.type}): ${ownPath(path)} could not be fully inspected for key ` +
                    `material (value withheld): ${inspection.incomplete}, so the part left unread may hide a private key. ` +
                    "Fix: keep keys out of the value and its layers flat (one base64 or base64(gzip) layer), or move the " +
                    "payload to S3 or Secrets Manager and fetch it at boot.");
            }
        }
    },
});

export const policies: Policies = [keyMaterialInspectionComplete];
