//! `dynroute up`: deploy a version of the project's services beside main.
//!
//! Validate everything (render every template, check the flags) → the engine
//! plans, applies, waits and verifies → the report.

use crate::config::ServiceSettings;

use crate::cli::UpArgs;
use crate::engine::timings::{Mark, Stopwatch};
use crate::engine::up::{self, HookContext, UpOptions, UpRequest};
use crate::engine::ways_in;
use crate::engine::{baseline, guardrails, ingress};
use crate::report::UpReport;
use crate::routing::baggage;
use crate::settings::Settings;
use crate::settings::inputs::{self, RenderedRelease};
use crate::taskdef;

pub async fn run(settings: &Settings, args: UpArgs) -> anyhow::Result<UpReport> {
    let watch = Stopwatch::start();
    // 1. Validate every input before any AWS call.
    let RenderedRelease {
        project,
        release,
        services,
    } = inputs::render_release(settings, args.version.as_ref(), &args.release)?;
    inputs::refuse_derived_protected(&project, &release.version, args.version.is_some())?;
    let selected: Vec<&ServiceSettings> = services.iter().map(|s| &s.settings).collect();
    inputs::refuse_baseline(&project, &release.version, &selected, "up")?;
    // CreateService's rules: before any call.
    for s in &services {
        taskdef::ecs_rules::check_service(&s.task_definition, &project, &s.settings)?;
    }
    let verify = inputs::verify(&args, &project)?;
    if args.version.is_none() {
        settings.ui.info(format!(
            "version: {} (from the git branch)",
            release.version
        ));
    }

    watch.mark(Mark::Validated);

    // 2. Deploy. Verify needs the ingress, so a missing load balancer stops `up`
    // before any write; otherwise it only feeds the printed curl line.
    let aws = settings.aws(&project).await?;
    let names: Vec<String> = services.iter().map(|s| s.ecs_name.clone()).collect();
    let mut progress = settings.progress(&names);
    let verify_through = match verify {
        true => ingress::resolve(&aws, &project).await?,
        false => None,
    };
    // A baseline must exist, and main must not also be dynroute's, before any write.
    baseline::check(&aws, &project, &selected).await?;
    guardrails::check_new_version(&aws, &project, &release, args.release.ttl, &services).await?;
    let hooks_skipped = args.no_hooks && skipped_hooks(settings, &project, &release, &selected);
    let request = UpRequest {
        project: &project,
        release: &release,
        services: &services,
        options: UpOptions {
            dry_run: args.dry_run,
            wait: !args.no_wait,
            timeout: args.timeout,
            force_new_deployment: args.force_new_deployment,
        },
        ingress: verify_through.as_deref(),
        hooks: (!args.no_hooks).then_some(HookContext {
            logs: &aws,
            region: aws.region(),
            poll: settings.poll_interval,
        }),
    };
    let poller = settings.poller(args.timeout);
    let result = up::run(&aws, request, poller, &mut progress, &watch).await?;

    // 3. The report, with the header and a curl line through the ingress.
    let printed = match verify_through {
        Some(url) => Some(url),
        None => ingress::for_printing(&aws, &project, &mut progress).await,
    };
    let header = baggage::header_line(&project.baggage_key, &release.version);
    let deployed: Vec<&ServiceSettings> = services.iter().map(|s| &s.settings).collect();
    let ways = ways_in::for_release(&project, &release.version, &deployed);
    let timings = watch.timings();
    for (phase, ms) in timings.phases() {
        settings.ui.detail(format!("timing: {phase} {ms} ms"));
    }
    Ok(UpReport {
        timings,
        version: release.version.clone(),
        cluster: project.cluster.clone(),
        dry_run: args.dry_run,
        services: result.outcomes.into_iter().map(Into::into).collect(),
        hooks: result.hooks,
        hooks_skipped,
        curl: ways_in::curl_lines(Some(&deployed), printed.as_deref(), &header),
        header,
        ways_in: ways.ways_in,
        entry_lines: ways.entry_lines,
        urls: ways.urls,
        link: ways.link,
    })
}

/// `--no-hooks`: says loudly which hooks this `up` does not run; whether any.
fn skipped_hooks(
    settings: &Settings,
    project: &crate::config::Project,
    release: &crate::taskdef::release::Release,
    selected: &[&ServiceSettings],
) -> bool {
    if release.version == project.main_version {
        return false;
    }
    let skipped: Vec<String> = (project.hooks.hooks.iter())
        .filter(|h| h.phase != crate::config::Phase::AfterDown)
        .filter(|h| selected.iter().any(|s| s.name == h.service))
        .map(|h| h.label())
        .collect();
    if !skipped.is_empty() {
        settings.ui.warn(format!(
            "--no-hooks: not running {} (the version's data may not match its code)",
            skipped.join(", ")
        ));
    }
    !skipped.is_empty()
}
