"""dynroute benchmarks on the local stack (run through scripts/bench, not directly).

    scripts/bench [--smoke] [--markdown FILE] [--sizes 100,500,1000] [--skip-traefik] ...

Measures, against moto + the ECS scheduler stand-in (+ Traefik for part 4), all on
loopback:

 1. `dynroute ls --json` with N managed services vs the AWS CLI loop and a concurrent
    boto3 client (wall time, API calls from the stack's counter, peak RSS);
 2. `dynroute up VERSION --no-wait` of a K-service version vs a sequential AWS CLI script;
 3. cold start of every offline command and the binary size (bench/cold.py);
 4. time-to-routable / time-to-gone of a version through Traefik;
 5. how the cost of `ls` grows with N, projected onto ECS API limits;
 6. `dynroute check` of 50/200/400 cases vs `hurl` and a curl loop (bench/check_compare.py);
 7. Traefik's ECS calls per refresh at 10/100/500 live versions, and `up`'s phase
    timings (bench/routing_cost.py).
 8. `run`: spawn → the task's first log line and container exit → dynroute's exit;
    what two hooks add to `up` (bench/oneoff.py);
 9. `doctor` on the platform kit, healthy, beside `ls` (bench/doctor_cost.py);
10. peak RSS of `up` of 30 services and `serve` on part 1's largest cluster, in one
    table with part 1's and the check part's (bench/memory.py).

Wall time (spawn → exit) and peak RSS (ru_maxrss of RUSAGE_CHILDREN: the largest
process of the measured tree) come from bench/rss.rs, a ~1 MiB launcher: measured
from this Python process, every child's ru_maxrss would include the interpreter's
~25 MiB it was forked from.
Only checks of correctness (exit codes, parseable output, exact API call counts)
fail a run; times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import math
import os
import platform
import random
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
STACK = ROOT / "scripts" / "stack"
VENV_BIN = ROOT / ".stack" / "venv" / "bin"

# Ten service names: seeded versions deploy all ten (N services = N/10 versions).
SERVICE_NAMES = ["api", "web", "auth", "cart", "search", "pay", "mail", "img", "geo", "feed"]

TEMPLATE = """\
networkMode: awsvpc
requiresCompatibilities: [FARGATE]
cpu: "256"
memory: "512"
containerDefinitions:
  - name: "{{ service }}"
    image: "example/{{ service }}:{{ image_tag }}"
    memory: 256
    portMappings:
      - containerPort: 8080
"""


# --------------------------------------------------------------------------- utilities


def log(msg: str) -> None:
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def is_loopback_url(url: str) -> bool:
    host = urllib.parse.urlparse(url).hostname or ""
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network("127.0.0.0/8")
    except ValueError:
        return False


def require_loopback(url: str, what: str) -> None:
    if not is_loopback_url(url):
        raise SystemExit(f"bench: error: refusing to run: {what} {url!r} is not a 127.0.0.0/8 address")


def rand_suffix(n: int = 5) -> str:
    return "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(n))


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def fmt_s(x: float) -> str:
    if x != x:  # NaN
        return "-"
    if x < 0.1:
        return f"{x * 1000:.1f} ms"
    if x < 10:
        return f"{x:.2f} s"
    return f"{x:.1f} s"


def fmt_mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB" if kib else "-"


def fmt_ratio(x: float) -> str:
    if x != x or x == float("inf"):
        return "-"
    return f"{x:.1f}×" if x < 100 else f"{x:.0f}×"


@dataclass
class Run:
    wall: float
    maxrss_kib: int
    rc: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # user + system seconds of the process tree


def rss_helper() -> str:
    helper = os.environ.get("BENCH_RSS_HELPER") or str(ROOT / ".stack" / "bench-rss")
    if not os.access(helper, os.X_OK):
        raise SystemExit(f"bench: error: {helper} missing (scripts/bench builds it from bench/rss.rs)")
    return helper


def run_measured(cmd: list[str], *, env: dict[str, str], cwd: Path | None = None, timeout: float = 900) -> Run:
    """Runs cmd under bench/rss.rs: wall time (spawn → exit) and peak RSS of the process tree."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(prefix="dynroute-bench-rss-") as stats:
        proc = subprocess.run([rss_helper(), stats.name, *cmd], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                              env=env, cwd=cwd, timeout=timeout)
        out.seek(0)
        err.seek(0)
        wall_ns, rss, cpu_us = Path(stats.name).read_text().split()
        return Run(int(wall_ns) / 1e9, int(rss), proc.returncode,
                   out.read().decode(errors="replace"), err.read().decode(errors="replace"), int(cpu_us) / 1e6)


def boto3_listed(stdout: str, n: int) -> str | None:
    """What is wrong with bench/boto3_ls.py's output, expected to list n managed services."""
    try:
        doc = json.loads(stdout)
    except ValueError as e:
        return f"boto3 output did not parse: {e}"
    managed = sum(1 for s in doc if s["tags"].get("dynroute:managed") == "true")
    return None if managed == n else f"boto3 listed {managed} managed services, expected {n}"


def cli_described(out_file: Path, n: int) -> str | None:
    """What is wrong with bench/cli_ls.sh's output file, expected to describe n services."""
    got = out_file.read_text().count('"serviceName"')
    return None if got == n else f"CLI loop described {got} services, expected {n}"


class Checks:
    def __init__(self) -> None:
        self.passed = 0
        self.failed: list[str] = []

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
        else:
            self.failed.append(what + (f": {detail}" if detail else ""))
            log(f"FAIL {what}" + (f": {detail}" if detail else ""))
        return ok


# --------------------------------------------------------------------------- the stack


