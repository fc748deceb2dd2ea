use super::*;
use crate::routing::matchers::{baggage_regex, cookie_regex, pin_regex};
use crate::routing::{BaggageKey, Hostname, HttpPath, TraefikSettings, WaysIn};

fn v(s: &str) -> Version {
    s.parse().unwrap()
}

struct Sample {
    version: &'static str,
    is_main: bool,
    syntax: RuleSyntax,
    hosts: Vec<&'static str>,
    fallback: Vec<&'static str>,
    domain: Option<&'static str>,
}

impl Sample {
    fn version(version: &'static str) -> Sample {
        Sample {
            version,
            is_main: version == "main",
            syntax: RuleSyntax::V3,
            hosts: vec!["api.dev.example.com"],
            fallback: vec![],
            domain: Some("dev.example.com"),
        }
    }

    fn labels(&self) -> BTreeMap<String, String> {
        let service: ServiceName = "api".parse().unwrap();
        let version = v(self.version);
        let hosts: Vec<Hostname> = self.hosts.iter().map(|h| h.parse().unwrap()).collect();
        let traefik = TraefikSettings {
            rule_syntax: self.syntax,
            entrypoints: vec!["web".parse().unwrap()],
            ..TraefikSettings::default()
        };
        let key = BaggageKey::default();
        let health: HttpPath = "/health".parse().unwrap();
        let domain = self.domain.map(|d| d.parse::<Hostname>().unwrap());
        let ways = WaysIn {
            cookie: cookie_name(),
            cookie_domain: domain.clone(),
            version_host_domain: domain,
            fallback: self.fallback.iter().map(|f| v(f)).collect(),
        };
        labels(&Route {
            service: &service,
            version: &version,
            is_main: self.is_main,
            hosts: &hosts,
            port: 8080,
            protocol: Protocol::Http,
            health_check_path: (!self.is_main).then_some(&health),
            baggage_key: &key,
            traefik: &traefik,
            ways: &ways,
            cookie_max_age: 3600,
        })
    }
}

fn cookie_name() -> crate::routing::CookieName {
    "dynamic_route".parse().unwrap()
}

