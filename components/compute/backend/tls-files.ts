/**
 * Where the TLS terminator on the tier finds its certificate and key: one home for the file
 * names, used by the EC2 user data, the ECS task and the offline rotation rehearsal.
 */

/** The leaf certificate followed by its chain, PEM, as nginx's `ssl_certificate` reads it. */
export const CERTIFICATE_FILE = "fullchain.pem";

/** The private key, PEM, as nginx's `ssl_certificate_key` reads it (mode 0600). */
export const PRIVATE_KEY_FILE = "privkey.pem";

/** The folder of both on an EC2 instance. */
export const EC2_TLS_DIR = "/etc/pki/e2etls";

/** The folder of both inside the ECS terminator container. */
export const ECS_TLS_DIR = "/etc/nginx/tls";
