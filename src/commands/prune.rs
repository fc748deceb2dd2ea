//! `dynroute prune`: remove every expired, non-protected version (for a
//! scheduled CI job). Same confirmation rules as `down`; services already
//! DRAINING are not deleted again, only their revisions cleaned.

use jiff::Timestamp;

use crate::cli::PruneArgs;
use crate::engine::inventory;
use crate::engine::progress::Progress;
use crate::engine::removal;
use crate::engine::scope::Scope;
use crate::error::UserError;
use crate::report::PruneReport;
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: PruneArgs) -> anyhow::Result<PruneReport> {
    let (aws, scope, views) = match settings.optional_project()? {
        Some(project) => {
            let aws = settings.aws(&project).await?;
            let scope = Scope::new(&project.project, args.all_projects);
            let views = inventory::list(&aws, &project, &scope, Timestamp::now()).await?;
            (aws, scope, views)
        }
        // The scheduled clean-up of a whole cluster needs no project.
        None => {
            if !args.all_projects {
                return Err(UserError::usage(
                    "prune outside a project needs --all-projects and --cluster NAME",
                )
                .hint("run it in a project directory, or clean up the whole cluster with `dynroute prune --all-projects --cluster NAME`")
                .into());
            }
            let (cluster, region) = settings.cluster_and_region(
                None,
                "prune outside a project needs --all-projects and --cluster NAME",
            )?;
            let aws = settings.aws_for(&cluster, region).await?;
            let views = inventory::list_cluster(&aws, Timestamp::now()).await?;
            (aws, Scope::All, views)
        }
    };
    let (removal, expired) = removal::plan_prune(&views, &scope);
    let mut report = PruneReport {
        dry_run: args.dry_run,
        versions: expired.iter().map(|v| v.version.clone()).collect(),
        removed: Vec::new(),
    };
    let mut progress = settings.progress(&[]);
    if removal.families.is_empty() {
        progress.info("no expired versions");
        return Ok(report);
    }
    if args.dry_run {
        progress.info(&format!("would remove: {}", removal.families.join(", ")));
        return Ok(report);
    }
    let lines: Vec<String> = expired
        .iter()
        .map(|v| {
            format!(
                "{} (expired {}): {}",
                v.version,
                v.expires_at.as_deref().unwrap_or("?"),
                v.ecs_services().join(", ")
            )
        })
        .collect();
    let question = format!(
        "Remove {}?",
        crate::ui::terminal_text::count(expired.len(), "expired version", "expired versions")
    );
    if !settings.confirm(&lines, &question)? {
        progress.info("cancelled; nothing removed");
        report.versions.clear();
        return Ok(report);
    }
    report.removed = removal::remove(&aws, &removal, &mut progress).await?;
    Ok(report)
}
