"""dynroute under injected throttling (run through `scripts/bench faults`, not directly).

    scripts/bench faults [--smoke] [--rates 0,0.1,0.3] [--modes standard,adaptive]
                         [--ls-sizes 200,1000] [--up-sizes 10,30] [--runs 3] [--json FILE]
                         [--peer-sizes 5000] [--peer-rates 0,0.3] [--peer-cli-runs 1]

For each command (`up VERSION --no-wait` of K services and `ls --json` of N services at
every size, `down VERSION --yes` and `prune --yes` of the smallest K), each SDK retry mode
(`AWS_RETRY_MODE=standard|adaptive`) and each ThrottlingException rate (the stack's fault
injection, `"*": rate`, seeded per run), it records wall time, the API calls dynroute made,
the throttles injected into them and so the retries (every injected throttle of a command
that succeeds is one retry). The adaptive mode, minutes per command under throttling,
runs only the smallest sizes, `--adaptive-rates` and `--adaptive-runs` (its `down`
after each `up` is cleanup in standard mode, not measured). Each measurement tags dynroute's requests with its own
`AWS_SDK_UA_APP_ID`, so calls and faults are counted for that run alone. With `--peer-sizes`, `ls` of those
sizes is also run, under the same rate (`--peer-rates`), by the two baselines of `scripts/bench`'s part 1
(boto3 with 8 threads, the AWS CLI loop), in standard retry mode with 8 attempts
(dynroute: standard, 10 attempts from 50 ms) and their own app ids.

Checks that fail the run: a non-zero exit, and results that differ from the unthrottled
run of the same command (the same versions listed, the same services created, removed
or pruned). Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .main import (BENCH, ROOT, SERVICE_NAMES, TEMPLATE, VENV_BIN, Checks, Stack, boto3_listed, cli_described, fmt_s, log,
                   median, rand_suffix, run_measured)


def http_json(url: str, method: str = "GET", body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


class FaultBench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.dynroute = str(Path(args.dynroute).resolve())
        self.checks = Checks()
        self.work = Path(tempfile.mkdtemp(prefix="dynroute-bench-faults-"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            AWS_EC2_METADATA_DISABLED="true",
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_REGION="us-east-1",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE="/dev/null",
            AWS_SHARED_CREDENTIALS_FILE="/dev/null",
            CI="true",
            NO_COLOR="1",
            DYNROUTE_POLL_INTERVAL_MS="300",
        )
        self.env = env
        self.stack: Stack | None = None
        self.rows: list[dict[str, Any]] = []

    # ---- plumbing

    def project(self, cluster: str, services: list[str]) -> Path:
        d = self.work / cluster
        (d / "templates").mkdir(parents=True, exist_ok=True)
        (d / "templates" / "app.yaml").write_text(TEMPLATE)
        info = self.stack.info  # type: ignore[union-attr]
        lines = [
            f"cluster: {cluster}",
            "region: us-east-1",
            "domain: bench.test",
            "network:",
            f"  subnets: [{', '.join(info['subnets'])}]",
            f"  security_groups: [{', '.join(info['security_groups'])}]",
            "services:",
        ]
        for s in services:
            lines += [f"  {s}:", "    template: templates/app.yaml", "    port: 8080", "    desired_count: 0"]
        (d / "dynroute.yaml").write_text("\n".join(lines) + "\n")
        return d

    def faults(self, app: str, rate: float, seed: int, client: str = "aws-sdk-rust") -> None:
        http_json(f"{self.stack.endpoint}/_stack/faults", "POST",  # type: ignore[union-attr]
                  {"app": app, "client": client, "seed": seed, "throttle": {"*": rate}})

    def counters(self, app: str) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
        q = urllib.parse.quote(app)
        ep = self.stack.endpoint  # type: ignore[union-attr]
        return http_json(f"{ep}/_stack/calls?app={q}"), http_json(f"{ep}/_stack/injected?app={q}")

    def run(self, label: str, cwd: Path, cmd: list[str], mode: str, rate: float, seed: int) -> tuple[Any, dict[str, Any]]:
        app = f"bench-{rand_suffix(8)}"
        self.faults(app, rate, seed)
        env = dict(self.env, AWS_ENDPOINT_URL=self.stack.endpoint, AWS_SDK_UA_APP_ID=app,  # type: ignore[union-attr]
                   AWS_RETRY_MODE=mode)
        r = run_measured([self.dynroute, *cmd], env=env, cwd=cwd)
        calls, injected = self.counters(app)
        http_json(f"{self.stack.endpoint}/_stack/faults?app={urllib.parse.quote(app)}", "DELETE")  # type: ignore[union-attr]
        throttles = sum(k.get("throttled", 0) for k in injected.values())
        ok = self.checks.check(r.rc == 0, f"{label} {mode} {rate:.0%}: exit code", f"rc={r.rc}\n{r.stderr[-1500:]}")
        doc = json.loads(r.stdout) if ok and r.stdout.strip() else None
        return doc, {"wall": r.wall, "calls": sum(calls.values()), "throttles": throttles,
                     "retries": throttles if r.rc == 0 else None}

    def run_peer(self, label: str, client: str, cmd: list[str], rate: float, seed: int,
                 result_ok: Any) -> dict[str, Any]:
        """A baseline client (boto3, the AWS CLI) under the same injection, in standard
        retry mode with 8 attempts (boto3_ls.py's own setting; the AWS CLI's default is
        legacy mode with 5 attempts)."""
        app = f"bench-{rand_suffix(8)}"
        self.faults(app, rate, seed, client)
        env = dict(self.env, AWS_ENDPOINT_URL=self.stack.endpoint, AWS_SDK_UA_APP_ID=app,  # type: ignore[union-attr]
                   AWS_RETRY_MODE="standard", AWS_MAX_ATTEMPTS="8",
                   PATH=f"{VENV_BIN}{os.pathsep}{self.env.get('PATH', '')}")
        r = run_measured(cmd, env=env)
        calls, injected = self.counters(app)
        http_json(f"{self.stack.endpoint}/_stack/faults?app={urllib.parse.quote(app)}", "DELETE")  # type: ignore[union-attr]
        throttles = sum(k.get("throttled", 0) for k in injected.values())
        # The injection reached this client (a scope that missed it would measure nothing).
        self.checks.check(rate == 0 or sum(calls.values()) < 10 or throttles > 0,
                          f"{label} {rate:.0%}: throttled", f"{sum(calls.values())} calls, none throttled")
        if self.checks.check(r.rc == 0, f"{label} {rate:.0%}: exit code", f"rc={r.rc}\n{r.stderr[-1500:]}"):
            problem = result_ok(r)
            self.checks.check(problem is None, f"{label} {rate:.0%}: the same services", problem or "")
        return {"wall": r.wall, "calls": sum(calls.values()), "throttles": throttles,
                "retries": throttles if r.rc == 0 else None, "max_rss_kib": r.maxrss_kib}

    def bench_ls_peers(self, rate: float, n: int, cluster: str) -> None:
        """`ls` of n beside boto3 (8 threads) and the AWS CLI loop, under the same throttling."""
        a = self.args

        def boto3_ok(r: Any) -> str | None:
            return boto3_listed(r.stdout, n)

        out_file = self.work / f"cli-ls-{n}.json"

        def cli_ok(r: Any) -> str | None:
            return cli_described(out_file, n)

        boto = [self.run_peer(f"ls {n} boto3", "Boto3", [sys.executable, str(BENCH / "boto3_ls.py"), cluster, "--workers", "8"],
                              rate, i, boto3_ok) for i in range(a.runs)]
        self.record(f"ls of {n} (boto3, 8 threads)", "standard", rate, boto)
        cli = [self.run_peer(f"ls {n} aws-cli", "aws-cli", ["bash", str(BENCH / "cli_ls.sh"), cluster, str(out_file)],
                             rate, i, cli_ok) for i in range(a.peer_cli_runs)]
        self.record(f"ls of {n} (AWS CLI loop)", "standard", rate, cli)

    def record(self, command: str, mode: str, rate: float, samples: list[dict[str, Any]]) -> None:
        self.rows.append({
            "command": command, "mode": mode, "rate": rate,
            "wall_median": median([s["wall"] for s in samples]),
            "calls_median": median([s["calls"] for s in samples]),
            "throttles_median": median([s["throttles"] for s in samples]),
            "retries_median": median([s["retries"] or 0 for s in samples]),
            "samples": samples,
        })

    def runs(self, mode: str) -> int:
        return self.args.adaptive_runs if mode == "adaptive" else self.args.runs

    # ---- the commands

    def bench_ls(self, mode: str, rate: float, n: int) -> None:
        key = ("ls", n)
        if key not in self.fixtures:
            cluster = f"bf-ls-{rand_suffix()}"
            self.stack.ctl("create-cluster", cluster)  # type: ignore[union-attr]
            self.stack.ctl("seed-services", "--cluster", cluster, "--count", str(n),  # type: ignore[union-attr]
                           "--services", ",".join(SERVICE_NAMES), "--concurrency", "8")
            self.fixtures[key] = (self.project(cluster, SERVICE_NAMES), cluster)
        cwd, cluster = self.fixtures[key]
        samples = []
        for i in range(self.runs(mode)):
            doc, s = self.run(f"ls {n}", cwd, ["ls", "--json"], mode, rate, seed=i)
            if doc is not None:
                # What was listed, not how far the scheduler has got with it by now.
                listed = [(v["version"], v["owner"], v["expires_at"],
                           sorted(x["ecs_service"] for x in v["services"])) for v in doc]
                baseline = self.baselines.setdefault(key, listed)
                self.checks.check(listed == baseline, f"ls {n} {mode} {rate:.0%}: same versions as unthrottled")
            samples.append(s)
        self.record(f"ls of {n}", mode, rate, samples)
        if mode == "standard" and n in self.args.peer_sizes and rate in self.args.peer_rates:
            self.bench_ls_peers(rate, n, cluster)

    def bench_up_down(self, mode: str, rate: float, k: int, measure_down: bool) -> None:
        services = SERVICE_NAMES[:k] if k <= len(SERVICE_NAMES) else [f"s{i}" for i in range(k)]
        key = ("up", k)
        if key not in self.fixtures:
            cluster = f"bf-up-{rand_suffix()}"
            self.stack.ctl("create-cluster", cluster)  # type: ignore[union-attr]
            self.fixtures[key] = (self.project(cluster, services), cluster)
        cwd, cluster = self.fixtures[key]
        ups, downs = [], []
        for i in range(self.runs(mode)):
            version = f"b{rand_suffix(6)}"
            doc, s = self.run(f"up {k}", cwd, ["up", version, "--no-wait", "--json"], mode, rate, seed=i)
            if doc is not None:
                actions = sorted((x["service"], x["action"]) for x in doc["services"])
                self.checks.check(actions == sorted((x, "create") for x in services),
                                  f"up {k} {mode} {rate:.0%}: every service created once", str(actions))
                live = [x for x in self.stack.ctl("services", "--cluster", cluster)  # type: ignore[union-attr]
                        if x["name"].endswith(f"--{version}") and x["status"] == "ACTIVE"]
                self.checks.check(len(live) == k, f"up {k} {mode} {rate:.0%}: {k} live services", str(len(live)))
            ups.append(s)
            if not measure_down:  # cleanup only
                self.run(f"down {k} (cleanup)", cwd, ["down", version, "--yes", "--json"], "standard", 0.0, seed=i)
                continue
            doc, s = self.run(f"down {k}", cwd, ["down", version, "--yes", "--json"], mode, rate, seed=i)
            if doc is not None:
                removed = sorted((x["ecs_service"], x["service_deleted"], x["task_definitions_deregistered"])
                                 for x in doc["removed"])
                want = sorted((f"{x}--{version}", True, 1) for x in services)
                self.checks.check(removed == want, f"down {k} {mode} {rate:.0%}: removed exactly the version",
                                  str(removed))
            downs.append(s)
        self.record(f"up of {k} (--no-wait)", mode, rate, ups)
        if measure_down:
            self.record(f"down of {k}", mode, rate, downs)

    def bench_prune(self, mode: str, rate: float, k: int) -> None:
        samples = []
        for i in range(self.runs(mode)):
            cluster = f"bf-pr-{rand_suffix()}"
            self.stack.ctl("create-cluster", cluster)  # type: ignore[union-attr]
            self.stack.ctl("seed-services", "--cluster", cluster, "--count", str(k), "--expired",  # type: ignore[union-attr]
                           "--services", ",".join(SERVICE_NAMES))
            self.stack.ctl("seed-services", "--cluster", cluster, "--count", "2",  # type: ignore[union-attr]
                           "--services", "api", "--versions", "keep-1,keep-2")
            cwd = self.project(cluster, SERVICE_NAMES)
            doc, s = self.run(f"prune {k}", cwd, ["prune", "--yes", "--json"], mode, rate, seed=i)
            if doc is not None:
                left = sorted(x["name"] for x in self.stack.ctl("services", "--cluster", cluster)  # type: ignore[union-attr]
                              if x["status"] == "ACTIVE")
                self.checks.check(left == ["api--keep-1", "api--keep-2"] and len(doc["removed"]) == k,
                                  f"prune {k} {mode} {rate:.0%}: removed exactly the expired", str(left))
            samples.append(s)
        self.record(f"prune of {k}", mode, rate, samples)

    def main(self) -> None:
        self.fixtures: dict[Any, Any] = {}
        self.baselines: dict[Any, Any] = {}
        self.stack = Stack(False, self.env)
        a = self.args
        try:
            for mode in a.modes:
                adaptive = mode == "adaptive"
                for rate in a.adaptive_rates if adaptive else a.rates:
                    log(f"{mode}, {rate:.0%} throttling")
                    for k in a.up_sizes[:1] if adaptive else a.up_sizes:
                        self.bench_up_down(mode, rate, k, measure_down=not adaptive and k == a.up_sizes[0])
                    for n in a.ls_sizes[:1] if adaptive else a.ls_sizes:
                        self.bench_ls(mode, rate, n)
                    if not adaptive:
                        self.bench_prune(mode, rate, a.up_sizes[0])
        finally:
            self.stack.stop()
            shutil.rmtree(self.work, ignore_errors=True)

    def render(self) -> str:
        head = "| command | retry mode | throttling | wall (median) | vs 0 % | runs | calls | throttles = retries |"
        lines = [head, "|---|---|---:|---:|---:|---:|---:|---:|"]
        base = {(r["command"], r["mode"]): r["wall_median"] for r in self.rows if r["rate"] == 0}
        order = {"standard": 0, "adaptive": 1}

        def key(r: dict[str, Any]) -> tuple[Any, ...]:
            words = r["command"].split()
            size = next((int(w) for w in words if w.isdigit()), 0)
            return (order.get(r["mode"], 2), words[0], size, r["rate"])

        for r in sorted(self.rows, key=key):
            b = base.get((r["command"], r["mode"]))
            ratio = f"{r['wall_median'] / b:.2f}×" if b else "-"
            walls = [x["wall"] for x in r["samples"]]
            spread = f" ({fmt_s(min(walls))} – {fmt_s(max(walls))})" if len(walls) > 1 else ""
            lines.append(
                f"| {r['command']} | {r['mode']} | {r['rate']:.0%} | {fmt_s(r['wall_median'])}{spread} | {ratio} "
                f"| {len(r['samples'])} | {r['calls_median']:g} | {r['throttles_median']:g} |"
            )
        m = self.machine_line()
        return "\n".join(lines) + "\n" + self.render_peers() + f"\n\n{m}"

    def render_peers(self) -> str:
        """dynroute's `ls` against boto3 and the AWS CLI loop at the same size and rate."""
        by = {(r["command"], r["rate"]): r for r in self.rows if r["mode"] == "standard"}
        lines = []
        for n in self.args.peer_sizes:
            for rate in self.args.peer_rates:
                dyn = by.get((f"ls of {n}", rate))
                boto = by.get((f"ls of {n} (boto3, 8 threads)", rate))
                cli = by.get((f"ls of {n} (AWS CLI loop)", rate))
                if not (dyn and boto and cli):
                    continue
                d = dyn["wall_median"]
                lines.append(f"| {n} | {rate:.0%} | {fmt_s(d)} | {fmt_s(boto['wall_median'])} | "
                             f"{boto['wall_median'] / d:.2f}× | {fmt_s(cli['wall_median'])} | "
                             f"{cli['wall_median'] / d:.1f}× | {max(x['max_rss_kib'] for x in boto['samples']) / 1024:.0f} MiB | "
                             f"{max(x['max_rss_kib'] for x in cli['samples']) / 1024:.0f} MiB |")
        if not lines:
            return ""
        return "\n".join([
            "", "`ls` beside its peers under the same throttling (standard retry mode; dynroute 10 attempts, "
            "boto3 and the AWS CLI 8):", "",
            "| services | throttling | dynroute | boto3, 8 threads | ÷ dynroute (target ≥ 1.0×) | AWS CLI loop "
            "| ÷ dynroute (target ≥ 20×) | boto3 peak RSS | AWS CLI peak RSS |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|", *lines])

    def machine_line(self) -> str:
        load = os.getloadavg()
        return (f"Load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
                f"({os.cpu_count()} CPUs); dynroute: {self.dynroute}.")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="scripts/bench faults", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dynroute", help="the binary under test (scripts/bench passes its release build)")
    ap.add_argument("--smoke", action="store_true", help="small sizes, one run, 0 %% and 30 %%; checks only")
    ap.add_argument("--rates", default="0,0.1,0.3", help="ThrottlingException rates (default 0,0.1,0.3)")
    ap.add_argument("--modes", default="standard,adaptive", help="AWS_RETRY_MODE values (default standard,adaptive)")
    ap.add_argument("--ls-sizes", default="200,1000", help="services listed by ls (default 200,1000)")
    ap.add_argument("--up-sizes", default="10,30", help="services of up (default 10,30); down and prune: the first")
    ap.add_argument("--runs", type=int, default=3, help="runs per command, mode and rate (default 3)")
    ap.add_argument("--peer-sizes", default="",
                    help="ls sizes (of --ls-sizes) also listed by boto3 (8 threads, --runs times) and the AWS CLI "
                         "loop (--peer-cli-runs times) under each rate, standard mode (default: none)")
    ap.add_argument("--peer-rates", default="0,0.3", help="rates (of --rates) at which the peers run (default 0,0.3)")
    ap.add_argument("--peer-cli-runs", type=int, default=1, help="AWS CLI loop runs per size and rate (default 1)")
    ap.add_argument("--adaptive-rates", default="0,0.3", help="rates for the adaptive mode (default 0,0.3)")
    ap.add_argument("--adaptive-runs", type=int, default=1, help="runs per command in adaptive mode (default 1)")
    ap.add_argument("--json", metavar="FILE", help="also write every sample as JSON")
    ap.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    args = ap.parse_args(argv)
    if args.smoke:
        args.rates, args.ls_sizes, args.up_sizes, args.runs = "0,0.3", "40", "3", 1
        args.peer_sizes = "40"
        args.modes = "standard"  # adaptive at 30 % takes minutes (see BENCHMARKS numbers)
    args.rates = [float(x) for x in str(args.rates).split(",") if x]
    args.adaptive_rates = [float(x) for x in str(args.adaptive_rates).split(",") if x]
    args.modes = [m for m in str(args.modes).split(",") if m]
    args.ls_sizes = [int(x) for x in str(args.ls_sizes).split(",") if x]
    args.up_sizes = [int(x) for x in str(args.up_sizes).split(",") if x]
    args.peer_sizes = [int(x) for x in str(args.peer_sizes).split(",") if x]
    args.peer_rates = [float(x) for x in str(args.peer_rates).split(",") if x]
    if not set(args.peer_sizes) <= set(args.ls_sizes):
        raise SystemExit("bench: error: --peer-sizes must be among --ls-sizes")
    for rates in (args.rates, args.adaptive_rates):
        if 0.0 not in rates:
            rates.insert(0, 0.0)  # the baseline the others are checked against
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.dynroute:
        args.dynroute = str(ROOT / "target" / "release" / "dynroute")
    if not os.access(args.dynroute, os.X_OK):
        raise SystemExit(f"bench: error: {args.dynroute} is not an executable; run scripts/bench faults (it builds it)")

    def on_signal(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    t0 = time.perf_counter()
    bench = FaultBench(args)
    bench.main()
    print(bench.render())
    if args.markdown:
        Path(args.markdown).write_text(bench.render() + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps(bench.rows, indent=2))
    for f in bench.checks.failed:
        print(f"FAILED: {f.splitlines()[0]}")
    log(f"finished in {time.perf_counter() - t0:.0f} s")
    name = "faults smoke" if args.smoke else "faults"
    print(f"{name}: {bench.checks.passed} passed, {len(bench.checks.failed)} failed")
    return 1 if bench.checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
