//! `after_down` hooks of a removal (`down`, `prune`): whose hooks run from
//! which revision ([`HookTarget`], chosen by `Removal::run_hooks`), running
//! them once the services are deleted ([`run`]: deregister the revision on
//! success, tag it `dynroute:cleanup-pending` on failure), and finding the
//! revisions kept that way for `prune` to retry ([`pending_cleanups`]).

use std::time::Duration;

use super::hooks::{self, CLEANUP_PENDING, HookRun, HookTask};
use super::progress::Progress;
use crate::config::{Phase, Project};
use crate::ecs::logs::LogReader;
use crate::ecs::{Ecs, short_arn};
use crate::naming::{ServiceName, Version, resource_name, tags};

/// Whose `after_down` hooks run for a family, and from which revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookTarget {
    pub service: ServiceName,
    pub version: Version,
    /// The project whose hooks these are: only its revisions run them.
    pub project: String,
    /// The revision the service ran when it was deleted (`None`: it is gone
    /// already; a revision kept with `dynroute:cleanup-pending` is used).
    pub last_run: Option<String>,
    /// Only the revisions kept for failed hooks are touched (prune's retry of
    /// a version whose services are gone: another revision of the family may
    /// be an `up` in progress).
    pub pending_only: bool,
}

/// What running `after_down` hooks needs besides ECS.
pub struct AfterDown<'a> {
    pub project: &'a Project,
    pub logs: &'a dyn LogReader,
    /// The region of containers' logs without an `awslogs-region`.
    pub region: &'a str,
    pub poll: Duration,
}

/// Runs a family's `after_down` hooks from `arn`; deregisters it when they
/// succeed, tags it `dynroute:cleanup-pending` when one fails. Returns the
/// runs and whether the revision was kept.
pub(super) async fn run(
    ecs: &dyn Ecs,
    after: &AfterDown<'_>,
    family: &str,
    target: &HookTarget,
    arn: &str,
    progress: &mut dyn Progress,
) -> anyhow::Result<(Vec<HookRun>, bool)> {
    let project = after.project;
    let tasks: Vec<HookTask<'_>> = project
        .hooks
        .of(Phase::AfterDown, &target.service)
        .map(|hook| HookTask {
            hook,
            version: &target.version,
            ecs_name: family.to_owned(),
            task_definition: arn.to_owned(),
            container: hooks::container_of(project, hook),
        })
        .collect();
    let runner = hooks::Runner::new(
        ecs,
        after.logs,
        after.region,
        project,
        &target.version,
        after.poll,
    );
    let runs = runner.run_in_order(&tasks, progress).await?;
    match hooks::failed(&runs) {
        Some(failed) => {
            ecs.tag_resource(
                arn,
                &[(CLEANUP_PENDING.to_owned(), hooks::pending_value(failed))],
            )
            .await?;
            progress.warn(&format!(
                "kept {} with {CLEANUP_PENDING}: `dynroute down {}` or `dynroute prune` runs its after_down hooks again",
                short_arn(arn),
                target.version
            ));
            Ok((runs, true))
        }
        None => {
            ecs.deregister_task_definition(arn).await?;
            progress.detail(&format!(
                "{family}: after_down hooks succeeded; deregistered {}",
                short_arn(arn)
            ));
            Ok((runs, false))
        }
    }
}

/// Versions whose services are gone but whose `after_down` hooks failed:
/// families of this project's services with a revision tagged
/// `dynroute:cleanup-pending`, other than `live` ones. `prune` retries them.
pub async fn pending_cleanups(
    ecs: &dyn Ecs,
    project: &Project,
    live: &[String],
) -> anyhow::Result<Vec<(String, ServiceName, Version)>> {
    let mut found = Vec::new();
    for service in project.services.keys() {
        if project.hooks.of(Phase::AfterDown, service).next().is_none() {
            continue;
        }
        let prefix = format!("{service}--");
        for family in ecs.task_definition_families(&prefix).await? {
            let Some(Ok(version)) = family.strip_prefix(&prefix).map(str::parse::<Version>) else {
                continue;
            };
            if live.contains(&family) || resource_name(service, &version) != family {
                continue;
            }
            for arn in ecs.task_definition_arns(&family).await? {
                let td_tags = ecs.task_definition_tags(&arn).await?;
                let ours = tags::is_managed(&td_tags)
                    && td_tags
                        .get(tags::PROJECT)
                        .is_none_or(|p| p == project.project.as_str());
                if ours && td_tags.contains_key(CLEANUP_PENDING) {
                    found.push((family.clone(), service.clone(), version.clone()));
                    break;
                }
            }
        }
    }
    Ok(found)
}
