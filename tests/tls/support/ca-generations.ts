/**
 * The CAs of a run by name, for stacks that hold two during a rotation (tests/tls/ca-rotation.test.ts);
 * support/pki.ts's caMaterial expects exactly one.
 */
import { standInCaPrivateKeyPem } from "../../../offline/engine/mock-private-ca";
import { ProgramRun } from "../../../offline/engine/recorded";
import { TOKENS } from "../../../policies/shared/tokens";
import { CertificateAuthority } from "../../../components/pki/ca";

export interface CaMaterial { certPem: string; keyPem: string }

/** The CA whose component is `caName` (its root resources are `<caName>-root`): certificate and, for tests, key. */
export function caByName(run: ProgramRun, caName: string): CaMaterial {
    const root = `${caName}-root`;
    const self = run.resources.find(r => r.type === TOKENS.tlsSelfSignedCert && r.name === root);
    if (self) return { certPem: self.outputs.certPem, keyPem: self.inputs.privateKeyPem };
    const pca = run.resources.find(r => r.type === TOKENS.acmpcaCertificateAuthority && r.name === root);
    const installed = run.resources.find(r => r.type === TOKENS.acmpcaCertificateAuthorityCertificate && r.name === root);
    if (!pca || !installed) throw new Error(`stack ${run.stack}: no CA named ${caName}`);
    return { certPem: installed.inputs.certificate, keyPem: standInCaPrivateKeyPem(pca.outputs.arn) };
}

/** URNs of every resource of the CA `caName` (the component and its children). */
export function caUrns(run: ProgramRun, caName: string): string[] {
    return run.resources.filter(r => r.name === caName && r.type === CertificateAuthority.TOKEN || r.name === `${caName}-root`).map(r => r.urn).sort();
}
