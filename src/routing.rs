//! Traefik routing labels and the baggage matcher (DESIGN §5).
//!
//! Every input that reaches a rule is a validated newtype, so nothing here needs
//! escaping beyond the baggage key's `.` (a regex metacharacter).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::checked::validated_string;
use crate::naming::{ServiceName, Version, resource_name};

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

/// One service version to route.
#[derive(Debug, Clone)]
pub struct Route<'a> {
    pub service: &'a ServiceName,
    pub version: &'a Version,
    /// The main version matches on the host alone, at the main priority.
    pub is_main: bool,
    pub hosts: &'a [Hostname],
    pub port: u16,
    pub protocol: Protocol,
    pub health_check_path: Option<&'a HttpPath>,
    pub baggage_key: &'a BaggageKey,
    pub traefik: &'a TraefikSettings,
}

/// The name of the middleware that adds `X-Dynroute-Version`.
pub fn middleware_name(service: &ServiceName, version: &Version) -> String {
    format!("{}-version", resource_name(service, version))
}

/// The response header that tells which version answered.
pub const VERSION_RESPONSE_HEADER: &str = "X-Dynroute-Version";

/// A Go RE2 expression matching one `baggage` header line that carries `key=version`
/// as a list member, following the W3C Baggage grammar (see the module tests).
///
/// With duplicate keys the LAST member wins, as in the OpenTelemetry SDKs: every
/// member after ours must have another key. RE2 has no lookahead, so "another
/// key" is spelled out by [`other_key_member`].
pub fn baggage_regex(key: &BaggageKey, version: &Version) -> String {
    let escaped = regex_escape(key.as_str());
    let others = other_key_member(key.as_str());
    // Member start, OWS, key, OWS `=` OWS, value, OWS, optional properties,
    // then only members with other keys up to the end.
    format!(r"(?:^|,)\s*{escaped}\s*=\s*{version}\s*(?:;[^,]*)?(?:,{others})*$")
}

/// Escapes the regex metacharacters a baggage key may contain (only `.`).
fn regex_escape(s: &str) -> String {
    s.replace('.', r"\.")
}

/// A list member whose key is not `key`: its key stops short of `key`,
/// differs from it at some character, or continues past it.
fn other_key_member(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let in_class = |c: char| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c.to_string()
        } else {
            format!("\\{c}")
        }
    };
    // After the whole key: more key characters (a longer key).
    let mut rest = r"[^,\s=;][^,]*".to_owned();
    for (i, c) in chars.iter().enumerate().rev() {
        let blank = if i == 0 { r"\s" } else { "" };
        let differs = format!("[^,{blank}{}][^,]*", in_class(*c));
        rest = format!("(?:{differs}|{}(?:{rest})?)", regex_escape(&c.to_string()));
    }
    format!(r"\s*(?:{rest})?")
}

/// The router rule for a route.
pub fn rule(route: &Route) -> String {
    let hosts: Vec<String> = route.hosts.iter().map(|h| format!("Host(`{h}`)")).collect();
    let host = if hosts.len() == 1 {
        hosts[0].clone()
    } else {
        format!("({})", hosts.join(" || "))
    };
    if route.is_main {
        return host;
    }
    let func = match route.traefik.rule_syntax {
        RuleSyntax::V3 => "HeaderRegexp",
        RuleSyntax::V2 => "HeadersRegexp",
    };
    let regex = baggage_regex(route.baggage_key, route.version);
    format!("{host} && {func}(`baggage`, `{regex}`)")
}

