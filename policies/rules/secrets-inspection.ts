/**
 * The secrets rules' safety valve. The key-material detector works within a budget per value and
 * per resource (key-material-detector.ts), and reads only the compressed formats Node.js can
 * decode: a value shaped to exhaust the budget (nested base64/gzip, a gzip bomb, megabytes of
 * base64-looking text), or wrapped in bzip2, xz, zstd or LZ4, is not inspected to the end, and
 * `no-key-material-in-plain-values` cannot say it holds no key. Such a value must not pass
 * silently, nor block every stack that happens to carry a large legitimate blob: this rule reports
 * it, advisory by default and mandatory in `org-strict.json`, on every resource of every provider.
 */
import { Policies } from "@pulumi/policy";
import { describeResource, EVERY_RESOURCE, resourceRule, wireOf } from "../framework";
import { DEFAULT_BUDGET } from "./key-material-detector";
import { leafPath, SCAN_PARAMS, scanOptions, scanResource } from "./secrets-scan";

const MIB = 1024 * 1024;

export const keyMaterialInspectionComplete = resourceRule({
    name: "key-material-inspection-complete",
    description: "Every plain value of every resource must be inspected for key material to the end: a value whose " +
        `nested layers or size exceed the detector's budget (${DEFAULT_BUDGET.maxScannedChars / MIB} MiB scanned, ` +
        `${DEFAULT_BUDGET.maxDecodedBytes / MIB} MiB decoded, ${DEFAULT_BUDGET.maxCandidates} base64 or hex runs, ` +
        `${DEFAULT_BUDGET.maxDepth} base64 or hex and ${DEFAULT_BUDGET.maxCompressionLayers} compression layers per value; ` +
        "four values' worth of decoding per resource), or that is compressed in a format Node.js cannot decode " +
        "(bzip2, xz, zstd, LZ4), may hide a private key the scan cannot see. Advisory by default, so a large " +
        "legitimate blob does not block a stack; org-strict makes it mandatory. The report names what ran out.",
    enforcementLevel: "advisory",
    severity: "medium",
    appliesTo: [EVERY_RESOURCE],
    config: SCAN_PARAMS,
    check: ({ resource, props, config, reportMessage }) => {
        // Asked for before anything else: the request is known only until the SDK deserializes the next one.
        const wire = wireOf(props);
        for (const { leaf, reason } of scanResource(resource.type, props, scanOptions(config), wire).unread) {
            reportMessage(`${describeResource(resource)} (${resource.type}): ${leafPath(leaf)} could not be fully inspected for key ` +
                `material (value withheld): ${reason}, so the part left unread may hide a private key. ` +
                "Fix: keep keys out of the value and its layers flat (one base64 or base64(gzip) layer), or move the " +
                "payload to S3 or Secrets Manager and fetch it at boot.");
        }
    },
});

export const policies: Policies = [keyMaterialInspectionComplete];
