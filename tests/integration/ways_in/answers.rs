//! The answers Traefik gives itself: the link and clear redirects, and what
//! `status` and `ls` say about tiers.

use crate::harness::Project;
use crate::http::{Response, get};
use crate::stack::Stack;

/// The link that sets the cookie and the path that clears it.
pub fn links(stack: &Stack, tag: &str) {
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

/// `status` says which tier serves a version on each service, and how to reach it.
pub fn tiers(p: &Project, tag: &str) {
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
            "{tag}web--feature-2: not deployed (requests fall back to shadow, a fallback tier)"
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
