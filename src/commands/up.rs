//! `dynroute up`: deploy a version of the project's services beside main.
//!
//! Validate everything (render every template, check the flags) → the engine
//! plans, applies, waits and verifies → the report.

use std::collections::BTreeMap;

use super::header::curl_lines;
use crate::cli::UpArgs;
use crate::engine::timings::{Mark, Stopwatch};
use crate::engine::up::{self, UpOptions, UpRequest};
use crate::engine::ways_in::{self, EntryKind};
use crate::engine::{guardrails, ingress};
use crate::error::UserError;
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
    for s in &services {
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
    guardrails::check_new_version(&aws, &project, &release, args.release.ttl, &services).await?;
    let request = UpRequest {
        project: &project,
        release: &release,
        services: &services,
        options: UpOptions {
            dry_run: args.dry_run,
            wait: !args.no_wait,
            timeout: args.timeout,
        },
        ingress: verify_through.as_deref(),
    };
    let poller = settings.poller(args.timeout);
    let outcomes = up::run_timed(&aws, request, poller, &mut progress, &watch).await?;

    // 3. The report, with the header and a curl line through the ingress.
    let printed = match verify_through {
        Some(url) => Some(url),
        None => ingress::for_printing(&aws, &project, &mut progress).await,
    };
    let header = baggage::header_line(&project.baggage_key, &release.version);
    let mut ways_in = BTreeMap::new();
    let mut entry_lines = Vec::new();
    let (mut urls, mut links) = (Vec::new(), Vec::new());
    for s in &services {
        let name = &s.settings.name;
        let entries = ways_in::entry_points(&project, &release.version, name);
        let of = |kind| {
            entries
                .iter()
                .find(|e| e.kind == kind)
                .map(|e| e.value.clone())
        };
        urls.extend(of(EntryKind::VersionHost).or_else(|| s.settings.urls().into_iter().next()));
        links.extend(of(EntryKind::Link));
        ways_in.insert(name.to_string(), entries);
        for line in ways_in::summary_lines(&project, &release.version, name) {
            entry_lines.push(format!("{name}: {line}"));
        }
    }
    let timings = watch.timings();
    for (phase, ms) in timings.phases() {
        settings.ui.detail(format!("timing: {phase} {ms} ms"));
    }
    Ok(UpReport {
        timings,
        version: release.version.clone(),
        cluster: project.cluster.clone(),
        dry_run: args.dry_run,
        services: outcomes.into_iter().map(Into::into).collect(),
        curl: curl_lines(Some(&project), printed.as_deref(), &header),
        header,
        ways_in,
        entry_lines,
        urls,
        link: links.into_iter().next(),
    })
}
