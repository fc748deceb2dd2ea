"""start / stop / status / env for the local stack (called by scripts/stack).

    python -m stack.launcher start  [--state-dir DIR] [--traefik] [--traefik-flags FILE] [--foreground]
    python -m stack.launcher stop   [--state-dir DIR]
    python -m stack.launcher status [--state-dir DIR]
    python -m stack.launcher env    [--state-dir DIR]     # shell exports for the stack
    python -m stack.launcher replica start|stop --name NAME [--state-dir DIR] [--web-port N --api-port N]
                                                          # another Traefik beside the stack's

The state dir holds stack.json (printed by start), pids.json (every process this stack
started, written as soon as it is spawned), server.json (the server's ready file) and the
logs: server.log, traefik.log, traefik-access.log. Traefik runs in the state dir, so a local
plugin written there (`dynroute traefik-config --write-plugin DIR --format flags > FILE`) loads
with `--traefik-flags FILE`: extra Traefik arguments, one per line. Only processes recorded there are ever
signalled, by PID, after checking /proc/PID/cmdline still looks like ours.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STATE_DIR = REPO_ROOT / ".stack" / "run"
CLUSTER = "dev"
LOAD_BALANCER = "dev-traefik"
VPC_CIDR = "127.0.0.0/16"


def log(msg: str) -> None:
    print(f"stack: {msg}", file=sys.stderr, flush=True)


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the stack's processes: dummy credentials, no profile/metadata."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k not in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
    }
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "NO_PROXY": "127.0.0.0/8,localhost",
            "no_proxy": "127.0.0.0/8,localhost",
        }
    )
    if extra:
        env.update(extra)
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    # Only ever loopback: refuse anything else.
    host = urllib.request.urlparse(url).hostname or ""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"refusing non-loopback URL {url}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def http_post(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    host = urllib.request.urlparse(url).hostname or ""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"refusing non-loopback URL {url}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(url, data=b"", method="POST")
    with opener.open(req, timeout=timeout) as r:
        return r.status, r.read()


# ---------------------------------------------------------------------------- pids


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _write_json(path: Path, doc: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(doc, indent=2) + "\n")
    os.replace(tmp, path)


def _record_pid(state_dir: Path, name: str, pid: int, marker: str) -> None:
    pids = _read_json(state_dir / "pids.json") or {}
    pids[name] = {"pid": pid, "marker": marker}
    _write_json(state_dir / "pids.json", pids)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _is_ours(pid: int, marker: str) -> bool:
    """Alive, not a zombie, and still the process we started (guards against PID reuse)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    except (OSError, IndexError):
        return False
    return marker in _cmdline(pid)


def _terminate(pid: int, marker: str, name: str, grace: float = 5.0) -> None:
    if not _is_ours(pid, marker):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            os.waitpid(pid, os.WNOHANG)  # reap if it is our child (foreground mode)
        except ChildProcessError:
            pass
        if not _is_ours(pid, marker):
            return
        time.sleep(0.1)
    log(f"{name} (pid {pid}) did not stop after {grace:.0f}s; sending SIGKILL")
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def running_processes(state_dir: Path) -> dict[str, int]:
    pids = _read_json(state_dir / "pids.json") or {}
    return {name: p["pid"] for name, p in pids.items() if _is_ours(p["pid"], p["marker"])}


# ---------------------------------------------------------------------------- seeding


def pick_subnet_octets(n: int = 2) -> list[int]:
    """Random third octets for 127.0.X.0/24 with no listener on any address in them."""
    from .netutil import listening_addresses

    busy = {int(a.split(".")[2]) for a in listening_addresses() if a.startswith("127.0.")}
    choices = [x for x in range(1, 255) if x not in busy]
    return random.sample(choices, n)


