"""`dynroute run` and the lifecycle hooks (part `oneoff`).

On a stack of its own (one-off tasks of a recognised image run their command as a
local process, stack/oneoff.py; the scheduler starts them on its next ~0.5 s tick),
a service `job` of version `v1` whose task definition logs with awslogs:

* `run`: `dynroute run v1 -s job [--poll-interval P] -- sh -c 'echo first; sleep S;
  date +%s.%N > FILE'`, for a task that ends at once (S = 0) and one that outlives
  the quick first polls (S = 6), at the default 3 s interval and at 1 s. Measured per
  run: from spawning dynroute to its first line on stdout (the task's first log line),
  and from the container's exit (the time the command wrote, same machine clock) to
  dynroute's exit.
* hooks: `up VERSION --no-wait --no-verify --json` of a fresh version of a project
  without hooks and of the same project with an `on_create` and a `before_up` hook
  (`[true]`), in turns. Reported: both walls, the difference per hook and `up`'s own
  `timings.hooks_ms`.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .main import Run, Series, fmt_s, log, median, rand_suffix, run_measured

if TYPE_CHECKING:
    from .main import Bench, Stack

JOB_TEMPLATE = """\
networkMode: awsvpc
requiresCompatibilities: [FARGATE]
cpu: "256"
memory: "512"
containerDefinitions:
  - name: "{{ service }}"
    image: public.ecr.aws/docker/library/busybox:1.37
    memory: 256
    logConfiguration:
      logDriver: awslogs
      options:
        awslogs-group: /ecs/bench-oneoff
        awslogs-region: us-east-1
        awslogs-stream-prefix: "{{ version }}"
"""

HOOKS = """\
hooks:
  on_create:
    - {service: job, command: ["true"]}
  before_up:
    - {service: job, command: ["true"]}
