/**
 * The zones of a mock Region as EC2 DescribeAvailabilityZones reports them to an account that
 * opted into a Local Zone, and the provider's `getAvailabilityZones` on top of it. Modelled because
 * the program's subnets depend on it: by default the answer includes opted-in Local Zones, and the
 * provider sorts by name, which puts them before the Availability Zones.
 *
 * Sources: EC2 API reference, DescribeAvailabilityZones (filters) and AvailabilityZone (for AZs
 * `optInStatus` is always "opt-in-not-required"; Local Zones report "opted-in" or "not-opted-in";
 * `zoneType` "availability-zone" | "local-zone" | "wavelength-zone"); without
 * `AllAvailabilityZones`, zones the account has not opted into are left out
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAvailabilityZones.html).
 * The data source: hashicorp/terraform-provider-aws internal/service/ec2/ec2_availability_zones_data_source.go
 * (`state` becomes a filter, results sorted by zone name, then `excludeNames`/`excludeZoneIds`).
 */

export interface MockZone {
    readonly zoneName: string;
    readonly zoneId: string;
    readonly zoneType: "availability-zone" | "local-zone";
    readonly optInStatus: "opt-in-not-required" | "opted-in" | "not-opted-in";
    readonly groupName: string;
    readonly regionName: string;
    readonly state: "available";
}

/** Availability Zones of every mock Region. */
export const AZ_COUNT = 6;

const DIRECTIONS: Record<string, string> = {
    north: "n", south: "s", east: "e", west: "w", central: "c",
    northeast: "ne", northwest: "nw", southeast: "se", southwest: "sw",
};

/** The short form zone IDs start with, e.g. "use1" for us-east-1, "apse5" for ap-southeast-5. */
function regionCode(region: string): string {
    const [area, ...rest] = region.split("-");
    const number = rest.pop() ?? "";
    return area + rest.map(d => DIRECTIONS[d] ?? d[0]).join("") + number;
}

/** The zones of `region`: its Availability Zones, one opted-in Local Zone, one not opted into. */
export function regionZones(region: string): MockZone[] {
    const code = regionCode(region);
    const azs: MockZone[] = "abcdef".slice(0, AZ_COUNT).split("").map((letter, i) => ({
        zoneName: `${region}${letter}`, zoneId: `${code}-az${i + 1}`, zoneType: "availability-zone",
        optInStatus: "opt-in-not-required", groupName: region, regionName: region, state: "available",
    }));
    const localZone = (n: number, optInStatus: MockZone["optInStatus"]): MockZone => ({
        zoneName: `${region}-lcl-${n}a`, zoneId: `${code}-lcl${n}-az1`, zoneType: "local-zone",
        optInStatus, groupName: `${region}-lcl-${n}`, regionName: region, state: "available",
    });
    return [...azs, localZone(1, "opted-in"), localZone(2, "not-opted-in")];
}

const FILTER_FIELDS: Record<string, keyof MockZone> = {
    "state": "state",
    "opt-in-status": "optInStatus",
    "zone-type": "zoneType",
    "zone-name": "zoneName",
    "zone-id": "zoneId",
    "group-name": "groupName",
    "region-name": "regionName",
};

interface Filter {
    readonly name: string;
    readonly values: string[];
}

/**
 * `aws:index/getAvailabilityZones:getAvailabilityZones` for `region`, given the invoke's inputs:
 * `state`, `filters` (values of one filter OR, filters AND), `allAvailabilityZones`,
 * `excludeNames`, `excludeZoneIds`. A filter name the mock does not model is refused rather
 * than ignored, so a request never silently matches more than AWS would return.
 */
export function availabilityZonesLookup(region: string, inputs: Record<string, any>): Record<string, any> {
    const filters: Filter[] = [
        ...(inputs.state ? [{ name: "state", values: [inputs.state] }] : []),
        ...(inputs.filters ?? []),
    ];
    for (const f of filters) {
        if (!(f.name in FILTER_FIELDS)) {
            throw new Error(`mocks: getAvailabilityZones filter "${f.name}" is not modelled; offline/engine/mock-zones.ts knows ${Object.keys(FILTER_FIELDS).join(", ")}`);
        }
    }
    const excludeNames = new Set<string>(inputs.excludeNames ?? []);
    const excludeZoneIds = new Set<string>(inputs.excludeZoneIds ?? []);
    const zones = regionZones(region)
        .filter(z => inputs.allAvailabilityZones || z.optInStatus !== "not-opted-in")
        .filter(z => filters.every(f => f.values.includes(String(z[FILTER_FIELDS[f.name]]))))
        .sort((a, b) => (a.zoneName < b.zoneName ? -1 : a.zoneName > b.zoneName ? 1 : 0))
        .filter(z => !excludeNames.has(z.zoneName) && !excludeZoneIds.has(z.zoneId));
    return {
        ...inputs,
        id: region,
        region,
        names: zones.map(z => z.zoneName),
        zoneIds: zones.map(z => z.zoneId),
        groupNames: [...new Set(zones.map(z => z.groupName))].sort(),
    };
}

/** The mock's zone of that name, for tests that ask what kind of zone a subnet landed in. */
export function zoneNamed(region: string, zoneName: string): MockZone | undefined {
    return regionZones(region).find(z => z.zoneName === zoneName);
}
