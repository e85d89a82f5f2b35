import * as fs from "fs";
import * as path from "path";
import { renderNginxConf } from "../../../components/compute/backend/nginx";
import { CERTIFICATE_FILE, PRIVATE_KEY_FILE } from "../../../components/compute/backend/tls-files";
import { App, freePort, LOOPBACK, Nginx, startApp, startNginx } from "../../../offline/loopback/processes";

/**
 * The tier's terminator as deployed (renderNginxConf) on loopback, in front of a stand-in
 * application, reading its certificate and key under the tier's file names (tls-files.ts).
 */
export interface LoopbackTerminator {
    readonly app: App;
    /** The backend port nginx listens on. */
    readonly port: number;
    readonly runtimeDir: string;
    readonly confPath: string;
    readonly certificatePath: string;
    readonly privateKeyPath: string;
    /** Set once started. */
    readonly nginx?: Nginx;
    start(): Promise<Nginx>;
    stop(): Promise<void>;
}

/** Starts the application, renders the config into `runtimeDir` for files under `tlsDir`; nginx starts on start(). */
export async function loopbackTerminator(runtimeDir: string, tlsDir: string): Promise<LoopbackTerminator> {
    fs.mkdirSync(runtimeDir, { recursive: true });
    const app = await startApp(await freePort());
    const port = await freePort();
    const certificatePath = path.join(tlsDir, CERTIFICATE_FILE);
    const privateKeyPath = path.join(tlsDir, PRIVATE_KEY_FILE);
    const confPath = path.join(runtimeDir, "nginx.conf");
    fs.writeFileSync(confPath, renderNginxConf({
        backendPort: port, appPort: app.port, listenAddress: LOOPBACK, runtimeDir, certificatePath, privateKeyPath,
    }));
    let nginx: Nginx | undefined;
    return {
        app, port, runtimeDir, confPath, certificatePath, privateKeyPath,
        get nginx() { return nginx; },
        async start() { return (nginx = await startNginx(runtimeDir, confPath, port)); },
        async stop() {
            await nginx?.stop();
            await app.close();
        },
    };
}
