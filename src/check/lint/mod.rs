//! Lint of what Traefik loaded against what the ECS listing says is deployed.
//!
//! Requests prove that a route works; the lint says why one does not, or what
//! could break it next: a router Traefik disabled, someone else's router taking
//! our hosts first, a version Traefik never saw, a host without main.

use std::collections::BTreeSet;

use serde::Serialize;

use super::traefik::{Loaded, Router};
use crate::naming::{ServiceName, Version};
use crate::routing::Hostname;

/// What a finding is about; the kebab-case names are stable (JSON, JUnit, docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// One of our routers is disabled (Traefik could not use its rule).
    RouterDisabled,
    /// One of our routers is in another non-enabled state (a warning).
    RouterError,
    /// Our router's rule is written in the other rule syntax than Traefik parsed it in.
    WrongRuleSyntax,
    /// Someone else's router covers one of our hosts at or above our version routers.
    Shadowed,
    /// One of our Traefik services has no server that can take traffic.
    NoServers,
    /// A service has versions but no main: plain requests get 404.
    NoMain,
    /// A live version whose router Traefik does not know.
    NotLoaded,
    /// A provider other than ECS defines a router with one of our names.
    OtherProvider,
    /// A baseline's labels differ from what `dynroute labels` prints for main.
    BaselineDrift,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::RouterDisabled => "router-disabled",
            Code::RouterError => "router-error",
            Code::WrongRuleSyntax => "wrong-rule-syntax",
            Code::Shadowed => "shadowed",
            Code::NoServers => "no-servers",
            Code::NoMain => "no-main",
            Code::NotLoaded => "not-loaded",
            Code::OtherProvider => "other-provider",
            Code::BaselineDrift => "baseline-drift",
        }
    }
}

/// One problem, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: Code,
    /// The router, service or host it is about.
    pub subject: String,
    pub service: ServiceName,
    pub message: String,
    pub hint: String,
}

/// A live version of a service, as the listing reports it.
#[derive(Debug, Clone)]
pub struct LiveVersion {
    pub version: Version,
    pub running: i32,
    pub desired: i32,
}

/// One of our services: its hosts and live versions.
#[derive(Debug, Clone)]
pub struct OurService {
    pub service: ServiceName,
    /// Main is a URL baseline: its routers come from Traefik's file provider.
    pub main_by_file: bool,
    pub hosts: Vec<Hostname>,
    pub versions: Vec<LiveVersion>,
}

/// The owned inputs of [`Expected`], built by `check::select::lint_input`.
#[derive(Debug, Clone)]
pub struct LintReportInput {
    pub services: Vec<OurService>,
    pub main_version: Version,
    pub version_priority: i64,
}

/// What the lint compares Traefik with.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub services: &'a [OurService],
    pub main_version: &'a Version,
    /// The configured priority of version routers (when Traefik has none of ours loaded).
    pub version_priority: i64,
}

/// Whether `router` is a main router of a URL baseline (file provider).
fn is_baseline_file_router(expected: &Expected, router: &Router) -> bool {
    router.provider == "file"
        && expected.services.iter().any(|s| {
            let main = format!("{}--{}", s.service, expected.main_version);
            s.main_by_file
                && (router.short_name() == main
                    || router
                        .short_name()
                        .strip_prefix(main.as_str())
                        .is_some_and(|rest| rest.starts_with('-')))
        })
}

fn is_ours(expected: &Expected, short_name: &str) -> Option<ServiceName> {
    expected
        .services
        .iter()
        .find(|s| {
            short_name
                .strip_prefix(s.service.as_str())
                .is_some_and(|rest| rest.starts_with("--"))
        })
        .map(|s| s.service.clone())
}

