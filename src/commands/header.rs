//! `dynroute header`: the baggage header for a version, and the other ways in
//! (version host, link, cookie). No AWS call for the header, value, cookie and
//! JSON forms; the curl, host and link forms read which services run the
//! version (they name only those), and a load balancer ingress is resolved.

use super::pins::{baggage_value, check_entry_format, check_pins, entry_lines};
use crate::cli::HeaderArgs;
use crate::config::{Ingress, Project};
use crate::engine::ingress;
use crate::engine::{deployed, ways_in};
use crate::error::UserError;
use crate::naming::ServiceName;
use crate::report::HeaderReport;
use crate::report::format::HeaderFormat;
use crate::routing::CookieName;
use crate::routing::baggage;
use crate::settings::Settings;
use crate::settings::inputs::version_or_branch;

pub fn run(settings: &Settings, args: HeaderArgs) -> anyhow::Result<HeaderReport> {
    let format = settings.format(args.format, HeaderFormat::Json, HeaderFormat::Header)?;
    let version = version_or_branch(args.version.as_ref())?;
    let project = settings.optional_project()?;
    let key = project
        .as_ref()
        .map(|p| p.baggage_key.clone())
        .unwrap_or_default();
    if let Some(p) = &project {
        let names: Vec<&ServiceName> = p.services.keys().collect();
        crate::config::check_version(&p.ways_in, &names, &version)?;
    }
    let pins = check_pins(project.as_ref(), &args.pins)?;
    let value = baggage_value(&key, &version, args.merge.as_deref(), &pins)?;
    let header = format!("{}: {value}", baggage::HEADER);
    if let Some(p) = &project {
        check_entry_format(p, format)?;
    }
    // The forms that name services name the ones that run the version.
    let serving = match (&project, format) {
        // Main runs on every service: no AWS call (and no credentials) needed.
        (Some(p), HeaderFormat::Curl | HeaderFormat::Host | HeaderFormat::Link)
            if version == p.main_version =>
        {
            Some(p.services.values().collect())
        }
        (Some(p), HeaderFormat::Curl | HeaderFormat::Host | HeaderFormat::Link) => {
            Some(super::block_on_value(async {
                let aws = settings.aws(p).await?;
                deployed::serving(&aws, p, &version).await
            })?)
        }
        _ => None,
    };
    let lines = match format {
        HeaderFormat::Curl => {
            let ingress = printed_ingress(settings, project.as_ref())?;
            ways_in::curl_lines(serving.as_deref(), ingress.as_deref(), &header)
        }
        HeaderFormat::Cookie => {
            let cookie = project
                .as_ref()
                .map(|p| p.ways_in.cookie.clone())
                .unwrap_or_else(|| CookieName::from(&key));
            vec![format!("Cookie: {cookie}={version}")]
        }
        HeaderFormat::Host | HeaderFormat::Link => {
            let project = project.as_ref().ok_or_else(|| {
                UserError::usage("--format host and --format link need dynroute.yaml")
                    .hint("run in a project directory, or pass --config PATH")
            })?;
            entry_lines(
                project,
                serving.as_deref().unwrap_or_default(),
                &version,
                format,
            )
        }
        HeaderFormat::Header | HeaderFormat::Value | HeaderFormat::Json => Vec::new(),
    };
    Ok(HeaderReport {
        name: baggage::HEADER,
        value,
        key: key.to_string(),
        version: version.clone(),
        header,
        format,
        lines,
    })
}

/// The ingress for curl lines. Only a load balancer ingress needs an AWS call
/// (its DNS name); a failure there costs the lines their ingress, with a warning.
fn printed_ingress(
    settings: &Settings,
    project: Option<&Project>,
) -> anyhow::Result<Option<String>> {
    match project {
        Some(p) if matches!(p.ingress, Some(Ingress::LoadBalancer(_))) => {
            super::block_on_value(async {
                let aws = settings.aws(p).await?;
                let mut progress = settings.progress(&[]);
                Ok(ingress::for_printing(&aws, p, &mut progress).await)
            })
        }
        Some(Project {
            ingress: Some(Ingress::Url(url)),
            ..
        }) => Ok(Some(url.clone())),
        _ => Ok(None),
    }
}
