"""The one-off task stand-in's own test, without dynroute: RunTask of a
recognised image runs its command locally (exit code, environment, the awslogs
output), a command override, StopTask ends a long one, and an image the stack
does not run fails to start. Run by tests/integration/one_off_tasks.rs:

    python -m stack.oneoff_selftest --endpoint URL --cluster NAME --subnet ID --security-group ID [--postgres-port N]

Prints one JSON object with what each case observed.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--cluster", required=True)
    ap.add_argument("--subnet", required=True)
    ap.add_argument("--security-group", required=True)
    ap.add_argument("--postgres-port", type=int, help="also run psql against the stack's PostgreSQL")
    args = ap.parse_args()
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    import boto3

    kw = dict(
        endpoint_url=args.endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    ecs, logs = boto3.client("ecs", **kw), boto3.client("logs", **kw)
    net = {"awsvpcConfiguration": {"subnets": [args.subnet], "securityGroups": [args.security_group]}}

    def register(family: str, image: str, command: list[str], env: dict[str, str] | None = None) -> str:
        return ecs.register_task_definition(
            family=family,
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            cpu="256",
            memory="512",
            containerDefinitions=[
                {
                    "name": "job",
                    "image": image,
                    "memory": 256,
                    "command": command,
                    "environment": [{"name": "GREETING", "value": "hello from the task"}]
                    + [{"name": k, "value": v} for k, v in (env or {}).items()],
                    "logConfiguration": {
                        "logDriver": "awslogs",
                        "options": {
                            "awslogs-group": "/ecs/oneoff-selftest",
                            "awslogs-region": "us-east-1",
                            "awslogs-stream-prefix": "run",
                        },
                    },
                }
            ],
        )["taskDefinition"]["taskDefinitionArn"]

    def run(arn: str, overrides: dict[str, Any] | None = None) -> str:
        kw2: dict[str, Any] = dict(cluster=args.cluster, taskDefinition=arn, launchType="FARGATE", networkConfiguration=net)
        if overrides:
            kw2["overrides"] = overrides
        return ecs.run_task(**kw2)["tasks"][0]["taskArn"]

    def wait(task: str, status: str = "STOPPED", seconds: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            t = ecs.describe_tasks(cluster=args.cluster, tasks=[task])["tasks"][0]
            if t["lastStatus"] == status or time.monotonic() > deadline:
                return t
            time.sleep(0.2)

    def seen(t: dict[str, Any]) -> dict[str, Any]:
        return {
            "last_status": t["lastStatus"],
            "stop_code": t.get("stopCode"),
            "stopped_reason": t.get("stoppedReason", ""),
            "exit_codes": [c.get("exitCode") for c in t["containers"]],
        }

    out: dict[str, Any] = {}
    arn = register("oneoff-selftest", "public.ecr.aws/docker/library/postgres:17", ["sh", "-c", "echo $GREETING; exit 3"])
    task = run(arn)
    out["exit"] = seen(wait(task))
    stream = f"run/job/{task.rsplit('/', 1)[1]}"
    out["exit"]["log"] = [e["message"] for e in logs.get_log_events(logGroupName="/ecs/oneoff-selftest", logStreamName=stream)["events"]]
    out["override"] = seen(wait(run(arn, {"containerOverrides": [{"name": "job", "command": ["true"]}]})))
    long = run(arn, {"containerOverrides": [{"name": "job", "command": ["sleep", "60"]}]})
    out["long_running"] = seen(wait(long, "RUNNING"))
    ecs.stop_task(cluster=args.cluster, task=long, reason="stopped by the selftest")
    out["stopped"] = seen(wait(long))
    other = register("oneoff-selftest-app", "example/api:1", ["true"])
    out["unknown_image"] = seen(wait(run(other)))
    if args.postgres_port:
        pg = {"PGHOST": "127.0.0.1", "PGPORT": str(args.postgres_port), "PGUSER": "postgres", "PGDATABASE": "postgres"}
        create = register(
            "oneoff-selftest-psql",
            "postgres:17",
            ["psql", "-v", "ON_ERROR_STOP=1", "-c", "create schema v_selftest"],
            pg,
        )
        out["psql_create"] = seen(wait(run(create)))
        failing = register("oneoff-selftest-psql-fail", "postgres:17", ["psql", "-v", "ON_ERROR_STOP=1", "-c", "select nope"], pg)
        out["psql_fail"] = seen(wait(run(failing)))
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
