use std::path::Path;

use super::*;
use crate::files::yaml_error;

fn load_str(text: &str) -> Result<Project, UserError> {
    load_with(text, &Overrides::default())
}

fn load_with(text: &str, overrides: &Overrides) -> Result<Project, UserError> {
    let path = Path::new("/p/dynroute.yaml");
    let file: ConfigFile = serde_yaml::from_str(text).map_err(|err| yaml_error(path, &err))?;
    resolve(path, text, file, overrides)
}

const MINIMAL: &str = "cluster: dev\ndomain: dev.example.com\nservices:\n  api:\n    template: t/api.yaml\n    port: 8080\n";

#[test]
fn minimal_config_gets_the_documented_defaults() {
    let p = load_str(MINIMAL).unwrap();
    assert_eq!(p.cluster, "dev");
    assert_eq!(p.region, None);
    assert_eq!(p.baggage_key.as_str(), "dynamic_route");
    assert_eq!(p.main_version.as_str(), "main");
    assert!(p.is_protected(&"main".parse().unwrap()));
    assert_eq!(p.ttl, Ttl::After(std::time::Duration::from_secs(72 * 3600)));
    assert_eq!(p.traefik, TraefikSettings::default());
    assert_eq!(p.placement, Placement::LaunchType(LaunchType::Fargate));
    let api = &p.services[&"api".parse().unwrap()];
    assert_eq!(api.template, Path::new("/p/t/api.yaml"));
    assert_eq!(api.container, "api");
    assert_eq!(api.hosts[0].as_str(), "api.dev.example.com");
    assert_eq!(api.desired_count, 1);
    assert_eq!(api.protocol, Protocol::Http);
}

#[test]
fn the_readme_example_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("dynroute.yaml");
    let p = load(&path, &Overrides::default()).unwrap();
    assert_eq!(p.services.len(), 2);
    assert!(p.is_protected(&"shadow".parse().unwrap()));
    assert_eq!(
        p.ingress,
        Some(Ingress::Url("http://traefik.dev.internal".into()))
    );
    let web = &p.services[&"web".parse().unwrap()];
    assert_eq!(web.hosts.len(), 2);
}

#[test]
fn overrides_win_over_the_file() {
    let p = load_with(
        MINIMAL,
        &Overrides {
            cluster: Some("other".into()),
            region: Some("eu-west-1".into()),
        },
    )
    .unwrap();
    assert_eq!(p.cluster, "other");
    assert_eq!(p.region.as_deref(), Some("eu-west-1"));
}

#[test]
fn unknown_keys_name_the_line_and_the_closest_key() {
    let err = load_str(
        "cluster: dev\ndomain: d.io\nservices:\n  api:\n    template: t\n    prot: 8080\n",
    )
    .unwrap_err();
    assert!(
        err.message
            .starts_with("/p/dynroute.yaml:6:5: services.api: unknown field `prot`"),
        "{}",
        err.message
    );
    assert_eq!(err.hint.as_deref(), Some("did you mean `port`?"));

    let err = load_str("clustr: dev\n").unwrap_err();
    assert!(err.message.contains(":1:1:"), "{}", err.message);
    assert_eq!(err.hint.as_deref(), Some("did you mean `cluster`?"));
}

#[test]
fn wrong_types_and_bad_values_carry_the_field_path() {
    let cases = [
        (
            "services:\n  api:\n    template: t\n    port: http\n",
            "services.api.port",
            ":4:",
        ),
        (
            "services:\n  api:\n    template: t\n    port: 70000\n",
            "out of range",
            ":4:",
        ),
        (
            "protected: [Main]\nservices: {}\n",
            "invalid version name \"Main\"",
            ":1:",
        ),
        (
            "services:\n  Bad_Name:\n    template: t\n    port: 1\n",
            "invalid service name",
            ":2:",
        ),
        ("ttl: soon\nservices: {}\n", "invalid duration", ":1:"),
        (
            "domain: \"x`)\"\nservices: {}\n",
            "invalid host name",
            ":1:",
        ),
        (
            "traefik:\n  rule_syntax: v4\nservices: {}\n",
            "unknown variant `v4`",
            ":2:",
        ),
        (
            "ingress:\n  url: ftp://x\nservices: {}\n",
            "not an http",
            ":1:",
        ),
        (
            "ingress:\n  url: http://x\n  load_balancer: y\nservices: {}\n",
            "not both",
            ":1:",
        ),
        (
            "baggage_key: \"a b\"\nservices: {}\n",
            "invalid baggage key",
            ":1:",
        ),
    ];
    for (text, expected, position) in cases {
        let err = load_str(&format!("cluster: dev\n{text}")).unwrap_err();
        // One line was prepended.
        let position = position.replace(
            |c: char| c.is_ascii_digit(),
            &(position[1..position.len() - 1].parse::<usize>().unwrap() + 1).to_string(),
        );
        assert!(err.message.contains(expected), "{text}: {}", err.message);
        assert!(
            err.message.contains(&position),
            "{text}: {} lacks {position}",
            err.message
        );
    }
}