def clients(endpoint: str, names: tuple[str, ...] = ("ecs", "ec2", "elbv2")) -> dict[str, Any]:
    import boto3

    kw = dict(
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return {name: boto3.client(name, **kw) for name in names}


def seed_network(c: dict[str, Any]) -> dict[str, Any]:
    ec2, elbv2 = c["ec2"], c["elbv2"]
    vpc_id = ec2.create_vpc(CidrBlock=VPC_CIDR)["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Name", "Value": "dynroute-stack"}])
    subnets = []
    for octet, az in zip(pick_subnet_octets(2), ("us-east-1a", "us-east-1b")):
        sn = ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"127.0.{octet}.0/24", AvailabilityZone=az)["Subnet"]
        subnets.append({"id": sn["SubnetId"], "cidr": sn["CidrBlock"], "az": az})
    sg_id = ec2.create_security_group(
        GroupName="dev-tasks", Description="dynroute stack tasks", VpcId=vpc_id
    )["GroupId"]
    lb = elbv2.create_load_balancer(
        Name=LOAD_BALANCER,
        Subnets=[s["id"] for s in subnets],
        SecurityGroups=[sg_id],
        Scheme="internal",
        Type="application",
    )["LoadBalancers"][0]
    return {
        "vpc_id": vpc_id,
        "subnets": [s["id"] for s in subnets],
        "subnet_cidrs": [s["cidr"] for s in subnets],
        "security_groups": [sg_id],
        "load_balancer_arn": lb["LoadBalancerArn"],
        "load_balancer_dns": lb.get("DNSName"),
    }


# ---------------------------------------------------------------------------- start


def venv_bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def read_flags(path: Path | None) -> list[str]:
    """Extra Traefik arguments from a file: one per line; blank lines and `#` comments skipped."""
    if path is None:
        return []
    try:
        text = path.read_text()
    except OSError as exc:
        raise RuntimeError(f"--traefik-flags: cannot read {path}: {exc}") from exc
    flags = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("--"):
            raise RuntimeError(f"{path}:{n}: expected a Traefik flag such as --name=value, got {line!r}")
        flags.append(line)
    return flags


def _traefik_command(
    state_dir: Path, name: str, web_port: int, api_port: int, traefik_flags: list[str] | None
) -> list[str]:
    """Traefik with the ECS provider on loopback ports; `name` names its logs."""
    return [
        venv_bin("traefik"),
        "--global.checkNewVersion=false",
        "--global.sendAnonymousUsage=false",
        f"--entrypoints.web.address=127.0.0.1:{web_port}",
        f"--entrypoints.traefik.address=127.0.0.1:{api_port}",
        "--api.insecure=true",
        "--api.dashboard=false",
        "--ping=true",
        # Prometheus metrics on the traefik entrypoint (/metrics), as the platform kit runs it.
        "--metrics.prometheus=true",
        "--providers.ecs=true",
        "--providers.ecs.autoDiscoverClusters=true",
        "--providers.ecs.refreshSeconds=1",
        # apply provider changes after 0.5 s instead of 2 s, so a task the
        # scheduler stops is out of Traefik's config well within its stop grace
        "--providers.providersThrottleDuration=500ms",
        "--providers.ecs.exposedByDefault=false",
        f"--providers.ecs.region={REGION}",
        "--log.level=INFO",
        f"--log.filePath={state_dir / (name + '.log')}",
        "--accesslog=true",
        f"--accesslog.filePath={state_dir / (name + '-access.log')}",
        *(traefik_flags or []),
    ]


def _spawn_traefik(
    state_dir: Path,
    endpoint: str,
    name: str,
    web_port: int,
    api_port: int,
    traefik_flags: list[str] | None,
    foreground: bool = False,
) -> subprocess.Popen:
    cmd = _traefik_command(state_dir, name, web_port, api_port, traefik_flags)
    tlog = open(state_dir / f"{name}.stdout.log", "ab")
    proc = subprocess.Popen(
        cmd,
        cwd=str(state_dir),
        env=clean_env({"AWS_ENDPOINT_URL": endpoint, "HOME": str(state_dir)}),
        stdin=subprocess.DEVNULL,
        stdout=tlog,
        stderr=subprocess.STDOUT,
        start_new_session=not foreground,
    )
    _record_pid(state_dir, name, proc.pid, f"--entrypoints.web.address=127.0.0.1:{web_port}")
    return proc


