//! `dynroute prune`: remove every expired, non-protected version (for a
//! scheduled CI job). Same confirmation rules as `down`; services already
//! DRAINING are not deleted again, only their revisions cleaned.

use jiff::Timestamp;

use crate::cli::PruneArgs;
use crate::config::{Activity, Project};
use crate::engine::activity;
use crate::engine::after_down::{self, AfterDown, HookTarget};
use crate::engine::hooks;
use crate::engine::inventory;
use crate::engine::progress::Progress;
use crate::engine::removal;
use crate::engine::scope::Scope;
use crate::error::UserError;
use crate::naming::{ServiceName, Version};
use crate::report::{IdleVersion, PruneReport};
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: PruneArgs) -> anyhow::Result<PruneReport> {
    let project = settings.optional_project()?;
    // `--idle` is judged by this project's recorder: checked before any AWS call.
    let idle = match (args.idle, &project) {
        (None, _) => None,
        (Some(_), None) => {
            return Err(UserError::usage(
                "prune --idle needs the project's dynroute.yaml (its `activity:` recorder)",
            )
            .hint("run it in the project's directory")
            .into());
        }
        (Some(window), Some(project)) => Some((window, idle_settings(project, window)?)),
    };
    let (aws, scope, views) = match &project {
        Some(project) => {
            let aws = settings.aws(project).await?;
            let scope = Scope::new(&project.project, args.all_projects);
            let views = inventory::list(&aws, project, &scope, Timestamp::now()).await?;
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
    let now = Timestamp::now();
    if let (Some((window, activity)), Some(project)) = (&idle, &project) {
        activity::idle::gate(&views, project, activity, now, *window)?;
    }
    let idle_window = idle.as_ref().map(|(window, _)| (now, *window));
    let (mut removal, expired) = removal::plan_prune(&views, &scope, idle_window);
    let mut progress = settings.progress(&[]);
    let states: Vec<_> = expired
        .iter()
        .flat_map(|v| v.states.iter().cloned())
        .collect();
    // Versions whose services are gone but whose after_down hooks failed.
    let mut retries: Vec<(String, ServiceName, Version)> = Vec::new();
    if let Some(project) = &project {
        let targets: Vec<_> = expired
            .iter()
            .flat_map(|v| {
                v.services
                    .iter()
                    .map(|s| (s.ecs_service.clone(), s.service.clone(), v.version.clone()))
            })
            .collect();
        removal.run_hooks(project, &targets, &states);
        let live: Vec<String> = views.iter().flat_map(|v| v.ecs_services()).collect();
        retries = after_down::pending_cleanups(&aws, project, &live).await?;
        retries.retain(|(_, _, version)| hooks::after_down_applies(project, version));
        for (family, service, version) in &retries {
            removal.families.push(family.clone());
            removal.after_down.insert(
                family.clone(),
                HookTarget {
                    service: service.clone(),
                    version: version.clone(),
                    project: project.project.to_string(),
                    last_run: None,
                    pending_only: true,
                },
            );
        }
    }
    removal.keep_for_their_hooks(&states, project.as_ref());
    let mut report = PruneReport {
        dry_run: args.dry_run,
        versions: expired.iter().map(|v| v.version.clone()).collect(),
        idle: (expired.iter())
            .filter(|v| !v.expired)
            .filter_map(|v| {
                let (now, window) = idle_window?;
                let project = project.as_ref()?.project.as_str();
                let why = activity::idle::idle(v, project, now, window)?;
                Some(IdleVersion {
                    version: v.version.clone(),
                    why,
                })
            })
            .collect(),
        retried: retries.iter().map(|(family, ..)| family.clone()).collect(),
        removed: Vec::new(),
        hooks: Vec::new(),
        hooks_skipped: false,
        cleanup_pending: Vec::new(),
    };
    if removal.families.is_empty() {
        progress.info(match idle {
            Some(_) => "no expired or idle versions",
            None => "no expired versions",
        });
        return Ok(report);
    }
    if let Some(warning) = (project.as_ref())
        .filter(|_| args.no_hooks)
        .and_then(|p| removal.no_hooks_warning(p))
    {
        progress.warn(&warning);
        report.hooks_skipped = true;
    }
    if args.dry_run {
        progress.info(&format!("would remove: {}", removal.families.join(", ")));
        return Ok(report);
    }
    let mut lines: Vec<String> = expired
        .iter()
        .map(|v| {
            let why = match report.idle.iter().find(|i| i.version == v.version) {
                Some(idle) => idle.why.describe(),
                None => format!("expired {}", v.expires_at.as_deref().unwrap_or("?")),
            };
            format!("{} ({why}): {}", v.version, v.ecs_services().join(", "))
        })
        .collect();
    lines.extend(retries.iter().map(|(family, ..)| {
        format!("{family}: its after_down hooks failed before; run them again")
    }));
    let (one, many) = match report.idle.is_empty() {
        true => ("expired version", "expired versions"),
        false => ("expired or idle version", "expired or idle versions"),
    };
    let question = match (expired.len(), retries.len()) {
        (n, 0) => format!("Remove {}?", crate::ui::terminal_text::count(n, one, many)),
        (0, r) => format!(
            "Run the after_down hooks of {} again?",
            crate::ui::terminal_text::count(r, "removed service", "removed services")
        ),
        (n, r) => format!(
            "Remove {} and run the after_down hooks of {} again?",
            crate::ui::terminal_text::count(n, one, many),
            crate::ui::terminal_text::count(r, "removed service", "removed services")
        ),
    };
    if !settings.confirm(&lines, &question)? {
        progress.info("cancelled; nothing removed");
        report.versions.clear();
        report.idle.clear();
        report.retried.clear();
        return Ok(report);
    }
    let outcome = match &project {
        Some(project) => {
            let after = AfterDown {
                project,
                logs: &aws,
                region: aws.region(),
                poll: settings.poll_interval,
            };
            let after = (!args.no_hooks).then_some(&after);
            removal::remove(&aws, &removal, after, &mut progress).await?
        }
        None => removal::remove(&aws, &removal, None, &mut progress).await?,
    };
    report.removed = outcome.removed;
    report.hooks = outcome.hooks;
    report.cleanup_pending = outcome.pending;
    Ok(report)
}

/// The longest `--idle` window.
const MAX_IDLE: std::time::Duration = std::time::Duration::from_secs(365 * 86_400);

/// The project's `activity:` for `--idle window`: usage errors when there is
/// none, or when the window is shorter than a pause the recorder may take.
fn idle_settings(project: &Project, window: std::time::Duration) -> Result<&Activity, UserError> {
    let Some(activity) = &project.activity else {
        return Err(UserError::usage(format!(
            "prune --idle: {} has no `activity:` section, so nothing records which versions are used",
            project.path.display()
        ))
        .hint("configure `activity:` and run `dynroute activity record` on a schedule (or `dynroute serve`); see the Catalog chapter"));
    };
    if window > MAX_IDLE {
        return Err(UserError::usage(format!(
            "prune --idle {}: longer than a year",
            humantime::format_duration(window)
        ))
        .hint("use a window of at most 365d"));
    }
    if window <= activity.max_gap {
        return Err(UserError::usage(format!(
            "prune --idle {}: not longer than activity.max_gap ({}), the pause the recorder may take unnoticed",
            humantime::format_duration(window),
            humantime::format_duration(activity.max_gap)
        ))
        .hint("use a longer window, e.g. --idle 3d"));
    }
    Ok(activity)
}
