//! Lifecycle hooks: one-off tasks from a version's task definition, run the
//! way `dynroute run` runs them (same network, placement and tags), one after
//! the other, stopping at the first that fails.
//!
//! Which hooks run when is decided by the callers (`up`: [`for_up`]; `down` and
//! `prune`: the removal); this module runs them, keeps each one's last log
//! lines, and writes and reads the record of a hook's last run, a tag on the
//! version's service (`dynroute:hook:{phase}:{n}` = `exit=0 task=… at=…`).

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use jiff::Timestamp;
use serde::Serialize;

use super::logs::{LineSink, LogLine};
use super::poller::Poller;
use super::progress::Progress;
use super::run::{Ended, RunSpec, follow, start};
use crate::config::{Hook, HookNames, Network, Phase, Placement, Project};
use crate::ecs::logs::LogReader;
use crate::ecs::{Ecs, short_arn};
use crate::error::{ExitKind, UserError, chain_text};
use crate::naming::{ServiceName, Version, tags};

/// `startedBy` of hook tasks.
pub const STARTED_BY: &str = "dynroute-hook";
/// The prefix of the tags that keep each hook's last run on its service.
pub const TAG_PREFIX: &str = "dynroute:hook:";
/// The tag on a revision kept because its `after_down` hooks failed.
pub const CLEANUP_PENDING: &str = "dynroute:cleanup-pending";
/// On a service whose project declares `after_down` hooks for it: a removal
/// without that project's config keeps the revision for them.
pub const HAS_AFTER_DOWN: &str = "dynroute:after-down";
/// How many of a hook's last log lines are kept for the report.
pub const TAIL_LINES: usize = 20;

/// How a hook ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HookStatus {
    /// Dry run: it would run.
    Planned,
    Succeeded,
    Failed,
}

/// One hook run (or, in a dry run, one that would run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookRun {
    pub phase: Phase,
    /// 1-based position in its phase's list.
    pub index: usize,
    pub service: ServiceName,
    pub command: Vec<String>,
    pub status: HookStatus,
    /// The task ID.
    pub task: Option<String>,
    pub exit_code: Option<i32>,
    /// Why the task stopped without its command's exit code, or why it did not start.
    pub stopped_reason: Option<String>,
    #[serde(serialize_with = "tags::serialize_time")]
    pub at: Option<Timestamp>,
    /// The task's last log lines, when it failed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_tail: Vec<String>,
}

impl HookRun {
    /// `on_create #1 (api)`.
    pub fn label(&self) -> String {
        format!("{} #{} ({})", self.phase, self.index, self.service)
    }

    /// `exit 0`, `exit 1`, or the stop reason.
    pub fn result(&self) -> String {
        match (self.status, self.exit_code, &self.stopped_reason) {
            (HookStatus::Planned, ..) => "would run".to_owned(),
            (_, Some(code), _) => format!("exit {code}"),
            (_, None, Some(reason)) => reason.clone(),
            (_, None, None) => "stopped".to_owned(),
        }
    }

    /// The tag that keeps this run on the service.
    pub fn tag(&self) -> (String, String) {
        let exit = self
            .exit_code
            .map_or_else(|| "none".to_owned(), |c| c.to_string());
        let at = self.at.map(tags::rfc3339).unwrap_or_default();
        (
            format!("{TAG_PREFIX}{}:{}", self.phase, self.index),
            format!(
                "exit={exit} task={} at={at}",
                self.task.as_deref().unwrap_or("none")
            ),
        )
    }
}

/// A hook's last run as its service's tag keeps it, for `status` and `ls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookRecord {
    pub phase: Phase,
    pub index: usize,
    pub task: Option<String>,
    pub exit_code: Option<i32>,
    #[serde(serialize_with = "tags::serialize_time")]
    pub at: Option<Timestamp>,
}

impl HookRecord {
    /// `before_up #1: exit 0, task 0123abcd, 2026-12-06T12:00:00Z`.
    pub fn summary(&self) -> String {
        format!(
            "{} #{}: {}, task {}, {}",
            self.phase,
            self.index,
            self.exit_code
                .map_or_else(|| "no exit code".to_owned(), |c| format!("exit {c}")),
            self.task.as_deref().unwrap_or("-"),
            self.at.map(tags::rfc3339).unwrap_or_else(|| "-".into())
        )
    }
}

/// The hook records among a service's tags, by phase and position.
pub fn records(service_tags: &BTreeMap<String, String>) -> Vec<HookRecord> {
    let mut found: Vec<HookRecord> = service_tags
        .iter()
        .filter_map(|(key, value)| {
            let (phase, index) = key.strip_prefix(TAG_PREFIX)?.split_once(':')?;
            let mut record = HookRecord {
                phase: Phase::parse(phase)?,
                index: index.parse().ok()?,
                task: None,
                exit_code: None,
                at: None,
            };
            for part in value.split(' ') {
                match part.split_once('=') {
                    Some(("exit", code)) => record.exit_code = code.parse().ok(),
                    Some(("task", id)) if id != "none" => record.task = Some(id.to_owned()),
                    Some(("at", at)) => record.at = at.parse().ok(),
                    _ => {}
                }
            }
            Some(record)
        })
        .collect();
    found.sort_by_key(|r| (r.phase, r.index));
    found
}

/// Whether a hook tag is one the project still declares for `service` (the
/// others are stale once the hook is removed from `dynroute.yaml`).
pub fn is_declared_tag(project: &Project, service: &ServiceName, key: &str) -> bool {
    let Some((phase, index)) = key
        .strip_prefix(TAG_PREFIX)
        .and_then(|rest| rest.split_once(':'))
    else {
        return false;
    };
    let (Some(phase), Ok(index)) = (Phase::parse(phase), index.parse::<usize>()) else {
        return false;
    };
    project.hooks.of(phase, service).any(|h| h.index == index)
}

