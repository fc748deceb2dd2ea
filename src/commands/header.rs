//! `dynroute header`: the baggage header for a version. No AWS call.

use super::inputs::version_or_branch;
use crate::baggage;
use crate::cli::{HeaderArgs, HeaderFormat};
use crate::config::{Ingress, Project};
use crate::engine::ingress;
use crate::error::UserError;
use crate::report::HeaderReport;
use crate::settings::Settings;

pub fn run(settings: &Settings, args: HeaderArgs) -> anyhow::Result<HeaderReport> {
    let format = settings.format(args.format, HeaderFormat::Json, HeaderFormat::Header)?;
    let version = version_or_branch(args.version_name.as_deref())?;
    let project = settings.optional_project()?;
    let key = project
        .as_ref()
        .map(|p| p.baggage_key.clone())
        .unwrap_or_default();
    let value = match &args.merge {
        Some(existing) => baggage::merge(existing, &key, &version).map_err(|err| {
            UserError::usage(format!("--merge: {err}"))
                .hint("a baggage value is `key=value` members separated by commas, e.g. `userId=alice,tenant=7`")
        })?,
        None => baggage::member(&key, &version),
    };
    let header = format!("{}: {value}", baggage::HEADER);
    let curl = match format {
        HeaderFormat::Curl => curl_lines(
            project.as_ref(),
            printed_ingress(settings, project.as_ref())?.as_deref(),
            &header,
        ),
        _ => Vec::new(),
    };
    Ok(HeaderReport {
        name: baggage::HEADER,
        value,
        key: key.to_string(),
        version: version.to_string(),
        header,
        format,
        curl,
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
            crate::block_on_value(async {
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

/// Single-quotes a word for POSIX shells.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One ready curl command per service (or a generic one without a config),
/// through `ingress` (a base URL) when there is one.
pub fn curl_lines(project: Option<&Project>, ingress: Option<&str>, header: &str) -> Vec<String> {
    let header = shell_quote(header);
    let Some(project) = project else {
        return vec![format!("curl -H {header} \"$URL\"")];
    };
    project
        .services
        .values()
        .map(|service| {
            let host = &service.hosts[0];
            let path = service.path();
            match ingress {
                Some(url) => format!(
                    "curl -H {} -H {header} {}",
                    shell_quote(&format!("Host: {host}")),
                    shell_quote(&format!("{url}{path}"))
                ),
                _ => format!(
                    "curl -H {header} {}",
                    shell_quote(&format!("http://{host}{path}"))
                ),
            }
        })
        .collect()
}