class Stack:
    """A stack of our own in a temp state dir; stopped in stop() (and at exit)."""

    def __init__(self, traefik: bool, env: dict[str, str]):
        self.state_dir = Path(tempfile.mkdtemp(prefix="dynroute-bench-stack-"))
        self.env = env
        self.started = False
        args = [str(STACK), "start", "--state-dir", str(self.state_dir)] + (["--traefik"] if traefik else [])
        log(f"starting stack{' with Traefik' if traefik else ''} in {self.state_dir}")
        self.started = True  # pids.json is written at spawn time: stop() is safe from here
        out = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if out.returncode != 0:
            self.stop()
            raise SystemExit(f"bench: error: scripts/stack start failed:\n{out.stderr}")
        self.info: dict[str, Any] = json.loads(out.stdout)
        self.endpoint: str = self.info["endpoint_url"]
        require_loopback(self.endpoint, "stack endpoint")
        for cidr in self.info.get("subnet_cidrs") or []:
            if not ipaddress.ip_network(cidr).subnet_of(ipaddress.ip_network("127.0.0.0/8")):
                self.stop()
                raise SystemExit(f"bench: error: stack subnet {cidr} is not in 127.0.0.0/8")
        for key in ("traefik_web_url", "traefik_api_url"):
            if self.info.get(key):
                require_loopback(self.info[key], key)

    def stop(self) -> None:
        if self.started:
            self.started = False
            subprocess.run([str(STACK), "stop", "--state-dir", str(self.state_dir)], env=self.env,
                           stdin=subprocess.DEVNULL, capture_output=True)
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def network_yaml(self) -> str:
        """The `network:` section of a project on this stack (its subnets and security groups)."""
        return (f"network:\n  subnets: [{', '.join(self.info['subnets'])}]\n"
                f"  security_groups: [{', '.join(self.info['security_groups'])}]\n  assign_public_ip: false\n")

    def aws_env(self) -> dict[str, str]:
        env = dict(self.env)
        env["AWS_ENDPOINT_URL"] = self.endpoint
        return env

    def ctl(self, *args: str) -> Any:
        out = subprocess.run([str(STACK), "ctl", "--state-dir", str(self.state_dir), *args], env=self.env,
                             stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(f"scripts/stack ctl {' '.join(args)} failed:\n{out.stderr}")
        return json.loads(out.stdout) if out.stdout.strip() else None

    # The same endpoints `scripts/stack ctl calls` / `calls-reset` use, without the
    # Python start-up of ctl between measurements.
    def calls(self, client: str) -> dict[str, int]:
        url = f"{self.endpoint}/_stack/calls?client={urllib.parse.quote(client)}"
        with urllib.request.urlopen(url, timeout=5) as r:
            return json.loads(r.read())

    def calls_reset(self) -> None:
        req = urllib.request.Request(f"{self.endpoint}/_stack/calls/reset", data=b"", method="POST")
        with urllib.request.urlopen(req, timeout=5) as r:
            r.read()


# --------------------------------------------------------------------------- the benchmark


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)  # of the last run

    @property
    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    @property
    def med(self) -> float:
        return median(self.walls)

    @property
    def cpu_med(self) -> float:
        return median([r.cpu for r in self.runs])

    @property
    def rss(self) -> int:
        return max((r.maxrss_kib for r in self.runs), default=0)

    @property
    def inproc_med(self) -> float:
        """boto3 only: median seconds from after `import boto3` + client creation to the end."""
        xs = []
        for r in self.runs:
            for ln in r.stderr.splitlines():
                if ln.startswith("BENCH "):
                    xs.append(json.loads(ln[6:])["api_s"])
        return median(xs)

    @property
    def ncalls(self) -> int:
        return sum(self.calls.values())


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        # The machine is shared: the load average at the start and the end of the run is printed.
        self.load_start = os.getloadavg()
        self.dynroute = str(Path(args.dynroute).resolve())
        self.checks = Checks()
        self.stacks: list[Stack] = []
        self.work = Path(tempfile.mkdtemp(prefix="dynroute-bench-"))
        base = dict(os.environ)
        for k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
            base.pop(k, None)
        base.update(
            AWS_EC2_METADATA_DISABLED="true",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_REGION="us-east-1",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE="/dev/null",
            AWS_SHARED_CREDENTIALS_FILE="/dev/null",
            CI="true",
            NO_COLOR="1",
            PATH=f"{VENV_BIN}{os.pathsep}{base.get('PATH', '')}",
        )
        self.env = base
        self.results: dict[str, Any] = {}
        help_up = subprocess.run([self.dynroute, "up", "--help"], capture_output=True, text=True, env=base)
        self.has_no_verify = "--no-verify" in help_up.stdout

    # ---- helpers

    def start_stack(self, traefik: bool) -> Stack:
        s = Stack(traefik, self.env)
        self.stacks.append(s)
        return s

    def stop_stacks(self) -> None:
        while self.stacks:
            self.stacks.pop().stop()

    def project(self, name: str, config: str) -> Path:
        d = self.work / name
        (d / "templates").mkdir(parents=True, exist_ok=True)
        (d / "templates" / "app.yaml").write_text(TEMPLATE)
        (d / "dynroute.yaml").write_text(config)
        return d

    def up_flags(self) -> list[str]:
        return ["--no-wait"] + (["--no-verify"] if self.has_no_verify else [])

    def measure(self, stack: Stack, client: str, cmd: list[str], *, cwd: Path | None = None,
                runs: int, warmup: int = 0, validate: Callable[[Run], str | None] | None = None,
                label: str) -> Series:
        series = Series()
        env = stack.aws_env()
        for i in range(warmup + runs):
            stack.calls_reset()
            r = run_measured(cmd, env=env, cwd=cwd)
            calls = stack.calls(client)
            ok = self.checks.check(r.rc == 0, f"{label}: exit code", f"rc={r.rc}\n{r.stderr[-2000:]}")
            if ok and validate:
                problem = validate(r)
                self.checks.check(problem is None, f"{label}: output", problem or "")
            if i >= warmup:
                series.runs.append(r)
                series.calls = calls
        return series

    # ---- 1 + 5: ls

    def bench_ls(self, stack: Stack) -> None:
        a = self.args
        rows = []
        for n in a.sizes:
            cluster = f"ls-{n}-{rand_suffix()}"
            stack.ctl("create-cluster", cluster)
            t0 = time.perf_counter()
            stack.ctl("seed-services", "--cluster", cluster, "--count", str(n), "--services", ",".join(SERVICE_NAMES))
            log(f"ls: seeded {n} services into {cluster} in {time.perf_counter() - t0:.1f} s")
            proj = self.project(f"ls-{n}", f"cluster: {cluster}\nregion: us-east-1\ndomain: bench.test\nservices:\n  api:\n    template: templates/app.yaml\n    port: 8080\n")
            expected = {"ECS.ListServices": math.ceil(n / 100), "ECS.DescribeServices": math.ceil(n / 10)}

            def count_dynroute(r: Run, n: int = n) -> str | None:
                try:
                    doc = json.loads(r.stdout)
                except ValueError as e:
                    return f"ls --json did not parse: {e}"
                got = sum(len(v["services"]) for v in doc)
                return None if got == n else f"ls --json lists {got} services, expected {n}"

            def count_boto3(r: Run, n: int = n) -> str | None:
                return boto3_listed(r.stdout, n)

            out_file = self.work / f"cli-ls-{n}.json"

            def count_cli(r: Run, n: int = n, out_file: Path = out_file) -> str | None:
                return cli_described(out_file, n)

            fast_runs = a.runs
            cli_runs = a.cli_runs if n <= a.cli_full_max else a.cli_runs_large
            log(f"ls {n}: dynroute ×{fast_runs}")
            dyn = self.measure(stack, "aws-sdk-rust", [self.dynroute, "ls", "--json"], cwd=proj, runs=fast_runs,
                               warmup=a.warmup, validate=count_dynroute, label=f"ls {n} dynroute")
            log(f"ls {n}: boto3 ×{fast_runs}")
            boto = self.measure(stack, "Boto3", [sys.executable, str(BENCH / "boto3_ls.py"), cluster, "--workers", str(a.workers)],
                                runs=fast_runs, warmup=a.warmup, validate=count_boto3, label=f"ls {n} boto3")
            log(f"ls {n}: AWS CLI loop ×{cli_runs}")
            cli = self.measure(stack, "aws-cli", ["bash", str(BENCH / "cli_ls.sh"), cluster, str(out_file)],
                               runs=cli_runs, validate=count_cli, label=f"ls {n} aws-cli")
            for label, s in (("dynroute", dyn), ("boto3", boto), ("aws-cli", cli)):
                self.checks.check(s.calls == expected, f"ls {n} {label}: API calls", f"got {s.calls}, expected {expected}")
            rows.append({"n": n, "dynroute": dyn, "boto3": boto, "cli": cli, "expected": expected, "proj": proj})
            log(f"ls {n}: dynroute {fmt_s(dyn.med)}  boto3 {fmt_s(boto.med)}  aws-cli {fmt_s(cli.med)}")
        self.results["ls"] = rows

    # ---- 2: up

    def bench_up(self, stack: Stack) -> None:
        a = self.args
        k = a.up_services
        cluster = f"up-{rand_suffix()}"
        stack.ctl("create-cluster", cluster)
        svc = "".join(f"  {name}:\n    template: templates/app.yaml\n    port: 8080\n" for name in SERVICE_NAMES[:k])
        config = f"cluster: {cluster}\nregion: us-east-1\ndomain: bench.test\n{stack.network_yaml()}services:\n{svc}"
        proj = self.project("up", config)
        env = stack.aws_env()
        expected = {"ECS.DescribeServices": math.ceil(k / 10), "ECS.RegisterTaskDefinition": k, "ECS.CreateService": k}

        dyn = Series()
        for i in range(a.up_runs):
            version = f"bench-{i}-{rand_suffix()}"
            stack.calls_reset()
            r = run_measured([self.dynroute, "up", version, *self.up_flags(), "--json"], env=env, cwd=proj)
            calls = stack.calls("aws-sdk-rust")
            if self.checks.check(r.rc == 0, "up dynroute: exit code", f"rc={r.rc}\n{r.stderr[-2000:]}"):
                try:
                    doc = json.loads(r.stdout)
                    actions = [s["action"] for s in doc["services"]]
                    self.checks.check(actions == ["create"] * k, "up dynroute: output", f"actions {actions}")
                except (ValueError, KeyError, TypeError) as e:
                    self.checks.check(False, "up dynroute: output", f"up --json did not parse: {e}")
            self.checks.check(calls == expected, "up dynroute: API calls", f"got {calls}, expected {expected}")
            dyn.runs.append(r)
            dyn.calls = calls
            self.down(proj, env, version)

        cli = Series()
        for i in range(a.up_cli_runs):
            version = f"bench-cli-{i}-{rand_suffix()}"
            inputs = self.work / f"cli-up-{version}"
            inputs.mkdir()
            rendered = subprocess.run([self.dynroute, "render", version, "--json"], env=env, cwd=proj,
                                      capture_output=True, text=True)
            if not self.checks.check(rendered.returncode == 0, "up aws-cli: render inputs", rendered.stderr[-2000:]):
                break
            tds = json.loads(rendered.stdout)
            tds = tds if isinstance(tds, list) else [tds]
            for td in tds:
                name = td["family"]
                (inputs / f"{name}.td.json").write_text(json.dumps(td))
                (inputs / f"{name}.svc.json").write_text(json.dumps({
                    "serviceName": name,
                    "desiredCount": 1,
                    "launchType": "FARGATE",
                    "propagateTags": "SERVICE",
                    "enableECSManagedTags": True,
                    "deploymentConfiguration": {
                        "deploymentCircuitBreaker": {"enable": True, "rollback": True},
                        "maximumPercent": 200,
                        "minimumHealthyPercent": 100,
                    },
                    "networkConfiguration": {"awsvpcConfiguration": {
                        "subnets": stack.info["subnets"],
                        "securityGroups": stack.info["security_groups"],
                        "assignPublicIp": "DISABLED",
                    }},
                    "tags": td.get("tags", []),
                }))
            stack.calls_reset()
            r = run_measured(["bash", str(BENCH / "cli_up.sh"), cluster, str(inputs)], env=env)
            calls = stack.calls("aws-cli")
            self.checks.check(r.rc == 0, "up aws-cli: exit code", f"rc={r.rc}\n{r.stderr[-2000:]}")
            want = {"ECS.RegisterTaskDefinition": k, "ECS.CreateService": k}
            self.checks.check(calls == want, "up aws-cli: API calls", f"got {calls}, expected {want}")
            cli.runs.append(r)
            cli.calls = calls
            self.down(proj, env, version)
        # Idempotent `up`: the same version again, nothing changed. It must send no
        # RegisterTaskDefinition, CreateService or UpdateService (only its tags are
        # refreshed); its time side by side with `ls` of the same cluster.
        version = f"bench-again-{rand_suffix()}"
        first = subprocess.run([self.dynroute, "up", version, *self.up_flags()], env=env, cwd=proj,
                               capture_output=True, text=True)
        again, ls = Series(), Series()
        if self.checks.check(first.returncode == 0, "up again: first up", first.stderr[-2000:]):
            writes = ("ECS.RegisterTaskDefinition", "ECS.CreateService", "ECS.UpdateService")

            def unchanged(r: Run) -> str | None:
                try:
                    actions = [s["action"] for s in json.loads(r.stdout)["services"]]
                except (ValueError, KeyError, TypeError) as e:
                    return f"up --json did not parse: {e}"
                return None if actions == ["unchanged"] * k else f"actions {actions}"

            for i in range(a.up_runs):
                again_run = self.measure(stack, "aws-sdk-rust", [self.dynroute, "up", version, *self.up_flags(), "--json"],
                                         cwd=proj, runs=1, validate=unchanged, label="up again")
                sent = {c: n for c, n in again_run.calls.items() if c in writes}
                self.checks.check(not sent, "up again: no register, create or update", f"sent {sent}")
                again.runs.extend(again_run.runs)
                again.calls = again_run.calls
                ls_run = self.measure(stack, "aws-sdk-rust", [self.dynroute, "ls", "--json"], cwd=proj, runs=1, label="ls beside up again")
                ls.runs.extend(ls_run.runs)
                ls.calls = ls_run.calls
            self.down(proj, env, version)
        self.results["up"] = {"k": k, "dynroute": dyn, "cli": cli, "expected": expected, "again": again, "ls": ls}
        log(f"up {k}: dynroute {fmt_s(dyn.med)}  aws-cli {fmt_s(cli.med)}"
            + (f"  again {fmt_s(again.med)} (ls {fmt_s(ls.med)})" if again.runs else ""))

    def down(self, proj: Path, env: dict[str, str], version: str) -> None:
        r = subprocess.run([self.dynroute, "down", version, "--yes"], env=env, cwd=proj, capture_output=True, text=True)
        self.checks.check(r.returncode == 0, f"down {version}: exit code", r.stderr[-2000:])

    # ---- 3 / 5: cold start and binary size (bench/cold.py)

    def bench_cold(self) -> None:
        from . import cold

        self.results["cold"] = cold.bench_cold(self.dynroute, dict(self.env), self.args.cold_runs, self.work, self.checks)
        self.results["sizes"] = cold.sizes(self.dynroute)

    # ---- 4: Traefik

    def traefik_backends_loopback(self, api_url: str) -> None:
        with urllib.request.urlopen(f"{api_url}/api/http/services", timeout=2) as r:
            services = json.loads(r.read())
        for s in services:
            for server in (s.get("loadBalancer") or {}).get("servers") or []:
                url = server.get("url", "")
                if not is_loopback_url(url):
                    raise SystemExit(f"bench: error: Traefik service {s.get('name')} has a non-loopback server {url!r}; stopping")

    def routed_version(self, web_url: str, api_url: str, host: str, baggage: str | None) -> str | None:
        self.traefik_backends_loopback(api_url)  # before every request
        u = urllib.parse.urlparse(web_url)
        require_loopback(web_url, "traefik_web_url")
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=2)
        try:
            headers = {"Host": host}
            if baggage:
                headers["baggage"] = baggage
            conn.request("GET", "/", headers=headers)
            resp = conn.getresponse()
            resp.read()
            return resp.getheader("X-Dynroute-Version")
        except OSError:
            return None
        finally:
            conn.close()

    def wait_until(self, pred: Callable[[], bool], timeout: float) -> float | None:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if pred():
                return time.perf_counter()
            time.sleep(0.05)
        return None

    def bench_traefik(self, stack: Stack) -> None:
        a = self.args
        web, api = stack.info["traefik_web_url"], stack.info["traefik_api_url"]
        cluster = f"route-{rand_suffix()}"
        stack.ctl("create-cluster", cluster)
        subnets = ", ".join(stack.info["subnets"])
        sgs = ", ".join(stack.info["security_groups"])
        config = (f"cluster: {cluster}\nregion: us-east-1\ndomain: bench.test\ningress:\n  url: {web}\n"
                  f"network:\n  subnets: [{subnets}]\n  security_groups: [{sgs}]\nservices:\n"
                  f"  api:\n    template: templates/app.yaml\n    port: 8080\n    hosts: [api.bench.test]\n")
        proj = self.project("route", config)
        env = stack.aws_env()
        env["DYNROUTE_POLL_INTERVAL"] = "250ms"
        host = "api.bench.test"
        log("traefik: deploying main (the fallback)")
        no_verify = ["--no-verify"] if self.has_no_verify else []  # we check routing ourselves, backends first
        r = subprocess.run([self.dynroute, "up", "main", "--timeout", "2m", *no_verify], env=env, cwd=proj,
                           capture_output=True, text=True)
        if not self.checks.check(r.returncode == 0, "traefik: up main", r.stderr[-2000:]):
            return
        if not self.checks.check(
            self.wait_until(lambda: self.routed_version(web, api, host, None) == "main", 60) is not None,
            "traefik: main routable", "no X-Dynroute-Version: main within 60 s"):
            return
        rows = []
        for i in range(a.route_runs):
            version = f"route-{i}-{rand_suffix()}"
            baggage = f"dynamic_route={version}"
            t0 = time.perf_counter()
            up = subprocess.run([self.dynroute, "up", version, *self.up_flags()], env=env, cwd=proj, capture_output=True, text=True)
            t_up = time.perf_counter() - t0
            if not self.checks.check(up.returncode == 0, "traefik: up", up.stderr[-2000:]):
                break
            t1 = self.wait_until(lambda: self.routed_version(web, api, host, baggage) == version, 60)
            if not self.checks.check(t1 is not None, "traefik: version routable", f"{version} not routed within 60 s"):
                break
            routable = t1 - t0
            t2 = time.perf_counter()
            down = subprocess.run([self.dynroute, "down", version, "--yes"], env=env, cwd=proj, capture_output=True, text=True)
            t_down = time.perf_counter() - t2
            if not self.checks.check(down.returncode == 0, "traefik: down", down.stderr[-2000:]):
                break
            t3 = self.wait_until(lambda: self.routed_version(web, api, host, baggage) == "main", 60)
            if not self.checks.check(t3 is not None, "traefik: version gone", f"{version} still routed after 60 s"):
                break
            row = {"version": version, "up": t_up, "routable": routable, "down": t_down, "gone": t3 - t2}
            if self.has_no_verify:
                # dynroute's own end-to-end: `up` that waits for the rollout and verifies through the ingress.
                v2 = f"routev-{i}-{rand_suffix()}"
                self.traefik_backends_loopback(api)
                t4 = time.perf_counter()
                full = subprocess.run([self.dynroute, "up", v2, "--timeout", "2m"], env=env, cwd=proj,
                                      capture_output=True, text=True)
                row["up_verify"] = time.perf_counter() - t4
                self.checks.check(full.returncode == 0, "traefik: up with wait + verify", full.stderr[-2000:])
                self.down(proj, env, v2)
            rows.append(row)
            log(f"traefik run {i + 1}: up {fmt_s(t_up)}, routable after {fmt_s(routable)}; down {fmt_s(t_down)}, gone after {fmt_s(t3 - t2)}")
        # Traefik's own polling of the API (shared budget), with this one cluster + `dev`.
        stack.calls_reset()
        time.sleep(a.traefik_sample)
        polled = stack.calls("aws-sdk-go-v2")
        self.results["traefik"] = {"runs": rows, "polling": polled, "sample_s": a.traefik_sample,
                                   "clusters": len(self._clusters(stack))}

    # ---- 1: check vs hurl vs a curl loop (bench/check_compare.py)

    def bench_check(self, stack: Stack) -> None:
        from . import check_compare

        check_compare.bench_check_sizes(self, stack)

    # ---- 3 + 4: the routing layer's cost and `up`'s phases (bench/routing_cost.py)

    def bench_routing(self, stack: Stack) -> None:
        from . import routing_cost

        routing_cost.bench_routing_cost(self, stack)

    def _clusters(self, stack: Stack) -> list[str]:
        import boto3  # noqa: PLC0415  (only in the venv)

        ecs = boto3.client("ecs", endpoint_url=stack.endpoint)
        return ecs.list_clusters()["clusterArns"]

    # ---- reporting

    def versions(self) -> dict[str, str]:
        from importlib.metadata import PackageNotFoundError, version

        out: dict[str, str] = {}
        for pkg in ("moto", "boto3", "botocore", "awscli"):
            try:
                out[pkg] = version(pkg)
            except PackageNotFoundError:
                out[pkg] = "?"

        def cmd(args: list[str]) -> str:
            try:
                return subprocess.run(args, capture_output=True, text=True, cwd=ROOT).stdout.strip()
            except OSError:
                return "?"

        tv = cmd([str(VENV_BIN / "traefik"), "version"])
        out["traefik"] = next((ln.split()[-1] for ln in tv.splitlines() if ln.startswith("Version")), "?")
        out["rustc"] = cmd(["rustc", "--version"]).removeprefix("rustc ")
        sha = cmd(["git", "rev-parse", "--short=12", "HEAD"])
        dirty = cmd(["git", "status", "--porcelain", "--untracked-files=no"])
        out["dynroute"] = cmd([self.dynroute, "--version"]).removeprefix("dynroute ") + f" (git {sha}{', dirty tree' if dirty else ''})"
        out["python"] = platform.python_version()
        return out

    def machine(self) -> dict[str, str]:
        cpu = "?"
        try:
            for ln in Path("/proc/cpuinfo").read_text().splitlines():
                if ln.startswith("model name"):
                    cpu = ln.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        mem = "?"
        try:
            for ln in Path("/proc/meminfo").read_text().splitlines():
                if ln.startswith("MemTotal"):
                    mem = f"{int(ln.split()[1]) / 1024 / 1024:.1f} GiB"
        except OSError:
            pass
        osname = platform.platform()
        try:
            for ln in Path("/etc/os-release").read_text().splitlines():
                if ln.startswith("PRETTY_NAME="):
                    osname = ln.split("=", 1)[1].strip('"') + f" (kernel {platform.release()})"
        except OSError:
            pass
        return {"nproc": str(os.cpu_count()), "memory": mem, "os": osname, "cpu": cpu}

    def tables(self) -> list[tuple[str, list[str], list[list[str]], str]]:
        """(title, header, rows, note) for every part that ran."""
        out = []
        a = self.args
        if "ls" in self.results:
            rows = []
            for row in self.results["ls"]:
                dyn, boto, cli = row["dynroute"], row["boto3"], row["cli"]
                for label, s in (("dynroute ls --json", dyn), (f"boto3, {a.workers} threads", boto), ("aws-cli loop", cli)):
                    calls = ", ".join(f"{k.split('.')[1]} {v}" for k, v in sorted(s.calls.items(), reverse=True))
                    rows.append([str(row["n"]), label, fmt_s(s.med), str(len(s.runs)),
                                 "" if s is dyn else fmt_ratio(s.med / dyn.med), calls, fmt_s(s.cpu_med), fmt_mib(s.rss)])
                    if s is boto:
                        rows.append([str(row["n"]), "  boto3 API part only¹", fmt_s(s.inproc_med), str(len(s.runs)),
                                     fmt_ratio(s.inproc_med / dyn.med), "(same)", "", ""])
            out.append((
                "1. `ls` with N managed services",
                ["N", "client", "median wall", "runs", "÷ dynroute", "API calls", "CPU (client)", "peak RSS"],
                rows,
                f"Fresh cluster per N, seeded with `scripts/stack ctl seed-services` ({len(SERVICE_NAMES)} services per version). "
                f"Expected calls: ceil(N/100) ListServices + ceil(N/10) DescribeServices. "
                f"{a.warmup} unmeasured warm-up run(s) for dynroute and boto3. The AWS CLI loop runs "
                f"{a.cli_runs}× up to N={a.cli_full_max} and {a.cli_runs_large}× above (each `aws` process costs ~0.5 s). "
                "boto3 times include the Python interpreter's start-up and `import boto3`, like running the script does; "
                "¹ is the same runs timed inside the script from after `import boto3` and client creation to the end "
                "(the fairest comparison for a long-running concurrent client). CPU is user + system time of the client's "
                "process tree (the stack's own CPU excluded).",
            ))
        if "up" in self.results:
            u = self.results["up"]
            k = u["k"]
            dyn, cli = u["dynroute"], u["cli"]
            flags = " ".join(self.up_flags())
            rows = [
                [f"dynroute up VERSION {flags}", fmt_s(dyn.med), str(len(dyn.runs)), "",
                 ", ".join(f"{x.split('.')[1]} {v}" for x, v in sorted(dyn.calls.items())), f"{dyn.ncalls / k:.1f}", fmt_mib(dyn.rss)],
                ["aws-cli script (sequential)", fmt_s(cli.med), str(len(cli.runs)), fmt_ratio(cli.med / dyn.med),
                 ", ".join(f"{x.split('.')[1]} {v}" for x, v in sorted(cli.calls.items())), f"{cli.ncalls / k:.1f}" if cli.runs else "-", fmt_mib(cli.rss)],
            ]
            again, ls = u.get("again"), u.get("ls")
            if again is not None and again.runs and ls.runs:
                walls = sorted(again.walls)
                rows.append([f"dynroute up VERSION {flags}, again, nothing changed (min {fmt_s(walls[0])}, max {fmt_s(walls[-1])})",
                             fmt_s(again.med), str(len(again.runs)), "",
                             ", ".join(f"{x.split('.')[1]} {v}" for x, v in sorted(again.calls.items())),
                             f"{again.ncalls / k:.1f}", fmt_mib(again.rss)])
                rows.append([f"dynroute ls --json of the same cluster, in turns (÷: up again ÷ ls = {again.med / ls.med:.2f})",
                             fmt_s(ls.med), str(len(ls.runs)), "",
                             ", ".join(f"{x.split('.')[1]} {v}" for x, v in sorted(ls.calls.items())), "-", fmt_mib(ls.rss)])
            out.append((
                f"2. `up` of a {k}-service version (no waiting)",
                ["client", "median wall", "runs", "÷ dynroute", "API calls", "calls/service", "peak RSS"],
                rows,
                "Fresh version name per run, removed with `dynroute down --yes` afterwards (not timed). "
                "The CLI script gets the task definitions pre-rendered by `dynroute render` (not timed) and sends "
                "register-task-definition + create-service per service with the same settings."
                + ("" if self.has_no_verify else " This dynroute build has no `--no-verify` flag (no verification step), so it was omitted."),
            ))
        if "cold" in self.results:
            from . import cold

            out.extend(cold.tables(self.results["cold"], self.results["sizes"]))
        if "traefik" in self.results:
            t = self.results["traefik"]
            runs = t["runs"]
            keys = ["up", "routable", "down", "gone"] + (["up_verify"] if runs and "up_verify" in runs[0] else [])
            rows = [[str(i + 1)] + [fmt_s(r.get(k, float("nan"))) for k in keys] for i, r in enumerate(runs)]
            if runs:
                rows.append(["median"] + [fmt_s(median([r.get(k, float("nan")) for r in runs])) for k in keys])
            polled = t["polling"]
            rate = ", ".join(f"{k.split('.')[1]} {v / t['sample_s']:.1f}/s" for k, v in sorted(polled.items()))
            out.append((
                "4. Time to routable / time to gone through Traefik",
                ["run", "`up --no-wait` exits", "routable after", "`down --yes` exits", "gone after",
                 "`up` (wait + verify) exits"][: 1 + len(keys)],
                rows,
                "From the start of `up` until `GET /` with `Host: api.bench.test` and the version's baggage answers "
                "`X-Dynroute-Version: VERSION` (polled every 50 ms); from the start of `down` until it answers `main` "
                "again. The last column (when dynroute has `--verify`) is a plain `up` of another fresh version, which "
                "waits for the rollout and then verifies through the ingress itself. Traefik runs with `providers.ecs.refreshSeconds=1` and `providersThrottleDuration=500ms`; "
                "the new task starts ~1 s after CreateService (the stack's scheduler). Every server URL Traefik knows "
                f"was checked to be 127.x before each request. Traefik's own ECS polling meanwhile ({t['clusters']} clusters, "
                f"{t['sample_s']:.0f} s sample): {rate or 'none'}.",
            ))
        if "check" in self.results:
            from . import check_compare

            out.extend(check_compare.tables(self.results["check"]))
        if "routing" in self.results:
            from . import routing_cost

            out.extend(routing_cost.tables(self.results["routing"]))
        if "oneoff" in self.results:
            from . import oneoff

            out.extend(oneoff.tables(self.results["oneoff"]))
        if "doctor" in self.results:
            from . import doctor_cost

            out.extend(doctor_cost.tables(self.results["doctor"]))
        if "memory" in self.results:
            from . import memory

            out.extend(memory.tables(self.results))
        if "ls" in self.results and len(self.results["ls"]) > 1:
            ls = self.results["ls"]
            base = ls[0]
            rows = []
            for row in ls:
                dyn = row["dynroute"]
                rows.append([str(row["n"]), str(dyn.calls.get("ECS.ListServices", 0)), str(dyn.calls.get("ECS.DescribeServices", 0)),
                             str(dyn.ncalls), fmt_s(dyn.med), f"{dyn.med / base['dynroute'].med:.1f}×",
                             f"{dyn.ncalls / dyn.med:.0f}/s", fmt_s(real_ls_seconds(dyn.ncalls, 20.0))])
            out.append((
                "5. How `ls` grows",
                ["N", "ListServices", "DescribeServices", "calls", "median wall", "vs smallest", "calls/s here",
                 "≥ at 20 req/s"],
                rows,
                "The last column is the floor on real ECS if dynroute had the whole ~20 req/s sustained read budget "
                "(no burst credit): calls ÷ 20.",
            ))
        return out

    def render_text(self) -> str:
        lines = []
        for title, header, rows, note in self.tables():
            widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
            lines.append(title)
            lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths)))
            for r in rows:
                lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)))
            lines.append("")
        return "\n".join(lines)

    def render_markdown(self, command: str) -> str:
        m, v = self.machine(), self.versions()
        out = ["## Results", "",
               f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}.", "",
               "Versions: " + "; ".join(f"{k} {v[k]}" for k in ("dynroute", "rustc", "moto", "traefik", "awscli", "boto3", "botocore", "python")) + ".",
               "", "Load average (1, 5, 15 min): " + " at the start, ".join(
                   " / ".join(f"{x:.2f}" for x in load) for load in (self.load_start, os.getloadavg())) + " at the end.",
               "", f"Command: `{command}`", ""]
        for title, header, rows, note in self.tables():
            out.append(f"### {title}")
            out.append("")
            out.append("| " + " | ".join(header) + " |")
            out.append("|" + "|".join("---" for _ in header) + "|")
            for r in rows:
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
            out.append("")
            out.append(note)
            out.append("")
        if "ls" in self.results:
            out.append(projection(self.results))
            out.append("")
        return "\n".join(out)


