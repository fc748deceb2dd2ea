//! Lifecycle hooks: one-off tasks from a version's task definition, run the
//! way `dynroute run` runs them (same network, placement and tags), one after
//! the other, stopping at the first that fails.
//!
//! This module decides which hooks an `up` runs ([`for_up`]; `down` and
//! `prune`: the removal) and what a failed one ends the command with;
//! [`runner`] runs them, [`record`] is what a run leaves (the report's
//! [`HookRun`], the service's tag read back as [`HookRecord`]).

pub mod record;
pub mod runner;

pub use record::{HookRecord, HookRun, HookStatus, is_declared_tag, pending_value, records};
pub use runner::Runner;

use std::collections::BTreeMap;

use crate::config::{Hook, HookNames, Phase, Project};
use crate::error::{ExitKind, UserError};
use crate::naming::{ServiceName, Version};

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
