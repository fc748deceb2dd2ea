//! `dynroute up`: deploy a version of the project's services beside main.
//!
//! Validate everything (render every template) → read what exists (one
//! DescribeServices per 10 services) → per service, concurrently: register the
//! task definition, then create or update the service → wait → summary.

use std::io::Write;

use anyhow::Context as _;
use futures::future::join_all;
use serde::Serialize;
use tokio::time::Instant;

use super::header::curl_lines;
use super::inputs::{self, RenderedRelease, RenderedService};
use crate::aws::{Aws, CreateOutcome, NewService};
use crate::baggage;
use crate::cli::{OutputFormat, UpArgs};
use crate::config::Project;
use crate::context::Context;
use crate::deploy::assess::short;
use crate::deploy::plan::{Action, action_for};
use crate::deploy::verify::{self, Probe};
use crate::deploy::wait::{
    Target, poll_interval, progress_line, wait_for_rollout, wait_until_gone,
};
use crate::error::{UserError, classify};
use crate::release::Release;
use crate::tags;
use crate::taskdef;
use crate::ui::progress::ServiceProgress;
use crate::ui::table;

/// One service's result, as printed and as JSON.
#[derive(Debug, Serialize)]
struct ServiceResult {
    service: String,
    ecs_service: String,
    action: &'static str,
    task_definition: Option<String>,
    status: String,
}

#[derive(Debug, Serialize)]
struct UpOutput {
    version: String,
    cluster: String,
    dry_run: bool,
    services: Vec<ServiceResult>,
    header: String,
    curl: Vec<String>,
}

pub async fn run(ctx: &Context, args: UpArgs) -> anyhow::Result<()> {
    // 1. Validate every input before any AWS call.
    let RenderedRelease {
        project,
        release,
        services: prepared,
    } = inputs::render_release(ctx, args.version_name.as_deref(), &args.release)?;
    for s in &prepared {
        taskdef::check_placement(&s.task_definition, &project, &s.settings)?;
    }
    let verify = match (args.verify, args.no_verify, &project.ingress) {
        (_, true, _) => false,
        (true, _, _) if args.no_wait => {
            return Err(UserError::usage(
                "--verify needs the rollout to finish; it cannot go with --no-wait",
            )
            .into());
        }
        (true, _, None) => {
            return Err(
                UserError::usage("--verify needs an ingress to send requests through")
                    .hint("set `ingress.url` or `ingress.load_balancer` in dynroute.yaml")
                    .into(),
            );
        }
        (_, _, ingress) => ingress.is_some() && !args.no_wait,
    };
    if args.version_name.is_none() {
        ctx.ui.info(format!(
            "version: {} (from the git branch)",
            release.version
        ));
    }

    // 2. What exists, and what to do about it.
    let aws = ctx.aws(&project).await?;
    // Verify needs the ingress, so a missing load balancer stops `up` before any
    // write; otherwise it only feeds the printed curl line (resolved at the end).
    let mut ingress = if verify {
        super::ingress::resolve(&aws, &project).await?
    } else {
        None
    };
    let names: Vec<String> = prepared.iter().map(|p| p.ecs_name.clone()).collect();
    let existing = aws.describe_services(&names).await?;
    let actions: Vec<Action> = prepared
        .iter()
        .map(|p| action_for(&p.ecs_name, &existing))
        .collect::<Result<_, _>>()?;
    super::guardrails::check_new_version(
        &aws,
        &project,
        &release,
        args.release.ttl.as_deref(),
        &prepared,
    )
    .await?;

    if args.dry_run {
        let results = prepared
            .iter()
            .zip(&actions)
            .map(|(p, a)| ServiceResult {
                service: p.settings.name.to_string(),
                ecs_service: p.ecs_name.clone(),
                action: a.verb(),
                task_definition: None,
                status: "planned".into(),
            })
            .collect();
        let ingress = printed_ingress(ctx, &aws, &project, ingress).await;
        return print(ctx, &project, ingress.as_deref(), &release, results, true);
    }

    // 3. Deploy every service concurrently; --timeout covers draining, rollout and verify.
    let deadline = Instant::now() + args.timeout;
    ctx.ui.info(format!(
        "deploying {} of {} to cluster {}",
        release.version,
        names.join(", "),
        project.cluster
    ));
    let outcomes = join_all(
        prepared
            .iter()
            .zip(actions)
            .map(|(p, action)| deploy_one(ctx, &aws, &project, &release, p, action, deadline)),
    )
    .await;

    let mut results = Vec::new();
    let mut targets = Vec::new();
    let mut failures = Vec::new();
    for (p, outcome) in prepared.iter().zip(outcomes) {
        match outcome {
            Ok((verb, td_arn)) => {
                targets.push(Target {
                    ecs_name: p.ecs_name.clone(),
                    task_definition: td_arn.clone(),
                });
                results.push(ServiceResult {
                    service: p.settings.name.to_string(),
                    ecs_service: p.ecs_name.clone(),
                    action: verb,
                    task_definition: Some(short(&td_arn).to_owned()),
                    status: if args.no_wait {
                        "deploying".into()
                    } else {
                        "deployed".into()
                    },
                });
            }
            Err(err) => failures.push((p, err)),
        }
    }
    if !failures.is_empty() {
        return Err(partial_failure(&results, failures));
    }

    // 4. Wait for the rollouts, then check the routes through the ingress.
    if !args.no_wait {
        let mut progress = ServiceProgress::new(&ctx.ui, &names);
        let settled =
            wait_for_rollout(&aws, &targets, deadline, args.timeout, &mut progress).await?;
        for (result, (_, assessment)) in results.iter_mut().zip(settled) {
            result.status = progress_line(&assessment)
                .split(" – ")
                .next()
                .unwrap_or_default()
                .to_owned();
        }
        if let (true, Some(base)) = (verify, ingress.as_deref()) {
            let probes: Vec<Probe> = prepared
                .iter()
                .map(|p| Probe {
                    ecs_name: p.ecs_name.clone(),
                    url: format!("{base}{}", p.settings.path()),
                    host: p.settings.hosts[0].to_string(),
                })
                .collect();
            let value = baggage::member(&project.baggage_key, &release.version);
            verify::verify(
                &probes,
                &value,
                release.version.as_str(),
                deadline,
                &mut progress,
            )
            .await?;
            for result in &mut results {
                result.status.push_str(", routed");
            }
        }
    }
    ingress = printed_ingress(ctx, &aws, &project, ingress).await;
    print(ctx, &project, ingress.as_deref(), &release, results, false)
}

