//! Removing versions, shared by `down` and `prune`: delete the live managed
//! services, then deregister every managed revision of their families.
//!
//! Callers decide what to remove (only managed services; DRAINING ones are
//! already being deleted and only have revisions left to clean) and confirm it
//! first; this module only carries it out, a few services at a time.

use futures::stream::{self, StreamExt};
use serde::Serialize;

use super::progress::Progress;
use crate::ecs::Ecs;
use crate::error::{ExitKind, UserError};
use crate::naming::tags;

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
                progress.detail(&format!(
                    "{}: {}{} task definition revisions deregistered",
                    r.ecs_service,
                    if r.service_deleted {
                        "service deleted, "
                    } else {
                        ""
                    },
                    r.task_definitions_deregistered
                ));
                removed.push(r)
            }
            Err(e) => errors.push(format!("{family}: {e:#}")),
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
