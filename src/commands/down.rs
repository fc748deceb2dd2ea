//! `dynroute down`: remove a version's services and task definitions.
//!
//! Scope: the services this project's dynroute.yaml declares (or `-s`), under
//! `{service}--{version}`. Only resources tagged `dynroute:managed=true` are
//! touched. Leftover managed revisions of the version's families (from an
//! interrupted `down`) are always cleaned; only live services need a yes.

use super::picker;
use crate::cli::DownArgs;
use crate::ecs::{Ecs, ServiceState};
use crate::engine::progress::Progress;
use crate::engine::removal::{self, Removal};
use crate::engine::scope::{self, Scope};
use crate::engine::{rollout, visibility};
use crate::error::UserError;
use crate::naming::{Version, resource_name};
use crate::report::DownReport;
use crate::settings::Settings;
use crate::settings::inputs;

pub async fn run(settings: &Settings, args: DownArgs) -> anyhow::Result<DownReport> {
    let project = settings.project()?;
    let services = inputs::services(&project, &args.services)?;
    let explicit = args.version.clone();
    let aws = settings.aws(&project).await?;
    let mut progress = settings.progress(&[]);
    let scope = Scope::new(&project.project, args.all_projects);
    let version = match explicit {
        Some(v) => v,
        None if settings.ui.interactive => {
            match picker::pick(settings, &aws, &project, args.force, &scope).await? {
                Some(v) => v,
                None => {
                    progress.info("no versions to remove");
                    return Ok(empty(None, Vec::new()));
                }
            }
        }
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
    let mut states = aws.describe_services(&families).await?;
    // A service created a moment ago may not show yet: wait for it rather than
    // deregister the task definition it is about to run.
    let poller = settings.poller(args.timeout);
    states.extend(visibility::catch_up(&aws, &families, &states, poller, &mut progress).await?);
    let skipped: Vec<String> = states
        .iter()
        .filter(|s| s.is_present() && !s.is_managed())
        .map(|s| s.name.clone())
        .collect();
    for name in &skipped {
        progress.warn(&format!(
            "{name} is not managed by dynroute; left untouched"
        ));
    }
    let foreign: Vec<&ServiceState> = states
        .iter()
        .filter(|s| s.is_present() && s.is_managed() && !scope.includes(s))
        .collect();
    for s in &foreign {
        progress.info(&format!(
            "{} belongs to project {}; left untouched (--all-projects to remove it too)",
            s.name,
            scope::project_of(s).unwrap_or("?")
        ));
    }
    let skipped_families: Vec<&str> = skipped
        .iter()
        .map(String::as_str)
        .chain(foreign.iter().map(|s| s.name.as_str()))
        .collect();
    // DRAINING services are already being deleted: only their revisions remain to clean.
    let removal = Removal {
        project: scope.project(),
        delete: states
            .iter()
            .filter(|s| s.is_live() && s.is_managed() && scope.includes(s))
            .map(|s| s.name.clone())
            .collect(),
        families: families
            .into_iter()
            .filter(|f| !skipped_families.contains(&f.as_str()))
            .collect(),
    };
    if !removal.nothing_live()
        && !settings.confirm(
            &removal.delete,
            &format!(
                "Remove version {version} ({} services)?",
                removal.delete.len()
            ),
        )?
    {
        progress.info("cancelled; nothing removed");
        return Ok(empty(Some(version), skipped));
    }
    let removed = removal::remove(&aws, &removal, &mut progress).await?;
    if removal.nothing_live() {
        progress.info(&format!("version {version} is not deployed; nothing to do"));
    }
    if args.wait && !removal.nothing_live() {
        let poller = settings.poller(args.timeout);
        rollout::wait_until_gone(&aws, &removal.delete, poller, &mut progress).await?;
    }
    Ok(DownReport {
        version: Some(version.clone()),
        removed,
        skipped_unmanaged: skipped,
    })
}

fn empty(version: Option<Version>, skipped_unmanaged: Vec<String>) -> DownReport {
    DownReport {
        version,
        removed: Vec::new(),
        skipped_unmanaged,
    }
}
