/**
 * `npm run emit:pki -- [--stack <name>] --out <dir>`: runs the program offline and writes its PKI
 * (ca.pem, backend.crt/.key, clients/<name>.crt/.key; offline/loopback/pki.ts) to a folder, so real
 * TLS software can be pointed at exactly what the stack would upload and store. The keys are
 * throwaway, generated for this run: never reuse or commit them.
 */
import { CommandSpec, runCommand, stackFlag } from "./cli";

// The library lives in offline/loopback/pki.ts; this path keeps working for its callers.
export { emitPki } from "../loopback/pki";
export type { EmittedCertificate, EmittedPki } from "../loopback/pki";

export const EMIT_PKI: CommandSpec = {
    usage: "npm run emit:pki -- [--stack <name>] --out <dir>",
    summary: "Runs the program under mock providers and writes its trust-store bundle, backend and client certificates and keys.",
    flags: {
        stack: stackFlag("dev"),
        out: { type: "string", arg: "<dir>", path: "dir", doc: "folder to write into (created if missing)" },
    },
    required: ["out"],
    exitCodes: "0 written, 1 the program or its PKI failed, 2 a bad command line or an unwritable --out",
};

if (require.main === module) {
    runCommand(EMIT_PKI, async (opts) => {
        // Loaded here: the program runner pulls in the Pulumi SDK, which --help does not need.
        const { runProgram } = await import("../engine/run-program");
        const { emitPki } = await import("../loopback/pki");
        const pki = emitPki(await runProgram({ stack: opts.stack }), opts.out);
        return {
            code: 0,
            stdout: `wrote ${pki.caPath}, ${pki.backend.certPath}, ${Object.keys(pki.clients).length} client pair(s) under ${opts.out}\n`
                + "These keys are throwaway, generated for this run only: do not reuse or commit them.\n",
        };
    }, { failureCode: 1 });
}