/// Every Docker label the routed container needs, including `dynroute.*`.
pub fn labels(route: &Route) -> BTreeMap<String, String> {
    let name = resource_name(route.service, route.version);
    let middleware = middleware_name(route.service, route.version);
    let router = format!("traefik.http.routers.{name}");
    let service = format!("traefik.http.services.{name}.loadbalancer");
    let priority = if route.is_main {
        route.traefik.main_priority
    } else {
        route.traefik.priority
    };

    let mut labels = BTreeMap::new();
    let mut put = |k: String, v: String| {
        labels.insert(k, v);
    };
    put("traefik.enable".into(), "true".into());
    put(format!("{router}.rule"), rule(route));
    put(format!("{router}.priority"), priority.to_string());
    if !route.traefik.entrypoints.is_empty() {
        let eps: Vec<&str> = route
            .traefik
            .entrypoints
            .iter()
            .map(|e| e.as_str())
            .collect();
        put(format!("{router}.entrypoints"), eps.join(","));
    }
    put(format!("{router}.service"), name.clone());
    put(format!("{router}.middlewares"), middleware.clone());
    if route.traefik.rule_syntax == RuleSyntax::V2 {
        put(format!("{router}.ruleSyntax"), "v2".into());
    }
    put(
        format!(
            "traefik.http.middlewares.{middleware}.headers.customresponseheaders.{VERSION_RESPONSE_HEADER}"
        ),
        route.version.to_string(),
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    /// Go RE2 and the `regex` crate agree on this syntax: `\s`, `(?:)`, `^`/`$`
    /// without multi-line mode, unanchored search.
    fn matches(version: &str, header_line: &str) -> bool {
        let re = regex::Regex::new(&baggage_regex(&BaggageKey::default(), &v(version))).unwrap();
        re.is_match(header_line)
    }

    #[test]
    fn baggage_regex_text_is_stable() {
        assert_eq!(
            baggage_regex(&BaggageKey::default(), &v("feature-1")),
            r"(?:^|,)\s*dynamic_route\s*=\s*feature-1\s*(?:;[^,]*)?(?:,\s*(?:(?:[^,\sd][^,]*|d(?:(?:[^,y][^,]*|y(?:(?:[^,n][^,]*|n(?:(?:[^,a][^,]*|a(?:(?:[^,m][^,]*|m(?:(?:[^,i][^,]*|i(?:(?:[^,c][^,]*|c(?:(?:[^,_][^,]*|_(?:(?:[^,r][^,]*|r(?:(?:[^,o][^,]*|o(?:(?:[^,u][^,]*|u(?:(?:[^,t][^,]*|t(?:(?:[^,e][^,]*|e(?:[^,\s=;][^,]*)?))?))?))?))?))?))?))?))?))?))?))?))?))?)*$"
        );
        assert_eq!(
            baggage_regex(&"a.b".parse().unwrap(), &v("x")),
            r"(?:^|,)\s*a\.b\s*=\s*x\s*(?:;[^,]*)?(?:,\s*(?:(?:[^,\sa][^,]*|a(?:(?:[^,\.][^,]*|\.(?:(?:[^,b][^,]*|b(?:[^,\s=;][^,]*)?))?))?))?)*$"
        );
    }

    #[test]
    fn baggage_matcher_follows_the_w3c_grammar() {
        let positives = [
            "dynamic_route=feature-1",
            "dynamic_route=feature-1,userId=alice",
            "userId=alice,dynamic_route=feature-1",
            "a=1,dynamic_route=feature-1,b=2",
            "dynamic_route = feature-1",
            "dynamic_route\t=\tfeature-1",
            " dynamic_route=feature-1 ",
            "a=1 , dynamic_route=feature-1 , b=2",
            "a=1,\tdynamic_route=feature-1\t,b=2",
            "dynamic_route=feature-1;prop",
            "dynamic_route=feature-1;prop=1",
            "dynamic_route=feature-1 ; prop = 1 ; other",
            "dynamic_route=feature-1;p=x,b=2",
            "a=1;p=2,dynamic_route=feature-1",
            "dynamic_route=feature-1,",
            "a=1,dynamic_route=feature-1,",
            ",dynamic_route=feature-1",
            "a=x=y,dynamic_route=feature-1",
            "dynamic_route=feature-10,dynamic_route=feature-1",
            "a=%2C,dynamic_route=feature-1",
            // Duplicates: the last member with our key wins.
            "dynamic_route=other,dynamic_route=feature-1",
            "dynamic_route=other,a=1,dynamic_route=feature-1;p,b=2",
            "dynamic_route=feature-1,dynamic_routex=other,xdynamic_route=y",
            "dynamic_route=feature-1,dynamic_rout=x,d=1,dynamic_route_2=z, ,",
            "dynamic_route=feature-1, e=1,\td=2",
            // A later member without a value is malformed, dropped by receivers.
            "dynamic_route=feature-1,dynamic_route",
        ];
        let negatives = [
            "",
            "dynamic_route=feature-10",
            "dynamic_route=feature-",
            "dynamic_route=feature",
            "dynamic_route=xfeature-1",
            "dynamic_route=feature-1x",
            "dynamic_route=feature-1.2",
            "xdynamic_route=feature-1",
            "dynamic_routex=feature-1",
            "my.dynamic_route=feature-1",
            "dynamic-route=feature-1",
            "Dynamic_Route=feature-1",
            "DYNAMIC_ROUTE=feature-1",
            "dynamic_route=Feature-1",
            "other=dynamic_route=feature-1",
            "other=dynamic_route%3Dfeature-1",
            "other=x;dynamic_route=feature-1",
            "other=x;p=1;dynamic_route=feature-1",
            "userId=feature-1",
            "dynamic_route=main",
            "dynamic_route",
            "dynamic_route=",
            "feature-1",
            "dynamic_route=feature-1 x",
            // Duplicates: a later member with our key wins.
            "dynamic_route=feature-1,dynamic_route=other",
            "dynamic_route=feature-1,dynamic_route=feature-1x",
            "dynamic_route=feature-1, dynamic_route = other",
            "dynamic_route=feature-1,a=1,\tdynamic_route=other;p,b=2",
        ];
        for h in positives {
            assert!(matches("feature-1", h), "should match: {h:?}");
        }
        for h in negatives {
            assert!(!matches("feature-1", h), "should not match: {h:?}");
        }
        assert!(positives.len() + negatives.len() >= 40);
    }

    #[test]
    fn dotted_keys_are_escaped() {
        let key: BaggageKey = "route.v".parse().unwrap();
        let re = regex::Regex::new(&baggage_regex(&key, &v("a"))).unwrap();
        assert!(re.is_match("route.v=a"));
        assert!(!re.is_match("routexv=a"));
    }

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
        assert!("a,b".parse::<EntryPoint>().is_err());
    }

    fn sample_labels(
        is_main: bool,
        syntax: RuleSyntax,
        hosts: &[&str],
    ) -> BTreeMap<String, String> {
        let service: ServiceName = "api".parse().unwrap();
        let version = v(if is_main { "main" } else { "feature-1" });
        let hosts: Vec<Hostname> = hosts.iter().map(|h| h.parse().unwrap()).collect();
        let traefik = TraefikSettings {
            rule_syntax: syntax,
            entrypoints: vec!["web".parse().unwrap()],
            ..TraefikSettings::default()
        };
        let key = BaggageKey::default();
        let health: HttpPath = "/health".parse().unwrap();
        labels(&Route {
            service: &service,
            version: &version,
            is_main,
            hosts: &hosts,
            port: 8080,
            protocol: Protocol::Http,
            health_check_path: (!is_main).then_some(&health),
            baggage_key: &key,
            traefik: &traefik,
        })
    }

    #[test]
    fn version_labels_match_the_design() {
        let l = sample_labels(false, RuleSyntax::V3, &["api.dev.example.com"]);
        let rule = format!(
            "Host(`api.dev.example.com`) && HeaderRegexp(`baggage`, `{}`)",
            baggage_regex(&BaggageKey::default(), &v("feature-1"))
        );
        let expected = [
            ("traefik.enable", "true"),
            ("traefik.http.routers.api--feature-1.rule", rule.as_str()),
            ("traefik.http.routers.api--feature-1.priority", "1000"),
            ("traefik.http.routers.api--feature-1.entrypoints", "web"),
            (
                "traefik.http.routers.api--feature-1.service",
                "api--feature-1",
            ),
            (
                "traefik.http.routers.api--feature-1.middlewares",
                "api--feature-1-version",
            ),
            (
                "traefik.http.middlewares.api--feature-1-version.headers.customresponseheaders.X-Dynroute-Version",
                "feature-1",
            ),
            (
                "traefik.http.services.api--feature-1.loadbalancer.server.port",
                "8080",
            ),
            (
                "traefik.http.services.api--feature-1.loadbalancer.healthcheck.path",
                "/health",
            ),
            (
                "traefik.http.services.api--feature-1.loadbalancer.healthcheck.interval",
                "10s",
            ),
            ("dynroute.service", "api"),
            ("dynroute.version", "feature-1"),
        ];
        let expected: BTreeMap<String, String> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(l, expected);
    }

    #[test]
    fn main_routes_on_host_alone_at_main_priority() {
        let l = sample_labels(true, RuleSyntax::V3, &["a.x", "b.x"]);
        assert_eq!(
            l["traefik.http.routers.api--main.rule"],
            "(Host(`a.x`) || Host(`b.x`))"
        );
        assert_eq!(l["traefik.http.routers.api--main.priority"], "1");
        assert!(!l.contains_key("traefik.http.services.api--main.loadbalancer.healthcheck.path"));
    }

    #[test]
    fn v2_syntax_uses_headers_regexp_and_marks_the_router() {
        let l = sample_labels(false, RuleSyntax::V2, &["a.x", "b.x"]);
        let rule = &l["traefik.http.routers.api--feature-1.rule"];
        assert!(
            rule.starts_with("(Host(`a.x`) || Host(`b.x`)) && HeadersRegexp(`baggage`, `"),
            "{rule}"
        );
        assert_eq!(l["traefik.http.routers.api--feature-1.ruleSyntax"], "v2");
    }

    #[test]
    fn h2c_sets_the_scheme() {
        let service: ServiceName = "grpc".parse().unwrap();
        let version = v("x");
        let hosts = vec!["g.x".parse().unwrap()];
        let l = labels(&Route {
            service: &service,
            version: &version,
            is_main: false,
            hosts: &hosts,
            port: 50051,
            protocol: Protocol::H2c,
            health_check_path: None,
            baggage_key: &BaggageKey::default(),
            traefik: &TraefikSettings::default(),
        });
        assert_eq!(
            l["traefik.http.services.grpc--x.loadbalancer.server.scheme"],
            "h2c"
        );
        assert!(!l.keys().any(|k| k.ends_with(".entrypoints")));
    }
}
