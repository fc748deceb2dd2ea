"""Strict mode: every ECS request is judged the way ECS judges it before moto sees it.

moto accepts almost anything; real ECS does not. Each ECS request is checked against
botocore's service model for ECS (the official API definition installed with moto:
required members, types, string and list lengths, number ranges, enums, patterns) and
against the ECS rules dynroute's own table documents (src/taskdef/ecs_rules.rs). A
violation is answered as ECS answers it (HTTP 400, `InvalidParameterException` or
`ClientException` with the rule's message) and counted; `GET /_stack/strict` reports
the requests per operation and every violation, so a suite can say "0 violations".
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from typing import Any

ECS_PREFIX = "AmazonEC2ContainerServiceV20141113."

FARGATE_MEMORY = {
    256: [512, 1024, 2048],
    512: [g * 1024 for g in range(1, 5)],
    1024: [g * 1024 for g in range(2, 9)],
    2048: [g * 1024 for g in range(4, 17)],
    4096: [g * 1024 for g in range(8, 31)],
    8192: [g * 1024 for g in range(16, 61, 4)],
    16384: [g * 1024 for g in range(32, 121, 8)],
}
TAG_CHARS = re.compile(r"^[\w\s.:/=+\-@]*$", re.UNICODE)


def _units(text: Any, suffix: str) -> int | None:
    t = str(text).strip().lower()
    try:
        if t.endswith(suffix):
            return round(float(t[: -len(suffix)].strip()) * 1024)
        return int(t)
    except ValueError:
        return None


def _tag_ok(chars: str) -> bool:
    # \w in Python is letters, digits (and marks!) and _: marks are refused by ECS.
    import unicodedata

    return TAG_CHARS.match(chars) is not None and not any(unicodedata.category(c).startswith("M") for c in chars)


class Strict:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.violations: list[dict[str, Any]] = []
        self.network_modes: dict[str, str] = {}  # task definition ARN and family:rev -> networkMode
        self._model: Any = None

    def model(self) -> Any:
        if self._model is None:
            import botocore.session

            self._model = botocore.session.get_session().get_service_model("ecs")
        return self._model

    # --- botocore's shapes -------------------------------------------------------------
    def shape_errors(self, value: Any, shape: Any, path: str, out: list[str]) -> None:
        t = shape.type_name
        meta = shape.metadata
        if t == "structure":
            if not isinstance(value, dict):
                out.append(f"{path}: expected a structure")
                return
            for name in shape.required_members:
                if name not in value:
                    out.append(f"{path}.{name}: a required member is missing")
            for name, member in value.items():
                if name not in shape.members:
                    out.append(f"{path}.{name}: not a member of {shape.name}")
                    continue
                self.shape_errors(member, shape.members[name], f"{path}.{name}", out)
        elif t == "list":
            if not isinstance(value, list):
                out.append(f"{path}: expected a list")
                return
            if "min" in meta and len(value) < meta["min"] or "max" in meta and len(value) > meta["max"]:
                out.append(f"{path}: {len(value)} items, outside {meta.get('min', 0)}..{meta.get('max', '∞')}")
            for i, item in enumerate(value):
                self.shape_errors(item, shape.member, f"{path}[{i}]", out)
        elif t == "map":
            if not isinstance(value, dict):
                out.append(f"{path}: expected a map")
                return
            for k, v in value.items():
                self.shape_errors(k, shape.key, f"{path} key", out)
                self.shape_errors(v, shape.value, f"{path}.{k}", out)
        elif t == "string":
            if not isinstance(value, str):
                out.append(f"{path}: expected a string")
                return
            if "min" in meta and len(value) < meta["min"] or "max" in meta and len(value) > meta["max"]:
                out.append(f"{path}: length {len(value)}, outside {meta.get('min', 0)}..{meta.get('max', '∞')}")
            if shape.enum and value not in shape.enum:
                out.append(f"{path}: {value!r} is not one of {', '.join(shape.enum)}")
            pattern = meta.get("pattern")
            if pattern:
                try:
                    if re.fullmatch(pattern, value) is None:
                        out.append(f"{path}: {value!r} does not match {pattern}")
                except re.error:
                    pass
        elif t in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                out.append(f"{path}: expected an integer")
                return
            if "min" in meta and value < meta["min"] or "max" in meta and value > meta["max"]:
                out.append(f"{path}: {value} outside {meta.get('min', '-∞')}..{meta.get('max', '∞')}")
        elif t == "boolean":
            if not isinstance(value, bool):
                out.append(f"{path}: expected a boolean")
        elif t in ("double", "float"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                out.append(f"{path}: expected a number")

    # --- ECS's documented rules --------------------------------------------------------
    def rule_errors(self, op: str, body: dict[str, Any]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        client = "ClientException"
        invalid = "InvalidParameterException"
        tags = body.get("tags") or []
        for tag in tags if isinstance(tags, list) else []:
            key, value = str(tag.get("key", "")), str(tag.get("value", ""))
            if not 1 <= len(key) <= 128 or len(value) > 256 or not _tag_ok(key) or not _tag_ok(value):
                out.append((invalid, f"The tag {key!r} is not valid: keys are 1-128 and values 0-256 characters of letters, numbers, spaces and _.:/=+-@"))
        if op == "RegisterTaskDefinition":
            mode = body.get("networkMode")
            containers = body.get("containerDefinitions") or []
            names = {c.get("name") for c in containers}
            compat = body.get("requiresCompatibilities") or []
            for c in containers:
                if mode == "none" and c.get("portMappings"):
                    out.append((client, "Port mappings are not allowed for 'none' network mode."))
                for dep in c.get("dependsOn") or []:
                    if dep.get("containerName") not in names:
                        out.append((client, f"Container {c.get('name')} depends on container {dep.get('containerName')}, which does not exist."))
            if "EC2" in compat and not body.get("memory") and any(not c.get("memory") and not c.get("memoryReservation") for c in containers):
                out.append((client, "Invalid setting for container: at least one of 'memory' or 'memoryReservation' must be specified."))
            if "FARGATE" in compat and body.get("cpu") and body.get("memory"):
                cpu, mem = _units(body["cpu"], "vcpu"), _units(body["memory"], "gb")
                if cpu not in FARGATE_MEMORY or mem not in FARGATE_MEMORY.get(cpu or 0, []):
                    out.append((client, "No Fargate configuration exists for given values: Invalid 'cpu' setting for task."))
        if op in ("CreateService", "UpdateService"):
            td = body.get("taskDefinition")
            mode = self.network_modes.get(str(td)) if td else None
            if body.get("networkConfiguration") and mode is not None and mode != "awsvpc":
                out.append((invalid, "Network Configuration is not valid for the given networkMode of this task definition."))
            vpc = (body.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
            if vpc.get("assignPublicIp") == "ENABLED" and body.get("launchType") == "EC2":
                out.append((invalid, "Assign public IP is not supported for this launch type."))
            strategy = body.get("capacityProviderStrategy") or []
            if strategy and all(int(i.get("weight", 0) or 0) == 0 for i in strategy):
                out.append((invalid, "At least one capacity provider must have a weight value greater than zero."))
            if sum(1 for i in strategy if int(i.get("base", 0) or 0) > 0) > 1:
                out.append((invalid, "You can only specify a base for one capacity provider in a capacity provider strategy."))
        return out

    # --- the request ---------------------------------------------------------------------
    def judge(self, target: str, raw: bytes, client: str = "unknown", app: str | None = None) -> tuple[str, str] | None:
        """`(exception, message)` when ECS would refuse the request, else None."""
        if not target.startswith(ECS_PREFIX):
            return None
        op = target[len(ECS_PREFIX):]
        with self.lock:
            self.requests[op] += 1
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        errors: list[tuple[str, str]] = []
        if not isinstance(body, dict):
            errors.append(("SerializationException", "The request body is not a JSON object."))
        else:
            try:
                shape = self.model().operation_model(op).input_shape
            except Exception:  # an operation botocore does not know: ECS would not either
                errors.append(("UnknownOperationException", f"Unknown operation {op}"))
                shape = None
            shape_errs: list[str] = []
            if shape is not None:
                self.shape_errors(body, shape, op, shape_errs)
            errors.extend(("InvalidParameterException", e) for e in shape_errs)
            errors.extend(self.rule_errors(op, body))
        if not errors:
            return None
        with self.lock:
            if len(self.violations) < 10_000:
                self.violations.append({"operation": op, "client": client, "app": app, "errors": [m for _, m in errors]})
        return errors[0]

    def registered(self, target: str, response: bytes) -> None:
        """Remembers the network mode of a registered task definition."""
        if target != ECS_PREFIX + "RegisterTaskDefinition":
            return
        try:
            td = json.loads(response).get("taskDefinition") or {}
        except ValueError:
            return
        mode = td.get("networkMode") or "bridge"
        with self.lock:
            for key in (td.get("taskDefinitionArn"), f"{td.get('family')}:{td.get('revision')}"):
                if key:
                    self.network_modes[str(key)] = mode

    def report(self) -> dict[str, Any]:
        with self.lock:
            return {"requests": dict(self.requests), "violations": list(self.violations)}

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.violations.clear()
