//! One recording: read every Traefik replica's counters, compare each of the
//! project's services with the counts its `dynroute:requests` tag carries,
//! move `dynroute:last-request` where a counter grew (at most once per
//! [`RESOLUTION`](super::RESOLUTION)), then — only when every replica was
//! read and every write landed — advance the heartbeat. `serve` runs it every
//! `activity.every`; `dynroute activity record` once.

use std::time::Duration;

use async_trait::async_trait;
use futures::{StreamExt, stream};
use jiff::Timestamp;
use serde::Serialize;

use super::counters::{self, Change, Counts, PerReplica};
use super::heartbeat::{Heartbeat, elapsed};
use super::{Replica, holder, is_ours};
use crate::config::Project;
use crate::config::activity::Activity;
use crate::ecs::{Ecs, ServiceState};
use crate::error::{ExitKind, UserError};
use crate::naming::tags::{self, rfc3339};

/// At most this many tag writes in one recording; the rest wait for the
/// next one (and the heartbeat does not move until they are done).
pub const MAX_WRITES: usize = 500;
/// Tag writes in flight at once.
const WRITES_IN_FLIGHT: usize = 4;
/// How long one replica's metrics may take.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most one replica's metrics may weigh.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// Reads a replica's Prometheus text.
#[async_trait]
pub trait MetricsReader: Send + Sync {
    async fn read(&self, url: &str) -> anyhow::Result<String>;
}

/// Over HTTP, bounded in time and size.
pub struct HttpMetrics {
    client: reqwest::Client,
}

