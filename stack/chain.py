"""One task of a two-hop chain, run as its own process with the task's environment.

    python -m stack.chain --fd FD --address A --port P    (started by stack/responder.py)

Serves like every responder and, for each request, calls `DOWNSTREAM_URL` (with the
Host header `DOWNSTREAM_HOST` when set) through Traefik. The OpenTelemetry SDK is
configured only by the environment: `OTEL_PROPAGATORS` picks the propagators (the
SDK's global text map), `OTEL_RESOURCE_ATTRIBUTES` the resource. The incoming context
(trace and baggage) is extracted, a client span started in it, and the context injected
into the downstream request, as an instrumented service would. The answer gains:

    "hop":        {"version": DYNROUTE_VERSION, "trace_id": ..., "resource": {...},
                   "propagators": [...], "baggage_in": {...}}
    "downstream": {"url": ..., "status": 200, "sent": {injected headers},
                   "version": X-Dynroute-Version of the answer, "body": {its JSON}}
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from opentelemetry import baggage, context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

from .responder import ResponderServer

trace.set_tracer_provider(TracerProvider(resource=Resource.create()))
TRACER = trace.get_tracer("dynroute-stack-chain")


def carrier(headers: dict[str, Any]) -> dict[str, str]:
    """Request headers as a text-map carrier; repeated lines are combined with `,` (RFC 9110)."""
    return {k: ",".join(v) if isinstance(v, list) else v for k, v in headers.items()}


def call_downstream(url: str, host: str | None, sent: dict[str, str]) -> dict[str, Any]:
    target = urllib.request.urlparse(url).hostname or ""
    if not ipaddress.ip_address(target).is_loopback:
        return {"url": url, "error": "refusing a non-loopback DOWNSTREAM_URL"}
    req = urllib.request.Request(url, headers=dict(sent))
    if host:
        req.add_header("Host", host)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=5) as r:
            status, version, raw = r.status, r.headers.get("X-Dynroute-Version"), r.read()
    except urllib.error.HTTPError as e:
        status, version, raw = e.code, e.headers.get("X-Dynroute-Version"), e.read()
    except OSError as e:
        return {"url": url, "sent": sent, "error": str(e)}
    try:
        body: Any = json.loads(raw)
    except ValueError:
        body = raw.decode(errors="replace")
    return {"url": url, "sent": sent, "status": status, "version": version, "body": body}


def hop(headers: dict[str, Any]) -> dict[str, Any]:
    ctx = propagate.extract(carrier(headers))
    # As server instrumentation does: the extracted context (trace and baggage) becomes
    # the current one for the request, and the client span is started inside it.
    token = context.attach(ctx)
    try:
        with TRACER.start_as_current_span("downstream", kind=trace.SpanKind.CLIENT) as span:
            sent: dict[str, str] = {}
            propagate.inject(sent)
            downstream = call_downstream(os.environ["DOWNSTREAM_URL"], os.environ.get("DOWNSTREAM_HOST"), sent)
            span_ctx = span.get_span_context()
    finally:
        context.detach(token)
    provider = trace.get_tracer_provider()
    resource = dict(getattr(provider, "resource", Resource.get_empty()).attributes)
    return {
        "hop": {
            "version": os.environ.get("DYNROUTE_VERSION"),
            "trace_id": format(span_ctx.trace_id, "032x"),
            "resource": {k: str(v) for k, v in resource.items()},
            "propagators": sorted(propagate.get_global_textmap().fields),
            "baggage_in": {k: str(v) for k, v in baggage.get_all(ctx).items()},
        },
        "downstream": downstream,
    }


def exit_with_parent() -> None:
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="stack.chain")
    ap.add_argument("--fd", type=int, required=True)
    ap.add_argument("--address", required=True)
    ap.add_argument("--port", type=int, required=True)
    args = ap.parse_args(argv)
    info = json.loads(os.environ.get("STACK_RESPONDER_INFO", "{}"))
    sock = socket.socket(fileno=args.fd)
    server = ResponderServer(args.address, args.port, info, sock=sock, hop=hop)
    threading.Thread(target=exit_with_parent, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
