/**
 * What inspecting a value for key material may cost (./key-material-detector.ts): a budget per
 * value, and an allowance per resource that all its values draw on. A policy pack runs in every
 * `pulumi preview`, so a value shaped to make the detector decode, inflate or re-scan without end
 * must end in "could not inspect", never in a hung preview, and a resource of many such values
 * must cost a bounded multiple of its size.
 */

/**
 * How much work one value may cost. The limits are far above what AWS accepts in the fields that
 * carry scripts and configuration (EC2 user data: 16 KB,
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html; a Lambda function's
 * environment variables: 4 KB, https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export interface ScanBudget {
    /** Characters run through the patterns, all layers together. */
    readonly maxScannedChars: number;
    /** Bytes produced by decoding and inflation, all layers together. */
    readonly maxDecodedBytes: number;
    /** Base64 and hex candidates decoded, all layers together. */
    readonly maxCandidates: number;
    /** Base64 or hex layers looked through (`base64(gzip(base64(…)))` is 2). */
    readonly maxDepth: number;
    /** Compression layers (gzip, zlib, raw deflate) looked through, all paths together. */
    readonly maxCompressionLayers: number;
}

export const DEFAULT_BUDGET: ScanBudget = {
    maxScannedChars: 4 * 1024 * 1024,
    maxDecodedBytes: 4 * 1024 * 1024,
    maxCandidates: 256,
    maxDepth: 3,
    maxCompressionLayers: 8,
};

/**
 * What the values of one resource may cost together beyond reading them once, counted down as
 * they are inspected: many small values each at its own budget (a thousand small gzip bombs)
 * would otherwise cost a thousand budgets, and the work would no longer be linear in the input.
 */
export interface Allowance {
    decodedBytes: number;
    candidates: number;
}

/** A fresh {@link Allowance} for one resource: four values' worth of decoding. */
export function resourceAllowance(budget: ScanBudget = DEFAULT_BUDGET): Allowance {
    return { decodedBytes: 4 * budget.maxDecodedBytes, candidates: 4 * budget.maxCandidates };
}

/** The work one inspection did, against its {@link ScanBudget}. */
export interface ScanWork {
    scannedChars: number;
    decodedBytes: number;
    candidates: number;
    compressionLayers: number;
    deepestLayer: number;
}
