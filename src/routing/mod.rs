//! Traefik routing for every way in: the validated names that reach a rule, the
//! settings that shape the routers, and the label set of one routed container.
//!
//! Every input that reaches a rule is a validated newtype, so nothing here needs
//! escaping beyond the regex metacharacters of a key or cookie name
//! ([`matchers::regex_escape`]).

pub mod baggage;
mod labels;
mod matchers;
mod priorities;
mod reach;
mod rules;
pub mod traefik_static;

pub use labels::{cookie_max_age, labels, middleware_name};
pub use matchers::{baggage_regex, cookie_regex, pin_key, pin_regex};
pub use priorities::Priorities;
pub use reach::{
    MAX_LABEL, Tier, check_version_host, served_elsewhere, serving_tier, version_host,
};

use serde::{Deserialize, Serialize};

use crate::naming::checked::validated_string;
use crate::naming::{ServiceName, Version};

/// Which Traefik rule syntax the routers use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSyntax {
    /// Traefik v3: `HeaderRegexp`.
    #[default]
    V3,
    /// Traefik v2: `HeadersRegexp` plus the router's `ruleSyntax=v2` label.
    V2,
}

/// What the container speaks behind Traefik.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    #[default]
    Http,
    /// HTTP/2 without TLS, e.g. gRPC.
    H2c,
}

validated_string!(
    /// A DNS host name for a `Host()` matcher.
    Hostname,
    String,
    |s| {
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if s.len() <= 253 && s.split('.').all(label_ok) {
            Ok(())
        } else {
            Err(format!(
                "invalid host name {s:?}: expected lowercase DNS labels separated by dots, like `api.dev.example.com`"
            ))
        }
    }
);

validated_string!(
    /// A W3C baggage key restricted to characters that are safe in a Traefik rule.
    BaggageKey,
    String,
    |s| {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            && s.as_bytes()[0].is_ascii_alphanumeric();
        if ok {
            Ok(())
        } else {
            Err(format!(
                "invalid baggage key {s:?}: expected letters, digits, `_`, `.` or `-`, starting with a letter or digit"
            ))
        }
    }
);

validated_string!(
    /// A Traefik entrypoint name.
    EntryPoint,
    String,
    |s| {
        if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b)) {
            Ok(())
        } else {
            Err(format!("invalid entrypoint name {s:?}: expected letters, digits, `_` or `-`"))
        }
    }
);

validated_string!(
    /// An HTTP path for health checks, such as `/health`.
    HttpPath,
    String,
    |s| {
        let ok = s.starts_with('/')
            && s.bytes().all(|b| b.is_ascii_graphic() && !b"`\"'\\,".contains(&b));
        if ok {
            Ok(())
        } else {
            Err(format!(
                "invalid path {s:?}: expected an absolute path like `/health` without spaces, quotes or commas"
            ))
        }
    }
);

impl Default for EntryPoint {
    /// The entrypoint used when neither the config nor the command line names one.
    fn default() -> Self {
        EntryPoint(traefik_static::DEFAULT_ENTRYPOINT.to_owned())
    }
}

impl Default for BaggageKey {
    fn default() -> Self {
        BaggageKey("dynamic_route".to_owned())
    }
}

/// Traefik-wide settings from `dynroute.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraefikSettings {
    pub rule_syntax: RuleSyntax,
    pub entrypoints: Vec<EntryPoint>,
    pub priority: u32,
    pub main_priority: u32,
}

impl Default for TraefikSettings {
    fn default() -> Self {
        TraefikSettings {
            rule_syntax: RuleSyntax::V3,
            entrypoints: Vec::new(),
            priority: 1000,
            main_priority: 1,
        }
    }
}

validated_string!(
    /// A cookie name: an RFC 6265 token, without the backtick a Traefik rule cannot hold.
    CookieName,
    String,
    |s| {
        let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_|~".contains(&b);
        if s.is_empty() || s.len() > 64 || !s.bytes().all(token) {
            Err(format!(
                "invalid cookie name {s:?}: expected an RFC 6265 token of letters, digits and !#$%&'*+-.^_|~ (no spaces, `=`, `;`, quotes or backticks), like `dynamic_route`"
            ))
        } else {
            Ok(())
        }
    }
);

impl From<&BaggageKey> for CookieName {
    fn from(key: &BaggageKey) -> Self {
        // A baggage key's characters are a subset of a token's.
        CookieName(key.as_str().to_owned())
    }
}

/// The ways in besides the baggage header: browser cookie, version hosts, fallback tiers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WaysIn {
    /// The cookie that selects a version in a browser.
    pub cookie: CookieName,
    /// The `Domain` attribute of the cookie the link sets (host-only without one).
    pub cookie_domain: Option<Hostname>,
    /// Version hosts `{service}--{version}.{domain}`, when enabled.
    pub version_host_domain: Option<Hostname>,
    /// Versions tried in order, before main, for a route to an undeployed version.
    pub fallback: Vec<Version>,
}

impl Default for CookieName {
    fn default() -> Self {
        CookieName::from(&BaggageKey::default())
    }
}

/// One service version to route.
#[derive(Debug, Clone)]
pub struct Route<'a> {
    pub service: &'a ServiceName,
    pub version: &'a Version,
    /// The main version also matches on the host alone, at the main priority.
    pub is_main: bool,
    pub hosts: &'a [Hostname],
    pub port: u16,
    pub protocol: Protocol,
    pub health_check_path: Option<&'a HttpPath>,
    pub baggage_key: &'a BaggageKey,
    pub traefik: &'a TraefikSettings,
    pub ways: &'a WaysIn,
    /// `Max-Age` of the cookie the link sets: the version's remaining TTL.
    pub cookie_max_age: u64,
}

/// The response header that tells which version answered.
pub const VERSION_RESPONSE_HEADER: &str = "X-Dynroute-Version";

/// The URL path of the link that sets the cookie for `version`.
pub fn use_path(version: &Version) -> String {
    format!("/_dynroute/use/{version}")
}

/// The URL path that expires the cookie, on main services.
pub const CLEAR_PATH: &str = "/_dynroute/clear";

/// Cookies that outlive this are capped by browsers (RFC 6265bis: 400 days);
/// a version that never expires gets this `Max-Age`.
pub const MAX_COOKIE_AGE_SECS: u64 = 400 * 24 * 3600;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newtypes_reject_what_would_break_a_rule() {
        assert!("api.dev.example.com".parse::<Hostname>().is_ok());
        for bad in ["api`)", "API.dev", "a..b", "", "*.dev", "a b"] {
            assert!(bad.parse::<Hostname>().is_err(), "{bad}");
        }
        for bad in ["", "a b", "a`", "_x", "a|b", "a=b"] {
            assert!(bad.parse::<BaggageKey>().is_err(), "{bad}");
        }
        assert!("/health".parse::<HttpPath>().is_ok());
        for bad in ["health", "/a b", "/a`", "/a,b"] {
            assert!(bad.parse::<HttpPath>().is_err(), "{bad}");
        }
        assert!("web-secure".parse::<EntryPoint>().is_ok());
        assert!("__Host-route".parse::<CookieName>().is_ok());
        for bad in ["", "a b", "a=b", "a;b", "a`b", "a\"b", "a,b", "(a)"] {
            assert!(bad.parse::<CookieName>().is_err(), "{bad}");
        }
        assert!("a,b".parse::<EntryPoint>().is_err());
    }
}