/// The ingress for printed lines: already resolved, or resolved now; a failure
/// only costs the curl line its ingress (with a warning), never the deployment.
async fn printed_ingress(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    resolved: Option<String>,
) -> Option<String> {
    if resolved.is_some() {
        return resolved;
    }
    match super::ingress::resolve(aws, project).await {
        Ok(ingress) => ingress,
        Err(err) => {
            ctx.ui
                .warn(format!("the curl line goes to the service host: {err:#}"));
            None
        }
    }
}

/// How often CreateService may answer "exists" before `up` gives up: ECS is
/// eventually consistent, so DescribeServices can lag behind for a moment.
const MAX_CREATE_CONFLICTS: u32 = 5;

/// Registers the task definition, then creates or updates the service.
/// Returns the verb and the registered task definition ARN.
async fn deploy_one(
    ctx: &Context,
    aws: &Aws,
    project: &Project,
    release: &Release,
    p: &RenderedService,
    action: Action,
    deadline: Instant,
) -> anyhow::Result<(&'static str, String)> {
    let tags = release.tags(&p.settings.name, action.created_at());
    let td = taskdef::with_tags(p.task_definition.clone(), &tags);
    let td_arn = aws
        .register_task_definition(&td)
        .await
        .with_context(|| format!("registering the task definition of {}", p.ecs_name))?;
    ctx.ui.detail(format!("registered {}", short(&td_arn)));
    let mut pairs = tags.to_pairs();
    pairs.push((tags::TASK_DEFINITION.to_owned(), td_arn.clone()));
    let stale = action.stale_tags(&pairs);
    let desired = i32::try_from(p.settings.desired_count).unwrap_or(i32::MAX);

    let mut action = action;
    let mut create_conflicts = 0;
    loop {
        match action {
            Action::Update { arn, .. } => {
                aws.update_service(&p.ecs_name, &td_arn, desired, project.network.as_ref())
                    .await?;
                aws.tag_resource(&arn, &pairs).await?;
                if !stale.is_empty() {
                    aws.untag_resource(&arn, &stale).await?;
                }
                ctx.ui
                    .detail(format!("updated service {} and its tags", p.ecs_name));
                return Ok(("update", td_arn));
            }
            Action::CreateAfterDrain => {
                ctx.ui.info(format!(
                    "{}: waiting for the previous service of that name to finish draining",
                    p.ecs_name
                ));
                let names = [p.ecs_name.clone()];
                wait_until_gone(aws, &names, deadline, |_| {}).await?;
                action = Action::Create;
            }
            Action::Create => {
                let spec = NewService {
                    name: &p.ecs_name,
                    task_definition: &td_arn,
                    desired_count: desired,
                    placement: project.placement_for(&release.version),
                    network: project.network.as_ref(),
                    tags: &pairs,
                };
                match aws.create_service(&spec).await? {
                    CreateOutcome::Created => {
                        ctx.ui.detail(format!("created service {}", p.ecs_name));
                        return Ok(("create", td_arn));
                    }
                    // Created concurrently (another `up`), or draining: decide again.
                    CreateOutcome::AlreadyExists => {
                        create_conflicts += 1;
                        if create_conflicts > MAX_CREATE_CONFLICTS {
                            return Err(anyhow::anyhow!(
                                "{}: CreateService keeps answering that the service exists, but DescribeServices does not show it live",
                                p.ecs_name
                            ));
                        }
                        tokio::time::sleep(poll_interval()).await;
                        let now = aws
                            .describe_services(std::slice::from_ref(&p.ecs_name))
                            .await?;
                        action = action_for(&p.ecs_name, &now)?;
                        if action == Action::Create {
                            action = Action::CreateAfterDrain;
                        }
                    }
                }
            }
        }
    }
}

