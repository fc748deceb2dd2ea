//! What ECS reports, in dynroute's terms (filled by `aws/`, read by commands).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::naming::{ServiceName, Version, parse_resource_name};
use crate::tags;

/// The lifecycle status of an ECS service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ServiceStatus {
    Active,
    Draining,
    Inactive,
}

impl ServiceStatus {
    pub fn parse(s: &str) -> ServiceStatus {
        match s {
            "ACTIVE" => ServiceStatus::Active,
            "DRAINING" => ServiceStatus::Draining,
            _ => ServiceStatus::Inactive,
        }
    }
}

/// One deployment of a service (ECS keeps the primary and the ones it replaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployment {
    pub id: String,
    /// `PRIMARY` for the newest, `ACTIVE` for ones being replaced.
    pub status: String,
    pub task_definition: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub failed: i32,
    /// `IN_PROGRESS`, `COMPLETED` or `FAILED` (circuit breaker deployments).
    pub rollout_state: Option<String>,
    pub rollout_reason: Option<String>,
}

/// A service event message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceEvent {
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
}

impl ServiceState {
    /// Tagged `dynroute:managed=true`.
    pub fn is_managed(&self) -> bool {
        tags::is_managed(&self.tags)
    }

    /// Neither deleted nor being deleted.
    pub fn is_live(&self) -> bool {
        self.status == ServiceStatus::Active
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
        self.deployments.iter().find(|d| d.status == "PRIMARY")
    }

    /// A tag's value.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.get(key).map(String::as_str)
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
        let id = self.task_arn.rsplit('/').next().unwrap_or(&self.task_arn);
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
    }
}
