#!/usr/bin/env python3
# e2e-tls application start (EC2): run by the e2etls-app systemd unit as `e2etls-app-start <config>`.
# Reads the application's settings (a JSON file the user data writes: image or start command, port,
# plain environment, and secrets as pre-parsed ARN references, never values), fetches each secret
# with the instance role through the AWS CLI, and replaces itself with the application:
# - image: logs Docker in to the image's ECR registry (`aws ecr get-login-password`, a 12-hour
#   token kept in the unit's runtime directory, a tmpfs), pulls the image, and execs `docker run`
#   with the port published on 127.0.0.1 only and the variables passed by name (`--env NAME`), so
#   no value is on a command line. Docker's process gets the application's variables and nothing
#   else, and is told its daemon and config explicitly.
# - start command: execs `/bin/sh -c <command>` with the unit's environment and the variables.
# Secret values exist only in this process and the application's environment: never in a file, a
# command line or a message. Exits 1 with one line on stderr (the journal) when something fails;
# the unit restarts it.
import json
import os
import shutil
import subprocess
import sys

CONTAINER = "e2etls-app"


def fail(message):
    print("e2etls-app: " + message, file=sys.stderr)
    sys.exit(1)


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1][:300] if lines else "no message"


def run(argv, what, stdin=None, env=None):
    r = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        fail("%s failed (exit %d): %s" % (what, r.returncode, last_line(r.stderr)))
    return r.stdout


def tool_env():
    # The AWS CLI and Docker's own steps run with the unit's environment, never the application's
    # variables; HOME for the CLI's cache (a unit of a transient user has none).
    env = dict(os.environ)
    env.setdefault("HOME", os.environ.get("RUNTIME_DIRECTORY", "/tmp"))
    return env


def aws_json(args, region, what):
    out = run(["aws"] + args + ["--region", region, "--output", "json"], what, env=tool_env())
    try:
        return json.loads(out)
    except ValueError:
        fail(what + " returned no JSON")


def secret_value(name, ref):
    what = "reading %s for %s" % (ref["arn"], name)
    if ref["service"] == "ssm":
        return aws_json(["ssm", "get-parameter", "--name", ref["arn"], "--with-decryption", "--query", "Parameter.Value"], ref["region"], what)
    args = ["secretsmanager", "get-secret-value", "--secret-id", ref["arn"]]
    if ref.get("versionStage"):
        args += ["--version-stage", ref["versionStage"]]
    if ref.get("versionId"):
        args += ["--version-id", ref["versionId"]]
    value = aws_json(args + ["--query", "SecretString"], ref["region"], what)
    if not isinstance(value, str):
        fail("%s: the secret has no string value (binary secrets are not supported)" % what)
    key = ref.get("jsonKey")
    if not key:
        return value
    try:
        doc = json.loads(value)
    except ValueError:
        fail("%s: the secret is not JSON, so it has no key %s" % (what, json.dumps(key)))
    if not isinstance(doc, dict) or key not in doc:
        fail("%s: the secret has no JSON key %s" % (what, json.dumps(key)))
    return doc[key] if isinstance(doc[key], str) else json.dumps(doc[key])


def main():
    if len(sys.argv) != 2:
        fail("usage: e2etls-app-start <config.json>")
    try:
        with open(sys.argv[1]) as f:
            config = json.load(f)
    except (OSError, ValueError) as e:
        fail("cannot read %s: %s" % (sys.argv[1], e))

    variables = dict(config.get("environment", {}))
    for name in sorted(config.get("secrets", {})):
        variables[name] = secret_value(name, config["secrets"][name])

    if "startCommand" in config:
        env = dict(os.environ)
        env.update(variables)
        os.execve("/bin/sh", ["/bin/sh", "-c", config["startCommand"]], env)

    docker = shutil.which("docker")
    if docker is None:
        fail("docker is not installed")
    docker_config = os.path.join(os.environ.get("RUNTIME_DIRECTORY", "/run/e2etls-app"), "docker")
    os.makedirs(docker_config, mode=0o700, exist_ok=True)
    base = [docker, "--host", "unix:///var/run/docker.sock", "--config", docker_config]
    image = config["image"]
    login = config.get("ecrLogin")
    # `aws ecr get-login-password` gives a token Docker logs in with, valid 12 hours
    # (https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html); the AWS CLI is on
    # Amazon Linux 2023 already. The ECR credential helper (packaged for AL2023 too,
    # https://github.com/awslabs/amazon-ecr-credential-helper) would be one more package for one
    # pull per start, and the token lives only in the unit's runtime directory, a tmpfs.
    if login:
        token = run(["aws", "ecr", "get-login-password", "--region", login["region"]], "getting an ECR login token", env=tool_env())
        run(base + ["login", "--username", "AWS", "--password-stdin", login["registry"]], "logging in to " + login["registry"],
            stdin=token, env=tool_env())
    run(base + ["pull", image], "pulling " + image, env=tool_env())
    subprocess.run(base + ["rm", "--force", CONTAINER], capture_output=True, env=tool_env())

    port = int(config["port"])
    argv = base + ["run", "--rm", "--name", CONTAINER, "--pull", "never", "--disable-content-trust",
                   "--publish", "127.0.0.1:%d:%d" % (port, port),
                   "--log-driver", "journald", "--security-opt", "no-new-privileges"]
    for name in sorted(variables):
        argv += ["--env", name]
    entry = config.get("entryPoint") or []
    if entry:
        argv += ["--entrypoint", entry[0]]
    argv += [image] + entry[1:] + (config.get("command") or [])
    os.execve(docker, argv, variables)


main()
