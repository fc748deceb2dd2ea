"""`dynroute serve` under load (run through `scripts/bench serve`, not directly).

    scripts/bench serve [--smoke] [--versions 500,5000] [--clients 200] [--seconds 30]
                        [--proof-seconds 60] [--dynroute PATH] [--json FILE]

For each size N it seeds N live versions (one service each, desired count 0, with
`scripts/stack ctl seed-services`) into a fresh cluster of a stack of its own, starts
`dynroute serve --listen 127.0.0.1:0 --refresh 15s` on them, waits until the catalog
lists all N, then runs `wrk` (Debian's) with --clients connections for --seconds
against `/` (50 versions a page) and then `/api/versions` (100 a page), on loopback.
It reports p50 / p99 latency and requests per second of each, the server's peak RSS,
and the AWS calls the server made during the load next to what one poller costs
(ceil(N/100) ListServices + ceil(N/10) DescribeServices per refresh, whatever the
number of clients). Then nobody asks anything for --proof-seconds: the server's CPU
share and AWS calls per minute (the poller alone); then the same catalog with the
stack's Traefik as its `ingress` for as long: the CPU share and the proofs per minute
of the routing proof (the seeded versions run no task, so their proofs fail fast,
through Traefik, as a version scaled to 0 does).

Checks that fail the run: a non-2xx answer or a socket error, a catalog that does not
list N versions, and AWS calls other than the poller's. Latencies are reported against
the 50 ms p99 target, never asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from .main import ROOT, TEMPLATE, Checks, Stack, log, rand_suffix, require_loopback



def get_json(url: str) -> Any:
    require_loopback(url, "catalog")
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read())


def metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise ValueError(f"no {name} in /metrics")


def metrics(base: str) -> str:
    with urllib.request.urlopen(base + "/metrics", timeout=10) as r:
        return r.read().decode()


def wrk(url: str, clients: int, seconds: int) -> dict[str, Any]:
    """Runs wrk; its latency percentiles (ms), requests/s and errors."""
    require_loopback(url, "wrk target")
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "5s", url],
        capture_output=True, text=True, timeout=seconds + 60, stdin=subprocess.DEVNULL,
    )
    text = out.stdout

    def ms(value: str) -> float:
        m = re.match(r"([\d.]+)(us|ms|s|m)", value)
        if not m:
            return float("nan")
        n, unit = float(m.group(1)), m.group(2)
        return {"us": n / 1000, "ms": n, "s": n * 1000, "m": n * 60_000}[unit]

    pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M)}
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {
        "p50_ms": pct.get("50", float("nan")),
        "p90_ms": pct.get("90", float("nan")),
        "p99_ms": pct.get("99", float("nan")),
        "rps": float(rps.group(1)) if rps else 0.0,
        "requests": int(total.group(1)) if total else 0,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0,
        "rc": out.returncode,
        "raw": text,
    }


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_serve(serve: subprocess.Popen[str] | None) -> None:
    if serve is not None and serve.poll() is None:
        serve.send_signal(signal.SIGINT)
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()


def wait_listed(base: str, n: int, timeout: float = 300) -> int:
    deadline = time.time() + timeout
    total = 0
    while time.time() < deadline:
        try:
            total = get_json(base + "/api/versions?per_page=1")["total"]
        except OSError:
            total = 0
        if total >= n:
            break
        time.sleep(1)
    return total


def idle_sample(serve: subprocess.Popen[str], base: str, stack: Stack, seconds: float) -> dict[str, Any]:
    """CPU, refreshes, proofs and AWS calls of a serve nobody asks anything, over `seconds`."""
    stack.calls_reset()
    before, cpu0, t0 = metrics(base), cpu_seconds(serve.pid), time.perf_counter()
    time.sleep(seconds)
    after, cpu1, t1 = metrics(base), cpu_seconds(serve.pid), time.perf_counter()
    calls = stack.calls("aws-sdk-rust")

    def delta(name: str) -> float:
        return metric(after, name) - metric(before, name)

    wall = t1 - t0
    return {
        "seconds": wall,
        "cpu_s": cpu1 - cpu0,
        "cpu_pct": 100 * (cpu1 - cpu0) / wall,
        "refreshes": delta("dynroute_catalog_refreshes_total"),
        "proofs": delta("dynroute_catalog_proofs_total"),
        "aws_calls": sum(calls.values()),
        "aws_calls_per_min": 60 * sum(calls.values()) / wall,
        "rss_kib": peak_rss_kib(serve.pid),
    }


def start_serve(dynroute: str, project: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [dynroute, "serve", "--listen", "127.0.0.1:0", "--refresh", "15s"],
        cwd=project, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        m = re.search(r"serving the catalog on (http://127\.0\.0\.1:\d+)/", line)
        if m:
            # Drain stderr so the server never blocks on it.
            stream = proc.stderr

            def drain() -> None:
                for _ in stream:
                    pass

            import threading

            threading.Thread(target=drain, daemon=True).start()
            return proc, m.group(1)
    raise SystemExit(f"bench: error: dynroute serve did not start (exit {proc.wait()})")


def run(args: argparse.Namespace) -> int:
    if shutil.which("wrk") is None:
        raise SystemExit("bench: error: wrk is missing: `apt-get install wrk` (scripts/bench serve installs it as root)")
    dynroute = str(Path(args.dynroute).resolve())
    checks = Checks()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_EC2_METADATA_DISABLED="true", AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1", AWS_CONFIG_FILE="/dev/null",
        AWS_SHARED_CREDENTIALS_FILE="/dev/null", CI="true", NO_COLOR="1", DYNROUTE_BIN=dynroute,
    )
    work = Path(tempfile.mkdtemp(prefix="dynroute-bench-serve-"))
    results: list[dict[str, Any]] = []
    load = subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True).stdout.strip()
    try:
        for n in args.versions:
            # Traefik runs for the proof phase (the catalog's ingress); the load
            # phase's project has no ingress, so it sends no proofs.
            stack = Stack(True, env)
            serve: subprocess.Popen[str] | None = None
            try:
                web = stack.info["traefik_web_url"]
                require_loopback(web, "Traefik")
                cluster = f"serve-{n}-{rand_suffix()}"
                stack.ctl("create-cluster", cluster)
                t0 = time.perf_counter()
                stack.ctl("seed-services", "--cluster", cluster, "--count", str(n), "--services", "api",
                          "--desired-count", "0")
                log(f"serve: seeded {n} versions in {time.perf_counter() - t0:.0f} s")
                config = (f"project: seed\ncluster: {cluster}\nregion: us-east-1\ndomain: bench.test\n"
                          "services:\n  api:\n    template: templates/app.yaml\n    port: 8080\n")
                projects = {}
                for name, extra in (("plain", ""), ("proof", f"ingress:\n  url: {web}\n")):
                    project = work / f"serve-{n}-{name}"
                    (project / "templates").mkdir(parents=True)
                    (project / "templates" / "app.yaml").write_text(TEMPLATE)
                    (project / "dynroute.yaml").write_text(config + extra)
                    projects[name] = project
                serve, base = start_serve(dynroute, projects["plain"], stack.aws_env())
                total = wait_listed(base, n)
                checks.check(total == n, f"serve {n}: the catalog lists every version", f"{total}")
                stack.calls_reset()
                before = metrics(base)
                row: dict[str, Any] = {"n": n, "clients": args.clients, "seconds": args.seconds}
                for name, path in (("index", "/"), ("api", "/api/versions")):
                    w = wrk(base + path, args.clients, args.seconds)
                    checks.check(w["rc"] == 0 and w["requests"] > 0, f"serve {n} {path}: wrk ran", w["raw"][-500:])
                    checks.check(w["non_2xx"] == 0 and w["socket_errors"] == 0,
                                 f"serve {n} {path}: every answer 2xx", w["raw"][-500:])
                    row[name] = {k: v for k, v in w.items() if k != "raw"}
                after = metrics(base)
                calls = stack.calls("aws-sdk-rust")
                refreshes = metric(after, "dynroute_catalog_refreshes_total") - metric(before, "dynroute_catalog_refreshes_total")
                per_refresh = math.ceil(n / 100) + math.ceil(n / 10)
                made = sum(calls.values())
                row.update(rss_kib=peak_rss_kib(serve.pid), refreshes=refreshes, aws_calls=made,
                           aws_calls_per_refresh=per_refresh, calls=calls)
                # A refresh in flight when the counters were read may be half counted.
                checks.check(made <= (refreshes + 1) * per_refresh,
                             f"serve {n}: AWS calls are one poller's", f"{made} calls, {refreshes} refreshes")
                # Nobody asking: the poller alone (the AWS calls per minute), then the
                # same catalog with an ingress, proving versions round after round.
                row["idle"] = idle_sample(serve, base, stack, args.proof_seconds)
                checks.check(row["idle"]["proofs"] == 0, f"serve {n}: no proofs without an ingress")
                stop_serve(serve)
                serve, base = start_serve(dynroute, projects["proof"], stack.aws_env())
                total = wait_listed(base, n)
                checks.check(total == n, f"serve {n} with proofs: the catalog lists every version", f"{total}")
                row["proving"] = idle_sample(serve, base, stack, args.proof_seconds)
                checks.check(row["proving"]["proofs"] > 0, f"serve {n}: proofs are sent with an ingress")
                stop_serve(serve)
                serve = None
                results.append(row)
                log(f"serve {n}: / p99 {row['index']['p99_ms']:.1f} ms, /api/versions p99 {row['api']['p99_ms']:.1f} ms; "
                    f"idle CPU {row['idle']['cpu_pct']:.1f} %, proving {row['proving']['cpu_pct']:.1f} %")
            finally:
                stop_serve(serve)
                stack.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"dynroute serve under load ({args.clients} connections, {args.seconds} s per path, wrk -t2; load average before: {load})")
    print(f"{'N':>6}  {'path':<14}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'req/s':>9}  {'p99 < 50 ms':<12}")
    for r in results:
        for name, path in (("index", "/"), ("api", "/api/versions")):
            w = r[name]
            met = "met" if w["p99_ms"] < 50 else "missed"
            print(f"{r['n']:>6}  {path:<14}{w['p50_ms']:>8.1f}{w['p90_ms']:>8.1f}{w['p99_ms']:>8.1f}{w['rps']:>9.0f}  {met:<12}")
        print(f"{'':>6}  peak RSS {r['rss_kib'] / 1024:.1f} MiB; AWS calls during the load {r['aws_calls']} "
              f"for {r['refreshes']:.0f} refreshes ({r['aws_calls_per_refresh']} per refresh)")
        idle, proving = r["idle"], r["proving"]
        per_s = proving["proofs"] / proving["seconds"]
        print(f"{'':>6}  idle {idle['seconds']:.0f} s: CPU {idle['cpu_pct']:.1f} %, {idle['aws_calls_per_min']:.0f} AWS calls/min "
              f"({idle['refreshes']:.0f} refreshes); with proofs: CPU {proving['cpu_pct']:.1f} %, "
              f"{60 * per_s:.0f} proofs/min (every version proven once in {r['n'] / per_s / 60 if per_s else float('nan'):.1f} min), "
              f"peak RSS {proving['rss_kib'] / 1024:.1f} MiB")
    if args.json:
        Path(args.json).write_text(json.dumps({"load_average": load, "results": results}, indent=2))
    for f in checks.failed:
        print(f"FAILED: {f.splitlines()[0]}")
    print(f"{'smoke' if args.smoke else 'bench'} serve: {checks.passed} passed, {len(checks.failed)} failed")
    return 1 if checks.failed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/bench serve", description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="50 versions, 20 connections, 3 s: checks only")
    ap.add_argument("--versions", default="500,5000", help="live versions per size (default 500,5000)")
    ap.add_argument("--clients", type=int, default=200, help="wrk connections (default 200)")
    ap.add_argument("--seconds", type=int, default=30, help="seconds per path (default 30)")
    ap.add_argument("--proof-seconds", type=float, default=60,
                    help="seconds the idle catalog is sampled without and then with proofs (default 60)")
    ap.add_argument("--dynroute", default=str(ROOT / "target" / "release" / "dynroute"), help="the binary under test")
    ap.add_argument("--json", metavar="FILE", help="also write the measurements as JSON")
    args = ap.parse_args(argv)
    if args.smoke:
        args.versions, args.clients, args.seconds, args.proof_seconds = "50", 20, 3, 5
    args.versions = [int(x) for x in str(args.versions).split(",") if x]
    if not 1 <= args.clients <= 1000 or not 1 <= args.seconds <= 120 or not 1 <= args.proof_seconds <= 600:
        raise SystemExit("bench: error: --clients 1..1000, --seconds 1..120 and --proof-seconds 1..600 "
                         "(load tests are bounded)")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
