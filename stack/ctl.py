"""Small helper CLI against a running stack (boto3; loopback endpoints only).

    python -m stack.ctl [--endpoint URL | --state-dir DIR] COMMAND ...
    scripts/stack ctl [--state-dir DIR] COMMAND ...

Without --endpoint the endpoint (and the stack's subnets / security group) come from
DIR/stack.json (default .stack/run). Commands:

  info                                      print stack.json
  create-cluster NAME
  create-unmanaged-service --cluster C --name N [--desired-count 1] [--image IMG] [--port 8080]
      a service WITHOUT the dynroute:managed tag (awsvpc, the stack's subnets)
  seed-services --cluster C --count N [--services api,web] [--versions v1,v2] [--project P]
                [--desired-count N] [--subnets ID,ID]
                [--owner O] [--ttl-hours 72] [--expired] [--desired-count 0]
      N managed services named {service}--{version} with dynroute tags and labels
  services --cluster C                      JSON: name, status, counts, tags
  calls [--client NAME | --app APP | --by-client]   API call counts
  calls-reset                               zero the call and injected-fault counters
  iam-simulation set [--allow A,B | --allow-all] [--deny-simulation] | show
      the stand-in for IAM's SimulatePrincipalPolicy (moto has none): which actions
      it allows, or that the caller may not simulate; `show` lists the requests seen
  injected [--client NAME | --app APP]      faults injected per API since the last reset
  faults set [--app APP] [--client NAME] [--seed N] [--throttle API=RATE]...
             [--server-error API=RATE]... [--latency API=MS]... [--consistency-seconds S]
             [--json DOC]
      switch faults on for one scope (replacing its settings; see stack/faults.py)
  faults show                               every scope, its settings and injections
  faults clear [--app APP]                  one scope off (no --app: every scope)
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import ipaddress
import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .launcher import DEFAULT_STATE_DIR, REGION, http_get, http_post

# The repository this stack belongs to (stack/ is one of its folders).
REPO = Path(__file__).resolve().parent.parent


def rfc3339(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Ctx:
    def __init__(self, endpoint: str, stack: dict[str, Any] | None):
        host = urllib.request.urlparse(endpoint).hostname or ""
        if not ipaddress.ip_address(host).is_loopback:
            raise SystemExit(f"error: refusing non-loopback endpoint {endpoint}")
        self.endpoint = endpoint.rstrip("/")
        self.stack = stack or {}
        self._clients: dict[str, Any] = {}

    def client(self, name: str) -> Any:
        if name not in self._clients:
            import boto3
            from botocore.config import Config

            self._clients[name] = boto3.client(
                name,
                endpoint_url=self.endpoint,
                region_name=self.stack.get("region", REGION),
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                config=Config(max_pool_connections=32, retries={"max_attempts": 3, "mode": "standard"}),
            )
        return self._clients[name]

    def network(self) -> tuple[list[str], list[str]]:
        if self.stack.get("subnets"):
            return list(self.stack["subnets"]), list(self.stack.get("security_groups") or [])
        ec2 = self.client("ec2")
        vpcs = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["127.0.0.0/16"]}])["Vpcs"]
        if not vpcs:
            raise SystemExit("error: no 127.0.0.0/16 VPC found; is this a dynroute stack?")
        vpc_id = vpcs[0]["VpcId"]
        subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]]
        groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]
        named = [g["GroupId"] for g in groups if g["GroupName"] == "dev-tasks"]
        return subnets, named or [groups[0]["GroupId"]]


def cmd_create_cluster(ctx: Ctx, args: argparse.Namespace) -> Any:
    c = ctx.client("ecs").create_cluster(clusterName=args.name)["cluster"]
    return {"clusterName": c["clusterName"], "clusterArn": c["clusterArn"], "status": c["status"]}


def cmd_create_unmanaged_service(ctx: Ctx, args: argparse.Namespace) -> Any:
    ecs = ctx.client("ecs")
    subnets, sgs = ctx.network()
    td = ecs.register_task_definition(
        family=args.name,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": "app",
                "image": args.image,
                "essential": True,
                "portMappings": [{"containerPort": args.port, "protocol": "tcp"}],
                "environment": [{"name": "OWNER", "value": "someone-else"}],
                **({"dockerLabels": json.loads(Path(args.labels_file).read_text())} if args.labels_file else {}),
            }
        ],
        tags=[{"key": "team", "value": "other"}],
    )["taskDefinition"]
    svc = ecs.create_service(
        cluster=args.cluster,
        serviceName=args.name,
        taskDefinition=td["taskDefinitionArn"],
        desiredCount=args.desired_count,
        launchType="FARGATE",
        tags=[{"key": "team", "value": "other"}],
        networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": sgs}},
    )["service"]
    return {"serviceName": svc["serviceName"], "serviceArn": svc["serviceArn"], "taskDefinition": td["taskDefinitionArn"]}


def output_only_fields() -> list[str]:
    """The fields describe-task-definition prints and RegisterTaskDefinition refuses:
    dynroute's own list (src/taskdef/output_only_fields.txt), not a copy."""
    path = REPO / "src" / "taskdef" / "output_only_fields.txt"
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def cmd_register_task_definition(ctx: Ctx, args: argparse.Namespace) -> Any:
    """Registers a task definition file as a team would have: RegisterTaskDefinition
    input, or describe-task-definition output (unwrapped, read-only fields dropped)."""
    with open(args.file, encoding="utf-8") as f:
        doc = json.load(f)
    td = dict(doc.get("taskDefinition") or doc)
    if doc.get("taskDefinition") and doc.get("tags") and not td.get("tags"):
        td["tags"] = doc["tags"]
    for key in output_only_fields():
        td.pop(key, None)
    if not td.get("tags"):
        td.pop("tags", None)
    out = ctx.client("ecs").register_task_definition(**td)["taskDefinition"]
    return {"taskDefinitionArn": out["taskDefinitionArn"], "family": out["family"], "revision": out["revision"]}


