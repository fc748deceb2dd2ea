//! `dynroute extend`: push a version's expiry without redeploying it.
//!
//! Only the `dynroute:expires-at` tag of the version's managed services
//! changes; tasks keep running untouched.

use crate::cli::ExtendArgs;
use crate::config::Ttl;
use crate::engine::extend;
use crate::error::UserError;
use crate::naming::{Version, resource_name};
use crate::report::ExtendReport;
use crate::settings::Settings;
use crate::settings::inputs;
use crate::taskdef::release::expiry;

pub async fn run(settings: &Settings, args: ExtendArgs) -> anyhow::Result<ExtendReport> {
    let version: Version = args.version_name.parse().map_err(UserError::from)?;
    let ttl = args
        .ttl
        .as_deref()
        .map(|t| {
            t.parse::<Ttl>()
                .map_err(|e| UserError::usage(format!("--ttl: {e}")))
        })
        .transpose()?;
    let project = settings.project()?;
    if project.is_protected(&version) {
        settings.ui.info(format!(
            "version `{version}` is protected: it never expires; nothing to extend"
        ));
        return Ok(ExtendReport {
            version: version.to_string(),
            expires_at: "never".to_owned(),
            services: Vec::new(),
            protected: true,
        });
    }
    crate::engine::guardrails::check_extension(&project.limits, ttl.unwrap_or(project.ttl))?;
    let names: Vec<String> = inputs::services(&project, &[])?
        .iter()
        .map(|s| resource_name(&s.name, &version))
        .collect();

    let aws = settings.aws(&project).await?;
    let expires = expiry(&project, &version, ttl, jiff::Timestamp::now());
    let mut progress = settings.progress(&names);
    let services = extend::run(
        &aws,
        &project.cluster,
        version.as_str(),
        &names,
        expires,
        &mut progress,
    )
    .await?;
    Ok(ExtendReport {
        version: version.to_string(),
        expires_at: expires.tag(),
        services,
        protected: false,
    })
}
