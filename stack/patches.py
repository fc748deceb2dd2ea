"""Monkeypatches applied to moto 5.2.5 inside the stack's server process.

moto emulates the ECS *API* faithfully enough, but it has no service scheduler (it
never starts tasks for a service) and a few details that the scheduler stand-in
(stack/scheduler.py) and Traefik's ECS provider depend on differ from AWS. Each patch
below says what it changes and why; everything else is moto's own behaviour.

All patched entry points run under BACKEND_LOCK (taken per request by the WSGI wrapper in
stack/server.py and per tick by the scheduler), so the scheduler never sees a half-applied
request.
"""

from __future__ import annotations

import base64
import threading
import uuid
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.utils import utcnow
from moto.ecs import models as ecs_models
from moto.ecs import responses as ecs_responses
from moto.ecs.exceptions import ServiceNotFoundException
from moto.moto_api import state_manager
from moto.moto_api._internal import mock_random

# One re-entrant lock for "moto's in-memory backends". Held for the whole of every AWS
# request and every scheduler tick.
BACKEND_LOCK = threading.RLock()

# Thread-local address override for the ENI moto creates in Task.__init__ (patch 2).
_ENI_ADDRESS = threading.local()

MAX_EVENTS = 100  # ECS keeps the 100 newest service events.

DEFAULT_DEPLOYMENT_CONFIGURATION: dict[str, Any] = {
    "deploymentCircuitBreaker": {"enable": False, "rollback": False},
    "maximumPercent": 200,
    "minimumHealthyPercent": 100,
}

_APPLIED = False


class ServiceNotActiveException(ServiceException):
    def __init__(self) -> None:
        super().__init__("ServiceNotActiveException", "Service was not ACTIVE.")


# --------------------------------------------------------------------------------------
# helpers shared with the scheduler (service bookkeeping kept on moto's Service object)
# --------------------------------------------------------------------------------------


def new_deployment_id() -> str:
    # AWS deployment ids look like ecs-svc/4503680465416487539 (19 digits).
    return f"ecs-svc/{mock_random.randint(10**18, 10**19 - 1)}"


def add_event(service: Any, message: str) -> None:
    """Prepend a service event in the ECS format (newest first, at most 100)."""
    events = getattr(service, "events", None)
    if events is None:
        events = service.events = []
    events.insert(0, {"id": str(uuid.uuid4()), "createdAt": utcnow(), "message": message})
    del events[MAX_EVENTS:]


def stack_state(service: Any) -> dict[str, Any]:
    """Private per-service scheduler state (never serialised: not an API field name)."""
    st = getattr(service, "_stack", None)
    if st is None:
        st = service._stack = {
            "completed_td": None,  # task definition of the last COMPLETED deployment
            "completed_dep": None,  # ... and that deployment's id
            "steady": False,
            "draining_since": None,
            "next_subnet": 0,
            "last_failure": 0.0,
        }
        if not hasattr(service, "deployment_configuration") or not isinstance(
            getattr(service, "deployment_configuration", None), dict
        ):
            service.deployment_configuration = _merged_deployment_configuration(None)
        if not hasattr(service, "created_at"):
            service.created_at = utcnow()
        # moto pre-fills fake counts (MOTO_ECS_SERVICE_RUNNING / pendingCount=desired);
        # the scheduler owns them from now on.
        service.running_count = 0
        service.pending_count = 0
        for dep in getattr(service, "deployments", []) or []:
            dep["runningCount"] = 0
            dep["pendingCount"] = 0
            dep["failedTasks"] = 0
            dep["rolloutState"] = "IN_PROGRESS"
            dep["rolloutStateReason"] = f"ECS deployment {dep['id']} in progress."
            if dep.get("taskDefinition") is None:
                dep["taskDefinition"] = service.task_definition
    return st


def new_deployment(service: Any, task_definition_arn: str | None, reason: str | None = None) -> dict[str, Any]:
    """Start a new PRIMARY deployment (what UpdateService with a new task definition or
    forceNewDeployment, and a circuit-breaker rollback, do in ECS)."""
    now = utcnow()
    for dep in service.deployments:
        if dep["status"] == "PRIMARY":
            dep["status"] = "ACTIVE"
            dep["updatedAt"] = now
    dep_id = new_deployment_id()
    template = service.deployments[0] if service.deployments else {}
    dep = {
        "id": dep_id,
        "status": "PRIMARY",
        "taskDefinition": task_definition_arn,
        "desiredCount": service.desired_count,
        "pendingCount": 0,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": now,
        "updatedAt": now,
        "launchType": template.get("launchType", getattr(service, "launch_type", None)),
        "platformVersion": template.get("platformVersion"),
        "platformFamily": template.get("platformFamily"),
        "networkConfiguration": getattr(service, "network_configuration", None) or None,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": reason or f"ECS deployment {dep_id} in progress.",
    }
    service.deployments.insert(0, dep)
    stack_state(service)["steady"] = False
    return dep


