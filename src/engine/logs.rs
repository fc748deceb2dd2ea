//! `logs`: which log streams hold a version's container output (its services'
//! tasks × the `awslogs` containers of the task definition each task runs),
//! one read of all of them interleaved by time, and `--follow`, which polls
//! with the [`Poller`], backing off while nothing comes.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use super::poller::Poller;
use crate::ecs::Ecs;
use crate::ecs::logs::{LogEvent, LogReader, LogSource, NotLogged, Seen, sources_of};
use crate::error::{ExitKind, UserError};
use crate::naming::Version;

/// The longest wait between two polls of `--follow` when nothing new comes.
pub const MAX_FOLLOW_WAIT: Duration = Duration::from_secs(15);

/// One log line of a version.
#[derive(Debug, Clone, Serialize)]
pub struct LogLine {
    /// RFC 3339, milliseconds.
    pub timestamp: String,
    pub service: String,
    pub task: String,
    pub container: String,
    pub message: String,
}

/// Where `--follow` hands each poll's new lines (printed as they come).
pub trait LineSink {
    fn lines(&mut self, lines: &[LogLine]) -> anyhow::Result<()>;
}

/// One group's streams to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupQuery {
    pub region: String,
    pub group: String,
    pub streams: Vec<String>,
}

/// Who wrote a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamOwner {
    pub service: String,
    pub task: String,
    pub container: String,
}

/// Where a version's logs are.
#[derive(Debug, Clone, Default)]
pub struct Streams {
    pub groups: Vec<GroupQuery>,
    pub owners: BTreeMap<String, StreamOwner>,
    /// Containers whose logs cannot be read, per service.
    pub not_logged: Vec<(String, NotLogged)>,
    /// Tasks found (after the `--task` filter).
    pub tasks: usize,
}

/// Task definitions already described, by ARN (they never change).
pub type Documents = BTreeMap<String, Option<Value>>;

/// The streams of `services` (`(service, ECS service)`), only of the tasks
/// whose ID starts with one of `tasks` when any are given.
pub async fn streams(
    ecs: &dyn Ecs,
    services: &[(String, String)],
    tasks: &[String],
    default_region: &str,
    documents: &mut Documents,
) -> anyhow::Result<Streams> {
    let mut out = Streams::default();
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (service, ecs_service) in services {
        for task in ecs.service_tasks(ecs_service).await? {
            let id = task.id().to_owned();
            if !tasks.is_empty() && !tasks.iter().any(|t| id.starts_with(t.as_str())) {
                continue;
            }
            out.tasks += 1;
            if !documents.contains_key(&task.task_definition) {
                let doc = ecs.task_definition_document(&task.task_definition).await?;
                documents.insert(task.task_definition.clone(), doc);
            }
            let Some(Some(doc)) = documents.get(&task.task_definition) else {
                continue;
            };
            let (sources, missing) = sources_of(doc, default_region);
            for m in missing {
                if !out
                    .not_logged
                    .iter()
                    .any(|(s, n)| s == service && n.container == m.container)
                {
                    out.not_logged.push((service.clone(), m));
                }
            }
            for LogSource {
                container,
                group,
                region,
                stream_prefix,
            } in sources
            {
                let stream = format!("{stream_prefix}/{container}/{id}");
                out.owners.insert(
                    stream.clone(),
                    StreamOwner {
                        service: service.clone(),
                        task: id.clone(),
                        container,
                    },
                );
                groups.entry((region, group)).or_default().push(stream);
            }
        }
    }
    out.groups = groups
        .into_iter()
        .map(|((region, group), streams)| GroupQuery {
            region,
            group,
            streams,
        })
        .collect();
    Ok(out)
}

/// Every event of `streams` from `start_ms` on, with the stream's owner.
pub async fn read(
    reader: &dyn LogReader,
    streams: &Streams,
    start_ms: i64,
) -> anyhow::Result<Vec<(StreamOwner, LogEvent)>> {
    let mut events = Vec::new();
    for q in &streams.groups {
        for e in reader
            .events(&q.region, &q.group, &q.streams, start_ms)
            .await?
        {
            if let Some(owner) = streams.owners.get(&e.stream) {
                events.push((owner.clone(), e));
            }
        }
    }
    events.sort_by_key(|(_, e)| e.timestamp);
    Ok(events)
}

