/**
 * A bring-your-own-key partner's certificate signing request (ECDSA P-256, CN partner-variant),
 * public by nature: its private key was thrown away when it was made. The deployer policy's
 * variants include it so the resources a partner adds (its certificate's SSM parameter and the
 * renewal rule) are in the policy a user generates.
 */
export const PARTNER_VARIANT_CSR = [
    "-----BEGIN CERTIFICATE REQUEST-----",
    "MIHTMHwCAQAwGjEYMBYGA1UEAwwPcGFydG5lci12YXJpYW50MFkwEwYHKoZIzj0C",
    "AQYIKoZIzj0DAQcDQgAExvNPoaydCgTKzBw0I9JfqvSGx7ucjDkuPOLP5xCIJ7PT",
    "lnzNMjAfwY+V3My2T7lhNb7OK7AioiemuvNzFiaJq6AAMAoGCCqGSM49BAMCA0cA",
    "MEQCIFqhYMNgILu+N26dl+IC9gjRoGBMyx8cULVuPneBczFXAiBIv3QSK3h1wJup",
    "zW55LD1O7RYf/JPWyAX7i3wgdb3kfg==",
    "-----END CERTIFICATE REQUEST-----",
    "",
].join("\n");
