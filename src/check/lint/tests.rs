//! The lint on what the real Traefik of the local stack loaded
//! (tests/fixtures/traefik-api, captured by its capture.py).

use super::*;
use crate::check::traefik::{LoadBalancer, Router, Server, Service};

fn fixture() -> Loaded {
    Loaded {
        routers: serde_json::from_str(include_str!(
            "../../../tests/fixtures/traefik-api/routers.json"
        ))
        .unwrap(),
        services: serde_json::from_str(include_str!(
            "../../../tests/fixtures/traefik-api/services.json"
        ))
        .unwrap(),
    }
}

fn live(version: &str, running: i32) -> LiveVersion {
    LiveVersion {
        version: version.into(),
        running,
        desired: 1,
    }
}

/// The listing of the fixture's cluster.
fn services() -> Vec<OurService> {
    vec![
        OurService {
            main_by_file: false,
            service: "api".into(),
            hosts: vec!["api.dev.test".into()],
            versions: vec![
                live("main", 1),
                live("feature-1", 1),
                live("feature-2", 1),
                live("feature-3", 1),
                live("feature-dead", 0),
            ],
        },
        OurService {
            main_by_file: false,
            service: "web".into(),
            hosts: vec!["web.dev.test".into()],
            versions: vec![live("feature-1", 1)],
        },
    ]
}

fn run(services: &[OurService], loaded: &Loaded) -> Vec<Finding> {
    lint(
        &Expected {
            services,
            main_version: &"main".into(),
            version_priority: 1000,
        },
        loaded,
    )
}

fn codes(findings: &[Finding]) -> Vec<(&'static str, &str)> {
    findings
        .iter()
        .map(|f| (f.code.as_str(), f.subject.as_str()))
        .collect()
}

fn owned_codes(findings: &[Finding]) -> Vec<(&'static str, String)> {
    findings
        .iter()
        .map(|f| (f.code.as_str(), f.subject.clone()))
        .collect()
}

#[test]
fn every_fault_of_the_captured_scenario_is_found_once() {
    let findings = run(&services(), &fixture());
    assert_eq!(
        codes(&findings),
        [
            ("router-disabled", "api--feature-2@ecs"),
            ("wrong-rule-syntax", "api--feature-3@ecs"),
            ("shadowed", "legacy-proxy@ecs"),
            ("no-main", "web.dev.test"),
            ("not-loaded", "api--feature-dead@ecs"),
        ]
    );
    let disabled = &findings[0];
    assert!(
        disabled.message.contains("unsupported function: Bogus"),
        "{}",
        disabled.message
    );
    let syntax = &findings[1];
    assert!(syntax.message.contains("HeadersRegexp") && syntax.message.contains("parsed it as v3"));
    assert!(syntax.hint.contains("rule_syntax"));
    let shadow = &findings[2];
    assert_eq!(shadow.service, "api");
    assert!(shadow.message.contains("priority 5000") && shadow.message.contains("(priority 1000)"));
    assert!(findings[3].hint.contains("dynroute up main -s web"));
    assert!(findings[4].hint.contains("0/1"), "{}", findings[4].hint);
    assert!(findings.iter().all(|f| !f.hint.is_empty()));
}

#[test]
fn a_healthy_table_has_no_findings() {
    let mut loaded = fixture();
    loaded.routers.retain(|r| {
        ![
            "api--feature-2@ecs",
            "api--feature-3@ecs",
            "legacy-proxy@ecs",
        ]
        .contains(&r.name.as_str())
    });
    let mut services = services();
    services[0]
        .versions
        .retain(|v| ["main", "feature-1"].contains(&v.version.as_str()));
    services.truncate(1);
    assert_eq!(run(&services, &loaded), []);
}

#[test]
fn shadowing_needs_a_shared_entrypoint_and_enough_priority() {
    let mut loaded = fixture();
    let shadowed = |loaded: &Loaded| {
        owned_codes(&run(&services(), loaded))
            .contains(&("shadowed", "legacy-proxy@ecs".to_owned()))
    };
    let legacy = |loaded: &mut Loaded| -> usize {
        loaded
            .routers
            .iter()
            .position(|r| r.name == "legacy-proxy@ecs")
            .unwrap()
    };
    let i = legacy(&mut loaded);
    loaded.routers[i].priority = Some(999);
    assert!(!shadowed(&loaded));
    loaded.routers[i].priority = Some(1000);
    loaded.routers[i].using = vec!["websecure".into()];
    assert!(!shadowed(&loaded));
    loaded.routers[i].using = vec!["web".into()];
    assert!(shadowed(&loaded));
}

#[test]
fn other_providers_with_our_names_and_services_without_servers_are_found() {
    let mut loaded = fixture();
    let mut copy = loaded
        .routers
        .iter()
        .find(|r| r.name == "api--feature-1@ecs")
        .unwrap()
        .clone();
    copy.name = "api--feature-1@file".into();
    copy.provider = "file".into();
    loaded.routers.push(copy);
    loaded.services.push(Service {
        name: "web--feature-1@ecs".into(),
        provider: "ecs".into(),
        status: "enabled".into(),
        load_balancer: Some(LoadBalancer {
            servers: vec![Server {
                url: "http://127.0.0.9:8080".into(),
            }],
        }),
        server_status: [("http://127.0.0.9:8080".to_owned(), "DOWN".to_owned())].into(),
        error: vec![],
    });
    let findings = run(&services(), &loaded);
    let found = codes(&findings);
    assert!(
        found.contains(&("other-provider", "api--feature-1@file")),
        "{found:?}"
    );
    assert!(
        found.contains(&("no-servers", "web--feature-1@ecs")),
        "{found:?}"
    );
}

#[test]
fn the_inverse_syntax_mix_up_is_named_too() {
    let router = Router {
        name: "api--x@ecs".into(),
        provider: "ecs".into(),
        status: "disabled".into(),
        rule: "Host(`api.dev.test`) && HeaderRegexp(`baggage`, `x`)".into(),
        rule_syntax: Some("v2".into()),
        error: vec!["unsupported function: HeaderRegexp".into()],
        ..Router::default()
    };
    let finding = router_state(&router, "api".into());
    assert_eq!(finding.code, Code::WrongRuleSyntax);
    assert!(finding.message.contains("parsed it as v2"));
}

#[test]
fn rules_cover_hosts_by_host_regexp_and_catch_all() {
    assert!(rule_covers("Host(`api.x`)", "api.x"));
    assert!(rule_covers("Host(`a.x`) || Host(\"API.x\")", "api.x"));
    assert!(!rule_covers("Host(`web.x`)", "api.x"));
    assert!(rule_covers("HostRegexp(`^.+\\.x$`)", "api.x"));
    assert!(!rule_covers("HostRegexp(`^web`)", "api.x"));
    assert!(rule_covers("PathPrefix(`/`)", "api.x"));
    assert!(!rule_covers("HostSNI(`*`)", "api.x"));
    assert!(!rule_covers("XHost(`api.x`) && Host(`b.x`)", "api.x"));
}
