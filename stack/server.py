"""The stack's AWS endpoint: moto's server app + the scheduler stand-in, one process.

    python -m stack.server --host 127.0.0.1 --port 0 --ready-file DIR/server.json

Serves moto's werkzeug app (all services, same as `moto_server`) wrapped by StackApp:

* every AWS request runs under patches.BACKEND_LOCK (the scheduler ticks under it too);
* every AWS request is counted per action ("ECS.ListServices", "ELBv2.DescribeLoadBalancers",
  "EC2.DescribeSubnets", ...) and per client (from the User-Agent: "aws-sdk-rust",
  "aws-sdk-go-v2" (Traefik), "Boto3", "aws-cli", ...);
* /_stack/... endpoints (never counted, never locked for long):
    GET  /_stack/health                 {"ok": true, "scheduler_ticks": n, ...}
    GET  /_stack/calls                  {"ECS.ListServices": 3, ...}   (all clients)
    GET  /_stack/calls?client=NAME      same, only requests from that client
    GET  /_stack/calls?app=APP          same, only requests whose User-Agent has `app/APP`
    GET  /_stack/calls/by-client        {"aws-sdk-rust": {"ECS.ListServices": 3}, ...}
    POST /_stack/calls/reset            zero all counters (and the write log)
    GET  /_stack/strict                 ECS requests per operation and every request ECS would
                                        refuse (botocore's model + ECS's rules; stack/strict.py),
                                        which the stack answered as ECS does
    POST /_stack/strict/reset           zero them
    GET  /_stack/writes[?client=NAME]   every ECS write request, in order: {"action", "client",
                                        "names"} with the service, family, task definition and
                                        resource ARN it names (a test oracle: "nothing wrote to X")
    GET  /_stack/scheduler              the scheduler's task/responder view (debugging)
    GET  /_stack/services?cluster=C     every service of cluster C, any status (a test oracle:
                                        ListServices, like ECS, shows only ACTIVE ones)
    GET  /_stack/injected[?client=NAME|?app=APP]
                                        faults injected per API: {"ECS.ListServices":
                                        {"throttled": 2, "hidden": 1}, ...}
    POST /_stack/faults, GET /_stack/faults, DELETE /_stack/faults[?app=A]
    POST /_stack/iam-simulation, GET /_stack/iam-simulation
                                        the stand-in for IAM's SimulatePrincipalPolicy
                                        (stack/iam_simulation.py)
                                        switchable faults (stack/faults.py)
  /moto-api/... requests are passed to moto but not counted.
"""

from __future__ import annotations

import argparse
import io
import ipaddress
import json
import logging
import os
import signal
import sys
import threading
import time
from collections import Counter, defaultdict
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

from . import patches
from .faults import FaultConfigError, Faults, app_id, error_response
from .iam_simulation import IamSimulation
from .strict import Strict

JSON_TARGET_PREFIXES = {
    "AmazonEC2ContainerServiceV20141113": "ECS",
    "AWSSecurityTokenServiceV20110615": "STS",
    "Logs_20140328": "Logs",
}
QUERY_SIGNING_NAMES = {"ec2": "EC2", "sts": "STS", "iam": "IAM", "elasticloadbalancing": "ELBv2"}


def client_name(user_agent: str) -> str:
    ua = user_agent or ""
    for needle, name in (
        ("aws-cli/", "aws-cli"),
        ("aws-sdk-rust", "aws-sdk-rust"),
        ("aws-sdk-go-v2", "aws-sdk-go-v2"),
        ("aws-sdk-go/", "aws-sdk-go"),
        ("Boto3/", "Boto3"),
        ("Botocore/", "Botocore"),
        ("aws-sdk-js", "aws-sdk-js"),
    ):
        if needle in ua:
            return name
    first = ua.split(" ", 1)[0].split("/", 1)[0]
    return first or "unknown"


def signing_service(environ: dict[str, Any]) -> str | None:
    auth = environ.get("HTTP_AUTHORIZATION", "")
    marker = "Credential="
    if marker in auth:
        cred = auth.split(marker, 1)[1].split(",", 1)[0]
        parts = cred.split("/")
        if len(parts) >= 5:
            return parts[3]
    return None


