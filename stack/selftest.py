"""End-to-end self test of the local stack (run by `scripts/stack selftest`).

Starts its own stack with Traefik in a temporary state dir, drives it with boto3 like
dynroute would, checks what ECS clients and Traefik see, and stops the stack. Prints one
PASS/FAIL line per check; exit status 1 when any check failed.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable

from . import launcher

SERVICE = "api--feature-1"
FAMILY = SERVICE
HOST = "api.test"

failures: list[str] = []


def check(name: str, ok: bool, detail: Any = "") -> bool:
    line = f"{'PASS' if ok else 'FAIL'}: {name}"
    if detail != "" and (not ok or isinstance(detail, str)):
        line += f" -- {detail}"
    print(line, flush=True)
    if not ok:
        failures.append(name)
    return ok


def wait_for(what: str, fn: Callable[[], Any], timeout: float = 20.0, interval: float = 0.25) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = fn()
            if last:
                return last
        except Exception as exc:  # keep polling; report the last error
            last = exc
        time.sleep(interval)
    print(f"  (timed out after {timeout:.0f}s waiting for {what}; last: {last!r})", flush=True)
    return None


def loopback_only(url: str) -> None:
    host = urllib.request.urlparse(url).hostname or ""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError(f"selftest refuses non-loopback URL {url}")


def http(url: str, host: str | None = None, headers: dict[str, str] | None = None, timeout: float = 3.0) -> tuple[int, dict[str, str], bytes]:
    loopback_only(url)
    req = urllib.request.Request(url, headers=dict(headers or {}))
    if host:
        req.add_header("Host", host)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def api_json(url: str) -> Any:
    code, _, body = http(url)
    if code != 200:
        raise RuntimeError(f"{url}: HTTP {code}")
    return json.loads(body)


def container_def(version: str, image: str, extra_env: dict[str, str] | None = None) -> dict[str, Any]:
    env = {"DYNROUTE_VERSION": version, "GREETING": "hello"}
    env.update(extra_env or {})
    r = SERVICE
    return {
        "name": "app",
        "image": image,
        "essential": True,
        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": k, "value": v} for k, v in env.items()],
        "dockerLabels": {
            "traefik.enable": "true",
            f"traefik.http.routers.{r}.rule": f"Host(`{HOST}`)",
            f"traefik.http.routers.{r}.entrypoints": "web",
            f"traefik.http.routers.{r}.service": r,
            f"traefik.http.routers.{r}.middlewares": f"{r}-version",
            f"traefik.http.middlewares.{r}-version.headers.customresponseheaders.X-Dynroute-Version": version,
            f"traefik.http.services.{r}.loadbalancer.server.port": "8080",
            "dynroute.version": version,
            "dynroute.service": "api",
        },
    }


def register(ecs: Any, image: str, marker: str) -> str:
    return ecs.register_task_definition(
        family=FAMILY,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[container_def("feature-1", image, {"MARKER": marker})],
        tags=[{"key": "dynroute:managed", "value": "true"}],
    )["taskDefinition"]["taskDefinitionArn"]


def describe_service(ecs: Any, cluster: str, name: str) -> dict[str, Any]:
    return ecs.describe_services(cluster=cluster, services=[name])["services"][0]


def service_tasks(ecs: Any, cluster: str, name: str, status: str = "RUNNING") -> list[dict[str, Any]]:
    arns = ecs.list_tasks(cluster=cluster, serviceName=name, desiredStatus=status)["taskArns"]
    if not arns:
        return []
    return ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"]


def running_revision(ecs: Any, cluster: str, name: str) -> list[int]:
    return sorted(
        int(t["taskDefinitionArn"].rsplit(":", 1)[1])
        for t in service_tasks(ecs, cluster, name)
        if t["lastStatus"] == "RUNNING"
    )


def through_traefik(doc: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
    code, headers, body = http(doc["traefik_web_url"] + "/selftest?x=1", host=HOST, headers={"baggage": "dynamic_route=feature-1", "X-Multi": "a"})
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = body.decode(errors="replace")
    return code, headers, parsed


def run(doc: dict[str, Any]) -> None:
    import boto3

    kw = dict(
        endpoint_url=doc["endpoint_url"],
        region_name=doc["region"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    ecs = boto3.client("ecs", **kw)
    cluster = doc["cluster"]
    api = doc["traefik_api_url"]
    subnet_nets = [ipaddress.ip_network(c) for c in doc["subnet_cidrs"]]
    check("stack.json has loopback endpoints", all(
        ipaddress.ip_address(urllib.request.urlparse(doc[k]).hostname).is_loopback
        for k in ("endpoint_url", "traefik_web_url", "traefik_api_url")
    ))
    check("subnets are inside 127.0.0.0/16", all(n.subnet_of(ipaddress.ip_network("127.0.0.0/16")) for n in subnet_nets), str(doc["subnet_cidrs"]))

    # ---------------------------------------------------------------- create service
    td1 = register(ecs, "example/api:1", "one")
    td_desc = ecs.describe_task_definition(taskDefinition=td1)["taskDefinition"]
    check("DescribeTaskDefinition fills hostPort for awsvpc",
          td_desc["containerDefinitions"][0]["portMappings"][0].get("hostPort") == 8080)
    ecs.create_service(
        cluster=cluster,
        serviceName=SERVICE,
        taskDefinition=td1,
        desiredCount=1,
        launchType="FARGATE",
        propagateTags="SERVICE",
        tags=[{"key": "dynroute:managed", "value": "true"}, {"key": "dynroute:version", "value": "feature-1"}],
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": True, "rollback": True}},
        networkConfiguration={"awsvpcConfiguration": {"subnets": doc["subnets"], "securityGroups": doc["security_groups"]}},
    )
    svc = describe_service(ecs, cluster, SERVICE)
    check("CreateService keeps deploymentCircuitBreaker",
          svc.get("deploymentConfiguration", {}).get("deploymentCircuitBreaker") == {"enable": True, "rollback": True})
    t0 = time.monotonic()
    running = wait_for("a RUNNING task", lambda: [t for t in service_tasks(ecs, cluster, SERVICE) if t["lastStatus"] == "RUNNING"], 15)
    if not check("service task reaches RUNNING", bool(running), f"{time.monotonic() - t0:.1f}s"):
        return
    task = running[0]
    nis = task["containers"][0].get("networkInterfaces") or []
    addr = nis[0]["privateIpv4Address"] if nis else ""
    check("DescribeTasks has containers[].networkInterfaces with a 127.x address",
          bool(addr) and ipaddress.ip_address(addr) in ipaddress.ip_network("127.0.0.0/8"), addr)
    check("task address is in one of the stack's subnets", any(ipaddress.ip_address(addr) in n for n in subnet_nets) if addr else False)
    details = {d["name"]: d["value"] for a in task.get("attachments", []) for d in a.get("details", [])}
    check("task ENI attachment carries privateIPv4Address", details.get("privateIPv4Address") == addr)
    check("task group / startedBy", task.get("group") == f"service:{SERVICE}" and task.get("startedBy", "").startswith("ecs-svc/"))
    tags = {t["key"]: t["value"] for t in ecs.describe_tasks(cluster=cluster, tasks=[task["taskArn"]], include=["TAGS"])["tasks"][0].get("tags", [])}
    check("propagateTags=SERVICE copies service tags to the task", tags.get("dynroute:managed") == "true")
    svc = describe_service(ecs, cluster, SERVICE)
    check("service runningCount 1, rollout COMPLETED",
          svc["runningCount"] == 1 and svc["deployments"][0]["rolloutState"] == "COMPLETED",
          f"running={svc['runningCount']} rollout={svc['deployments'][0].get('rolloutState')}")
    msgs = [e["message"] for e in svc.get("events", [])]
    check("service events: started / completed / steady state", any("has started 1 tasks" in m for m in msgs)
          and any("deployment completed" in m for m in msgs) and any("has reached a steady state" in m for m in msgs), msgs[:3])

    code, _, body = http(f"http://{addr}:8080/direct")
    direct = json.loads(body) if code == 200 else {}
    check("responder answers directly at the task address",
          code == 200 and direct.get("service") == SERVICE and direct.get("family") == FAMILY
          and direct.get("revision") == 1 and direct.get("env", {}).get("MARKER") == "one"
          and direct.get("docker_labels_version") == "feature-1" and direct.get("path") == "/direct",
          f"HTTP {code}")

    # other service in the same cluster: ListTasks(serviceName) must separate them
    ecs.create_service(
        cluster=cluster, serviceName="other--main", taskDefinition=td1, desiredCount=1, launchType="FARGATE",
        networkConfiguration={"awsvpcConfiguration": {"subnets": doc["subnets"], "securityGroups": doc["security_groups"]}},
    )
    wait_for("other service task", lambda: service_tasks(ecs, cluster, "other--main"), 10)
    mine = ecs.list_tasks(cluster=cluster, serviceName=SERVICE)["taskArns"]
    theirs = ecs.list_tasks(cluster=cluster, serviceName="other--main")["taskArns"]
    check("ListTasks honours serviceName", len(mine) == 1 and len(theirs) == 1 and not set(mine) & set(theirs), f"{len(mine)} / {len(theirs)}")
    ecs.delete_service(cluster=cluster, service="other--main", force=True)

    # ---------------------------------------------------------------- Traefik
    router = f"{SERVICE}@ecs"

    def router_enabled() -> bool:
        routers = api_json(api + "/api/http/routers")
        return any(r.get("name") == router and r.get("status") == "enabled" for r in routers)

    t0 = time.monotonic()
    check("Traefik lists the router", bool(wait_for("Traefik router", router_enabled, 20)), f"{time.monotonic() - t0:.1f}s")
    services = api_json(api + "/api/http/services")
    urls = [s["url"] for svc_ in services for s in (svc_.get("loadBalancer") or {}).get("servers", [])]
    check("every Traefik server URL is 127.x",
          bool(urls) and all(ipaddress.ip_address(urllib.request.urlparse(u).hostname) in ipaddress.ip_network("127.0.0.0/8") for u in urls),
          str(urls))
    res = wait_for("response through Traefik", lambda: (lambda r: r if r[0] == 200 else None)(through_traefik(doc)), 10)
    if res:
        code, headers, body = res
        check("request through Traefik's web entrypoint reaches the task",
              isinstance(body, dict) and body.get("service") == SERVICE and body.get("task_arn") == task["taskArn"])
        check("responder echoes request headers (baggage, x-forwarded-*)",
              isinstance(body, dict) and body.get("headers", {}).get("baggage") == "dynamic_route=feature-1"
              and "x-forwarded-for" in body.get("headers", {}))
        check("Traefik middleware label applied (X-Dynroute-Version)", headers.get("x-dynroute-version") == "feature-1")
    else:
        check("request through Traefik's web entrypoint reaches the task", False)

    # ---------------------------------------------------------------- rolling update
    # probe Traefik continuously through the rolling update and the rollback
    probe = {"ok": 0, "bad": [], "stop": False}

    def prober() -> None:
        while not probe["stop"]:
            try:
                code, _, body = through_traefik(doc)
                if code == 200:
                    probe["ok"] += 1
                else:
                    probe["bad"].append(code)
            except Exception as exc:
                probe["bad"].append(repr(exc))
            time.sleep(0.1)

    probe_thread = threading.Thread(target=prober, daemon=True)
    probe_thread.start()
    td2 = register(ecs, "example/api:2", "two")
    ecs.update_service(cluster=cluster, service=SERVICE, taskDefinition=td2)
    svc = describe_service(ecs, cluster, SERVICE)
    deps = svc["deployments"]
    check("UpdateService starts a new PRIMARY deployment, old one ACTIVE",
          len(deps) == 2 and deps[0]["status"] == "PRIMARY" and deps[0]["taskDefinition"] == td2
          and deps[0]["rolloutState"] == "IN_PROGRESS" and deps[1]["status"] == "ACTIVE",
          [(d["status"], d["taskDefinition"].rsplit(":", 1)[1], d.get("rolloutState")) for d in deps])
    t0 = time.monotonic()
    done = wait_for("rolling update to complete", lambda: (lambda s: s if len(s["deployments"]) == 1 and s["deployments"][0]["rolloutState"] == "COMPLETED" and s["deployments"][0]["taskDefinition"] == td2 else None)(describe_service(ecs, cluster, SERVICE)), 20)
    check("rolling update completes with one deployment", bool(done), f"{time.monotonic() - t0:.1f}s")
    check("new revision running, old stopped", running_revision(ecs, cluster, SERVICE) == [2], str(running_revision(ecs, cluster, SERVICE)))
    old = ecs.describe_tasks(cluster=cluster, tasks=[task["taskArn"]])["tasks"][0]
    check("old task STOPPED with a scheduler reason",
          old["lastStatus"] == "STOPPED" and "Scaling activity initiated by (deployment" in old.get("stoppedReason", "") and "stoppedAt" in old,
          old.get("stoppedReason"))
    try:
        http(f"http://{addr}:8080/", timeout=1.0)
        gone = False
    except OSError:
        gone = True
    check("old task's responder is gone", gone)
    res = wait_for("Traefik to route to revision 2", lambda: (lambda r: r if r[0] == 200 and isinstance(r[2], dict) and r[2].get("revision") == 2 else None)(through_traefik(doc)), 15)
    check("Traefik routes to the new revision", bool(res))

    # ---------------------------------------------------------------- crash + rollback
    td3 = register(ecs, "example/api:crash", "three")
    ecs.update_service(cluster=cluster, service=SERVICE, taskDefinition=td3)
    t0 = time.monotonic()

    def rolled_back() -> dict[str, Any] | None:
        s = describe_service(ecs, cluster, SERVICE)
        failed = [d for d in s["deployments"] if d["taskDefinition"] == td3 and d.get("rolloutState") == "FAILED"]
        primary = s["deployments"][0]
        if failed and primary["taskDefinition"] == td2:
            return s
        return None

    s = wait_for("circuit breaker rollback", rolled_back, 25)
    if check("crashing deployment FAILED by the circuit breaker and rolled back", bool(s), f"{time.monotonic() - t0:.1f}s"):
        failed = [d for d in s["deployments"] if d["taskDefinition"] == td3][0]
        check("failed deployment reason", failed.get("rolloutStateReason") == "ECS deployment circuit breaker: tasks failed to start.", failed.get("rolloutStateReason"))
        msgs = [e["message"] for e in s["events"]]
        check("events say deployment failed and rolling back",
              any("deployment failed: tasks failed to start." in m for m in msgs) and any("rolling back to deployment" in m for m in msgs), msgs[:4])
    stopped = [t for t in service_tasks(ecs, cluster, SERVICE, "STOPPED") if t["taskDefinitionArn"] == td3]
    check("crashed tasks visible as STOPPED with the reason and exit code",
          bool(stopped) and all(t.get("stoppedReason") == "Essential container in task exited" and t["containers"][0].get("exitCode") == 1 for t in stopped),
          f"{len(stopped)} stopped")
    done = wait_for("rollback deployment to complete", lambda: (lambda s: s if len(s["deployments"]) == 1 and s["deployments"][0]["rolloutState"] == "COMPLETED" else None)(describe_service(ecs, cluster, SERVICE)), 20)
    check("rollback completes on the previous task definition", bool(done) and done["deployments"][0]["taskDefinition"] == td2 and done["taskDefinition"] == td2)
    res = through_traefik(doc)
    check("Traefik still serves revision 2 after the rollback", res[0] == 200 and isinstance(res[2], dict) and res[2].get("revision") == 2)
    probe["stop"] = True
    probe_thread.join()
    check("no failed request through Traefik during rolling update and rollback",
          probe["ok"] > 0 and not probe["bad"], f"{probe['ok']} ok, failures: {probe['bad'][:5]}")

    # ---------------------------------------------------------------- delete
    ecs.update_service(cluster=cluster, service=SERVICE, desiredCount=0)
    ecs.delete_service(cluster=cluster, service=SERVICE, force=True)
    s = describe_service(ecs, cluster, SERVICE)
    check("DeleteService -> DRAINING", s["status"] == "DRAINING", s["status"])
    s = wait_for("service INACTIVE", lambda: (lambda s: s if s["status"] == "INACTIVE" else None)(describe_service(ecs, cluster, SERVICE)), 10)
    check("service becomes INACTIVE with no running tasks", bool(s) and not service_tasks(ecs, cluster, SERVICE))
    t0 = time.monotonic()
    gone = wait_for("router removal", lambda: not router_enabled(), 15)
    check("Traefik drops the router", bool(gone), f"{time.monotonic() - t0:.1f}s")
    code, _, _ = http(doc["traefik_web_url"] + "/", host=HOST)
    check("Host api.test now gets 404 from Traefik", code == 404, f"HTTP {code}")

    # ---------------------------------------------------------------- task definition families
    cd = [{"name": "app", "image": "example/app:1", "memory": 64}]
    for family in ("famtest-a", "famtest-b", "famtest-c"):
        ecs.register_task_definition(family=family, containerDefinitions=cd)
    gone = ecs.register_task_definition(family="famtest-b", containerDefinitions=cd)["taskDefinition"]["taskDefinitionArn"]
    ecs.deregister_task_definition(taskDefinition=gone.replace(":2", ":1"))
    ecs.deregister_task_definition(taskDefinition=gone)
    active = ecs.list_task_definition_families(familyPrefix="famtest-", status="ACTIVE")["families"]
    check("ListTaskDefinitionFamilies status=ACTIVE leaves out all-INACTIVE families", active == ["famtest-a", "famtest-c"], active)
    first = ecs.list_task_definition_families(familyPrefix="famtest-", maxResults=1)
    rest = ecs.list_task_definition_families(familyPrefix="famtest-", maxResults=1, nextToken=first["nextToken"])
    check("ListTaskDefinitionFamilies pages with maxResults / nextToken",
          first["families"] == ["famtest-a"] and rest["families"] == ["famtest-b"], [first.get("families"), rest.get("families")])

    # ---------------------------------------------------------------- accounting
    mine_calls = api_json(doc["endpoint_url"] + "/_stack/calls?client=Boto3")
    by_client = api_json(doc["endpoint_url"] + "/_stack/calls/by-client")
    check("call accounting per action and client",
          mine_calls.get("ECS.CreateService") == 2 and mine_calls.get("ECS.UpdateService") == 3
          and by_client.get("aws-sdk-go-v2", {}).get("ECS.ListTasks", 0) > 0,
          json.dumps({"Boto3": {k: v for k, v in mine_calls.items() if "Service" in k}, "traefik ListTasks": by_client.get("aws-sdk-go-v2", {}).get("ECS.ListTasks")}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="scripts/stack selftest")
    ap.add_argument("--keep", action="store_true", help="leave the stack running and the state dir in place")
    args = ap.parse_args(argv)
    state_dir = Path(tempfile.mkdtemp(prefix="dynroute-stack-selftest-"))
    started = time.monotonic()
    doc = None
    try:
        t0 = time.monotonic()
        doc = launcher.start(state_dir, traefik=True, foreground=False, quiet=True)
        check("stack starts (moto + scheduler + Traefik)", True, f"{time.monotonic() - t0:.1f}s")
        run(doc)
    except Exception as exc:  # report as a failure, still clean up
        import traceback

        traceback.print_exc()
        check("selftest ran to completion", False, repr(exc))
    finally:
        if not args.keep:
            recorded = launcher._read_json(state_dir / "pids.json") or {}
            launcher.stop(state_dir, quiet=True)
            if doc:
                left = [n for n, p in recorded.items() if launcher._is_ours(p["pid"], p["marker"])]
                check("stack stopped (all recorded PIDs gone)", not left, str(left))
            if not failures:
                shutil.rmtree(state_dir, ignore_errors=True)
            else:
                print(f"logs kept in {state_dir}")
        else:
            print(f"stack left running; state dir {state_dir}")
    total = time.monotonic() - started
    print(f"\n{'FAILED' if failures else 'OK'}: {len(failures)} failed check(s) in {total:.1f}s" + (f": {', '.join(failures)}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