/// The findings, sorted by code and subject.
pub fn lint(expected: &Expected, loaded: &Loaded) -> Vec<Finding> {
    let mut findings = Vec::new();
    let ecs_routers: Vec<&Router> = loaded
        .routers
        .iter()
        .filter(|r| r.provider == "ecs")
        .collect();
    let known: BTreeSet<&str> = ecs_routers.iter().map(|r| r.short_name()).collect();
    let known_file: BTreeSet<&str> = (loaded.routers.iter())
        .filter(|r| is_baseline_file_router(expected, r))
        .map(|r| r.short_name())
        .collect();

    for router in &loaded.routers {
        let Some(service) = is_ours(expected, router.short_name()) else {
            continue;
        };
        if is_baseline_file_router(expected, router) {
            if router.status != "enabled" {
                findings.push(router_state(router, service));
            }
            continue;
        }
        if router.provider != "ecs" {
            findings.push(Finding {
                code: Code::OtherProvider,
                subject: router.name.clone(),
                service,
                message: format!(
                    "the {} provider defines router {}, a name dynroute gives its ECS routers",
                    router.provider,
                    router.short_name()
                ),
                hint: format!(
                    "rename or remove it in the {} provider's configuration: two providers with one router name make it ambiguous which rule a reference means",
                    router.provider
                ),
            });
            continue;
        }
        if router.status == "enabled" {
            continue;
        }
        findings.push(router_state(router, service));
    }

    for router in loaded
        .routers
        .iter()
        .filter(|r| r.status == "enabled" && r.provider != "internal")
    {
        if is_ours(expected, router.short_name()).is_some() {
            continue;
        }
        for ours in expected.services {
            let Some(host) = ours
                .hosts
                .iter()
                .find(|h| rule_covers(&router.rule, h.as_str()))
            else {
                continue;
            };
            // The baggage routers `{service}--{version}` of its live versions besides main.
            let version_routers: BTreeSet<String> = ours
                .versions
                .iter()
                .filter(|v| &v.version != expected.main_version)
                .map(|v| format!("{}--{}", ours.service, v.version))
                .collect();
            let our_routers: Vec<&&Router> = ecs_routers
                .iter()
                .filter(|r| r.status == "enabled" && version_routers.contains(r.short_name()))
                .collect();
            let shares_entrypoint = our_routers.is_empty()
                || our_routers.iter().any(|r| entrypoints_overlap(router, r));
            let version_priority = our_routers
                .iter()
                .map(|r| r.effective_priority())
                .min()
                .unwrap_or(expected.version_priority);
            if shares_entrypoint && router.effective_priority() >= version_priority {
                findings.push(Finding {
                    code: Code::Shadowed,
                    subject: router.name.clone(),
                    service: ours.service.clone(),
                    message: format!(
                        "router {} (rule {}, priority {}) takes requests for {host} before {}'s version routers (priority {version_priority})",
                        router.name,
                        router.rule,
                        router.effective_priority(),
                        ours.service
                    ),
                    hint: format!(
                        "narrow its rule so it does not match {host}, or give it a priority below {version_priority}"
                    ),
                });
            }
        }
    }

    for service in &loaded.services {
        if service.provider != "ecs" {
            continue;
        }
        let Some(ours) = is_ours(expected, service.short_name()) else {
            continue;
        };
        if service.servers_up() == 0 {
            findings.push(Finding {
                code: Code::NoServers,
                subject: service.name.clone(),
                service: ours,
                message: format!("Traefik service {} has no server that is up", service.name),
                hint: "its tasks are gone or fail the health check (`health_check_path`): see `dynroute status VERSION`".into(),
            });
        }
    }

    for ours in expected.services {
        let has_main = ours
            .versions
            .iter()
            .any(|v| &v.version == expected.main_version);
        if !has_main && !ours.versions.is_empty() {
            let versions: Vec<&str> = ours.versions.iter().map(|v| v.version.as_str()).collect();
            findings.push(Finding {
                code: Code::NoMain,
                subject: hosts_text(&ours.hosts, ","),
                service: ours.service.clone(),
                message: format!(
                    "{} runs {} but no {}: requests without a route to {} get 404",
                    ours.service,
                    versions.join(", "),
                    expected.main_version,
                    hosts_text(&ours.hosts, ", ")
                ),
                hint: format!(
                    "deploy it: `dynroute up {} -s {}`",
                    expected.main_version, ours.service
                ),
            });
        }
        for live in &ours.versions {
            let name = format!("{}--{}", ours.service, live.version);
            let by_file = ours.main_by_file && &live.version == expected.main_version;
            if by_file && known_file.contains(name.as_str()) || known.contains(name.as_str()) {
                continue;
            }
            if by_file {
                findings.push(Finding {
                    code: Code::NotLoaded,
                    subject: format!("{name}@file"),
                    service: ours.service.clone(),
                    message: format!(
                        "main of {} is a URL baseline but Traefik has no router {name} from its file provider",
                        ours.service
                    ),
                    hint: "load `dynroute traefik-config --dynamic` with Traefik's file provider (providers.file.filename), and regenerate it after changing dynroute.yaml".into(),
                });
                continue;
            }
            let hint = if live.running == 0 {
                format!(
                    "none of its tasks runs ({}/{}): Traefik's ECS provider only reads RUNNING tasks; see `dynroute status {}`",
                    live.running, live.desired, live.version
                )
            } else {
                "Traefik does not read its labels: with exposedByDefault=false the task needs traefik.enable (dynroute sets it), the cluster must be watched (providers.ecs.clusters or autoDiscoverClusters), and the container needs a port mapping".into()
            };
            findings.push(Finding {
                code: Code::NotLoaded,
                subject: format!("{name}@ecs"),
                service: ours.service.clone(),
                message: format!(
                    "{name} is deployed ({}/{} running) but Traefik has no router {name}",
                    live.running, live.desired
                ),
                hint,
            });
        }
    }
    findings.sort_by(|a, b| (a.code, &a.subject).cmp(&(b.code, &b.subject)));
    findings
}

