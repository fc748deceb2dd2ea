//! Removing versions, shared by `down` and `prune`: what to delete, skip or
//! refuse is decided by a pure plan ([`plan_down`], [`plan_prune`]) from what
//! ECS reports; [`remove`] carries it out — delete the live managed services,
//! then deregister every managed revision of their families — a few services
//! at a time, after the command has asked for confirmation.
//!
//! The rules: only services tagged `dynroute:managed=true` of the scope's
//! project are touched; a DRAINING one is already being deleted and only its
//! revisions are cleaned; a half-gone version (services gone, revisions left)
//! is finished; a protected version needs `--force` for `down` and is never
//! expired for `prune`.

use futures::stream::{self, StreamExt};
use serde::Serialize;

use super::inventory::VersionView;
use super::progress::Progress;
use super::scope::{self, Scope};
use crate::ecs::{Ecs, ServiceState};
use crate::error::{ExitKind, UserError};
use crate::naming::{Version, tags};

/// How many services are removed at once: prune may remove hundreds, on an API
/// budget shared with Traefik.
const CONCURRENCY: usize = 4;

/// What was removed for one ECS service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removed {
    pub ecs_service: String,
    /// The service was live and is now deleted (false: only leftovers cleaned).
    pub service_deleted: bool,
    pub task_definitions_deregistered: usize,
}

/// What to remove: the live services to delete, and the families whose managed
/// revisions to deregister (the live ones plus draining or half-removed ones).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removal {
    pub delete: Vec<String>,
    pub families: Vec<String>,
    /// Only revisions of this project (or without a project tag) are
    /// deregistered; `None` (`--all-projects`): every managed revision.
    pub project: Option<String>,
}

impl Removal {
    /// Nothing is live: only leftover revisions may remain.
    pub fn nothing_live(&self) -> bool {
        self.delete.is_empty()
    }
}

/// Why a service of the version is left alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// A same-named service without the managed tag: not dynroute's.
    Unmanaged,
    /// A managed service of this other project (`--all-projects` removes it).
    OtherProject(String),
}

/// What `down` of one version does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DownPlan {
    pub removal: Removal,
    /// The services left alone, and why.
    pub skipped: Vec<(String, Skip)>,
}

impl DownPlan {
    /// The ECS names of the services without the managed tag.
    pub fn unmanaged(&self) -> Vec<String> {
        (self.skipped.iter())
            .filter(|(_, why)| *why == Skip::Unmanaged)
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Says what is left alone, on the progress sink.
    pub fn tell_skipped(&self, progress: &mut dyn Progress) {
        for (name, why) in &self.skipped {
            match why {
                Skip::Unmanaged => progress.warn(&format!(
                    "{name} is not managed by dynroute; left untouched"
                )),
                Skip::OtherProject(project) => progress.info(&format!(
                    "{name} belongs to project {project}; left untouched (--all-projects to remove it too)"
                )),
            }
        }
    }
}

/// A protected version is removed only with `--force`.
pub fn refuse_protected(version: &Version, protected: bool, force: bool) -> Result<(), UserError> {
    if protected && !force {
        return Err(
            UserError::usage(format!("version `{version}` is protected"))
                .hint("pass --force to remove it anyway"),
        );
    }
    Ok(())
}

/// `down` of `version`: `families` are its ECS names (`{service}--{version}`)
/// and `states` what ECS reports for them. A protected version is refused
/// unless `force`.
pub fn plan_down(
    version: &Version,
    protected: bool,
    force: bool,
    families: &[String],
    states: &[ServiceState],
    scope: &Scope,
) -> Result<DownPlan, UserError> {
    refuse_protected(version, protected, force)?;
    let mut skipped = Vec::new();
    for s in states.iter().filter(|s| s.is_present()) {
        if !s.is_managed() {
            skipped.push((s.name.clone(), Skip::Unmanaged));
        } else if !scope.includes(s) {
            let project = scope::project_of(s).unwrap_or("?").to_owned();
            skipped.push((s.name.clone(), Skip::OtherProject(project)));
        }
    }
    let left_alone = |family: &str| skipped.iter().any(|(name, _)| name == family);
    Ok(DownPlan {
        removal: Removal {
            project: scope.project(),
            // DRAINING services are already being deleted: only their revisions remain.
            delete: states
                .iter()
                .filter(|s| s.is_live() && s.is_managed() && scope.includes(s))
                .map(|s| s.name.clone())
                .collect(),
            // Every family not left alone: a half-gone version's revisions too.
            families: families
                .iter()
                .filter(|f| !left_alone(f))
                .cloned()
                .collect(),
        },
        skipped,
    })
}

/// `prune`: every expired version of the listing (protected versions never
/// expire); its live services are deleted, every service's revisions cleaned.
pub fn plan_prune<'v>(views: &'v [VersionView], scope: &Scope) -> (Removal, Vec<&'v VersionView>) {
    let expired: Vec<&VersionView> = views.iter().filter(|v| v.expired && !v.protected).collect();
    let removal = Removal {
        project: scope.project(),
        delete: expired.iter().flat_map(|v| v.live_services()).collect(),
        families: expired.iter().flat_map(|v| v.ecs_services()).collect(),
    };
    (removal, expired)
}

