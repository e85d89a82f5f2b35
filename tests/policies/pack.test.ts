import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { allPolicies } from "../../policies/rules";
import { AnalyzerInfo, DEFAULT_PACK_DIR } from "../../offline/analyzer/harness";
import { usePack } from "./fixtures";
import { RULES_DIR, ruleModules } from "./names";

/** Checks `value` against the subset of JSON schema the pack's config schemas use. */
function schemaErrors(schema: any, value: unknown, where: string): string[] {
    if (schema === undefined || schema === true) {
        return [];
    }
    const errors: string[] = [];
    const types: string[] = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;
    if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
        errors.push(`${where} is ${JSON.stringify(value)}, not ${types.join(" or ")}`);
    }
    if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
        errors.push(`${where} is ${JSON.stringify(value)}, not one of ${JSON.stringify(schema.enum)}`);
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            errors.push(`${where} has fewer than ${schema.minItems} items`);
        }
        value.forEach((v, i) => errors.push(...schemaErrors(schema.items, v, `${where}[${i}]`)));
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${where} is below ${schema.minimum}`);
        if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${where} is above ${schema.maximum}`);
    }
    if (actual === "object" && schema.properties) {
        for (const [k, v] of Object.entries(value as object)) {
            errors.push(...schemaErrors(schema.properties[k], v, `${where}.${k}`));
        }
    }
    return errors;
}

describe("the e2e-tls-guard pack", () => {
    const pack = usePack({ configure: false });
    let info: AnalyzerInfo;
    before(async () => {
        info = await pack().getAnalyzerInfo();
    });

    it("serves under the name and version of PulumiPolicy.yaml and package.json", () => {
        const project = yaml.load(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as any;
        const pkg = JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "package.json"), "utf8"));
        assert.strictEqual(info.name, "e2e-tls-guard");
        assert.strictEqual(project.name, info.name);
        assert.strictEqual(info.version, pkg.version);
        assert.strictEqual(info.supportsConfig, true);
    });

    it("serves exactly the policies of allPolicies", () => {
        assert.deepStrictEqual(info.policies.map((p) => p.name), allPolicies.map((p) => p.name));
    });

    it("has unique, kebab-case policy names", () => {
        const names = info.policies.map((p) => p.name);
        assert.deepStrictEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
        for (const n of names) {
            assert.match(n, /^[a-z0-9]+(-[a-z0-9]+)+$/, `${n} is not kebab-case`);
        }
    });

    it("describes every policy, sets its level and publishes a config schema with defaults", () => {
        for (const p of info.policies) {
            assert.ok(p.description.length >= 60, `${p.name}: description too short to say why`);
            assert.ok(p.policyType === "resource" || p.policyType === "stack", `${p.name}: ${p.policyType}`);
            const own = allPolicies.find((x) => x.name === p.name)!;
            assert.ok(own.enforcementLevel, `${p.name} has no default enforcementLevel`);
            assert.ok(p.configSchema, `${p.name} has no configSchema`);
            for (const [k, schema] of Object.entries(p.configSchema!.properties)) {
                assert.ok(schema && "default" in schema, `${p.name}.${k} has no default`);
                assert.deepStrictEqual(schemaErrors(schema, schema.default, `${p.name}.${k} default`), []);
                assert.ok(schema.description, `${p.name}.${k} has no description`);
            }
        }
    });

    it("serves the policies of every rule module in the rules directory, each once, and nothing else", () => {
        const modules = ruleModules();
        assert.ok(modules.length >= 16, `only ${modules.length} rule modules found in ${RULES_DIR}`);
        for (const m of modules) {
            assert.ok(Array.isArray(m.policies) && m.policies.length > 0, `${m.name}.ts exports no policies`);
        }
        const fromModules = modules.flatMap((m) => m.policies.map((p) => p.name)).sort();
        assert.deepStrictEqual(fromModules, info.policies.map((p) => p.name).sort());
    });

    it("does not import @pulumi/aws, so it starts light and matches on type tokens", () => {
        const files = [path.join(DEFAULT_PACK_DIR, "index.ts"), ...["rules", "framework", "shared"].flatMap((d) => fs.readdirSync(path.join(DEFAULT_PACK_DIR, d)).map((f) => path.join(DEFAULT_PACK_DIR, d, f)))];
        for (const f of files.filter((x) => x.endsWith(".ts"))) {
            assert.doesNotMatch(fs.readFileSync(f, "utf8"), /from\s+["']@pulumi\/aws["']|require\(["']@pulumi\/aws["']\)/, `${path.basename(f)} imports @pulumi/aws`);
        }
    });

    for (const file of fs.readdirSync(path.join(DEFAULT_PACK_DIR, "config")).filter((f) => f.endsWith(".json"))) {
        it(`accepts the example config ${file}, valid against every policy's schema`, async () => {
            const config = JSON.parse(fs.readFileSync(path.join(DEFAULT_PACK_DIR, "config", file), "utf8"));
            const errors: string[] = [];
            for (const [name, entry] of Object.entries<any>(config)) {
                if (name === "all") {
                    continue;
                }
                const p = info.policies.find((x) => x.name === name);
                if (!p) {
                    errors.push(`${name} is not a policy`);
                    continue;
                }
                if (typeof entry === "string") {
                    continue;
                }
                const { enforcementLevel, ...props } = entry;
                if (enforcementLevel !== undefined && !["advisory", "mandatory", "remediate", "disabled"].includes(enforcementLevel)) {
                    errors.push(`${name}.enforcementLevel is ${enforcementLevel}`);
                }
                for (const [k, v] of Object.entries(props)) {
                    if (!p.configSchema || !(k in p.configSchema.properties)) {
                        errors.push(`${name}.${k} is not in the schema`);
                    } else {
                        errors.push(...schemaErrors(p.configSchema.properties[k], v, `${name}.${k}`));
                    }
                }
            }
            assert.deepStrictEqual(errors, []);
            await pack().configure(config);
            await pack().configure({});
        });
    }
});
