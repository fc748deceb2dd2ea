"""Switchable AWS faults, injected into one client's requests (dynroute's by default).

Real AWS throttles, answers 5xx now and then, is slow, and is eventually consistent (a
service just created is missing from DescribeServices / ListServices for a while). The
stack injects exactly these, set at runtime over its control API, so the test suite can
prove that dynroute's answers stay right under them:

    POST   /_stack/faults            set the faults of one scope (JSON body, see below)
    GET    /_stack/faults            every scope's settings and what was injected so far
    DELETE /_stack/faults[?app=A]    clear one scope (no `app`: every scope)

    {
      "app": "faults-up-3",          // scope: only requests whose User-Agent carries
                                     //   `app/faults-up-3` (AWS_SDK_UA_APP_ID); omitted:
                                     //   every request of `client`
      "client": "aws-sdk-rust",      // default: dynroute's SDK; never Traefik's
      "seed": 7,                     // decisions are a pure function of (seed, API, n)
      "throttle": {"ecs:DescribeServices": 0.3, "*": 0.1},    // ThrottlingException rate
      "server_errors": {"ecs:CreateService": 0.05},           // HTTP 500 rate
      "latency_ms": {"*": 20},                                 // added before answering
      "consistency_seconds": 5       // a service created in this scope is missing from
                                     //   this scope's DescribeServices / ListServices
                                     //   for that long
    }

API keys: `ecs:DescribeServices` (IAM style) or `ECS.DescribeServices` (the counters'
style), `ecs:*` for every API of a service, `*` for every API. The most specific key wins.

Decisions are deterministic: the n-th request of an API in a scope is faulted when
hash(seed, API, n) < rate, so a seeded run injects the same faults whatever the
interleaving of the other APIs. A retried request is a new request (n + 1). A throttled
or failed request is never executed (no half-applied writes). Requests of other clients
(Traefik's `aws-sdk-go-v2`, boto3 from `ctl`) and the scheduler, which works in-process,
are never faulted.

Throttling is answered as each protocol's AWS service does: JSON services (ECS) HTTP 400
with `x-amzn-errortype: ThrottlingException` and `{"__type": "ThrottlingException",
"message": "Rate exceeded"}`; query services (ELBv2, EC2) HTTP 400 with an
`<ErrorResponse>` whose code is `Throttling`. Server errors: `ServerException` (JSON) /
`InternalFailure` (query), HTTP 500.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

DEFAULT_CLIENT = "aws-sdk-rust"
KINDS = ("throttled", "server_errors", "delayed", "hidden")
_SETTING_KEYS = {"app", "client", "seed", "throttle", "server_errors", "latency_ms", "consistency_seconds"}


class FaultConfigError(ValueError):
    """A fault setting that cannot be applied (answered with HTTP 400)."""


def canonical_api(key: str) -> str:
    """`ecs:DescribeServices` / `ECS.DescribeServices` -> `ECS.DescribeServices`; `*` stays."""
    if key == "*":
        return key
    if ":" in key:
        service, op = key.split(":", 1)
    elif "." in key:
        service, op = key.split(".", 1)
    else:
        raise FaultConfigError(f"API key {key!r}: expected `ecs:Operation`, `ecs:*` or `*`")
    names = {"ecs": "ECS", "elasticloadbalancing": "ELBv2", "elbv2": "ELBv2", "ec2": "EC2", "sts": "STS"}
    service = names.get(service.lower(), service)
    if not op:
        raise FaultConfigError(f"API key {key!r} has no operation")
    return f"{service}.{op}"


def _rates(doc: Any, what: str, upper: float | None) -> dict[str, float]:
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise FaultConfigError(f"`{what}` must be an object of API -> number")
    out: dict[str, float] = {}
    for key, value in doc.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FaultConfigError(f"`{what}.{key}` must be a number, got {value!r}")
        if value < 0 or (upper is not None and value > upper):
            bound = f"between 0 and {upper}" if upper is not None else "at least 0"
            raise FaultConfigError(f"`{what}.{key}` must be {bound}, got {value}")
        out[canonical_api(str(key))] = float(value)
    return out


def _lookup(table: dict[str, float], action: str) -> float:
    if action in table:
        return table[action]
    service = action.split(".", 1)[0]
    if f"{service}.*" in table:
        return table[f"{service}.*"]
    return table.get("*", 0.0)


def draw(seed: int, action: str, n: int) -> float:
    """A number in [0, 1) that depends only on (seed, action, n)."""
    digest = hashlib.blake2b(f"{seed}:{action}:{n}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass
class Scope:
    app: str | None
    client: str = DEFAULT_CLIENT
    seed: int = 0
    throttle: dict[str, float] = field(default_factory=dict)
    server_errors: dict[str, float] = field(default_factory=dict)
    latency_ms: dict[str, float] = field(default_factory=dict)
    consistency_seconds: float = 0.0
    # runtime state
    seen: Counter[str] = field(default_factory=Counter)
    injected: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    created: dict[str, float] = field(default_factory=dict)  # service ARN -> visible from (monotonic)

    @staticmethod
    def parse(doc: Any) -> "Scope":
        if not isinstance(doc, dict):
            raise FaultConfigError("the body must be a JSON object")
        unknown = sorted(set(doc) - _SETTING_KEYS)
        if unknown:
            raise FaultConfigError(f"unknown setting(s) {unknown}; expected some of {sorted(_SETTING_KEYS)}")
        app = doc.get("app")
        if app is not None and (not isinstance(app, str) or not app):
            raise FaultConfigError("`app` must be a non-empty string")
        client = doc.get("client", DEFAULT_CLIENT)
        if not isinstance(client, str) or not client:
            raise FaultConfigError("`client` must be a non-empty string")
        seed = doc.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise FaultConfigError("`seed` must be an integer")
        consistency = doc.get("consistency_seconds", 0)
        if isinstance(consistency, bool) or not isinstance(consistency, (int, float)) or consistency < 0:
            raise FaultConfigError("`consistency_seconds` must be a number >= 0")
        return Scope(
            app=app,
            client=client,
            seed=seed,
            throttle=_rates(doc.get("throttle"), "throttle", 1.0),
            server_errors=_rates(doc.get("server_errors"), "server_errors", 1.0),
            latency_ms=_rates(doc.get("latency_ms"), "latency_ms", 60_000.0),
            consistency_seconds=float(consistency),
        )

    def settings(self) -> dict[str, Any]:
        return {
            "app": self.app,
            "client": self.client,
            "seed": self.seed,
            "throttle": self.throttle,
            "server_errors": self.server_errors,
            "latency_ms": self.latency_ms,
            "consistency_seconds": self.consistency_seconds,
        }


@dataclass
class Decision:
    """What to do with one request: sleep, then answer an error or run it."""

    scope: Scope | None = None
    delay: float = 0.0
    error: str | None = None  # "throttled" | "server_errors"


def app_id(user_agent: str) -> str | None:
    """The `app/NAME` token an SDK adds for AWS_SDK_UA_APP_ID / sdk_ua_app_id."""
    for token in (user_agent or "").split():
        if token.startswith("app/") and len(token) > 4:
            return token[4:]
    return None


class Faults:
    """Every scope's settings, and the decisions and counters (thread-safe)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.scopes: dict[str | None, Scope] = {}

    def set(self, doc: Any) -> dict[str, Any]:
        scope = Scope.parse(doc)
        with self.lock:
            old = self.scopes.get(scope.app)
            if old is not None:
                # what this scope created stays hidden for its window, and its totals
                # add up; the decision sequence starts over, so a seeded setting
                # injects the same faults every time it is set
                scope.created = old.created
                scope.injected = old.injected
            self.scopes[scope.app] = scope
            return scope.settings()

    def clear(self, app: str | None, everything: bool) -> dict[str, Any]:
        with self.lock:
            if everything:
                n = len(self.scopes)
                self.scopes.clear()
            else:
                n = 1 if self.scopes.pop(app, None) is not None else 0
        return {"cleared": n}

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "scopes": [
                    {
                        **s.settings(),
                        "injected": {a: dict(c) for a, c in sorted(s.injected.items())},
                        "requests": dict(s.seen),
                    }
                    for s in self.scopes.values()
                ]
            }

    def _scope_for(self, client: str, user_agent: str) -> Scope | None:
        app = app_id(user_agent)
        scope = self.scopes.get(app) if app is not None else None
        if scope is None:
            scope = self.scopes.get(None)
        if scope is None or scope.client != client:
            return None
        return scope

    def decide(self, client: str, user_agent: str, action: str) -> Decision:
        with self.lock:
            scope = self._scope_for(client, user_agent)
            if scope is None:
                return Decision()
            n = scope.seen[action]
            scope.seen[action] += 1
            decision = Decision(scope=scope)
            latency = _lookup(scope.latency_ms, action)
            if latency > 0:
                decision.delay = latency / 1000.0
                scope.injected[action]["delayed"] += 1
            if draw(scope.seed, "throttle:" + action, n) < _lookup(scope.throttle, action):
                decision.error = "throttled"
            elif draw(scope.seed, "5xx:" + action, n) < _lookup(scope.server_errors, action):
                decision.error = "server_errors"
            if decision.error:
                scope.injected[action][decision.error] += 1
            return decision

    # ---------------------------------------------------------------- consistency

    def after(self, decision: Decision, action: str, status: str, body: bytes) -> tuple[bytes, int]:
        """Records created services; hides recent ones from DescribeServices/ListServices.
        Returns the (possibly rewritten) body and how many services it hid."""
        scope = decision.scope
        if scope is None or not status.startswith("200"):
            return body, 0
        if action == "ECS.CreateService":
            if scope.consistency_seconds <= 0:
                return body, 0
            try:
                arn = json.loads(body)["service"]["serviceArn"]
            except (ValueError, KeyError, TypeError):
                return body, 0
            with self.lock:
                scope.created[arn] = time.monotonic() + scope.consistency_seconds
            return body, 0
        if action not in ("ECS.DescribeServices", "ECS.ListServices"):
            return body, 0
        now = time.monotonic()
        with self.lock:
            hidden = {a for a, visible_at in scope.created.items() if now < visible_at}
        if not hidden:
            return body, 0
        try:
            doc = json.loads(body)
        except ValueError:
            return body, 0
        n = 0
        if action == "ECS.ListServices":
            arns = doc.get("serviceArns") or []
            kept = [a for a in arns if a not in hidden]
            n = len(arns) - len(kept)
            doc["serviceArns"] = kept
        else:
            kept_services = []
            for svc in doc.get("services") or []:
                if svc.get("serviceArn") in hidden:
                    n += 1
                    doc.setdefault("failures", []).append({"arn": svc["serviceArn"], "reason": "MISSING"})
                else:
                    kept_services.append(svc)
            doc["services"] = kept_services
        if not n:
            return body, 0
        with self.lock:
            scope.injected[action]["hidden"] += n
        return json.dumps(doc).encode(), n


def error_response(kind: str, json_protocol: bool) -> tuple[str, list[tuple[str, str]], bytes]:
    """The status line, headers and body AWS sends for a throttle or a server error."""
    request_id = str(uuid.uuid4())
    if json_protocol:
        code, status, message = (
            ("ThrottlingException", "400 Bad Request", "Rate exceeded")
            if kind == "throttled"
            else ("ServerException", "500 Internal Server Error", "An internal error occurred (injected by the stack).")
        )
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("x-amzn-errortype", code),
            ("x-amzn-RequestId", request_id),
        ]
    else:
        code, status, message, fault = (
            ("Throttling", "400 Bad Request", "Rate exceeded", "Sender")
            if kind == "throttled"
            else ("InternalFailure", "500 Internal Server Error", "An internal error occurred (injected by the stack).", "Receiver")
        )
        body = (
            f"<ErrorResponse><Error><Type>{fault}</Type><Code>{code}</Code><Message>{message}</Message>"
            f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers = [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id)]
    headers.append(("Content-Length", str(len(body))))
    return status, headers, body
