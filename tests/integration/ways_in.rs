//! Every way in, proven through the real Traefik in both rule syntaxes: version
//! hosts, per-service pins, baggage members, cookies, the link that sets the
//! cookie and the path that clears it, fallback tiers, and their precedence.
//! The responder echoes the request headers it got, so each promise of
//! `baggage: dynamic_route=V` for the next hop is checked at the backend.

use std::collections::BTreeMap;

mod answers;
mod cases;

use crate::harness::{Project, SpawnOutput};
use crate::http::get;
use crate::stack::Stack;
use cases::{Case, Expect, cases};
/// Deploys each `(service, versions)` concurrently.
fn deploy(p: &Project, plan: &[(&str, &[&str])]) {
    let runs: Vec<_> = plan
        .iter()
        .flat_map(|(service, versions)| versions.iter().map(move |v| (*service, *v)))
        .map(|(service, v)| {
            let run = p
                .cmd(&["up", v, "-s", service, "-q", "--no-verify"])
                .spawn_output();
            (service, v, run)
        })
        .collect();
    for (service, v, run) in runs {
        let out = run.join().unwrap();
        assert!(
            out.status.success(),
            "up {v} -s {service}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The routed project plus a third service `{tag}ui`, `fallback: [shadow]`, and
/// a protected (never expiring) shadow.
fn project(stack: &Stack, tag: &str, syntax: &str) -> Project {
    let (p, _) = stack.routed_project(tag, syntax);
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let config = format!(
        "{config}  {tag}ui:\n    template: templates/app.yaml\n    port: 8080\nfallback: [shadow]\nprotected: [main, shadow]\n"
    );
    p.file("dynroute.yaml", &config)
}

fn check(stack: &Stack, c: &Case) -> Result<(), String> {
    let lines: Vec<(&str, &str)> = c.lines.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = get(&stack.traefik_web(), &c.host, c.path, &lines).map_err(|e| e.to_string())?;
    let got = format!("HTTP {} from {:?}", r.status, r.version());
    let answered = |v: &str| {
        r.status == 200 && r.version() == Some(v) && r.json()["env"]["DYNROUTE_VERSION"] == v
    };
    match &c.expect {
        Expect::NotFound if r.status == 404 => Ok(()),
        Expect::Version(v) if answered(v) => Ok(()),
        Expect::VersionWithBaggage(v, baggage) if answered(v) => {
            let seen = &r.json()["headers"]["baggage"];
            if seen == baggage.as_str() {
                Ok(())
            } else {
                Err(format!(
                    "{v} answered, but its backend got baggage {seen}, not {baggage:?}"
                ))
            }
        }
        _ => Err(got),
    }
}

fn routers(tag: &str, plan: &[(&str, &[&str])]) -> Vec<String> {
    plan.iter()
        .flat_map(|(s, vs)| vs.iter().map(move |v| format!("{s}--{v}-cookie")))
        .chain(std::iter::once(format!("{tag}api--shadow-fallback")))
        .collect()
}

pub(crate) fn suite(syntax: &str, tag: &str, stack: &Stack) {
    let p = project(stack, tag, syntax);
    let (api, web, ui) = (format!("{tag}api"), format!("{tag}web"), format!("{tag}ui"));
    let plan: [(&str, &[&str]); 3] = [
        (&api, &["main", "feature-1", "feature-2", "shadow"]),
        (&web, &["main", "feature-1", "shadow"]),
        (&ui, &["main"]),
    ];
    deploy(&p, &plan);
    stack.wait_for_routers(&routers(tag, &plan), &[]);

    let cases = cases(tag);
    let mut per_way: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for c in &cases {
        let entry = per_way.entry(c.way).or_default();
        entry.0 += 1;
        match check(stack, c) {
            Ok(()) => entry.1 += 1,
            Err(e) => failures.push(format!("[{}] {} {:?}: {e}", c.way, c.host, c.lines)),
        }
    }
    let counts: Vec<String> = per_way
        .iter()
        .map(|(way, (n, ok))| format!("{way} {ok}/{n}"))
        .collect();
    let plugin = stack.has_plugin();
    eprintln!(
        "ways in ({syntax}, entry middleware: {plugin}): {}",
        counts.join(", ")
    );
    assert!(
        failures.is_empty(),
        "{syntax} (entry middleware: {plugin}): {} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    answers::links(stack, tag);
    answers::tiers(&p, tag);
}

#[test]
fn every_way_in_through_traefik_v3() {
    suite("v3", "wv3", Stack::with_traefik());
}

#[test]
fn every_way_in_through_traefik_v2() {
    suite("v2", "wv2", Stack::with_traefik());
}

/// The same suites where Traefik also runs the entry middleware (the plugin).
#[test]
fn every_way_in_through_traefik_with_the_entry_middleware() {
    for (syntax, tag) in [("v3", "wpv3"), ("v2", "wpv2")] {
        suite(syntax, tag, Stack::with_plugin());
    }
}

/// A new version's version host answers after `up`, for versions deployed one
/// after another. (How soon is measured by `scripts/bench`: `up` → routable.)
#[test]
fn a_version_host_is_routable_after_up() {
    let stack = Stack::with_traefik();
    let tag = "wvt";
    let p = project(stack, tag, "v3");
    let api = format!("{tag}api");
    for i in 1..=2 {
        let version = format!("t{i}");
        let host = format!("{api}--{version}.dev.test");
        p.ok(&["up", &version, "-s", &api, "--no-verify"]);
        crate::harness::eventually(60, || {
            match get(&stack.traefik_web(), &host, "/health", &[]) {
                Ok(r) if r.version() == Some(version.as_str()) => Ok(()),
                Ok(r) => Err(format!("HTTP {}", r.status)),
                Err(e) => Err(e.to_string()),
            }
        });
    }
}
