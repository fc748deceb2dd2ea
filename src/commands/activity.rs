//! `dynroute activity record`: one recording of Traefik's counters into the
//! project's service tags and the heartbeat (`crate::engine::activity`), for
//! a scheduled job; `serve` records the same way on its own.

use jiff::Timestamp;

use crate::cli::{ActivityAction, ActivityArgs};
use crate::engine::activity::recorder::{self, HttpMetrics};
use crate::engine::inventory;
use crate::engine::scope::Scope;
use crate::error::UserError;
use crate::report::ActivityReport;
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: ActivityArgs) -> anyhow::Result<ActivityReport> {
    match args.action {
        ActivityAction::Record => record(settings).await,
    }
}

async fn record(settings: &Settings) -> anyhow::Result<ActivityReport> {
    let project = settings.project()?;
    let Some(activity) = project.activity.clone() else {
        return Err(UserError::usage(format!(
            "{}: no `activity:` section, so there are no Traefik counters to read",
            project.path.display()
        ))
        .hint("add `activity:` with `metrics:` (each Traefik replica's /metrics URL) or `traefik_service:` (see the Catalog chapter)")
        .into());
    };
    let reader = HttpMetrics::new()?;
    let aws = settings.aws(&project).await?;
    let scope = Scope::new(&project.project, false);
    let now = Timestamp::now();
    let views = inventory::list(&aws, &project, &scope, now).await?;
    let services: Vec<_> = views
        .iter()
        .flat_map(|v| v.states.iter().cloned())
        .collect();
    let recording = recorder::record(&aws, &reader, &project, &activity, &services, now).await?;
    Ok(ActivityReport { recording })
}
