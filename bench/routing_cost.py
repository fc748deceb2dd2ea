"""The routing layer's own cost, and where `up`'s time goes, as live versions grow.

On a stack with Traefik (ECS provider, `refreshSeconds=1`, cluster auto-discovery), one
cluster gets 10, then 100, then 500 live versions of `api` (one RUNNING task each,
`scripts/stack ctl seed-services --desired-count 1`, spread over extra /24 subnets so
every task has an address of its own). At each size:

- **calls per refresh**: the stack's call counter for Traefik's own client
  (`aws-sdk-go-v2`, its user agent) over a sample window, divided by the refreshes in it
  (one ListClusters per refresh with auto-discovery);
- **what an `up` adds**: Traefik's calls during a `dynroute up V` (wait + verify) beyond
  its idle rate, and dynroute's own calls;
- **time to routable** and **where it goes**: the `timings` of that `up --json` (validate,
  plan, register, create/update, first task running, steady state, routable), medians
  of `--routing-runs`.
"""

from __future__ import annotations

import json
import math
import subprocess
import time
import urllib.request
from typing import TYPE_CHECKING, Any

from .main import fmt_s, log, median, rand_suffix

if TYPE_CHECKING:
    from .main import Bench, Stack

PHASES = ["validate_ms", "plan_ms", "register_ms", "create_update_ms", "first_task_running_ms",
          "steady_state_ms", "routable_ms"]
TRAEFIK_CLIENT = "aws-sdk-go-v2"
TASKS_PER_SUBNET = 240  # of .4–.254, leaving room for what else listens there


def extra_subnets(stack: Stack, count: int) -> list[str]:
    """`count` more /24 subnets of the stack's 127.0.0.0/16 VPC, for task addresses."""
    import boto3  # noqa: PLC0415  (only in the venv)

    from stack.launcher import pick_subnet_octets  # noqa: PLC0415

    ec2 = boto3.client("ec2", endpoint_url=stack.endpoint)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "cidr", "Values": ["127.0.0.0/16"]}])["Vpcs"][0]["VpcId"]
    used = {int(s["CidrBlock"].split(".")[2]) for s in ec2.describe_subnets()["Subnets"]}
    ids = []
    for octet in [o for o in pick_subnet_octets(count + len(used)) if o not in used][:count]:
        sn = ec2.create_subnet(VpcId=vpc, CidrBlock=f"127.0.{octet}.0/24", AvailabilityZone="us-east-1a")
        ids.append(sn["Subnet"]["SubnetId"])
    return ids


def enabled_routers(api: str) -> set[str]:
    with urllib.request.urlopen(f"{api}/api/http/routers?per_page=100000", timeout=10) as r:
        return {x["name"] for x in json.loads(r.read()) if x.get("status") == "enabled"}


def bench_routing_cost(bench: Bench, stack: Stack) -> None:
    a = bench.args
    web, api = stack.info["traefik_web_url"], stack.info["traefik_api_url"]
    cluster = f"cost-{rand_suffix()}"
    stack.ctl("create-cluster", cluster)
    biggest = max(a.live_versions)
    subnets = list(stack.info["subnets"])
    if biggest > TASKS_PER_SUBNET * len(subnets) // 2:  # the stack's own subnets also hold other parts' tasks
        subnets += extra_subnets(stack, math.ceil(biggest / TASKS_PER_SUBNET))
    sgs = ", ".join(stack.info["security_groups"])
    config = (f"cluster: {cluster}\nregion: us-east-1\ndomain: dev.example.com\ningress:\n  url: {web}\n"
              f"network:\n  subnets: [{', '.join(subnets)}]\n  security_groups: [{sgs}]\n"
              "services:\n  api:\n    template: templates/app.yaml\n    port: 8080\n")
    proj = bench.project("cost", config)
    env = stack.aws_env()
    env["DYNROUTE_POLL_INTERVAL"] = "250ms"
    live = 0
    rows = []
    for n in a.live_versions:
        t0 = time.perf_counter()
        versions = ",".join(f"live-{i}" for i in range(live + 1, n + 1))
        if versions:
            stack.ctl("seed-services", "--cluster", cluster, "--services", "api", "--versions", versions,
                      "--desired-count", "1", "--subnets", ",".join(subnets), "--concurrency", "8")
        want = {f"api--live-{i}@ecs" for i in range(1, n + 1)}
        loaded = bench.wait_until(lambda: want <= enabled_routers(api), 300)
        if not bench.checks.check(loaded is not None, f"routing cost {n}: routers loaded",
                                  f"Traefik did not load {n} routers within 300 s"):
            break  # the sizes measured so far are still reported
        live = n
        bench.traefik_backends_loopback(api)
        log(f"routing cost {n}: {n} live versions loaded in {time.perf_counter() - t0:.1f} s")

        # Idle: Traefik's calls per refresh.
        stack.calls_reset()
        t_idle = time.perf_counter()
        time.sleep(a.routing_sample)
        idle = stack.calls(TRAEFIK_CLIENT)
        idle_s = time.perf_counter() - t_idle
        refreshes = max(1, idle.get("ECS.ListClusters", 0))
        per_refresh = {k: v / refreshes for k, v in idle.items()}

        # One `up` (wait + verify) at a time: its timings, its calls, Traefik's extra calls.
        ups = []
        for i in range(a.routing_runs):
            version = f"cost-{i}-{rand_suffix()}"
            bench.traefik_backends_loopback(api)
            stack.calls_reset()
            t1 = time.perf_counter()
            r = subprocess.run([bench.dynroute, "up", version, "--json", "--timeout", "3m"], env=env, cwd=proj,
                               capture_output=True, text=True)
            wall = time.perf_counter() - t1
            traefik = stack.calls(TRAEFIK_CLIENT)
            ours = stack.calls("aws-sdk-rust")
            if not bench.checks.check(r.returncode == 0, f"routing cost {n}: up with wait + verify", r.stderr[-2000:]):
                break
            doc = json.loads(r.stdout)
            timings = doc.get("timings") or {}
            bench.checks.check(all(isinstance(timings.get(k), int) for k in PHASES),
                               f"routing cost {n}: up reports every phase's timing", json.dumps(timings))
            bench.checks.check(doc["services"][0]["status"].endswith("routed"), f"routing cost {n}: routed",
                               doc["services"][0]["status"])
            extra = {k: v - idle.get(k, 0) / idle_s * wall for k, v in traefik.items()}
            ups.append({"wall": wall, "timings": timings, "traefik": traefik, "extra": extra, "dynroute": ours})
            bench.down(proj, env, version)
        rows.append({"n": n, "idle": idle, "idle_s": idle_s, "refreshes": refreshes, "per_refresh": per_refresh,
                     "ups": ups})
        log(f"routing cost {n}: {sum(per_refresh.values()):.1f} Traefik calls per refresh; up to routable "
            f"{fmt_s(median([u['wall'] for u in ups]))}")
    bench.results["routing"] = {"rows": rows, "refresh_s": 1.0, "subnets": len(subnets)}


