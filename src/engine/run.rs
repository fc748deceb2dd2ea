//! `dynroute run`: a one-off ECS task from a version's registered task
//! definition (the one its service runs), the container's command replaced, on
//! the service's network and placement, tagged as managed. Its `awslogs`
//! output is streamed while it runs; the result is the container's exit code.
//! Ctrl-C stops the task (StopTask) before dynroute exits 130.

use std::time::Duration;

use serde_json::Value;

use super::logs::{LineSink, LogLine};
use super::poller::Poller;
use crate::ecs::logs::{LogReader, Seen};
use crate::ecs::{Ecs, OneOffState, OneOffTask, short_arn};
use crate::error::{ExitKind, UserError};

/// `startedBy` of the tasks `run` starts.
pub const STARTED_BY: &str = "dynroute-run";

/// Where a one-off task came from and what it runs.
pub struct RunSpec<'a> {
    /// Whose task definition it is (`SERVICE--VERSION`), for messages and log lines.
    pub name: &'a str,
    /// The revision to run (a service's, or one kept for its `after_down` hooks).
    pub task_definition: &'a str,
    /// The service's network; left out for a task definition that is not awsvpc.
    pub network: Option<&'a crate::config::Network>,
    pub container: &'a str,
    pub command: &'a [String],
    pub placement: &'a crate::config::Placement,
    pub tags: &'a [(String, String)],
    /// The region for the container's logs when its `awslogs-region` is unset.
    pub region: &'a str,
    /// `startedBy`: [`STARTED_BY`] for `run`, the hooks' own for a hook.
    pub started_by: &'a str,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// The container exited with this code.
    Exited(i32),
    /// The task stopped for another reason (image pull, OOM, placement).
    Failed(String),
}

/// The container's awslogs group, region and stream prefix, from the task definition.
fn awslogs(document: &Value, container: &str, region: &str) -> Option<(String, String, String)> {
    let c = document["taskDefinition"]["containerDefinitions"]
        .as_array()?
        .iter()
        .find(|c| c["name"] == container)?;
    let options = &c["logConfiguration"]["options"];
    if c["logConfiguration"]["logDriver"] != "awslogs" {
        return None;
    }
    Some((
        options["awslogs-group"].as_str()?.to_owned(),
        options["awslogs-region"]
            .as_str()
            .unwrap_or(region)
            .to_owned(),
        options["awslogs-stream-prefix"].as_str()?.to_owned(),
    ))
}

