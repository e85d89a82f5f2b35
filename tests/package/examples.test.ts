/**
 * The examples are programs a user copies: the YAML one is checked against the committed schema
 * as the YAML engine would hold it, the Python one parsed and checked for names the generated
 * SDK has (`pulumi package add` generates it from the same schema).
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { PLUGIN_DIR } from "../../package/provider";
import { PackageSchema } from "../../package/schema";
import { WebTier } from "../../components/web-tier";
import { requireTools } from "../tls/support/requires";
import { checkYamlProgram, pythonName } from "./check-program";

const EXAMPLES = path.join(PLUGIN_DIR, "examples");
const schema: PackageSchema = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "schema.json"), "utf8"));
const yamlProgram = () => yaml.load(fs.readFileSync(path.join(EXAMPLES, "yaml", "Pulumi.yaml"), "utf8")) as any;

describe("examples/yaml", () => {
    it("is a Pulumi YAML project that runs an application of its own (image, port, a secret by reference) in WebTier", () => {
        const doc = yamlProgram();
        assert.strictEqual(doc.runtime, "yaml");
        const tiers = Object.values<any>(doc.resources).filter(r => r.type === WebTier.TOKEN);
        assert.strictEqual(tiers.length, 1);
        const app = tiers[0].properties.application;
        assert.match(app.image, /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com\//);
        assert.ok(Number.isInteger(app.port));
        assert.ok(Object.values<string>(app.secrets).every(arn => arn.startsWith("arn:aws:secretsmanager:")));
    });

    it("sets only properties the schema has, each of its type, enum values among the enum's, and reads only outputs WebTier has", () => {
        assert.deepStrictEqual(checkYamlProgram(yamlProgram(), schema), []);
    });

    it("would be refused with an unknown property, a value of the wrong type, a bad enum value or an unknown output", () => {
        const doc = yamlProgram();
        const tier = doc.resources.tier.properties;
        Object.assign(tier, { natGateway: "single", azCount: "two", compute: "lambda" });
        tier.application.image = 42;
        doc.outputs.dns = "${tier.dnsName}";
        assert.deepStrictEqual(checkYamlProgram(doc, schema).sort(), [
            "output dns: tier has no output dnsName",
            "tier.application.image: 42 is not a string",
            'tier.azCount: "two" is not an integer',
            'tier.compute: "lambda" is not one of asg, ecs',
            "tier.natGateway is not a property",
        ]);
    });
});

/** What examples/python/__main__.py uses of the SDK, read with Python's own parser. */
const PY_USES = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
def dotted(n):
    return dotted(n.value) + "." + n.attr if isinstance(n, ast.Attribute) else n.id if isinstance(n, ast.Name) else "?"
calls, attrs, tiers = [], [], set()
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and dotted(node.value.func) == "e2etls.WebTier":
        tiers.update(t.id for t in node.targets if isinstance(t, ast.Name))
    if isinstance(node, ast.Call) and dotted(node.func).startswith("e2etls."):
        calls.append({"func": dotted(node.func), "keywords": [k.arg for k in node.keywords]})
    if isinstance(node, ast.Attribute) and dotted(node).startswith("e2etls.") and not isinstance(getattr(node, "ctx", None), ast.Store):
        attrs.append(dotted(node))
outputs = [n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in tiers]
print(json.dumps({"calls": calls, "attrs": attrs, "outputs": outputs}))
`;

describe("examples/python", function () {
    const main = path.join(EXAMPLES, "python", "__main__.py");
    before(function () {
        requireTools(this, "examples/python's checks", ["python3"]);
    });

    it("compiles (python3 -m py_compile)", () => {
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pycache-"));
        try {
            execFileSync("python3", ["-m", "py_compile", main], { env: { ...process.env, PYTHONPYCACHEPREFIX: cache } });
        } finally {
            fs.rmSync(cache, { recursive: true, force: true });
        }
    });

    it("passes WebTier and its input types only arguments the schema has, enum members it has, and reads only its outputs", () => {
        const { problems, uses } = pythonProblems(main);
        assert.deepStrictEqual(problems, []);
        assert.ok(uses.calls.some((c: any) => c.func === "e2etls.WebTier" && c.keywords.includes("application")), "the program gives an application");
    });

    it("would be refused with an argument, an enum member or an output the SDK does not have", () => {
        const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "py-")), "__main__.py");
        fs.writeFileSync(bad, fs.readFileSync(main, "utf8").replace("nat_gateways=e2etls.NatGateways.SINGLE", "nat_gateway=e2etls.NatGateways.ONE")
            .replace("health_check_path=", "healthcheck_path=").replace("tier.ca_bundle_pem", "tier.ca_pem"));
        assert.deepStrictEqual(pythonProblems(bad).problems.sort(), [
            "e2etls.ApplicationArgsArgs(healthcheck_path=…) is not an input",
            "e2etls.NatGateways.ONE is not in the SDK",
            "e2etls.WebTier(nat_gateway=…) is not an input",
            "tier.ca_pem is not an output",
        ]);
    });
});

/** What a Python program uses of the SDK that the schema (so the generated SDK) does not have. */
function pythonProblems(file: string): { problems: string[]; uses: any } {
    const uses = JSON.parse(execFileSync("python3", ["-c", PY_USES, file], { encoding: "utf8" }));
    const tier = schema.resources[WebTier.TOKEN];
    const problems: string[] = [];
    const typeName = (token: string) => token.split(":")[2];
    // The SDK's classes: WebTier, and `<Type>Args` for each input object type (pkg/codegen/python/gen.go, unqualifiedObjectTypeName).
    const classes = new Map<string, Record<string, unknown>>([
        ["e2etls.WebTier", tier.inputProperties],
        ...Object.entries(schema.types).filter(([, t]) => t.properties).map(([tok, t]): [string, Record<string, unknown>] => [`e2etls.${typeName(tok)}Args`, t.properties!]),
    ]);
    // Enum members upper snake case (pkg/codegen/python/utilities.go, makeSafeEnumName).
    const enumMembers = new Set(Object.entries(schema.types).flatMap(([tok, t]) => (t.enum ?? []).map(m => `e2etls.${typeName(tok)}.${pythonName(String(m.name)).toUpperCase()}`)));
    for (const call of uses.calls) {
        const props = classes.get(call.func);
        if (!props) { problems.push(`${call.func} is not in the SDK`); continue; }
        const names = new Set(Object.keys(props).map(pythonName));
        problems.push(...call.keywords.filter((k: string) => !names.has(k)).map((k: string) => `${call.func}(${k}=…) is not an input`));
    }
    problems.push(...uses.attrs.filter((a: string) => a.split(".").length === 3 && !enumMembers.has(a) && !classes.has(a)).map((a: string) => `${a} is not in the SDK`));
    const outputs = new Set(Object.keys(tier.properties).map(pythonName));
    problems.push(...uses.outputs.filter((o: string) => !outputs.has(o)).map((o: string) => `tier.${o} is not an output`));
    return { problems, uses };
}