# The ECS operations that change state; reads (Describe*, List*) are not logged.
ECS_WRITES = {
    "CreateService", "UpdateService", "DeleteService", "RegisterTaskDefinition",
    "DeregisterTaskDefinition", "DeleteTaskDefinitions", "TagResource", "UntagResource",
    "RunTask", "StopTask", "StartTask", "UpdateServicePrimaryTaskSet",
}
# The request fields that name what a write touches.
ECS_NAME_FIELDS = ("service", "serviceName", "family", "taskDefinition", "resourceArn", "taskDefinitions")
MAX_WRITES = 100_000


def read_body(environ: dict[str, Any]) -> bytes:
    """The request body, put back for the next reader."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def ecs_write(environ: dict[str, Any], action: str, client: str) -> dict[str, Any] | None:
    """The names an ECS write request touches (its JSON body is read and put back)."""
    if not action.startswith("ECS.") or action.split(".", 1)[1] not in ECS_WRITES:
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        doc = json.loads(body or b"{}")
    except ValueError:
        doc = {}
    names: list[str] = []
    for field in ECS_NAME_FIELDS:
        value = doc.get(field) if isinstance(doc, dict) else None
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, list):
            names.extend(v for v in value if isinstance(v, str))
    return {"action": action, "client": client, "names": names}


def request_action(environ: dict[str, Any]) -> str:
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target and "." in target:
        prefix, op = target.split(".", 1)
        return f"{JSON_TARGET_PREFIXES.get(prefix, prefix)}.{op}"
    params: dict[str, list[str]] = {}
    if environ.get("QUERY_STRING"):
        params.update(parse_qs(environ["QUERY_STRING"]))
    ctype = environ.get("CONTENT_TYPE", "")
    if ctype.startswith("application/x-www-form-urlencoded"):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            body = environ["wsgi.input"].read(length)
            environ["wsgi.input"] = io.BytesIO(body)
            params.update(parse_qs(body.decode("utf-8", "replace")))
    svc = signing_service(environ) or "unknown"
    if "Action" in params:
        name = QUERY_SIGNING_NAMES.get(svc, svc)
        if svc == "elasticloadbalancing" and params.get("Version", [""])[0] != "2015-12-01":
            name = "ELB"
        return f"{name}.{params['Action'][0]}"
    return f"{svc}.{environ.get('REQUEST_METHOD', 'GET')} {environ.get('PATH_INFO', '/')}"


def services_snapshot(cluster: str) -> list[dict[str, Any]]:
    """Every service of `cluster` in every account/region, whatever its status."""
    from moto.ecs.models import ecs_backends

    from .patches import BACKEND_LOCK

    out = []
    with BACKEND_LOCK:
        for regions in list(ecs_backends.values()):
            for backend in list(regions.values()):
                for service in list(backend.services.values()):
                    if service.cluster_name != cluster:
                        continue
                    primary = (service.deployments or [{}])[0]
                    out.append(
                        {
                            "name": service.name,
                            "status": service.status,
                            "desiredCount": service.desired_count,
                            "runningCount": service.running_count,
                            "pendingCount": service.pending_count,
                            "taskDefinition": service.task_definition,
                            "rolloutState": primary.get("rolloutState"),
                            "launchType": getattr(service, "launch_type", None),
                            "capacityProviderStrategy": getattr(service, "capacity_provider_strategy", None) or [],
                            "tags": {t["key"]: t["value"] for t in (service.tags or [])},
                        }
                    )
    return sorted(out, key=lambda s: s["name"])


class StackApp:
    def __init__(self, app: Callable[..., Iterable[bytes]], scheduler: Any):
        self.app = app
        self.scheduler = scheduler
        self.lock = threading.Lock()
        self.calls: Counter[str] = Counter()
        self.by_client: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_app: dict[str, Counter[str]] = defaultdict(Counter)
        # injected faults: client or "app/NAME" -> action -> kind -> count
        self.injected: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        # ECS requests that change something, with the names they touch (bounded).
        self.writes: list[dict[str, Any]] = []
        # Every ECS request judged as ECS would (stack/strict.py).
        self.strict = Strict()
        self.faults = Faults()
        # IAM's policy simulator, which moto lacks (stack/iam_simulation.py).
        self.iam_simulation = IamSimulation()
        self.started = time.time()

    def _json(self, start_response: Callable[..., Any], doc: Any, status: str = "200 OK") -> list[bytes]:
        body = (json.dumps(doc, indent=1, sort_keys=True, default=str) + "\n").encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def _stack(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        path = environ.get("PATH_INFO", "").rstrip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if path == "/_stack/health":
            return self._json(
                start_response,
                {
                    "ok": True,
                    "pid": os.getpid(),
                    "uptime_seconds": round(time.time() - self.started, 1),
                    "scheduler_ticks": self.scheduler.ticks,
                    "scheduler_error": self.scheduler.last_error,
                },
            )
        if path == "/_stack/calls" and method == "GET":
            with self.lock:
                if "client" in query:
                    doc: Any = dict(self.by_client.get(query["client"][0], Counter()))
                elif "app" in query:
                    doc = dict(self.by_app.get(query["app"][0], Counter()))
                else:
                    doc = dict(self.calls)
            return self._json(start_response, doc)
        if path == "/_stack/calls/by-client" and method == "GET":
            with self.lock:
                doc = {k: dict(v) for k, v in self.by_client.items()}
            return self._json(start_response, doc)
        if path == "/_stack/calls/reset" and method == "POST":
            with self.lock:
                self.calls.clear()
                self.by_client.clear()
                self.by_app.clear()
                self.injected.clear()
                self.writes.clear()
            return self._json(start_response, {"reset": True})
        if path == "/_stack/strict" and method == "GET":
            return self._json(start_response, self.strict.report())
        if path == "/_stack/strict/reset" and method == "POST":
            self.strict.reset()
            return self._json(start_response, {"reset": True})
        if path == "/_stack/writes" and method == "GET":
            with self.lock:
                writes = [w for w in self.writes if "client" not in query or w["client"] == query["client"][0]]
            return self._json(start_response, writes)
        if path == "/_stack/injected" and method == "GET":
            key = "app/" + query["app"][0] if "app" in query else query.get("client", ["aws-sdk-rust"])[0]
            with self.lock:
                doc = {a: dict(c) for a, c in sorted(self.injected.get(key, {}).items())}
            return self._json(start_response, doc)
        if path == "/_stack/faults":
            return self._faults(environ, start_response, method, query)
        if path == "/_stack/iam-simulation":
            if method == "POST":
                try:
                    doc = json.loads(read_body(environ) or b"{}")
                    return self._json(start_response, self.iam_simulation.configure(doc))
                except (ValueError, AttributeError) as exc:
                    return self._json(start_response, {"error": str(exc)}, "400 Bad Request")
            return self._json(start_response, self.iam_simulation.state())
        if path == "/_stack/scheduler" and method == "GET":
            return self._json(start_response, self.scheduler.snapshot())
        if path == "/_stack/services" and method == "GET":
            return self._json(start_response, services_snapshot(query.get("cluster", ["default"])[0]))
        return self._json(start_response, {"error": f"no such endpoint: {method} {path}"}, "404 Not Found")

    def _faults(
        self, environ: dict[str, Any], start_response: Callable[..., Any], method: str, query: dict[str, list[str]]
    ) -> list[bytes]:
        if method == "GET":
            return self._json(start_response, self.faults.snapshot())
        if method == "DELETE":
            app = query.get("app", [None])[0]
            return self._json(start_response, self.faults.clear(app, everything=app is None))
        if method in ("POST", "PUT"):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
                doc = json.loads(environ["wsgi.input"].read(length) or b"{}")
                return self._json(start_response, self.faults.set(doc))
            except (ValueError, FaultConfigError) as e:
                return self._json(start_response, {"error": str(e)}, "400 Bad Request")
        return self._json(start_response, {"error": f"no such endpoint: {method} /_stack/faults"}, "404 Not Found")

    def _count_injected(self, client: str, app: str | None, action: str, kind: str, n: int = 1) -> None:
        with self.lock:
            self.injected[client][action][kind] += n
            if app is not None:
                self.injected["app/" + app][action][kind] += n

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_stack"):
            return self._stack(environ, start_response)
        if path.startswith("/moto-api"):
            return self._moto(environ, start_response)
        action = request_action(environ)
        user_agent = environ.get("HTTP_USER_AGENT", "")
        client = client_name(user_agent)
        app = app_id(user_agent)
        write = ecs_write(environ, action, client)
        with self.lock:
            self.calls[action] += 1
            self.by_client[client][action] += 1
            if app is not None:
                self.by_app[app][action] += 1
            if write is not None and len(self.writes) < MAX_WRITES:
                self.writes.append(write)
        if action == "IAM.SimulatePrincipalPolicy":
            status, doc = self.iam_simulation.answer(read_body(environ))
            start_response(status, [("Content-Type", "text/xml"), ("Content-Length", str(len(doc)))])
            return [doc]
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith("AmazonEC2ContainerServiceV20141113."):
            raw = read_body(environ)
            refused = self.strict.judge(target, raw, client, app)
            if refused is not None:
                kind, message = refused
                doc = json.dumps({"__type": kind, "message": message}).encode()
                start_response("400 Bad Request", [("Content-Type", "application/x-amz-json-1.1"), ("Content-Length", str(len(doc)))])
                return [doc]
        decision = self.faults.decide(client, user_agent, action)
        if decision.scope is None:
            out = self._moto(environ, start_response)
            self.strict.registered(target, b"".join(out))
            return out
        if decision.delay:
            self._count_injected(client, app, action, "delayed")
            time.sleep(decision.delay)  # outside BACKEND_LOCK: only this request waits
        if decision.error:
            self._count_injected(client, app, action, decision.error)
            status, headers, body = error_response(decision.error, "HTTP_X_AMZ_TARGET" in environ)
            start_response(status, headers)
            return [body]
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[..., Any]:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self._moto(environ, capture))
        self.strict.registered(target, body)
        body, hidden = self.faults.after(decision, action, captured["status"], body)
        if hidden:
            self._count_injected(client, app, action, "hidden", hidden)
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(captured["status"], headers)
        return [body]

    def _moto(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with patches.BACKEND_LOCK:
            result = self.app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close:
                    close()
        return [body]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m stack.server")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--ready-file", help="write {pid, port, endpoint_url} here once serving")
    ap.add_argument("--verbose", action="store_true", help="log every request")
    args = ap.parse_args(argv)

    if not ipaddress.ip_address(args.host).is_loopback:
        print(f"error: refusing to listen on non-loopback address {args.host}", file=sys.stderr)
        return 2

    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    patches.apply()

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from .scheduler import Scheduler

    verbose = args.verbose

    class QuietHandler(MotoRequestHandler):
        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            try:
                failed = int(code) >= 400
            except (TypeError, ValueError):
                failed = False
            if verbose or failed:
                super().log_request(code, size)

    scheduler = Scheduler()
    app = StackApp(DomainDispatcherApplication(create_backend_app), scheduler)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=QuietHandler)
    server.daemon_threads = True  # type: ignore[attr-defined]
    port = server.server_address[1]
    scheduler.start()

    def _shutdown(signum: int, frame: Any) -> None:
        # What strict mode judged, for whoever reads the state dir afterwards.
        if args.ready_file:
            try:
                path = os.path.join(os.path.dirname(args.ready_file), "strict.json")
                with open(path + ".tmp", "w") as f:
                    json.dump(app.strict.report(), f)
                os.replace(path + ".tmp", path)
            except OSError:
                pass
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _shutdown)
    signal.signal(signal.SIGINT, _shutdown)

    endpoint = f"http://{args.host}:{port}"
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"pid": os.getpid(), "port": port, "endpoint_url": endpoint}, f)
        os.replace(tmp, args.ready_file)
    logging.getLogger("stack.server").info("serving moto + scheduler on %s (pid %d)", endpoint, os.getpid())
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        scheduler.stop()
        server.server_close()
        logging.getLogger("stack.server").info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
