//! `dynroute down`: remove a version's services and task definitions.
//!
//! Scope: the services this project's dynroute.yaml declares (or `-s`), under
//! `{service}--{version}`. Only resources tagged `dynroute:managed=true` are touched.

use std::io::Write;

use serde::Serialize;

use super::inputs;
use super::removal::{self, Removed};
use crate::cli::{DownArgs, OutputFormat};
use crate::context::Context;
use crate::deploy::inventory;
use crate::deploy::model::ServiceStatus;
use crate::error::UserError;
use crate::naming::{Version, resource_name};
use crate::ui::table;

#[derive(Debug, Serialize)]
struct DownOutput {
    version: String,
    removed: Vec<Removed>,
    /// Same-named services without the managed tag, left untouched.
    skipped_unmanaged: Vec<String>,
}

pub async fn run(ctx: &Context, args: DownArgs) -> anyhow::Result<()> {
    let project = ctx.project()?;
    let services = inputs::services(&project, &args.services)?;
    let explicit = args
        .version_name
        .as_deref()
        .map(|v| v.parse::<Version>().map_err(UserError::from))
        .transpose()?;
    let aws = ctx.aws(&project).await?;
    let version = match explicit {
        Some(v) => v,
        None if ctx.ui.interactive => match pick(&aws, &project, args.force).await? {
            Some(v) => v,
            None => {
                ctx.ui.info("no versions to remove");
                return Ok(());
            }
        },
        None => inputs::version_or_branch(None)?,
    };
    if project.is_protected(&version) && !args.force {
        return Err(
            UserError::usage(format!("version `{version}` is protected"))
                .hint("pass --force to remove it anyway")
                .into(),
        );
    }

    let families: Vec<String> = services
        .iter()
        .map(|s| resource_name(&s.name, &version))
        .collect();
    let states = aws.describe_services(&families).await?;
    let mut live = Vec::new();
    let mut skipped = Vec::new();
    for state in &states {
        // DRAINING services are already being deleted: only their task definitions remain to clean.
        match (state.status == ServiceStatus::Active, state.is_managed()) {
            (true, true) => live.push(state.name.clone()),
            (true, false) => skipped.push(state.name.clone()),
            _ => {}
        }
    }
    for name in &skipped {
        ctx.ui
            .warn(format!("{name} is not managed by dynroute; left untouched"));
    }

    // Unmanaged names are never touched. With nothing live, `down` is a no-op,
    // except that `--yes` also deregisters revisions an interrupted `down` left.
    if live.is_empty() && !ctx.global.yes {
        ctx.ui
            .info(format!("version {version} is not deployed; nothing to do"));
        return print(
            ctx,
            DownOutput {
                version: version.to_string(),
                removed: Vec::new(),
                skipped_unmanaged: skipped,
            },
        );
    }
    let families: Vec<String> = families
        .into_iter()
        .filter(|f| !skipped.contains(f))
        .collect();
    if !live.is_empty()
        && !removal::confirm(
            ctx,
            &live,
            &format!("Remove version {version} ({} services)?", live.len()),
        )?
    {
        ctx.ui.info("cancelled; nothing removed");
        return Ok(());
    }
    let removed = removal::remove(ctx, &aws, &live, &families).await?;
    if removed.is_empty() {
        ctx.ui
            .info(format!("version {version} is not deployed; nothing to do"));
    }
    if args.wait && !live.is_empty() {
        removal::wait_until_gone(ctx, &aws, &live).await?;
    }
    print(
        ctx,
        DownOutput {
            version: version.to_string(),
            removed,
            skipped_unmanaged: skipped,
        },
    )
}

/// On a terminal without VERSION: choose among the live versions.
/// Protected versions are offered only with `--force`; `None` when there is nothing to pick.
async fn pick(
    aws: &crate::aws::Aws,
    project: &crate::config::Project,
    force: bool,
) -> anyhow::Result<Option<Version>> {
    let views = inventory::versions(
        aws.all_services().await?,
        &project.main_version,
        |v| project.is_protected(v),
        jiff::Timestamp::now(),
    );
    // Only versions of this project's services, which is what `down` removes.
    let views: Vec<_> = views
        .into_iter()
        .filter(|v| force || !v.protected)
        .filter(|v| {
            v.services.iter().any(|s| {
                s.service
                    .parse()
                    .is_ok_and(|name| project.services.contains_key(&name))
            })
        })
        .collect();
    if views.is_empty() {
        return Ok(None);
    }
    let items: Vec<String> = views
        .iter()
        .map(|v| {
            format!(
                "{}  ({} services, {}, by {})",
                v.version,
                v.services.len(),
                v.status,
                v.owner.as_deref().unwrap_or("unknown")
            )
        })
        .collect();
    let branch = inputs::version_or_branch(None).ok();
    let default = branch
        .and_then(|b| views.iter().position(|v| v.version == b.as_str()))
        .unwrap_or(0);
    let chosen = dialoguer::Select::with_theme(&dialoguer::theme::ColorfulTheme::default())
        .with_prompt("Version to remove")
        .items(&items)
        .default(default)
        .interact()?;
    Ok(Some(
        views[chosen]
            .version
            .parse()
            .expect("listed versions are valid"),
    ))
}

fn print(ctx: &Context, output: DownOutput) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if ctx.output == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&output)?)?;
        return Ok(());
    }
    if output.removed.is_empty() {
        return Ok(());
    }
    let mut t = table::new(&["ECS SERVICE", "SERVICE", "TASK DEFINITIONS DEREGISTERED"]);
    for r in &output.removed {
        t.add_row(vec![
            r.ecs_service.clone(),
            if r.service_deleted {
                "deleted"
            } else {
                "already gone"
            }
            .to_owned(),
            r.task_definitions_deregistered.to_string(),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(())
}