def dynroute_bin() -> str:
    """The dynroute binary seed-services renders with: $DYNROUTE_BIN, else the
    repository's debug build."""
    path = os.environ.get("DYNROUTE_BIN") or str(REPO / "target" / "debug" / "dynroute")
    if not os.access(path, os.X_OK):
        raise SystemExit(
            f"error: seed-services registers what `dynroute render` prints, and {path} is not there; "
            "build it with `cargo build` or set DYNROUTE_BIN"
        )
    return path


SEED_TEMPLATE = """\
# The seeded services' template: a Fargate web container on port 8080.
networkMode: awsvpc
requiresCompatibilities: [FARGATE]
cpu: "256"
memory: "512"
containerDefinitions:
  - name: app
    image: "example/{{ service }}:{{ image_tag }}"
    essential: true
    portMappings:
      - containerPort: 8080
        protocol: tcp
"""


def _seed_project(folder: Path, cluster: str, services: list[str], project: str | None) -> Path:
    """A dynroute project whose `render` gives the seeded services: every
    service on `{service}.dev.example.com`, port 8080, Traefik entrypoint `web`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "seed.yaml").write_text(SEED_TEMPLATE, encoding="utf-8")
    lines = [
        "# Written by `scripts/stack ctl seed-services`.",
        f"project: {json.dumps(project or 'seed')}",
        f"cluster: {json.dumps(cluster)}",
        "domain: dev.example.com",
        "protected: [main]",
        "traefik:",
        "  entrypoints: [web]",
        "services:",
    ]
    for service in services:
        lines += [f"  {service}:", "    template: seed.yaml", "    container: app", "    port: 8080"]
    config = folder / "dynroute.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def _render(config: Path, version: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The RegisterTaskDefinition inputs `dynroute render` prints for `version`."""
    import subprocess

    ttl = f"{max(1, int(args.ttl_hours * 3600))}s"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(config.parent),
        "AWS_EC2_METADATA_DISABLED": "true",
        "NO_COLOR": "1",
    }
    out = subprocess.run(
        [dynroute_bin(), "render", version, "--config", str(config), "--image-tag", args.image_tag,
         "--owner", args.owner, "--ttl", ttl, "--no-input", "-o", "json"],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60, check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"error: dynroute render {version} failed:\n{out.stderr}")
    rendered = json.loads(out.stdout)
    return rendered if isinstance(rendered, list) else [rendered]


