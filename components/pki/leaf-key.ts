import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { CertificateValidity, LEAF_KEY, renewalPeriod } from "./ca";

/**
 * The private key of a certificate the stack keeps the key for (backend, mTLS clients, the front
 * certificate imported without a domain), replaced with every renewal so a leaked key dies with the
 * certificate it was issued for.
 *
 * A tls.PrivateKey has no input that changes over time, and @pulumi/tls renews a certificate by
 * re-signing the same request (terraform-provider-tls internal/provider/common_cert.go,
 * `modifyPlanIfCertificateReadyForRenewal`, replaces the certificate only). So the key carries a
 * `replacementTrigger` (@pulumi/pulumi resource.d.ts): the engine replaces a resource whose trigger
 * differs from the value it recorded last time, and does nothing the first time one is set
 * (pulumi/pulumi#20936). The trigger is the renewal period `now` falls in (ca.ts renewalPeriod),
 * the same one that sets when an AWS Private CA certificate is re-requested: a new period is a new
 * key, hence a new request (its privateKeyPem, which forces replacement) and a new certificate,
 * written with the key to one new secret version. A certificate issued in a period reaches its own
 * early-renewal window no sooner than the next period, so @pulumi/tls never renews on the old key.
 *
 * Replacement is create-before-delete (the default): the new key, certificate and secret version
 * exist before the old ones go, and the old version stays AWSPREVIOUS until then, so the tier is
 * never without a valid pair.
 */
export function leafKey(name: string, validity: CertificateValidity, parent: pulumi.Resource, now: Date = new Date()): tls.PrivateKey {
    return new tls.PrivateKey(name, { ...LEAF_KEY }, {
        parent,
        replacementTrigger: renewalPeriod(now, validity.validityHours, validity.earlyRenewalHours),
    });
}
