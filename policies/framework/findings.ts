/**
 * What the resource rules reported in this analyzer process, so that a stack rule does not report
 * the same problem a second time. The engine sends every resource's `Analyze` before the one
 * `AnalyzeStack`, in the same process. A resource rule's finding is recorded whether it was
 * reported or suppressed by an exemption (and listed as such, ./exemptions.ts): either way the
 * problem has been dealt with once, under the rule that owns it.
 *
 * A stack rule asks only about the policies it knows own a problem (the path rule: the listener,
 * target group and health-check rules for plaintext hops, the world-ingress rule for a source
 * open to the internet, property by property). Nothing recorded means "report it":
 * the owner is disabled, or the resource was not analysed in this process, so a problem is never
 * lost, at worst reported twice.
 */

const found = new Map<string, Map<string, Set<string>>>();

/**
 * Records that `policy` reported (or an exemption suppressed) a finding on `urn`, about the
 * properties named (the property of the message, and any others the check says it is about).
 */
export function recordFinding(policy: string, urn: string, properties: readonly string[] = []): void {
    let byUrn = found.get(policy);
    if (!byUrn) {
        found.set(policy, (byUrn = new Map()));
    }
    let props = byUrn.get(urn);
    if (!props) {
        byUrn.set(urn, (props = new Set()));
    }
    properties.forEach((p) => props!.add(p));
}

/**
 * Whether `policy` reported a finding on `urn` in this process since the last
 * {@link forgetFindings}; with `property`, a finding about that property.
 */
export function wasFound(policy: string, urn: string, property?: string): boolean {
    const props = found.get(policy)?.get(urn);
    return props !== undefined && (property === undefined || props.has(property));
}

/** Forgets every recorded finding: called once the stack rules that read the record have run. */
export function forgetFindings(): void {
    found.clear();
}