def _merged_deployment_configuration(cfg: dict[str, Any] | None) -> dict[str, Any]:
    merged = {
        "deploymentCircuitBreaker": dict(DEFAULT_DEPLOYMENT_CONFIGURATION["deploymentCircuitBreaker"]),
        "maximumPercent": DEFAULT_DEPLOYMENT_CONFIGURATION["maximumPercent"],
        "minimumHealthyPercent": DEFAULT_DEPLOYMENT_CONFIGURATION["minimumHealthyPercent"],
    }
    if cfg:
        for k, v in cfg.items():
            if k == "deploymentCircuitBreaker" and isinstance(v, dict):
                merged[k].update(v)
            else:
                merged[k] = v
    return merged


def eni_address_override(address: str | None) -> None:
    _ENI_ADDRESS.value = address


# --------------------------------------------------------------------------------------
# the patches
# --------------------------------------------------------------------------------------


def apply() -> None:
    global _APPLIED
    if _APPLIED:
        return
    _APPLIED = True

    Backend = ecs_models.EC2ContainerServiceBackend
    Response = ecs_responses.EC2ContainerServiceResponse

    # 1. Task lifecycle belongs to the scheduler. moto advances a task one state per
    #    DescribeTasks call (RUNNING -> DEACTIVATING -> ... -> STOPPED), so Traefik's and
    #    dynroute's polling would kill tasks. Make advance() a no-op and also tell the
    #    state manager "manual, never" (same as POST /moto-api/state-manager/set-transition).
    ecs_models.Task.advance = lambda self: None  # type: ignore[method-assign]
    state_manager.set_transition(
        model_name="ecs::task", transition={"progression": "manual", "times": 1_000_000_000}
    )

    # 2. Task.__init__ creates the task's ENI with moto's random_private_ip() (a 10.x
    #    address outside the subnet). The scheduler picks a 127.x address from the
    #    service's subnet and passes it through this thread-local override.
    original_random_ip = ecs_models.random_private_ip

    def random_private_ip(*args: Any, **kwargs: Any) -> str:
        override = getattr(_ENI_ADDRESS, "value", None)
        if override:
            return override
        return original_random_ip(*args, **kwargs)

    ecs_models.random_private_ip = random_private_ip

    # 3. RegisterTaskDefinition: for awsvpc, AWS fills portMappings[].hostPort with the
    #    containerPort (and returns it from DescribeTaskDefinition). moto leaves it out;
    #    Traefik's ECS provider builds server URLs from hostPort, so fill it like AWS.
    original_register = Backend.register_task_definition

    def register_task_definition(self: Any, *args: Any, **kwargs: Any) -> Any:
        td = original_register(self, *args, **kwargs)
        if td.network_mode == "awsvpc":
            for cd in td.container_definitions:
                mappings = [dict(m) for m in (cd.get("portMappings") or [])]
                for m in mappings:
                    if "containerPort" in m and not m.get("hostPort"):
                        m["hostPort"] = m["containerPort"]
                    m.setdefault("protocol", "tcp")
                cd["portMappings"] = mappings  # own list: moto shares a default [] object
        td.registered_at = utcnow()
        return td

    Backend.register_task_definition = register_task_definition

    # 4. CreateService: moto drops deploymentConfiguration (so the circuit breaker setting
    #    is lost), fakes runningCount/pendingCount and stores the task definition as given
    #    (family or family:rev) instead of the ARN, and drops capacityProviderStrategy.
    #    Keep the request's configuration, add createdAt, and hand the counts to the
    #    scheduler. moto also silently replaces a service of the same name; ECS refuses
    #    while that service is ACTIVE or DRAINING.
    from moto.ecs.exceptions import InvalidParameterException as CreateConflict

    original_create_service_resp = Response.create_service

    def create_service_resp(self: Any) -> Any:
        cluster_name = self._get_param("cluster", "default").split("/")[-1]
        name = self._get_param("serviceName")
        for existing in self.ecs_backend.services.values():
            if (
                existing.cluster_name == cluster_name
                and existing.name == name
                and existing.status in ("ACTIVE", "DRAINING")
            ):
                raise CreateConflict("Creation of service was not idempotent.")
        result = original_create_service_resp(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        service.deployment_configuration = _merged_deployment_configuration(
            self._get_param("deploymentConfiguration")
        )
        service.enable_ecs_managed_tags = bool(self._get_param("enableECSManagedTags", False))
        # moto ignores the capacity provider strategy; keep it for /_stack/services.
        service.capacity_provider_strategy = self._get_param("capacityProviderStrategy") or []
        service.created_at = utcnow()
        if service.task_definition:
            service.task_definition = self.ecs_backend.describe_task_definition(
                service.task_definition
            ).arn
        service._stack = None
        stack_state(service)
        return result

    Response.create_service = create_service_resp

    # 5. UpdateService: moto sets runningCount = desiredCount, mutates the existing
    #    deployment's id on forceNewDeployment and never starts a new deployment. Give it
    #    ECS semantics: a new task definition (or forceNewDeployment) creates a new PRIMARY
    #    deployment (the old one becomes ACTIVE and is drained by the scheduler); a
    #    desiredCount change just rescales the primary. Updating a service that is not
    #    ACTIVE fails with ServiceNotActiveException, as in ECS.
    original_update_service = Backend.update_service

    def update_service(self: Any, props: dict[str, Any]) -> Any:
        cluster_str = props.get("cluster", "default")
        service_name = props["service"].split("/")[-1]
        service = self._get_service(cluster_str, service_name)
        if service.status != "ACTIVE":
            raise ServiceNotActiveException()
        stack_state(service)
        force = bool(props.get("force_new_deployment", False))
        before_td = service.task_definition
        before_counts = (service.running_count, service.pending_count)
        primary = service.deployments[0] if service.deployments else None
        saved = dict(primary) if primary else None
        if "deployment_configuration" in props and props["deployment_configuration"] is not None:
            props["deployment_configuration"] = _merged_deployment_configuration(
                props["deployment_configuration"]
            )
        result = original_update_service(self, props)
        service.running_count, service.pending_count = before_counts
        if primary is not None and saved is not None:
            primary.update({k: saved[k] for k in ("id", "createdAt", "updatedAt") if k in saved})
        if service.task_definition:
            service.task_definition = self.describe_task_definition(service.task_definition).arn
        if service.deployments and (service.task_definition != before_td or force):
            new_deployment(service, service.task_definition)
        elif service.deployments:
            service.deployments[0]["desiredCount"] = service.desired_count
            service.deployments[0]["updatedAt"] = utcnow()
        return result

    Backend.update_service = update_service

    # 6. DeleteService: ECS moves the service to DRAINING, stops its tasks, and only then
    #    INACTIVE. moto sets INACTIVE at once. Keep DRAINING and let the scheduler stop the
    #    tasks and finish the transition. (A second delete keeps the current status.)
    original_delete_service = Backend.delete_service

    def delete_service(self: Any, cluster_name: str, service_name: str, force: bool) -> Any:
        service = self._get_service(cluster_name, service_name)
        before = service.status
        stack_state(service)
        result = original_delete_service(self, cluster_name, service_name, force)
        if before == "ACTIVE":
            service.status = "DRAINING"
            service.desired_count = 0
            service._stack["draining_since"] = utcnow()
            for dep in service.deployments:
                if dep["status"] == "PRIMARY":
                    dep["desiredCount"] = 0
                    dep["updatedAt"] = utcnow()
        else:
            service.status = before
        return result

    Backend.delete_service = delete_service

    # 7. ListTasks: moto ignores serviceName, matches the cluster by substring ("dev" also
    #    matches tasks of cluster "dev2") and returns every desired status when none is
    #    given. ECS filters on the service (tasks of a service have group
    #    "service:<name>"), matches the cluster exactly and defaults desiredStatus to
    #    RUNNING. Unknown serviceName -> ServiceNotFoundException, as in ECS.
    original_list_tasks = Backend.list_tasks

    def list_tasks(
        self: Any,
        cluster_str: str | None = None,
        container_instance: str | None = None,
        family: str | None = None,
        started_by: str | None = None,
        service_name: str | None = None,
        desiredStatus: str | None = None,
    ) -> Any:
        tasks = original_list_tasks(
            self, cluster_str, container_instance, family, started_by, None, desiredStatus or "RUNNING"
        )
        cluster = self._get_cluster(cluster_str or "default")
        tasks = [t for t in tasks if t.cluster_name == cluster.name]
        if service_name:
            name = service_name.split("/")[-1]
            if f"{cluster.name}:{name}" not in self.services:
                raise ServiceNotFoundException()
            tasks = [t for t in tasks if t.group == f"service:{name}"]
        return tasks

    Backend.list_tasks = list_tasks

    # 8. DescribeTasks: moto returns matching tasks of *every* cluster. Restrict to the
    #    requested cluster (ECS reports other ARNs as failures; we just omit them).
    original_describe_tasks = Backend.describe_tasks

    def describe_tasks(self: Any, cluster_str: str, tasks: list[str]) -> Any:
        cluster = self._get_cluster(cluster_str)
        return [t for t in original_describe_tasks(self, cluster_str, tasks) if t.cluster_name == cluster.name]

    Backend.describe_tasks = describe_tasks

    # 9. ListServices: moto matches the cluster by substring of "<cluster>:" in its key, so
    #    cluster "dev" also lists services of cluster "mydev". Match exactly. And like ECS,
    #    list only ACTIVE services: DRAINING and INACTIVE ones are visible to
    #    DescribeServices only.
    def list_services(
        self: Any,
        cluster_str: str,
        scheduling_strategy: str | None = None,
        launch_type: str | None = None,
    ) -> list[str]:
        cluster = self._get_cluster(cluster_str)
        arns = []
        for service in self.services.values():
            if service.cluster_name != cluster.name:
                continue
            if scheduling_strategy is not None and service.scheduling_strategy != scheduling_strategy:
                continue
            if launch_type is not None and service.launch_type != launch_type:
                continue
            if service.status != "ACTIVE":
                continue
            arns.append(service.arn)
        return sorted(arns)

    Backend.list_services = list_services

    # 10. StopTask: moto flips lastStatus to STOPPED at once and sets no stopCode /
    #     stoppedAt. ECS goes RUNNING -> DEACTIVATING -> STOPPING -> STOPPED while the
    #     container handles SIGTERM. Set desiredStatus STOPPED + DEACTIVATING here; the
    #     scheduler completes the stop after its grace period (stopping the responder) and
    #     starts a replacement for a service task.
    original_stop_task = Backend.stop_task

    def stop_task(self: Any, cluster_str: str, task_str: str, reason: str) -> Any:
        cluster = self._get_cluster(cluster_str)
        task_id = task_str.split("/")[-1]
        before = None
        for arn, t in (self.tasks.get(cluster.name) or {}).items():
            if arn.endswith(task_id):
                before = t.last_status
        task = original_stop_task(self, cluster_str, task_str, reason)
        now = utcnow()
        task.stopped_reason = reason or "Task stopped by user"
        task.stop_code = "UserInitiated"
        task.stopping_at = now
        if before in ("RUNNING", "DEACTIVATING", "STOPPING"):
            # the scheduler finishes the stop after its grace period (see scheduler.py)
            task.last_status = "DEACTIVATING" if before == "RUNNING" else before
        else:
            task.stopped_at = now
            task.execution_stopped_at = now
            for c in task.containers:
                c.last_status = "STOPPED"
        return task

    Backend.stop_task = stop_task

    # 11. CreateService with awsvpcConfiguration but no securityGroups: moto answers HTTP
    #     500 (KeyError in Service._validate_network); ECS accepts it (default group).
    original_validate_network = ecs_models.Service._validate_network

    def _validate_network(self: Any, nc: dict[str, Any]) -> Any:
        conf = (nc or {}).get("awsvpcConfiguration")
        if isinstance(conf, dict) and "securityGroups" not in conf:
            conf["securityGroups"] = []
        return original_validate_network(self, nc)

    ecs_models.Service._validate_network = _validate_network

    # 12. ListServices / ListTasks pagination: moto ignores maxResults and returns one
    #     page. ECS pages them (ListServices: default 10, max 100; ListTasks: default and
    #     max 100) with an opaque nextToken. Paging matters for API-call-count benchmarks
    #     (`ls` must cost ceil(N/100) ListServices calls), so emulate it.
    from moto.core.responses import ActionResult
    from moto.ecs.exceptions import InvalidParameterException

    def _page(self: Any, items: list[str], default: int) -> tuple[list[str], str | None]:
        max_results = self._get_param("maxResults")
        if max_results is None:
            max_results = default
        max_results = int(max_results)
        if max_results < 1 or max_results > 100:
            raise InvalidParameterException("maxResults must be between 1 and 100.")
        token = self._get_param("nextToken")
        start = 0
        if token:
            try:
                start = int(base64.urlsafe_b64decode(token.encode()).decode().split(":", 1)[1])
            except (ValueError, IndexError, UnicodeDecodeError):
                raise InvalidParameterException("Invalid nextToken.") from None
        page = items[start : start + max_results]
        nxt = start + max_results
        next_token = base64.urlsafe_b64encode(f"stack:{nxt}".encode()).decode() if nxt < len(items) else None
        return page, next_token

    def list_services_resp(self: Any) -> Any:
        arns = self.ecs_backend.list_services(
            self._get_param("cluster", "default"),
            self._get_param("schedulingStrategy"),
            launch_type=self._get_param("launchType"),
        )
        page, token = _page(self, arns, 10)
        out: dict[str, Any] = {"serviceArns": page}
        if token:
            out["nextToken"] = token
        return ActionResult(out)

    Response.list_services = list_services_resp

    def list_tasks_resp(self: Any) -> Any:
        tasks = self.ecs_backend.list_tasks(
            self._get_param("cluster", "default"),
            self._get_param("containerInstance"),
            self._get_param("family"),
            self._get_param("startedBy"),
            self._get_param("serviceName"),
            self._get_param("desiredStatus"),
        )
        page, token = _page(self, [t.task_arn for t in tasks], 100)
        out: dict[str, Any] = {"taskArns": page}
        if token:
            out["nextToken"] = token
        return ActionResult(out)

    Response.list_tasks = list_tasks_resp

    # 13. CloudFormation (the platform kit): moto's AWS::ECS::TaskDefinition keeps only
    #     Family, ContainerDefinitions, Volumes and Memory, and AWS::ECS::Service only
    #     Cluster, TaskDefinition and DesiredCount (its own TODOs). CloudFormation passes
    #     every property; so do these, through the same backend calls the API uses.
    from moto.core.utils import pascal_to_camelcase, remap_nested_keys

    def camel(value: Any) -> Any:
        return remap_nested_keys(value, pascal_to_camelcase) if value is not None else None

    def td_from_cfn(
        cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = cloudformation_json["Properties"]
        backend = ecs_models.ecs_backends[account_id][region_name]
        return backend.register_task_definition(
            family=p.get("Family", resource_name),
            container_definitions=camel(p.get("ContainerDefinitions", [])),
            volumes=camel(p.get("Volumes")),
            network_mode=p.get("NetworkMode"),
            requires_compatibilities=p.get("RequiresCompatibilities"),
            cpu=p.get("Cpu"),
            memory=p.get("Memory"),
            task_role_arn=p.get("TaskRoleArn"),
            execution_role_arn=p.get("ExecutionRoleArn"),
            runtime_platform=camel(p.get("RuntimePlatform")),
        )

    ecs_models.TaskDefinition.create_from_cloudformation_json = classmethod(td_from_cfn)  # type: ignore[method-assign,assignment]

    def service_from_cfn(
        cls: Any, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        p = cloudformation_json["Properties"]
        cluster = p["Cluster"].name if isinstance(p["Cluster"], ecs_models.Cluster) else p["Cluster"]
        td = p["TaskDefinition"]
        td = td.arn if isinstance(td, ecs_models.TaskDefinition) else td
        backend = ecs_models.ecs_backends[account_id][region_name]
        return backend.create_service(
            cluster,
            p.get("ServiceName", resource_name),
            p.get("DesiredCount"),
            task_definition_str=td,
            load_balancers=camel(p.get("LoadBalancers")),
            launch_type=p.get("LaunchType"),
            platform_version=p.get("PlatformVersion"),
            network_configuration=camel(p.get("NetworkConfiguration")),
            propagate_tags=p.get("PropagateTags", "NONE"),
        )

    ecs_models.Service.create_from_cloudformation_json = classmethod(service_from_cfn)  # type: ignore[method-assign,assignment]

    # 14. ListTaskDefinitionFamilies: moto ignores `status` and pagination (its own
    #     docstring). ECS answers only families with an ACTIVE revision for
    #     status=ACTIVE (only all-INACTIVE ones for INACTIVE) and pages them (default
    #     and max 100). `prune` looks for revisions kept for failed `after_down` hooks
    #     through it, so emulate both.
    def list_task_definition_families_resp(self: Any) -> Any:
        prefix = self._get_param("familyPrefix")
        status = self._get_param("status") or "ALL"
        families = []
        for family, revisions in self.ecs_backend.task_definitions.items():
            if prefix is not None and not family.startswith(prefix):
                continue
            active = any(td.status == "ACTIVE" for td in revisions.values())
            if (status == "ACTIVE" and not active) or (status == "INACTIVE" and active):
                continue
            families.append(family)
        page, token = _page(self, sorted(families), 100)
        out: dict[str, Any] = {"families": page}
        if token:
            out["nextToken"] = token
        return ActionResult(out)

    Response.list_task_definition_families = list_task_definition_families_resp
