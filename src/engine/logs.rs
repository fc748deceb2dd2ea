//! `logs`: which log streams hold a version's container output (its services'
//! tasks × the `awslogs` containers of the task definition each task runs),
//! and one read of all of them, interleaved by time.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::ecs::Ecs;
use crate::ecs::logs::{LogEvent, LogReader, LogSource, NotLogged, sources_of};

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
