/**
 * The demo application's image on ECS (EC2 runs the demo with the distribution's python3): the
 * tier runs the demo only when no application is given (components/compute/application.ts).
 */
export const DEMO_IMAGE = "public.ecr.aws/docker/library/python:3.12-alpine";

/** The path the demo answers the load balancer's health check on. */
export const DEMO_HEALTH_CHECK_PATH = "/healthz";

/**
 * A small demonstration application for the tier, run only when no application is given: it
 * listens on loopback only (the terminator is its sole client), answers /healthz for the load
 * balancer's health check, and echoes what the load balancer learnt about the client (TLS
 * version, verified client certificate subject). Give your own with the application input
 * (docs/application.md).
 */
export function demoAppSource(appPort: number): string {
    return `import json, socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ECHO = ("x-amzn-tls-version", "x-amzn-tls-cipher-suite", "x-amzn-mtls-clientcert-subject",
        "x-amzn-mtls-clientcert-issuer", "x-amzn-mtls-clientcert-serial-number", "x-forwarded-proto")

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/healthz":
            body = b"ok\\n"
            ctype = "text/plain"
        else:
            seen = {h: self.headers.get(h) for h in ECHO if self.headers.get(h)}
            body = json.dumps({"service": "e2e-tls demo", "host": socket.gethostname(), "request": seen}).encode()
            ctype = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", ${appPort}), Handler).serve_forever()
`;
}