/// The record of `after_down` hooks that failed, on the revision they keep.
pub fn pending_value(run: &HookRun) -> String {
    let (_, value) = run.tag();
    format!("{}.{} {value}", run.phase, run.index)
}

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

/// One hook to run: which revision, for which version.
#[derive(Debug, Clone)]
pub struct HookTask<'a> {
    pub hook: &'a Hook,
    pub version: &'a Version,
    /// `SERVICE--VERSION`.
    pub ecs_name: String,
    pub task_definition: String,
    /// The container the command replaces (the hook's, else the service's).
    pub container: String,
}

impl HookTask<'_> {
    fn command(&self, project: &crate::naming::ProjectName) -> Vec<String> {
        self.hook.command_for(HookNames {
            version: self.version,
            project,
        })
    }

    /// What a dry run reports.
    pub fn planned(&self, project: &crate::naming::ProjectName) -> HookRun {
        HookRun {
            phase: self.hook.phase,
            index: self.hook.index,
            service: self.hook.service.clone(),
            command: self.command(project),
            status: HookStatus::Planned,
            task: None,
            exit_code: None,
            stopped_reason: None,
            at: None,
            log_tail: Vec::new(),
        }
    }
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

/// The first failed run, if any.
pub fn failed(runs: &[HookRun]) -> Option<&HookRun> {
    runs.iter().find(|r| r.status == HookStatus::Failed)
}

/// The error a failed hook ends its command with (exit 5), with its last lines.
pub fn failure(run: &HookRun, what_happened: &str, hint: &str) -> UserError {
    let mut message = format!("hook {} failed: {}", run.label(), run.result());
    if let Some(task) = &run.task {
        message.push_str(&format!(" (task {task})"));
    }
    message.push_str(&format!("\n  {what_happened}"));
    if !run.log_tail.is_empty() {
        message.push_str(&format!(
            "\n  its last {} log lines:",
            run.log_tail.len().min(TAIL_LINES)
        ));
        for line in &run.log_tail {
            message.push_str(&format!("\n    {line}"));
        }
    }
    UserError::new(ExitKind::HookFailed, message).hint(hint.to_owned())
}

/// The hooks `up` runs for `version`, in order: `on_create` of each service
/// the version does not run yet (`creating`), then `before_up` of every
/// deployed service. `revisions`: per service, the revision this `up` deploys
/// and its container names; the main version runs none.
pub fn for_up<'a>(
    project: &'a Project,
    version: &'a Version,
    revisions: &BTreeMap<ServiceName, (String, String)>,
    creating: &[ServiceName],
) -> Vec<HookTask<'a>> {
    if *version == project.main_version {
        return Vec::new();
    }
    let mut tasks = Vec::new();
    for phase in [Phase::OnCreate, Phase::BeforeUp] {
        for hook in project.hooks.in_phase(phase) {
            let Some((task_definition, ecs_name)) = revisions.get(&hook.service) else {
                continue;
            };
            if phase == Phase::OnCreate && !creating.contains(&hook.service) {
                continue;
            }
            tasks.push(HookTask {
                hook,
                version,
                ecs_name: ecs_name.clone(),
                task_definition: task_definition.clone(),
                container: container_of(project, hook),
            });
        }
    }
    tasks
}

/// The container a hook's command replaces.
pub fn container_of(project: &Project, hook: &Hook) -> String {
    hook.container.clone().unwrap_or_else(|| {
        project
            .services
            .get(&hook.service)
            .map_or_else(|| hook.service.to_string(), |s| s.container.clone())
    })
}

/// Whether `version`'s removal runs `after_down` hooks: never for main (its
/// data is the team's) or a protected version.
pub fn after_down_applies(project: &Project, version: &Version) -> bool {
    *version != project.main_version && !project.is_protected(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_s_tag_reads_back_as_its_record() {
        let run = HookRun {
            phase: Phase::BeforeUp,
            index: 2,
            service: "api".parse().unwrap(),
            command: vec!["bin/db".into(), "migrate".into()],
            status: HookStatus::Failed,
            task: Some("0123abcd".into()),
            exit_code: Some(3),
            stopped_reason: None,
            at: Some("2026-12-06T12:00:00Z".parse().unwrap()),
            log_tail: vec![],
        };
        let (key, value) = run.tag();
        assert_eq!(key, "dynroute:hook:before_up:2");
        assert_eq!(value, "exit=3 task=0123abcd at=2026-12-06T12:00:00Z");
        crate::taskdef::ecs_rules::tag_ok(&key, &value).unwrap();
        crate::taskdef::ecs_rules::tag_ok(CLEANUP_PENDING, &pending_value(&run)).unwrap();
        let tags = BTreeMap::from([
            (key, value),
            (
                "dynroute:hook:on_create:1".into(),
                "exit=none task=none at=".into(),
            ),
            ("dynroute:hook:nonsense:1".into(), "exit=0".into()),
            ("dynroute:version".into(), "v1".into()),
        ]);
        let found = records(&tags);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].phase, Phase::OnCreate);
        assert_eq!((found[0].exit_code, found[0].task.as_deref()), (None, None));
        assert_eq!(
            (found[1].index, found[1].exit_code, found[1].task.as_deref()),
            (2, Some(3), Some("0123abcd"))
        );
        assert_eq!(run.result(), "exit 3");
        assert_eq!(run.label(), "before_up #2 (api)");
    }
}
