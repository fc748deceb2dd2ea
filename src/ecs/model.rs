//! What ECS reports, in dynroute's terms: the neutral domain model that both the
//! AWS adapter (`aws/`, which fills it) and the engine (which reads it) use, so
//! neither depends on the other.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::naming::tags;
use crate::naming::{ServiceName, Version, parse_resource_name};

/// The lifecycle status of an ECS service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceStatus {
    Active,
    Draining,
    Inactive,
}

impl ServiceStatus {
    /// ACTIVE: the service runs and may be updated. DRAINING ones are being deleted.
    pub fn is_live(&self) -> bool {
        *self == ServiceStatus::Active
    }

    pub fn parse(s: &str) -> ServiceStatus {
        match s {
            "ACTIVE" => ServiceStatus::Active,
            "DRAINING" => ServiceStatus::Draining,
            _ => ServiceStatus::Inactive,
        }
    }
}

/// A deployment's place in a service: the newest is PRIMARY, the ones it
/// replaces ACTIVE, finished ones INACTIVE.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeploymentStatus {
    Primary,
    Active,
    Inactive,
}

impl DeploymentStatus {
    pub fn parse(s: &str) -> DeploymentStatus {
        match s {
            "PRIMARY" => DeploymentStatus::Primary,
            "ACTIVE" => DeploymentStatus::Active,
            _ => DeploymentStatus::Inactive,
        }
    }
}

/// The rollout state ECS reports for deployments with the circuit breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RolloutState {
    InProgress,
    Completed,
    Failed,
}

impl RolloutState {
    pub fn parse(s: &str) -> Option<RolloutState> {
        match s {
            "IN_PROGRESS" => Some(RolloutState::InProgress),
            "COMPLETED" => Some(RolloutState::Completed),
            "FAILED" => Some(RolloutState::Failed),
            _ => None,
        }
    }

    /// The ECS spelling (`IN_PROGRESS`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutState::InProgress => "IN_PROGRESS",
            RolloutState::Completed => "COMPLETED",
            RolloutState::Failed => "FAILED",
        }
    }
}

/// One deployment of a service (ECS keeps the primary and the ones it replaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployment {
    pub id: String,
    pub status: DeploymentStatus,
    pub task_definition: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub failed: i32,
    /// Set for circuit breaker deployments.
    pub rollout_state: Option<RolloutState>,
    pub rollout_reason: Option<String>,
}

/// A service event message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceEvent {
    #[serde(serialize_with = "tags::serialize_time")]
    pub at: Option<Timestamp>,
    pub message: String,
}

/// An ECS service as DescribeServices reports it, with its tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceState {
    pub name: String,
    pub arn: String,
    pub status: ServiceStatus,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub task_definition: String,
    pub deployments: Vec<Deployment>,
    /// Newest first.
    pub events: Vec<ServiceEvent>,
    pub tags: BTreeMap<String, String>,
    /// The service's awsvpc network configuration (`None` for other network modes).
    #[serde(skip)]
    pub network: Option<crate::config::Network>,
}

/// The one test fixture of a service: ACTIVE, 1/1 running, no deployments,
/// events or tags; tests change the fields they are about.
#[cfg(test)]
impl ServiceState {
    pub fn fixture(name: &str) -> ServiceState {
        ServiceState {
            name: name.into(),
            arn: format!("arn:aws:ecs:us-east-1:123456789012:service/dev/{name}"),
            status: ServiceStatus::Active,
            desired: 1,
            running: 1,
            pending: 0,
            task_definition: String::new(),
            deployments: vec![],
            events: vec![],
            tags: BTreeMap::new(),
            network: None,
        }
    }

    /// The same service with these tags.
    pub fn with_tags(mut self, tags: &[(&str, &str)]) -> ServiceState {
        self.tags
            .extend(tags.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
        self
    }
}

impl ServiceState {
    /// Tagged `dynroute:managed=true`.
    pub fn is_managed(&self) -> bool {
        tags::is_managed(&self.tags)
    }

    /// Neither deleted nor being deleted: the one definition of "live".
    pub fn is_live(&self) -> bool {
        self.status.is_live()
    }

    /// Still there, live or draining (a deleted service drains before it is gone).
    pub fn is_present(&self) -> bool {
        self.status != ServiceStatus::Inactive
    }

    /// The service and version from the tags (or, failing that, the name).
    pub fn identity(&self) -> Option<(ServiceName, Version)> {
        let from_tags = || {
            Some((
                self.tags.get(tags::SERVICE)?.parse().ok()?,
                self.tags.get(tags::VERSION)?.parse().ok()?,
            ))
        };
        from_tags().or_else(|| parse_resource_name(&self.name))
    }

    /// The PRIMARY deployment.
    pub fn primary(&self) -> Option<&Deployment> {
        self.deployments
            .iter()
            .find(|d| d.status == DeploymentStatus::Primary)
    }

    /// A tag's value.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.get(key).map(String::as_str)
    }

    /// When Traefik last counted a request for it, as the activity recorder
    /// wrote it (`dynroute:last-request`).
    pub fn last_request(&self) -> Option<Timestamp> {
        self.tag(tags::LAST_REQUEST).and_then(|v| v.parse().ok())
    }
}

/// A task that stopped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoppedTask {
    pub task_arn: String,
    pub task_definition: String,
    pub stopped_reason: Option<String>,
    /// `container: reason (exit code N)` per container that says something.
    pub containers: Vec<String>,
}

impl StoppedTask {
    /// One line for humans.
    pub fn summary(&self) -> String {
        let id = short_arn(&self.task_arn);
        let mut line = format!(
            "task {id}: {}",
            self.stopped_reason.as_deref().unwrap_or("stopped")
        );
        if !self.containers.is_empty() {
            line.push_str(&format!(" ({})", self.containers.join("; ")));
        }
        line
    }
}

/// The last part of an ARN: `family:revision` for a task definition, the name
/// for a service, the id for a task. The one shortening of ARNs for people.
pub fn short_arn(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Revision number of a task definition ARN (`…/family:7` → 7).
pub fn revision(task_definition_arn: &str) -> Option<u32> {
    task_definition_arn.rsplit(':').next()?.parse().ok()
}

/// Family of a task definition ARN (`…:task-definition/family:7` → `family`).
pub fn family(task_definition_arn: &str) -> Option<&str> {
    let tail = task_definition_arn.rsplit('/').next()?;
    Some(tail.rsplit_once(':').map_or(tail, |(f, _)| f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_definition_arns_split_into_family_and_revision() {
        let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/api--feature-1:12";
        assert_eq!(family(arn), Some("api--feature-1"));
        assert_eq!(revision(arn), Some(12));
        assert_eq!(family("api--x"), Some("api--x"));
        assert_eq!(short_arn(arn), "api--feature-1:12");
        assert_eq!(short_arn("api--x:3"), "api--x:3");
    }
}
