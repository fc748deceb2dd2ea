//! `dynroute doctor`: every check of the setup, read-only.

use crate::cli::{DoctorArgs, ReleaseArgs};
use crate::doctor::{self, Inputs, dns::Resolver};
use crate::report::DoctorReport;
use crate::settings::Settings;
use crate::settings::inputs;

pub async fn run(settings: &Settings, args: DoctorArgs) -> anyhow::Result<DoctorReport> {
    let resolver = Resolver::from_env()?;
    let client = doctor::client()?;
    let project = match settings.project() {
        Ok(project) => project,
        Err(e) => {
            return Ok(DoctorReport::new(doctor::config_failed(
                &crate::error::chain_text(&e),
            )));
        }
    };
    // The roles main's task definitions name (none when they do not render).
    let release = ReleaseArgs {
        services: Vec::new(),
        image_tag: None,
        set: Vec::new(),
        owner: Some("doctor".to_owned()),
        ttl: None,
    };
    let roles = inputs::render_release_in(
        settings,
        Some(&project.main_version),
        &release,
        crate::template::process_env(),
    )
    .map(|r| {
        r.services
            .iter()
            .flat_map(|s| {
                [
                    s.task_definition.task_role_arn.clone(),
                    s.task_definition.execution_role_arn.clone(),
                ]
            })
            .flatten()
            .collect::<Vec<_>>()
    })
    .unwrap_or_default();
    let aws = settings
        .aws(&project)
        .await
        .map_err(|e| crate::error::chain_text(&e));
    let inputs = Inputs {
        project: &project,
        aws,
        roles,
        api_url: args.traefik_api.or_else(|| project.traefik_api_url.clone()),
        api_token: args.traefik_api_token,
        resolver,
        client,
    };
    Ok(DoctorReport::new(doctor::run(inputs).await))
}
