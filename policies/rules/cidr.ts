/**
 * Address ranges as the "open to the internet" check needs them: whether a set of CIDRs covers the
 * whole IPv4 or IPv6 space between them (`0.0.0.0/1` + `128.0.0.0/1`, `::/1` + `8000::/1`), which
 * is the internet as surely as one `/0` is. Malformed CIDRs cover nothing (EC2 refuses them).
 */

/** [first, last] address of a CIDR as integers, or `undefined` when it is not a valid CIDR. */
export function cidrRange(cidr: string): { v6: boolean; first: bigint; last: bigint } | undefined {
    const [address, prefixText, extra] = cidr.trim().split("/");
    if (extra !== undefined || prefixText === undefined || !/^\d{1,3}$/.test(prefixText)) {
        return undefined;
    }
    const v6 = address.includes(":");
    const bits = v6 ? 128 : 32;
    const prefix = Number(prefixText);
    const value = v6 ? ipv6(address) : ipv4(address);
    if (value === undefined || prefix > bits) {
        return undefined;
    }
    const size = 1n << BigInt(bits - prefix);
    const first = value - (value % size);
    return { v6, first, last: first + size - 1n };
}

function ipv4(address: string): bigint | undefined {
    const parts = address.split(".");
    if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
        return undefined;
    }
    return parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n);
}

function ipv6(address: string): bigint | undefined {
    const halves = address.split("::");
    if (halves.length > 2) {
        return undefined;
    }
    const groups = (s: string) => (s === "" ? [] : s.split(":"));
    const head = groups(halves[0]);
    const tail = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - tail.length;
    if ((halves.length === 1 && missing !== 0) || missing < 0) {
        return undefined;
    }
    const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
    if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) {
        return undefined;
    }
    return all.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/** True when `cidrs` together cover every IPv4 address, or every IPv6 address. Linear after sorting. */
export function coversWholeSpace(cidrs: readonly string[]): boolean {
    const ranges = cidrs.map(cidrRange).filter((r): r is NonNullable<typeof r> => r !== undefined);
    return [false, true].some((v6) => {
        const end = (1n << BigInt(v6 ? 128 : 32)) - 1n;
        const sorted = ranges.filter((r) => r.v6 === v6).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
        let next = 0n;
        for (const r of sorted) {
            if (r.first > next) {
                return false;
            }
            if (r.last >= next) {
                next = r.last + 1n;
            }
        }
        return sorted.length > 0 && next > end;
    });
}