def _median_of(ups: list[dict[str, Any]], key: str) -> float:
    return median([u["timings"].get(key) or 0 for u in ups])


def _calls(d: dict[str, float]) -> str:
    return ", ".join(f"{k.split('.')[1]} {v:.1f}".replace(".0 ", " ").removesuffix(".0")
                     for k, v in sorted(d.items()) if round(v, 1) > 0) or "none"


def tables(result: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], str]]:
    rows3, rows4 = [], []
    for row in result["rows"]:
        n, ups = row["n"], row["ups"]
        per = row["per_refresh"]
        total = sum(per.values())
        extra = {}
        for u in ups:
            for k, v in u["extra"].items():
                extra[k] = extra.get(k, 0) + v / max(1, len(ups))
        ours = ups[0]["dynroute"] if ups else {}
        rows3.append([str(n), _calls(per), f"{total:.1f}", f"{total / 15:.2f}/s", f"{total / 5:.1f}/s",
                      _calls({k: max(0.0, v) for k, v in extra.items()}), _calls(ours),
                      fmt_s(median([u["wall"] for u in ups]))])
        t = {k: _median_of(ups, k) for k in PHASES}
        rows4.append([str(n), *(f"{t[k]:.0f}" for k in PHASES), f"{sum(t.values()) / 1000:.2f} s", str(len(ups))])
    return [
        ("Item 3. The routing layer's own cost: Traefik's ECS provider per refresh, by live versions",
         ["live versions", "Traefik calls per refresh", "calls/refresh", "at refreshSeconds=15", "at 5",
          "Traefik's extra calls during one `up`", "`up`'s own calls", "`up` → routable"],
         rows3,
         "One cluster, N live versions of `api` with one RUNNING task each (seeded), on the stack's Traefik with "
         "`providers.ecs.autoDiscoverClusters=true`, `refreshSeconds=1`, `providersThrottleDuration=500ms`. Calls "
         "per refresh: the stack's counter for Traefik's client (`aws-sdk-go-v2`) over a "
         "sample window ÷ the ListClusters calls in it (one per refresh); the stack's other clusters (`dev` and "
         "the other parts') are listed too. The rate columns project those calls per refresh onto "
         "refreshSeconds=15 (Traefik's default) and 5. \"Extra calls during one `up`\": Traefik's calls "
         "while `dynroute up V` (wait + verify) ran, minus its idle rate over the same time (median of the runs). "
         "`up` → routable: spawn → exit of that `up`, which returns once the ingress answers as V."),
        ("Item 4. Where `up`'s time goes (its `timings`, milliseconds, medians)",
         ["live versions", "validate", "plan", "register", "create/update", "first task running", "steady state",
          "routable", "sum", "runs"],
         rows4,
         "From `dynroute up V --json` (wait + verify) of one service on the same stack as part 3: each phase from "
         "the end of the one before. The stack's scheduler starts a task ~1 s after CreateService "
         "(`STACK_TASK_START_SECONDS`); dynroute polls every 250 ms here (`DYNROUTE_POLL_INTERVAL`); routable is "
         "Traefik's next refresh (1 s) plus its providersThrottleDuration (0.5 s)."),
    ]


def raw(result: dict[str, Any]) -> list[dict[str, Any]]:
    return result["rows"]


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """Figures for the projection text: calls per refresh at each N."""
    return {row["n"]: sum(row["per_refresh"].values()) for row in result["rows"]}