"""


def timed_run(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float = 120) -> dict[str, Any]:
    """Spawns cmd; the seconds to its first stdout line and to its exit (its exit time too)."""
    t0 = time.time()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    first: list[float] = []
    lines: list[str] = []
    err: list[str] = []
    assert proc.stdout is not None and proc.stderr is not None
    stderr = proc.stderr
    reader = threading.Thread(target=lambda: err.extend(stderr), daemon=True)
    reader.start()
    for line in proc.stdout:
        if not first:
            first.append(time.time())
        lines.append(line)
    rc = proc.wait(timeout=timeout)
    end = time.time()
    reader.join(timeout=5)
    return {"rc": rc, "start": t0, "first": first[0] - t0 if first else float("nan"), "end": end,
            "stdout": "".join(lines), "stderr": "".join(err)}


def bench_oneoff(bench: Bench, stack: Stack) -> None:
    a = bench.args
    cluster = f"oneoff-{rand_suffix()}"
    stack.ctl("create-cluster", cluster)
    config = (f"cluster: {cluster}\nregion: us-east-1\ndomain: bench.test\n{stack.network_yaml()}"
              "services:\n  job:\n    template: templates/job.yaml\n    port: 8080\n")
    plain = bench.project("oneoff-plain", config)
    hooked = bench.project("oneoff-hooks", config + HOOKS)
    for proj in (plain, hooked):
        (proj / "templates" / "job.yaml").write_text(JOB_TEMPLATE)
    env = dict(stack.aws_env())
    env.pop("DYNROUTE_POLL_INTERVAL", None)
    env.pop("DYNROUTE_POLL_INTERVAL_MS", None)
    up = subprocess.run([bench.dynroute, "up", "v1", *bench.up_flags()], env=env, cwd=plain,
                        capture_output=True, text=True)
    if not bench.checks.check(up.returncode == 0, "oneoff: up v1", up.stderr[-2000:]):
        return

    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="dynroute-bench-oneoff-") as tmp:
        for seconds in a.oneoff_sleeps:
            for interval in ("3s", "1s"):
                row: dict[str, Any] = {"sleep": seconds, "interval": interval, "first": [], "exit_lag": [], "wall": []}
                for i in range(a.oneoff_runs):
                    stamp = Path(tmp) / f"exit-{seconds}-{interval}-{i}"
                    script = f"echo first; sleep {seconds}; date +%s.%N > {stamp}"
                    r = timed_run([bench.dynroute, "run", "v1", "-s", "job", "--poll-interval", interval,
                                   "--", "sh", "-c", script], env, plain)
                    label = f"oneoff: run (sleep {seconds}, poll {interval})"
                    if not bench.checks.check(r["rc"] == 0 and r["stdout"].startswith("first"), label,
                                              f"rc={r['rc']} stdout={r['stdout'][:200]!r}\n{r['stderr'][-1500:]}"):
                        continue
                    try:
                        exited = float(stamp.read_text().strip())
                    except (OSError, ValueError) as e:
                        bench.checks.check(False, f"{label}: the container's exit time", str(e))
                        continue
                    row["first"].append(r["first"])
                    row["exit_lag"].append(r["end"] - exited)
                    row["wall"].append(r["end"] - r["start"])
                runs.append(row)
                log(f"oneoff: run sleep {seconds} poll {interval}: first line {fmt_s(median(row['first']))}, "
                    f"exit → exit {fmt_s(median(row['exit_lag']))}")

    without, with_hooks = Series(), Series()
    hooks_ms: list[float] = []
    for i in range(a.oneoff_runs):
        for label, series, proj in (("without hooks", without, plain), ("with 2 hooks", with_hooks, hooked)):
            version = f"hk-{i}-{rand_suffix()}"
            r: Run = run_measured([bench.dynroute, "up", version, *bench.up_flags(), "--json"], env=env, cwd=proj)
            if bench.checks.check(r.rc == 0, f"oneoff: up {label}", f"rc={r.rc}\n{r.stderr[-2000:]}"):
                doc = json.loads(r.stdout)
                if series is with_hooks:
                    ran = [h.get("phase") for h in doc.get("hooks", [])]
                    bench.checks.check(ran == ["on_create", "before_up"], "oneoff: both hooks ran", f"{ran}")
                    hooks_ms.append(float(doc["timings"]["hooks_ms"]))
            series.runs.append(r)
            bench.down(proj, env, version)
    bench.results["oneoff"] = {"runs": runs, "without": without, "with": with_hooks, "hooks_ms": hooks_ms,
                               "samples": a.oneoff_runs}
    log(f"oneoff: up {fmt_s(without.med)}, with 2 hooks {fmt_s(with_hooks.med)}")


def _span(xs: list[float]) -> str:
    return f"{fmt_s(median(xs))} ({fmt_s(min(xs))} – {fmt_s(max(xs))})" if xs else "-"


def tables(result: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]], str]]:
    rows = [[f"{r['sleep']} s", r["interval"], str(len(r["first"])), _span(r["first"]), _span(r["exit_lag"]),
             _span(r["wall"])] for r in result["runs"]]
    without, with_hooks = result["without"], result["with"]
    turns = sorted(w - o for w, o in zip(with_hooks.walls, without.walls))
    hooks = [
        ["`up` (no hooks)", _span(without.walls), "", ""],
        ["`up` with `on_create` + `before_up`", _span(with_hooks.walls),
         f"{fmt_s((with_hooks.med - without.med) / 2)} per hook "
         f"({fmt_s(turns[0] / 2)} – {fmt_s(turns[-1] / 2)} per turn)" if turns else "-",
         _span([ms / 1000 for ms in result["hooks_ms"]])],
    ]
    return [
        (
            "Item 3a. `run`: to the task's first log line, and from its exit to dynroute's",
            ["task runs", "`--poll-interval`", "runs", "spawn → first log line", "container exit → dynroute exit",
             "wall"],
            rows,
            "Median (min – max). The command is `sh -c 'echo first; sleep S; date … > FILE'` in a busybox task; "
            "the stack's scheduler starts a one-off task on its next tick (~0.5 s) and sends its output to "
            "CloudWatch Logs line by line. dynroute asks ECS about the task after 250 ms, 500 ms, 1 s and 2 s, "
            "then every `--poll-interval`: a task that ends at once is seen within the quick polls, whatever the "
            "interval; one that runs longer is seen up to one interval after it ends.",
        ),
        (
            "Item 3b. What hooks add to `up`",
            ["`up V --no-wait --no-verify` (fresh version)", "wall", "added", "`timings.hooks_ms`"],
            hooks,
            "The same one-service project with and without two hooks (`[true]` in the service's task "
            "definition, one after the other), in turns, each version removed afterwards (untimed). A hook "
            "is RunTask, the stack's start of a local process, and dynroute's quick polls until it stops.",
        ),
    ]


def raw(result: dict[str, Any]) -> dict[str, Any]:
    return {"runs": result["runs"], "without": result["without"].walls, "with": result["with"].walls,
            "hooks_ms": result["hooks_ms"]}
