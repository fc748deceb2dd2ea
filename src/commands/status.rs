//! `dynroute status VERSION`: per service, the task definition, counts, rollout,
//! recent events, stopped tasks' reasons, URL and header.

use std::collections::BTreeSet;

use futures::future::join_all;

use crate::cli::StatusArgs;
use crate::ecs::{Ecs, short_arn};
use crate::engine::ingress;
use crate::engine::progress::Progress as _;
use crate::engine::{baseline, deployed, visibility, ways_in};
use crate::naming::resource_name;
use crate::report::{ServiceStatusView, StatusReport};
use crate::routing;
use crate::routing::baggage;
use crate::settings::Settings;
use crate::settings::inputs;

pub async fn run(settings: &Settings, args: StatusArgs) -> anyhow::Result<StatusReport> {
    let version = inputs::version_or_branch(args.version.as_ref())?;
    let project = settings.project()?;
    let aws = settings.aws(&project).await?;
    // Main of a service with a baseline is the baseline's ECS service (or its URL).
    let names: Vec<String> = project
        .services
        .values()
        .map(|s| baseline::running_as(&project, s, &version).unwrap_or_else(|url| url))
        .collect();
    // The fallback versions too: they answer where this version is not deployed.
    let fallback_names = project.services.keys().flat_map(|s| {
        (project.ways_in.fallback)
            .iter()
            .map(move |f| resource_name(s, f))
    });
    // A URL baseline is no ECS service: nothing to describe.
    let described: Vec<String> = (names.iter().cloned().chain(fallback_names))
        .filter(|n| !n.contains("://"))
        .collect();
    let mut states = aws.describe_services(&described).await?;
    let mut progress = settings.progress(&[]);
    // Right after `up --no-wait`, ECS may not show the new services yet: give
    // them a moment (as `down` does) before saying the version is not deployed.
    let ecs_names: Vec<String> = names
        .iter()
        .filter(|n| !n.contains("://"))
        .cloned()
        .collect();
    if !states
        .iter()
        .any(|s| ecs_names.contains(&s.name) && s.is_present())
    {
        let unseen = visibility::possibly_unseen(&aws, &ecs_names, &states).await?;
        if !unseen.is_empty() {
            progress.info(&format!(
                "waiting for ECS to show {} (its task definition was registered moments ago; ECS is eventually consistent)",
                unseen.join(", ")
            ));
            let poller = settings.poller(visibility::PATIENCE);
            states.extend(visibility::wait_for(&aws, &unseen, poller).await?);
        }
    }
    let present = |name: &str| states.iter().find(|s| s.name == name && s.is_present());
    let live = |name: &str| states.iter().any(|s| s.name == name && s.is_live());
    let stopped = join_all(names.iter().map(|n| async {
        match present(n) {
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
        .map(|((service, name), stopped)| {
            let state = present(name);
            ServiceStatusView {
                service: service.name.to_string(),
                ecs_service: name.clone(),
                deployed: state.is_some(),
                managed: state.is_some_and(|s| s.is_managed()),
                status: state.map(|s| s.status.clone()),
                task_definition: state.map(|s| short_arn(&s.task_definition).to_owned()),
                running: state.map_or(0, |s| s.running),
                desired: state.map_or(0, |s| s.desired),
                pending: state.map_or(0, |s| s.pending),
                deployments: state.map(|s| s.deployments.clone()).unwrap_or_default(),
                events: state
                    .map(|s| s.events.iter().take(5).cloned().collect())
                    .unwrap_or_default(),
                stopped_tasks: stopped.iter().take(5).map(|t| t.summary()).collect(),
                last_request: state.and_then(|s| s.last_request()),
                urls: service.urls(),
                served_by: {
                    let mut deployed: BTreeSet<_> = (project.ways_in.fallback)
                        .iter()
                        .filter(|f| live(&resource_name(&service.name, f)))
                        .cloned()
                        .collect();
                    if state.is_some() {
                        deployed.insert(version.clone());
                    }
                    routing::serving_tier(
                        &project.ways_in,
                        &project.main_version,
                        &version,
                        &deployed,
                    )
                },
                ways_in: ways_in::summary_lines(&project, &version, &service.name),
                hooks: state
                    .map(|s| crate::engine::hooks::records(&s.tags))
                    .unwrap_or_default(),
            }
        })
        .collect();
    // The one rule for "not deployed": no service runs the version (a URL
    // baseline always runs main).
    let url_baseline = names.iter().any(|n| n.contains("://"));
    if !url_baseline && services.iter().all(|s| !s.deployed) {
        return Err(deployed::not_deployed(&version, &names, &project.cluster).into());
    }
    let header = baggage::header_line(&project.baggage_key, &version);
    let printed = ingress::for_printing(&aws, &project, &mut progress).await;
    // Curl lines only for the services that run this version (they reach it).
    let running: Vec<&crate::config::ServiceSettings> = project
        .services
        .values()
        .zip(&services)
        .filter(|(_, s)| s.deployed || s.ecs_service.contains("://"))
        .map(|(settings, _)| settings)
        .collect();
    Ok(StatusReport {
        version: version.clone(),
        curl: ways_in::curl_lines(Some(&running), printed.as_deref(), &header),
        header,
        services,
    })
}