def wait_for_traefik(proc: subprocess.Popen, probe_url: str, log_file: Path) -> None:
    """Waits until `probe_url` (Traefik's API or /ping) answers 200, for 30 s;
    fails naming the log when Traefik exits or stays silent."""
    deadline = time.monotonic() + 30
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"traefik exited with {proc.returncode}; see {log_file}")
        try:
            if http_get(probe_url)[0] == 200:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"traefik did not answer {probe_url} in 30s; see {log_file}")
        time.sleep(0.1)


def start_replica(state_dir: Path, name: str, web_port: int | None, api_port: int | None) -> dict[str, Any]:
    """Another Traefik beside the stack's, with the same flags (a second replica
    reading the same ECS); given ports restart a replica where it was."""
    doc = _read_json(state_dir / "stack.json")
    if not doc or not doc.get("traefik_api_url"):
        raise RuntimeError(f"no stack with Traefik in {state_dir}")
    if not name.isidentifier():
        raise RuntimeError(f"replica name {name!r}: letters, digits and _ only")
    web_port = web_port or free_port()
    api_port = api_port or free_port()
    proc = _spawn_traefik(
        state_dir, doc["endpoint_url"], f"traefik-{name}", web_port, api_port, doc.get("traefik_flags")
    )
    api_url = f"http://127.0.0.1:{api_port}"
    wait_for_traefik(proc, api_url + "/api/rawdata", state_dir / f"traefik-{name}.log")
    return {
        "name": name,
        "pid": proc.pid,
        "traefik_web_url": f"http://127.0.0.1:{web_port}",
        "traefik_api_url": api_url,
        "traefik_metrics_url": api_url + "/metrics",
    }


def stop_replica(state_dir: Path, name: str) -> bool:
    pids = _read_json(state_dir / "pids.json") or {}
    p = pids.get(f"traefik-{name}")
    if not p or not _is_ours(p["pid"], p["marker"]):
        return False
    _terminate(p["pid"], p["marker"], f"traefik-{name}")
    return True