/// Says which containers cannot be read (the warnings) and fails when nothing
/// can: no task of the version, or no container that logs to CloudWatch Logs.
pub fn explain(
    version: &Version,
    tasks: &[String],
    found: &Streams,
) -> Result<Vec<String>, UserError> {
    if found.tasks == 0 {
        let what = if tasks.is_empty() {
            format!("version `{version}` has no running or recently stopped tasks")
        } else {
            format!("version `{version}` has no task {}", tasks.join(", "))
        };
        return Err(UserError::new(ExitKind::Failure, what)
            .hint("`dynroute status VERSION` shows its services and tasks"));
    }
    let reasons: Vec<String> = found
        .not_logged
        .iter()
        .map(|(service, n)| format!("{service}: container `{}`: {}", n.container, n.why))
        .collect();
    if found.groups.is_empty() {
        return Err(UserError::new(
            ExitKind::Failure,
            format!(
                "no container of version `{version}` logs to CloudWatch Logs:\n  {}",
                reasons.join("\n  ")
            ),
        )
        .hint("give the containers a logConfiguration with logDriver awslogs, awslogs-group and awslogs-stream-prefix in their templates"));
    }
    Ok(reasons
        .into_iter()
        .map(|r| format!("not shown: {r}"))
        .collect())
}

/// Reads a version's logs: once, or again and again with `--follow`.
pub struct Follower<'a> {
    pub ecs: &'a dyn Ecs,
    pub reader: &'a dyn LogReader,
    /// `(service, ECS service)` of the services that run the version.
    pub services: Vec<(String, String)>,
    /// `--task` prefixes (empty: every task).
    pub tasks: Vec<String>,
    pub region: String,
    pub start_ms: i64,
    documents: Documents,
    seen: Seen,
}

impl<'a> Follower<'a> {
    pub fn new(
        ecs: &'a dyn Ecs,
        reader: &'a dyn LogReader,
        services: Vec<(String, String)>,
        tasks: Vec<String>,
        region: String,
        start_ms: i64,
    ) -> Follower<'a> {
        Follower {
            ecs,
            reader,
            services,
            tasks,
            region,
            start_ms,
            documents: Documents::new(),
            seen: Seen::default(),
        }
    }

    /// Where the logs are now (tasks come and go: asked again every round).
    pub async fn streams(&mut self) -> anyhow::Result<Streams> {
        streams(
            self.ecs,
            &self.services,
            &self.tasks,
            &self.region,
            &mut self.documents,
        )
        .await
    }

    /// The lines of `found` not shown yet.
    pub async fn read_new(&mut self, found: &Streams) -> anyhow::Result<Vec<LogLine>> {
        let from = self.seen.last.unwrap_or(self.start_ms);
        let events = read(self.reader, found, from).await?;
        Ok(self.seen.fresh(events).into_iter().map(line).collect())
    }

    /// Polls until interrupted: every round finds the streams again and hands
    /// the new lines to `sink`; while nothing comes the pause doubles, up to
    /// [`MAX_FOLLOW_WAIT`] (or the poll interval, when that is longer).
    pub async fn follow(&mut self, poller: Poller, sink: &mut dyn LineSink) -> anyhow::Result<()> {
        let mut idle = 0;
        let longest = MAX_FOLLOW_WAIT.max(poller.interval);
        while poller.tick_backing_off(idle, longest).await.is_ok() {
            let found = self.streams().await?;
            let new = self.read_new(&found).await?;
            idle = if new.is_empty() { idle + 1 } else { 0 };
            sink.lines(&new)?;
        }
        Ok(())
    }
}

fn line((owner, event): (StreamOwner, LogEvent)) -> LogLine {
    let timestamp = jiff::Timestamp::from_millisecond(event.timestamp)
        .map(|t| format!("{t:.3}"))
        .unwrap_or_else(|_| event.timestamp.to_string());
    LogLine {
        timestamp,
        service: owner.service,
        task: owner.task,
        container: owner.container,
        message: event.message,
    }
}
