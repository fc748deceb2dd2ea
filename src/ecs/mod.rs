//! The ECS boundary: the domain model and the narrow trait of the dozen verbs
//! dynroute needs. `aws/` implements it with the SDK; `fake` implements it in
//! memory so the engine's decisions are unit-tested in milliseconds.

#[cfg(test)]
pub mod fake;
pub mod logs;
pub mod model;

use std::collections::BTreeMap;

use async_trait::async_trait;

pub use model::{
    Deployment, DeploymentStatus, RolloutState, ServiceEvent, ServiceState, ServiceStatus,
    StoppedTask, short_arn,
};

use crate::config::{Network, Placement};
use crate::taskdef::TaskDefinition;

/// What CreateService needs besides the cluster.
#[derive(Debug, Clone)]
pub struct NewService<'a> {
    pub name: &'a str,
    pub task_definition: &'a str,
    pub desired_count: i32,
    pub placement: &'a Placement,
    pub network: Option<&'a Network>,
    pub tags: &'a [(String, String)],
}

/// A one-off task to start (RunTask): a registered task definition with one
/// container's command replaced, on the service's network and placement.
#[derive(Debug, Clone)]
pub struct OneOffTask<'a> {
    pub task_definition: &'a str,
    pub container: &'a str,
    pub command: &'a [String],
    pub placement: &'a Placement,
    pub network: Option<&'a Network>,
    pub tags: &'a [(String, String)],
    /// `startedBy`: who started it (at most 36 characters).
    pub started_by: &'a str,
}

/// A one-off task as DescribeTasks answers it, for one of its containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOffState {
    pub last_status: String,
    pub stop_code: Option<String>,
    pub stopped_reason: Option<String>,
    /// The container's exit code, once it exited.
    pub exit_code: Option<i32>,
    /// Why the container stopped, when ECS says (`CannotPullContainerError…`).
    pub container_reason: Option<String>,
}

/// What UpdateService changes on a service of the cluster.
#[derive(Debug, Clone)]
pub struct ServiceUpdate<'a> {
    pub name: &'a str,
    pub task_definition: &'a str,
    pub desired_count: i32,
    pub network: Option<&'a Network>,
    /// Replace the tasks even when the task definition is the same.
    pub force_new_deployment: bool,
}

/// ECS answered a request with a client error other than throttling (invalid
/// parameter, access denied, …): nothing was changed, and the same request
/// will be refused again. The AWS adapter puts it in the error chain; the
/// engine cleans up after it (an `up` deregisters the revision it registered).
#[derive(Debug)]
pub struct Refused {
    /// The AWS error code, e.g. `InvalidParameterException`.
    pub code: String,
    /// ECS's message.
    pub message: String,
    /// The SDK's error, kept inspectable.
    pub source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.message.is_empty() {
            true => f.write_str(&self.code),
            false => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for Refused {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl Refused {
    /// Whether ECS refused the request that failed with `err`.
    pub fn is_cause_of(err: &anyhow::Error) -> bool {
        err.chain().any(|c| c.downcast_ref::<Refused>().is_some())
    }
}

/// A task and the task definition it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRef {
    pub arn: String,
    pub task_definition: String,
}

impl TaskRef {
    /// The task ID, the last part of its ARN (what ECS puts in log stream names).
    pub fn id(&self) -> &str {
        short_arn(&self.arn)
    }
}

/// A task of a service that still runs and its private IPv4 address (awsvpc
/// tasks have one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskAddress {
    pub arn: String,
    pub address: Option<String>,
    /// Being stopped (replaced or scaled in), but not stopped yet.
    pub stopping: bool,
}

/// The answer of CreateService.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOutcome {
    Created,
    /// A service of that name exists (created concurrently, or still draining).
    AlreadyExists,
}

/// The ECS verbs of one cluster. Errors carry the operation and their cause.
#[async_trait]
pub trait Ecs: Send + Sync {
    /// Services by name, with tags; missing names are left out.
    async fn describe_services(&self, names: &[String]) -> anyhow::Result<Vec<ServiceState>>;
    /// Every service of the cluster, described with tags.
    async fn all_services(&self) -> anyhow::Result<Vec<ServiceState>>;
    /// Registers a task definition; returns its ARN.
    async fn register_task_definition(&self, td: &TaskDefinition) -> anyhow::Result<String>;
    /// Creates a service (circuit breaker with rollback, tags propagated).
    async fn create_service(&self, spec: &NewService<'_>) -> anyhow::Result<CreateOutcome>;
    /// Points a service at a task definition (a rolling deployment).
    async fn update_service(&self, update: &ServiceUpdate<'_>) -> anyhow::Result<()>;
    /// Adds or overwrites tags on a resource.
    async fn tag_resource(&self, arn: &str, tags: &[(String, String)]) -> anyhow::Result<()>;
    /// Removes tags from a resource.
    async fn untag_resource(&self, arn: &str, keys: &[String]) -> anyhow::Result<()>;
    /// Deletes a service, stopping its tasks; an already deleted one is no error.
    async fn delete_service(&self, name: &str) -> anyhow::Result<()>;
    /// ACTIVE task definition revisions of exactly this family, oldest first.
    async fn task_definition_arns(&self, family: &str) -> anyhow::Result<Vec<String>>;
    /// The families with an ACTIVE revision whose names start with `prefix`.
    async fn task_definition_families(&self, prefix: &str) -> anyhow::Result<Vec<String>>;
    /// The tags of a task definition revision.
    async fn task_definition_tags(&self, arn: &str) -> anyhow::Result<BTreeMap<String, String>>;
    /// Deregisters a task definition revision.
    async fn deregister_task_definition(&self, arn: &str) -> anyhow::Result<()>;
    /// A task definition (`family`, `family:revision` or ARN) as
    /// DescribeTaskDefinition answers it with its tags: `{"taskDefinition": {…},
    /// "tags": […]}`, what `aws ecs describe-task-definition --include TAGS`
    /// prints. `None` when there is no such task definition.
    async fn task_definition_document(
        &self,
        task_definition: &str,
    ) -> anyhow::Result<Option<serde_json::Value>>;
    /// The running and recently stopped tasks of a service.
    async fn service_tasks(&self, service: &str) -> anyhow::Result<Vec<TaskRef>>;
    /// The tasks of a service that still run (also those being stopped),
    /// with their private addresses.
    async fn task_addresses(&self, service: &str) -> anyhow::Result<Vec<TaskAddress>>;
    /// Recently stopped tasks of a service with their reasons, newest first.
    async fn stopped_tasks(&self, service: &str) -> anyhow::Result<Vec<StoppedTask>>;
    /// Starts a one-off task; returns its ARN.
    async fn run_task(&self, task: &OneOffTask<'_>) -> anyhow::Result<String>;
    /// A one-off task's state, for `container`; `None` when ECS no longer knows it.
    async fn one_off_state(
        &self,
        arn: &str,
        container: &str,
    ) -> anyhow::Result<Option<OneOffState>>;
    /// Stops a task (SIGTERM, then SIGKILL after its stop timeout).
    async fn stop_task(&self, arn: &str, reason: &str) -> anyhow::Result<()>;
}

/// Where a load balancer is reachable (for `ingress.load_balancer`).
#[async_trait]
pub trait LoadBalancers: Send + Sync {
    /// The DNS name of the load balancer called `name`.
    async fn load_balancer_dns(&self, name: &str) -> anyhow::Result<String>;
}
