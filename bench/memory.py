"""Peak memory (part `memory`): dynroute's largest processes beside the AWS CLI's and
boto3's for the same listing.

Measured here, on the stack of parts 1 and 2: `up` of a version of
--memory-up-services services (`--no-wait`, one run, removed afterwards) and
`serve` on the cluster of part 1's largest size (started, waited for until its
catalog lists every version, its VmHWM read, stopped). The table also carries what
the other parts measured: `ls` at every size (dynroute, boto3 with 8 threads, the AWS
CLI loop: part 1) and `check` at its largest size (dynroute, hurl, the curl loop).
Peak RSS is ru_maxrss of the measured process tree (bench/rss.rs): for the AWS CLI
loop, its largest `aws` process.
"""

from __future__ import annotations

import math
import subprocess
import time
import urllib.request
from typing import TYPE_CHECKING, Any

from .main import SERVICE_NAMES, fmt_mib, log, rand_suffix, require_loopback, run_measured

if TYPE_CHECKING:
    from .main import Bench, Stack


def vm_hwm_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def serve_peak(bench: Bench, stack: Stack, proj: Any, n: int) -> int:
    """Peak RSS (KiB) of `serve` once its catalog lists all n versions (0: it never did)."""
    import json
    import re

    proc = subprocess.Popen([bench.dynroute, "serve", "--listen", "127.0.0.1:0", "--refresh", "15s"], cwd=proj,
                            env=stack.aws_env(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        base = None
        for line in proc.stderr:
            m = re.search(r"serving the catalog on (http://127\.0\.0\.1:\d+)/", line)
            if m:
                base = m.group(1)
                break
        if not bench.checks.check(base is not None, "memory: serve started", f"exit {proc.poll()}"):
            return 0
        require_loopback(base, "catalog")
        deadline = time.time() + 300
        total = 0
        while time.time() < deadline and total < n:
            try:
                with urllib.request.urlopen(f"{base}/api/versions?per_page=1", timeout=10) as r:
                    total = json.loads(r.read())["total"]
            except OSError:
                pass
            if total < n:
                time.sleep(1)
        if not bench.checks.check(total >= n, f"memory: serve lists {n} versions", f"{total}"):
            return 0
        # One page of each kind rendered, as a first visitor would.
        for path in ("/", "/api/versions"):
            with urllib.request.urlopen(base + path, timeout=30) as r:
                r.read()
        return vm_hwm_kib(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def bench_memory(bench: Bench, stack: Stack) -> None:
    a = bench.args
    k = a.memory_up_services
    cluster = f"mem-{rand_suffix()}"
    stack.ctl("create-cluster", cluster)
    names = SERVICE_NAMES[:k] if k <= len(SERVICE_NAMES) else [f"s{i}" for i in range(k)]
    svc = "".join(f"  {name}:\n    template: templates/app.yaml\n    port: 8080\n" for name in names)
    proj = bench.project("memory-up", f"cluster: {cluster}\nregion: us-east-1\ndomain: bench.test\n"
                                      f"{stack.network_yaml()}services:\n{svc}")
    env = stack.aws_env()
    version = f"mem-{rand_suffix()}"
    r = run_measured([bench.dynroute, "up", version, *bench.up_flags(), "--json"], env=env, cwd=proj)
    bench.checks.check(r.rc == 0, f"memory: up of {k}", f"rc={r.rc}\n{r.stderr[-2000:]}")
    bench.down(proj, env, version)
    result: dict[str, Any] = {"up": {"k": k, "rss": r.maxrss_kib, "wall": r.wall}}
    ls = bench.results.get("ls") or []
    if ls:
        biggest = ls[-1]
        versions = math.ceil(biggest["n"] / len(SERVICE_NAMES))  # part 1 seeds 10 services a version
        log(f"memory: serve on {biggest['n']} services ({versions} versions)")
        result["serve"] = {"n": biggest["n"], "versions": versions,
                           "rss": serve_peak(bench, stack, biggest["proj"], versions)}
    bench.results["memory"] = result


def tables(results: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], str]]:
    mem = results["memory"]
    rows = []
    ls = {row["n"]: row for row in results.get("ls") or []}
    for n, row in ls.items():
        rows.append([f"`ls --json`, {n} services", fmt_mib(row["dynroute"].rss), fmt_mib(row["boto3"].rss),
                     fmt_mib(row["cli"].rss)])
    if "serve" in mem and mem["serve"]["n"] in ls:
        row = ls[mem["serve"]["n"]]
        rows.append([f"`serve`, the same {mem['serve']['n']} services ({mem['serve']['versions']} versions)",
                     fmt_mib(mem["serve"]["rss"]),
                     fmt_mib(row["boto3"].rss) + " (the same listing, once)",
                     fmt_mib(row["cli"].rss) + " (the same listing, once)"])
    check = (results.get("check") or {}).get("rows") or []
    if check:
        c = check[-1]
        rows.append([f"`check`, {c['cases']} cases", fmt_mib(c["dynroute"].rss),
                     f"hurl {fmt_mib(c['hurl'].rss)}", f"curl loop {fmt_mib(c['curl'].rss)}"])
    up = results.get("up")
    rows.append([f"`up`, {mem['up']['k']} services (`--no-wait`)", fmt_mib(mem["up"]["rss"]), "-",
                 f"{fmt_mib(up['cli'].rss)} (the `up` script, {up['k']} services)" if up and up["cli"].runs else "-"])
    return [(
        "Item 6. Memory: peak RSS",
        ["what", "dynroute", "boto3 (8 threads)", "AWS CLI"],
        rows,
        "ru_maxrss of each measured process tree (bench/rss.rs; for the AWS CLI loop, its largest `aws` "
        "process, each of which holds one page); `serve` is VmHWM of the server once its catalog lists every "
        "version and has rendered `/` and `/api/versions` once. Everything dynroute keeps is the listing it "
        "shows: its peak grows with N, the AWS CLI's does not (one page per process, one process at a time).",
    )]


def raw(result: dict[str, Any]) -> dict[str, Any]:
    return result
