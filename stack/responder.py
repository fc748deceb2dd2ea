"""The per-task HTTP responder: a tiny threaded HTTP/1.1 server standing in for a
task's container at (task address, container port).

Every path and method answers 200 with JSON describing who answered and what it got:

    {"service": "api--feature-1", "family": "api--feature-1", "revision": 3,
     "task_arn": "...", "task_id": "...", "container": "app", "port": 8080,
     "address": "127.0.7.23", "env": {"DYNROUTE_VERSION": "feature-1", ...},
     "docker_labels_version": "feature-1", "method": "GET", "path": "/x?y=1",
     "headers": {"host": "api.test", "baggage": "dynamic_route=feature-1", ...},
     "body_bytes": 0}

Header names are lower-cased; a header sent once maps to a string, a header sent several
times to the list of its values in order. HEAD gets the headers without a body.

Two-hop mode: a task whose environment has `DOWNSTREAM_URL` (and optionally
`DOWNSTREAM_HOST`, the Host header to send) is served by its own process
(stack/chain.py) that runs with exactly the task's environment, as a container would.
It calls that URL on every request, propagating the incoming context with the
OpenTelemetry SDK's propagators (chosen by `OTEL_PROPAGATORS`), and adds `"hop"` (where
this hop landed) and `"downstream"` (what the next hop answered) to the answer.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from typing import Any, Callable

REPO_ROOT = Path(__file__).resolve().parent.parent


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "dynroute-stack-responder/1"
    server: "ResponderServer"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass

    def _read_body(self) -> int:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            total = 0
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    break
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    # trailers until blank line
                    while True:
                        t = self.rfile.readline(65537)
                        if t in (b"\r\n", b"\n", b""):
                            break
                    break
                self.rfile.read(size)
                self.rfile.readline(3)
                total += size
            return total
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                break
            remaining -= len(chunk)
        return length

    def _answer(self, with_body: bool) -> None:
        body_bytes = self._read_body()
        headers: dict[str, Any] = {}
        for name, value in self.headers.items():
            key = name.lower()
            if key in headers:
                prev = headers[key]
                headers[key] = (prev if isinstance(prev, list) else [prev]) + [value]
            else:
                headers[key] = value
        doc = dict(self.server.info)
        doc.update(
            {
                "method": self.command,
                "path": self.path,
                "headers": headers,
                "body_bytes": body_bytes,
            }
        )
        if self.server.hop is not None:
            doc.update(self.server.hop(headers))
        if self.server.log is not None:
            baggage = headers.get("baggage")
            self.server.log.write(
                f'{self.client_address[0]} "{self.command} {self.path} HTTP/1.1" 200'
                + (f" baggage={json.dumps(baggage)}" if baggage else "")
            )
        payload = (json.dumps(doc, sort_keys=True) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Stack-Task", self.server.info.get("task_id", ""))
        self.end_headers()
        if with_body:
            self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(True)

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET  # noqa: N815

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(False)


class ResponderServer(ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(
        self,
        address: str,
        port: int,
        info: dict[str, Any],
        sock: socket.socket | None = None,
        hop: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        log: Any = None,
    ):
        if not ipaddress.ip_address(address).is_loopback:
            raise ValueError(f"refusing to bind a responder to non-loopback address {address}")
        self.info = info
        self.hop = hop
        self.log = log  # a stack.tasklogs.TaskLog: where ECS's awslogs driver would write
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        if sock is None:
            super().__init__((address, port), _Handler)
        else:
            # an already listening socket handed over by the parent process
            super().__init__((address, port), _Handler, bind_and_activate=False)
            self.socket.close()
            self.socket = sock
            self.server_address = sock.getsockname()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        with self._conns_lock:
            conns = list(self._conns)
        for c in conns:
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def listening_socket(address: str, port: int) -> socket.socket:
    if not ipaddress.ip_address(address).is_loopback:
        raise ValueError(f"refusing to bind a responder to non-loopback address {address}")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((address, port))
        sock.listen(64)
    except OSError:
        sock.close()
        raise
    return sock


class ChainProcess:
    """A two-hop task: its own process with the task's environment, on a socket bound here
    (so requests queue in the backlog while the process imports the SDK)."""

    def __init__(self, address: str, port: int, info: dict[str, Any]):
        sock = listening_socket(address, port)
        try:
            env = {str(k): str(v) for k, v in (info.get("env") or {}).items() if k and v is not None}
            for name in ("PATH", "PYTHONPYCACHEPREFIX", "NO_PROXY", "no_proxy"):
                if name in os.environ:
                    env.setdefault(name, os.environ[name])
            env["PYTHONPATH"] = str(REPO_ROOT)
            env["STACK_RESPONDER_INFO"] = json.dumps(info)
            log_path = os.environ.get("STACK_CHAIN_LOG", os.devnull)
            with open(log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "stack.chain", "--fd", str(sock.fileno()), "--address", address, "--port", str(port)],
                    cwd=str(REPO_ROOT),
                    env=env,
                    pass_fds=[sock.fileno()],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
        finally:
            sock.close()

    def stop(self, wait: bool) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        if wait:
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        else:
            threading.Thread(target=self.proc.wait, daemon=True).start()  # reap it


class Responder:
    """One listening socket for one (task, container, port)."""

    def __init__(self, address: str, port: int, info: dict[str, Any], log: Any = None):
        self.address = address
        self.port = port
        self.chain: ChainProcess | None = None
        if log is not None:
            version = (info.get("env") or {}).get("DYNROUTE_VERSION") or "?"
            log.write(f"listening on {address}:{port} (container {info.get('container')}, DYNROUTE_VERSION={version})")
        if (info.get("env") or {}).get("DOWNSTREAM_URL"):
            self.chain = ChainProcess(address, port, info)
            return
        self.server = ResponderServer(address, port, info, log=log)
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name=f"responder-{address}:{port}",
            daemon=True,
        )
        self.thread.start()

    def stop(self, wait: bool = False) -> None:
        if self.chain is not None:
            self.chain.stop(wait)
            return

        def _stop() -> None:
            try:
                self.server.shutdown()
            finally:
                self.server.server_close()
                self.server.close_connections()

        if wait:
            _stop()
        else:
            threading.Thread(target=_stop, daemon=True).start()
