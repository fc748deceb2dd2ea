//! `dynroute run VERSION [-s SERVICE] -- CMD…`: a one-off task from the
//! version's task definition, its output streamed, its exit code returned.

use crate::cli::RunArgs;
use crate::ecs::Ecs;
use crate::engine::deployed;
use crate::engine::run::{Ended, RunSpec, follow, start};
use crate::error::UserError;
use crate::naming::{resource_name, tags};
use crate::report::{OutputPrinter, RunReport};
use crate::settings::Settings;

pub async fn run(settings: &Settings, args: RunArgs) -> anyhow::Result<RunReport> {
    let project = settings.project()?;
    let service = match &args.service {
        Some(name) => project.select(std::slice::from_ref(name))?[0],
        None => match project.services.values().collect::<Vec<_>>().as_slice() {
            [only] => *only,
            _ => {
                return Err(
                    UserError::usage("which service's task definition runs the command?")
                        .hint(format!(
                            "pass -s SERVICE ({})",
                            project
                                .services
                                .keys()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                        .into(),
                );
            }
        },
    };
    let container = args
        .container
        .clone()
        .unwrap_or_else(|| service.container.clone());
    let source = match args.from_main {
        true => project.main_version.clone(),
        false => args.version.clone(),
    };
    let aws = settings.aws(&project).await?;
    let name = resource_name(&service.name, &source);
    let state = aws
        .describe_services(std::slice::from_ref(&name))
        .await?
        .into_iter()
        .find(|s| s.is_live())
        .ok_or_else(|| {
            deployed::not_deployed(&source, std::slice::from_ref(&name), &project.cluster).hint(
                format!(
                    "deploy it first (`dynroute up {} -s {}`), or run main's task definition with --from-main",
                    args.version, service.name
                ),
            )
        })?;
    let tag_list: Vec<(String, String)> = vec![
        (tags::MANAGED.to_owned(), "true".to_owned()),
        (tags::PROJECT.to_owned(), project.project.to_string()),
        (tags::SERVICE.to_owned(), service.name.to_string()),
        (tags::VERSION.to_owned(), args.version.to_string()),
    ];
    let spec = RunSpec {
        name: &state.name,
        task_definition: &state.task_definition,
        network: state.network.as_ref(),
        container: &container,
        command: &args.command,
        placement: project.placement_for(&source),
        tags: &tag_list,
        region: aws.region(),
        started_by: crate::engine::run::STARTED_BY,
    };
    let (arn, document) = start(&aws, &spec).await?;
    let mut report = RunReport {
        task: arn.clone(),
        service: state.name.clone(),
        detached: args.detach,
        exit_code: None,
        stopped_reason: None,
    };
    if args.detach {
        return Ok(report);
    }
    settings.ui.info(format!("started {arn}"));
    let mut printer = OutputPrinter {
        format: settings.output,
    };
    let poller = crate::engine::poller::Poller::unbounded(settings.poll_interval);
    match follow(
        &aws,
        &aws,
        &spec,
        &arn,
        &document,
        poller,
        args.timeout,
        &mut printer,
    )
    .await?
    {
        Ended::Exited(code) => report.exit_code = Some(code),
        Ended::Failed(reason) => report.stopped_reason = Some(reason),
    }
    Ok(report)
}