def start(
    state_dir: Path, traefik: bool, foreground: bool, quiet: bool = False, traefik_flags: list[str] | None = None
) -> dict[str, Any]:
    state_dir.mkdir(parents=True, exist_ok=True)
    state_dir = state_dir.resolve()
    existing = _read_json(state_dir / "stack.json")
    if existing and running_processes(state_dir):
        if traefik and not existing.get("traefik_pid"):
            raise SystemExit(
                f"stack: already running in {state_dir} without Traefik; `scripts/stack stop --state-dir {state_dir}` first"
            )
        if not quiet:
            log(f"already running in {state_dir}")
        return existing
    # leftovers of a crashed stack in this dir
    stop(state_dir, quiet=True)
    for name in ("server.json", "stack.json", "pids.json", "traefik.log", "traefik-access.log"):
        (state_dir / name).unlink(missing_ok=True)

    t0 = time.monotonic()
    # import boto3 while the server starts (it is needed right after)
    warm = threading.Thread(target=lambda: __import__("boto3").session.Session().get_available_services(), daemon=True)
    warm.start()
    ready_file = state_dir / "server.json"
    server_log = open(state_dir / "server.log", "wb")
    server_cmd = [sys.executable, "-m", "stack.server", "--host", "127.0.0.1", "--port", "0", "--ready-file", str(ready_file)]
    server = subprocess.Popen(
        server_cmd,
        cwd=str(REPO_ROOT),
        env=clean_env({"PYTHONPATH": str(REPO_ROOT), "STACK_CHAIN_LOG": str(state_dir / "chain.log")}),
        stdin=subprocess.DEVNULL,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=not foreground,
    )
    _record_pid(state_dir, "moto", server.pid, str(ready_file))
    try:
        deadline = time.monotonic() + 60
        info = None
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"server exited with {server.returncode}; see {state_dir / 'server.log'}")
            info = _read_json(ready_file)
            if info:
                break
            time.sleep(0.1)
        if not info:
            raise RuntimeError(f"server did not become ready in 60s; see {state_dir / 'server.log'}")
        endpoint = info["endpoint_url"]
        while time.monotonic() < deadline:
            try:
                if http_get(endpoint + "/_stack/health")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        aws = clients(endpoint)
        aws["ecs"].create_cluster(clusterName=CLUSTER)  # before Traefik: it backs off on a missing cluster

        traefik_pid = None
        web_url = api_url = None
        proc = None
        if traefik:
            web_port, api_port = free_port(), free_port()
            while api_port == web_port:
                api_port = free_port()
            web_url = f"http://127.0.0.1:{web_port}"
            api_url = f"http://127.0.0.1:{api_port}"
            proc = _spawn_traefik(state_dir, endpoint, "traefik", web_port, api_port, traefik_flags, foreground)
            traefik_pid = proc.pid

        seeded = seed_network(aws)  # while Traefik boots

        if proc is not None and api_url is not None:
            wait_for_traefik(proc, api_url + "/api/rawdata", state_dir / "traefik.log")

        http_post(endpoint + "/_stack/calls/reset")
        doc = {
            "endpoint_url": endpoint,
            "region": REGION,
            "account_id": ACCOUNT_ID,
            "moto_pid": server.pid,
            "traefik_pid": traefik_pid,
            "traefik_web_url": web_url,
            "traefik_api_url": api_url,
            # Prometheus metrics on Traefik's own entrypoint (the activity recorder reads them).
            "traefik_metrics_url": api_url and api_url + "/metrics",
            "traefik_flags": list(traefik_flags or []),
            "cluster": CLUSTER,
            "vpc_id": seeded["vpc_id"],
            "vpc_cidr": VPC_CIDR,
            "subnets": seeded["subnets"],
            "subnet_cidrs": seeded["subnet_cidrs"],
            "security_groups": seeded["security_groups"],
            "load_balancer": LOAD_BALANCER,
            "load_balancer_arn": seeded["load_balancer_arn"],
            "state_dir": str(state_dir),
            "calls_url": endpoint + "/_stack/calls",
        }
        _write_json(state_dir / "stack.json", doc)
        if not quiet:
            log(f"started in {time.monotonic() - t0:.1f}s (state dir {state_dir})")
        return doc
    except BaseException:
        stop(state_dir, quiet=True)
        raise


def stop(state_dir: Path, quiet: bool = False) -> bool:
    pids = _read_json(state_dir / "pids.json") or {}
    stopped_any = False
    # Traefik first so it does not log errors about a vanished endpoint.
    for name in sorted(pids, key=lambda n: 0 if n == "traefik" else 1):
        p = pids[name]
        if _is_ours(p["pid"], p["marker"]):
            stopped_any = True
            _terminate(p["pid"], p["marker"], name)
    for name in ("stack.json", "server.json", "pids.json"):
        (state_dir / name).unlink(missing_ok=True)
    if not quiet:
        log("stopped" if stopped_any else f"not running ({state_dir})")
    return stopped_any


def remove_state(state_dir: Path) -> None:
    """Deletes a stopped stack's state folder, and only a state folder: one
    the default, or anything that is not a directory, is left alone."""
    if state_dir.resolve() == DEFAULT_STATE_DIR.resolve() or not state_dir.is_dir() or state_dir.is_symlink():
        log(f"not removing {state_dir}")
        return
    shutil.rmtree(state_dir, ignore_errors=True)
    log(f"removed {state_dir}")


def foreground_wait(state_dir: Path) -> int:
    stop_requested = False

    def _handler(signum: int, frame: Any) -> None:
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGINT, _handler)
    signal.signal(signal.SIGTERM, _handler)
    log("running in the foreground; Ctrl-C stops the stack")
    try:
        while not stop_requested:
            procs = running_processes(state_dir)
            if "moto" not in procs:
                log("server exited; stopping")
                break
            time.sleep(0.5)
    finally:
        stop(state_dir)
    return 0


