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
//!
//! `after_down` hooks run once every service of the removal is deleted, from
//! the revision each service last ran, which stays registered until its hooks
//! succeed (`engine::after_down`).

use std::collections::BTreeMap;
use std::time::Duration;

use futures::stream::{self, StreamExt};
use jiff::Timestamp;
use serde::Serialize;

use super::activity;
use super::after_down::{self, AfterDown, HookTarget};
use super::hooks::{self, CLEANUP_PENDING, HookRun};
use super::inventory::VersionView;
use super::progress::Progress;
use super::scope::{self, Scope};
use crate::config::{Phase, Project};
use crate::ecs::{Ecs, ServiceState};
use crate::error::{ExitKind, UserError};
use crate::naming::{ServiceName, Version, tags};

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
    /// The families whose `after_down` hooks run (see [`Removal::run_hooks`]).
    pub after_down: BTreeMap<String, HookTarget>,
    /// Families whose service has `after_down` hooks this command cannot run
    /// (another project's, or `prune` without a config): the revision it last
    /// ran is kept with `dynroute:cleanup-pending` for that project's `prune`.
    pub keep_for_hooks: BTreeMap<String, String>,
}

impl Removal {
    /// Adds the `after_down` targets of this project's families: `families`
    /// names each family with its service and version; `states` are what ECS
    /// reported (for the revision each service last ran). Main and protected
    /// versions never run `after_down`.
    pub fn run_hooks(
        &mut self,
        project: &Project,
        families: &[(String, ServiceName, Version)],
        states: &[ServiceState],
    ) {
        for (family, service, version) in families {
            if !hooks::after_down_applies(project, version)
                || project.hooks.of(Phase::AfterDown, service).next().is_none()
                || !self.families.contains(family)
            {
                continue;
            }
            let state = states.iter().find(|s| &s.name == family && s.is_present());
            // Another project's service of the same name runs none of our hooks.
            if state.is_some_and(|s| {
                scope::project_of(s).is_some_and(|p| p != project.project.as_str())
            }) {
                continue;
            }
            let last_run = state
                .filter(|s| !s.task_definition.is_empty())
                .map(|s| s.task_definition.clone());
            self.after_down.insert(
                family.clone(),
                HookTarget {
                    service: service.clone(),
                    version: version.clone(),
                    project: project.project.to_string(),
                    last_run,
                    pending_only: false,
                },
            );
        }
    }

    /// What `--no-hooks` leaves out, as a warning (`None`: no hook would run).
    pub fn no_hooks_warning(&self, project: &Project) -> Option<String> {
        let skipped: Vec<String> = (self.after_down.iter())
            .flat_map(|(family, t)| {
                (project.hooks.of(Phase::AfterDown, &t.service))
                    .map(move |h| format!("{} for {family}", h.label()))
            })
            .collect();
        (!skipped.is_empty()).then(|| {
            format!(
                "--no-hooks: not running {} (what they clean up stays)",
                skipped.join(", ")
            )
        })
    }

    /// Keeps, for their own project's `prune`, the last revision of every
    /// service being deleted that has `after_down` hooks (its
    /// `dynroute:after-down` tag) of a project other than `ours` (whose
    /// hooks [`Removal::run_hooks`] decided; `None`: no config at hand).
    pub fn keep_for_their_hooks(&mut self, states: &[ServiceState], ours: Option<&Project>) {
        for s in states {
            let theirs = match (ours, scope::project_of(s)) {
                (Some(p), Some(owner)) => owner != p.project.as_str(),
                (Some(_), None) => false,
                (None, _) => true,
            };
            if theirs
                && self.delete.contains(&s.name)
                && !self.after_down.contains_key(&s.name)
                && s.tag(hooks::HAS_AFTER_DOWN).is_some()
                && !s.task_definition.is_empty()
            {
                self.keep_for_hooks
                    .insert(s.name.clone(), s.task_definition.clone());
            }
        }
    }
}

/// What a removal did: per family, and the `after_down` hooks it ran.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemovalOutcome {
    pub removed: Vec<Removed>,
    pub hooks: Vec<HookRun>,
    /// Revisions kept with `dynroute:cleanup-pending` (their hooks failed).
    pub pending: Vec<String>,
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
            after_down: BTreeMap::new(),
            keep_for_hooks: BTreeMap::new(),
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
/// expire), and with `idle` (`prune --idle`: now and the window) every
/// version without a request for the window; their live services are
/// deleted, every service's revisions cleaned.
pub fn plan_prune<'v>(
    views: &'v [VersionView],
    scope: &Scope,
    idle: Option<(Timestamp, Duration)>,
) -> (Removal, Vec<&'v VersionView>) {
    let project = scope.project();
    let unused = |v: &VersionView| match (&idle, &project) {
        (Some((now, window)), Some(project)) => {
            activity::idle::idle(v, project, *now, *window).is_some()
        }
        _ => false,
    };
    let expired: Vec<&VersionView> = views
        .iter()
        .filter(|v| !v.protected)
        .filter(|v| v.expired || unused(v))
        .collect();
    let removal = Removal {
        project,
        delete: expired.iter().flat_map(|v| v.live_services()).collect(),
        families: expired.iter().flat_map(|v| v.ecs_services()).collect(),
        after_down: BTreeMap::new(),
        keep_for_hooks: BTreeMap::new(),
    };
    (removal, expired)
}

