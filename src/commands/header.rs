//! `dynroute header`: the baggage header for a version, and the other ways in
//! (version host, link, cookie). No AWS call, except to resolve a load balancer.

use std::io::Write;

use serde::Serialize;

use super::inputs::version_or_branch;
use crate::baggage;
use crate::cli::{HeaderArgs, HeaderFormat, OutputFormat};
use crate::config::{Ingress, Project};
use crate::context::Context;
use crate::error::UserError;
use crate::naming::{ServiceName, Version};
use crate::routing::{self, BaggageKey, CookieName, EntryKind};

#[derive(Debug, Serialize)]
struct HeaderOutput {
    name: &'static str,
    value: String,
    key: String,
    version: String,
    header: String,
}

pub fn run(ctx: &Context, args: HeaderArgs) -> anyhow::Result<()> {
    let version = version_or_branch(args.version_name.as_deref())?;
    let project = ctx.optional_project()?;
    let key = project
        .as_ref()
        .map(|p| p.baggage_key.clone())
        .unwrap_or_default();
    if let Some(p) = &project {
        let names: Vec<&ServiceName> = p.services.keys().collect();
        crate::config::check_version(&p.ways_in, &names, &version)?;
    }
    let pins = parse_pins(project.as_ref(), &args.pins)?;
    let value = baggage_value(&key, &version, args.merge.as_deref(), &pins)?;
    let header = format!("{}: {value}", baggage::HEADER);

    let format = if ctx.output == OutputFormat::Json {
        HeaderFormat::Json
    } else {
        args.format
    };
    let mut out = std::io::stdout().lock();
    match format {
        HeaderFormat::Header => writeln!(out, "{header}")?,
        HeaderFormat::Value => writeln!(out, "{value}")?,
        HeaderFormat::Json => {
            let json = HeaderOutput {
                name: baggage::HEADER,
                value,
                key: key.to_string(),
                version: version.to_string(),
                header,
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        }
        HeaderFormat::Cookie => {
            let cookie = project
                .as_ref()
                .map(|p| p.ways_in.cookie.clone())
                .unwrap_or_else(|| CookieName::from(&key));
            writeln!(out, "Cookie: {cookie}={version}")?;
        }
        HeaderFormat::Host | HeaderFormat::Link => {
            let project = project.as_ref().ok_or_else(|| {
                UserError::usage("--format host and --format link need dynroute.yaml")
                    .hint("run in a project directory, or pass --config PATH")
            })?;
            for line in entry_lines(project, &version, format)? {
                writeln!(out, "{line}")?;
            }
        }
        HeaderFormat::Curl => {
            // Only a load balancer ingress needs an AWS call (its DNS name).
            let ingress = match &project {
                Some(p) if matches!(p.ingress, Some(Ingress::LoadBalancer(_))) => {
                    crate::block_on_value(async {
                        let aws = ctx.aws(p).await?;
                        super::ingress::resolve(&aws, p).await
                    })?
                }
                Some(Project {
                    ingress: Some(Ingress::Url(url)),
                    ..
                }) => Some(url.clone()),
                _ => None,
            };
            for line in curl_lines(project.as_ref(), ingress.as_deref(), &header) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

/// `--pin SERVICE=VERSION` values, checked against the project's services.
pub fn parse_pins(
    project: Option<&Project>,
    pins: &[String],
) -> Result<Vec<(ServiceName, Version)>, UserError> {
    let mut out = Vec::new();
    for pin in pins {
        let (service, version) = pin.split_once('=').ok_or_else(|| {
            UserError::usage(format!("--pin {pin:?}: expected SERVICE=VERSION"))
                .hint("e.g. `--pin api=feature-2`")
        })?;
        let project = project.ok_or_else(|| {
            UserError::usage("--pin needs dynroute.yaml to know the services")
                .hint("run in a project directory, or pass --config PATH")
        })?;
        let known = || {
            let names: Vec<&str> = project.services.keys().map(|s| s.as_str()).collect();
            format!("declared services: {}", names.join(", "))
        };
        let service: ServiceName = service
            .parse()
            .ok()
            .filter(|s| project.services.contains_key(s))
            .ok_or_else(|| {
                UserError::usage(format!(
                    "--pin {pin:?}: service `{service}` is not declared in {}",
                    project.path.display()
                ))
                .hint(known())
            })?;
        let version: Version = version.parse().map_err(|err| {
            UserError::usage(format!("--pin {pin:?}: {err}"))
                .hint("a version is lowercase letters, digits and `-`, like `feature-2`")
        })?;
        crate::config::check_version(&project.ways_in, &[&service], &version)?;
        out.retain(|(s, _): &(ServiceName, Version)| *s != service);
        out.push((service, version));
    }
    Ok(out)
}

/// Our member (merged into `existing` when given), then one member per pin.
pub fn baggage_value(
    key: &BaggageKey,
    version: &Version,
    existing: Option<&str>,
    pins: &[(ServiceName, Version)],
) -> Result<String, UserError> {
    let hint =
        "a baggage value is `key=value` members separated by commas, e.g. `userId=alice,tenant=7`";
    let mut value = match existing {
        Some(existing) => baggage::merge(existing, key, version)
            .map_err(|err| UserError::usage(format!("--merge: {err}")).hint(hint))?,
        None => baggage::member(key, version),
    };
    for (service, pinned) in pins {
        value = baggage::merge(&value, &routing::pin_key(key, service), pinned)
            .map_err(|err| UserError::usage(format!("--pin: {err}")).hint(hint))?;
    }
    Ok(value)
}

/// The version host names or the links of every service.
fn entry_lines(
    project: &Project,
    version: &Version,
    format: HeaderFormat,
) -> Result<Vec<String>, UserError> {
    if format == HeaderFormat::Host {
        if project.ways_in.version_host_domain.is_none() {
            return Err(UserError::usage(format!(
                "{} has no version hosts",
                project.path.display()
            ))
            .hint("set `domain:` (version hosts are on by default with it), and not `browser: {version_hosts: false}`"));
        }
        return Ok(project
            .services
            .keys()
            .filter_map(|service| routing::version_host(&project.ways_in, service, version))
            .map(|host| host.to_string())
            .collect());
    }
    Ok(project
        .services
        .keys()
        .flat_map(|service| routing::entry_points(project, version, service))
        .filter(|e| e.kind == EntryKind::Link)
        .map(|e| e.value)
        .collect())
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
