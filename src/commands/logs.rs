//! `dynroute logs VERSION`: the version's container logs from CloudWatch Logs,
//! found through the `awslogs` options of the task definitions its tasks run,
//! interleaved by time; `--follow` polls for more, backing off while quiet.

use std::time::Duration;

use crate::cli::LogsArgs;
use crate::ecs::logs::{LogEvent, Seen};
use crate::engine::logs::{Documents, StreamOwner, Streams, read, streams};
use crate::error::{ExitKind, UserError};
use crate::naming::{Version, resource_name};
use crate::report::{LogLine, LogsReport, print_lines};
use crate::settings::Settings;
use crate::settings::inputs;

/// The longest wait between two polls of `--follow` when nothing new comes.
const MAX_FOLLOW_WAIT: Duration = Duration::from_secs(15);

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
        return Err(UserError::new(
            ExitKind::Failure,
            format!(
                "version `{version}` is not deployed: no service {} on cluster {}",
                names.join(", "),
                project.cluster
            ),
        )
        .hint("`dynroute ls` lists the deployed versions")
        .into());
    }
    let region = aws.region().to_owned();
    let mut documents = Documents::new();
    let found = streams(&aws, &live, &args.tasks, &region, &mut documents).await?;
    explain(settings, &version, &args.tasks, &found)?;

    let mut seen = Seen::default();
    let first = seen.fresh(read(&aws, &found, start_ms).await?);
    if !args.follow {
        return Ok(LogsReport {
            version: version.clone(),
            lines: first.into_iter().map(line).collect(),
            followed: false,
        });
    }
    print_lines(
        settings.output,
        &first.into_iter().map(line).collect::<Vec<_>>(),
    )?;
    settings.ui.info("following (Ctrl-C to stop) ...");
    let mut wait = settings.poll_interval;
    loop {
        tokio::time::sleep(wait).await;
        // Tasks come and go (a new deployment, a replaced task): look again each round.
        let found = streams(&aws, &live, &args.tasks, &region, &mut documents).await?;
        let from = seen.last.unwrap_or(start_ms);
        let new: Vec<LogLine> = seen
            .fresh(read(&aws, &found, from).await?)
            .into_iter()
            .map(line)
            .collect();
        wait = if new.is_empty() {
            (wait * 2).min(MAX_FOLLOW_WAIT.max(settings.poll_interval))
        } else {
            settings.poll_interval
        };
        print_lines(settings.output, &new)?;
    }
}

/// Says which containers cannot be read; fails when nothing can.
fn explain(
    settings: &Settings,
    version: &Version,
    tasks: &[String],
    found: &Streams,
) -> anyhow::Result<()> {
    if found.tasks == 0 {
        let what = if tasks.is_empty() {
            format!("version `{version}` has no running or recently stopped tasks")
        } else {
            format!("version `{version}` has no task {}", tasks.join(", "))
        };
        return Err(UserError::new(ExitKind::Failure, what)
            .hint("`dynroute status VERSION` shows its services and tasks")
            .into());
    }
    let reasons: Vec<String> = found
        .not_logged
        .iter()
        .map(|(service, n)| format!("{service}: container `{}`: {}", n.container, n.why))
        .collect();
    if found.groups.is_empty() {
        return Err(UserError::new(
            ExitKind::Failure,
            format!(
                "no container of version `{version}` logs to CloudWatch Logs:\n  {}",
                reasons.join("\n  ")
            ),
        )
        .hint("give the containers a logConfiguration with logDriver awslogs, awslogs-group and awslogs-stream-prefix in their templates")
        .into());
    }
    for reason in reasons {
        settings.ui.warn(format!("not shown: {reason}"));
    }
    Ok(())
}

fn line((owner, event): (StreamOwner, LogEvent)) -> LogLine {
    let timestamp = jiff::Timestamp::from_millisecond(event.timestamp)
        .map(|t| format!("{t:.3}"))
        .unwrap_or_else(|_| event.timestamp.to_string());
    LogLine {
        timestamp,
        service: owner.service,
        task: owner.task,
        container: owner.container,
        message: event.message,
    }
}
