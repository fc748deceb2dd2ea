"""Stand-in for the ECS service scheduler, the one piece of ECS that moto lacks.

A daemon thread ticks every ~0.5 s and, for every cluster in every moto ECS backend,
does what the ECS service scheduler does and nothing more:

* keeps `desiredCount` tasks per ACTIVE service (group `service:<name>`, startedBy = the
  deployment id, the deployment's task definition), created as moto Task objects so
  ListTasks / DescribeTasks return them;
* gives each awsvpc task a free address from one of the service's subnets (which must be
  inside 127.0.0.0/8), with `containers[].networkInterfaces` and the ENI attachment, and
  starts a responder (stack/responder.py) per container port at that address before the
  task turns RUNNING;
* rolling deployments: a new PRIMARY deployment starts its tasks; once they all run, the
  older deployments' tasks are stopped and those deployments disappear; then the primary
  is COMPLETED ("deployment completed", "has reached a steady state" events);
* scale up / down, DeleteService (DRAINING -> stop all tasks -> INACTIVE);
* image tag `:crash` -> the task goes PENDING then STOPPED ("Essential container in task
  exited", exit code 1); the deployment circuit breaker (if enabled on the service) fails
  the deployment after `threshold` failed tasks and, with rollback, starts a deployment of
  the last COMPLETED task definition;
* image tag `:slow` -> the task stays PENDING ~5 s before RUNNING;
* a task told to stop (scale-down, replacement, DeleteService, StopTask) leaves the
  RUNNING desired state at once (so ListTasks/Traefik drop it) but keeps serving for
  STACK_STOP_GRACE_SECONDS while lastStatus is DEACTIVATING/STOPPING, then STOPPED;
* one-off tasks (RunTask) of the images stack/oneoff.py recognises run their command
  as a local process: its output goes to CloudWatch Logs, its exit code to the
  container, StopTask ends it;
* stopped tasks stay visible (DescribeTasks, ListTasks desiredStatus=STOPPED) for
  STACK_STOPPED_TASK_TTL seconds (default 600).

Tunables (environment of the server process):
  STACK_TICK_SECONDS (0.5)        STACK_TASK_START_SECONDS (1.0)
  STACK_SLOW_START_SECONDS (5.0)  STACK_CB_THRESHOLD (default: 2 when desiredCount <= 1,
  STACK_STOPPED_TASK_TTL (600)     else 3; ECS uses max(3, min(200, desired/2)))
  STACK_CRASH_RETRY_SECONDS (1.0) delay before relaunching after a failed task
  STACK_DRAIN_SECONDS (1.0)       minimum time a deleted service stays DRAINING
  STACK_STOP_GRACE_SECONDS (3.0)  a task told to stop keeps serving this long
                                  (DEACTIVATING -> STOPPING -> STOPPED), like a container
                                  handling SIGTERM; longer than Traefik's refresh (1 s) +
                                  config throttle (0.5 s) so rolling updates give no 502s
"""

from __future__ import annotations

import ipaddress
import logging
import os
import random
import threading
import time
from collections import defaultdict
from typing import Any, Iterator

from moto.core.utils import utcnow
from moto.ec2.models import ec2_backends
from moto.ecs import models as ecs_models
from moto.ecs.models import ecs_backends

from . import patches
from .patches import BACKEND_LOCK, add_event, new_deployment, stack_state
from .netutil import listening_addresses
from .oneoff import OneOffs, mark_stopped
from .responder import Responder
from .tasklogs import task_log

log = logging.getLogger("stack.scheduler")

LOOPBACK = ipaddress.ip_network("127.0.0.0/8")


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


TICK = _env_float("STACK_TICK_SECONDS", 0.5)
START_DELAY = _env_float("STACK_TASK_START_SECONDS", 1.0)
SLOW_DELAY = _env_float("STACK_SLOW_START_SECONDS", 5.0)
STOPPED_TTL = _env_float("STACK_STOPPED_TASK_TTL", 600.0)
CRASH_RETRY = _env_float("STACK_CRASH_RETRY_SECONDS", 1.0)
DRAIN_SECONDS = _env_float("STACK_DRAIN_SECONDS", 1.0)
STOP_GRACE = _env_float("STACK_STOP_GRACE_SECONDS", 3.0)
CRASH_DELAY = 0.3  # how long a crashing task stays PENDING


