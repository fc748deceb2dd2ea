"""PostgreSQL for a running local stack (Debian's `postgresql` package).

    python -m stack.postgres start --state-dir DIR     # prints the updated stack.json

The server listens on 127.0.0.1 only (a free port, and a socket in its data
folder), its data is `DIR/postgres` (made with `initdb --auth=trust`: loopback
only, for tests), and its PID is recorded in `pids.json`, so `scripts/stack stop`
ends it with the rest of the stack. `initdb` and `postgres` refuse to run as
root, which CI is: then both run as the `postgres` user (Debian's package
creates it) through `setpriv`, which execs them, so the recorded PID is the
server's own. stack.json gets `postgres_url`, `postgres_host`, `postgres_port`
and `postgres_user`.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from stack.launcher import _read_json, _record_pid, _write_json, free_port, log

USER = "postgres"
START_TIMEOUT_S = 30


def bin_dir() -> Path:
    """The newest installed server's programs (`/usr/lib/postgresql/N/bin`)."""
    root = Path("/usr/lib/postgresql")
    versions = sorted(
        (p for p in root.glob("*/bin") if (p / "postgres").is_file()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError(
            "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/postgres): run scripts/install-postgres (apt-get install postgresql)"
        )
    return versions[-1]


def as_user(cmd: list[str]) -> list[str]:
    """`cmd` as the postgres user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    if not setpriv:
        raise RuntimeError("running PostgreSQL as root needs setpriv (util-linux) to drop to the postgres user")
    return [setpriv, f"--reuid={USER}", f"--regid={USER}", "--init-groups", "--", *cmd]


def start(state_dir: Path) -> dict[str, Any]:
    doc = _read_json(state_dir / "stack.json")
    if not doc:
        raise RuntimeError(f"no stack running in {state_dir}")
    if doc.get("postgres_pid"):
        return doc
    bins = bin_dir()
    data = state_dir / "postgres"
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam(USER)
        except KeyError as exc:
            raise RuntimeError("no `postgres` user: install Debian's postgresql package") from exc
        # The postgres user must reach its data folder inside the state folder.
        os.chmod(state_dir, 0o711)
        data.mkdir(mode=0o700, exist_ok=True)
        os.chown(data, user.pw_uid, user.pw_gid)
    else:
        data.mkdir(mode=0o700, exist_ok=True)
    if not (data / "PG_VERSION").exists():
        out = subprocess.run(
            as_user([str(bins / "initdb"), "-D", str(data), "--auth=trust", f"--username={USER}", "--encoding=UTF8", "--no-sync"]),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=120,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
        )
        if out.returncode != 0:
            raise RuntimeError(f"initdb failed: {out.stderr.decode(errors='replace')[-2000:]}")
    port = free_port()
    logfile = open(state_dir / "postgres.log", "wb")
    proc = subprocess.Popen(
        as_user(
            [
                str(bins / "postgres"),
                "-D", str(data),
                "-h", "127.0.0.1",
                "-p", str(port),
                "-k", str(data),
                "-c", "fsync=off",
                "-c", "max_connections=50",
            ]
        ),
        stdin=subprocess.DEVNULL,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"},
    )
    _record_pid(state_dir, "postgres", proc.pid, f"-p {port}")
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"postgres exited with {proc.returncode}; see {state_dir / 'postgres.log'}")
        ready = subprocess.run(
            [str(bins / "pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, "-q"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=10,
        )
        if ready.returncode == 0:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"postgres did not accept connections in {START_TIMEOUT_S}s; see {state_dir / 'postgres.log'}")
        time.sleep(0.2)
    doc.update(
        {
            "postgres_pid": proc.pid,
            "postgres_host": "127.0.0.1",
            "postgres_port": port,
            "postgres_user": USER,
            "postgres_url": f"postgresql://{USER}@127.0.0.1:{port}/postgres",
        }
    )
    _write_json(state_dir / "stack.json", doc)
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m stack.postgres")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start")
    s.add_argument("--state-dir", required=True)
    args = ap.parse_args(argv)
    try:
        doc = start(Path(args.state_dir).resolve())
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        log(f"error: {exc}")
        return 1
    print(json.dumps(doc, indent=2), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
