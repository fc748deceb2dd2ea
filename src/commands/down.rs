//! `dynroute down`: remove a version's services and task definitions.
//!
//! Scope: the services this project's dynroute.yaml declares (or `-s`), under
//! `{service}--{version}`. Only resources tagged `dynroute:managed=true` are
//! touched. Leftover managed revisions of the version's families (from an
//! interrupted `down`) are always cleaned; only live services need a yes.

use super::picker;
use crate::cli::DownArgs;
use crate::config::Phase;
use crate::ecs::Ecs;
use crate::engine::after_down::AfterDown;
use crate::engine::hooks;
use crate::engine::progress::Progress;
use crate::engine::removal;
use crate::engine::scope::Scope;
use crate::engine::{rollout, visibility};
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
    let families: Vec<String> = services
        .iter()
        .map(|s| resource_name(&s.name, &version))
        .collect();
    inputs::refuse_baseline(&project, &version, &services, "down")?;
    let protected = project.is_protected(&version);
    removal::refuse_protected(&version, protected, args.force)?;
    let mut states = aws.describe_services(&families).await?;
    // A service created a moment ago may not show yet: wait for it rather than
    // deregister the task definition it is about to run.
    let poller = settings.poller(args.timeout);
    states.extend(visibility::catch_up(&aws, &families, &states, poller, &mut progress).await?);
    let plan = removal::plan_down(&version, protected, args.force, &families, &states, &scope)?;
    plan.tell_skipped(&mut progress);
    let skipped = plan.unmanaged();
    let mut removal = plan.removal;
    let targets: Vec<_> = (services.iter().zip(&families))
        .map(|(s, family)| (family.clone(), s.name.clone(), version.clone()))
        .collect();
    removal.run_hooks(&project, &targets, &states);
    removal.keep_for_their_hooks(&states, Some(&project));
    if project.hooks.in_phase(Phase::AfterDown).next().is_some()
        && !hooks::after_down_applies(&project, &version)
    {
        progress.info(&format!(
            "version {version} is protected: its after_down hooks do not run"
        ));
    }
    let no_hooks_warning = (args.no_hooks)
        .then(|| removal.no_hooks_warning(&project))
        .flatten();
    let hooks_skipped = no_hooks_warning.is_some();
    if let Some(warning) = no_hooks_warning {
        progress.warn(&warning);
    }
    if !removal.nothing_live()
        && !settings.confirm(
            &removal.delete,
            &format!(
                "Remove version {version} ({})?",
                crate::ui::terminal_text::count(removal.delete.len(), "service", "services")
            ),
        )?
    {
        progress.info("cancelled; nothing removed");
        return Ok(empty(Some(version), skipped));
    }
    let after = AfterDown {
        project: &project,
        logs: &aws,
        region: aws.region(),
        poll: settings.poll_interval,
    };
    let outcome = removal::remove(
        &aws,
        &removal,
        (!args.no_hooks).then_some(&after),
        &mut progress,
    )
    .await?;
    if removal.nothing_live() && outcome.hooks.is_empty() {
        progress.info(&format!("version {version} is not deployed; nothing to do"));
    }
    if args.wait && !removal.nothing_live() {
        let poller = settings.poller(args.timeout);
        rollout::wait_until_gone(&aws, &removal.delete, poller, &mut progress).await?;
    }
    Ok(DownReport {
        version: Some(version.clone()),
        removed: outcome.removed,
        skipped_unmanaged: skipped,
        hooks: outcome.hooks,
        hooks_skipped,
        cleanup_pending: outcome.pending,
    })
}

fn empty(version: Option<Version>, skipped_unmanaged: Vec<String>) -> DownReport {
    DownReport {
        version,
        removed: Vec::new(),
        skipped_unmanaged,
        hooks: Vec::new(),
        hooks_skipped: false,
        cleanup_pending: Vec::new(),
    }
}
