//! `dynroute header`: the baggage header for a version. No AWS call.

use std::io::Write;

use serde::Serialize;

use super::inputs::version_or_branch;
use crate::baggage;
use crate::cli::{HeaderArgs, HeaderFormat, OutputFormat};
use crate::config::{Ingress, Project};
use crate::context::Context;
use crate::error::UserError;

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
    let value = match &args.merge {
        Some(existing) => baggage::merge(existing, &key, &version).map_err(|err| {
            UserError::usage(format!("--merge: {err}"))
                .hint("a baggage value is `key=value` members separated by commas, e.g. `userId=alice,tenant=7`")
        })?,
        None => baggage::member(&key, &version),
    };
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
