/**
 * Loaded by mocha after ts-node (.mocharc.json `require`). Every offline run of the program clears
 * the program's modules from require's cache and loads index.ts afresh
 * (offline/engine/run-program.ts), so ts-node would transpile the same unchanged sources again for
 * every run. This keeps each file's output for as long as its source text is the same, per test
 * process: what runs is still the file on disk, loaded fresh.
 */
interface Compiler {
    compile(code: string, fileName: string, lineOffset?: number): string;
}

const service = (process as unknown as Record<symbol, Compiler | undefined>)[Symbol.for("ts-node.register.instance")];
if (!service) throw new Error("tests/setup/transpile-once.ts must be required after ts-node/register");

const compile = service.compile.bind(service);
const outputs = new Map<string, { code: string; output: string }>();

service.compile = (code: string, fileName: string, lineOffset?: number): string => {
    if (lineOffset) return compile(code, fileName, lineOffset);
    const kept = outputs.get(fileName);
    if (kept && kept.code === code) return kept.output;
    const output = compile(code, fileName);
    outputs.set(fileName, { code, output });
    return output;
};