#[test]
fn cross_field_rules_point_at_the_right_line() {
    let err =
        load_str("cluster: dev\nservices:\n  api:\n    template: t\n    port: 1\n").unwrap_err();
    assert!(
        err.message
            .starts_with("/p/dynroute.yaml:3: services.api has no `hosts`"),
        "{}",
        err.message
    );

    let err = load_str(&format!("{MINIMAL}traefik:\n  priority: 1\n")).unwrap_err();
    assert!(
        err.message
            .contains(":8: traefik.priority (1) must be higher"),
        "{}",
        err.message
    );

    let err = load_str(&format!(
        "{MINIMAL}launch_type: EC2\ncapacity_provider_strategy:\n  - capacity_provider: FARGATE_SPOT\n"
    ))
    .unwrap_err();
    assert!(err.message.contains("not both"), "{}", err.message);

    let err =
        load_str("domain: d.io\nservices:\n  api:\n    template: t\n    port: 1\n").unwrap_err();
    assert!(err.message.contains("`cluster` is required"));
    assert!(err.hint.unwrap().contains("DYNROUTE_CLUSTER"));

    let err = load_str("cluster: dev\nservices: {}\n").unwrap_err();
    assert!(err.message.contains("declares no service"));
}

#[test]
fn capacity_providers_and_network_are_read() {
    let p = load_str(&format!(
        "{MINIMAL}capacity_provider_strategy:\n  - capacity_provider: FARGATE_SPOT\n    weight: 1\nnetwork:\n  subnets: [s-1]\n"
    ))
    .unwrap();
    assert_eq!(
        p.placement,
        Placement::CapacityProviders(vec![CapacityProviderItem {
            capacity_provider: "FARGATE_SPOT".into(),
            weight: 1,
            base: 0
        }])
    );
    assert_eq!(p.network.unwrap().subnets, ["s-1"]);
}

#[test]
fn discovery_walks_up_from_the_start_directory() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    assert_eq!(discover(None, &nested).unwrap(), None);
    std::fs::write(dir.path().join(FILE_NAME), MINIMAL).unwrap();
    assert_eq!(
        discover(None, &nested).unwrap(),
        Some(dir.path().join(FILE_NAME))
    );
    let missing = dir.path().join("nope.yaml");
    assert!(discover(Some(&missing), &nested).is_err());
}

#[test]
fn selecting_an_undeclared_service_lists_the_declared_ones() {
    let p = load_str(MINIMAL).unwrap();
    let err = p.select(&["web".parse().unwrap()]).unwrap_err();
    assert!(err.message.contains("service `web` is not declared"));
    assert_eq!(err.hint.as_deref(), Some("declared services: api"));
}

#[test]
fn limits_and_the_ephemeral_strategy_load() {
    let text = format!(
        "{MINIMAL}limits:\n  max_versions: 20\n  max_versions_per_owner: 3\n  max_desired_count: 2\n  max_ttl: 7d\ncapacity_provider_strategy_ephemeral:\n  - capacity_provider: FARGATE_SPOT\n    weight: 1\n"
    );
    let p = load_str(&text).unwrap();
    assert_eq!(p.limits.max_versions, Some(20));
    assert_eq!(p.limits.max_versions_per_owner, Some(3));
    assert_eq!(p.limits.max_desired_count, Some(2));
    assert_eq!(
        p.limits.max_ttl,
        Some(std::time::Duration::from_secs(7 * 86400))
    );
    let spot = Placement::CapacityProviders(vec![CapacityProviderItem {
        capacity_provider: "FARGATE_SPOT".into(),
        weight: 1,
        base: 0,
    }]);
    assert_eq!(p.placement_for(&"feature-1".parse().unwrap()), &spot);
    assert_eq!(
        p.placement_for(&"main".parse().unwrap()),
        &Placement::LaunchType(LaunchType::Fargate)
    );
    assert!(!load_str(MINIMAL).unwrap().limits.any());
}

#[test]
fn zero_negative_and_never_limits_are_rejected_with_their_line() {
    for (limit, needle) in [
        ("max_versions: 0", "a limit of 0"),
        (
            "max_versions_per_owner: -1",
            "expected a positive whole number",
        ),
        ("max_desired_count: 0", "a limit of 0"),
        ("max_ttl: never", "cannot be `never`"),
        ("max_ttl: 0s", "invalid duration"),
        ("max_version: 3", "did you mean `max_versions`"),
    ] {
        let text = format!("{MINIMAL}limits:\n  {limit}\n");
        let err = load_str(&text).unwrap_err();
        let shown = format!("{err} {}", err.hint.clone().unwrap_or_default());
        assert!(shown.contains(needle), "{limit}: {shown}");
        assert!(shown.starts_with("/p/dynroute.yaml:8"), "{limit}: {shown}");
    }
    let err = load_str(&format!(
        "{MINIMAL}capacity_provider_strategy_ephemeral: []\n"
    ))
    .unwrap_err();
    assert!(err.to_string().contains("is empty"), "{err}");
}

