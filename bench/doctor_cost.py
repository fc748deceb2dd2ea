"""`dynroute doctor` on a healthy setup, side by side with `ls` (part `doctor`).

The setup is the one the doctor's own test calls healthy: the platform kit
(deploy/dynroute-platform.yaml) deployed on a stack of its own (moto's
CloudFormation), its Traefik started as its task would run (the init container's
command fills the plugin folder, then Traefik runs the kit's command), and a project
on the kit's cluster with `main` of two services deployed and routed, a third
service's main a baseline (a service dynroute did not create), plus an
activity recorder reading that Traefik's `/metrics` that has run once. Then, in
turns: `doctor --json` (every check must be `ok`) and `ls --json` of the same
project. Reported: the medians and ranges, their ratio per turn, and the AWS calls
each made.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .main import ROOT, STACK, Series, fmt_s, log, median, require_loopback, run_measured

if TYPE_CHECKING:
    from .main import Bench, Stack

CLUSTER = "kit"
TOKEN = "abcdefghijklmnopqrstuvwxyz012345"


def kit(stack: Stack, *args: str) -> Any:
    out = subprocess.run([str(STACK), "python", "-m", "stack.kit", *args, "--state-dir", str(stack.state_dir)],
                         env=stack.env, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"stack.kit {args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)


def container(task_definition: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in task_definition["containerDefinitions"] if c["name"] == name)


def start_kit(bench: Bench, stack: Stack, volume: Path) -> dict[str, Any]:
    """Deploys the kit and starts its Traefik; the stack's info with its URLs."""
    prepared = kit(stack, "prepare", "--domain", "dev.test")
    subnets = ",".join(stack.info["subnets"])
    params = [
        f"ClusterName={CLUSTER}", "CreateCluster=true", f"VpcId={stack.info['vpc_id']}",
        f"TaskSubnetIds={subnets}", f"LoadBalancerSubnetIds={subnets}", "Domain=dev.test",
        f"CertificateArn={prepared['certificate_arn']}", f"HostedZoneId={prepared['hosted_zone_id']}",
        "DynrouteImage=ghcr.io/dynroute/dynroute:test", "GitHubRepositories=acme/shop",
        f"GitHubOidcProviderArn={prepared['oidc_provider_arn']}", "ScheduledPrune=false",
        "RefreshSeconds=1", "TraefikDesiredCount=1", f"ApiToken={TOKEN}",
    ]
    args = ["deploy", "--template", "deploy/dynroute-platform.yaml"]
    for p in params:
        args += ["--param", p]
    deployed = kit(stack, *args)
    if deployed.get("status") != "CREATE_COMPLETE":
        raise RuntimeError(f"the kit did not deploy: {deployed.get('status')} {deployed.get('failures')}")
    td = deployed["task_definitions"]["TraefikTaskDefinition"]
    init = [str(volume) if a == "/traefik" else a for a in container(td, "plugin")["command"]]
    out = subprocess.run([bench.dynroute, *init], cwd=volume, env=bench.env, stdin=subprocess.DEVNULL,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"the kit's init container failed:\n{out.stderr[-2000:]}")
    command = volume / "traefik-command.json"
    command.write_text(json.dumps(container(td, "traefik")["command"]))
    kit(stack, "start-traefik", "--command", str(command), "--workdir", str(volume))
    return json.loads((stack.state_dir / "stack.json").read_text())


