"""A stand-in for IAM's SimulatePrincipalPolicy, which moto does not have.

The one simulated IAM call: it answers from a configured allow-list instead of
evaluating policies, so `dynroute doctor`'s permission check can be tested both
ways (allowed, denied) and "not allowed to simulate" too. Documented in
stack/README.md.

    POST /_stack/iam-simulation {"allow": ["ecs:CreateService", ...] | null,
                                 "deny_simulation": false}
        null (the default) allows every action; a list allows those only;
        deny_simulation answers the call itself with AccessDenied.
    GET  /_stack/iam-simulation  the settings and the requests seen (their
        actions, resources and context entries), newest last, at most 1,000.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

MAX_REQUESTS = 1000


class IamSimulation:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.allow: set[str] | None = None
        self.deny_simulation = False
        self.requests: list[dict[str, Any]] = []

    def configure(self, doc: dict[str, Any]) -> dict[str, Any]:
        allow = doc.get("allow")
        if allow is not None and not (isinstance(allow, list) and all(isinstance(a, str) for a in allow)):
            raise ValueError("allow: a list of action names, or null")
        with self.lock:
            self.allow = None if allow is None else set(allow)
            self.deny_simulation = bool(doc.get("deny_simulation", False))
            self.requests.clear()
        return self.state()

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {
                "allow": None if self.allow is None else sorted(self.allow),
                "deny_simulation": self.deny_simulation,
                "requests": list(self.requests),
            }

    def answer(self, body: bytes) -> tuple[str, bytes]:
        """The HTTP status and XML body for one SimulatePrincipalPolicy request."""
        params = parse_qs(body.decode("utf-8", "replace"))

        def members(prefix: str) -> list[str]:
            keys = sorted(
                (k for k in params if k.startswith(prefix + ".member.")),
                key=lambda k: int(k.rsplit(".", 1)[1]) if k.rsplit(".", 1)[1].isdigit() else 0,
            )
            return [params[k][0] for k in keys]

        actions = members("ActionNames")
        resources = members("ResourceArns") or ["*"]
        context = {}
        n = 1
        while f"ContextEntries.member.{n}.ContextKeyName" in params:
            key = params[f"ContextEntries.member.{n}.ContextKeyName"][0]
            context[key] = params.get(f"ContextEntries.member.{n}.ContextKeyValues.member.1", [""])[0]
            n += 1
        request_id = str(uuid.uuid4())
        with self.lock:
            if len(self.requests) < MAX_REQUESTS:
                self.requests.append(
                    {
                        "principal": params.get("PolicySourceArn", [""])[0],
                        "actions": actions,
                        "resources": resources,
                        "context": context,
                    }
                )
            if self.deny_simulation:
                return "403 Forbidden", (
                    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
                    "<Message>User is not authorized to perform: iam:SimulatePrincipalPolicy</Message>"
                    f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
                ).encode()
            allow = self.allow
        results = []
        for action in actions:
            for resource in resources:
                decision = "allowed" if allow is None or action in allow else "implicitDeny"
                results.append(
                    "<member>"
                    f"<EvalActionName>{escape(action)}</EvalActionName>"
                    f"<EvalResourceName>{escape(resource)}</EvalResourceName>"
                    f"<EvalDecision>{decision}</EvalDecision>"
                    "<MatchedStatements/><MissingContextValues/>"
                    "</member>"
                )
        return "200 OK", (
            '<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">'
            "<SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated>"
            f"<EvaluationResults>{''.join(results)}</EvaluationResults>"
            "</SimulatePrincipalPolicyResult>"
            f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
            "</SimulatePrincipalPolicyResponse>"
        ).encode()
