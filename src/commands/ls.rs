//! `dynroute ls`: deployed versions, main first.
//!
//! Costs ceil(N/100) ListServices + ceil(N/10) DescribeServices calls for N
//! services in the cluster, at most 8 at a time; nothing else.

use jiff::Timestamp;

use crate::cli::LsArgs;
use crate::engine::inventory;
use crate::engine::scope::Scope;
use crate::error::UserError;
use crate::naming::provenance::{self, ProcessEnv};
use crate::report::{LsReport, LsRow};
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: LsArgs) -> anyhow::Result<LsReport> {
    let project = settings.project()?;
    let service_filter = args.service.as_ref();
    let owner_filter = if args.mine {
        Some(provenance::owner(&ProcessEnv).ok_or_else(|| {
            UserError::usage("cannot tell who you are for --mine").hint("pass --owner NAME")
        })?)
    } else {
        args.owner.clone()
    };

    let aws = settings.aws(&project).await?;
    let now = Timestamp::now();
    let scope = Scope::new(&project.project, args.all_projects);
    let views = inventory::list(&aws, &project, &scope, now).await?;
    let rows: Vec<LsRow> = LsRow::for_views(&project, views)
        .into_iter()
        .filter(|row| {
            service_filter
                .as_ref()
                .is_none_or(|s| row.version.services.iter().any(|x| &x.service == *s))
        })
        .filter(|row| {
            owner_filter
                .as_ref()
                // Owners are stored as AWS tag values: compare in that form.
                .is_none_or(|o| {
                    row.version.owner.as_deref() == Some(provenance::tag_value(o).as_str())
                })
        })
        .filter(|row| !args.expired || row.version.expired)
        .filter(|row| args.pr.is_none_or(|pr| row.version.pr == Some(pr)))
        .collect();
    if rows.is_empty() {
        settings.ui.info(format!(
            "no versions deployed in cluster {}",
            project.cluster
        ));
    }
    Ok(LsReport { rows, now })
}