/// The containers of a task definition document.
pub fn containers(document: &Value) -> Vec<String> {
    document["taskDefinition"]["containerDefinitions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_owned))
        .collect()
}

/// Starts the task; returns its ARN and the task definition document.
pub async fn start(ecs: &dyn Ecs, spec: &RunSpec<'_>) -> anyhow::Result<(String, Value)> {
    let document = ecs
        .task_definition_document(spec.task_definition)
        .await?
        .ok_or_else(|| {
            UserError::new(
                ExitKind::Failure,
                format!(
                    "the task definition {} of {} is gone",
                    spec.task_definition, spec.name
                ),
            )
        })?;
    let names = containers(&document);
    if !names.iter().any(|n| n == spec.container) {
        return Err(UserError::usage(format!(
            "{} has no container `{}`",
            short_arn(spec.task_definition),
            spec.container
        ))
        .hint(format!(
            "its containers: {} (pass --container NAME)",
            names.join(", ")
        ))
        .into());
    }
    // ECS refuses a networkConfiguration for bridge, host and none.
    let awsvpc = document["taskDefinition"]["networkMode"] == "awsvpc";
    let arn = ecs
        .run_task(&OneOffTask {
            task_definition: spec.task_definition,
            container: spec.container,
            command: spec.command,
            placement: spec.placement,
            network: spec.network.filter(|_| awsvpc),
            tags: spec.tags,
            started_by: spec.started_by,
        })
        .await?;
    Ok((arn, document))
}

/// How a stopped task ended.
fn ended(state: &OneOffState) -> Ended {
    match (state.stop_code.as_deref(), state.exit_code) {
        (Some("EssentialContainerExited") | Some("UserInitiated"), Some(code)) => {
            Ended::Exited(code)
        }
        _ => Ended::Failed(
            state
                .container_reason
                .clone()
                .or_else(|| state.stopped_reason.clone())
                .unwrap_or_else(|| "the task stopped without an exit code".to_owned()),
        ),
    }
}

/// Waits until the task stops, streaming its container's output to `sink`;
/// Ctrl-C or the deadline stops it first.
#[allow(clippy::too_many_arguments)]
pub async fn follow(
    ecs: &dyn Ecs,
    logs: &dyn LogReader,
    spec: &RunSpec<'_>,
    arn: &str,
    document: &Value,
    poller: Poller,
    timeout: Duration,
    sink: &mut dyn LineSink,
) -> anyhow::Result<Ended> {
    let source = awslogs(document, spec.container, spec.region);
    let task_id = short_arn(arn).to_owned();
    let mut seen = Seen::default();
    let read = async |seen: &mut Seen, sink: &mut dyn LineSink| -> anyhow::Result<()> {
        let Some((group, region, prefix)) = &source else {
            return Ok(());
        };
        let stream = format!("{prefix}/{}/{task_id}", spec.container);
        let start = seen.last.unwrap_or(0);
        let events = logs
            .events(region, group, std::slice::from_ref(&stream), start)
            .await
            .unwrap_or_default();
        let fresh = seen.fresh(events.into_iter().map(|e| ((), e)).collect());
        let lines: Vec<LogLine> = fresh
            .into_iter()
            .map(|((), e)| LogLine {
                timestamp: jiff::Timestamp::from_millisecond(e.timestamp)
                    .map(|t| format!("{t:.3}"))
                    .unwrap_or_else(|_| e.timestamp.to_string()),
                service: spec.name.to_owned(),
                task: task_id.clone(),
                container: spec.container.to_owned(),
                message: e.message,
            })
            .collect();
        sink.lines(&lines)
    };
    let deadline = tokio::time::Instant::now() + timeout;
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    let _stops = super::interrupt::StopsItsTask::new();
    // Short tasks (a migration, a hook) end within seconds: the first polls
    // come sooner than the interval.
    let mut round = 0;
    loop {
        let state = ecs.one_off_state(arn, spec.container).await?;
        read(&mut seen, sink).await?;
        match state {
            Some(s) if s.last_status == "STOPPED" => {
                // The last lines can land after the stop.
                read(&mut seen, sink).await?;
                return Ok(ended(&s));
            }
            None => return Ok(Ended::Failed("ECS no longer knows the task".to_owned())),
            Some(_) => {}
        }
        if tokio::time::Instant::now() >= deadline {
            ecs.stop_task(arn, "dynroute run: --timeout reached")
                .await?;
            return Err(UserError::new(
                ExitKind::TimedOut,
                format!(
                    "the task {task_id} still ran after {}; stopped it",
                    humantime::format_duration(timeout)
                ),
            )
            .hint("pass a longer --timeout, or --detach to leave it running")
            .into());
        }
        tokio::select! {
            _ = poller.tick_ramping(round) => round += 1,
            _ = &mut ctrl_c => {
                ecs.stop_task(arn, "dynroute run: interrupted (Ctrl-C)").await?;
                return Err(UserError::new(ExitKind::Interrupted, format!("interrupted: stopped the task {task_id}")).into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stopped(code: Option<&str>, exit: Option<i32>, reason: Option<&str>) -> OneOffState {
        OneOffState {
            last_status: "STOPPED".into(),
            stop_code: code.map(str::to_owned),
            stopped_reason: Some("Essential container in task exited".into()),
            exit_code: exit,
            container_reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn a_container_that_exited_gives_its_code_and_anything_else_the_reason() {
        assert_eq!(
            ended(&stopped(Some("EssentialContainerExited"), Some(3), None)),
            Ended::Exited(3)
        );
        assert_eq!(
            ended(&stopped(Some("UserInitiated"), Some(143), None)),
            Ended::Exited(143)
        );
        assert_eq!(
            ended(&stopped(
                Some("TaskFailedToStart"),
                None,
                Some("CannotPullContainerError: pull access denied")
            )),
            Ended::Failed("CannotPullContainerError: pull access denied".into())
        );
        // Out of memory: ECS stops the task; the container's reason says why.
        assert_eq!(
            ended(&stopped(
                Some("EssentialContainerExited"),
                None,
                Some("OutOfMemoryError: Container killed due to memory usage")
            )),
            Ended::Failed("OutOfMemoryError: Container killed due to memory usage".into())
        );
    }

    #[test]
    fn the_log_stream_comes_from_the_container_s_awslogs_options() {
        let doc = serde_json::json!({"taskDefinition": {"containerDefinitions": [
            {"name": "api", "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/api", "awslogs-stream-prefix": "v1"}}},
            {"name": "sidecar", "logConfiguration": {"logDriver": "json-file"}}
        ]}});
        assert_eq!(
            awslogs(&doc, "api", "eu-west-1"),
            Some(("/ecs/api".into(), "eu-west-1".into(), "v1".into()))
        );
        assert_eq!(awslogs(&doc, "sidecar", "eu-west-1"), None);
        assert_eq!(containers(&doc), ["api", "sidecar"]);
    }
}
