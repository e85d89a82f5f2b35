/**
 * The plugin package, started the way the engine starts it, serves over gRPC a schema that every
 * input and output of WebTier is in: types, descriptions, defaults, enums, secrets.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { CONFIG_KEYS, Compute, MtlsMode, NatGateways, Pki } from "../../config/keys";
import { PLUGIN_DIR } from "../../package/provider";
import { PackageSchema, PropertySpec, SECRET_PROPERTIES, statedDefault } from "../../package/schema";
import { WebTier } from "../../components/web-tier";
import { ServedPlugin, startPlugin } from "./support";

/** The property names an interface of `file` declares, read from the source, not from the schema. */
function declaredProperties(file: string, name: string): string[] {
    const src = ts.createSourceFile(file, fs.readFileSync(path.join(PLUGIN_DIR, file), "utf8"), ts.ScriptTarget.ES2022, true);
    const decl = src.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
    assert.ok(decl, `${name} is not declared in ${file}`);
    return decl.members.filter(ts.isPropertySignature).map(m => m.name.getText(src));
}

/** The names index.ts exports: the stack's outputs. */
function stackOutputs(): string[] {
    const src = ts.createSourceFile("index.ts", fs.readFileSync(path.join(PLUGIN_DIR, "index.ts"), "utf8"), ts.ScriptTarget.ES2022, true);
    return src.statements.filter(ts.isVariableStatement)
        .filter(s => s.modifiers?.some(m => m.kind === ts.SyntaxKind.ExportKeyword))
        .flatMap(s => s.declarationList.declarations.map(d => d.name.getText(src)));
}

/** Says what an input is when it is not given: a default, or what being unset means. */
const SAYS_WHEN_UNSET = /\bDefaults to\b|\bUnset\b|\bunset\b|\bNo default\b/;

