//! `dynroute check`: one ECS listing, two Traefik API reads and the requests;
//! the logic lives in `crate::check`.

use std::path::Path;

use jiff::Timestamp;

use crate::check::cases::{self, Filter, Routing};
use crate::check::{baseline, lint, select, send, traefik};
use crate::cli::check::CheckArgs;
use crate::config::ServiceSettings;
use crate::engine::scope::Scope;
use crate::engine::{ingress, inventory};
use crate::error::{ExitKind, UserError};
use crate::files;
use crate::report::check::{CheckReport, LintReport};
use crate::report::{hurl, junit};
use crate::settings::Settings;

/// Where `--hurl` / `--junit` write, checked before any AWS call.
fn target(settings: &Settings, flag: &str, path: &Path) -> Result<std::path::PathBuf, UserError> {
    files::write::check_target(path, &settings.cwd, flag)
        .map_err(|err| err.hint("give a file path in an existing directory"))
}

pub async fn run(settings: &Settings, args: CheckArgs) -> anyhow::Result<CheckReport> {
    let project = settings.project()?;
    // Every input is checked before the first AWS call.
    if !args.all_projects {
        project.select(&args.services)?;
    }
    let traefik_api = args
        .traefik_api
        .clone()
        .or_else(|| project.traefik_api_url.clone());
    if let (Some(api), Some(_)) = (&traefik_api, &args.traefik_api_token) {
        traefik::check_token_transport(api)?;
    }
    if project.ingress.is_none() {
        return Err(UserError::usage(format!(
            "{}: `check` sends its requests through the ingress, and none is configured",
            project.path.display()
        ))
        .hint("set `ingress.url` (Traefik's entrypoint) or `ingress.load_balancer` in the config")
        .into());
    }
    let hurl_target = args
        .hurl
        .as_deref()
        .map(|p| target(settings, "--hurl", p))
        .transpose()?;
    let junit_target = args
        .junit
        .as_deref()
        .map(|p| target(settings, "--junit", p))
        .transpose()?;

    let aws = settings.aws(&project).await?;
    let ingress = ingress::resolve(&aws, &project)
        .await?
        .expect("checked above");
    // Only this project's services unless --all-projects, as `ls`.
    let scope = Scope::new(&project.project, args.all_projects);
    let client = send::client(args.timeout)?;
    // A baseline must exist before main's routes are proven through it; its
    // labels must still be what dynroute would write for main.
    let selected: Vec<&ServiceSettings> = (project.services.values())
        .filter(|s| args.services.is_empty() || args.services.contains(&s.name))
        .collect();
    // What `check` reads first is independent: the ECS listing, Traefik's
    // API and the baselines' labels, all at once.
    let token = args.traefik_api_token.as_deref();
    let (views, loaded, drift) = tokio::try_join!(
        inventory::list(&aws, &project, &scope, Timestamp::now()),
        async {
            match &traefik_api {
                Some(api) => traefik::fetch(&client, api, token).await.map(Some),
                None => Ok(None),
            }
        },
        baseline::drift(&aws, &project, &selected)
    )?;
    let live = select::live(&views);
    let (tables, skipped) = select::tables(
        &project,
        &live,
        loaded.as_ref(),
        &args.services,
        args.all_projects,
    );
    let filter = Filter {
        versions: args.versions.clone(),
    };
    if let Some(v) =
        (filter.versions.iter()).find(|v| !tables.iter().any(|t| t.versions.contains(*v)))
    {
        return Err(UserError::new(
            ExitKind::Failure,
            format!("version {v} is not deployed for any checked service"),
        )
        .hint("`dynroute ls` lists what is deployed")
        .into());
    }
    let cases = cases::generate(&tables, &Routing::of(&project), &filter);
    settings
        .ui
        .detail(format!("{} cases through {ingress}", cases.len()));
    let lint_report = loaded
        .as_ref()
        .zip(traefik_api.as_ref())
        .map(|(loaded, api)| {
            let input = select::lint_input(&project, &tables, &live, &filter);
            LintReport {
                traefik_api: api.clone(),
                warn_only: args.warn_only,
                findings: lint::lint(&input.expected(), loaded),
            }
        });

    let lint_report = match (lint_report, drift.is_empty()) {
        (report, true) => report,
        (Some(mut report), false) => {
            report.findings.extend(drift);
            Some(report)
        }
        (None, false) => Some(LintReport {
            traefik_api: String::new(),
            warn_only: args.warn_only,
            findings: drift,
        }),
    };
    let answers = send::send_all(&client, &ingress, &cases, usize::from(args.concurrency)).await;
    let report = CheckReport::new(
        project.cluster.clone(),
        ingress.clone(),
        skipped,
        cases.iter().cloned().zip(answers).collect(),
        lint_report,
    );
    // Both exports are rendered before either is written.
    let now = Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let exports = [
        (hurl_target, "--hurl", hurl::render(&ingress, &cases)),
        (junit_target, "--junit", junit::render(&report, &now)),
    ];
    for (target, flag, text) in exports {
        if let Some(real) = target {
            files::write::write_atomic(&real, text.as_bytes(), flag)?;
        }
    }
    Ok(report)
}