/// How many differing labels a drift finding lists before "and N more".
const DRIFT_LINES: usize = 12;

/// A baseline whose routing labels are not what `dynroute labels` prints for
/// main now (a changed domain, cookie or priority in dynroute.yaml, or labels
/// never added): the difference and the fix. `actual` is `None` when the
/// baseline's task definition has no container `container`.
pub fn baseline_drift(
    service: &ServiceName,
    ecs_service: &str,
    container: &str,
    main: &Version,
    expected: &std::collections::BTreeMap<String, String>,
    actual: Option<&std::collections::BTreeMap<String, String>>,
) -> Option<Finding> {
    let ours = |k: &String| k.starts_with("traefik.") || k.starts_with("dynroute.");
    let empty = std::collections::BTreeMap::new();
    let actual = actual.unwrap_or(&empty);
    let mut lines = Vec::new();
    for (k, v) in expected.iter().filter(|(k, _)| ours(k)) {
        match actual.get(k) {
            Some(have) if have == v => {}
            Some(have) => lines.push(format!("~ {k}: {have} → {v}")),
            None => lines.push(format!("+ {k}={v}")),
        }
    }
    for (k, v) in actual
        .iter()
        .filter(|(k, _)| ours(k) && !expected.contains_key(*k))
    {
        lines.push(format!("- {k}={v}"));
    }
    if lines.is_empty() {
        return None;
    }
    let count = lines.len();
    let more = count.saturating_sub(DRIFT_LINES);
    lines.truncate(DRIFT_LINES);
    if more > 0 {
        lines.push(format!("… and {more} more"));
    }
    Some(Finding {
        code: Code::BaselineDrift,
        subject: ecs_service.to_owned(),
        service: service.clone(),
        message: format!(
            "the baseline {ecs_service} (main of {service}) carries other routing labels on container `{container}` than `dynroute labels {main} -s {service}` prints ({count} differ):\n  {}",
            lines.join("\n  ")
        ),
        hint: format!(
            "put `dynroute labels {main} -s {service} --format json` into the dockerLabels of container `{container}` of the baseline's task definition and deploy it with your own tooling (Terraform, CDK, CloudFormation); dynroute never writes to it"
        ),
    })
}

