//! The Docker labels of one routed container: a router per way in, the
//! middlewares they use, the load balancer, and the `dynroute.*` markers.
//!
//! Every label-defined name carries `{service}--{version}`: Traefik drops a router
//! or middleware that two containers define differently, and compares label
//! keys case-insensitively, so no two names here differ only in case.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::naming::tags::Expiry;
use crate::naming::{ServiceName, Version, resource_name};

use super::reach::version_host;
use super::{
    MAX_COOKIE_AGE_SECS, Priorities, Protocol, Route, RuleSyntax, VERSION_RESPONSE_HEADER, rules,
};

/// The name of the middleware that adds `X-Dynroute-Version`.
pub fn middleware_name(service: &ServiceName, version: &Version) -> String {
    format!("{}-version", resource_name(service, version))
}

/// One router: its name suffix, rule, priority and middlewares (after `-version`).
struct Router {
    suffix: &'static str,
    rule: String,
    priority: u32,
    middlewares: Vec<&'static str>,
}

/// Every Docker label the routed container needs, including `dynroute.*`.
///
/// Panics if the priorities do not fit; the config loader rejects such settings.
pub fn labels(route: &Route) -> BTreeMap<String, String> {
    let name = resource_name(route.service, route.version);
    let priorities = Priorities::derive(route.traefik, route.ways.fallback.len())
        .expect("priorities are checked when the config is loaded");
    let mut labels = BTreeMap::new();
    let mut put = |k: String, v: String| {
        labels.insert(k, v);
    };
    put("traefik.enable".into(), "true".into());

    for router in routers(route, &priorities) {
        let id = format!("traefik.http.routers.{name}{}", router.suffix);
        put(format!("{id}.rule"), router.rule);
        put(format!("{id}.priority"), router.priority.to_string());
        if !route.traefik.entrypoints.is_empty() {
            let eps: Vec<&str> = route
                .traefik
                .entrypoints
                .iter()
                .map(|e| e.as_str())
                .collect();
            put(format!("{id}.entrypoints"), eps.join(","));
        }
        put(format!("{id}.service"), name.clone());
        let mut middlewares = vec![middleware_name(route.service, route.version)];
        middlewares.extend(router.middlewares.iter().map(|m| format!("{name}{m}")));
        put(format!("{id}.middlewares"), middlewares.join(","));
        if route.traefik.rule_syntax == RuleSyntax::V2 {
            put(format!("{id}.ruleSyntax"), "v2".into());
        }
    }

    let mw = |suffix: &str| format!("traefik.http.middlewares.{name}{suffix}");
    put(
        format!(
            "{}.headers.customresponseheaders.{VERSION_RESPONSE_HEADER}",
            mw("-version")
        ),
        route.version.to_string(),
    );
    // The next hop follows: the version host and cookie routers add the member.
    put(
        format!("{}.headers.customrequestheaders.baggage", mw("-baggage")),
        format!("{}={}", route.baggage_key, route.version),
    );
    put(
        format!(
            "{}.headers.customresponseheaders.Set-Cookie",
            mw("-setcookie")
        ),
        set_cookie(route, route.version.as_str(), route.cookie_max_age),
    );
    redirect_home(&mut put, &mw("-home"));
    if route.is_main {
        put(
            format!(
                "{}.headers.customresponseheaders.Set-Cookie",
                mw("-clearcookie")
            ),
            set_cookie(route, "", 0),
        );
    }

    let service = format!("traefik.http.services.{name}.loadbalancer");
    put(format!("{service}.server.port"), route.port.to_string());
    if route.protocol == Protocol::H2c {
        put(format!("{service}.server.scheme"), "h2c".into());
    }
    if let Some(path) = route.health_check_path {
        put(format!("{service}.healthcheck.path"), path.to_string());
        put(format!("{service}.healthcheck.interval"), "10s".into());
    }
    put("dynroute.service".into(), route.service.to_string());
    put("dynroute.version".into(), route.version.to_string());
    labels
}

/// The routers of one service version, highest precedence first.
fn routers(route: &Route, p: &Priorities) -> Vec<Router> {
    let mut all_hosts = route.hosts.to_vec();
    let host = version_host(route.ways, route.service, route.version);
    if let Some(host) = &host {
        all_hosts.push(host.clone());
    }
    let mut out = vec![Router {
        suffix: "-use",
        rule: rules::link(route, &all_hosts),
        priority: p.link,
        middlewares: vec!["-setcookie", "-home"],
    }];
    if route.is_main {
        out.push(Router {
            suffix: "-clear",
            rule: rules::clear(route),
            priority: p.link,
            middlewares: vec!["-clearcookie", "-home"],
        });
    }
    if let Some(host) = &host {
        out.push(Router {
            suffix: "-host",
            rule: rules::version_host(host),
            priority: p.version_host,
            middlewares: vec!["-baggage"],
        });
    }
    out.push(Router {
        suffix: "-pin",
        rule: rules::pin(route),
        priority: p.pin,
        middlewares: vec![],
    });
    if !route.is_main {
        out.push(Router {
            suffix: "",
            rule: rules::baggage(route),
            priority: p.baggage,
            middlewares: vec![],
        });
    } else {
        // Main answers its own member like any version, and everything else last.
        let member = Route {
            is_main: false,
            ..route.clone()
        };
        out.push(Router {
            suffix: "-member",
            rule: rules::baggage(&member),
            priority: p.baggage,
            middlewares: vec![],
        });
        out.push(Router {
            suffix: "",
            rule: rules::baggage(route),
            priority: p.main,
            middlewares: vec![],
        });
        // A version host of a version this service does not run, after the tiers.
        if let Some(rule) = rules::any_version_host(route) {
            out.push(Router {
                suffix: "-anyhost",
                rule,
                priority: p.main,
                middlewares: vec![],
            });
        }
    }
    out.push(Router {
        suffix: "-cookie",
        rule: rules::cookie(route),
        priority: p.cookie,
        middlewares: vec!["-baggage"],
    });
    if let Some(tier) = route.ways.fallback.iter().position(|f| f == route.version) {
        out.push(Router {
            suffix: "-fallback",
            rule: rules::fallback(route),
            priority: p.fallback(tier),
            middlewares: vec![],
        });
    }
    out
}

/// The cookie's `Max-Age`: the seconds until the version expires (at least 1),
/// or the browsers' cap for a version that never does.
pub fn cookie_max_age(expires: &Expiry, now: Timestamp) -> u64 {
    match expires {
        Expiry::Never => MAX_COOKIE_AGE_SECS,
        Expiry::At(at) => {
            let secs = at.as_second().saturating_sub(now.as_second());
            u64::try_from(secs)
                .unwrap_or(0)
                .clamp(1, MAX_COOKIE_AGE_SECS)
        }
    }
}

/// `Set-Cookie` for the browser cookie: `value` for `max_age` seconds (0 expires it).
fn set_cookie(route: &Route, value: &str, max_age: u64) -> String {
    let domain = route
        .ways
        .cookie_domain
        .as_ref()
        .map(|d| format!("; Domain={d}"))
        .unwrap_or_default();
    format!(
        "{}={value}{domain}; Path=/; SameSite=Lax; Max-Age={max_age}",
        route.ways.cookie
    )
}

/// A redirect of any URL to `/` (302 for GET): answers the link and clear paths
/// without reaching a backend.
fn redirect_home(put: &mut impl FnMut(String, String), middleware: &str) {
    put(format!("{middleware}.redirectregex.regex"), "^.*$".into());
    put(
        format!("{middleware}.redirectregex.replacement"),
        "/".into(),
    );
}

#[cfg(test)]
mod tests;