def bench_doctor(bench: Bench, stack: Stack) -> None:
    a = bench.args
    with tempfile.TemporaryDirectory(prefix="dynroute-bench-kit-") as volume:
        info = start_kit(bench, stack, Path(volume))
        web, api = info["traefik_web_url"], info["traefik_api_url"]
        for url in (web, api):
            require_loopback(url, "the kit's Traefik")
        config = (f"cluster: {CLUSTER}\nregion: us-east-1\ndomain: dev.test\ningress:\n  url: {web}\n"
                  f"activity:\n  metrics: [{api}/metrics]\n"
                  f"traefik:\n  api_url: {api}\n  rule_syntax: v3\n  entrypoints: [web]\n"
                  f"{stack.network_yaml()}services:\n"
                  "  docapi:\n    template: templates/app.yaml\n    port: 8080\n    health_check_path: /health\n"
                  "  docweb:\n    template: templates/app.yaml\n    port: 8080\n"
                  "    hosts: [docweb.dev.test, docwww.dev.test]\n"
                  "  docbase:\n    template: templates/app.yaml\n    port: 8080\n"
                  "    baseline: {ecs_service: legacy-docbase}\n")
        proj = bench.project("doctor", config)
        env = stack.aws_env()
        # A service main already runs (a baseline), created from the labels dynroute prints for it.
        labels = subprocess.run([bench.dynroute, "labels", "-s", "docbase", "--format", "json"], env=env, cwd=proj,
                                capture_output=True, text=True)
        if not bench.checks.check(labels.returncode == 0, "doctor: labels of the baseline", labels.stderr[-2000:]):
            return
        (proj / "labels.json").write_text(labels.stdout)
        stack.ctl("create-unmanaged-service", "--cluster", CLUSTER, "--name", "legacy-docbase",
                  "--labels-file", str(proj / "labels.json"), "--desired-count", "1")
        for service in ("docapi", "docweb"):
            r = subprocess.run([bench.dynroute, "up", "main", "-s", service, "-q", "--no-verify"], env=env, cwd=proj,
                               capture_output=True, text=True)
            if not bench.checks.check(r.returncode == 0, f"doctor: up main -s {service}", r.stderr[-2000:]):
                return

        def routed() -> bool:
            bench.traefik_backends_loopback(api)
            with urllib.request.urlopen(f"{api}/api/http/routers?per_page=10000", timeout=5) as r:
                names = {x["name"] for x in json.loads(r.read()) if x.get("status") == "enabled"}
            return {"docapi--main@ecs", "docweb--main@ecs", "docbase--main@ecs"} <= names

        if not bench.checks.check(bench.wait_until(routed, 120) is not None, "doctor: main routed",
                                  "Traefik did not route main within 120 s"):
            return
        r = subprocess.run([bench.dynroute, "activity", "record"], env=env, cwd=proj, capture_output=True, text=True)
        bench.checks.check(r.returncode == 0, "doctor: activity record", r.stderr[-2000:])
        env = dict(env, DYNROUTE_RESOLVE="*.dev.test=127.0.0.1")

        def healthy(run: Any) -> str | None:
            try:
                checks = json.loads(run.stdout)["checks"]
            except (ValueError, KeyError) as e:
                return f"doctor --json did not parse: {e}"
            bad = [c["id"] for c in checks if c["status"] != "ok"]
            return f"not ok: {bad}" if bad else None

        doctor, ls = Series(), Series()
        doctor_calls: dict[str, int] = {}
        ls_calls: dict[str, int] = {}
        checks_count = 0
        for i in range(a.doctor_warmup + a.doctor_runs):
            for label, series, cmd in (("doctor", doctor, [bench.dynroute, "doctor", "--json"]),
                                       ("ls", ls, [bench.dynroute, "ls", "--json"])):
                stack.calls_reset()
                run = run_measured(cmd, env=env, cwd=proj)
                calls = stack.calls("aws-sdk-rust")
                if bench.checks.check(run.rc == 0, f"doctor part: {label} exit code", f"rc={run.rc}\n{run.stderr[-2000:]}") \
                        and label == "doctor":
                    problem = healthy(run)
                    bench.checks.check(problem is None, "doctor: every check ok", problem or "")
                    checks_count = len(json.loads(run.stdout)["checks"])
                if i >= a.doctor_warmup:
                    series.runs.append(run)
                    if label == "doctor":
                        doctor_calls = calls
                    else:
                        ls_calls = calls
        bench.results["doctor"] = {"doctor": doctor, "ls": ls, "doctor_calls": doctor_calls, "ls_calls": ls_calls,
                                   "checks": checks_count}
        log(f"doctor: {fmt_s(doctor.med)} (ls {fmt_s(ls.med)})")


def tables(result: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], str]]:
    doctor, ls = result["doctor"], result["ls"]
    turns = sorted(d / l for d, l in zip(doctor.walls, ls.walls))
    rows = []
    for label, s, calls in (("`doctor --json`", doctor, result["doctor_calls"]), ("`ls --json`", ls, result["ls_calls"])):
        walls = sorted(s.walls)
        ratio = f"{doctor.med / ls.med:.1f}× ({turns[0]:.1f}–{turns[-1]:.1f}×)" if s is doctor and turns else ""
        rows.append([label, fmt_s(s.med), f"{fmt_s(walls[0])} – {fmt_s(walls[-1])}", str(len(s.runs)), ratio,
                     ", ".join(f"{n} {c.split('.', 1)[1]}" for c, n in sorted(calls.items())) or "-"])
    return [(
        "Item 5. `doctor` on a healthy setup, beside `ls`",
        ["command", "median wall", "min – max", "runs", "÷ `ls` (min–max per turn)", "AWS calls"],
        rows,
        f"The platform kit deployed on the stack (moto's CloudFormation), its Traefik running the kit's command, "
        f"main of two services routed and a baseline, an activity recorder that has run once: `doctor --json` answers "
        f"{result['checks']} checks, every one `ok`. The two commands run in turns in the same project. doctor's "
        "checks run one after another (each one's findings decide what the next can read); IAM's policy "
        "simulator gets its questions 4 at a time.",
    )]


def raw(result: dict[str, Any]) -> dict[str, Any]:
    return {k: {"walls": result[k].walls, "median": median(result[k].walls)} for k in ("doctor", "ls")} | {
        "doctor_calls": result["doctor_calls"], "ls_calls": result["ls_calls"], "checks": result["checks"]}
