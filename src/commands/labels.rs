//! `dynroute labels`: the Docker labels dynroute puts on a version's routed
//! container. For a baseline, exactly what the team adds to the task definition
//! its own tooling deploys (Terraform, CDK, CloudFormation), so Traefik routes
//! main's requests and every fallback to it. No AWS call.

use jiff::Timestamp;

use crate::cli::LabelsArgs;
use crate::report::LabelsReport;
use crate::report::format::LabelsFormat;
use crate::settings::Settings;
use crate::taskdef;
use crate::taskdef::release::expiry;

pub fn run(settings: &Settings, args: LabelsArgs) -> anyhow::Result<LabelsReport> {
    let format = settings.format(args.format, LabelsFormat::Json, LabelsFormat::Json)?;
    let project = settings.project()?;
    let version = args.version.unwrap_or_else(|| project.main_version.clone());
    let service = project.select(std::slice::from_ref(&args.service))?[0];
    if !service.routed {
        return Err(crate::error::UserError::usage(format!(
            "service `{}` has `routing: none`: Traefik routes nothing to it, so it has no labels",
            service.name
        ))
        .hint("remove `routing: none` (and give it a `port`) to route requests to it")
        .into());
    }
    crate::config::check_version(&project.ways_in, &[&service.name], &version)?;
    let now = Timestamp::now();
    let expires = expiry(&project, &version, None, now);
    Ok(LabelsReport {
        labels: taskdef::routing_labels(&project, service, &version, &expires, now),
        format,
    })
}
