//! `dynroute status VERSION`: per service, the task definition, counts, rollout,
//! recent events, stopped tasks' reasons, URL and header.

use std::io::Write;

use futures::future::join_all;
use serde::Serialize;

use super::header::curl_lines;
use super::inputs;
use crate::baggage;
use crate::cli::{OutputFormat, StatusArgs};
use crate::context::Context;
use crate::deploy::assess::short;
use crate::deploy::model::{Deployment, ServiceEvent, ServiceStatus};
use crate::naming::resource_name;

#[derive(Debug, Serialize)]
struct ServiceStatusView {
    service: String,
    ecs_service: String,
    deployed: bool,
    managed: bool,
    status: Option<ServiceStatus>,
    task_definition: Option<String>,
    running: i32,
    desired: i32,
    pending: i32,
    deployments: Vec<Deployment>,
    events: Vec<ServiceEvent>,
    stopped_tasks: Vec<String>,
    urls: Vec<String>,
    /// Which tier answers a request for this version on this service.
    served_by: crate::routing::Tier,
    /// The version host and link lines.
    ways_in: Vec<String>,
}

#[derive(Debug, Serialize)]
struct StatusOutput {
    version: String,
    header: String,
    services: Vec<ServiceStatusView>,
    curl: Vec<String>,
}

pub async fn run(ctx: &Context, args: StatusArgs) -> anyhow::Result<()> {
    let version = inputs::version_or_branch(args.version_name.as_deref())?;
    let project = ctx.project()?;
    let aws = ctx.aws(&project).await?;
    let names: Vec<String> = project
        .services
        .keys()
        .map(|s| resource_name(s, &version))
        .collect();
    // The fallback versions too: they answer where this version is not deployed.
    let fallback_names = project.services.keys().flat_map(|s| {
        project
            .ways_in
            .fallback
            .iter()
            .map(move |f| resource_name(s, f))
    });
    let described: Vec<String> = names.iter().cloned().chain(fallback_names).collect();
    let states = aws.describe_services(&described).await?;
    let live = |name: &str| {
        states
            .iter()
            .find(|s| s.name == name && s.status != ServiceStatus::Inactive)
    };
    let stopped = join_all(names.iter().map(|n| async {
        match live(n) {
            Some(_) => aws.stopped_tasks(n).await.unwrap_or_default(),
            None => Vec::new(),
        }
    }))
    .await;

    let services: Vec<ServiceStatusView> = project
        .services
        .values()
        .zip(&names)
        .zip(stopped)
        .map(|((settings, name), stopped)| {
            let state = live(name);
            ServiceStatusView {
                service: settings.name.to_string(),
                ecs_service: name.clone(),
                deployed: state.is_some(),
                managed: state.is_some_and(|s| s.is_managed()),
                status: state.map(|s| s.status.clone()),
                task_definition: state.map(|s| short(&s.task_definition).to_owned()),
                running: state.map_or(0, |s| s.running),
                desired: state.map_or(0, |s| s.desired),
                pending: state.map_or(0, |s| s.pending),
                deployments: state.map(|s| s.deployments.clone()).unwrap_or_default(),
                events: state
                    .map(|s| s.events.iter().take(5).cloned().collect())
                    .unwrap_or_default(),
                stopped_tasks: stopped.iter().take(5).map(|t| t.summary()).collect(),
                urls: settings.urls(),
                served_by: {
                    let mut deployed: std::collections::BTreeSet<_> = (project.ways_in.fallback)
                        .iter()
                        .filter(|f| live(&resource_name(&settings.name, f)).is_some())
                        .cloned()
                        .collect();
                    if state.is_some() {
                        deployed.insert(version.clone());
                    }
                    crate::routing::serving_tier(
                        &project.ways_in,
                        &project.main_version,
                        &version,
                        &deployed,
                    )
                },
                ways_in: crate::routing::summary_lines(&project, &version, &settings.name),
            }
        })
        .collect();
    let header = format!(
        "{}: {}",
        baggage::HEADER,
        baggage::member(&project.baggage_key, &version)
    );
    let ingress = super::ingress::resolve(&aws, &project).await?;
    let output = StatusOutput {
        version: version.to_string(),
        curl: curl_lines(Some(&project), ingress.as_deref(), &header),
        header,
        services,
    };

    let mut out = std::io::stdout().lock();
    if ctx.output == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&output)?)?;
        return Ok(());
    }
    writeln!(out, "version {}  ({})", output.version, output.header)?;
    for s in &output.services {
        writeln!(out)?;
        if !s.deployed {
            let tier = match &s.served_by {
                crate::routing::Tier::Fallback(_) => "fallback tier",
                _ => "main",
            };
            writeln!(
                out,
                "{}: not deployed (requests fall back to {}, the {tier})",
                s.ecs_service,
                s.served_by.version()
            )?;
            continue;
        }
        writeln!(
            out,
            "{}: {} {}/{} running, {} pending{}",
            s.ecs_service,
            s.task_definition.as_deref().unwrap_or("-"),
            s.running,
            s.desired,
            s.pending,
            if s.managed {
                ""
            } else {
                " (NOT managed by dynroute)"
            }
        )?;
        for d in &s.deployments {
            writeln!(
                out,
                "  deployment {} {}: {} {}/{}{}",
                d.status,
                short(&d.task_definition),
                d.rollout_state.as_deref().unwrap_or("-"),
                d.running,
                d.desired,
                d.rollout_reason
                    .as_deref()
                    .map(|r| format!(" – {r}"))
                    .unwrap_or_default()
            )?;
        }
        for e in &s.events {
            let at = e.at.map(crate::tags::rfc3339).unwrap_or_default();
            writeln!(out, "  {at} {}", e.message)?;
        }
        for t in &s.stopped_tasks {
            writeln!(out, "  stopped: {t}")?;
        }
        writeln!(out, "  url: {}", s.urls.join(" "))?;
        for line in &s.ways_in {
            writeln!(out, "  {line}")?;
        }
    }
    if let Some(curl) = output.curl.first() {
        writeln!(out, "\ntry: {curl}")?;
    }
    Ok(())
}
