//! `dynroute ls`: deployed versions, main first.
//!
//! Costs ceil(N/100) ListServices + ceil(N/10) DescribeServices calls for N
//! services in the cluster, at most 8 at a time; nothing else.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use crate::cli::LsArgs;
use crate::config::Project;
use crate::engine::inventory::{self, VersionView};
use crate::engine::scope::Scope;
use crate::engine::ways_in;
use crate::error::UserError;
use crate::naming::provenance::{self, ProcessEnv};
use crate::naming::{ServiceName, Version};
use crate::report::{LsReport, LsRow};
use crate::routing;
use crate::settings::Settings;

/// Per deployed service, the URL that reaches this version.
fn version_urls(project: &Project, view: &VersionView) -> Vec<String> {
    view.services
        .iter()
        .filter_map(|s| project.services.get(&s.service))
        .filter_map(|settings| ways_in::url_of(project, &view.version, settings))
        .collect()
}

/// The versions each service runs, from the inventory.
fn running_versions(views: &[VersionView]) -> BTreeMap<ServiceName, BTreeSet<Version>> {
    let mut out: BTreeMap<_, BTreeSet<_>> = BTreeMap::new();
    for view in views {
        for s in &view.services {
            out.entry(s.service.clone())
                .or_default()
                .insert(view.version.clone());
        }
    }
    out
}

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
    let running = running_versions(&views);
    let declared: Vec<&ServiceName> = project.services.keys().collect();
    let rows: Vec<LsRow> = views
        .into_iter()
        .filter(|v| {
            service_filter
                .as_ref()
                .is_none_or(|s| v.services.iter().any(|x| &x.service == *s))
        })
        .filter(|v| {
            owner_filter
                .as_ref()
                // Owners are stored as AWS tag values: compare in that form.
                .is_none_or(|o| v.owner.as_deref() == Some(provenance::tag_value(o).as_str()))
        })
        .filter(|v| !args.expired || v.expired)
        .filter(|v| args.pr.is_none_or(|pr| v.pr == Some(pr)))
        .map(|version| LsRow {
            urls: version_urls(&project, &version),
            served_elsewhere: if version.version == project.main_version {
                BTreeMap::new()
            } else {
                routing::served_elsewhere(
                    &project.ways_in,
                    &project.main_version,
                    &version.version,
                    &declared,
                    &running,
                )
            },
            version,
        })
        .collect();
    if rows.is_empty() {
        settings.ui.info(format!(
            "no versions deployed in cluster {}",
            project.cluster
        ));
    }
    Ok(LsReport { rows, now })
}
