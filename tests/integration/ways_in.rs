//! Every way in, proven through the real Traefik in both rule syntaxes: version
//! hosts, per-service pins, baggage members, cookies, the link that sets the
//! cookie and the path that clears it, fallback tiers, and their precedence.
//! The responder echoes the request headers it got, so each promise of
//! `baggage: dynamic_route=V` for the next hop is checked at the backend.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::harness::{Project, SpawnOutput};
use crate::http::{Response, get};
use crate::stack::Stack;

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

/// What a case expects back.
enum Expect {
    /// This version answers (200 from its backend).
    Version(&'static str),
    /// And the backend received exactly this `baggage`.
    VersionWithBaggage(&'static str, String),
    /// No router matches.
    NotFound,
}

struct Case {
    way: &'static str,
    host: String,
    path: &'static str,
    lines: Vec<(&'static str, String)>,
    expect: Expect,
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

fn cases(tag: &str) -> Vec<Case> {
    let api = format!("{tag}api.dev.test");
    let web = format!("{tag}web.dev.test");
    let ui = format!("{tag}ui.dev.test");
    let vhost = |s: &str, v: &str| format!("{tag}{s}--{v}.dev.test");
    let pin = |v: &str| format!("dynamic_route.{tag}api={v}");
    let web_pin = |v: &str| format!("dynamic_route.{tag}web={v}");
    let next = |v: &'static str| Expect::VersionWithBaggage(v, format!("dynamic_route={v}"));
    let c = |way, host: &str, lines: &[(&'static str, &str)], expect| Case {
        way,
        host: host.to_owned(),
        path: "/health",
        lines: lines.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        expect,
    };
    use Expect::{NotFound, Version as V};
    vec![
        // Version hosts: the host alone picks the version; the next hop follows.
        c(
            "version host",
            &vhost("api", "feature-1"),
            &[],
            next("feature-1"),
        ),
        c(
            "version host",
            &vhost("api", "feature-2"),
            &[],
            next("feature-2"),
        ),
        c(
            "version host",
            &vhost("web", "feature-1"),
            &[],
            next("feature-1"),
        ),
        c("version host", &vhost("api", "main"), &[], next("main")),
        c(
            "version host",
            &format!("x{}", vhost("web", "feature-1")),
            &[],
            NotFound,
        ),
        c(
            "version host",
            &format!("x{}", vhost("api", "feature-1")),
            &[],
            NotFound,
        ),
        c(
            "version host",
            &format!("{tag}api--feature-1.other.test"),
            &[],
            NotFound,
        ),
        // Version host wins over every other way in, and replaces the baggage.
        c(
            "version host",
            &vhost("api", "feature-1"),
            &[("baggage", "dynamic_route=feature-2")],
            next("feature-1"),
        ),
        c(
            "version host",
            &vhost("api", "feature-1"),
            &[("baggage", &pin("feature-2"))],
            next("feature-1"),
        ),
        c(
            "version host",
            &vhost("api", "feature-1"),
            &[("Cookie", "dynamic_route=feature-2")],
            next("feature-1"),
        ),
        // Pins: one service only, over the global member.
        c(
            "pin",
            &api,
            &[("baggage", &pin("feature-2"))],
            V("feature-2"),
        ),
        c(
            "pin",
            &api,
            &[(
                "baggage",
                &format!("dynamic_route=feature-1,{}", pin("feature-2")),
            )],
            V("feature-2"),
        ),
        c(
            "pin",
            &api,
            &[(
                "baggage",
                &format!("{},dynamic_route=feature-1", pin("feature-2")),
            )],
            V("feature-2"),
        ),
        c(
            "pin",
            &api,
            &[(
                "baggage",
                &format!("dynamic_route=feature-2,{}", pin("main")),
            )],
            V("main"),
        ),
        c(
            "pin",
            &api,
            &[
                ("baggage", &pin("feature-2")),
                ("Cookie", "dynamic_route=feature-1"),
            ],
            V("feature-2"),
        ),
        c(
            "pin",
            &web,
            &[(
                "baggage",
                &format!("dynamic_route=feature-1,{}", pin("feature-2")),
            )],
            V("feature-1"),
        ),
        c("pin", &web, &[("baggage", &pin("feature-1"))], V("main")),
        c(
            "pin",
            &web,
            &[("baggage", &web_pin("feature-1"))],
            V("feature-1"),
        ),
        c(
            "pin",
            &api,
            &[("baggage", &format!("dynamic_route.{tag}apix=feature-2"))],
            V("main"),
        ),
        c(
            "pin",
            &api,
            &[("baggage", &format!("xdynamic_route.{tag}api=feature-2"))],
            V("main"),
        ),
        c(
            "pin",
            &api,
            &[("baggage", &format!("dynamic_route.{tag}web=feature-2"))],
            V("main"),
        ),
        // Baggage member: passes through untouched; wins over the cookie.
        c(
            "baggage member",
            &api,
            &[("baggage", "userId=alice,dynamic_route=feature-1")],
            Expect::VersionWithBaggage("feature-1", "userId=alice,dynamic_route=feature-1".into()),
        ),
        c(
            "baggage member",
            &api,
            &[
                ("baggage", "dynamic_route=feature-1"),
                ("Cookie", "dynamic_route=feature-2"),
            ],
            V("feature-1"),
        ),
        c(
            "baggage member",
            &api,
            &[
                ("Cookie", "dynamic_route=feature-2"),
                ("baggage", "dynamic_route=main"),
            ],
            V("main"),
        ),
        // Cookies: the cookie grammar, and the member added for the next hop.
        c(
            "cookie",
            &api,
            &[("Cookie", "dynamic_route=feature-1")],
            next("feature-1"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "a=1; dynamic_route=feature-1; b=2")],
            next("feature-1"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "a=1;dynamic_route=feature-2")],
            next("feature-2"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "dynamic_route=\"feature-2\"")],
            next("feature-2"),
        ),
        c(
            "cookie",
            &api,
            &[(
                "Cookie",
                "dynamic_route=feature-10; dynamic_route=feature-1",
            )],
            next("feature-1"),
        ),
        c(
            "cookie",
            &web,
            &[("Cookie", "session=abc; dynamic_route=feature-1")],
            next("feature-1"),
        ),
        c(
            "cookie",
            &format!("{tag}www.dev.test"),
            &[("Cookie", "dynamic_route=feature-1")],
            next("feature-1"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "xdynamic_route=feature-1")],
            V("main"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "dynamic_routex=feature-1")],
            V("main"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "other=dynamic_route=feature-1")],
            V("main"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "other=\"dynamic_route=feature-1\"")],
            V("main"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "Dynamic_Route=feature-1")],
            V("main"),
        ),
        c(
            "cookie",
            &api,
            &[("Cookie", "dynamic_route=Feature-1")],
            V("main"),
        ),
        c(
            "cookie",
            &api,
            &[("X-Cookie", "dynamic_route=feature-1")],
            V("main"),
        ),
        // `dynamic_route=feature-10` is not feature-1: undeployed, so the fallback.
        c(
            "cookie",
            &api,
            &[("Cookie", "dynamic_route=feature-10")],
            V("shadow"),
        ),
        // Fallback tiers: a route to an undeployed version goes to shadow where it
        // is deployed, else main; no route goes to main.
        c(
            "fallback",
            &api,
            &[("baggage", "dynamic_route=feature-9")],
            Expect::VersionWithBaggage("shadow", "dynamic_route=feature-9".into()),
        ),
        c(
            "fallback",
            &api,
            &[("baggage", &pin("feature-9"))],
            V("shadow"),
        ),
        c(
            "fallback",
            &api,
            &[("Cookie", "dynamic_route=feature-9")],
            V("shadow"),
        ),
        c(
            "fallback",
            &api,
            &[
                ("baggage", "dynamic_route=feature-9"),
                ("Cookie", "dynamic_route=feature-1"),
            ],
            V("feature-1"),
        ),
        c(
            "fallback",
            &web,
            &[("baggage", "dynamic_route=feature-2")],
            V("shadow"),
        ),
        c(
            "fallback",
            &web,
            &[("baggage", &pin("feature-9"))],
            V("main"),
        ),
        c(
            "fallback",
            &ui,
            &[("baggage", "dynamic_route=feature-1")],
            V("main"),
        ),
        c(
            "fallback",
            &ui,
            &[("Cookie", "dynamic_route=feature-9")],
            V("main"),
        ),
        c("fallback", &api, &[], V("main")),
        c(
            "fallback",
            &api,
            &[("baggage", "dynamic_route=main")],
            V("main"),
        ),
        c("fallback", &api, &[("baggage", "userId=alice")], V("main")),
        c(
            "fallback",
            &api,
            &[("baggage", "dynamic_route=Bad")],
            V("main"),
        ),
    ]
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

