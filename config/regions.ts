/**
 * What the program needs to know about AWS Regions, in one place: which commercial Regions exist,
 * and how each delivers load balancer access logs.
 */

/**
 * Commercial (`aws` partition) Regions: the `Region` enum of @pulumi/aws 7.48
 * (node_modules/@pulumi/aws/types/enums/index.d.ts) without the China, GovCloud, ISO and European
 * Sovereign Cloud partitions, which need separate accounts and ARNs (`arn:aws-cn:`, …).
 * Regions launched after 20 March 2019 are opt-in: enable them in the account before `pulumi up`
 * (https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html).
 */
export const COMMERCIAL_REGIONS = [
    "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
    "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2",
    "us-west-1", "us-west-2",
] as const;
export type CommercialRegion = typeof COMMERCIAL_REGIONS[number];

/**
 * The Elastic Load Balancing account that writes access logs in each Region available before
 * August 2022. AWS lists these accounts ("Regions available before August 2022") and tells every
 * other Region to grant the log-delivery service principal instead:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html#attach-bucket-policy
 * The provider's `aws.elb.getServiceAccount` holds the same table and fails elsewhere with
 * "unsupported AWS Region" (hashicorp/terraform-provider-aws,
 * internal/service/elb/service_account_data_source.go, accountIDPerRegionMap: the same 22
 * commercial entries, me-central-1 commented out), so the program reads the table instead.
 */
export const ELB_LOG_ACCOUNTS: Readonly<Partial<Record<CommercialRegion, string>>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-southeast-3": "589379963580",
    "ap-south-1": "718504428378",
    "ap-northeast-3": "383597477331",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
};

/** The principal AWS documents for Regions available as of August 2022 or later (same page). */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

export function isCommercialRegion(value: unknown): value is CommercialRegion {
    return typeof value === "string" && (COMMERCIAL_REGIONS as readonly string[]).includes(value);
}

/**
 * The bucket-policy principal that delivers a load balancer's access logs in `region`: the
 * Region's ELB account where AWS lists one, the log-delivery service everywhere else.
 */
export function accessLogPrincipal(region: string): { AWS: string } | { Service: string } {
    const account = ELB_LOG_ACCOUNTS[region as CommercialRegion];
    return account ? { AWS: `arn:aws:iam::${account}:root` } : { Service: ELB_LOG_DELIVERY_SERVICE };
}

const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Why `aws:region` cannot be used, or undefined when it can. The value reaches ARNs, endpoint
 * names and the EC2 user data, so only a known commercial Region passes.
 */
export function regionProblem(value: unknown): string | undefined {
    const allowed = `Use a commercial AWS Region: ${COMMERCIAL_REGIONS.join(", ")}.`;
    if (value === undefined || value === "") {
        return `aws:region is not set. Set it with \`pulumi config set aws:region <region>\`. ${allowed}`;
    }
    if (isCommercialRegion(value)) return undefined;
    const what = typeof value === "string" && REGION_SHAPE.test(value)
        ? "which is not a commercial AWS Region this program knows"
        : "which is not an AWS Region name";
    return `aws:region is ${JSON.stringify(value)}, ${what}. ${allowed}`;
}
