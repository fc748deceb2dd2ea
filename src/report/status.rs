//! `status`'s report: per service, the task definition, counts, rollouts,
//! recent events, stopped tasks' reasons and URLs.

use std::fmt;

use serde::Serialize;

use crate::engine::hooks::HookRecord;

use super::Report;
use crate::ecs::{Deployment, ServiceEvent, ServiceStatus, short_arn};
use crate::naming::Version;
use crate::routing::Tier;

/// One service of the version.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceStatusView {
    pub service: String,
    pub ecs_service: String,
    pub deployed: bool,
    pub managed: bool,
    pub status: Option<ServiceStatus>,
    pub task_definition: Option<String>,
    pub running: i32,
    pub desired: i32,
    pub pending: i32,
    pub deployments: Vec<Deployment>,
    pub events: Vec<ServiceEvent>,
    pub stopped_tasks: Vec<String>,
    pub urls: Vec<String>,
    /// Which tier answers a request for this version on this service.
    pub served_by: Tier,
    /// The version host and link lines.
    pub ways_in: Vec<String>,
    /// Each hook's last run for this service (from its tags).
    pub hooks: Vec<HookRecord>,
    /// When Traefik last counted a request for it (the activity recorder's tag).
    #[serde(serialize_with = "crate::naming::tags::serialize_time")]
    pub last_request: Option<jiff::Timestamp>,
}

/// The result of `status`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub version: Version,
    pub header: String,
    pub services: Vec<ServiceStatusView>,
    pub curl: Vec<String>,
}

impl Report for StatusReport {
    fn markdown(&self) -> Option<String> {
        Some(self.to_markdown())
    }
}

impl fmt::Display for StatusReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "version {}  ({})", self.version, self.header)?;
        for s in &self.services {
            writeln!(f)?;
            if !s.deployed {
                let tier = match &s.served_by {
                    Tier::Fallback(_) => ", a fallback tier",
                    _ => "",
                };
                writeln!(
                    f,
                    "{}: not deployed (requests fall back to {}{tier})",
                    s.ecs_service,
                    s.served_by.version()
                )?;
                continue;
            }
            writeln!(
                f,
                "{}: {} {}/{} running, {} pending{}{}",
                s.ecs_service,
                s.task_definition.as_deref().unwrap_or("-"),
                s.running,
                s.desired,
                s.pending,
                s.last_request
                    .map(|at| format!(", last request {}", crate::naming::tags::rfc3339(at)))
                    .unwrap_or_default(),
                if s.managed {
                    ""
                } else {
                    " (NOT managed by dynroute)"
                }
            )?;
            for d in &s.deployments {
                writeln!(
                    f,
                    "  deployment {} {}: {} {}/{}{}",
                    serde_plain(&d.status),
                    short_arn(&d.task_definition),
                    d.rollout_state.map_or("-", |r| r.as_str()),
                    d.running,
                    d.desired,
                    d.rollout_reason
                        .as_deref()
                        .map(|r| format!(" – {r}"))
                        .unwrap_or_default()
                )?;
            }
            for e in &s.events {
                let at = e.at.map(crate::naming::tags::rfc3339).unwrap_or_default();
                writeln!(f, "  {at} {}", e.message)?;
            }
            for t in &s.stopped_tasks {
                writeln!(f, "  stopped: {t}")?;
            }
            for h in &s.hooks {
                writeln!(f, "  hook {}", h.summary())?;
            }
            writeln!(f, "  url: {}", s.urls.join(" "))?;
            for line in &s.ways_in {
                writeln!(f, "  {line}")?;
            }
        }
        if let Some(curl) = self.curl.first() {
            writeln!(f, "\ntry: {curl}")?;
        }
        Ok(())
    }
}

/// A unit enum variant as its serialised name (`PRIMARY`).
fn serde_plain<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
