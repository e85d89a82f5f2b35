/**
 * A real application that is not the demo, behind the real terminator, on loopback: the program
 * renders an EC2 tier whose application is a start command; the start script the instances run
 * (app-start.py) starts it from the settings the program wrote into the launch template, with its
 * secret read from the stub Secrets Manager; nginx runs the terminator configuration the program
 * renders (nginx.ts, with loopback paths); an HTTPS request through it reaches the application.
 */
import * as assert from "assert";
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { renderNginxConf } from "../../components/compute/backend/nginx";
import { APP_START_PATH, decodeUserData } from "../../components/compute/backend/user-data";
import { runProgram } from "../../offline/engine/run-program";
import { freePort, LOOPBACK, Nginx, startNginx, tempDir, waitForPort } from "../../offline/loopback/processes";
import { STUB_AWS_DIR } from "../../offline/loopback/rotation";
import { TOKENS } from "../../policies/shared/tokens";
import { DB_PASSWORD_REF, FAKE_SECRET, stubSecretStore } from "../program/support-application";
import { forge, SERVER_AUTH } from "./support/forge";
import { requireTools } from "./support/requires";

/** Not the demo: answers /ready with 204, anything else with what it was started with. */
const APP_SOURCE = `import hashlib, json, os
from http.server import BaseHTTPRequestHandler, HTTPServer

class Shop(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/ready":
            self.send_response(204)
            self.end_headers()
            return
        body = json.dumps({
            "app": "shop test application",
            "path": self.path,
            "shop": os.environ.get("SHOP_NAME"),
            "dbPasswordSha256": hashlib.sha256(os.environ.get("DB_PASSWORD", "").encode()).hexdigest(),
            "forwardedProto": self.headers.get("X-Forwarded-Proto"),
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Shop).serve_forever()
`;

function get(port: number, urlPath: string, ca: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = https.get({ host: LOOPBACK, port, path: urlPath, ca, servername: "backend", checkServerIdentity: () => undefined, timeout: 5000 }, res => {
            let body = "";
            res.on("data", d => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
    });
}

describe("a real application behind the real terminator on loopback (not the demo)", function () {
    this.timeout(60_000);
    let work: { dir: string; remove: () => void };
    let app: ChildProcess | undefined;
    let nginx: Nginx | undefined;
    let port: number;
    let caPem: string;
    let appPort: number;

    before(async function () {
        requireTools(this, "application behind the terminator (tests/tls/application.test.ts)", ["nginx", "python3"]);
        work = tempDir("e2etls-application");
        const python = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
        const server = path.join(work.dir, "shop.py");
        fs.writeFileSync(server, APP_SOURCE);
        appPort = await freePort();

        // The program's EC2 tier with this application as a start command on a baked AMI.
        const r = await runProgram({
            stack: "dev", config: {
                "e2e-tls:amiId": "ami-0123456789abcdef0",
                "e2e-tls:appStartCommand": `PORT=${appPort} exec ${python} ${server}`,
                "e2e-tls:appPort": String(appPort),
                "e2e-tls:appEnvironment": JSON.stringify({ SHOP_NAME: "Acme Shop" }),
                "e2e-tls:appSecrets": JSON.stringify({ DB_PASSWORD: DB_PASSWORD_REF }),
                "e2e-tls:appHealthCheckPath": "/ready",
                "e2e-tls:appHealthCheckCodes": "200-299",
            },
        });
        const script = decodeUserData(r.resources.find(x => x.type === TOKENS.launchTemplate)!.inputs.userData);
        assert.ok(script.includes(`proxy_pass http://127.0.0.1:${appPort};`), "the tier's terminator forwards to the application's port");
        const settings = /<<'APPCONFIG'\n(.*)\nAPPCONFIG\n/.exec(script)![1];
        fs.writeFileSync(path.join(work.dir, "app.json"), settings);

        // The start script, as the e2etls-app unit runs it, with the stub Secrets Manager.
        const secrets = path.join(work.dir, "secrets");
        stubSecretStore(fs, path, secrets);
        const runtime = path.join(work.dir, "app-run");
        fs.mkdirSync(runtime, { mode: 0o700 });
        app = spawn(python, [APP_START_PATH, path.join(work.dir, "app.json")], {
            stdio: ["ignore", "ignore", "pipe"],
            env: { PATH: `${STUB_AWS_DIR}${path.delimiter}${process.env.PATH}`, STUB_AWS_SECRETS_DIR: secrets, RUNTIME_DIRECTORY: runtime },
        });
        let stderr = "";
        app.stderr!.on("data", d => (stderr += d));
        await Promise.race([waitForPort(appPort), new Promise((_, reject) => app!.once("exit", () => reject(new Error(`the application exited: ${stderr}`))))]);

        // The terminator: the tier's configuration, on loopback paths.
        const ca = await forge({ commonName: "application test CA", isCa: true });
        const leaf = await forge({ commonName: "backend", issuer: ca, eku: [SERVER_AUTH] });
        caPem = ca.certPem;
        port = await freePort();
        const certificatePath = path.join(work.dir, "fullchain.pem");
        const privateKeyPath = path.join(work.dir, "privkey.pem");
        fs.writeFileSync(certificatePath, leaf.certPem + ca.certPem);
        fs.writeFileSync(privateKeyPath, leaf.keyPem, { mode: 0o600 });
        const confPath = path.join(work.dir, "nginx.conf");
        fs.writeFileSync(confPath, renderNginxConf({ backendPort: port, appPort, listenAddress: LOOPBACK, runtimeDir: work.dir, certificatePath, privateKeyPath }));
        nginx = await startNginx(work.dir, confPath, port);
    });

    after(async () => {
        await nginx?.stop();
        if (app && app.exitCode === null) {
            const exited = new Promise(resolve => app!.once("exit", resolve));
            app.kill("SIGTERM");
            await exited;
        }
        work?.remove();
    });

    it("serves a request through TLS from the application the start script started, with its environment and secret", async () => {
        const res = await get(port, "/orders/42", caPem);
        assert.strictEqual(res.status, 200, res.body);
        assert.deepStrictEqual(JSON.parse(res.body), {
            app: "shop test application",
            path: "/orders/42",
            shop: "Acme Shop",
            dbPasswordSha256: crypto.createHash("sha256").update(FAKE_SECRET).digest("hex"),
            forwardedProto: "https",
        });
    });

    it("answers the health check path with a code the target group accepts", async () => {
        const res = await get(port, "/ready", caPem);
        assert.strictEqual(res.status, 204);
    });
});
