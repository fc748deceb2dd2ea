"""Cold start of every offline command against the process-spawn floor, and binary size.

The commands are one table, COMMANDS: adding a command is one row. Every row is run once
first and checked (exit code, and the output where `stdout` / `check` says), then
`runs` times spawn → exit under bench/rss.rs. Ratios are to `/bin/true` spawned the
same way in the same run.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .main import ROOT, VENV_BIN, Checks, median, run_measured


@dataclass
class Cold:
    label: str
    args: list[str]  # after the binary; "{fixture}" is a file written by `prepare`
    stdout: str | None = None  # the exact output expected
    check: Callable[[str], str | None] | None = None  # stdout -> problem or None
    exits: tuple[int, ...] = (0,)


def _json_list(n: int) -> Callable[[str], str | None]:
    def check(out: str) -> str | None:
        try:
            doc = json.loads(out)
        except ValueError as e:
            return f"not JSON: {e}"
        return None if isinstance(doc, list) and len(doc) == n else f"expected {n} task definitions"
    return check


def _contains(*needles: str) -> Callable[[str], str | None]:
    def check(out: str) -> str | None:
        missing = [n for n in needles if n not in out]
        return f"output lacks {missing}" if missing else None
    return check


# In the repository root (the demo project: services api and web). One row per command.
COMMANDS: list[Cold] = [
    # Not an offline command: the floor of this binary (exec, loading, argument parsing).
    Cold("dynroute --version", ["--version"], check=_contains("dynroute ")),
    Cold("dynroute --help", ["--help"], check=_contains("Usage: dynroute")),
    Cold("dynroute header feature-1", ["header", "feature-1"], stdout="baggage: dynamic_route=feature-1\n"),
    Cold("dynroute render feature-1", ["render", "feature-1"], check=_json_list(2)),
    Cold("dynroute traefik-config", ["traefik-config"], check=_contains("experimental")),
    Cold("dynroute iam-policy", ["iam-policy"], check=_contains('"Statement"')),
    # Against the file `render` wrote for the same release: no AWS call, nothing differs.
    Cold("dynroute diff feature-1 --against-file FILE", ["diff", "feature-1", "-s", "api", "--against-file", "{fixture}"],
         check=_contains("api: no changes against")),
]

FLOOR = Cold("/bin/true (spawn floor)", [])


@dataclass
class ColdResult:
    label: str
    walls: list[float] = field(default_factory=list)
    rss: int = 0

    @property
    def med(self) -> float:
        return median(self.walls)


def prepare_fixture(dynroute: str, env: dict[str, str], work: Path) -> Path:
    """The task definition `render` gives for api, as `diff --against-file` reads it."""
    out = subprocess.run([dynroute, "render", "feature-1", "-s", "api", "--json"], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    path = work / "api-feature-1.json"
    doc = json.loads(out.stdout) if out.returncode == 0 else []
    path.write_text(json.dumps(doc[0] if isinstance(doc, list) and doc else doc))
    return path


def bench_cold(dynroute: str, env: dict[str, str], runs: int, work: Path, checks: Checks) -> list[ColdResult]:
    fixture = prepare_fixture(dynroute, env, work)
    results = []
    for row in [FLOOR, *COMMANDS]:
        res = ColdResult(row.label)
        cmd = ["/bin/true"] if row is FLOOR else [dynroute, *(a.replace("{fixture}", str(fixture)) for a in row.args)]
        first = run_measured(cmd, env=env, cwd=ROOT)  # warm-up, and the output check
        ok = checks.check(first.rc in row.exits, f"cold {row.label}: exit code",
                          f"rc={first.rc}\n{first.stderr[-1500:]}")
        if ok and row.stdout is not None:
            checks.check(first.stdout == row.stdout, f"cold {row.label}: output", repr(first.stdout[:200]))
        if ok and row.check is not None:
            problem = row.check(first.stdout)
            checks.check(problem is None, f"cold {row.label}: output", problem or "")
        for _ in range(runs):
            r = run_measured(cmd, env=env, cwd=ROOT)
            res.walls.append(r.wall)
            res.rss = max(res.rss, r.maxrss_kib)
        results.append(res)
    return results


def _tree_size(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        if p.is_file():
            total += p.stat().st_size
        for dirpath, _, files in os.walk(p):
            for f in files:
                fp = Path(dirpath) / f
                if not fp.is_symlink():
                    total += fp.stat().st_size
    return total


def sizes(dynroute: str) -> list[dict[str, Any]]:
    """dynroute's binary against /bin/true, the hurl binary and the AWS CLI v1 install."""
    build = "release, stripped" if "/release/" in dynroute else "the binary under test"
    rows = [{"what": f"dynroute ({build})", "bytes": Path(dynroute).stat().st_size},
            {"what": "/bin/true", "bytes": Path("/bin/true").stat().st_size}]
    hurl = os.environ.get("DYNROUTE_HURL")
    if hurl and Path(hurl).is_file():
        rows.append({"what": "hurl 8.0.1 (cargo install)", "bytes": Path(hurl).stat().st_size})
    site = next(iter((ROOT / ".stack" / "venv" / "lib").glob("python3*/site-packages")), None)
    if site:
        parts = [site / n for n in ("awscli", "botocore", "s3transfer", "yaml", "rsa", "docutils", "colorama")]
        rows.append({"what": "AWS CLI v1 (awscli + botocore + deps, site-packages)", "bytes": _tree_size(parts)})
    return rows


def tables(cold: list[ColdResult], size_rows: list[dict[str, Any]]) -> list[tuple[str, list[str], list[list[str]], str]]:
    from .main import fmt_s

    floor = cold[0].med if cold else float("nan")
    rows = []
    for r in cold:
        ws = sorted(r.walls)
        p90 = ws[min(len(ws) - 1, int(len(ws) * 0.9))] if ws else float("nan")
        rows.append([r.label, fmt_s(r.med), fmt_s(p90), f"{r.med / floor:.1f}×", str(len(ws)),
                     f"{r.rss / 1024:.0f} MiB"])
    dyn = size_rows[0]["bytes"] if size_rows else 0
    srows = [[s["what"], f"{s['bytes'] / 2**20:.1f} MiB" if s["bytes"] > 2**20 else f"{s['bytes'] / 1024:.0f} KiB",
              f"{dyn / s['bytes']:.1f}×" if s["bytes"] else "-"] for s in size_rows]
    return [
        ("Item 5a. Cold start of the offline commands (spawn → exit, repository root)",
         ["command", "median", "p90", "÷ /bin/true", "runs", "peak RSS"], rows,
         "Each command is spawned by `bench/rss.rs` (`std::process::Command` + `getrusage`) in the repository root "
         "(the demo project), after one unmeasured run whose exit code and output are checked; `/bin/true` spawned "
         "the same way in the same run is the floor. The command list is `bench/cold.py` `COMMANDS`, one row each."),
        ("Item 5b. Binary size", ["file", "size", "dynroute ÷ this"], srows,
         "The release profile optimises for size (`opt-level = \"s\"`, fat LTO, one codegen unit, stripped, "
         "`panic = \"abort\"`)."),
    ]
