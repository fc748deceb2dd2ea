//! `up` from start to end, on any [`Ecs`]: read what exists → plan → (dry run:
//! stop) → apply → wait for the rollouts → verify through the ingress.
//! Validation happened before (no call here runs on invalid input); printing
//! happens after (the outcome is data).

use std::time::Duration;

use super::assess::Phase;
use super::deploy::{Deployed, Verb, apply, partial_failure};
use super::plan::{Action, Change, Wanted, action_for, change_for};
use super::poller::Poller;
use super::progress::Progress;
use super::rollout::{Target, wait_for_rollout};
use super::timings::{Mark, Stopwatch, Timing};
use super::verify::{self, Probe};
use crate::config::Project;
use crate::ecs::{Ecs, ServiceState};
use crate::error::UserError;
use crate::routing::baggage;
use crate::taskdef;
use crate::taskdef::release::{Release, RenderedService};

/// How far `up` goes.
#[derive(Debug, Clone, Copy)]
pub struct UpOptions {
    pub dry_run: bool,
    /// Wait for the rollouts (and verify, when there is an ingress).
    pub wait: bool,
    /// The `--timeout` the poller's deadline came from, for messages.
    pub timeout: Duration,
    /// Replace the tasks even when the service already runs what `up` sends.
    pub force_new_deployment: bool,
}

/// What to deploy, and how.
#[derive(Debug, Clone, Copy)]
pub struct UpRequest<'a> {
    pub project: &'a Project,
    pub release: &'a Release,
    pub services: &'a [RenderedService],
    pub options: UpOptions,
    /// The base URL to verify through after the rollouts (`None`: no verification).
    pub ingress: Option<&'a str>,
}

/// Where one service ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Dry run: nothing was changed.
    Planned,
    /// Created or updated; not waited for.
    Deploying,
    /// Every desired task runs the new task definition.
    Running { running: i32, desired: i32 },
    /// A later `up` replaced ours while we waited.
    Superseded { running: i32, desired: i32 },
}

/// One service's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceOutcome {
    pub service: String,
    pub ecs_service: String,
    pub verb: Verb,
    pub task_definition: Option<String>,
    pub settled: Settled,
    /// `up --verify` saw this version answer through the ingress.
    pub routed: bool,
}

/// Runs `up` as requested; every wait is bounded by `poller`, and `watch`
/// notes each phase as it ends (see [`Stopwatch::timings`]).
pub async fn run(
    ecs: &dyn Ecs,
    request: UpRequest<'_>,
    poller: Poller,
    progress: &mut dyn Progress,
    watch: &Stopwatch,
) -> anyhow::Result<Vec<ServiceOutcome>> {
    let mut timing = Timing::new(progress, watch);
    let progress: &mut dyn Progress = &mut timing;
    let UpRequest {
        project,
        release,
        services,
        options,
        ingress,
    } = request;
    let names: Vec<String> = services.iter().map(|s| s.ecs_name.clone()).collect();
    let existing = ecs.describe_services(&names).await?;
    let planned: Vec<Action> = names
        .iter()
        .map(|n| action_for(n, &existing, &release.project))
        .collect::<Result<_, UserError>>()?;
    let actions =
        compare_running(ecs, project, release, services, &existing, planned, options).await?;
    for (name, action) in names.iter().zip(&actions) {
        if matches!(action, Action::Update { adopted: true, .. }) {
            let verb = if options.dry_run {
                "would adopt"
            } else {
                "adopting"
            };
            progress.info(&format!(
                "{verb} {name} into project {} (it has no {} tag yet)",
                release.project,
                crate::naming::tags::PROJECT
            ));
        }
    }

    watch.mark(Mark::Planned);
    if options.dry_run {
        return Ok(services
            .iter()
            .zip(&actions)
            .map(|(s, a)| outcome(s, Verb::of(a), None, Settled::Planned))
            .collect());
    }

    progress.info(&deploying_line(project, release, &names, &actions));
    let results = apply(ecs, project, release, services, actions, poller, progress).await;
    let mut deployed: Vec<Deployed> = Vec::new();
    let mut failures = Vec::new();
    for (s, result) in services.iter().zip(results) {
        match result {
            Ok(d) => deployed.push(d),
            Err(err) => failures.push((s.ecs_name.clone(), err)),
        }
    }
    if !failures.is_empty() {
        let done: Vec<String> = deployed.iter().map(|d| d.ecs_name.clone()).collect();
        return Err(partial_failure(&done, &failures));
    }
    watch.mark(Mark::Applied);
    let mut outcomes: Vec<ServiceOutcome> = services
        .iter()
        .zip(&deployed)
        .map(|(s, d)| {
            outcome(
                s,
                d.verb,
                Some(crate::ecs::short_arn(&d.task_definition).to_owned()),
                Settled::Deploying,
            )
        })
        .collect();
    if !options.wait {
        return Ok(outcomes);
    }

    let targets: Vec<Target> = deployed
        .iter()
        .map(|d| Target {
            ecs_name: d.ecs_name.clone(),
            task_definition: d.task_definition.clone(),
        })
        .collect();
    let settled = wait_for_rollout(ecs, &targets, poller, options.timeout, progress).await?;
    watch.mark(Mark::Steady);
    for (o, (_, a)) in outcomes.iter_mut().zip(settled) {
        let (running, desired) = (a.running, a.desired);
        o.settled = match a.phase {
            Phase::Superseded => Settled::Superseded { running, desired },
            _ => Settled::Running { running, desired },
        };
    }
    if let Some(base) = ingress {
        // Workers (`routing: none`) have no route to verify.
        let probes: Vec<Probe> = services
            .iter()
            .filter(|s| s.settings.routed)
            .map(|s| Probe {
                ecs_name: s.ecs_name.clone(),
                url: format!("{base}{}", s.settings.path()),
                host: s.settings.hosts[0].to_string(),
            })
            .collect();
        let value = baggage::member(&project.baggage_key, &release.version);
        verify::verify(&probes, &value, release.version.as_str(), poller, progress).await?;
        watch.mark(Mark::Routable);
        for o in &mut outcomes {
            o.routed = true;
        }
    }
    Ok(outcomes)
}

