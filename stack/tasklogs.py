"""What ECS's `awslogs` log driver does, for the stack's tasks.

Each container whose task definition says `logDriver: awslogs` gets its output written
to the emulator's CloudWatch Logs (in-process, through moto's logs backend), in the
container's `awslogs-group` and `awslogs-region` (default: the cluster's region), under
the stream name ECS uses: `{awslogs-stream-prefix}/{container name}/{task id}`.

The output of a stack task is its responder's: one line when it starts listening and
one access-log line per request. One difference from ECS: a missing log group is
created (as if `awslogs-create-group` were "true") instead of failing the task.
"""

from __future__ import annotations

import threading
import time
from typing import Any

_lock = threading.Lock()


class TaskLog:
    """The log stream of one container of one task."""

    def __init__(self, account_id: str, region: str, group: str, stream: str):
        self.account_id = account_id
        self.region = region
        self.group = group
        self.stream = stream

    def write(self, message: str) -> None:
        """Appends one line, timestamped now. Never raises: a log must not stop a task."""
        from moto.logs.models import logs_backends

        event = {"timestamp": int(time.time() * 1000), "message": message}
        try:
            with _lock:
                backend = logs_backends[self.account_id][self.region]
                backend.ensure_log_group(self.group)
                group = backend.groups[self.group]
                if self.stream not in group.streams:
                    backend.create_log_stream(self.group, self.stream)
                backend.put_log_events(self.group, self.stream, [event])
        except Exception:  # noqa: BLE001 - the task goes on without its log
            pass


def task_log(account_id: str, region: str, container: dict[str, Any], task_id: str) -> TaskLog | None:
    """The container's log stream, or None when it does not log with awslogs the way
    ECS can name (a group and a stream prefix)."""
    config = container.get("logConfiguration") or {}
    if config.get("logDriver") != "awslogs":
        return None
    options = config.get("options") or {}
    group = options.get("awslogs-group")
    prefix = options.get("awslogs-stream-prefix")
    if not group or not prefix:
        return None
    stream = f"{prefix}/{container.get('name')}/{task_id}"
    return TaskLog(account_id, options.get("awslogs-region") or region, group, stream)
