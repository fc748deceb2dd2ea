//! `dynroute check`: one ECS listing, two Traefik API reads and the requests;
//! the logic lives in `crate::check`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use jiff::Timestamp;

use crate::check::args::CheckArgs;
use crate::check::cases::{self, Filter, Routing, ServiceTable};
use crate::check::lint::{self, Expected, LiveVersion, OurService};
use crate::check::report::{CheckReport, LintReport};
use crate::check::{hurl, junit, send, traefik};
use crate::cli::OutputFormat;
use crate::config::schema::http_url;
use crate::context::Context;
use crate::deploy::inventory;
use crate::error::{ExitKind, UserError};
use crate::naming::{ServiceName, Version};

fn writable(flag: &str, path: &Path) -> Result<(), UserError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if dir.is_dir() && !path.is_dir() {
        Ok(())
    } else {
        Err(UserError::usage(format!(
            "{flag} {}: cannot write a file there",
            path.display()
        ))
        .hint("give a file path in an existing directory"))
    }
}

pub async fn run(ctx: &Context, args: CheckArgs) -> anyhow::Result<()> {
    let project = ctx.project()?;
    // Every input is checked before the first AWS call.
    let versions: Vec<Version> = args
        .versions
        .iter()
        .map(|v| v.parse::<Version>().map_err(UserError::from))
        .collect::<Result<_, _>>()?;
    let names: Vec<ServiceName> = args
        .services
        .iter()
        .map(|s| s.parse::<ServiceName>().map_err(UserError::from))
        .collect::<Result<_, _>>()?;
    if !args.all_projects {
        project.select(&names)?;
    }
    let traefik_api = match &args.traefik_api {
        Some(url) => Some(http_url("--traefik-api", url).map_err(UserError::usage)?),
        None => project.traefik_api_url.clone(),
    };
    if project.ingress.is_none() {
        return Err(UserError::usage(format!(
            "{}: `check` sends its requests through the ingress, and none is configured",
            project.path.display()
        ))
        .hint("set `ingress.url` (Traefik's entrypoint) or `ingress.load_balancer` in the config")
        .into());
    }
    for (flag, path) in [("--hurl", &args.hurl), ("--junit", &args.junit)] {
        if let Some(path) = path {
            writable(flag, path)?;
        }
    }

    let aws = ctx.aws(&project).await?;
    let ingress = super::ingress::resolve(&aws, &project)
        .await?
        .expect("checked above");
    let views = inventory::versions(
        aws.all_services().await?,
        &project.main_version,
        |v| project.is_protected(v),
        Timestamp::now(),
    );
    // service → version → (running, desired), live services only.
    let mut live: BTreeMap<String, BTreeMap<String, (i32, i32)>> = BTreeMap::new();
    for view in &views {
        for s in view.services.iter().filter(|s| s.status != "draining") {
            live.entry(s.service.clone())
                .or_default()
                .insert(view.version.clone(), (s.running, s.desired));
        }
    }

    let client = send::client(args.timeout)?;
    let loaded = match &traefik_api {
        Some(api) => Some(traefik::fetch(&client, api).await?),
        None => None,
    };

    let mut skipped = Vec::new();
    let mut tables = Vec::new();
    let wanted = |name: &str| names.is_empty() || names.iter().any(|n| n.as_str() == name);
    let declared: BTreeSet<&str> = project.services.keys().map(|s| s.as_str()).collect();
    let candidates: BTreeSet<&str> = declared
        .iter()
        .copied()
        .chain(live.keys().map(String::as_str))
        .collect();
    for name in candidates.into_iter().filter(|n| wanted(n)) {
        let versions: BTreeSet<String> = live
            .get(name)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let settings = name
            .parse::<ServiceName>()
            .ok()
            .and_then(|n| project.services.get(&n));
        let (hosts, path) = match settings {
            Some(s) => (
                s.hosts.iter().map(|h| h.to_string()).collect(),
                s.path().to_owned(),
            ),
            None if !args.all_projects => {
                skipped.push(format!(
                    "{name} (not declared in {}; --all-projects checks it)",
                    project.path.display()
                ));
                continue;
            }
            None => {
                match loaded.as_ref().map(|l| lint::hosts_of(&l.routers, name)) {
                    Some(hosts) if !hosts.is_empty() => (hosts, "/".to_owned()),
                    _ => {
                        skipped.push(format!("{name} (not declared in the config, and no Traefik router tells its hosts)"));
                        continue;
                    }
                }
            }
        };
        if versions.is_empty() {
            skipped.push(format!("{name} (nothing deployed)"));
            continue;
        }
        tables.push(ServiceTable {
            service: name.to_owned(),
            hosts,
            path,
            versions,
        });
    }

    let filter = Filter {
        versions: versions.iter().map(|v| v.to_string()).collect(),
    };
    for v in &filter.versions {
        if !tables.iter().any(|t| t.versions.contains(v)) {
            return Err(UserError::new(
                ExitKind::Failure,
                format!("version {v} is not deployed for any checked service"),
            )
            .hint("`dynroute ls` lists what is deployed")
            .into());
        }
    }
    let routing = Routing {
        baggage_key: project.baggage_key.to_string(),
        main_version: project.main_version.to_string(),
        fallback: project
            .ways_in
            .fallback
            .iter()
            .map(|v| v.to_string())
            .collect(),
        cookie: Some(project.ways_in.cookie.to_string()),
        version_host_domain: project
            .ways_in
            .version_host_domain
            .as_ref()
            .map(|d| d.to_string()),
        pins: true,
    };
    let cases = cases::generate(&tables, &routing, &filter);
    ctx.ui
        .detail(format!("{} cases through {ingress}", cases.len()));

    let lint_report = loaded
        .as_ref()
        .zip(traefik_api.as_ref())
        .map(|(loaded, api)| {
            let services: Vec<OurService> = tables
                .iter()
                .map(|t| OurService {
                    service: t.service.clone(),
                    hosts: t.hosts.clone(),
                    versions: live[&t.service]
                        .iter()
                        .filter(|(v, _)| {
                            filter.versions.is_empty()
                                || filter.versions.contains(v)
                                || **v == routing.main_version
                        })
                        .map(|(v, (running, desired))| LiveVersion {
                            version: v.clone(),
                            running: *running,
                            desired: *desired,
                        })
                        .collect(),
                })
                .collect();
            let expected = Expected {
                services: &services,
                main_version: &routing.main_version,
                version_priority: i64::from(project.traefik.priority),
            };
            LintReport {
                traefik_api: api.clone(),
                warn_only: args.warn_only,
                findings: lint::lint(&expected, loaded),
            }
        });

    let answers = send::send_all(&client, &ingress, &cases, usize::from(args.concurrency)).await;
    let report = CheckReport::new(
        project.cluster.clone(),
        ingress.clone(),
        skipped,
        cases.iter().cloned().zip(answers).collect(),
        lint_report,
    );

    if let Some(path) = &args.hurl {
        std::fs::write(path, hurl::render(&ingress, &cases))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.junit {
        let now = Timestamp::now().strftime("%Y-%m-%dT%H:%M:%S").to_string();
        std::fs::write(path, junit::render(&report, &now))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if ctx.output == OutputFormat::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{report}")?;
    }
    drop(out);

    if report.ingress_unreachable() {
        let error = report.cases[0].answer.describe();
        return Err(UserError::new(
            ExitKind::TimedOut,
            format!(
                "the ingress at {ingress} answered none of the {} requests ({error})",
                report.total
            ),
        )
        .hint("check `ingress.url` / `ingress.load_balancer` and that Traefik runs")
        .into());
    }
    if !report.passed {
        let failed = report.total - report.proven;
        let findings = report
            .lint
            .as_ref()
            .filter(|l| !l.warn_only)
            .map_or(0, |l| l.findings.len());
        return Err(UserError::new(
            ExitKind::Failure,
            format!(
                "check failed: {failed} of {} routes not proven, {findings} lint findings",
                report.total
            ),
        )
        .into());
    }
    Ok(())
}
