//! `up` from start to end, on any [`Ecs`]: read what exists → plan → (dry run:
//! stop) → register → hooks (`on_create`, `before_up`; a failure stops here,
//! nothing moved) → create/update → wait for the rollouts → verify through
//! the ingress.
//! Validation happened before (no call here runs on invalid input); printing
//! happens after (the outcome is data).

use std::time::Duration;

use super::assess::Phase;
use super::deploy::{
    Deployed, Registered, Verb, deregister_fresh, partial_failure, point, register,
};
use super::hooks::{self, HookRun, HookStatus};
use super::plan::{Action, Change, Wanted, action_for, change_for};
use super::poller::Poller;
use super::progress::Progress;
use super::rollout::{Target, wait_for_rollout};
use super::timings::{Mark, Stopwatch, Timing};
use super::verify::{self, Probe};
use crate::config::Project;
use crate::ecs::logs::LogReader;
use crate::ecs::{Ecs, ServiceState};
use crate::error::UserError;
use crate::naming::tags;
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
#[derive(Clone, Copy)]
pub struct UpRequest<'a> {
    pub project: &'a Project,
    pub release: &'a Release,
    pub services: &'a [RenderedService],
    pub options: UpOptions,
    /// The base URL to verify through after the rollouts (`None`: no verification).
    pub ingress: Option<&'a str>,
    /// Where the hooks' output is read; `None`: `--no-hooks`.
    pub hooks: Option<HookContext<'a>>,
}

/// What running hooks needs besides ECS.
#[derive(Clone, Copy)]
pub struct HookContext<'a> {
    pub logs: &'a dyn LogReader,
    /// The region of containers' logs without an `awslogs-region`.
    pub region: &'a str,
    /// How often a hook's task is polled.
    pub poll: Duration,
}

/// What `up` did: each service's outcome, and the hooks it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpResult {
    pub outcomes: Vec<ServiceOutcome>,
    /// In the order they ran (a failed one is last: nothing ran after it).
    pub hooks: Vec<HookRun>,
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
    /// A hook failed before the service was changed: it runs what it ran.
    HeldBack,
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
) -> anyhow::Result<UpResult> {
    let mut timing = Timing::new(progress, watch);
    let progress: &mut dyn Progress = &mut timing;
    let UpRequest {
        project,
        release,
        services,
        options,
        ingress,
        hooks: hook_context,
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
    let creating: Vec<crate::naming::ServiceName> = services
        .iter()
        .zip(&actions)
        .filter(|(_, a)| matches!(a, Action::Create | Action::CreateAfterDrain))
        .map(|(s, _)| s.settings.name.clone())
        .collect();
    let hook_tasks = |registered: &[Registered]| {
        let revisions = services
            .iter()
            .zip(registered)
            .map(|(s, r)| {
                (
                    s.settings.name.clone(),
                    (r.task_definition.clone(), s.ecs_name.clone()),
                )
            })
            .collect();
        hooks::for_up(project, &release.version, &revisions, &creating)
    };
    if options.dry_run {
        let unknown: Vec<Registered> = services
            .iter()
            .map(|_| Registered {
                task_definition: String::new(),
                fresh: true,
            })
            .collect();
        let planned = match hook_context {
            Some(_) => hook_tasks(&unknown)
                .iter()
                .map(|t| t.planned(&release.project))
                .collect(),
            None => Vec::new(),
        };
        return Ok(UpResult {
            outcomes: services
                .iter()
                .zip(&actions)
                .map(|(s, a)| outcome(s, Verb::of(a), None, Settled::Planned))
                .collect(),
            hooks: planned,
        });
    }

    progress.info(&deploying_line(project, release, &names, &actions));
    let results = register(ecs, release, services, &actions, progress).await;
    let registered: Vec<Registered> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    if registered.len() < services.len() {
        deregister_fresh(ecs, &registered, progress).await;
        let failures: Vec<(String, anyhow::Error)> = services
            .iter()
            .zip(results)
            .filter_map(|(s, r)| r.err().map(|e| (s.ecs_name.clone(), e)))
            .collect();
        return Err(partial_failure(&[], &failures));
    }

    let mut hook_runs = Vec::new();
    if let Some(context) = hook_context {
        let tasks = hook_tasks(&registered);
        if !tasks.is_empty() {
            let runner = hooks::Runner::new(
                ecs,
                context.logs,
                context.region,
                project,
                &release.version,
                context.poll,
            );
            hook_runs = match runner.run_in_order(&tasks, progress).await {
                Ok(runs) => runs,
                Err(err) => {
                    deregister_fresh(ecs, &registered, progress).await;
                    return Err(err);
                }
            };
            progress.phase_ended(Mark::Hooked);
            if hooks::failed(&hook_runs).is_some() {
                deregister_fresh(ecs, &registered, progress).await;
                keep_on_services(ecs, &actions, services, &hook_runs, progress).await;
                return Ok(UpResult {
                    outcomes: services
                        .iter()
                        .zip(&actions)
                        .map(|(s, a)| outcome(s, Verb::of(a), None, Settled::HeldBack))
                        .collect(),
                    hooks: hook_runs,
                });
            }
        }
    }
    let hook_tags: Vec<(crate::naming::ServiceName, (String, String))> = hook_runs
        .iter()
        .map(|r| (r.service.clone(), r.tag()))
        .collect();
    let results = point(
        ecs,
        project,
        release,
        services,
        actions,
        &registered,
        &hook_tags,
        poller,
        progress,
    )
    .await;
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
    let finished = |outcomes| UpResult {
        outcomes,
        hooks: hook_runs.clone(),
    };
    if !options.wait {
        return Ok(finished(outcomes));
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
    Ok(finished(outcomes))
}

/// A hook failed: the version's existing services keep the record of this
/// run's hooks (what `status` and `ls` show); nothing else about them changes.
async fn keep_on_services(
    ecs: &dyn Ecs,
    actions: &[Action],
    services: &[RenderedService],
    runs: &[HookRun],
    progress: &mut dyn Progress,
) {
    for (s, action) in services.iter().zip(actions) {
        let Action::Update { arn, .. } = action else {
            continue;
        };
        let pairs: Vec<(String, String)> = (runs.iter())
            .filter(|r| r.service == s.settings.name && r.status != HookStatus::Planned)
            .map(HookRun::tag)
            .collect();
        if pairs.is_empty() {
            continue;
        }
        if let Err(err) = ecs.tag_resource(arn, &pairs).await {
            progress.warn(&format!(
                "could not record the hook runs on {} ({})",
                s.ecs_name,
                crate::error::chain_text(&err)
            ));
        }
    }
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
        let rendered = super::plan::rendered_request(release, s)?;
        // The revision this `up` would compare with is the one the last `up`
        // registered from the same render: equal by construction, not read back.
        let same_render = !current.task_definition.is_empty()
            && current.tag(tags::TASK_DEFINITION) == Some(current.task_definition.as_str())
            && current.tag(tags::RENDER_DIGEST) == Some(taskdef::diff::digest(&rendered).as_str());
        let running = match (current.task_definition.is_empty(), same_render) {
            (true, _) => None,
            (false, true) => Some(rendered.clone()),
            (false, false) => {
                ecs.task_definition_document(&current.task_definition)
                    .await?
            }
        };
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
