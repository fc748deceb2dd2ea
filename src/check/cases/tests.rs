//! Unit tests of case generation.
use super::*;

fn table(service: &str, hosts: &[&str], versions: &[&str]) -> ServiceTable {
    ServiceTable {
        service: service.parse().unwrap(),
        hosts: hosts.iter().map(|h| h.parse().unwrap()).collect(),
        path: "/health".into(),
        versions: versions.iter().map(|v| v.parse().unwrap()).collect(),
    }
}

fn routing(fallback: &[&str]) -> Routing {
    Routing {
        baggage_key: "dynamic_route".parse().unwrap(),
        main_version: "main".parse().unwrap(),
        ways: WaysIn {
            fallback: fallback.iter().map(|v| v.parse().unwrap()).collect(),
            ..WaysIn::default()
        },
        cookie: None,
        pins: false,
    }
}

fn find<'a>(cases: &'a [Case], id: &str) -> &'a Case {
    cases.iter().find(|c| c.id == id).unwrap_or_else(|| {
        panic!(
            "no case {id}: {:?}",
            cases.iter().map(|c| &c.id).collect::<Vec<_>>()
        )
    })
}

#[test]
fn every_version_gets_its_member_and_near_misses() {
    let tables = [
        table("api", &["api.x"], &["main", "feature-1", "feature-10"]),
        table("web", &["web.x", "www.x"], &["main"]),
    ];
    let cases = generate(&tables, &routing(&[]), &Filter::default());
    let c = find(&cases, "api/feature-1/baggage@api.x");
    assert_eq!(c.headers[0].name, "baggage");
    assert_eq!(c.headers[0].value, "dynamic_route=feature-1");
    assert_eq!(c.expect_version, "feature-1");
    // feature-10 is live, so the longer member of feature-1 reaches it.
    assert_eq!(
        find(&cases, "api/feature-1/longer-version@api.x").expect_version,
        "feature-10"
    );
    assert_eq!(
        find(&cases, "api/feature-10/longer-version@api.x").expect_version,
        "main"
    );
    let prefix = find(&cases, "api/feature-1/version-prefix@api.x");
    assert_eq!(prefix.headers[0].value, "dynamic_route=feature-");
    assert_eq!(prefix.expect_version, "main");
    assert_eq!(
        find(&cases, "api/feature-1/key-prefix@api.x").headers[0].value,
        "xdynamic_route=feature-1"
    );
    assert_eq!(
        find(&cases, "api/feature-1/inside-value@api.x").headers[0].value,
        "other=dynamic_route=feature-1"
    );
    let plain = find(&cases, "web/main/plain@www.x");
    assert!(plain.headers.is_empty());
    assert_eq!(plain.expect_version, "main");
    // api: plain + main baggage + 2 versions × (1 baggage + 4 near misses);
    // web: 2 plain + 2 main baggage.
    assert_eq!(cases.len(), 2 + 2 * 5 + 4);
    let ids: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), cases.len(), "ids are unique");
}

#[test]
fn a_service_without_main_still_expects_main_for_plain_requests() {
    let cases = generate(
        &[table("web", &["web.x"], &["feature-1"])],
        &routing(&[]),
        &Filter::default(),
    );
    assert_eq!(find(&cases, "web/main/plain@web.x").expect_version, "main");
    assert_eq!(
        find(&cases, "web/feature-1/baggage@web.x").expect_version,
        "feature-1"
    );
}

#[test]
fn routes_to_missing_versions_reach_the_first_live_fallback_tier() {
    let r = routing(&["shadow", "staging"]);
    let with_staging = table("api", &["api.x"], &["main", "staging", "feature-1"]);
    assert_eq!(r.resolve(&with_staging, Some("nope")), "staging");
    assert_eq!(r.resolve(&with_staging, None), "main");
    let cases = generate(&[with_staging], &r, &Filter::default());
    assert_eq!(
        find(&cases, "api/feature-1/longer-version@api.x").expect_version,
        "staging"
    );
    assert_eq!(
        find(&cases, "api/feature-1/key-prefix@api.x").expect_version,
        "main"
    );
    let none = table("api", &["api.x"], &["main"]);
    assert_eq!(r.resolve(&none, Some("nope")), "main");
}

#[test]
fn a_version_filter_keeps_only_those_versions() {
    let tables = [table("api", &["api.x"], &["main", "a", "b"])];
    let filter = Filter {
        versions: vec!["b".parse().unwrap()],
    };
    let cases = generate(&tables, &routing(&[]), &filter);
    assert!(cases.iter().all(|c| c.version == "b"), "{cases:?}");
    // A one-letter version has no prefix case.
    assert_eq!(cases.len(), 4);
}

#[test]
fn every_way_in_gets_its_cases_where_configured() {
    let tables = [
        table("api", &["api.x"], &["main", "shadow", "feature-1"]),
        table("web", &["web.x"], &["main", "feature-2"]),
    ];
    let mut r = Routing {
        cookie: Some("dynamic_route".parse().unwrap()),
        pins: true,
        ..routing(&["shadow"])
    };
    r.ways.version_host_domain = Some("x".parse().unwrap());
    let cases = generate(&tables, &r, &Filter::default());
    let host = find(&cases, "api/feature-1/version-host@api--feature-1.x");
    assert!(host.headers.is_empty());
    assert_eq!(host.expect_version, "feature-1");
    let cookie = find(&cases, "api/feature-1/cookie@api.x");
    assert_eq!(
        (
            cookie.headers[0].name.as_str(),
            cookie.headers[0].value.as_str()
        ),
        ("cookie", "dynamic_route=feature-1")
    );
    assert_eq!(
        find(&cases, "api/feature-1/cookie-prefix@api.x").expect_version,
        "main"
    );
    let pin = find(&cases, "web/feature-2/pin@web.x");
    assert_eq!(pin.headers[0].value, "dynamic_route.web=feature-2");
    assert_eq!(pin.expect_version, "feature-2");
    // feature-2 runs on web only: on api a route to it reaches the shadow tier;
    // web has no shadow, so feature-1 falls back to main there.
    assert_eq!(
        find(&cases, "api/feature-2/fallback@api.x").expect_version,
        "shadow"
    );
    assert_eq!(
        find(&cases, "web/feature-1/fallback@web.x").expect_version,
        "main"
    );
    assert_eq!(
        find(&cases, "web/shadow/fallback@web.x").expect_version,
        "main"
    );
    assert_eq!(
        find(&cases, "api/main/version-host@api--main.x").expect_version,
        "main"
    );
    let ids: BTreeSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), cases.len(), "ids are unique");
    // Without the ways in, none of their kinds appear.
    let plain = generate(&tables, &routing(&[]), &Filter::default());
    assert!(plain.iter().all(|c| !matches!(
        c.kind,
        CaseKind::VersionHost
            | CaseKind::Cookie
            | CaseKind::CookiePrefix
            | CaseKind::Pin
            | CaseKind::Fallback
    )));
}