fn router_names(l: &BTreeMap<String, String>) -> Vec<String> {
    let mut names: Vec<String> = l
        .keys()
        .filter_map(|k| k.strip_prefix("traefik.http.routers."))
        .filter_map(|k| k.strip_suffix(".rule"))
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

#[test]
fn version_labels_match_the_design() {
    let l = Sample::version("feature-1").labels();
    let baggage = baggage_regex(&BaggageKey::default(), &v("feature-1"));
    let r = "traefik.http.routers.api--feature-1";
    let expected = [
        ("traefik.enable".to_owned(), "true".to_owned()),
        (
            format!("{r}.rule"),
            format!("Host(`api.dev.example.com`) && HeaderRegexp(`baggage`, `{baggage}`)"),
        ),
        (format!("{r}.priority"), "1000".into()),
        (format!("{r}.entrypoints"), "web".into()),
        (format!("{r}.service"), "api--feature-1".into()),
        (format!("{r}.middlewares"), "api--feature-1-version".into()),
        (
            "traefik.http.middlewares.api--feature-1-version.headers.customresponseheaders.X-Dynroute-Version".into(),
            "feature-1".into(),
        ),
        (
            "traefik.http.services.api--feature-1.loadbalancer.server.port".into(),
            "8080".into(),
        ),
        (
            "traefik.http.services.api--feature-1.loadbalancer.healthcheck.path".into(),
            "/health".into(),
        ),
        (
            "traefik.http.services.api--feature-1.loadbalancer.healthcheck.interval".into(),
            "10s".into(),
        ),
        ("dynroute.service".into(), "api".into()),
        ("dynroute.version".into(), "feature-1".into()),
    ];
    for (k, want) in expected {
        assert_eq!(l.get(&k), Some(&want), "{k}");
    }
    assert_eq!(
        router_names(&l),
        [
            "api--feature-1",
            "api--feature-1-cookie",
            "api--feature-1-host",
            "api--feature-1-pin",
            "api--feature-1-use",
        ]
    );
}

#[test]
fn every_way_in_has_its_rule_priority_and_middlewares() {
    let l = Sample::version("feature-1").labels();
    let get = |k: &str| l[&format!("traefik.http.{k}")].as_str();
    let r = "routers.api--feature-1";
    assert_eq!(
        get(&format!("{r}-host.rule")),
        "Host(`api--feature-1.dev.example.com`)"
    );
    assert_eq!(get(&format!("{r}-host.priority")), "1002");
    assert_eq!(
        get(&format!("{r}-host.middlewares")),
        "api--feature-1-version,api--feature-1-baggage"
    );
    let pin = pin_regex(
        &BaggageKey::default(),
        &"api".parse().unwrap(),
        &v("feature-1"),
    );
    assert_eq!(
        get(&format!("{r}-pin.rule")),
        format!("Host(`api.dev.example.com`) && HeaderRegexp(`baggage`, `{pin}`)")
    );
    assert_eq!(get(&format!("{r}-pin.priority")), "1001");
    let cookie = cookie_regex(&cookie_name(), &v("feature-1"));
    assert_eq!(
        get(&format!("{r}-cookie.rule")),
        format!("Host(`api.dev.example.com`) && HeaderRegexp(`Cookie`, `{cookie}`)")
    );
    assert_eq!(get(&format!("{r}-cookie.priority")), "999");
    assert_eq!(
        get(&format!("{r}-cookie.middlewares")),
        "api--feature-1-version,api--feature-1-baggage"
    );
    assert_eq!(
        get(&format!("{r}-use.rule")),
        "(Host(`api.dev.example.com`) || Host(`api--feature-1.dev.example.com`)) && Path(`/_dynroute/use/feature-1`)"
    );
    assert_eq!(get(&format!("{r}-use.priority")), "1003");
    assert_eq!(
        get(&format!("{r}-use.middlewares")),
        "api--feature-1-version,api--feature-1-setcookie,api--feature-1-home"
    );
    let m = "middlewares.api--feature-1";
    assert_eq!(
        get(&format!("{m}-baggage.headers.customrequestheaders.baggage")),
        "dynamic_route=feature-1"
    );
    assert_eq!(
        get(&format!(
            "{m}-setcookie.headers.customresponseheaders.Set-Cookie"
        )),
        "dynamic_route=feature-1; Domain=dev.example.com; Path=/; SameSite=Lax; Max-Age=3600"
    );
    assert_eq!(get(&format!("{m}-home.redirectregex.regex")), "^.*$");
    assert_eq!(get(&format!("{m}-home.redirectregex.replacement")), "/");
}

#[test]
fn main_routes_on_host_alone_at_main_priority_and_clears_the_cookie() {
    let mut s = Sample::version("main");
    s.hosts = vec!["a.x", "b.x"];
    let l = s.labels();
    assert_eq!(
        l["traefik.http.routers.api--main.rule"],
        "(Host(`a.x`) || Host(`b.x`))"
    );
    assert_eq!(l["traefik.http.routers.api--main.priority"], "1");
    assert!(!l.contains_key("traefik.http.services.api--main.loadbalancer.healthcheck.path"));
    assert_eq!(
        l["traefik.http.routers.api--main-clear.rule"],
        "(Host(`a.x`) || Host(`b.x`)) && Path(`/_dynroute/clear`)"
    );
    assert_eq!(
        l["traefik.http.middlewares.api--main-clearcookie.headers.customresponseheaders.Set-Cookie"],
        "dynamic_route=; Domain=dev.example.com; Path=/; SameSite=Lax; Max-Age=0"
    );
    assert_eq!(
        l["traefik.http.routers.api--main-anyhost.rule"],
        r"HostRegexp(`^api--[a-z0-9][a-z0-9-]*\.dev\.example\.com$`)"
    );
    assert_eq!(l["traefik.http.routers.api--main-anyhost.priority"], "1");
    // Main answers a request that names it, above every fallback tier.
    assert_eq!(l["traefik.http.routers.api--main-member.priority"], "1000");
    assert!(router_names(&l).contains(&"api--main-pin".to_owned()));
}

#[test]
fn a_fallback_version_catches_any_route_for_its_service() {
    let mut s = Sample::version("shadow");
    s.fallback = vec!["staging", "shadow"];
    let l = s.labels();
    let rule = &l["traefik.http.routers.api--shadow-fallback.rule"];
    assert!(
        rule.starts_with("(Host(`api.dev.example.com`) && (HeaderRegexp(`baggage`, ")
            && rule.contains("dynamic_route\\.api")
            && rule.contains("HeaderRegexp(`Cookie`, "),
        "{rule}"
    );
    assert!(
        rule.ends_with(r") || HostRegexp(`^api--[a-z0-9][a-z0-9-]*\.dev\.example\.com$`)"),
        "{rule}"
    );
    // The second tier: below the cookie (999) and the first tier (998).
    assert_eq!(
        l["traefik.http.routers.api--shadow-fallback.priority"],
        "997"
    );
    assert!(
        !Sample::version("feature-1")
            .labels()
            .keys()
            .any(|k| k.contains("fallback"))
    );
}

#[test]
fn without_a_domain_there_is_no_version_host_and_the_cookie_is_host_only() {
    let mut s = Sample::version("feature-1");
    s.domain = None;
    let l = s.labels();
    assert!(!router_names(&l).iter().any(|n| n.ends_with("-host")));
    assert_eq!(
        l["traefik.http.middlewares.api--feature-1-setcookie.headers.customresponseheaders.Set-Cookie"],
        "dynamic_route=feature-1; Path=/; SameSite=Lax; Max-Age=3600"
    );
}

#[test]
fn every_name_carries_the_version_and_no_keys_differ_only_in_case() {
    for version in ["feature-1", "main", "shadow"] {
        let mut s = Sample::version(version);
        s.fallback = vec!["shadow"];
        let l = s.labels();
        let mut lower: Vec<String> = l.keys().map(|k| k.to_ascii_lowercase()).collect();
        lower.sort();
        lower.dedup();
        assert_eq!(lower.len(), l.len(), "{version}");
        for k in l.keys() {
            if let Some(rest) = k
                .strip_prefix("traefik.http.routers.")
                .or_else(|| k.strip_prefix("traefik.http.middlewares."))
                .or_else(|| k.strip_prefix("traefik.http.services."))
            {
                assert!(rest.starts_with(&format!("api--{version}")), "{k}");
            }
        }
        // Every middleware a router names is defined.
        for (k, value) in &l {
            if k.ends_with(".middlewares") {
                for m in value.split(',') {
                    let prefix = format!("traefik.http.middlewares.{m}.");
                    assert!(l.keys().any(|k| k.starts_with(&prefix)), "{m} in {k}");
                }
            }
        }
    }
}

#[test]
fn v2_syntax_uses_headers_regexp_and_marks_every_router() {
    let mut s = Sample::version("feature-1");
    s.syntax = RuleSyntax::V2;
    s.hosts = vec!["a.x", "b.x"];
    s.fallback = vec!["feature-1"];
    let l = s.labels();
    let rule = &l["traefik.http.routers.api--feature-1.rule"];
    assert!(
        rule.starts_with("(Host(`a.x`) || Host(`b.x`)) && HeadersRegexp(`baggage`, `"),
        "{rule}"
    );
    assert!(
        l["traefik.http.routers.api--feature-1-fallback.rule"]
            .ends_with(" || HostRegexp(`{version:api--[a-z0-9][a-z0-9-]*}.dev.example.com`)")
    );
    for name in router_names(&l) {
        assert_eq!(l[&format!("traefik.http.routers.{name}.ruleSyntax")], "v2");
        assert!(
            !l[&format!("traefik.http.routers.{name}.rule")].contains("HeaderRegexp("),
            "{name}"
        );
    }
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
        ways: &WaysIn::default(),
        cookie_max_age: 60,
    });
    assert_eq!(
        l["traefik.http.services.grpc--x.loadbalancer.server.scheme"],
        "h2c"
    );
    assert!(!l.keys().any(|k| k.ends_with(".entrypoints")));
}

#[test]
fn the_cookie_lives_as_long_as_the_version() {
    let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
    let at = |s: &str| Expiry::At(s.parse().unwrap());
    assert_eq!(cookie_max_age(&at("2026-12-04T10:00:00Z"), now), 259_200);
    assert_eq!(cookie_max_age(&at("2026-11-30T10:00:00Z"), now), 1);
    assert_eq!(cookie_max_age(&Expiry::Never, now), MAX_COOKIE_AGE_SECS);
}