def real_ls_seconds(calls: int, rate: float) -> float:
    return calls / rate


def projection(results: dict[str, Any]) -> str:
    ls = results["ls"]
    biggest = ls[-1]
    n = biggest["n"]
    calls = biggest["dynroute"].ncalls
    per_call_ms = biggest["dynroute"].med / calls * 1000
    tr = results.get("traefik", {})
    polled = tr.get("polling") or {}
    sample = tr.get("sample_s") or 1
    clusters = tr.get("clusters") or 0
    measured = ""
    if polled and clusters:
        per_refresh = ", ".join(f"{v / sample:.1f} {k.split('.')[1]}" for k, v in sorted(polled.items()))
        measured = (f"Measured in part 4 (refreshSeconds=1, {clusters} clusters, one of them with a running task), "
                    f"Traefik made per refresh: {per_refresh} — one ListClusters (auto-discovery), one ListTasks per "
                    "cluster and one DescribeTasks per cluster that has tasks; task definitions are described once "
                    "and cached. ")
    traefik_15 = (1 + 2 * math.ceil(n / 100)) / 15  # one cluster, N tasks (one per service)
    left = 20 - traefik_15
    return (
        "### Projection onto the real ECS API\n\n"
        f"`ls` is linear in N by construction: ceil(N/100) + ceil(N/10) calls, {calls} at N={n}, at most 8 in "
        "flight; ListServices pages are fetched one after another (each needs the previous page's token), then "
        "the DescribeServices batches run concurrently. On the local stack every call is served from memory by "
        "one moto process, one request at a time, so the wall time above is moto's time per call "
        f"(≈{per_call_ms:.0f} ms per call) — dynroute itself used {biggest['dynroute'].cpu_med:.2f} s of CPU in its "
        f"{biggest['dynroute'].med:.2f} s at N={n}, i.e. it waits on the server "
        f"{100 * (1 - biggest['dynroute'].cpu_med / biggest['dynroute'].med):.0f}% of the time. "
        "On AWS the binding limit is the API rate instead: ECS read actions get roughly 20 requests/s sustained "
        "per account and region (plus a burst bucket), shared with everything else that reads ECS in that "
        "account and region — above all Traefik. Traefik's ECS provider polls every `refreshSeconds` "
        "(default 15 s) per cluster: ListClusters with auto-discovery, then ListTasks and DescribeTasks, "
        "100 tasks per call. " + measured +
        f"A shared dev cluster with {n} single-task services thus costs Traefik about "
        f"(1 + 2×{math.ceil(n / 100)}) calls per 15 s ≈ {traefik_15:.1f} req/s, leaving ≈{left:.0f} req/s. "
        f"dynroute's 8 concurrent calls at ~50–100 ms each would ask for 80–160 req/s, so at N={n} it empties the "
        f"burst bucket and then proceeds at the refill rate: ≈{calls / left:.1f} s for the {calls} calls (vs "
        f"{biggest['dynroute'].med:.1f} s here), with ThrottlingException retries (10 attempts, exponential backoff "
        "from 50 ms with jitter) absorbing the excess rather than failing. While it runs, Traefik's own polls of that second "
        "can be throttled too (Traefik retries them on its next refresh). So: hundreds of versions list in a few "
        "seconds, and cost scales as N/10 calls; the same rate-limit math says a read "
        "concurrency of 4 would be as fast on AWS and leave more room for Traefik."
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="smallest sizes, few runs, no part 4 (Traefik timing), a 2-version check; checks only")
    ap.add_argument("--markdown", metavar="FILE", help="also write the results as a Markdown section to FILE")
    ap.add_argument("--json", metavar="FILE", help="also write the raw measurements as JSON to FILE")
    ap.add_argument("--dynroute", help="the binary under test (default: scripts/bench runs `cargo build --release` "
                    "and uses target/release/dynroute)")
    ap.add_argument("--sizes", default="100,500,1000", help="ls sizes (default 100,500,1000)")
    ap.add_argument("--runs", type=int, default=7, help="measured runs of dynroute and boto3 per size (default 7)")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured warm-up runs of dynroute and boto3 (default 1)")
    ap.add_argument("--workers", type=int, default=8, help="boto3 client threads (default 8, as dynroute)")
    ap.add_argument("--cli-runs", type=int, default=3, help="AWS CLI loop runs per size up to --cli-full-max (default 3)")
    ap.add_argument("--cli-full-max", type=int, default=500, help="largest N that gets --cli-runs (default 500)")
    ap.add_argument("--cli-runs-large", type=int, default=1, help="AWS CLI loop runs above --cli-full-max (default 1)")
    ap.add_argument("--up-services", type=int, default=10, help="services of the `up` version (default 10)")
    ap.add_argument("--up-runs", type=int, default=7, help="dynroute up runs (default 7)")
    ap.add_argument("--up-cli-runs", type=int, default=3, help="AWS CLI up script runs (default 3)")
    ap.add_argument("--cold-runs", type=int, default=30, help="runs per cold-start command (default 30)")
    ap.add_argument("--route-runs", type=int, default=5, help="time-to-routable runs (default 5)")
    ap.add_argument("--traefik-sample", type=float, default=10.0, help="seconds to sample Traefik's polling (default 10)")
    ap.add_argument("--check-cases", default="50,200,400",
                    help="table sizes of the check part, in cases (default 50,200,400: 50, 202, 411)")
    ap.add_argument("--check-runs", type=int, default=5, help="measured runs of check, hurl and the curl loop (default 5)")
    ap.add_argument("--check-warmup", type=int, default=1, help="unmeasured warm-up runs of each (default 1)")
    ap.add_argument("--live-versions", default="10,100,500",
                    help="live versions (one task each) of the routing part (default 10,100,500)")
    ap.add_argument("--routing-runs", type=int, default=3, help="`up` runs (wait + verify) per size (default 3)")
    ap.add_argument("--routing-sample", type=float, default=10.0,
                    help="seconds to count Traefik's idle calls per size (default 10)")
    ap.add_argument("--oneoff-runs", type=int, default=5, help="runs of each `run` case and of `up` with and without hooks (default 5)")
    ap.add_argument("--oneoff-sleeps", default="0,6", help="seconds the `run` task lasts after its first line (default 0,6)")
    ap.add_argument("--doctor-runs", type=int, default=5, help="measured runs of doctor and ls (default 5)")
    ap.add_argument("--doctor-warmup", type=int, default=1, help="unmeasured warm-up runs of each (default 1)")
    ap.add_argument("--memory-up-services", type=int, default=30, help="services of the memory part's `up` (default 30)")
    ap.add_argument("--skip-traefik", action="store_true", help="skip part 4 (Traefik)")
    ap.add_argument("--only", default="ls,up,cold,traefik,check,routing,oneoff,doctor,memory",
                    help="parts to run (default ls,up,cold,traefik,check,routing,oneoff,doctor,memory)")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sizes = "20"
        args.runs, args.warmup, args.cli_runs, args.cli_runs_large = 1, 0, 1, 1
        args.up_services, args.up_runs, args.up_cli_runs = 3, 1, 1
        args.cold_runs = 3
        args.check_cases, args.check_runs, args.check_warmup = "50", 1, 0
        args.live_versions, args.routing_runs, args.routing_sample = "10", 1, 3.0
        args.oneoff_runs, args.oneoff_sleeps, args.doctor_runs, args.doctor_warmup = 1, "0", 1, 0
        args.memory_up_services = 3
        args.skip_traefik = True
    args.sizes = [int(x) for x in str(args.sizes).split(",") if x]
    args.check_cases = [int(x) for x in str(args.check_cases).split(",") if x]
    args.live_versions = sorted(int(x) for x in str(args.live_versions).split(",") if x)
    args.oneoff_sleeps = [int(x) for x in str(args.oneoff_sleeps).split(",") if x]
    args.only = set(args.only.split(","))
    if args.skip_traefik:
        args.only.discard("traefik")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.dynroute:
        args.dynroute = str(ROOT / "target" / "release" / "dynroute")
    if not os.access(args.dynroute, os.X_OK):
        raise SystemExit(f"bench: error: {args.dynroute} is not an executable; run scripts/bench (it builds it)")
    t_start = time.perf_counter()
    bench = Bench(args)

    def on_signal(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    try:
        if "cold" in args.only:
            log("cold start")
            bench.bench_cold()
        if args.only & {"ls", "up", "memory"}:
            stack = bench.start_stack(traefik=False)
            # `up` first: moto's TagResource looks for its resource among every
            # service of the stack, so after part 1 has seeded thousands it would
            # measure moto's search, not dynroute.
            if "up" in args.only:
                bench.bench_up(stack)
            if "ls" in args.only:
                bench.bench_ls(stack)
            if "memory" in args.only:
                from . import memory

                log("memory")
                memory.bench_memory(bench, stack)
            bench.stop_stacks()
        # Each Traefik part on a stack of its own: part 4's `api--main` in another cluster
        # would be a second definition of the check part's router of that name.
        if "traefik" in args.only:
            stack = bench.start_stack(traefik=True)
            bench.bench_traefik(stack)
            bench.stop_stacks()
        if "check" in args.only:
            stack = bench.start_stack(traefik=True)
            bench.bench_check(stack)
            bench.stop_stacks()
        if "routing" in args.only:  # a stack of its own: Traefik's calls are counted alone
            stack = bench.start_stack(traefik=True)
            bench.bench_routing(stack)
            bench.stop_stacks()
        if "oneoff" in args.only:
            from . import oneoff

            log("run and hooks")
            oneoff.bench_oneoff(bench, bench.start_stack(traefik=False))
            bench.stop_stacks()
        if "doctor" in args.only:  # a stack of its own: the kit's Traefik is its only one
            from . import doctor_cost

            log("doctor")
            doctor_cost.bench_doctor(bench, bench.start_stack(traefik=False))
            bench.stop_stacks()
    finally:
        bench.stop_stacks()
        shutil.rmtree(bench.work, ignore_errors=True)

    print(bench.render_text())
    if args.markdown:
        cmd = "scripts/bench" + (" --smoke" if args.smoke else "") + f" --markdown {Path(args.markdown).name}"
        Path(args.markdown).write_text(bench.render_markdown(cmd))
        log(f"wrote {args.markdown}")
    if args.json:
        Path(args.json).write_text(json.dumps(raw(bench), indent=2, default=str))
    elapsed = time.perf_counter() - t_start
    c = bench.checks
    for f in c.failed:
        print(f"FAILED: {f.splitlines()[0]}")
    name = "smoke" if args.smoke else "bench"
    log(f"finished in {elapsed:.0f} s")
    print(f"{name}: {c.passed} passed, {len(c.failed)} failed")
    return 1 if c.failed else 0


def raw(bench: Bench) -> dict[str, Any]:
    def series(s: Series) -> dict[str, Any]:
        return {"walls": s.walls, "median": s.med, "calls": s.calls, "max_rss_kib": s.rss}

    r = bench.results
    out: dict[str, Any] = {"machine": bench.machine(), "versions": bench.versions()}
    if "ls" in r:
        out["ls"] = [{"n": x["n"], **{k: series(x[k]) for k in ("dynroute", "boto3", "cli")}} for x in r["ls"]]
    if "up" in r:
        out["up"] = {"k": r["up"]["k"], "dynroute": series(r["up"]["dynroute"]), "cli": series(r["up"]["cli"])}
    if "cold" in r:
        out["cold"] = [{"label": c.label, "walls": c.walls, "median": c.med, "max_rss_kib": c.rss}
                       for c in r["cold"]]
        out["sizes"] = r["sizes"]
    if "traefik" in r:
        out["traefik"] = r["traefik"]
    if "routing" in r:
        out["routing"] = r["routing"]
    if "check" in r:
        from . import check_compare

        out["check"] = check_compare.raw(r["check"])
    if "oneoff" in r:
        from . import oneoff

        out["oneoff"] = oneoff.raw(r["oneoff"])
    if "doctor" in r:
        from . import doctor_cost

        out["doctor"] = doctor_cost.raw(r["doctor"])
    if "memory" in r:
        out["memory"] = r["memory"]
    return out


if __name__ == "__main__":
    sys.exit(main())
