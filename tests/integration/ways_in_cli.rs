//! `header` for every way in, and the bad input of `fallback:`, `browser:` and
//! `--pin`: exit 2 with the position and a hint, before any AWS call.

use crate::harness::{Project, repo_root};

fn example_with(extra: &str) -> Project {
    let example = std::fs::read_to_string(repo_root().join("dynroute.yaml")).unwrap();
    Project::example().file("dynroute.yaml", &format!("{example}{extra}"))
}

#[test]
fn header_prints_version_hosts_links_and_the_cookie() {
    // Main runs on every service, so no AWS call is needed; other versions name
    // only the services that run them (first_contact.rs, against the stack).
    let p = Project::example();
    assert_eq!(
        p.ok(&["header", "main", "--format", "host"]),
        "api--main.dev.example.com\nweb--main.dev.example.com\n"
    );
    assert_eq!(
        p.ok(&["header", "main", "--format", "link"]),
        "http://api.dev.example.com/_dynroute/use/main\n\
         http://web.dev.example.com/_dynroute/use/main\n\
         http://www.dev.example.com/_dynroute/use/main\n"
    );
    assert_eq!(
        p.ok(&["header", "feature-1", "--format", "cookie"]),
        "Cookie: dynamic_route=feature-1\n"
    );
    let p = example_with("browser:\n  cookie: dr\n");
    assert_eq!(
        p.ok(&["header", "feature-1", "--format", "cookie"]),
        "Cookie: dr=feature-1\n"
    );
    // Without a config, the cookie is named after the default baggage key.
    assert_eq!(
        Project::empty().ok(&["header", "v", "--format", "cookie"]),
        "Cookie: dynamic_route=v\n"
    );
}

#[test]
fn pins_add_one_member_per_service_and_merge_keeps_working() {
    let p = Project::example();
    assert_eq!(
        p.ok(&["header", "feature-1", "--pin", "api=feature-2"]),
        "baggage: dynamic_route=feature-1,dynamic_route.api=feature-2\n"
    );
    assert_eq!(
        p.ok(&[
            "header",
            "feature-1",
            "--pin",
            "api=feature-2",
            "--pin",
            "web=main",
            "--pin",
            "api=feature-3",
            "--format",
            "value",
        ]),
        "dynamic_route=feature-1,dynamic_route.web=main,dynamic_route.api=feature-3\n"
    );
    assert_eq!(
        p.ok(&[
            "header",
            "feature-1",
            "--merge",
            "userId=alice,dynamic_route.api=old,dynamic_route=x",
            "--pin",
            "api=feature-2",
        ]),
        "baggage: userId=alice,dynamic_route.api=feature-2,dynamic_route=feature-1\n"
    );
}

#[test]
fn bad_pins_are_usage_errors() {
    let p = Project::example();
    p.usage_error(
        &["header", "v", "--pin", "db=feature-2"],
        &[
            "service `db` is not declared",
            "hint: declared services: api, web",
        ],
    );
    p.usage_error(
        &["header", "v", "--pin", "api=Feature-2"],
        &["--pin \"api=Feature-2\"", "invalid version name"],
    );
    p.usage_error(
        &["header", "v", "--pin", "api"],
        &["expected SERVICE=VERSION"],
    );
    Project::empty().usage_error(
        &["header", "v", "--pin", "api=x"],
        &["--pin needs dynroute.yaml"],
    );
}

#[test]
fn bad_ways_in_config_is_rejected_with_position_and_hint() {
    let cases: &[(&str, &[&str])] = &[
        (
            "fallback: [shadow, main]\n",
            &[
                "dynroute.yaml:35:20: fallback names the main version `main`",
                "hint: `fallback` lists",
            ],
        ),
        (
            "fallback: [shadow, shadow]\n",
            &["dynroute.yaml:35:20: fallback names `shadow` twice"],
        ),
        (
            "fallback: [Shadow]\n",
            &["dynroute.yaml:35:12: fallback", "invalid version name"],
        ),
        (
            "browser:\n  cookie: \"a;b\"\n",
            &["dynroute.yaml:36:11: browser.cookie: invalid cookie name"],
        ),
        (
            "browser:\n  cookie_domain: \"*.dev.example.com\"\n",
            &["dynroute.yaml:36:18: browser.cookie_domain: invalid host name"],
        ),
        (
            "browser:\n  cookies: x\n",
            &[
                "dynroute.yaml:36:3: browser: unknown field `cookies`",
                "did you mean `cookie`?",
            ],
        ),
        (&format!("fallback: [{}]\n", "a".repeat(40)), &[]),
    ];
    for (extra, needles) in cases {
        let p = example_with(extra);
        if needles.is_empty() {
            // 45 characters fit in a DNS label.
            p.ok(&["render", "v"]);
            continue;
        }
        for cmd in [&["render", "v"][..], &["header", "v"], &["up", "v"]] {
            p.usage_error(cmd, needles);
        }
    }

    let example = std::fs::read_to_string(repo_root().join("dynroute.yaml")).unwrap();
    let no_domain = example.replace("domain: dev.example.com\n", "").replace(
        "    health_check_path: /health\n",
        "    health_check_path: /health\n    hosts: [api.x]\n",
    );
    let p = Project::example().file(
        "dynroute.yaml",
        &format!("{no_domain}browser:\n  version_hosts: true\n"),
    );
    p.usage_error(
        &["render", "v"],
        &["browser.version_hosts needs `domain`", "*.dev.example.com"],
    );

    let tight = format!("{example}fallback: [a, b]\n")
        .replace("  priority: 1000", "  priority: 4\n  main_priority: 1");
    let p = Project::example().file("dynroute.yaml", &tight);
    p.usage_error(
        &["render", "v"],
        &["dynroute.yaml:12:3: traefik.priority (4) leaves no room"],
    );
}

#[test]
fn a_version_host_longer_than_a_dns_label_is_rejected_for_that_version() {
    let long = "a".repeat(40);
    let service = "s".repeat(22);
    let config = format!(
        "cluster: dev\ndomain: dev.example.com\nservices:\n  {service}:\n    template: templates/api.yaml\n    container: api\n    port: 80\n"
    );
    let p = Project::example().file("dynroute.yaml", &config);
    for cmd in ["render", "header", "up"] {
        p.usage_error(
            &[cmd, &long],
            &[
                "has a first label of 64 characters; DNS allows at most 63",
                "hint: use a shorter version name",
            ],
        );
    }
    p.ok(&["render", "short", "--set", "image_repo=r"]);
    // Without version hosts, the same name is fine.
    let p = p.file(
        "dynroute.yaml",
        &format!("{config}browser:\n  version_hosts: false\n"),
    );
    p.ok(&["header", &long]);
}
