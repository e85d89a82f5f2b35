/**
 * Which CPU architecture an EC2 instance type runs: the one answer the program (which AMI to
 * boot) and the offline preview (what it reports) share. Kept beside the other shared facts
 * (ssl-policies.ts, aws-defaults.ts) so it travels with them.
 *
 * From the name alone, by AWS's naming convention
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html): a type is
 * `<family><generation><processor family and capabilities>.<size>`, and the processor letter `g`
 * means AWS Graviton (arm64), e.g. `c7gn`: c, 7, g (Graviton), n (network). `a1` is the first
 * generation of Arm instances (the only Arm family without the letter). The `g` of the GPU
 * families (`g4dn`, `g5`, `gr6`) comes before the generation digit and says nothing of the CPU;
 * `g5g` is Graviton by its letter after the digit. Mac families (`mac1`, `mac2-m2`) are outside
 * what Amazon Linux 2023 boots and answer x86_64 here.
 */

export const ARCHITECTURES = ["arm64", "x86_64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** `<prefix letters><generation digits><attribute letters>`, of the family before any "-" (`m7i-flex`, `u-6tb1`). */
const FAMILY = /^([a-z]+)(\d+)([a-z]*)$/;

/** The CPU architecture of an EC2 instance type such as "g5g.xlarge" (arm64) or "g5.xlarge" (x86_64). */
export function instanceArchitecture(instanceType: string): Architecture {
    const family = instanceType.toLowerCase().split(".")[0].split("-")[0];
    const m = FAMILY.exec(family);
    if (!m) {
        return "x86_64";
    }
    const [, prefix, generation, attributes] = m;
    return (prefix === "a" && generation === "1") || attributes.includes("g") ? "arm64" : "x86_64";
}