def cb_threshold(desired: int) -> int:
    env = os.environ.get("STACK_CB_THRESHOLD")
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            pass
    return 2 if desired <= 1 else 3


def image_tag(image: str | None) -> str:
    if not image:
        return ""
    last = image.rsplit("/", 1)[-1]
    if "@" in last:
        return ""
    return last.rsplit(":", 1)[1] if ":" in last else "latest"


class TaskRuntime:
    """The scheduler's private view of one task it started."""

    def __init__(self, task: Any, service_key: tuple, deployment_id: str, mode: str, ready_at: float):
        self.task = task
        self.service_key = service_key
        self.deployment_id = deployment_id
        self.mode = mode  # "normal" | "slow" | "crash" | "fail"
        self.ready_at = ready_at
        self.responders: list[Responder] = []
        self.address: str | None = None
        self.stopped_mono: float | None = None
        self.stop_at: float | None = None
        self.fail_reason: str | None = None

    def stop_responders(self) -> None:
        for r in self.responders:
            r.stop()
        self.responders = []


class Scheduler:
    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.runtimes: dict[str, TaskRuntime] = {}  # task arn -> runtime
        self.addresses_in_use: set[str] = set()
        self.ticks = 0
        self.last_error: str | None = None
        self._service_errors: dict[str, str] = {}
        # RunTask's one-off tasks, run as local processes (stack/oneoff.py).
        self.oneoffs = OneOffs()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ecs-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        with BACKEND_LOCK:
            for rt in self.runtimes.values():
                for r in rt.responders:
                    r.stop(wait=False)
            self.runtimes.clear()
            self.oneoffs.stop_all()

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.last_error = None
                self.tick()
            except Exception as exc:  # keep the scheduler alive, report in the log
                log.exception("scheduler tick failed")
                self.last_error = repr(exc)
            self.ticks += 1
            self._stop.wait(max(0.05, TICK - (time.monotonic() - started)))

    # ------------------------------------------------------------------ iteration
    @staticmethod
    def _backends() -> Iterator[tuple[str, str, Any]]:
        for account_id, regions in list(ecs_backends.items()):
            for region, backend in list(regions.items()):
                yield account_id, region, backend

    def tick(self) -> None:
        with BACKEND_LOCK:
            for account_id, region, backend in self._backends():
                self._tick_backend(account_id, region, backend, set())
            live = {
                task.task_arn
                for _a, _r, backend in self._backends()
                for tasks in list(backend.tasks.values())
                for task in list(tasks.values())
            }
            # tasks that vanished from moto (e.g. POST /moto-api/reset): drop responders
            for arn in list(self.runtimes):
                if arn not in live:
                    rt = self.runtimes.pop(arn)
                    rt.stop_responders()
                    if rt.address:
                        self.addresses_in_use.discard(rt.address)

    def _tick_backend(self, account_id: str, region: str, backend: Any, live: set[str]) -> None:
        now = time.monotonic()
        # index tasks by (cluster, group)
        by_group: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for cluster_name, tasks in list(backend.tasks.items()):
            for arn, task in list(tasks.items()):
                live.add(task.task_arn)
                by_group[(cluster_name, task.group or "")].append(task)

        # 1. progress task lifecycles
        for cluster_name, tasks in list(backend.tasks.items()):
            for arn, task in list(tasks.items()):
                self._progress_task(backend, task, now)

        # 1b. one-off tasks (RunTask): start new ones, finish ended ones
        for (cluster_name, group), tasks in by_group.items():
            if group.startswith("service:"):
                continue
            for t in tasks:
                if t.last_status != "STOPPED" and t.task_arn not in self.oneoffs.running:
                    self.oneoffs.launch(account_id, region, backend, t)
        self.oneoffs.tick(now)

        # 2. reconcile services (one broken service must not stop the others)
        for key, service in list(backend.services.items()):
            tasks = by_group.get((service.cluster_name, f"service:{service.name}"), [])
            try:
                self._reconcile_service(account_id, region, backend, service, tasks, now)
            except Exception as exc:
                msg = f"{key}: {exc!r}"
                if self._service_errors.get(key) != msg:
                    self._service_errors[key] = msg
                    log.exception("reconciling service %s failed", key)
                self.last_error = msg

        # 3. orphans: tasks of a service group whose service no longer exists
        for (cluster_name, group), tasks in by_group.items():
            if not group.startswith("service:"):
                continue
            if f"{cluster_name}:{group[len('service:'):]}" in backend.services:
                continue
            for t in tasks:
                if t.desired_status == "RUNNING":
                    self._stop_task(t, "Service deleted", "ServiceSchedulerInitiated")

        # 4. garbage-collect old STOPPED tasks, recount clusters
        for cluster_name, tasks in list(backend.tasks.items()):
            running = pending = 0
            for arn, task in list(tasks.items()):
                rt = self.runtimes.get(task.task_arn)
                if task.last_status == "STOPPED":
                    if rt is None:
                        rt = self.runtimes[task.task_arn] = TaskRuntime(task, (), task.started_by, "normal", now)
                    if rt.responders:
                        rt.stop_responders()
                    if rt.address:
                        self.addresses_in_use.discard(rt.address)
                        rt.address = None
                    if rt.stopped_mono is None:
                        rt.stopped_mono = now
                    elif now - rt.stopped_mono > STOPPED_TTL:
                        del tasks[arn]
                        self.runtimes.pop(task.task_arn, None)
                        live.discard(task.task_arn)
                elif task.last_status == "RUNNING":
                    running += 1
                else:
                    pending += 1
            cluster = backend.clusters.get(cluster_name)
            if cluster is not None:
                cluster.running_tasks_count = running
                cluster.pending_tasks_count = pending
        for cluster in backend.clusters.values():
            cluster.active_services_count = sum(
                1 for s in backend.services.values() if s.cluster_name == cluster.name and s.status == "ACTIVE"
            )

    # ------------------------------------------------------------------ tasks
    def _progress_task(self, backend: Any, task: Any, now: float) -> None:
        if task.task_arn in self.oneoffs.running:
            return  # a one-off task's process decides (stack/oneoff.py)
        rt = self.runtimes.get(task.task_arn)
        if task.last_status == "STOPPED":
            return
        if task.desired_status == "STOPPED":
            if rt is None:
                rt = self.runtimes[task.task_arn] = TaskRuntime(task, (), task.started_by, "normal", now)
            if rt.stop_at is None:
                rt.stop_at = now + STOP_GRACE
            if now >= rt.stop_at:
                self._finish_stop(task)
            elif now >= rt.stop_at - STOP_GRACE / 2:
                task.last_status = "STOPPING"
            return
        if rt is None or task.last_status == "RUNNING":
            return
        if now < rt.ready_at:
            return
        if rt.mode in ("crash", "fail"):
            self._fail_task(backend, task, rt)
            return
        # PENDING -> RUNNING (the responders were bound at launch)
        stamp = utcnow()
        task.last_status = "RUNNING"
        task.started_at = stamp
        task.pull_stopped_at = stamp
        task.connectivity = "CONNECTED"
        task.connectivity_at = stamp
        for c in task.containers:
            c.last_status = "RUNNING"

    def _fail_task(self, backend: Any, task: Any, rt: TaskRuntime) -> None:
        mark_stopped(task)
        stamp = task.stopped_at
        if rt.mode == "crash":
            task.stopped_reason = "Essential container in task exited"
            task.stop_code = "EssentialContainerExited"
            for c in task.containers:
                c.last_status = "STOPPED"
                c.exitCode = 1
                c.reason = "exit code 1 (image tag :crash)"
        else:
            task.stopped_reason = rt.fail_reason or "Task failed to start"
            task.stop_code = "TaskFailedToStart"
            for c in task.containers:
                c.last_status = "STOPPED"
                c.reason = rt.fail_reason
        rt.stop_responders()
        # account the failure on its deployment (circuit breaker)
        service = backend.services.get(rt.service_key[0]) if rt.service_key else None
        if service is None or service.name != rt.service_key[1]:
            return
        st = stack_state(service)
        st["last_failure"] = time.monotonic()
        for dep in service.deployments:
            if dep["id"] == rt.deployment_id:
                dep["failedTasks"] = dep.get("failedTasks", 0) + 1
                dep["updatedAt"] = stamp
                self._check_circuit_breaker(service, dep)
                break

    def _check_circuit_breaker(self, service: Any, dep: dict[str, Any]) -> None:
        cfg = (getattr(service, "deployment_configuration", None) or {}).get("deploymentCircuitBreaker") or {}
        if not cfg.get("enable") or dep.get("rolloutState") != "IN_PROGRESS":
            return
        if dep.get("failedTasks", 0) < cb_threshold(service.desired_count):
            return
        dep["rolloutState"] = "FAILED"
        dep["rolloutStateReason"] = "ECS deployment circuit breaker: tasks failed to start."
        dep["updatedAt"] = utcnow()
        add_event(service, f"(service {service.name}) (deployment {dep['id']}) deployment failed: tasks failed to start.")
        st = stack_state(service)
        if dep["status"] == "PRIMARY" and cfg.get("rollback") and st.get("completed_td"):
            service.task_definition = st["completed_td"]
            new_deployment(
                service,
                st["completed_td"],
                reason=f"ECS deployment circuit breaker: rolling back to deploymentId {st['completed_dep']}.",
            )
            add_event(service, f"(service {service.name}) rolling back to deployment {st['completed_dep']}.")

    def _stop_task(self, task: Any, reason: str, code: str = "ServiceSchedulerInitiated") -> None:
        """Begin stopping a task: it leaves desiredStatus RUNNING now (ListTasks and
        Traefik drop it), keeps serving for STOP_GRACE, then _finish_stop."""
        stamp = utcnow()
        task.desired_status = "STOPPED"
        task.stopped_reason = reason
        task.stop_code = code
        task.stopping_at = stamp
        rt = self.runtimes.get(task.task_arn)
        if task.last_status != "RUNNING" or rt is None or not rt.responders:
            self._finish_stop(task)  # never served: nothing to drain
            return
        task.last_status = "DEACTIVATING"
        rt.stop_at = time.monotonic() + STOP_GRACE

    def _finish_stop(self, task: Any) -> None:
        stamp = utcnow()
        task.last_status = "STOPPED"
        task.stopped_at = stamp
        task.execution_stopped_at = stamp
        if not getattr(task, "stopping_at", None):
            task.stopping_at = stamp
        for c in task.containers:
            c.last_status = "STOPPED"
            if getattr(c, "exitCode", None) is None:
                c.exitCode = 0
        rt = self.runtimes.get(task.task_arn)
        if rt:
            rt.stop_responders()
            if rt.address:
                self.addresses_in_use.discard(rt.address)
                rt.address = None

    def _launch_task(self, account_id: str, region: str, backend: Any, service: Any, dep: dict[str, Any], now: float) -> Any:
        td = backend.describe_task_definition(dep["taskDefinition"])
        cluster = backend.clusters[service.cluster_name]
        st = stack_state(service)
        images = [cd.get("image") or "" for cd in td.container_definitions]
        tags = [image_tag(i) for i in images]
        mode = "crash" if "crash" in tags else ("slow" if "slow" in tags else "normal")
        fail_reason = None

        netconf = getattr(service, "network_configuration", None) or {}
        awsvpc = (netconf or {}).get("awsvpcConfiguration") or {}
        subnets = list(awsvpc.get("subnets") or [])
        address = None
        subnet_id = None
        ec2 = ec2_backends[account_id][region]
        if td.network_mode != "awsvpc":
            mode, fail_reason = "fail", f"stack: network mode {td.network_mode!r} is not emulated (awsvpc only)"
        elif not subnets:
            mode, fail_reason = "fail", "stack: service has no awsvpc subnets"
        else:
            # Round-robin over the service's subnets, going on to the next one when a
            # subnet is full (ECS places a task in any subnet it is given that has room).
            start = st["next_subnet"]
            st["next_subnet"] += 1
            for k in range(len(subnets)):
                subnet_id = subnets[(start + k) % len(subnets)]
                try:
                    subnet = ec2.get_subnet(subnet_id)
                    net = ipaddress.ip_network(subnet.cidr_block)
                except Exception as exc:  # unknown subnet
                    mode, fail_reason = "fail", f"stack: subnet {subnet_id}: {exc}"
                    break
                if not net.subnet_of(LOOPBACK):  # type: ignore[arg-type]
                    mode, fail_reason = "fail", f"stack: subnet {subnet_id} ({net}) is not inside 127.0.0.0/8; refusing to run it"
                    break
                address = self._pick_address(net)
                if address is not None:
                    break
            else:
                mode, fail_reason = "fail", "stack: no free address in " + ", ".join(subnets)

        networking = None
        if td.network_mode == "awsvpc":
            networking = {
                "awsvpcConfiguration": {
                    "subnets": [subnet_id or (subnets[0] if subnets else "")],
                    "securityGroups": list(awsvpc.get("securityGroups") or []),
                    "assignPublicIp": awsvpc.get("assignPublicIp", "DISABLED"),
                }
            }
        tags_for_task: list[dict[str, str]] = []
        if getattr(service, "propagate_tags", "NONE") == "SERVICE":
            tags_for_task = [dict(t) for t in (service.tags or [])]
        elif getattr(service, "propagate_tags", "NONE") == "TASK_DEFINITION":
            tags_for_task = [dict(t) for t in (td.tags or [])]

        common = dict(
            cluster=cluster,
            task_definition=td,
            container_instance_arn=None,
            resource_requirements=None,
            backend=backend,
            group=f"service:{service.name}",
            launch_type=service.launch_type or "FARGATE",
            started_by=dep["id"],
            tags=tags_for_task,
            platform_version=getattr(service, "platform_version", None),
        )
        task = None
        if networking is not None and address and mode != "fail":
            patches.eni_address_override(address)
            try:
                task = ecs_models.Task(networking_configuration=networking, **common)
            except Exception as exc:  # e.g. moto needs EnableDnsHostnames on the VPC
                mode, fail_reason = "fail", f"stack: moto could not create the task ENI: {exc!r}"
            finally:
                patches.eni_address_override(None)
        if task is None:
            # no usable network: a task without an ENI that fails visibly
            td_mode = td.network_mode
            td.network_mode = "none"
            try:
                task = ecs_models.Task(**common)
            finally:
                td.network_mode = td_mode

        stamp = utcnow()
        attachment_id = task.attachments[0]["id"] if task.attachments else None
        # one container per container definition (moto models only the first)
        containers = []
        for cd in td.container_definitions:
            c = ecs_models.Container(td)
            c.name = cd.get("name")
            c.image = cd.get("image")
            c.cpu = cd.get("cpu", 0)
            c.memory = cd.get("memory")
            c.memory_reservation = cd.get("memoryReservation")
            c.environment = cd.get("environment")
            c.last_status = "PENDING"
            c.exitCode = None
            c.essential = cd.get("essential", True)
            c.task_arn = task.task_arn
            c.container_arn = f"arn:aws:ecs:{region}:{account_id}:container/{cluster.name}/{task.id}/{c.container_arn.rsplit('/', 1)[-1]}"
            c.runtime_id = f"{task.id}-{c.name}"
            c.health_status = "UNKNOWN"
            c.network_bindings = []
            c.network_interfaces = (
                [{"attachmentId": attachment_id, "privateIpv4Address": address}] if (attachment_id and address) else []
            )
            containers.append(c)
        task.containers = containers
        task.last_status = "PENDING"
        task.created_at = stamp
        task.pull_started_at = stamp
        task.health_status = "UNKNOWN"
        task.cpu = td.cpu
        task.memory = td.memory
        task.version = 1
        task.availability_zone = self._subnet_az(ec2, subnet_id)
        task.platform_family = "Linux" if (service.launch_type or "FARGATE") == "FARGATE" else None
        if (service.launch_type or "FARGATE") == "FARGATE" and not task.platform_version:
            task.platform_version = "1.4.0"
        task.enable_execute_command = False
        task.connectivity = None
        if subnet_id:
            for a in task.attachments:
                a["status"] = "ATTACHED"

        backend.tasks.setdefault(cluster.name, {})[task.task_arn] = task

        ready = now + (CRASH_DELAY if mode in ("crash", "fail") else SLOW_DELAY if mode == "slow" else START_DELAY)
        rt = TaskRuntime(task, (f"{service.cluster_name}:{service.name}", service.name), dep["id"], mode, ready)
        rt.fail_reason = fail_reason
        rt.address = address
        self.runtimes[task.task_arn] = rt
        if address:
            self.addresses_in_use.add(address)
        if mode in ("normal", "slow") and address:
            try:
                self._bind_responders(rt, service, td, address, account_id, region)
            except OSError as exc:
                rt.stop_responders()
                rt.mode = mode = "fail"
                rt.fail_reason = f"stack: cannot bind responder on {address}: {exc}"
        if mode == "fail":
            # could not even be placed: stop it at once (Traefik never sees it pending)
            self._fail_task(backend, task, rt)
        return task

    @staticmethod
    def _subnet_az(ec2: Any, subnet_id: str | None) -> str | None:
        if not subnet_id:
            return None
        try:
            return ec2.get_subnet(subnet_id).availability_zone
        except Exception:
            return None

    def _pick_address(self, net: ipaddress.IPv4Network) -> str | None:
        busy = listening_addresses() | self.addresses_in_use
        hosts = int(net.num_addresses)
        # AWS reserves the first four and the last address of a subnet.
        candidates = [str(net.network_address + i) for i in range(4, hosts - 1)]
        random.shuffle(candidates)
        for c in candidates:
            if c not in busy:
                return c
        return None

    def _bind_responders(self, rt: TaskRuntime, service: Any, td: Any, address: str, account_id: str, region: str) -> None:
        for cd in td.container_definitions:
            log = task_log(account_id, region, cd, rt.task.id)
            env = {e.get("name"): e.get("value") for e in (cd.get("environment") or []) if isinstance(e, dict)}
            labels = cd.get("dockerLabels") or {}
            ports = []
            for m in cd.get("portMappings") or []:
                p = m.get("containerPort")
                if p and (m.get("protocol") or "tcp").lower() == "tcp" and p not in ports:
                    ports.append(int(p))
            for port in ports:
                info = {
                    "service": service.name,
                    "cluster": service.cluster_name,
                    "family": td.family,
                    "revision": td.revision,
                    "task_definition_arn": td.arn,
                    "task_arn": rt.task.task_arn,
                    "task_id": rt.task.id,
                    "deployment_id": rt.deployment_id,
                    "container": cd.get("name"),
                    "image": cd.get("image"),
                    "address": address,
                    "port": port,
                    "env": env,
                    "docker_labels_version": labels.get("dynroute.version"),
                }
                rt.responders.append(Responder(address, port, info, log=log))

    # ------------------------------------------------------------------ services
    def _reconcile_service(self, account_id: str, region: str, backend: Any, service: Any, tasks: list[Any], now: float) -> None:
        st = stack_state(service)
        deployments: list[dict[str, Any]] = service.deployments
        dep_ids = {d["id"] for d in deployments}
        active = [t for t in tasks if t.desired_status == "RUNNING" and t.last_status != "STOPPED"]
        draining = [t for t in tasks if t.desired_status != "RUNNING" and t.last_status != "STOPPED"]

        # tasks of a replaced service object (CreateService over an existing name)
        for t in list(active):
            if t.started_by not in dep_ids:
                self._stop_task(t, "Service replaced", "ServiceSchedulerInitiated")
                active.remove(t)

        primary = deployments[0] if deployments else None
        if service.status != "ACTIVE":
            reason = f"Scaling activity initiated by (deployment {primary['id']})" if primary else "Service deleted"
            stopped = [t for t in active]
            for t in stopped:
                self._stop_task(t, reason)
            if stopped:
                self._event_stopped(service, stopped)
            active = []
            self._recount(service, active)
            since = st.get("draining_since")
            if service.status == "DRAINING" and not draining and not stopped and (
                since is None or (utcnow() - since).total_seconds() >= DRAIN_SECONDS
            ):
                service.status = "INACTIVE"
            return
        if primary is None:  # non-ECS deployment controller: not emulated
            return

        by_dep: dict[str, list[Any]] = defaultdict(list)
        for t in active:
            by_dep[t.started_by].append(t)
        p_tasks = by_dep.get(primary["id"], [])
        desired = int(service.desired_count or 0)
        primary["desiredCount"] = desired
        halted = primary.get("rolloutState") == "FAILED"

        # scale the primary
        if not halted and primary.get("taskDefinition"):
            if len(p_tasks) < desired:
                recent_fail = primary.get("failedTasks", 0) and (now - st.get("last_failure", 0.0) < CRASH_RETRY)
                if not recent_fail:
                    started = [
                        self._launch_task(account_id, region, backend, service, primary, now)
                        for _ in range(desired - len(p_tasks))
                    ]
                    p_tasks = p_tasks + started
                    active = active + started
                    by_dep[primary["id"]] = p_tasks
                    add_event(
                        service,
                        f"(service {service.name}) has started {len(started)} tasks: "
                        + " ".join(f"(task {t.id})" for t in started)
                        + ".",
                    )
            elif len(p_tasks) > desired:
                surplus = sorted(p_tasks, key=lambda t: (t.last_status == "RUNNING", -getattr(t, "created_at", utcnow()).timestamp()))
                surplus = surplus[: len(p_tasks) - desired]
                for t in surplus:
                    self._stop_task(t, f"Scaling activity initiated by (deployment {primary['id']})")
                    p_tasks.remove(t)
                    active.remove(t)
                self._event_stopped(service, surplus)

        p_running = [t for t in p_tasks if t.last_status == "RUNNING"]
        primary_ready = not halted and len(p_running) == desired and len(p_tasks) == desired

        # drain older deployments once the primary runs at full strength
        if primary_ready:
            old = [t for d in deployments[1:] for t in by_dep.get(d["id"], [])]
            if old:
                for t in old:
                    self._stop_task(t, f"Scaling activity initiated by (deployment {primary['id']})")
                    active.remove(t)
                self._event_stopped(service, old)
                for d in deployments[1:]:
                    by_dep[d["id"]] = []
            still = {t.started_by for t in draining} | {t.started_by for t in old if t.last_status != "STOPPED"}
            service.deployments = deployments = [primary] + [
                d for d in deployments[1:] if by_dep.get(d["id"]) or d["id"] in still
            ]

        self._recount(service, active)

        # completion / steady state
        if primary_ready and len(deployments) == 1:
            if primary.get("rolloutState") == "IN_PROGRESS":
                primary["rolloutState"] = "COMPLETED"
                primary["rolloutStateReason"] = f"ECS deployment {primary['id']} completed."
                primary["updatedAt"] = utcnow()
                st["completed_td"] = primary.get("taskDefinition")
                st["completed_dep"] = primary["id"]
                add_event(service, f"(service {service.name}) (deployment {primary['id']}) deployment completed.")
            if not st.get("steady"):
                st["steady"] = True
                add_event(service, f"(service {service.name}) has reached a steady state.")
        elif not primary_ready:
            st["steady"] = False

    def _recount(self, service: Any, active: list[Any]) -> None:
        running = sum(1 for t in active if t.last_status == "RUNNING")
        pending = sum(1 for t in active if t.last_status != "RUNNING")
        service.running_count = running
        service.pending_count = pending
        for d in service.deployments:
            r = sum(1 for t in active if t.started_by == d["id"] and t.last_status == "RUNNING")
            p = sum(1 for t in active if t.started_by == d["id"] and t.last_status != "RUNNING")
            if d.get("runningCount") != r or d.get("pendingCount") != p:
                d["runningCount"] = r
                d["pendingCount"] = p
                d["updatedAt"] = utcnow()
            if d["status"] != "PRIMARY":
                d["desiredCount"] = r + p

    @staticmethod
    def _event_stopped(service: Any, tasks: list[Any]) -> None:
        if tasks:
            add_event(
                service,
                f"(service {service.name}) has stopped {len(tasks)} running tasks: "
                + " ".join(f"(task {t.id})" for t in tasks)
                + ".",
            )

    # ------------------------------------------------------------------ debug view
    def snapshot(self) -> dict[str, Any]:
        with BACKEND_LOCK:
            return {
                "ticks": self.ticks,
                "last_error": self.last_error,
                "tasks": [
                    {
                        "task_arn": arn,
                        "service": rt.service_key[1] if rt.service_key else None,
                        "deployment": rt.deployment_id,
                        "mode": rt.mode,
                        "last_status": rt.task.last_status,
                        "address": rt.address,
                        "ports": [r.port for r in rt.responders],
                    }
                    for arn, rt in self.runtimes.items()
                ],
            }
