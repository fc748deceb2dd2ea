//! `dynroute ls`: deployed versions, main first.
//!
//! Costs ceil(N/100) ListServices + ceil(N/10) DescribeServices calls for N
//! services in the cluster, at most 8 at a time; nothing else.

use std::io::Write;

use console::style;
use jiff::Timestamp;
use serde::Serialize;

use crate::cli::{LsArgs, OutputFormat};
use crate::config::Project;
use crate::context::Context;
use crate::deploy::inventory::{self, VersionView, age};
use crate::error::UserError;
use crate::naming::ServiceName;
use crate::provenance::{self, ProcessEnv};
use crate::tags::Expiry;
use crate::ui::table;

/// A version with the URLs of its services (for the services this project declares).
#[derive(Debug, Serialize)]
struct Row {
    #[serde(flatten)]
    version: VersionView,
    urls: Vec<String>,
    /// Declared services without this version, and what answers there instead.
    served_elsewhere: std::collections::BTreeMap<ServiceName, crate::routing::Tier>,
}

fn version_urls(project: &Project, view: &VersionView) -> Vec<String> {
    view.services
        .iter()
        .filter_map(|s| {
            project
                .services
                .get(&s.service.parse::<ServiceName>().ok()?)
        })
        .flat_map(|settings| settings.urls())
        .collect()
}

pub async fn run(ctx: &Context, args: LsArgs) -> anyhow::Result<()> {
    let project = ctx.project()?;
    let service_filter = args
        .service
        .as_deref()
        .map(|s| s.parse::<ServiceName>().map_err(UserError::from))
        .transpose()?;
    let owner_filter = if args.mine {
        Some(provenance::owner(&ProcessEnv).ok_or_else(|| {
            UserError::usage("cannot tell who you are for --mine").hint("pass --owner NAME")
        })?)
    } else {
        args.owner.clone()
    };

    let aws = ctx.aws(&project).await?;
    let now = Timestamp::now();
    let views: Vec<VersionView> = inventory::versions(
        aws.all_services().await?,
        &project.main_version,
        |v| project.is_protected(v),
        now,
    )
    .into_iter()
    .filter(|v| {
        service_filter
            .as_ref()
            .is_none_or(|s| v.services.iter().any(|x| x.service == s.as_str()))
    })
    .filter(|v| {
        owner_filter
            .as_ref()
            // Owners are stored as AWS tag values: compare in that form.
            .is_none_or(|o| v.owner.as_deref() == Some(provenance::tag_value(o).as_str()))
    })
    .filter(|v| !args.expired || v.expired)
    .collect();
    let running = running_versions(&views);
    let declared: Vec<&ServiceName> = project.services.keys().collect();
    let rows: Vec<Row> = views
        .into_iter()
        .map(|version| Row {
            urls: version_urls(&project, &version),
            served_elsewhere: match version.version.parse() {
                Ok(v) if v != project.main_version => crate::routing::served_elsewhere(
                    &project.ways_in,
                    &project.main_version,
                    &v,
                    &declared,
                    &running,
                ),
                _ => Default::default(),
            },
            version,
        })
        .collect();

    let mut out = std::io::stdout().lock();
    if ctx.output == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    if rows.is_empty() {
        ctx.ui.info(format!(
            "no versions deployed in cluster {}",
            project.cluster
        ));
        return Ok(());
    }
    let mut t = table::new(&[
        "VERSION", "SERVICES", "STATUS", "OWNER", "AGE", "EXPIRES", "IMAGE", "URL",
    ]);
    for Row {
        version: v, urls, ..
    } in &rows
    {
        let services: Vec<&str> = v.services.iter().map(|s| s.service.as_str()).collect();
        let status = match v.status.as_str() {
            "failed" => style(v.status.clone()).red().to_string(),
            "deploying" | "draining" => style(v.status.clone()).yellow().to_string(),
            _ => style(v.status.clone()).green().to_string(),
        };
        let expires = match v.expires_at.as_deref().and_then(Expiry::parse) {
            _ if v.protected => "never (protected)".to_owned(),
            Some(Expiry::Never) => "never".to_owned(),
            Some(Expiry::At(_)) if v.expired => style("expired").red().to_string(),
            Some(Expiry::At(at)) => format!("in {}", age(now, at)),
            None => "-".to_owned(),
        };
        t.add_row(vec![
            v.version.clone(),
            services.join(","),
            status,
            v.owner.clone().unwrap_or_else(|| "-".into()),
            v.created_at.map_or_else(|| "-".into(), |c| age(c, now)),
            expires,
            v.image_tag.clone().unwrap_or_else(|| "-".into()),
            urls.join(" "),
        ]);
    }
    writeln!(out, "{t}")?;
    // Only fallback tiers need saying: everything else not deployed falls back to main.
    for Row {
        version: v,
        served_elsewhere,
        ..
    } in &rows
    {
        let tiers: Vec<String> = served_elsewhere
            .iter()
            .filter(|(_, tier)| matches!(tier, crate::routing::Tier::Fallback(_)))
            .map(|(service, tier)| format!("{service} → {} (fallback)", tier.version()))
            .collect();
        if !tiers.is_empty() {
            writeln!(out, "{}: {}", v.version, tiers.join(", "))?;
        }
    }
    Ok(())
}

/// The versions each service runs, from the inventory.
fn running_versions(
    views: &[VersionView],
) -> std::collections::BTreeMap<ServiceName, std::collections::BTreeSet<crate::naming::Version>> {
    let mut out: std::collections::BTreeMap<_, std::collections::BTreeSet<_>> = Default::default();
    for view in views {
        let Ok(version) = view.version.parse::<crate::naming::Version>() else {
            continue;
        };
        for s in &view.services {
            if let Ok(service) = s.service.parse() {
                out.entry(service).or_default().insert(version.clone());
            }
        }
    }
    out
}
