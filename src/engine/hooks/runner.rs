//! Running hooks: one-off tasks started and followed the way `dynroute run`
//! does (same network, placement and tags), one after the other, stopping at
//! the first that fails, each one's last log lines kept.

use std::collections::VecDeque;
use std::time::Duration;

use jiff::Timestamp;

use super::record::{HookRun, HookStatus};
use super::{HookTask, STARTED_BY, TAIL_LINES};
use crate::config::{Network, Placement, Project};
use crate::ecs::logs::LogReader;
use crate::ecs::{Ecs, short_arn};
use crate::engine::logs::{LineSink, LogLine};
use crate::engine::poller::Poller;
use crate::engine::progress::Progress;
use crate::engine::run::{Ended, RunSpec, follow, start};
use crate::error::{ExitKind, chain_text};
use crate::naming::{Version, tags};

/// Where and how hook tasks run.
pub struct Runner<'a> {
    pub ecs: &'a dyn Ecs,
    pub logs: &'a dyn LogReader,
    /// For the containers' logs when their `awslogs-region` is unset.
    pub region: &'a str,
    pub network: Option<&'a Network>,
    pub placement: &'a Placement,
    pub project: &'a crate::naming::ProjectName,
    pub poll: Duration,
}

/// Keeps the last [`TAIL_LINES`] lines and shows each one with `-v`.
struct Tail<'p> {
    label: String,
    lines: VecDeque<String>,
    progress: &'p mut dyn Progress,
}

impl LineSink for Tail<'_> {
    fn lines(&mut self, lines: &[LogLine]) -> anyhow::Result<()> {
        for line in lines {
            self.progress
                .detail(&format!("{}: {}", self.label, line.message));
            if self.lines.len() == TAIL_LINES {
                self.lines.pop_front();
            }
            self.lines.push_back(line.message.clone());
        }
        Ok(())
    }
}

impl<'a> Runner<'a> {
    /// Hook tasks of `version` on `project`'s network and the placement of
    /// that version, their output read with `logs`.
    pub fn new(
        ecs: &'a dyn Ecs,
        logs: &'a dyn LogReader,
        region: &'a str,
        project: &'a Project,
        version: &Version,
        poll: Duration,
    ) -> Runner<'a> {
        Runner {
            ecs,
            logs,
            region,
            network: project.network.as_ref(),
            placement: project.placement_for(version),
            project: &project.project,
            poll,
        }
    }

    /// Runs one hook to its end. A hook that cannot start, stops without an
    /// exit code or outlives its timeout is a failed run, not an error; an
    /// error is AWS failing (or Ctrl-C, which stops the task first).
    pub async fn run(
        &self,
        task: &HookTask<'_>,
        progress: &mut dyn Progress,
    ) -> anyhow::Result<HookRun> {
        let hook = task.hook;
        let command = task.command(self.project);
        let tag_list: Vec<(String, String)> = vec![
            (tags::MANAGED.to_owned(), "true".to_owned()),
            (tags::PROJECT.to_owned(), self.project.to_string()),
            (tags::SERVICE.to_owned(), hook.service.to_string()),
            (tags::VERSION.to_owned(), task.version.to_string()),
            (
                "dynroute:hook".to_owned(),
                format!("{}.{}", hook.phase, hook.index),
            ),
        ];
        let spec = RunSpec {
            name: &task.ecs_name,
            task_definition: &task.task_definition,
            network: self.network,
            container: &task.container,
            command: &command,
            placement: self.placement,
            tags: &tag_list,
            region: self.region,
            started_by: STARTED_BY,
        };
        let mut run = HookRun {
            phase: hook.phase,
            index: hook.index,
            service: hook.service.clone(),
            command: command.clone(),
            status: HookStatus::Failed,
            task: None,
            exit_code: None,
            stopped_reason: None,
            at: Some(Timestamp::now()),
            log_tail: Vec::new(),
        };
        progress.info(&format!(
            "hook {}: running `{}` from {}",
            hook.label(),
            command.join(" "),
            short_arn(&task.task_definition)
        ));
        let (arn, document) = match start(self.ecs, &spec).await {
            Ok(started) => started,
            // ECS refused the task (no capacity, a bad override): the hook failed.
            Err(err) if crate::ecs::Refused::is_cause_of(&err) => {
                run.stopped_reason = Some(format!("RunTask was refused: {}", chain_text(&err)));
                return Ok(run);
            }
            Err(err) => return Err(err),
        };
        run.task = Some(short_arn(&arn).to_owned());
        let mut tail = Tail {
            label: format!("hook {}", hook.label()),
            lines: VecDeque::new(),
            progress,
        };
        let poller = Poller::unbounded(self.poll);
        let ended = follow(
            self.ecs,
            self.logs,
            &spec,
            &arn,
            &document,
            poller,
            hook.timeout,
            &mut tail,
        )
        .await;
        let lines: Vec<String> = tail.lines.into_iter().collect();
        match ended {
            Ok(Ended::Exited(code)) => run.exit_code = Some(code),
            Ok(Ended::Failed(reason)) => run.stopped_reason = Some(reason),
            Err(err) if crate::error::classify(&err).0 == ExitKind::TimedOut => {
                run.stopped_reason = Some(format!(
                    "still running after its timeout of {}; stopped",
                    humantime::format_duration(hook.timeout)
                ));
            }
            Err(err) => return Err(err),
        }
        if run.exit_code == Some(0) {
            run.status = HookStatus::Succeeded;
            progress.info(&format!("hook {}: exit 0", hook.label()));
        } else {
            run.log_tail = lines;
            progress.warn(&format!("hook {} failed: {}", hook.label(), run.result()));
        }
        Ok(run)
    }

    /// Runs `tasks` in order until one fails; returns every run.
    pub async fn run_in_order(
        &self,
        tasks: &[HookTask<'_>],
        progress: &mut dyn Progress,
    ) -> anyhow::Result<Vec<HookRun>> {
        let mut runs = Vec::new();
        for task in tasks {
            let run = self.run(task, progress).await?;
            let failed = run.status == HookStatus::Failed;
            runs.push(run);
            if failed {
                break;
            }
        }
        Ok(runs)
    }
}