#[test]
fn ways_in_default_to_the_baggage_key_and_the_domain() {
    let p = load_str(MINIMAL).unwrap();
    assert_eq!(p.ways_in.cookie.as_str(), "dynamic_route");
    assert_eq!(
        p.ways_in.cookie_domain.as_ref().unwrap().as_str(),
        "dev.example.com"
    );
    assert_eq!(
        p.ways_in.version_host_domain.as_ref().unwrap().as_str(),
        "dev.example.com"
    );
    assert!(p.ways_in.fallback.is_empty());

    let text = format!(
        "{MINIMAL}fallback: [shadow, staging]\nbrowser:\n  cookie: dr\n  cookie_domain: example.com\n  version_hosts: false\n"
    );
    let p = load_str(&text).unwrap();
    assert_eq!(p.ways_in.cookie.as_str(), "dr");
    assert_eq!(
        p.ways_in.cookie_domain.as_ref().unwrap().as_str(),
        "example.com"
    );
    assert_eq!(p.ways_in.version_host_domain, None);
    let fallback: Vec<&str> = p.ways_in.fallback.iter().map(|v| v.as_str()).collect();
    assert_eq!(fallback, ["shadow", "staging"]);
}

fn ways_in_error(extra: &str) -> String {
    load_str(&format!("{MINIMAL}{extra}"))
        .unwrap_err()
        .to_string()
}

#[test]
fn bad_ways_in_are_reported_at_their_position() {
    let cases = [
        (
            "fallback: [shadow, main]\n",
            "/p/dynroute.yaml:7:20: fallback names the main version",
        ),
        (
            "fallback: [shadow, shadow]\n",
            "/p/dynroute.yaml:7:20: fallback names `shadow` twice",
        ),
        ("fallback:\n  - Shadow\n", "/p/dynroute.yaml:8:5: "),
        (
            "browser:\n  cookie: \"a b\"\n",
            "/p/dynroute.yaml:8:11: browser.cookie: invalid cookie name",
        ),
        (
            "browser:\n  cookie_domain: .example.com\n",
            "/p/dynroute.yaml:8:18: browser.cookie_domain: invalid host name",
        ),
        (
            "browser:\n  cookie_domain: example.org\n",
            "/p/dynroute.yaml:8:3: browser.cookie_domain `example.org` does not cover the service host `api.dev.example.com`",
        ),
        (
            "fallback: [a, b, c]\ntraefik:\n  priority: 4\n",
            "/p/dynroute.yaml:9:3: traefik.priority (4) leaves no room",
        ),
    ];
    for (extra, want) in cases {
        let err = ways_in_error(extra);
        assert!(err.starts_with(want), "{extra:?}:\n{err}\nwant: {want}");
    }
    let long = format!(
        "cluster: dev\ndomain: d.x\nfallback: [{}]\nservices:\n  {}:\n    template: t.yaml\n    port: 80\n",
        "a".repeat(40),
        "s".repeat(22)
    );
    let err = load_str(&long).unwrap_err().to_string();
    assert!(
        err.starts_with("/p/dynroute.yaml:3:12: fallback `aaaa") && err.contains("at most 63"),
        "{err}"
    );
    let no_domain = "cluster: dev\nbrowser:\n  version_hosts: true\nservices:\n  api:\n    template: t.yaml\n    port: 80\n    hosts: [api.x]\n";
    let err = load_str(no_domain).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/p/dynroute.yaml:3:3: browser.version_hosts needs `domain`"),
        "{err}"
    );
    assert!(err.hint.unwrap().contains("*.dev.example.com"));
}

#[test]
fn without_a_domain_version_hosts_are_off_and_the_cookie_is_host_only() {
    let text =
        "cluster: dev\nservices:\n  api:\n    template: t.yaml\n    port: 80\n    hosts: [api.x]\n";
    let p = load_str(text).unwrap();
    assert_eq!(p.ways_in.version_host_domain, None);
    assert_eq!(p.ways_in.cookie_domain, None);
}

#[test]
fn a_ttl_too_long_to_be_a_date_is_refused_not_turned_into_never() {
    let err = "100000y".parse::<Ttl>().unwrap_err();
    assert_eq!(
        err,
        "\"100000y\" is longer than ten years: write `never` for a version that does not expire"
    );
    assert_eq!("3650d".parse::<Ttl>(), Ok(Ttl::After(schema::MAX_TTL)));
    assert_eq!("never".parse::<Ttl>(), Ok(Ttl::Never));
}

