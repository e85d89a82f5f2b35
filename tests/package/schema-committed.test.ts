/**
 * The committed schema.json and Pulumi.yaml's config declarations are what the code generates,
 * one home per fact: names, types and descriptions from WebTierArgs, defaults from CONFIG_KEYS.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_KEYS, INPUT_PATHS } from "../../config/keys";
import { REGENERATE, staleFiles } from "../../package/committed";
import { inputOf, renderConfigBlock } from "../../package/project-config";
import { PackageSchema, PropertySpec, SECRET_PROPERTIES, statedDefault } from "../../package/schema";
import { runOfflineCommand } from "../offline/spawn";
import { generatedSchema } from "./support";

/** Every property spec of the schema, by a path naming it. */
function properties(schema: PackageSchema): [string, PropertySpec][] {
    const out: [string, PropertySpec][] = [];
    for (const [token, r] of Object.entries(schema.resources)) {
        for (const [n, p] of Object.entries(r.inputProperties)) out.push([`${token} input ${n}`, p]);
        for (const [n, p] of Object.entries(r.properties)) out.push([`${token} output ${n}`, p]);
    }
    for (const [token, t] of Object.entries(schema.types)) for (const [n, p] of Object.entries(t.properties ?? {})) out.push([`${token}.${n}`, p]);
    return out;
}

describe("the committed schema and config declarations", function () {
    this.timeout(120_000);

    it(`keeps schema.json and Pulumi.yaml's config block as the code generates them (else: ${REGENERATE})`, async () => {
        const { files } = await generatedSchema();
        assert.deepStrictEqual(staleFiles(files), [], `stale; run \`${REGENERATE}\` and commit the result`);
    });

    it("reports a file that differs from what the code generates as stale", async () => {
        const { files } = await generatedSchema();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schema-"));
        try {
            for (const f of files) fs.writeFileSync(path.join(dir, f.file), f.content);
            assert.deepStrictEqual(staleFiles(files, dir), []);
            fs.writeFileSync(path.join(dir, "schema.json"), files[0].content.replace('"default": 8443', '"default": 443'));
            assert.deepStrictEqual(staleFiles(files, dir), ["schema.json"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("has every config key set a WebTier input of the same type, so the stack's config and the component's inputs cannot drift", async () => {
        const { schema } = await generatedSchema();
        for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
            const prop = inputOf(key, schema);
            assert.ok(prop, `config key ${key} sets no WebTier input`);
            const type = prop.$ref ? schema.types[prop.$ref.replace("#/types/", "")].type : prop.additionalProperties ? "object" : prop.type;
            assert.strictEqual(type, spec.type, `${key}: the schema says ${type}, CONFIG_KEYS ${spec.type} (declare whole numbers Integer)`);
        }
    });

    it("states in each input's doc comment the default the program applies, so TypeScript readers see it too", async () => {
        const { schema } = await generatedSchema();
        for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
            const stated = statedDefault(inputOf(key, schema)!.description);
            if (spec.default === undefined) assert.strictEqual(stated, undefined, `${key} states a default the program does not apply`);
            else assert.deepStrictEqual(stated?.value, spec.default, `${key}'s doc comment should end "Defaults to ${JSON.stringify(spec.default)}."`);
        }
    });

    it("binds as Pulumi's codegen binds a schema: references resolve, defaults are scalars of their property's type, enum defaults are enum values", async () => {
        // pulumi/pulumi pkg/codegen/schema/bind.go: bindDefaultValue and bindConstValue.
        const { schema } = await generatedSchema();
        const scalar: Record<string, (v: unknown) => boolean> = {
            string: v => typeof v === "string", boolean: v => typeof v === "boolean",
            integer: v => Number.isInteger(v), number: v => typeof v === "number",
        };
        for (const [where, prop] of properties(schema)) {
            const refs = [prop, prop.items, prop.additionalProperties].filter(p => p?.$ref).map(p => p!.$ref!.replace("#/types/", ""));
            for (const ref of refs) assert.ok(schema.types[ref], `${where}: ${ref} is not a type of the schema`);
            if (prop.default === undefined) continue;
            const type = prop.$ref ? schema.types[prop.$ref.replace("#/types/", "")] : undefined;
            assert.ok(scalar[type?.type ?? prop.type!]?.(prop.default), `${where}: default ${JSON.stringify(prop.default)} is not a ${type?.type ?? prop.type}`);
            if (type?.enum) assert.ok(type.enum.some(m => m.value === prop.default), `${where}: default ${prop.default} is not one of its enum's values`);
        }
    });

    it("ends every description with a full stop: none is cut short (an @ starting a word, as in @pulumi/tls, ends a doc comment's text)", async () => {
        const { schema } = await generatedSchema();
        const descriptions: [string, string | undefined][] = [
            ...properties(schema).map(([w, p]): [string, string | undefined] => [w, p.description]),
            ...Object.entries(schema.types).flatMap(([t, type]) => [[t, type.description] as [string, string | undefined],
                ...(type.enum ?? []).map((m): [string, string | undefined] => [`${t}.${m.name}`, m.description])]),
        ];
        const cut = descriptions.filter(([, d]) => d !== undefined && !/[.)]$/.test(d)).map(([w, d]) => `${w}: ${d}`);
        assert.deepStrictEqual(cut, []);
    });

    it("declares a config key that sets a nested input with that input's type and description, in its parent's place", async () => {
        const { schema } = await generatedSchema();
        const block = renderConfigBlock(schema, CONFIG_KEYS, INPUT_PATHS);
        assert.match(block, /\n  alertTarget:[\s\S]*\n  appEntryPoint:\n    type: array\n    items:\n      type: string\n    description: "Entry point of the container \(Docker ENTRYPOINT\)/);
        assert.throws(() => renderConfigBlock(schema, CONFIG_KEYS, { ...INPUT_PATHS, appEntryPoint: "application.entrypoint" }), /config keys that set no WebTier input: appEntryPoint/);
    });

    it("marks no input or output secret: no value WebTier takes or gives is one", () => {
        assert.deepStrictEqual(SECRET_PROPERTIES, []);
    });

    it("npm run schema refuses an unknown flag with exit 2 and prints its usage for --help", async () => {
        const [bad, help] = await Promise.all([runOfflineCommand("schema", ["--bogus"]), runOfflineCommand("schema", ["--help"])]);
        assert.strictEqual(bad.code, 2, bad.stderr);
        assert.match(bad.stderr, /^error: unknown flag --bogus\n\nusage: npm run schema -- \[--check\]/);
        assert.strictEqual(help.code, 0, help.stderr);
        assert.match(help.stdout, /--check/);
    });
});
