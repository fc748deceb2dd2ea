"""One-off tasks (RunTask) for the scheduler stand-in: moto creates the task and
runs nothing; here its command runs as a local process, because no container
runtime is available.

Which tasks: a task started by RunTask (its group is not `service:…`) whose
first container's image is one the stack recognises by its repository name,
whatever the registry and tag: `postgres`, `busybox`, `alpine`, `debian`,
`ubuntu` (RECOGNISED). Its command (the RunTask override, else the task
definition's) runs with this machine's programs (`psql`, `sh`, `true`, `false`,
`sleep`, …) and the container's environment (task definition + override); no
shell unless the command names one. Its output goes, line by line, to the
emulator's CloudWatch Logs as the awslogs driver would (stack/tasklogs.py).
The process's exit code becomes the container's `exitCode`; the task STOPPED
with stopCode `EssentialContainerExited`. StopTask ends the process (SIGTERM,
then SIGKILL after STOP_GRACE). Any other image: the task STOPS at once with
`TaskFailedToStart` and a `CannotPullContainerError` reason naming the images
the stack runs. Each process is bounded: OUTPUT_LINES lines of output kept,
MAX_SECONDS of run time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from typing import Any

from moto.core.utils import utcnow

from .tasklogs import task_log

RECOGNISED = ("postgres", "busybox", "alpine", "debian", "ubuntu")
OUTPUT_LINES = 10_000
MAX_SECONDS = float(os.environ.get("STACK_ONEOFF_MAX_SECONDS", "600"))
STOP_GRACE = 3.0


def recognised(image: str | None) -> bool:
    """`public.ecr.aws/docker/library/postgres:17` → True."""
    if not image:
        return False
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[0] in RECOGNISED


def mark_stopped(task: Any) -> None:
    """A task STOPPED now: its status and the times ECS stamps on a stop."""
    stamp = utcnow()
    task.last_status = "STOPPED"
    task.desired_status = "STOPPED"
    task.stopping_at = stamp
    task.stopped_at = stamp
    task.execution_stopped_at = stamp


class OneOff:
    """The process of one one-off task."""

    def __init__(self, task: Any, proc: subprocess.Popen[bytes] | None):
        self.task = task
        self.proc = proc
        self.started = time.monotonic()
        self.term_sent: float | None = None
        self.done = threading.Event()


class OneOffs:
    def __init__(self) -> None:
        self.running: dict[str, OneOff] = {}

    def _override(self, task: Any, name: str) -> dict[str, Any]:
        for o in (task.overrides or {}).get("containerOverrides") or []:
            if o.get("name") == name:
                return o
        return {}

    def _stop(self, task: Any, reason: str, code: str, exit_code: int | None) -> None:
        mark_stopped(task)
        if not task.stopped_reason:
            task.stopped_reason = reason
        task.stop_code = getattr(task, "stop_code", None) or code
        for c in task.containers:
            c.last_status = "STOPPED"
            c.exitCode = exit_code
            if exit_code is None:
                c.reason = reason

    def launch(self, account_id: str, region: str, backend: Any, task: Any) -> None:
        if task.task_arn in self.running:
            return
        td = backend.describe_task_definition(task.task_definition_arn)
        container = td.container_definitions[0]
        image = container.get("image")
        if not recognised(image):
            self.running[task.task_arn] = OneOff(task, None)
            self._stop(
                task,
                f"CannotPullContainerError: stack: {image} is not an image the local stack runs "
                f"(it runs the command of {', '.join(RECOGNISED)} images with this machine's programs)",
                "TaskFailedToStart",
                None,
            )
            return
        override = self._override(task, container.get("name"))
        command = override.get("command") or container.get("command") or []
        env = {
            k: v
            for k, v in os.environ.items()
            if k in ("PATH", "HOME", "LANG", "LC_ALL", "TZ", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE")
        }
        for e in (container.get("environment") or []) + (override.get("environment") or []):
            env[e["name"]] = e["value"]
        log = task_log(account_id, region, container, task.id)
        if not command:
            self.running[task.task_arn] = OneOff(task, None)
            self._stop(task, "stack: the container has no command to run", "TaskFailedToStart", None)
            return
        try:
            proc = subprocess.Popen(
                [str(a) for a in command],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            self.running[task.task_arn] = OneOff(task, None)
            # As a container whose entrypoint is missing: it exits 127.
            if log is not None:
                log.write(f"exec {command[0]}: {exc.strerror}")
            self._stop(task, "Essential container in task exited", "EssentialContainerExited", 127)
            return
        one = OneOff(task, proc)
        self.running[task.task_arn] = one
        stamp = utcnow()
        task.last_status = "RUNNING"
        task.started_at = stamp
        for c in task.containers:
            c.last_status = "RUNNING"

        def pump() -> None:
            assert proc.stdout is not None
            n = 0
            for raw in proc.stdout:
                n += 1
                if n <= OUTPUT_LINES and log is not None:
                    log.write(raw.decode("utf-8", "replace").rstrip("\n"))
            one.done.set()

        threading.Thread(target=pump, daemon=True, name=f"oneoff-{task.id}").start()

    def tick(self, now: float) -> None:
        """Finishes the tasks whose process ended; ends the ones told to stop."""
        for arn, one in list(self.running.items()):
            task, proc = one.task, one.proc
            if proc is None or task.last_status == "STOPPED":
                continue
            told = task.desired_status == "STOPPED" or now - one.started > MAX_SECONDS
            if told and proc.poll() is None:
                if one.term_sent is None:
                    one.term_sent = now
                    os.killpg(proc.pid, signal.SIGTERM)
                elif now - one.term_sent > STOP_GRACE:
                    os.killpg(proc.pid, signal.SIGKILL)
            code = proc.poll()
            if code is None:
                continue
            one.done.wait(timeout=2)
            exit_code = 128 - code if code < 0 else code
            if one.term_sent is not None:
                self._stop(task, task.stopped_reason or "Task stopped by user", "UserInitiated", exit_code)
            else:
                self._stop(task, "Essential container in task exited", "EssentialContainerExited", exit_code)

    def stop_all(self) -> None:
        for one in self.running.values():
            if one.proc is not None and one.proc.poll() is None:
                try:
                    os.killpg(one.proc.pid, signal.SIGKILL)
                except OSError:
                    pass
