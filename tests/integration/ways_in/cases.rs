//! The request cases of every way in: header lines, host, and what must answer.

/// What a case expects back.
pub enum Expect {
    /// This version answers (200 from its backend).
    Version(&'static str),
    /// And the backend received exactly this `baggage`.
    VersionWithBaggage(&'static str, String),
    /// No router matches.
    NotFound,
}

pub struct Case {
    pub way: &'static str,
    pub host: String,
    pub path: &'static str,
    pub lines: Vec<(&'static str, String)>,
    pub expect: Expect,
}

/// Every case, for the services `{tag}api`, `{tag}web` and `{tag}ui`.
pub fn cases(tag: &str) -> Vec<Case> {
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
        // A version host of a version the service does not run: the tiers, then main.
        c("fallback", &vhost("api", "feature-10"), &[], V("shadow")),
        c("fallback", &vhost("web", "feature-2"), &[], V("shadow")),
        c("fallback", &vhost("ui", "feature-1"), &[], V("main")),
        c("fallback", &format!("{tag}ui--x.dev.test"), &[], V("main")),
    ]
}
