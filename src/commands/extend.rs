//! `dynroute extend`: push a version's expiry without redeploying it.
//!
//! Only the `dynroute:expires-at` tag of the version's managed services
//! changes; tasks keep running untouched.

use std::io::Write;

use serde::Serialize;

use super::inputs;
use crate::cli::{ExtendArgs, OutputFormat};
use crate::config::Ttl;
use crate::context::Context;
use crate::deploy::model::ServiceStatus;
use crate::error::{ExitKind, UserError};
use crate::naming::{Version, resource_name};
use crate::release::expiry;
use crate::tags::{self, Expiry};

#[derive(Debug, Serialize)]
struct ExtendOutput {
    version: String,
    /// RFC 3339 or `never`.
    expires_at: String,
    services: Vec<String>,
}

pub async fn run(ctx: &Context, args: ExtendArgs) -> anyhow::Result<()> {
    let version: Version = args.version_name.parse().map_err(UserError::from)?;
    let ttl = args
        .ttl
        .as_deref()
        .map(|t| {
            t.parse::<Ttl>()
                .map_err(|e| UserError::usage(format!("--ttl: {e}")))
        })
        .transpose()?;
    let project = ctx.project()?;
    if project.is_protected(&version) {
        ctx.ui.info(format!(
            "version `{version}` is protected: it never expires; nothing to extend"
        ));
        return Ok(());
    }
    crate::limits::check_extension(&project.limits, ttl.unwrap_or(project.ttl))?;
    let services = inputs::services(&project, &[])?;
    let names: Vec<String> = services
        .iter()
        .map(|s| resource_name(&s.name, &version))
        .collect();

    let aws = ctx.aws(&project).await?;
    let live: Vec<_> = aws
        .describe_services(&names)
        .await?
        .into_iter()
        .filter(|s| s.status == ServiceStatus::Active && s.is_managed())
        .collect();
    if live.is_empty() {
        return Err(UserError::new(
            ExitKind::Failure,
            format!(
                "version `{version}` is not deployed: no managed service {} on cluster {}",
                names.join(", "),
                project.cluster
            ),
        )
        .hint("`dynroute ls` lists the deployed versions")
        .into());
    }
    let expires = expiry(&project, &version, ttl, jiff::Timestamp::now());
    let tag = vec![(tags::EXPIRES_AT.to_owned(), expires.tag())];
    for service in &live {
        ctx.ui
            .detail(format!("tag {} {}={}", service.name, tag[0].0, tag[0].1));
        aws.tag_resource(&service.arn, &tag).await?;
    }
    let output = ExtendOutput {
        version: version.to_string(),
        expires_at: expires.tag(),
        services: live.iter().map(|s| s.name.clone()).collect(),
    };
    let mut out = std::io::stdout().lock();
    if ctx.output == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&output)?)?;
    } else {
        let when = match expires {
            Expiry::Never => "never expires".to_owned(),
            Expiry::At(_) => format!("expires at {}", output.expires_at),
        };
        writeln!(
            out,
            "{}: {when} ({})",
            output.version,
            output.services.join(", ")
        )?;
    }
    Ok(())
}
