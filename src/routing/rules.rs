//! Traefik router rules, one function per kind of router, in both rule syntaxes.
//!
//! Only the header matcher differs between them: v3 `HeaderRegexp`, v2
//! `HeadersRegexp` (with the router's `ruleSyntax=v2` label). `Host` and `Path`
//! are spelled the same in both.

use super::matchers::{
    ANY_VERSION, any_baggage_regex, any_cookie_regex, any_pin_regex, baggage_regex, cookie_regex,
    pin_regex, regex_escape,
};
use super::{CLEAR_PATH, Hostname, Route, RuleSyntax, use_path};

/// The cookie request header as Traefik sees it.
const COOKIE_HEADER: &str = "Cookie";

/// `Host(a)` or `(Host(a) || Host(b))`.
pub fn hosts(hosts: &[Hostname]) -> String {
    let each: Vec<String> = hosts.iter().map(|h| format!("Host(`{h}`)")).collect();
    if each.len() == 1 {
        each[0].clone()
    } else {
        format!("({})", each.join(" || "))
    }
}

fn header(syntax: RuleSyntax, name: &str, regex: &str) -> String {
    let func = match syntax {
        RuleSyntax::V3 => "HeaderRegexp",
        RuleSyntax::V2 => "HeadersRegexp",
    };
    format!("{func}(`{name}`, `{regex}`)")
}

fn syntax(route: &Route) -> RuleSyntax {
    route.traefik.rule_syntax
}

/// Main: the service hosts alone. A version: its baggage member on those hosts.
pub fn baggage(route: &Route) -> String {
    let host = hosts(route.hosts);
    if route.is_main {
        return host;
    }
    let regex = baggage_regex(route.baggage_key, route.version);
    format!("{host} && {}", header(syntax(route), "baggage", &regex))
}

/// The per-service pin `{key}.{service}=version`.
pub fn pin(route: &Route) -> String {
    let regex = pin_regex(route.baggage_key, route.service, route.version);
    format!(
        "{} && {}",
        hosts(route.hosts),
        header(syntax(route), "baggage", &regex)
    )
}

/// The browser cookie `{cookie}=version`.
pub fn cookie(route: &Route) -> String {
    let regex = cookie_regex(&route.ways.cookie, route.version);
    format!(
        "{} && {}",
        hosts(route.hosts),
        header(syntax(route), COOKIE_HEADER, &regex)
    )
}

/// The version host alone.
pub fn version_host(host: &Hostname) -> String {
    format!("Host(`{host}`)")
}

/// Any version host of this service, deployed or not: `{service}--*.{domain}`.
pub fn any_version_host(route: &Route) -> Option<String> {
    let domain = route.ways.version_host_domain.as_ref()?;
    let service = route.service;
    Some(match syntax(route) {
        RuleSyntax::V3 => format!(
            "HostRegexp(`^{service}--{ANY_VERSION}\\.{}$`)",
            regex_escape(domain.as_str())
        ),
        // v2 templates quote everything outside `{name:regex}`.
        RuleSyntax::V2 => format!("HostRegexp(`{{version:{service}--{ANY_VERSION}}}.{domain}`)"),
    })
}

/// `/_dynroute/use/V` on every host of the version (service hosts and version host).
pub fn link(route: &Route, all_hosts: &[Hostname]) -> String {
    format!(
        "{} && Path(`{}`)",
        hosts(all_hosts),
        use_path(route.version)
    )
}

/// `/_dynroute/clear` on the hosts of a main service.
pub fn clear(route: &Route) -> String {
    format!("{} && Path(`{CLEAR_PATH}`)", hosts(route.hosts))
}

/// A fallback tier: any route for this service (a baggage member, a pin for this
/// service, the cookie, a version host), whatever version it names.
pub fn fallback(route: &Route) -> String {
    let s = syntax(route);
    let any = [
        header(s, "baggage", &any_baggage_regex(route.baggage_key)),
        header(
            s,
            "baggage",
            &any_pin_regex(route.baggage_key, route.service),
        ),
        header(s, COOKIE_HEADER, &any_cookie_regex(&route.ways.cookie)),
    ];
    let on_hosts = format!("{} && ({})", hosts(route.hosts), any.join(" || "));
    match any_version_host(route) {
        Some(host) => format!("({on_hosts}) || {host}"),
        None => on_hosts,
    }
}
