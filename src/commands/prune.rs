//! `dynroute prune`: remove every expired, non-protected version (for a
//! scheduled CI job). Same confirmation rules as `down`.

use std::io::Write;

use jiff::Timestamp;
use serde::Serialize;

use super::removal::{self, Removed};
use crate::cli::{OutputFormat, PruneArgs};
use crate::context::Context;
use crate::deploy::inventory;

#[derive(Debug, Serialize)]
struct PruneOutput {
    dry_run: bool,
    versions: Vec<String>,
    removed: Vec<Removed>,
}

pub async fn run(ctx: &Context, args: PruneArgs) -> anyhow::Result<()> {
    let project = ctx.project()?;
    let aws = ctx.aws(&project).await?;
    let expired: Vec<_> = inventory::versions(
        aws.all_services().await?,
        &project.main_version,
        |v| project.is_protected(v),
        Timestamp::now(),
    )
    .into_iter()
    .filter(|v| v.expired)
    .collect();
    let versions: Vec<String> = expired.iter().map(|v| v.version.clone()).collect();
    let services: Vec<String> = expired
        .iter()
        .flat_map(|v| v.states.iter().map(|s| s.name.clone()))
        .collect();

    let mut output = PruneOutput {
        dry_run: args.dry_run,
        versions,
        removed: Vec::new(),
    };
    if services.is_empty() {
        ctx.ui.info("no expired versions");
    } else if args.dry_run {
        ctx.ui
            .info(format!("would remove: {}", services.join(", ")));
    } else {
        let lines: Vec<String> = expired
            .iter()
            .map(|v| {
                let names: Vec<&str> = v.states.iter().map(|s| s.name.as_str()).collect();
                format!(
                    "{} (expired {}): {}",
                    v.version,
                    v.expires_at.as_deref().unwrap_or("?"),
                    names.join(", ")
                )
            })
            .collect();
        if !removal::confirm(
            ctx,
            &lines,
            &format!("Remove {} expired versions?", expired.len()),
        )? {
            ctx.ui.info("cancelled; nothing removed");
            return Ok(());
        }
        output.removed = removal::remove(ctx, &aws, &services, &services).await?;
    }

    let mut out = std::io::stdout().lock();
    if ctx.output == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&output)?)?;
    } else {
        for v in &output.versions {
            writeln!(
                out,
                "{}{v}",
                if args.dry_run {
                    "would remove "
                } else {
                    "removed "
                }
            )?;
        }
    }
    Ok(())
}
