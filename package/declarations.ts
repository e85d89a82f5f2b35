/**
 * What the schema needs from the source that the SDK's schema inference leaves out: the doc
 * comments of the types it names, and which properties are declared `Integer`. Read by parsing
 * (no type checking), following relative imports from the plugin's entry as the inference does.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

export interface Declarations {
    /** Doc comment of each exported interface, enum and `as const` object, by name. */
    readonly docs: ReadonlyMap<string, string>;
    /** `Interface.property` of every property declared with the `Integer` alias. */
    readonly integers: ReadonlySet<string>;
    /** The args interface of each component class (its constructor's `args` parameter), by class name. */
    readonly componentArgs: ReadonlyMap<string, string>;
}

/** The alias (config/keys.ts) whose properties the schema types "integer". */
const INTEGER_ALIAS = "Integer";

function docOf(node: ts.Node): string | undefined {
    const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
    const text = docs.map(d => ts.getTextOfJSDocComment(d.comment) ?? "").join("\n").trim();
    return text || undefined;
}

function resolveModule(from: string, specifier: string): string | undefined {
    if (!specifier.startsWith(".")) return undefined;
    const base = path.resolve(path.dirname(from), specifier);
    return [`${base}.ts`, path.join(base, "index.ts")].find(f => fs.existsSync(f));
}

/** Reads the declarations reachable from `entry` through relative imports and re-exports. */
export function readDeclarations(entry: string): Declarations {
    const docs = new Map<string, string>();
    const integers = new Set<string>();
    const componentArgs = new Map<string, string>();
    const seen = new Set<string>();
    const queue = [path.resolve(entry)];
    const record = (name: string, doc: string | undefined, file: string) => {
        if (doc === undefined) return;
        if (docs.has(name) && docs.get(name) !== doc) throw new Error(`${name} is declared twice with different doc comments (again in ${file}): the schema names types by their bare name`);
        docs.set(name, doc);
    };
    while (queue.length > 0) {
        const file = queue.shift()!;
        if (seen.has(file)) continue;
        seen.add(file);
        const src = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
        for (const node of src.statements) {
            if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
                const next = resolveModule(file, node.moduleSpecifier.text);
                if (next) queue.push(next);
            } else if (ts.isInterfaceDeclaration(node)) {
                record(node.name.text, docOf(node), file);
                for (const member of node.members) {
                    if (ts.isPropertySignature(member) && member.type && ts.isTypeReferenceNode(member.type)
                        && member.type.typeName.getText(src) === INTEGER_ALIAS && member.name) {
                        integers.add(`${node.name.text}.${member.name.getText(src)}`);
                    }
                }
            } else if (ts.isEnumDeclaration(node)) {
                record(node.name.text, docOf(node), file);
            } else if (ts.isVariableStatement(node)) {
                for (const d of node.declarationList.declarations) {
                    const init = d.initializer;
                    if (ts.isIdentifier(d.name) && init && ts.isAsExpression(init) && ts.isObjectLiteralExpression(init.expression)) {
                        record(d.name.text, docOf(node), file);
                    }
                }
            } else if (ts.isClassDeclaration(node) && node.name) {
                const ctor = node.members.find(ts.isConstructorDeclaration);
                const args = ctor?.parameters.find(p => ts.isIdentifier(p.name) && p.name.text === "args");
                if (args?.type && ts.isTypeReferenceNode(args.type)) componentArgs.set(node.name.text, args.type.typeName.getText(src));
            }
        }
    }
    return { docs, integers, componentArgs };
}
