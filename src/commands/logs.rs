//! `dynroute logs VERSION`: the version's container logs from CloudWatch Logs,
//! found through the `awslogs` options of the task definitions its tasks run,
//! interleaved by time; `--follow` polls for more (`engine::logs::Follower`).

use crate::cli::LogsArgs;
use crate::engine::deployed;
use crate::engine::logs::{Follower, LineSink, explain};
use crate::engine::poller::Poller;
use crate::naming::resource_name;
use crate::report::{LinePrinter, LogsReport};
use crate::settings::Settings;
use crate::settings::inputs;

pub async fn run(settings: &Settings, args: LogsArgs) -> anyhow::Result<LogsReport> {
    let version = args.version;
    let project = settings.project()?;
    let services: Vec<(String, String)> = inputs::services(&project, &args.services)?
        .iter()
        .map(|s| (s.name.to_string(), resource_name(&s.name, &version)))
        .collect();
    let start_ms = args.since.start_ms(jiff::Timestamp::now());
    let aws = settings.aws(&project).await?;
    let names: Vec<String> = services.iter().map(|(_, n)| n.clone()).collect();
    let live: Vec<(String, String)> = {
        let states = crate::ecs::Ecs::describe_services(&aws, &names).await?;
        services
            .into_iter()
            .filter(|(_, n)| states.iter().any(|s| &s.name == n && s.is_present()))
            .collect()
    };
    if live.is_empty() {
        return Err(deployed::not_deployed(&version, &names, &project.cluster).into());
    }
    let region = aws.region().to_owned();
    let mut follower = Follower::new(&aws, &aws, live, args.tasks.clone(), region, start_ms);
    let found = follower.streams().await?;
    for warning in explain(&version, &args.tasks, &found)? {
        settings.ui.warn(warning);
    }
    let first = follower.read_new(&found).await?;
    if !args.follow {
        return Ok(LogsReport {
            version,
            lines: first,
            followed: false,
        });
    }
    let mut printer = LinePrinter {
        format: settings.output,
    };
    printer.lines(&first)?;
    settings.ui.info("following (Ctrl-C to stop) ...");
    follower
        .follow(Poller::unbounded(settings.poll_interval), &mut printer)
        .await?;
    Ok(LogsReport {
        version,
        lines: Vec::new(),
        followed: true,
    })
}