def status(state_dir: Path) -> int:
    doc = _read_json(state_dir / "stack.json")
    procs = running_processes(state_dir)
    if doc and "moto" in procs:
        ok = True
        try:
            ok = http_get(doc["endpoint_url"] + "/_stack/health")[0] == 200
        except OSError:
            ok = False
        print(json.dumps({"running": ok, "processes": procs, **doc}, indent=2))
        return 0 if ok else 1
    print(json.dumps({"running": False, "state_dir": str(state_dir), "processes": procs}, indent=2))
    return 1


def env_exports(state_dir: Path) -> int:
    doc = _read_json(state_dir / "stack.json")
    if not doc:
        log(f"not running ({state_dir})")
        return 1
    lines = {
        "AWS_ENDPOINT_URL": doc["endpoint_url"],
        "AWS_REGION": doc["region"],
        "AWS_DEFAULT_REGION": doc["region"],
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for k, v in lines.items():
        print(f"export {k}={v}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/stack")
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("start", "stop", "status", "env"):
        p = sub.add_parser(name)
        p.add_argument("--state-dir", default=str(DEFAULT_STATE_DIR))
        if name == "start":
            p.add_argument("--traefik", action="store_true", help="also start Traefik with the ECS provider")
            p.add_argument("--foreground", action="store_true", help="stay attached; Ctrl-C stops the stack")
            p.add_argument(
                "--traefik-flags",
                metavar="FILE",
                help="extra Traefik arguments, one per line (e.g. `dynroute traefik-config --format flags`)",
            )
        if name == "stop":
            p.add_argument("--remove", action="store_true", help="then delete the state folder")
            p.add_argument(
                "--report-to",
                metavar="DIR",
                help="first copy the strict-mode report (strict.json) into DIR",
            )
    rp = sub.add_parser("replica", help="start or stop another Traefik beside the stack's (same flags)")
    rp.add_argument("action", choices=["start", "stop"])
    rp.add_argument("--state-dir", default=str(DEFAULT_STATE_DIR))
    rp.add_argument("--name", required=True, help="names its logs and its PID entry (traefik-NAME)")
    rp.add_argument("--web-port", type=int, help="with start: the web entrypoint's port (to restart where it was)")
    rp.add_argument("--api-port", type=int, help="with start: Traefik's own entrypoint's port")
    args = ap.parse_args(argv)
    state_dir = Path(args.state_dir)
    if args.cmd == "replica":
        try:
            if args.action == "start":
                print(json.dumps(start_replica(state_dir, args.name, args.web_port, args.api_port), indent=2), flush=True)
            else:
                print(json.dumps({"stopped": stop_replica(state_dir, args.name)}), flush=True)
        except RuntimeError as exc:
            log(f"error: {exc}")
            return 1
        return 0
    if args.cmd == "start":
        try:
            flags = read_flags(Path(args.traefik_flags) if args.traefik_flags else None)
            if flags and not args.traefik:
                raise RuntimeError("--traefik-flags needs --traefik")
            doc = start(state_dir, args.traefik, args.foreground, traefik_flags=flags)
        except RuntimeError as exc:
            log(f"error: {exc}")
            return 1
        print(json.dumps(doc, indent=2), flush=True)
        if args.foreground:
            return foreground_wait(state_dir.resolve())
        return 0
    if args.cmd == "stop":
        stop(state_dir)
        report = state_dir / "strict.json"
        if args.report_to and report.is_file():
            Path(args.report_to).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(report, Path(args.report_to) / "strict.json")
        if args.remove:
            remove_state(state_dir)
        return 0
    if args.cmd == "status":
        return status(state_dir)
    if args.cmd == "env":
        return env_exports(state_dir)
    return 2


if __name__ == "__main__":
    sys.exit(main())
