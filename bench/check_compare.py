"""`dynroute check` at growing table sizes, side by side with the same cases run by the
real `hurl` (the `--hurl` export) and by a plain sequential curl loop (bench/curl_cases.sh).

Per size: deploy more versions of `api` (one host) and `web` (two hosts), wait until
Traefik has loaded every router, export the table once (`check --json --hurl FILE`,
untimed; its JSON gives the cases for the curl loop), then time, in turns, `dynroute
check --json`, `hurl --test --continue-on-error FILE` and the curl loop. Each run must
prove every case (dynroute: proven == total; hurl and the loop: exit 0, i.e. every
assertion held). Cases per second = cases ÷ wall time (spawn → exit, bench/rss.rs).
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .main import BENCH, Run, Series, fmt_s, log, median, rand_suffix, run_measured

if TYPE_CHECKING:
    from .main import Bench, Stack


def cases_for(versions: int) -> int:
    """Cases of main + `versions` versions of api (1 host) and web (2 hosts)."""
    return (1 + 4 + 9 * versions) + (2 + 5 + 10 * versions)


def versions_for(cases: int) -> int:
    """The fewest versions whose table has at least `cases` cases (50 → 2, 200 → 10, 400 → 21)."""
    n = 0
    while cases_for(n) < cases:
        n += 1
    return n


def hurl_binary() -> str | None:
    path = os.environ.get("DYNROUTE_HURL")
    return path if path and os.access(path, os.X_OK) else None


def write_curl_cases(report: dict[str, Any], ingress: str, path: Path) -> int:
    """One tab-separated line per case: URL, expected version, then `Name: value` headers."""
    lines = []
    for c in report["cases"]:
        headers = [f"Host: {c['host']}"] + [f"{h['name']}: {h['value']}" for h in c["headers"]]
        if any("\t" in h or "\n" in h for h in headers):
            raise SystemExit(f"bench: error: case {c['id']} has a tab or newline in a header")
        lines.append("\t".join([f"{ingress}{c['path']}", c["expect_version"], *headers]))
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


def bench_check_sizes(bench: Bench, stack: Stack) -> None:
    a = bench.args
    web, api = stack.info["traefik_web_url"], stack.info["traefik_api_url"]
    cluster = f"check-{rand_suffix()}"
    stack.ctl("create-cluster", cluster)
    subnets = ", ".join(stack.info["subnets"])
    sgs = ", ".join(stack.info["security_groups"])
    config = (f"cluster: {cluster}\nregion: us-east-1\ndomain: bench.test\ningress:\n  url: {web}\n"
              f"traefik:\n  api_url: {api}\n"
              f"network:\n  subnets: [{subnets}]\n  security_groups: [{sgs}]\nservices:\n"
              f"  api:\n    template: templates/app.yaml\n    port: 8080\n    health_check_path: /health\n"
              f"  web:\n    template: templates/app.yaml\n    port: 8080\n    hosts: [web.bench.test, www.bench.test]\n")
    proj = bench.project("check", config)
    env = stack.aws_env()
    hurl = hurl_binary()
    bench.checks.check(hurl is not None, "check: hurl installed",
                       "DYNROUTE_HURL is not an executable (scripts/bench runs scripts/check-tools)")
    deployed: list[str] = []
    rows = []
    for target in a.check_cases:
        n = versions_for(target)
        versions = ["main"] + [f"feature-{i}" for i in range(1, n + 1)]
        log(f"check: deploying {len(versions) - len(deployed)} more versions of api and web ({len(versions)} in all)")
        for v in versions:
            if v in deployed:
                continue
            r = subprocess.run([bench.dynroute, "up", v, *bench.up_flags()], env=env, cwd=proj,
                               capture_output=True, text=True)
            if not bench.checks.check(r.returncode == 0, f"check: up {v}", r.stderr[-2000:]):
                return
            deployed.append(v)
        want = {f"{s}--{v}@ecs" for s in ("api", "web") for v in versions}

        def loaded(want: set[str] = want) -> bool:
            bench.traefik_backends_loopback(api)
            with urllib.request.urlopen(f"{api}/api/http/routers?per_page=10000", timeout=5) as r:
                enabled = {x["name"] for x in json.loads(r.read()) if x.get("status") == "enabled"}
            return want <= enabled

        if not bench.checks.check(bench.wait_until(loaded, 180) is not None, "check: routers loaded",
                                  f"Traefik did not load {len(want)} routers within 180 s"):
            return
        expected = cases_for(n)
        hurl_file = bench.work / f"check-{expected}.hurl"
        first = subprocess.run([bench.dynroute, "check", "--json", "--hurl", str(hurl_file)], env=env, cwd=proj,
                               capture_output=True, text=True)
        if not bench.checks.check(first.returncode == 0, f"check {expected}: export", first.stderr[-2000:]):
            return
        report = json.loads(first.stdout)
        bench.checks.check(report["total"] == expected, f"check {expected}: cases", f"{report['total']} cases")
        curl_file = bench.work / f"check-{expected}.tsv"
        write_curl_cases(report, web, curl_file)
        entries = hurl_file.read_text().count("\n# case: ")
        bench.checks.check(entries == expected, f"check {expected}: hurl entries", f"{entries} entries")

        def proven(r: Run, expected: int = expected) -> str | None:
            try:
                doc = json.loads(r.stdout)
            except ValueError:
                return "no JSON report"
            if doc["total"] != expected or doc["proven"] != expected:
                return f"routes proven {doc['proven']}/{doc['total']}, expected {expected}/{expected}"
            return None

        dyn, hrl, loop = Series(), Series(), Series()
        # check's fixed part, in the same turns: starting the process, the ECS listing
        # (`ls --json` of the same cluster) and Traefik's API (the routers and services
        # check reads, one curl).
        start, listing, traefik_api = Series(), Series(), Series()
        clients: list[tuple[str, Series, list[str]]] = [
            ("dynroute", dyn, [bench.dynroute, "check", "--json"]),
            ("curl", loop, ["bash", str(BENCH / "curl_cases.sh"), str(curl_file)]),
            ("process start", start, [bench.dynroute, "--version"]),
            ("listing", listing, [bench.dynroute, "ls", "--json"]),
            ("Traefik API", traefik_api, ["curl", "-sf", "-o", "/dev/null", "-o", "/dev/null",
                                          f"{api}/api/http/routers?per_page=10000",
                                          f"{api}/api/http/services?per_page=10000"]),
        ]
        if hurl:
            clients.insert(1, ("hurl", hrl, [hurl, "--test", "--continue-on-error", "--no-color", str(hurl_file)]))
        for i in range(a.check_warmup + a.check_runs):
            for label, series, cmd in clients:  # in turns, so load drifts hit all three alike
                bench.traefik_backends_loopback(api)
                r = run_measured(cmd, env=env, cwd=proj)
                what = "every case passed" if label in ("dynroute", "hurl", "curl") else "exit code"
                if bench.checks.check(r.rc == 0, f"check {expected} {label}: {what}",
                                      f"rc={r.rc}\n{r.stderr[-1500:]}") and label == "dynroute":
                    problem = proven(r)
                    bench.checks.check(problem is None, f"check {expected} dynroute: output", problem or "")
                if i >= a.check_warmup:
                    series.runs.append(r)
        rows.append({"cases": expected, "versions": len(versions), "dynroute": dyn, "hurl": hrl, "curl": loop,
                     "start": start, "listing": listing, "traefik_api": traefik_api})
        log(f"check {expected}: dynroute {fmt_s(dyn.med)}  hurl {fmt_s(hrl.med)}  curl loop {fmt_s(loop.med)}")
    bench.results["check"] = {"rows": rows, "concurrency": 16}


def tables(result: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], str]]:
    rows = []
    for row in result["rows"]:
        n = row["cases"]
        dyn = row["dynroute"]
        for label, s in (("dynroute check --json", dyn), ("hurl --test (the --hurl export)", row["hurl"]),
                         ("sequential curl loop", row["curl"])):
            if not s.runs:
                rows.append([str(n), label, "-", "-", "-", "0", "-", "-"])
                continue
            walls = sorted(s.walls)
            # The three run in turns: turn i's ratio is this client's run i over dynroute's run i.
            turns = sorted(a / b for a, b in zip(s.walls, dyn.walls)) if s is not dyn else []
            ratio = "" if not turns else f"{s.med / dyn.med:.1f}× ({turns[0]:.1f}–{turns[-1]:.1f}×)"
            rows.append([str(n), label, fmt_s(s.med), f"{fmt_s(walls[0])} – {fmt_s(walls[-1])}", f"{n / s.med:.0f}/s",
                         str(len(s.runs)), ratio, f"{max(r.maxrss_kib for r in s.runs) / 1024:.0f} MiB"])
    return [(
        "Item 1. `check` through Traefik: dynroute vs hurl vs a curl loop, same cases",
        ["cases", "client", "median wall", "min – max", "cases/s", "runs", "÷ dynroute (min–max per turn)", "peak RSS"],
        rows,
        "main plus 2, 10 and 21 versions of api (one host) and web (two hosts) on one cluster behind the stack's "
        "Traefik. `dynroute check --json` lists the cluster (one ECS listing), reads Traefik's API twice and sends "
        f"every case, {result['concurrency']} at a time (its default `--concurrency`). hurl 8.0.1 runs the file "
        "`check --hurl` exported (one entry per case, asserting status < 500 and `X-Dynroute-Version`), entries "
        "one after another as hurl does within a file. The curl loop (`bench/curl_cases.sh`) is what a team "
        "scripts today: one `curl` per case, sequentially, reading status and header with `-w`. The three run in turns "
        "in the same loop; every run must prove every case.",
    ), fixed_part(result)]


def fixed_part(result: dict[str, Any]) -> tuple[str, list[str], list[list[str]], str]:
    rows = []
    for row in result["rows"]:
        dyn, start, listing, api = (row[k] for k in ("dynroute", "start", "listing", "traefik_api"))
        if not (dyn.runs and start.runs and listing.runs and api.runs):
            continue
        # The reads run at once: the fixed part is the longer of the listing (a whole
        # process: start + AWS reads) and start + Traefik's API.
        fixed = max(listing.med, start.med + api.med)
        rows.append([str(row["cases"]), fmt_s(dyn.med), fmt_s(start.med), fmt_s(listing.med), fmt_s(api.med),
                     f"{fmt_s(fixed)} ({100 * fixed / dyn.med:.0f} %)",
                     f"{fmt_s(dyn.med - fixed)} ({row['cases'] / max(dyn.med - fixed, 1e-3):.0f} cases/s)"])
    return (
        "Item 1b. `check`'s fixed part",
        ["cases", "`check` wall", "process start", "ECS listing (`ls --json`)", "Traefik API (2 reads)",
         "fixed part", "the cases"],
        rows,
        "Medians, measured in the same turns as the table above: `dynroute --version` (spawning the binary), "
        "`dynroute ls --json` of the same cluster (a whole process reading the ECS listing check reads) and one "
        "`curl` fetching Traefik's `/api/http/routers` and `/api/http/services`. `check` reads the listing, "
        "Traefik's API and main's labels at once, so its fixed part is the longer of the listing and "
        "start + Traefik's API; the rest is sending the cases (16 at a time).",
    )


def raw(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"cases": r["cases"], "versions": r["versions"],
             **{k: {"walls": r[k].walls, "median": median(r[k].walls)}
                for k in ("dynroute", "hurl", "curl", "start", "listing", "traefik_api")}}
            for r in result["rows"]]
