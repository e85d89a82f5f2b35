import { loadConfig } from "./config/index";
import { WebTier } from "./components/web-tier";

// The stack's `e2e-tls:` config, validated where it enters (a bad value is named by its key), is
// the component's inputs; the component checks its inputs before it registers anything.
const tier = new WebTier("web", loadConfig());

export const url = tier.url;
export const albDnsName = tier.albDnsName;
/** null with mtlsMode off, which has no trust store (an undefined output would only be dropped, with a warning). */
export const trustStoreArn = tier.trustStoreArn ?? null;
/** The CA certificate clients and the tier trust: public. */
export const caBundlePem = tier.caBundlePem;
export const backendSecretArn = tier.backendSecretArn;
export const clientSecretArns = tier.clientSecretArns;
/** What to put in `revokedSerials` to cut a client off. */
export const clientCertificateSerials = tier.clientCertificateSerials;
/** Certificates of the clients that brought their own key (mtlsClientCsrs): public, for the partner. */
export const partnerCertificatesPem = tier.partnerCertificatesPem;
export const accessLogBucket = tier.accessLogBucket;
/** Where certificate alerts go. */
export const alertTopicArn = tier.alertTopicArn;
/** The application the tier serves, and the ARN each of its secrets is read from. */
export const application = tier.application;