impl HttpMetrics {
    pub fn new() -> anyhow::Result<HttpMetrics> {
        let client = crate::tls::http_client()?
            .timeout(READ_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(HttpMetrics { client })
    }
}

#[async_trait]
impl MetricsReader for HttpMetrics {
    async fn read(&self, url: &str) -> anyhow::Result<String> {
        let mut response = self.client.get(url).send().await?;
        if !response.status().is_success() {
            anyhow::bail!("HTTP {}", response.status().as_u16());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > MAX_BODY {
                anyhow::bail!("more than {} MiB", MAX_BODY / (1024 * 1024));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(String::from_utf8_lossy(&body).into_owned())
    }
}

/// What one replica's reading gave.
#[derive(Debug, Clone, Serialize)]
pub struct ReplicaReading {
    pub key: String,
    pub url: String,
    /// The project's services this replica counted requests for.
    pub services: usize,
    /// Their requests, summed.
    pub requests: u64,
    /// Why it could not be read.
    pub error: Option<String>,
    /// A task being stopped: read while it answers, its failure no failure.
    pub stopping: bool,
}

/// The result of one recording.
#[derive(Debug, Clone, Serialize)]
pub struct Recording {
    #[serde(serialize_with = "tags::serialize_timestamp")]
    pub at: Timestamp,
    pub replicas: Vec<ReplicaReading>,
    /// Services whose `dynroute:last-request` moved to `at`.
    pub requested: Vec<String>,
    /// Services that had requests again within the resolution (their tag is
    /// already that recent).
    pub recent: Vec<String>,
    /// Services whose counts were rewritten after a replica's restart.
    pub resets: Vec<String>,
    /// Writes left for the next recording (over the per-recording bound).
    pub deferred: usize,
    /// The heartbeat written (none when a replica or a write failed).
    pub heartbeat: Option<Heartbeat>,
    /// The service that keeps it.
    pub holder: Option<String>,
}

impl Recording {
    /// The replicas that could not be read (one being stopped may go away).
    pub fn failed(&self) -> impl Iterator<Item = &ReplicaReading> {
        self.replicas
            .iter()
            .filter(|r| r.error.is_some() && !r.stopping)
    }
}

/// One recording at `now` over `services` (the project's listing).
pub async fn record(
    ecs: &dyn Ecs,
    reader: &dyn MetricsReader,
    project: &Project,
    activity: &Activity,
    services: &[ServiceState],
    now: Timestamp,
) -> anyhow::Result<Recording> {
    let replicas = super::replicas(ecs, activity).await?;
    let readings: Vec<(Replica, Result<Counts, String>)> =
        stream::iter(replicas.into_iter().map(|replica| async move {
            let counts = match reader.read(&replica.url).await {
                Ok(text) => counters::parse(&text),
                Err(err) => Err(crate::error::chain_text(&err)),
            };
            (replica, counts)
        }))
        .buffered(crate::config::activity::MAX_REPLICAS)
        .collect()
        .await;

    let ours: Vec<&ServiceState> = services
        .iter()
        // A draining service is on its way out: nothing to record on it.
        .filter(|s| is_ours(s, project) && s.is_live())
        .collect();
    let mut report = Recording {
        at: now,
        replicas: Vec::new(),
        requested: Vec::new(),
        recent: Vec::new(),
        resets: Vec::new(),
        deferred: 0,
        heartbeat: None,
        holder: None,
    };
    for (replica, counts) in &readings {
        let (services, requests, error) = match counts {
            Ok(counts) => {
                let mine: Vec<u64> = ours
                    .iter()
                    .filter_map(|s| counts.get(&s.name).copied())
                    .collect();
                (mine.len(), mine.iter().sum(), None)
            }
            Err(e) => (0, 0, Some(e.clone())),
        };
        report.replicas.push(ReplicaReading {
            key: replica.key.clone(),
            url: replica.url.clone(),
            services,
            requests,
            error,
            stopping: replica.stopping,
        });
    }

    // What to write on each service.
    let mut writes: Vec<(&ServiceState, Vec<(String, String)>)> = Vec::new();
    for s in &ours {
        let stored = s
            .tag(tags::REQUESTS)
            .map(counters::parse_tag)
            .unwrap_or_default();
        let mut current: PerReplica = PerReplica::new();
        let mut read_all = true;
        for (replica, counts) in &readings {
            match counts {
                Ok(counts) => {
                    current.insert(
                        replica.key.clone(),
                        counts.get(&s.name).copied().unwrap_or(0),
                    );
                }
                Err(_) => read_all = false,
            }
        }
        let mut next = current.clone();
        if !read_all {
            // A replica not read keeps the count it had.
            for (key, count) in &stored {
                if !current.contains_key(key)
                    && readings.iter().any(|(r, c)| &r.key == key && c.is_err())
                {
                    next.insert(key.clone(), *count);
                }
            }
        }
        match counters::change(&stored, &current) {
            Change::Same => {}
            Change::Grew => {
                let recent = s
                    .last_request()
                    .is_some_and(|at| at <= now && elapsed(at, now) < super::RESOLUTION);
                if recent {
                    report.recent.push(s.name.clone());
                } else {
                    report.requested.push(s.name.clone());
                    writes.push((
                        s,
                        vec![
                            (tags::LAST_REQUEST.to_owned(), rfc3339(now)),
                            (tags::REQUESTS.to_owned(), counters::tag(&next)),
                        ],
                    ));
                }
            }
            Change::Reset => {
                report.resets.push(s.name.clone());
                writes.push((s, vec![(tags::REQUESTS.to_owned(), counters::tag(&next))]));
            }
        }
    }
    report.requested.sort();
    report.recent.sort();
    report.resets.sort();
    // Over the bound, the services whose recorded last request is oldest (or
    // missing) go first: they are the ones that would look idle.
    writes.sort_by_key(|(s, _)| s.last_request());
    report.deferred = writes.len().saturating_sub(MAX_WRITES);
    writes.truncate(MAX_WRITES);
    if report.deferred > 0 {
        let kept: Vec<&str> = writes.iter().map(|(s, _)| s.name.as_str()).collect();
        report.requested.retain(|n| kept.contains(&n.as_str()));
        report.resets.retain(|n| kept.contains(&n.as_str()));
    }
    let results: Vec<anyhow::Result<()>> = stream::iter(
        writes
            .iter()
            .map(|(s, pairs)| ecs.tag_resource(&s.arn, pairs)),
    )
    .buffer_unordered(WRITES_IN_FLIGHT)
    .collect()
    .await;
    if let Some(err) = results.into_iter().find_map(Result::err) {
        return Err(err.context("writing the activity tags"));
    }

    let every_replica = report.failed().next().is_none();
    if every_replica && report.deferred == 0 {
        let Some(holder) = holder(services, project) else {
            return Err(UserError::new(ExitKind::Failure, format!(
                "no live service of a protected version of project {} to keep the activity heartbeat on",
                project.project
            ))
            .hint(format!(
                "deploy {} (or a version listed under `protected:`) with dynroute; the last requests were recorded",
                project.main_version
            ))
            .into());
        };
        let previous = super::heartbeat(services, project);
        let mut keys: Vec<String> = (readings.iter())
            .filter(|(_, counts)| counts.is_ok())
            .map(|(r, _)| r.key.clone())
            .collect();
        keys.sort();
        let beat = Heartbeat::after(previous.as_ref(), now, keys, activity.max_gap);
        ecs.tag_resource(&holder.arn, &[(tags::ACTIVITY.to_owned(), beat.tag())])
            .await
            .map_err(|e| e.context("writing the activity heartbeat"))?;
        report.heartbeat = Some(beat);
        report.holder = Some(holder.name.clone());
    }
    Ok(report)
}