/// Each service of ours that runs: its running revision (DescribeTaskDefinition)
/// next to what `up` would register, to keep it when nothing changed.
async fn compare_running(
    ecs: &dyn Ecs,
    project: &Project,
    release: &Release,
    services: &[RenderedService],
    existing: &[ServiceState],
    planned: Vec<Action>,
    options: UpOptions,
) -> anyhow::Result<Vec<Action>> {
    let refined = services.iter().zip(planned).map(|(s, action)| async move {
        let Action::Update {
            arn,
            tags,
            adopted,
            change: _,
        } = action
        else {
            return Ok(action);
        };
        let Some(current) = existing.iter().find(|e| e.name == s.ecs_name) else {
            return Ok(Action::Update {
                arn,
                tags,
                adopted,
                change: Change::NewRevision,
            });
        };
        let running = match current.task_definition.is_empty() {
            true => None,
            false => {
                ecs.task_definition_document(&current.task_definition)
                    .await?
            }
        };
        let rendered = serde_json::to_value(taskdef::with_tags(
            s.task_definition.clone(),
            &release.tags(&s.settings.name, None),
        ))?;
        let wanted = Wanted {
            desired: i32::try_from(s.settings.desired_count).unwrap_or(i32::MAX),
            network: project
                .network
                .as_ref()
                .filter(|_| s.task_definition.is_awsvpc()),
            force: options.force_new_deployment,
        };
        let change = change_for(current, running.as_ref(), &rendered, wanted);
        anyhow::Ok(Action::Update {
            arn,
            tags,
            adopted,
            change,
        })
    });
    futures::future::try_join_all(refined).await
}

/// What `up` is about to do, in one line: which services change, and which
/// already run what it would send.
fn deploying_line(
    project: &Project,
    release: &Release,
    names: &[String],
    actions: &[Action],
) -> String {
    let list = |unchanged: bool| {
        let picked: Vec<&str> = names
            .iter()
            .zip(actions)
            .filter(|(_, a)| a.is_unchanged() == unchanged)
            .map(|(n, _)| n.as_str())
            .collect();
        (picked.len(), picked.join(", "))
    };
    let ((n_same, same), (n_changed, changed)) = (list(true), list(false));
    let version = &release.version;
    let cluster = &project.cluster;
    match (n_changed, n_same) {
        (0, n) => format!(
            "version {version} on cluster {cluster}: nothing to deploy, {same} already {} it (refreshing the tags; --force-new-deployment restarts the tasks)",
            if n == 1 { "runs" } else { "run" }
        ),
        (_, 0) => format!("deploying version {version} to cluster {cluster}: {changed}"),
        _ => format!(
            "deploying version {version} to cluster {cluster}: {changed} ({same} unchanged)"
        ),
    }
}

fn outcome(
    s: &RenderedService,
    verb: Verb,
    task_definition: Option<String>,
    settled: Settled,
) -> ServiceOutcome {
    ServiceOutcome {
        service: s.settings.name.to_string(),
        ecs_service: s.ecs_name.clone(),
        verb,
        task_definition,
        settled,
        routed: false,
    }
}