#[test]
fn yaml_nulls_and_booleans_are_not_names() {
    for (value, found) in [
        ("null", "null"),
        ("~", "null"),
        ("true", "the boolean true"),
        ("false", "the boolean false"),
    ] {
        let err = load_str(&format!("{MINIMAL}fallback: [{value}]\n")).unwrap_err();
        assert!(
            err.message.ends_with(&format!(
                "fallback[0]: expected a string, found {found} (quote it if you mean the word)"
            )),
            "{value}: {}",
            err.message
        );
    }
    // Quoted, the word is a name like any other; a number is its digits.
    let p = load_str(&format!("{MINIMAL}fallback: [\"null\", 2024]\n")).unwrap();
    assert_eq!(p.ways_in.fallback, ["null", "2024"]);
}

#[test]
fn a_worker_has_no_route_no_hosts_and_needs_no_port() {
    let worker = "\n  worker:\n    template: t/worker.yaml\n    routing: none\n";
    let p = load_str(&format!("{MINIMAL}{worker}")).unwrap();
    let w = &p.services[&"worker".parse().unwrap()];
    assert!(!w.routed);
    assert!(w.hosts.is_empty());
    assert_eq!(w.port, 0);
    assert!(p.services[&"api".parse().unwrap()].routed);
    for (extra, expected) in [
        (
            "    hosts: [w.dev.example.com]\n",
            "`routing: none` and `hosts`",
        ),
        (
            "    health_check_path: /health\n",
            "`routing: none` and `health_check_path`",
        ),
        (
            "    baseline: {url: \"http://10.0.0.1\"}\n",
            "a URL baseline is a route",
        ),
        ("    routing: maybe\n", "unknown variant `maybe`"),
    ] {
        let text = format!("{MINIMAL}{worker}{extra}").replace(
            "    routing: none\n    routing: maybe\n",
            "    routing: maybe\n",
        );
        let err = load_str(&text).unwrap_err();
        assert!(err.message.contains(expected), "{extra}: {}", err.message);
        assert!(err.message.contains("/p/dynroute.yaml:"), "{}", err.message);
    }
    // A routed service still needs its port.
    let err =
        load_str("cluster: dev\ndomain: d.example.com\nservices:\n  api:\n    template: t.yaml\n")
            .unwrap_err();
    assert!(err.message.contains("has no `port`"), "{}", err.message);
}

#[test]
fn hooks_are_checked_where_they_are_written() {
    let with = |hooks: &str| load_str(&format!("{MINIMAL}hooks:\n{hooks}"));
    let ok = with("  on_create: [{service: api, command: [db, create, 'v_{{ version_id }}'], timeout: 5m}]\n  after_down:\n    - service: api\n      container: migrator\n      command: [db, drop]\n").unwrap();
    assert_eq!(ok.hooks.hooks.len(), 2);
    assert_eq!(
        ok.hooks.hooks[0].timeout,
        std::time::Duration::from_secs(300)
    );
    assert_eq!(ok.hooks.hooks[1].container.as_deref(), Some("migrator"));
    for (hooks, needle) in [
        (
            "  before_up: [{service: billing, command: [x]}]\n",
            "service `billing` is not declared",
        ),
        (
            "  before_up: [{service: api, command: []}]\n",
            "the command is empty",
        ),
        (
            "  before_up: [{service: api, command: ['']}]\n",
            "the command is empty",
        ),
        (
            "  before_up: {service: api, command: [x]}\n",
            "expected a sequence",
        ),
        (
            "  before_up: [{service: api, command: 'bin/db migrate'}]\n",
            "expected a sequence",
        ),
        (
            "  before_up: [{service: api, command: [x], container: ''}]\n",
            "`container` is empty",
        ),
        (
            "  before_up: [{service: api, command: ['{{ image_tag }}']}]\n",
            "`{{ image_tag }}` is not a name",
        ),
        (
            "  before_up: [{service: api, command: [x], timeout: 0s}]\n",
            "timeout \"0s\"",
        ),
        (
            "  after_up: [{service: api, command: [x]}]\n",
            "unknown field `after_up`",
        ),
    ] {
        let err = with(hooks).unwrap_err();
        assert_eq!(err.kind, crate::error::ExitKind::Usage);
        assert!(err.message.contains(needle), "{hooks}: {}", err.message);
        assert!(err.message.contains("/p/dynroute.yaml:"), "{}", err.message);
    }
    let many: String = (0..6).map(|_| "{service: api, command: [x]},").collect();
    let err = with(&format!("  before_up: [{many}]\n")).unwrap_err();
    assert!(err.message.contains("at most 5"), "{}", err.message);
}