fn hosts_text(hosts: &[Hostname], separator: &str) -> String {
    let hosts: Vec<&str> = hosts.iter().map(Hostname::as_str).collect();
    hosts.join(separator)
}

fn router_state(router: &Router, service: ServiceName) -> Finding {
    let syntax_v2 = router.rule_syntax.as_deref() == Some("v2");
    let wrong = if router.rule.contains("HeadersRegexp(") && !syntax_v2 {
        Some(("the v2 function HeadersRegexp", "v3", "v2"))
    } else if router.rule.contains("HeaderRegexp(") && syntax_v2 {
        Some(("the v3 function HeaderRegexp", "v2", "v3"))
    } else {
        None
    };
    let errors = if router.error.is_empty() {
        "no message".to_owned()
    } else {
        router.error.join("; ")
    };
    if let Some((function, parsed_as, written_in)) = wrong {
        return Finding {
            code: Code::WrongRuleSyntax,
            subject: router.name.clone(),
            service,
            message: format!(
                "router {} is {}: its rule uses {function} but Traefik parsed it as {parsed_as} ({errors})",
                router.name, router.status
            ),
            hint: format!(
                "the labels were written for rule syntax {written_in}: redeploy the version with the project's `traefik.rule_syntax` (v2 adds the router label ruleSyntax=v2)"
            ),
        };
    }
    let code = if router.status == "disabled" {
        Code::RouterDisabled
    } else {
        Code::RouterError
    };
    Finding {
        code,
        subject: router.name.clone(),
        service,
        message: format!("router {} is {}: {errors}", router.name, router.status),
        hint: "its labels are not what dynroute writes: redeploy the version (`dynroute up VERSION`), or fix the label on the task definition".into(),
    }
}

fn entrypoints(r: &Router) -> &[String] {
    if r.using.is_empty() {
        &r.entry_points
    } else {
        &r.using
    }
}

fn entrypoints_overlap(a: &Router, b: &Router) -> bool {
    let (a, b) = (entrypoints(a), entrypoints(b));
    a.is_empty() || b.is_empty() || a.iter().any(|e| b.contains(e))
}

/// The arguments of every `func(`…`)` call in a rule (backquoted or double-quoted).
fn call_args<'a>(rule: &'a str, func: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let pattern = format!("{func}(");
    let mut rest = rule;
    while let Some(i) = rest.find(&pattern) {
        // `XHost(` is another function: the name must start at a word boundary.
        let before = rest[..i].chars().next_back();
        let args = &rest[i + pattern.len()..];
        rest = args;
        if before.is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let Some(quote) = args.chars().next().filter(|c| *c == '`' || *c == '"') else {
            continue;
        };
        if let Some(end) = args[1..].find(quote) {
            out.push(&args[1..1 + end]);
        }
    }
    out
}

/// The hosts of a service's ECS routers (`{service}--…@ecs`), from their `Host` matchers.
pub fn hosts_of(routers: &[Router], service: &ServiceName) -> Vec<Hostname> {
    let prefix = format!("{service}--");
    let mut hosts: Vec<Hostname> = routers
        .iter()
        .filter(|r| r.provider == "ecs" && r.short_name().starts_with(&prefix))
        .flat_map(|r| call_args(&r.rule, "Host"))
        .filter(|h| !h.starts_with(&prefix)) // version hosts
        .filter_map(|h| h.parse().ok())
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// Whether a router rule can match requests for `host`: a `Host` or `HostRegexp`
/// that matches it, or no host matcher at all (a catch-all).
pub fn rule_covers(rule: &str, host: &str) -> bool {
    let hosts = call_args(rule, "Host");
    let regexps = call_args(rule, "HostRegexp");
    if hosts.is_empty() && regexps.is_empty() {
        return !rule.contains("HostSNI(");
    }
    hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
        || regexps
            .iter()
            .any(|re| regex::Regex::new(re).is_ok_and(|re| re.is_match(host)))
}

#[cfg(test)]
mod tests;
