//! `dynroute extend`: push a version's expiry without redeploying it.
//!
//! Only the `dynroute:expires-at` tag of the version's managed services
//! changes; tasks keep running untouched.

use crate::cli::ExtendArgs;
use crate::engine::extend;
use crate::naming::resource_name;
use crate::report::ExtendReport;
use crate::settings::Settings;
use crate::settings::inputs;
use crate::taskdef::release::expiry;

pub async fn run(settings: &Settings, args: ExtendArgs) -> anyhow::Result<ExtendReport> {
    let version = args.version;
    let ttl = args.ttl;
    let project = settings.project()?;
    if project.is_protected(&version) {
        settings.ui.info(format!(
            "version `{version}` is protected: it never expires; nothing to extend"
        ));
        return Ok(ExtendReport {
            version: version.clone(),
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
        version: version.clone(),
        expires_at: expires.tag(),
        services,
        protected: false,
    })
}