fn suite(syntax: &str, tag: &str) {
    let stack = Stack::with_traefik();
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
    eprintln!("ways in ({syntax}): {}", counts.join(", "));
    assert!(
        failures.is_empty(),
        "{syntax}: {} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    links(stack, tag);
    tiers(&p, tag);
}

/// `status` says which tier serves a version on each service, and how to reach it.
fn tiers(p: &Project, tag: &str) {
    let status: serde_json::Value =
        serde_json::from_str(&p.ok(&["status", "feature-2", "--json"])).unwrap();
    let served: Vec<(String, String)> = status["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["service"].as_str().unwrap().to_owned(),
                format!("{} {}", s["served_by"]["tier"], s["served_by"]["version"]),
            )
        })
        .collect();
    let want = |s: &str, t: &str| (format!("{tag}{s}"), t.to_owned());
    assert_eq!(
        served,
        [
            want("api", r#""requested" "feature-2""#),
            want("ui", r#""main" "main""#),
            want("web", r#""fallback" "shadow""#),
        ]
    );
    let ls: serde_json::Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    let row = |v: &str| {
        ls.as_array()
            .unwrap()
            .iter()
            .find(|r| r["version"] == v)
            .unwrap()["served_elsewhere"]
            .clone()
    };
    assert_eq!(
        row("feature-2"),
        serde_json::json!({
            format!("{tag}ui"): {"tier": "main", "version": "main"},
            format!("{tag}web"): {"tier": "fallback", "version": "shadow"},
        })
    );
    assert_eq!(
        row("feature-1"),
        serde_json::json!({ format!("{tag}ui"): {"tier": "main", "version": "main"} })
    );
    let text = p.ok(&["ls"]);
    assert!(
        text.contains(&format!("feature-2: {tag}web → shadow (fallback)"))
            && !text.contains("feature-1: "),
        "{text}"
    );
    let text = p.ok(&["status", "feature-2"]);
    assert!(
        text.contains(&format!(
            "{tag}web--feature-2: not deployed (requests fall back to shadow, the fallback tier)"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "  version host: http://{tag}api--feature-2.dev.test/"
        )) && text.contains(&format!(
            "  link: http://{tag}api.dev.test/_dynroute/use/feature-2"
        )),
        "{text}"
    );
}

/// The link that sets the cookie and the path that clears it.
fn links(stack: &Stack, tag: &str) {
    let send = |host: &str, path: &str, lines: &[(&str, &str)]| {
        get(&stack.traefik_web(), host, path, lines).unwrap()
    };
    let api = format!("{tag}api.dev.test");
    let cookie_of = |r: &Response| r.header("Set-Cookie").unwrap_or_default().to_owned();
    let max_age = |set_cookie: &str| -> u64 {
        set_cookie
            .rsplit("Max-Age=")
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };

    for host in [api.clone(), format!("{tag}api--feature-1.dev.test")] {
        let r = send(&host, "/_dynroute/use/feature-1", &[]);
        assert_eq!((r.status, r.header("Location")), (302, Some("/")), "{host}");
        let set = cookie_of(&r);
        let prefix = "dynamic_route=feature-1; Domain=dev.test; Path=/; SameSite=Lax; Max-Age=";
        assert!(set.starts_with(prefix), "{host}: {set}");
        // The TTL is 72h from `up`, a few minutes ago at most.
        let age = max_age(&set);
        assert!((72 * 3600 - 1800..=72 * 3600).contains(&age), "{set}");
        // Even with another version's cookie and baggage.
        let r = send(
            &host,
            "/_dynroute/use/feature-1",
            &[
                ("Cookie", "dynamic_route=feature-2"),
                ("baggage", "dynamic_route=feature-2"),
            ],
        );
        assert_eq!(r.status, 302, "{host}");
    }
    // The protected shadow never expires: the browsers' cap.
    let shadow = cookie_of(&send(&api, "/_dynroute/use/shadow", &[]));
    assert_eq!(max_age(&shadow), 400 * 24 * 3600, "{shadow}");
    // No link for a version the service does not run, nor for other paths.
    let web = format!("{tag}web.dev.test");
    let r = send(&web, "/_dynroute/use/feature-2", &[]);
    assert_eq!((r.status, r.version()), (200, Some("main")));
    let r = send(&api, "/_dynroute/use/feature-1/x", &[]);
    assert_eq!((r.status, r.version()), (200, Some("main")));

    // Clear, on every main service, also while the cookie is sent.
    for host in [
        api.clone(),
        format!("{tag}ui.dev.test"),
        format!("{tag}www.dev.test"),
    ] {
        let r = send(
            &host,
            "/_dynroute/clear",
            &[("Cookie", "dynamic_route=feature-1")],
        );
        assert_eq!((r.status, r.header("Location")), (302, Some("/")), "{host}");
        assert_eq!(
            cookie_of(&r),
            "dynamic_route=; Domain=dev.test; Path=/; SameSite=Lax; Max-Age=0",
            "{host}"
        );
    }
}

#[test]
fn every_way_in_through_traefik_v3() {
    suite("v3", "wv3");
}

#[test]
fn every_way_in_through_traefik_v2() {
    suite("v2", "wv2");
}

/// Time from the start of `up` to the first answer of the new version host,
/// five versions in turn; printed for the docs, never asserted.
#[test]
fn a_version_host_is_routable_soon_after_up() {
    let stack = Stack::with_traefik();
    let tag = "wvt";
    let p = project(stack, tag, "v3");
    let api = format!("{tag}api");
    let mut millis = Vec::new();
    for i in 1..=5 {
        let version = format!("t{i}");
        let host = format!("{api}--{version}.dev.test");
        let started = Instant::now();
        let run = p
            .cmd(&["up", &version, "-s", &api, "--no-verify"])
            .spawn_output();
        crate::harness::eventually(60, || {
            match get(&stack.traefik_web(), &host, "/health", &[]) {
                Ok(r) if r.version() == Some(version.as_str()) => Ok(()),
                Ok(r) => Err(format!("HTTP {}", r.status)),
                Err(e) => Err(e.to_string()),
            }
        });
        millis.push(started.elapsed().as_millis());
        let out = run.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    millis.sort();
    eprintln!(
        "up to a routable version host: median {} ms of {millis:?}",
        millis[2]
    );
}