/// Carries out `removal`: deletes the live services and deregisters their
/// families' managed revisions (a few families at a time), then runs the
/// `after_down` hooks (`after`: `None` with `--no-hooks`) from the revisions
/// kept for them. A family whose removal failed is reported with what was
/// done for the others, and the error says a rerun converges.
pub async fn remove(
    ecs: &dyn Ecs,
    removal: &Removal,
    after: Option<&AfterDown<'_>>,
    progress: &mut dyn Progress,
) -> anyhow::Result<RemovalOutcome> {
    let results: Vec<anyhow::Result<(Removed, Option<String>)>> =
        stream::iter(removal.families.iter().map(|family| {
            let target = after.and(removal.after_down.get(family));
            // With --no-hooks (`after` is None) nothing is kept for this project's hooks.
            let keep = removal.keep_for_hooks.get(family).map(String::as_str);
            remove_one(
                ecs,
                family,
                removal.delete.contains(family),
                removal.project.as_deref(),
                target,
                keep,
            )
        }))
        .buffered(CONCURRENCY)
        .collect()
        .await;

    let mut outcome = RemovalOutcome::default();
    let mut held: Vec<(&String, String)> = Vec::new();
    let mut errors = Vec::new();
    for (family, result) in removal.families.iter().zip(results) {
        match result {
            Ok((r, hold)) => {
                if let Some(arn) = hold {
                    held.push((family, arn));
                }
                if !r.service_deleted && r.task_definitions_deregistered == 0 {
                    continue;
                }
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
                outcome.removed.push(r)
            }
            Err(e) => errors.push(format!("{family}: {}", crate::error::chain_text(&e))),
        }
    }
    // Every service is deleted: now the hooks, one family after the other.
    if let Some(after) = after {
        for (family, arn) in held {
            let target = &removal.after_down[family];
            match after_down::run(ecs, after, family, target, &arn, progress).await {
                Ok((runs, kept)) => {
                    if kept {
                        outcome.pending.push(arn);
                    } else if let Some(r) = outcome
                        .removed
                        .iter_mut()
                        .find(|r| &r.ecs_service == family)
                    {
                        r.task_definitions_deregistered += 1;
                    } else {
                        outcome.removed.push(Removed {
                            ecs_service: family.clone(),
                            service_deleted: false,
                            task_definitions_deregistered: 1,
                        });
                    }
                    outcome.hooks.extend(runs);
                }
                Err(e) => errors.push(format!("{family}: {}", crate::error::chain_text(&e))),
            }
        }
    }
    if errors.is_empty() {
        return Ok(outcome);
    }
    let done: Vec<&str> = outcome
        .removed
        .iter()
        .map(|r| r.ecs_service.as_str())
        .collect();
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

/// Deletes the service (when `delete`) and deregisters the family's managed
/// revisions of the project, except the one `target`'s hooks run from, which
/// is returned: the revision the service last ran, else the newest one kept
/// with `dynroute:cleanup-pending`.
async fn remove_one(
    ecs: &dyn Ecs,
    family: &str,
    delete: bool,
    project: Option<&str>,
    target: Option<&HookTarget>,
    keep: Option<&str>,
) -> anyhow::Result<(Removed, Option<String>)> {
    if delete {
        ecs.delete_service(family).await?;
    }
    let arns = ecs.task_definition_arns(family).await?;
    let described: Vec<anyhow::Result<(String, BTreeMap<String, String>)>> = stream::iter(arns)
        .map(|arn| async move {
            let td_tags = ecs.task_definition_tags(&arn).await?;
            Ok((arn, td_tags))
        })
        .buffered(CONCURRENCY)
        .collect()
        .await;
    let mut ours = Vec::new();
    for d in described {
        let (arn, td_tags) = d?;
        // Only revisions dynroute registered: the family could be someone else's.
        let other_project = match (project, td_tags.get(tags::PROJECT)) {
            (Some(ours), Some(theirs)) => ours != theirs,
            _ => false,
        };
        if tags::is_managed(&td_tags) && !other_project {
            // Whose hooks may run from it: the target's project's, or any
            // (registered before projects existed).
            let hookable =
                target.is_some_and(|t| td_tags.get(tags::PROJECT).is_none_or(|p| *p == t.project));
            ours.push((arn, td_tags.contains_key(CLEANUP_PENDING), hookable));
        }
    }
    if target.is_some_and(|t| t.pending_only) {
        ours.retain(|(_, pending, _)| *pending);
    }
    let hold = target.and_then(|t| {
        let candidates = || ours.iter().filter(|(_, _, hookable)| *hookable);
        (t.last_run.clone())
            .filter(|last| candidates().any(|(arn, ..)| arn == last))
            // ListTaskDefinitions answers oldest first.
            .or_else(|| {
                candidates()
                    .rev()
                    .find(|(_, p, _)| *p)
                    .map(|(a, ..)| a.clone())
            })
    });
    if let Some(kept) = keep.filter(|k| ours.iter().any(|(arn, ..)| arn == k)) {
        let why = "after_down not run: removed without its project's hooks";
        ecs.tag_resource(kept, &[(CLEANUP_PENDING.to_owned(), why.to_owned())])
            .await?;
    }
    let deregistered: Vec<anyhow::Result<()>> = stream::iter(
        ours.iter()
            .filter(|(arn, ..)| Some(arn) != hold.as_ref() && Some(arn.as_str()) != keep)
            .map(|(arn, ..)| ecs.deregister_task_definition(arn)),
    )
    .buffer_unordered(CONCURRENCY)
    .collect()
    .await;
    let mut count = 0;
    for r in deregistered {
        r?;
        count += 1;
    }
    Ok((
        Removed {
            ecs_service: family.to_owned(),
            service_deleted: delete,
            task_definitions_deregistered: count,
        },
        hold,
    ))
}
