//! The fake's one-off tasks (RunTask): each stops at once with the exit code
//! [`FakeEcs::exit_when`] chose for its command, and its `awslogs` stream
//! holds `$ COMMAND` then `exit N`.

use async_trait::async_trait;

use super::{FakeEcs, State};
use crate::ecs::logs::{LogEvent, LogReader};
use crate::ecs::{OneOffState, OneOffTask, short_arn};

/// A one-off task the fake started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOff {
    pub arn: String,
    pub task_definition: String,
    pub container: String,
    pub command: Vec<String>,
    pub tags: Vec<(String, String)>,
    pub started_by: String,
}

/// Records a started task; its ARN.
pub(super) fn start(s: &mut State, task: &OneOffTask<'_>, cluster_arn: &str) -> String {
    let arn = format!("{cluster_arn}:task/dev/0ff{:013x}", s.one_offs.len());
    s.one_offs.push(OneOff {
        arn: arn.clone(),
        task_definition: task.task_definition.to_owned(),
        container: task.container.to_owned(),
        command: task.command.to_vec(),
        tags: task.tags.to_vec(),
        started_by: task.started_by.to_owned(),
    });
    arn
}

/// A started task as DescribeTasks answers it: stopped, with its exit code.
pub(super) fn state(s: &State, arn: &str) -> Option<OneOffState> {
    let task = s.one_offs.iter().find(|t| t.arn == arn)?;
    Some(OneOffState {
        last_status: "STOPPED".into(),
        stop_code: Some("EssentialContainerExited".into()),
        stopped_reason: Some("Essential container in task exited".into()),
        exit_code: Some(exit_of(s, task)),
        container_reason: None,
    })
}

/// The exit code a task's command gets: the last matching rule, else 0.
fn exit_of(s: &State, task: &OneOff) -> i32 {
    let command = task.command.join(" ");
    (s.exits.iter().rev())
        .find(|(text, _)| command.contains(text.as_str()))
        .map_or(0, |(_, code)| *code)
}

/// The one-off tasks' output: `$ COMMAND` then `exit N`, in each task's
/// `awslogs` stream (`PREFIX/CONTAINER/TASK`).
#[async_trait]
impl LogReader for FakeEcs {
    async fn events(
        &self,
        _region: &str,
        _group: &str,
        streams: &[String],
        start_ms: i64,
    ) -> anyhow::Result<Vec<LogEvent>> {
        Ok(self.with(|s| {
            let mut events = Vec::new();
            for (n, task) in s.one_offs.iter().enumerate() {
                let id = short_arn(&task.arn);
                let Some(stream) = streams
                    .iter()
                    .find(|st| st.ends_with(&format!("/{}/{id}", task.container)))
                else {
                    continue;
                };
                let command = task.command.join(" ");
                let code = exit_of(s, task);
                for (i, message) in [format!("$ {command}"), format!("exit {code}")]
                    .into_iter()
                    .enumerate()
                {
                    let timestamp = 1_000 * (n as i64 + 1) + i as i64;
                    if timestamp >= start_ms {
                        events.push(LogEvent {
                            event_id: format!("{id}-{i}"),
                            stream: stream.clone(),
                            timestamp,
                            message,
                        });
                    }
                }
            }
            events
        }))
    }
}