describe("the plugin package, started as the engine starts it", function () {
    this.timeout(180_000);
    let plugin: ServedPlugin | undefined;
    let schema: PackageSchema;

    before(async function () {
        this.timeout(180_000);
        // The consumer's working directory: a Python program, with no tsconfig.json of its own.
        plugin = await startPlugin(path.join(PLUGIN_DIR, "examples", "python"));
        schema = JSON.parse(await plugin.getSchema());
    });
    after(async () => plugin?.stop());

    const tier = () => schema.resources[WebTier.TOKEN];
    const typeOf = (prop: PropertySpec) => (prop.$ref ? schema.types[prop.$ref.replace("#/types/", "")] : undefined);

    it("prints one port and serves GetSchema over gRPC as the package e2etls at package.json's version, with WebTier as a component", () => {
        assert.match(plugin!.output(), /^\d+\n/);
        const version = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "package.json"), "utf8")).version;
        assert.strictEqual(schema.name, "e2etls");
        assert.strictEqual(schema.version, version);
        assert.deepStrictEqual(Object.keys(schema.resources), [WebTier.TOKEN]);
        assert.strictEqual(tier().isComponent, true);
        assert.ok(tier().description && tier().description!.length > 100, "WebTier is described");
    });

    it("serves the committed schema.json", () => {
        assert.deepStrictEqual(schema, JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "schema.json"), "utf8")));
    });

    it("has every input WebTierArgs declares, each with a type, a description and its default, none required", () => {
        const declared = declaredProperties("components/web-tier-args.ts", "WebTierArgs");
        assert.deepStrictEqual(Object.keys(tier().inputProperties), declared);
        assert.deepStrictEqual(tier().requiredInputs, []);
        for (const [name, prop] of Object.entries(tier().inputProperties)) {
            assert.ok(prop.type || typeOf(prop), `${name} has no type`);
            assert.ok(prop.description, `${name} has no description`);
            const spec = CONFIG_KEYS[name as keyof typeof CONFIG_KEYS];
            if (spec?.default !== undefined && !Array.isArray(spec.default)) assert.strictEqual(prop.default, spec.default, `${name}'s default`);
            else if (Array.isArray(spec?.default)) assert.deepStrictEqual(statedDefault(prop.description)?.value, spec.default, `${name} states its default, a list (a schema default is a scalar)`);
            else assert.match(prop.description!, SAYS_WHEN_UNSET, `${name} says what happens when it is not given`);
        }
        assert.strictEqual(tier().inputProperties.azCount.type, "integer", "whole numbers are integers");
    });

    it("describes each property of the input types (the application), with its type and what happens when it is not given", () => {
        // The object types an input reaches (an output's types, such as the application's summary, are not given).
        const reached = new Set<string>();
        const visit = (props: Record<string, PropertySpec>): void => {
            for (const prop of Object.values(props)) {
                const ref = prop.$ref ?? prop.items?.$ref ?? prop.additionalProperties?.$ref;
                const token = ref?.replace("#/types/", "");
                if (token && !reached.has(token) && schema.types[token]?.properties) {
                    reached.add(token);
                    visit(schema.types[token].properties!);
                }
            }
        };
        visit(tier().inputProperties);
        const objects = Object.entries(schema.types).filter(([token, t]) => t.properties && reached.has(token));
        assert.ok(objects.length > 0, "WebTier has an input of an object type");
        for (const [token, type] of objects) {
            assert.ok(type.description, `${token} is described`);
            for (const [name, prop] of Object.entries(type.properties!)) {
                assert.ok(prop.type || typeOf(prop), `${token}.${name} has no type`);
                assert.match(prop.description ?? "", SAYS_WHEN_UNSET, `${token}.${name} says what happens when it is not given`);
            }
        }
    });

    it("types each mode as an enum of exactly the values its as-const object holds, the enum and each value described", () => {
        for (const [name, values] of [["Compute", Compute], ["Pki", Pki], ["MtlsMode", MtlsMode], ["NatGateways", NatGateways]] as const) {
            const type = schema.types[`e2etls:index:${name}`];
            assert.ok(type?.enum, `${name} is not an enum`);
            assert.deepStrictEqual(type.enum.map(m => m.value), Object.values(values));
            assert.ok(type.description, `${name} is described`);
            for (const m of type.enum) assert.ok(m.description, `${name}.${m.name} is described`);
        }
        assert.strictEqual(tier().inputProperties.natGateways.$ref, "#/types/e2etls:index:NatGateways");
    });

    it("has today's stack outputs as WebTier's outputs, each with a type and a description, and marks secret only what is (none)", () => {
        assert.deepStrictEqual(Object.keys(tier().properties).sort(), stackOutputs().sort());
        assert.deepStrictEqual(stackOutputs().sort(), ["accessLogBucket", "albDnsName", "alertTopicArn", "application", "backendSecretArn", "caBundlePem",
            "clientCertificateSerials", "clientSecretArns", "partnerCertificatesPem", "trustStoreArn", "url"]);
        for (const [name, prop] of Object.entries(tier().properties)) {
            assert.ok(prop.type ?? prop.$ref, `${name} has no type`);
            assert.ok(prop.description, `${name} has no description`);
        }
        const secret = (props: Record<string, PropertySpec>) => Object.entries(props).filter(([, p]) => p.secret).map(([n]) => n);
        assert.deepStrictEqual([...secret(tier().inputProperties), ...secret(tier().properties)], [...SECRET_PROPERTIES]);
        assert.deepStrictEqual(tier().required?.includes("trustStoreArn"), false, "trustStoreArn is absent with mtlsMode off");
    });
});

describe("the plugin package, started in a TypeScript program's folder", function () {
    this.timeout(240_000);

    it("starts and serves the same schema under the tsconfig.json of `pulumi new typescript`, which ts-node applies to the plugin's sources", async () => {
        // run-plugin type-checks with the compiler options of the tsconfig.json in its working
        // directory, the consumer's (@pulumi/pulumi cmd/run-plugin/run.ts): here target es2020
        // without a lib, so the DOM library's types too.
        const plugin = await startPlugin(path.join(__dirname, "fixtures", "typescript-program"), 200_000);
        try {
            assert.deepStrictEqual(JSON.parse(await plugin.getSchema()), JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "schema.json"), "utf8")));
        } finally {
            await plugin.stop();
        }
    });
});
