//! Removing versions, shared by `down` and `prune`: confirm, delete the managed
//! services, deregister their managed task definition revisions, optionally wait.

use std::time::Duration;

use futures::stream::{self, StreamExt};
use serde::Serialize;

use crate::aws::Aws;
use crate::context::Context;
use crate::deploy::wait;
use crate::error::{ExitKind, UserError};
use crate::tags;
use crate::ui::prompt;

/// What was removed for one ECS service.
#[derive(Debug, Serialize)]
pub struct Removed {
    pub ecs_service: String,
    /// The service was live and is now deleted (false: only leftovers cleaned).
    pub service_deleted: bool,
    pub task_definitions_deregistered: usize,
}

/// Shows what will go and asks, unless `--yes`. `Ok(false)`: the person said no.
pub fn confirm(ctx: &Context, lines: &[String], question: &str) -> anyhow::Result<bool> {
    if ctx.global.yes {
        return Ok(true);
    }
    if !ctx.ui.interactive {
        return Err(UserError::usage(format!(
            "{question} This needs confirmation and there is no terminal to ask; would remove:\n  {}",
            lines.join("\n  ")
        ))
        .hint("pass --yes to confirm")
        .into());
    }
    // Shown even with -q: nobody should confirm what they cannot see.
    eprintln!("will remove:");
    for line in lines {
        eprintln!("  {line}");
    }
    prompt::confirm(&ctx.ui, false, question)
}

/// Deletes the services named in `live` (all managed, checked by the caller) and
/// deregisters every managed revision of the families in `families`.
pub async fn remove(
    ctx: &Context,
    aws: &Aws,
    live: &[String],
    families: &[String],
) -> anyhow::Result<Vec<Removed>> {
    // A few services at a time: prune may remove hundreds, on an API budget shared with Traefik.
    let results: Vec<anyhow::Result<Removed>> =
        stream::iter(families.iter().map(|family| async move {
            let deleted = live.contains(family);
            if deleted {
                aws.delete_service(family).await?;
            }
            let arns = aws.task_definition_arns(family).await?;
            let deregistered: Vec<anyhow::Result<bool>> = stream::iter(arns)
                .map(|arn| async move {
                    // Only revisions dynroute registered: the family could be someone else's.
                    if !tags::is_managed(&aws.task_definition_tags(&arn).await?) {
                        return Ok(false);
                    }
                    aws.deregister_task_definition(&arn).await?;
                    Ok(true)
                })
                .buffer_unordered(4)
                .collect()
                .await;
            let mut count = 0;
            for r in deregistered {
                if r? {
                    count += 1;
                }
            }
            Ok::<_, anyhow::Error>(Removed {
                ecs_service: family.clone(),
                service_deleted: deleted,
                task_definitions_deregistered: count,
            })
        }))
        .buffered(4)
        .collect()
        .await;

    let mut removed = Vec::new();
    let mut errors = Vec::new();
    for (family, result) in families.iter().zip(results) {
        match result {
            Ok(r) if !r.service_deleted && r.task_definitions_deregistered == 0 => {}
            Ok(r) => {
                ctx.ui.detail(format!(
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
    if !errors.is_empty() {
        let done: Vec<&str> = removed.iter().map(|r| r.ecs_service.as_str()).collect();
        return Err(UserError::new(
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
        .into());
    }
    Ok(removed)
}

/// Waits (up to 15 minutes) until the deleted services are gone.
pub async fn wait_until_gone(ctx: &Context, aws: &Aws, names: &[String]) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15 * 60);
    wait::wait_until_gone(aws, names, deadline, |remaining| {
        ctx.ui
            .info(format!("waiting for {} to drain", remaining.join(", ")))
    })
    .await
}