def _seed_version(ctx: Ctx, cluster: str, config: Path, version: str, services: list[str],
                  args: argparse.Namespace, subnets: list[str], sgs: list[str]) -> list[str]:
    ecs = ctx.client("ecs")
    names = []
    for td in _render(config, version, args):
        tags = {t["key"]: t["value"] for t in td.get("tags", [])}
        if tags.get("dynroute:service") not in services:
            continue
        if not getattr(args, "project", None):
            # A service deployed before dynroute tagged projects: visible to every project.
            tags.pop("dynroute:project", None)
        if args.expired:
            # Time passing, not a rule of our own: the expiry moves an hour into the past.
            past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
            tags["dynroute:expires-at"] = rfc3339(past)
        td["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
        arn = ecs.register_task_definition(**td)["taskDefinition"]["taskDefinitionArn"]
        ecs.create_service(
            cluster=cluster,
            serviceName=td["family"],
            taskDefinition=arn,
            desiredCount=args.desired_count,
            launchType="FARGATE",
            propagateTags="SERVICE",
            tags=td["tags"],
            deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
            networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": sgs}},
        )
        names.append(td["family"])
    return names


def cmd_seed_services(ctx: Ctx, args: argparse.Namespace) -> Any:
    """Seeds managed services the way `dynroute up` would register them: the task
    definitions and tags are exactly what `dynroute render` prints for a small
    project of these services, so the stack never re-implements the product."""
    services = [s for s in args.services.split(",") if s]
    if args.versions:
        versions = [v for v in args.versions.split(",") if v]
        pairs = [(s, v) for v in versions for s in services]
        if args.count is not None:
            if args.count > len(pairs):
                raise SystemExit(f"error: --count {args.count} > {len(pairs)} service/version combinations")
            pairs = pairs[: args.count]
    else:
        count = args.count if args.count is not None else 1
        pairs = [(services[i % len(services)], f"feature-{i // len(services) + 1}") for i in range(count)]
    subnets, sgs = ctx.network()
    if args.subnets:
        subnets = [x for x in args.subnets.split(",") if x]
    by_version: dict[str, list[str]] = {}
    for service, version in pairs:
        by_version.setdefault(version, []).append(service)
    import tempfile

    base = Path(args.state_dir) if getattr(args, "state_dir", None) else Path(tempfile.gettempdir())
    with tempfile.TemporaryDirectory(prefix="seed-project-", dir=base if base.is_dir() else None) as folder:
        config = _seed_project(Path(folder), args.cluster, services, getattr(args, "project", None))
        ctx.client("ecs")  # create the client before the threads share it
        names: list[str] = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            futs = [pool.submit(_seed_version, ctx, args.cluster, config, v, svcs, args, subnets, sgs)
                    for v, svcs in by_version.items()]
            for f in futs:
                names.extend(f.result())
    return {"cluster": args.cluster, "created": len(names), "services": names}


def cmd_services(ctx: Ctx, args: argparse.Namespace) -> Any:
    """Every service of the cluster with its status, counts and tags, whatever its
    status (ListServices, like ECS, hides DRAINING and INACTIVE ones)."""
    url = ctx.endpoint + "/_stack/services?cluster=" + urllib.request.quote(args.cluster)
    return json.loads(http_get(url)[1])


def cmd_calls(ctx: Ctx, args: argparse.Namespace) -> Any:
    url = ctx.endpoint + "/_stack/calls"
    if args.by_client:
        url += "/by-client"
    elif args.client:
        url += "?client=" + urllib.request.quote(args.client)
    elif args.app:
        url += "?app=" + urllib.request.quote(args.app)
    return json.loads(http_get(url)[1])


def _request(url: str, method: str, body: bytes | None = None) -> Any:
    host = urllib.request.urlparse(url).hostname or ""
    if not ipaddress.ip_address(host).is_loopback:
        raise SystemExit(f"error: refusing non-loopback URL {url}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with opener.open(req, timeout=5) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise SystemExit(f"error: {method} {url}: {json.loads(e.read()).get('error', e.code)}") from None


def _pairs(items: list[str], flag: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items or []:
        api, sep, value = item.rpartition("=")
        try:
            out[api] = float(value)
        except ValueError:
            sep = ""
        if not sep or not api:
            raise SystemExit(f"error: {flag} {item!r}: expected API=NUMBER, e.g. ecs:DescribeServices=0.3 or '*=0.1'")
    return out


def cmd_faults(ctx: Ctx, args: argparse.Namespace) -> Any:
    url = ctx.endpoint + "/_stack/faults"
    if args.action == "show":
        return _request(url, "GET")
    if args.action == "clear":
        if args.app:
            url += "?app=" + urllib.request.quote(args.app)
        return _request(url, "DELETE")
    doc: dict[str, Any] = json.loads(args.json) if args.json else {}
    if args.app:
        doc["app"] = args.app
    if args.client:
        doc["client"] = args.client
    if args.seed is not None:
        doc["seed"] = args.seed
    for key, items, flag in (
        ("throttle", args.throttle, "--throttle"),
        ("server_errors", args.server_error, "--server-error"),
        ("latency_ms", args.latency, "--latency"),
    ):
        if items:
            doc[key] = {**doc.get(key, {}), **_pairs(items, flag)}
    if args.consistency_seconds is not None:
        doc["consistency_seconds"] = args.consistency_seconds
    return _request(url, "POST", json.dumps(doc).encode())


def cmd_injected(ctx: Ctx, args: argparse.Namespace) -> Any:
    url = ctx.endpoint + "/_stack/injected"
    if args.app:
        url += "?app=" + urllib.request.quote(args.app)
    elif args.client:
        url += "?client=" + urllib.request.quote(args.client)
    return _request(url, "GET")


def cmd_strict(ctx: Ctx, args: argparse.Namespace) -> Any:
    """ECS requests per operation and every request ECS would refuse (strict mode)."""
    return json.loads(http_get(ctx.endpoint + "/_stack/strict")[1])


def cmd_writes(ctx: Ctx, args: argparse.Namespace) -> Any:
    url = ctx.endpoint + "/_stack/writes"
    if args.client:
        url += "?client=" + urllib.request.quote(args.client)
    return json.loads(http_get(url)[1])


def cmd_calls_reset(ctx: Ctx, args: argparse.Namespace) -> Any:
    return json.loads(http_post(ctx.endpoint + "/_stack/calls/reset")[1])


def cmd_iam_simulation(ctx: Ctx, args: argparse.Namespace) -> Any:
    url = ctx.endpoint + "/_stack/iam-simulation"
    if args.action == "show":
        return _request(url, "GET")
    doc = {
        "allow": None if args.allow_all else [a for a in (args.allow or "").split(",") if a],
        "deny_simulation": args.deny_simulation,
    }
    return _request(url, "POST", json.dumps(doc).encode())


def cmd_info(ctx: Ctx, args: argparse.Namespace) -> Any:
    return ctx.stack or {"endpoint_url": ctx.endpoint}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="stack.ctl", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoint", help="moto endpoint URL (default: from --state-dir/stack.json)")
    ap.add_argument("--state-dir", default=str(DEFAULT_STATE_DIR))
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("create-cluster")
    p.add_argument("name")
    p = sub.add_parser("create-unmanaged-service")
    p.add_argument("--cluster", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--desired-count", type=int, default=1)
    p.add_argument("--image", default="example/unmanaged:1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--labels-file", help="JSON object of Docker labels for the container (e.g. `dynroute labels main --format json`)")
    p = sub.add_parser("register-task-definition")
    p.add_argument("--file", required=True, help="RegisterTaskDefinition input or describe-task-definition output (JSON)")
    p = sub.add_parser("seed-services")
    p.add_argument("--cluster", required=True)
    p.add_argument("--count", type=int)
    p.add_argument("--services", default="api", help="comma-separated service names (default: api)")
    p.add_argument("--versions", help="comma-separated versions (default: feature-1, feature-2, ...)")
    p.add_argument("--owner", default="bench@example.com")
    p.add_argument("--ttl-hours", type=float, default=72.0)
    p.add_argument("--expired", action="store_true", help="set dynroute:expires-at in the past")
    p.add_argument("--project", help="also tag dynroute:project with this project")
    p.add_argument("--desired-count", type=int, default=0)
    p.add_argument("--image-tag", default="1")
    p.add_argument("--subnets", help="comma-separated subnet ids for the tasks (default: the stack's; more "
                   "subnets, more task addresses: about 250 per /24)")
    p.add_argument("--concurrency", type=int, default=8)
    p = sub.add_parser("services")
    p.add_argument("--cluster", required=True)
    p = sub.add_parser("calls")
    p.add_argument("--client", help="only calls from this client (aws-sdk-rust, aws-sdk-go-v2, Boto3, aws-cli, ...)")
    p.add_argument("--by-client", action="store_true")
    p.add_argument("--app", help="only requests whose User-Agent carries app/APP (AWS_SDK_UA_APP_ID)")
    sub.add_parser("calls-reset")
    p = sub.add_parser("iam-simulation")
    p.add_argument("action", choices=["set", "show"])
    p.add_argument("--allow", metavar="ACTION,...", help="allow only these actions (ecs:CreateService,...)")
    p.add_argument("--allow-all", action="store_true", help="allow every action (the default)")
    p.add_argument("--deny-simulation", action="store_true", help="answer SimulatePrincipalPolicy itself with AccessDenied")
    sub.add_parser("strict")
    p = sub.add_parser("writes")
    p.add_argument("--client", help="only writes from this client (aws-sdk-rust is dynroute)")
    p = sub.add_parser("injected")
    p.add_argument("--client")
    p.add_argument("--app")
    p = sub.add_parser("faults")
    p.add_argument("action", choices=["set", "show", "clear"])
    p.add_argument("--app", help="scope: requests whose User-Agent carries app/APP (default: every request of --client)")
    p.add_argument("--client", help="the client to fault (default aws-sdk-rust: dynroute)")
    p.add_argument("--seed", type=int)
    p.add_argument("--throttle", action="append", metavar="API=RATE", help="ThrottlingException rate 0..1; API: ecs:ListServices, ecs:*, *")
    p.add_argument("--server-error", action="append", metavar="API=RATE", help="HTTP 500 rate 0..1")
    p.add_argument("--latency", action="append", metavar="API=MS", help="added latency in milliseconds")
    p.add_argument("--consistency-seconds", type=float, help="hide a new service from DescribeServices/ListServices this long")
    p.add_argument("--json", help="the whole setting as JSON (flags add to it)")

    args = ap.parse_args(argv)
    stack = None
    if not args.endpoint:
        path = Path(args.state_dir) / "stack.json"
        try:
            stack = json.loads(path.read_text())
        except (OSError, ValueError):
            print(f"error: no running stack ({path} missing); start one or pass --endpoint", file=sys.stderr)
            return 1
        endpoint = stack["endpoint_url"]
    else:
        endpoint = args.endpoint
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    ctx = Ctx(endpoint, stack)
    handler = {
        "info": cmd_info,
        "create-cluster": cmd_create_cluster,
        "create-unmanaged-service": cmd_create_unmanaged_service,
        "register-task-definition": cmd_register_task_definition,
        "seed-services": cmd_seed_services,
        "services": cmd_services,
        "calls": cmd_calls,
        "calls-reset": cmd_calls_reset,
        "iam-simulation": cmd_iam_simulation,
        "writes": cmd_writes,
        "strict": cmd_strict,
        "injected": cmd_injected,
        "faults": cmd_faults,
    }[args.cmd]
    print(json.dumps(handler(ctx, args), indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
