import * as fs from "fs";
import * as path from "path";
import { inspectCsr } from "../../components/pki/csr";
import { StackConfig } from "../keys";
import { ConfigError, key, show } from "./check";

/** Client names: what mtlsClients takes, and so what a CSR's common name must be. */
export const CLIENT_NAME = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

/**
 * Reads `mtlsClientCsrs` (PEM text, or a path relative to the project folder, which is the
 * program's working directory under the Pulumi CLI) and checks every request. Returns the requests
 * as PEM. Names must not repeat across mtlsClients and the CSRs: one client, one certificate.
 */
export function validateClientCsrs(c: StackConfig, projectDir: string = process.cwd()): string[] {
    const names = new Set(c.mtlsClients);
    return c.mtlsClientCsrs.map(entry => {
        const pem = typeof entry === "string" && !entry.includes("-----BEGIN") ? readCsrFile(entry, projectDir) : entry;
        const inspected = inspectCsr(pem);
        if ("problem" in inspected) {
            throw new ConfigError(`${key("mtlsClientCsrs")} has a request that ${inspected.problem}${typeof entry === "string" && pem !== entry ? ` (file ${show(entry)})` : ""}. Use a PEM CSR of the client's own key, e.g. \`openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -subj /CN=<name> -out client.csr\`.`);
        }
        const name = inspected.csr.commonName;
        if (!CLIENT_NAME.test(name) || names.has(name)) {
            throw new ConfigError(`${key("mtlsClientCsrs")} has a request for ${show(name)}. Its common name is the client's name: use unique names (across mtlsClients and mtlsClientCsrs) of lower-case letters, digits and hyphens, at most 32 characters.`);
        }
        names.add(name);
        return inspected.csr.pem;
    });
}

function readCsrFile(file: string, projectDir: string): string {
    const full = path.resolve(projectDir, file);
    if (path.isAbsolute(file) || path.relative(projectDir, full).startsWith("..")) {
        throw new ConfigError(`${key("mtlsClientCsrs")} has ${show(file)}, outside the project. Use a path relative to the project folder, e.g. "partners/partner-c.csr", or the PEM itself.`);
    }
    try {
        return fs.readFileSync(full, "utf8");
    } catch {
        throw new ConfigError(`${key("mtlsClientCsrs")} has ${show(file)}, which is neither a PEM CSR nor a readable file in the project. Use a path relative to the project folder, or the PEM itself.`);
    }
}
