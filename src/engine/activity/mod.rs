//! Which versions are used, from the proxy that already sees every request:
//! Traefik's request counters, read from every replica (`counters`), turned
//! into a `dynroute:last-request` tag per service by the recorder
//! (`recorder`: `serve` every `activity.every`, or `dynroute activity record`
//! from a scheduled job), with a heartbeat (`heartbeat`) that says whether the
//! recorder watched a whole window. `prune --idle` removes a version only
//! inside a watched window (`idle`).

pub mod counters;
pub mod heartbeat;
pub mod idle;
pub mod recorder;

use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::config::Project;
use crate::config::activity::{Activity, Replicas};
use crate::ecs::{Ecs, ServiceState};
use crate::error::{ExitKind, UserError};
use crate::naming::tags;
pub use heartbeat::{Heartbeat, Uncovered};

/// A service's `dynroute:last-request` is rewritten at most this often:
/// the recorder's writes stay few, and the tag is this close to the truth
/// (`prune --idle` allows for it).
pub const RESOLUTION: Duration = Duration::from_secs(5 * 60);

/// One Traefik replica: its metrics URL and the short key its counts are
/// kept under (the first 8 hex digits of the URL's SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Replica {
    pub key: String,
    pub url: String,
    /// A task being stopped: read while it still answers (its last requests
    /// count), never a reason for a recording to fail.
    pub stopping: bool,
}

impl Replica {
    pub fn new(url: &str) -> Replica {
        let digest = Sha256::digest(url.as_bytes());
        let key = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        Replica {
            key,
            url: url.to_owned(),
            stopping: false,
        }
    }
}

/// The replicas to read: the listed URLs, or each running task of Traefik's
/// ECS service at its private address.
pub async fn replicas(ecs: &dyn Ecs, activity: &Activity) -> anyhow::Result<Vec<Replica>> {
    match &activity.replicas {
        Replicas::Listed(urls) => Ok(urls.iter().map(|u| Replica::new(u)).collect()),
        Replicas::Ecs {
            service,
            port,
            path,
        } => {
            let tasks = ecs.task_addresses(service).await?;
            // A replica left unread would hide its requests: all, or an error.
            if let Some(blind) = tasks.iter().find(|t| t.address.is_none() && !t.stopping) {
                return Err(UserError::new(
                    ExitKind::Failure,
                    format!(
                        "activity.traefik_service {service}: task {} has no private address to read its metrics at",
                        crate::ecs::short_arn(&blind.arn)
                    ),
                )
                .hint("run Traefik with awsvpc networking (its tasks then have one), or list its replicas under activity.metrics")
                .into());
            }
            let mut found: Vec<Replica> = tasks
                .iter()
                .filter_map(|t| {
                    let ip = t.address.as_deref()?;
                    let replica = Replica::new(&format!("http://{ip}:{port}{path}"));
                    Some(Replica {
                        stopping: t.stopping,
                        ..replica
                    })
                })
                .collect();
            // Running tasks first; the ones being stopped as far as there is
            // room (each replica's count is kept in one tag value).
            found.sort_by_key(|r| r.stopping);
            let running = found.iter().filter(|r| !r.stopping).count();
            found.truncate(crate::config::activity::MAX_REPLICAS.max(running));
            if running > crate::config::activity::MAX_REPLICAS {
                return Err(UserError::new(
                    ExitKind::Failure,
                    format!(
                        "activity.traefik_service {service}: {running} running tasks, more than the {} replicas the recorder reads",
                        crate::config::activity::MAX_REPLICAS
                    ),
                )
                .hint("run fewer, larger Traefik tasks, or split the cluster")
                .into());
            }
            if found.iter().all(|r| r.stopping) {
                return Err(UserError::new(ExitKind::Failure, format!(
                    "activity.traefik_service {service}: no running task with a private address, so no Traefik replica to read"
                ))
                .hint("check the service's name and that Traefik runs with awsvpc networking; or list the replicas' URLs under activity.metrics")
                .into());
            }
            Ok(found)
        }
    }
}

/// The keys a recording must have read for `prune --idle` to trust it: the
/// listed replicas (found-through-ECS replicas change with their tasks).
pub fn expected_keys(activity: &Activity) -> Vec<String> {
    match &activity.replicas {
        Replicas::Listed(urls) => urls.iter().map(|u| Replica::new(u).key).collect(),
        Replicas::Ecs { .. } => Vec::new(),
    }
}

/// Whether `s` is a managed, present service of `project` (what the
/// recorder may tag).
fn is_ours(s: &ServiceState, project: &Project) -> bool {
    s.is_managed() && s.tag(tags::PROJECT) == Some(project.project.as_str())
}

/// The project's heartbeat: the newest among its services' tags.
pub fn heartbeat<'a>(
    services: impl IntoIterator<Item = &'a ServiceState>,
    project: &Project,
) -> Option<Heartbeat> {
    services
        .into_iter()
        .filter(|s| is_ours(s, project))
        .filter_map(|s| s.tag(tags::ACTIVITY).and_then(Heartbeat::parse))
        .max_by_key(|h| h.last)
}

/// The service that keeps the heartbeat: a live service of a protected
/// version (main first), preferring the one that keeps it already.
pub fn holder<'a>(services: &'a [ServiceState], project: &Project) -> Option<&'a ServiceState> {
    let mut candidates: Vec<&ServiceState> = services
        .iter()
        .filter(|s| is_ours(s, project) && s.is_live())
        .filter(|s| version_of(s).is_some_and(|v| project.is_protected(&v)))
        .collect();
    candidates.sort_by_key(|s| {
        (
            s.tag(tags::ACTIVITY).is_none(),
            version_of(s).as_ref() != Some(&project.main_version),
            s.name.clone(),
        )
    });
    candidates.into_iter().next()
}

fn version_of(s: &ServiceState) -> Option<crate::naming::Version> {
    match s.tag(tags::VERSION) {
        Some(v) => v.parse().ok(),
        None => crate::naming::parse_resource_name(&s.name).map(|(_, v)| v),
    }
}