/// Carries out `removal`. A service whose removal failed is reported with what
/// was done for the others, and the error says a rerun converges.
pub async fn remove(
    ecs: &dyn Ecs,
    removal: &Removal,
    progress: &mut dyn Progress,
) -> anyhow::Result<Vec<Removed>> {
    let results: Vec<anyhow::Result<Removed>> =
        stream::iter(removal.families.iter().map(|family| {
            remove_one(
                ecs,
                family,
                removal.delete.contains(family),
                removal.project.as_deref(),
            )
        }))
        .buffered(CONCURRENCY)
        .collect()
        .await;

    let mut removed = Vec::new();
    let mut errors = Vec::new();
    for (family, result) in removal.families.iter().zip(results) {
        match result {
            Ok(r) if !r.service_deleted && r.task_definitions_deregistered == 0 => {}
            Ok(r) => {
                let n = r.task_definitions_deregistered;
                progress.detail(&format!(
                    "{}: {}{n} task definition {} deregistered",
                    r.ecs_service,
                    if r.service_deleted {
                        "service deleted, "
                    } else {
                        ""
                    },
                    if n == 1 { "revision" } else { "revisions" }
                ));
                removed.push(r)
            }
            Err(e) => errors.push(format!("{family}: {}", crate::error::chain_text(&e))),
        }
    }
    if errors.is_empty() {
        return Ok(removed);
    }
    let done: Vec<&str> = removed.iter().map(|r| r.ecs_service.as_str()).collect();
    Err(UserError::new(
        ExitKind::Failure,
        format!(
            "removal incomplete\n  removed: {}\n  not removed: {}",
            if done.is_empty() {
                "none".to_owned()
            } else {
                done.join(", ")
            },
            errors.join("\n  not removed: ")
        ),
    )
    .hint("run the same command again: it converges")
    .into())
}

async fn remove_one(
    ecs: &dyn Ecs,
    family: &str,
    delete: bool,
    project: Option<&str>,
) -> anyhow::Result<Removed> {
    if delete {
        ecs.delete_service(family).await?;
    }
    let arns = ecs.task_definition_arns(family).await?;
    let deregistered: Vec<anyhow::Result<bool>> = stream::iter(arns)
        .map(|arn| async move {
            // Only revisions dynroute registered: the family could be someone else's.
            let td_tags = ecs.task_definition_tags(&arn).await?;
            let other_project = match (project, td_tags.get(tags::PROJECT)) {
                (Some(ours), Some(theirs)) => ours != theirs,
                _ => false,
            };
            if !tags::is_managed(&td_tags) || other_project {
                return Ok(false);
            }
            ecs.deregister_task_definition(&arn).await?;
            Ok(true)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let mut count = 0;
    for r in deregistered {
        if r? {
            count += 1;
        }
    }
    Ok(Removed {
        ecs_service: family.to_owned(),
        service_deleted: delete,
        task_definitions_deregistered: count,
    })
}
