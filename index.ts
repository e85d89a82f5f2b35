import { loadConfig } from "./config/index";
import { WebTier } from "./components/web-tier";

// The stack's `e2e-tls:` config, validated where it enters (a bad value is named by its key), is
// the component's inputs; the component checks its inputs before it registers anything.
const tier = new WebTier("web", loadConfig());

// The stack's outputs are the component's, each described once where WebTier declares it
// (components/web-tier.ts); the docs' outputs table is generated from there (`npm run docs`).
export const url = tier.url;
export const albDnsName = tier.albDnsName;
// null with mtlsMode off, which has no trust store (an undefined output would only be dropped, with a warning).
export const trustStoreArn = tier.trustStoreArn ?? null;
export const caBundlePem = tier.caBundlePem;
export const backendSecretArn = tier.backendSecretArn;
export const clientSecretArns = tier.clientSecretArns;
export const clientCertificateSerials = tier.clientCertificateSerials;
export const partnerCertificatesPem = tier.partnerCertificatesPem;
export const accessLogBucket = tier.accessLogBucket;
export const alertTopicArn = tier.alertTopicArn;
export const application = tier.application;