/// Says exactly which services were deployed and which were not.
fn partial_failure(
    done: &[ServiceResult],
    failures: Vec<(&RenderedService, anyhow::Error)>,
) -> anyhow::Error {
    let kind = classify(&failures[0].1).0;
    let mut message = String::from("deployment incomplete");
    if !done.is_empty() {
        let names: Vec<&str> = done.iter().map(|r| r.ecs_service.as_str()).collect();
        message.push_str(&format!("\n  deployed: {}", names.join(", ")));
    }
    for (p, err) in &failures {
        message.push_str(&format!("\n  not deployed: {}: {err:#}", p.ecs_name));
    }
    UserError::new(kind, message)
        .hint("re-run the same `dynroute up`: it converges")
        .into()
}

fn print(
    ctx: &Context,
    project: &Project,
    ingress: Option<&str>,
    release: &Release,
    results: Vec<ServiceResult>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let value = baggage::member(&project.baggage_key, &release.version);
    let header = format!("{}: {value}", baggage::HEADER);
    let curl = curl_lines(Some(project), ingress, &header);
    let mut out = std::io::stdout().lock();
    if ctx.output == OutputFormat::Json {
        let output = UpOutput {
            version: release.version.to_string(),
            cluster: project.cluster.clone(),
            dry_run,
            services: results,
            header,
            curl,
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&output)?)?;
        return Ok(());
    }
    let mut t = table::new(&[
        "SERVICE",
        "ECS SERVICE",
        "ACTION",
        "TASK DEFINITION",
        "STATUS",
    ]);
    for r in &results {
        t.add_row(vec![
            r.service.clone(),
            r.ecs_service.clone(),
            r.action.to_owned(),
            r.task_definition.clone().unwrap_or_else(|| "-".into()),
            r.status.clone(),
        ]);
    }
    writeln!(out, "{t}")?;
    if dry_run {
        writeln!(out, "dry run: nothing was changed")?;
        return Ok(());
    }
    writeln!(out, "\nheader: {header}")?;
    if let Some(first) = curl.first() {
        writeln!(out, "try:    {first}")?;
    }
    Ok(())
}
