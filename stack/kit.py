"""The platform kit (deploy/dynroute-platform.yaml) on the local stack.

    python -m stack.kit deploy --state-dir DIR --template FILE [--param KEY=VALUE]...
    python -m stack.kit start-traefik --state-dir DIR --command FILE --workdir DIR
    python -m stack.kit prepare --state-dir DIR --domain DOMAIN
    python -m stack.kit resource --template FILE --name ID [--param K=V]... [--condition NAME=true]...
    python -m stack.kit plant scale|traefik-flag|use-task-definition|other-subnet --state-dir DIR ...

`deploy` creates the CloudFormation stack on the stack's moto, waits for it
(bounded) and prints what a test needs as JSON: the stack's status and outputs,
every resource (logical id, type, physical id), each IAM role's inline policies
and the task definitions the kit registered.

`start-traefik` starts the real Traefik with a command line read from the kit's
Traefik task definition (a JSON list of arguments in FILE). The only changes are
where it listens and where its task volume is: each `--entrypoints.NAME.address=:PORT`
becomes `127.0.0.1:FREE_PORT` (every listener binds to loopback), the container's
working directory (`/traefik`, the task volume) is WORKDIR, and the two global
flags that keep Traefik from calling home are required to be in the kit's own
command, not added. Traefik reads the stack's moto through AWS_ENDPOINT_URL with
dummy credentials. The PID is recorded in pids.json, so `scripts/stack stop`
ends it; stack.json gets its web and API URLs.

`prepare` creates what an account has before the kit (an ACM certificate, the
hosted zone, GitHub's OIDC provider). `resource` prints one resource of the
template with its parameters and conditions resolved as CloudFormation would,
for the parts moto cannot create (AWS::Scheduler::Schedule, AWS::IAM::OIDCProvider).
`plant` makes one setup fault for `dynroute doctor`'s tests (Traefik's service
scaled to 0, a Traefik flag changed in a new task definition revision, a subnet
of another VPC) and undoes it.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from stack.launcher import (
    REGION,
    _read_json,
    _record_pid,
    _write_json,
    clean_env,
    clients,
    free_port,
    log,
    venv_bin,
    wait_for_traefik,
)

DEPLOY_TIMEOUT_S = 120
STACK_NAME = "dynroute-platform"
VOLUME = "/traefik"
ADDRESS = re.compile(r"^--entrypoints\.([A-Za-z0-9_-]+)\.address=:([0-9]{1,5})$")
REQUIRED = ("--global.checkNewVersion=false", "--global.sendAnonymousUsage=false")


def _clients(endpoint: str) -> dict[str, Any]:
    return clients(endpoint, ("cloudformation", "iam", "ecs", "elbv2", "route53", "acm", "ec2"))


def _document(doc: Any) -> Any:
    """A policy document as data: moto returns a CloudFormation inline policy
    as the text of a Python dict (single quotes), not as JSON."""
    if isinstance(doc, str):
        try:
            return json.loads(doc)
        except ValueError:
            return ast.literal_eval(doc)
    return doc


def deploy(state_dir: Path, template: Path, params: dict[str, str]) -> dict[str, Any]:
    doc = _read_json(state_dir / "stack.json")
    if not doc:
        raise RuntimeError(f"no stack running in {state_dir}")
    c = _clients(doc["endpoint_url"])
    cfn = c["cloudformation"]
    body = template.read_text()
    cfn.create_stack(
        StackName=STACK_NAME,
        TemplateBody=body,
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()],
        Capabilities=["CAPABILITY_NAMED_IAM"],
    )
    deadline = time.monotonic() + DEPLOY_TIMEOUT_S
    while True:
        stack = cfn.describe_stacks(StackName=STACK_NAME)["Stacks"][0]
        if not stack["StackStatus"].endswith("IN_PROGRESS"):
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kit's stack is still {stack['StackStatus']} after {DEPLOY_TIMEOUT_S}s")
        time.sleep(0.5)
    resources = [
        {
            "logical_id": r["LogicalResourceId"],
            "type": r["ResourceType"],
            "physical_id": r.get("PhysicalResourceId", ""),
            "status": r["ResourceStatus"],
        }
        for r in cfn.describe_stack_resources(StackName=STACK_NAME)["StackResources"]
        # moto lists a resource whose condition is false without a logical id.
        if "LogicalResourceId" in r
    ]
    events = [
        f"{e['LogicalResourceId']} {e['ResourceStatus']} {e.get('ResourceStatusReason', '')}".strip()
        for e in cfn.describe_stack_events(StackName=STACK_NAME)["StackEvents"]
        if "FAILED" in e["ResourceStatus"]
    ]
    policies: dict[str, dict[str, Any]] = {}
    for r in resources:
        if r["type"] != "AWS::IAM::Role":
            continue
        role = r["physical_id"]
        names = c["iam"].list_role_policies(RoleName=role)["PolicyNames"]
        policies[r["logical_id"]] = {
            n: _document(c["iam"].get_role_policy(RoleName=role, PolicyName=n)["PolicyDocument"]) for n in names
        }
    task_definitions = {
        r["logical_id"]: c["ecs"].describe_task_definition(taskDefinition=r["physical_id"])["taskDefinition"]
        for r in resources
        if r["type"] == "AWS::ECS::TaskDefinition"
    }
    return {
        "status": stack["StackStatus"],
        "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
        "resources": resources,
        "failures": events,
        "policies": policies,
        "task_definitions": task_definitions,
    }


def prepare(state_dir: Path, domain: str) -> dict[str, str]:
    """What an account has before the kit: a certificate for *.DOMAIN, the
    domain's hosted zone and GitHub's OIDC provider."""
    doc = _read_json(state_dir / "stack.json")
    if not doc:
        raise RuntimeError(f"no stack running in {state_dir}")
    c = _clients(doc["endpoint_url"])
    cert = c["acm"].request_certificate(DomainName=f"*.{domain}")["CertificateArn"]
    zone = c["route53"].create_hosted_zone(Name=f"{domain}.", CallerReference=f"kit-{time.time()}")
    oidc = c["iam"].create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["0" * 40],
    )
    return {
        "certificate_arn": cert,
        "hosted_zone_id": zone["HostedZone"]["Id"].split("/")[-1],
        "oidc_provider_arn": oidc["OpenIDConnectProviderArn"],
    }


PSEUDO = {"AWS::Region": REGION, "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}


def resolve(node: Any, params: dict[str, str], conditions: dict[str, bool]) -> Any:
    """A template node with Ref, Fn::Sub, Fn::If and Fn::GetAtt resolved the way
    CloudFormation would for these parameters (a resource's Ref or attribute
    becomes `<LogicalId>` / `<LogicalId.Attribute>`), for the parts of the kit
    the emulator cannot create."""
    values = {**PSEUDO, **params}
    if isinstance(node, list):
        return [resolve(n, params, conditions) for n in node]
    if not isinstance(node, dict):
        return node
    if set(node) == {"Ref"}:
        return values.get(node["Ref"], f"<{node['Ref']}>")
    if set(node) == {"Fn::GetAtt"}:
        return f"<{'.'.join(node['Fn::GetAtt'])}>"
    if set(node) == {"Fn::If"}:
        name, yes, no = node["Fn::If"]
        return resolve(yes if conditions[name] else no, params, conditions)
    if set(node) == {"Fn::Sub"}:
        text, extra = (node["Fn::Sub"], {}) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]
        local = {**values, **{k: resolve(v, params, conditions) for k, v in extra.items()}}
        return re.sub(r"\$\{([A-Za-z0-9:]+)\}", lambda m: str(local.get(m.group(1), f"<{m.group(1)}>")), text)
    return {k: resolve(v, params, conditions) for k, v in node.items()}


def template_resource(template: Path, name: str, params: dict[str, str], conditions: dict[str, bool]) -> Any:
    from cfnlint.decode import decode_str

    doc, problems = decode_str(template.read_text())
    if problems or doc is None:
        raise RuntimeError(f"{template}: {problems}")
    if name not in doc["Resources"]:
        raise RuntimeError(f"{template} has no resource {name}")
    return resolve(json.loads(json.dumps(doc["Resources"][name])), params, conditions)


READ_ONLY = (
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
)


def plant(state_dir: Path, what: str, args: argparse.Namespace) -> dict[str, Any]:
    """One setup fault for `dynroute doctor`'s tests, or its undoing."""
    doc = _read_json(state_dir / "stack.json")
    if not doc:
        raise RuntimeError(f"no stack running in {state_dir}")
    c = _clients(doc["endpoint_url"])
    ecs = c["ecs"]
    if what == "scale":
        ecs.update_service(cluster=args.cluster, service=args.service, desiredCount=args.desired)
        deadline = time.monotonic() + 30
        while True:
            svc = ecs.describe_services(cluster=args.cluster, services=[args.service])["services"][0]
            if svc["runningCount"] == args.desired:
                return {"running": svc["runningCount"]}
            if time.monotonic() > deadline:
                raise RuntimeError(f"{args.service} still runs {svc['runningCount']} tasks, not {args.desired}")
            time.sleep(0.2)
    if what == "traefik-flag":
        svc = ecs.describe_services(cluster=args.cluster, services=[args.service])["services"][0]
        previous = svc["taskDefinition"]
        td = ecs.describe_task_definition(taskDefinition=previous)["taskDefinition"]
        old, new = args.replace.split("=>", 1)
        for container in td["containerDefinitions"]:
            if "command" in container:
                container["command"] = [new if a == old else a for a in container["command"]]
        for key in READ_ONLY:
            td.pop(key, None)
        current = ecs.register_task_definition(**td)["taskDefinition"]["taskDefinitionArn"]
        ecs.update_service(cluster=args.cluster, service=args.service, taskDefinition=current)
        return {"previous": previous, "current": current}
    if what == "use-task-definition":
        ecs.update_service(cluster=args.cluster, service=args.service, taskDefinition=args.task_definition)
        return {"current": args.task_definition}
    if what == "other-subnet":
        ec2 = c["ec2"]
        vpc = ec2.create_vpc(CidrBlock="127.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="127.0.251.0/24")["Subnet"]["SubnetId"]
        return {"vpc": vpc, "subnet": subnet}
    raise RuntimeError(f"unknown fault {what}")


def local_command(command: list[str], workdir: Path) -> tuple[list[str], dict[str, str]]:
    """The kit's Traefik arguments with loopback listeners and WORKDIR for the
    task volume; returns them and the URL of each entrypoint."""
    for flag in REQUIRED:
        if flag not in command:
            raise RuntimeError(f"the kit's Traefik command lacks {flag}")
    out, urls = [], {}
    for arg in command:
        m = ADDRESS.match(arg)
        if m:
            port = free_port()
            while f"http://127.0.0.1:{port}" in urls.values():
                port = free_port()
            urls[m.group(1)] = f"http://127.0.0.1:{port}"
            arg = f"--entrypoints.{m.group(1)}.address=127.0.0.1:{port}"
        elif "--entrypoints." in arg and ".address=" in arg:
            raise RuntimeError(f"unexpected listen address (only `:PORT` is mapped): {arg}")
        out.append(arg.replace(f"={VOLUME}/", f"={workdir}/"))
    for name in ("web", "traefik"):
        if name not in urls:
            raise RuntimeError(f"the kit's Traefik command has no `{name}` entrypoint")
    return out, urls


def start_traefik(state_dir: Path, command: list[str], workdir: Path) -> dict[str, Any]:
    doc = _read_json(state_dir / "stack.json")
    if not doc:
        raise RuntimeError(f"no stack running in {state_dir}")
    if doc.get("traefik_pid"):
        raise RuntimeError("this stack already runs a Traefik")
    args, urls = local_command(command, workdir.resolve())
    marker = next(a for a in args if a.startswith("--entrypoints.web.address="))
    out = open(state_dir / "traefik.stdout.log", "wb")
    proc = subprocess.Popen(
        [venv_bin("traefik"), *args],
        cwd=str(workdir),
        env=clean_env({"AWS_ENDPOINT_URL": doc["endpoint_url"], "HOME": str(state_dir)}),
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    _record_pid(state_dir, "traefik", proc.pid, marker)
    wait_for_traefik(proc, urls["traefik"] + "/ping", state_dir / "traefik.stdout.log")
    doc.update(
        {
            "traefik_pid": proc.pid,
            "traefik_web_url": urls["web"],
            "traefik_api_url": urls["traefik"],
            "traefik_flags": args,
            "traefik_workdir": str(workdir.resolve()),
        }
    )
    _write_json(state_dir / "stack.json", doc)
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m stack.kit")
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("deploy")
    d.add_argument("--state-dir", required=True)
    d.add_argument("--template", required=True)
    d.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    t = sub.add_parser("start-traefik")
    t.add_argument("--state-dir", required=True)
    t.add_argument("--command", required=True, metavar="FILE", help="a JSON list: the Traefik container's command")
    t.add_argument("--workdir", required=True, metavar="DIR", help="stands for the task volume /traefik")
    pr = sub.add_parser("prepare")
    pr.add_argument("--state-dir", required=True)
    pr.add_argument("--domain", required=True)
    r = sub.add_parser("resource")
    r.add_argument("--template", required=True)
    r.add_argument("--name", required=True, help="the resource's logical id")
    r.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    r.add_argument("--condition", action="append", default=[], metavar="NAME=true|false")
    pl = sub.add_parser("plant")
    pl.add_argument("what", choices=["scale", "traefik-flag", "use-task-definition", "other-subnet"])
    pl.add_argument("--state-dir", required=True)
    pl.add_argument("--cluster")
    pl.add_argument("--service")
    pl.add_argument("--desired", type=int)
    pl.add_argument("--replace", metavar="OLD=>NEW", help="one argument of the command")
    pl.add_argument("--task-definition")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "plant":
            result = plant(Path(args.state_dir), args.what, args)
            print(json.dumps(result, indent=2, default=str), flush=True)
            return 0
        if args.cmd == "resource":
            params = dict(p.split("=", 1) for p in args.param)
            conditions = {k: v == "true" for k, v in (c.split("=", 1) for c in args.condition)}
            result = template_resource(Path(args.template), args.name, params, conditions)
            print(json.dumps(result, indent=2), flush=True)
            return 0
        state_dir = Path(args.state_dir)
        if args.cmd == "prepare":
            result = prepare(state_dir, args.domain)
        elif args.cmd == "deploy":
            params = dict(p.split("=", 1) for p in args.param)
            result = deploy(state_dir, Path(args.template), params)
        else:
            command = json.loads(Path(args.command).read_text())
            if not isinstance(command, list) or not all(isinstance(a, str) for a in command):
                raise RuntimeError("--command: expected a JSON list of strings")
            result = start_traefik(state_dir, command, Path(args.workdir))
    except RuntimeError as exc:
        log(f"error: {exc}")
        return 1
    print(json.dumps(result, indent=2, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
