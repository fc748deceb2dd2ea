//! Hostile inputs through the CLI: values that try to change a template's
//! structure, files that are not reasonable YAML text.

use serde_json::Value;

use crate::harness::Project;

const INJECTIONS: &[&str] = &[
    "evil\"\n    privileged: true\n    hostname: \"",
    "x\n    privileged: true",
    "x\", \"--extra",
    "x}, {name: EXTRA, value: y",
    "a: b",
    "- x",
    "# c",
    "[1, 2]",
    "{a: 1}",
];

fn render_api(p: &Project, extra: &[&str]) -> Value {
    let mut args = vec!["render", "feature-1", "-s", "api"];
    args.extend_from_slice(extra);
    serde_json::from_str(&p.ok(&args)).unwrap()
}

#[test]
fn set_values_and_ci_variables_land_as_one_string() {
    // (An image must be ECS's characters, so the values land in a variable.)
    let template = "networkMode: awsvpc\nrequiresCompatibilities: [FARGATE]\ncpu: \"256\"\nmemory: \"512\"\ncontainerDefinitions:\n  - name: api\n    image: repo/api:1\n    command: [\"--branch={{ git.branch }}\", \"--owner={{ owner }}\"]\n    environment: [{name: CI, value: {{ env(\"CI_NAME\") }}}, {name: REPO, value: {{ vars.image_repo }}}]\n";
    for value in INJECTIONS {
        let p = Project::example()
            .file("templates/api.yaml", template)
            .env("GITHUB_HEAD_REF", value)
            .env("CI_NAME", value);
        let set = format!("--set=image_repo={value}");
        let owner = format!("--owner={value}");
        let td = render_api(&p, &[&set, &owner]);
        let c = &td["containerDefinitions"][0];
        assert_eq!(c["image"], "repo/api:1", "{value:?}");
        assert!(c.get("privileged").is_none() && c.get("hostname").is_none());
        assert_eq!(
            c["command"],
            serde_json::json!([format!("--branch={value}"), format!("--owner={value}")]),
            "{value:?}"
        );
        let env = c["environment"].as_array().unwrap();
        assert_eq!(env[0], serde_json::json!({"name": "CI", "value": value}));
        assert_eq!(env[1], serde_json::json!({"name": "REPO", "value": value}));
        assert!(!env.iter().any(|e| e["name"] == "EXTRA"));
    }
}

#[test]
fn files_that_are_not_yaml_text_are_usage_errors() {
    let p = Project::example();
    p.usage_error(
        &["render", "v", "--config", "templates"],
        &["templates: it is a directory"],
    );
    p.usage_error(
        &["render", "v", "--config", "/dev/zero"],
        &["not a regular file"],
    );
    let p = Project::example().file("dynroute.yaml", "cluster: dev\nregion: \u{fffd}\n");
    std::fs::write(
        p.path().join("dynroute.yaml"),
        b"cluster: dev\nregion: \xff\xfe\n",
    )
    .unwrap();
    p.usage_error(
        &["render", "v"],
        &["dynroute.yaml:2: config file is not UTF-8"],
    );

    let deep = format!("cluster: {}\n", "[".repeat(400 * 1024));
    let p = Project::example().file("dynroute.yaml", &deep);
    p.usage_error(
        &["render", "v"],
        &["dynroute.yaml:1: brackets nest more than 64 deep"],
    );

    let p = Project::example().file("templates/api.yaml", &deep.replace("cluster", "cpu"));
    p.usage_error(
        &["render", "v", "-s", "api"],
        &["api.yaml:1: brackets nest more than 64 deep"],
    );
}

#[test]
fn a_bom_is_accepted_and_tags_and_duplicates_are_not() {
    let example =
        std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml")).unwrap();
    let p = Project::example().file("dynroute.yaml", &format!("\u{feff}{example}"));
    render_api(&p, &["--owner", "alice"]);

    let p = Project::example().file(
        "dynroute.yaml",
        &example.replace("cluster: dev", "cluster: !!binary ZGV2"),
    );
    p.usage_error(
        &["render", "v"],
        &["dynroute.yaml:2: YAML tag `!!binary` is not supported"],
    );

    let p = Project::example().file(
        "dynroute.yaml",
        &example.replace(
            "  web:\n",
            "  api:\n    template: templates/api.yaml\n    port: 1\n  web:\n",
        ),
    );
    p.usage_error(&["render", "v"], &["duplicate entry with key \"api\""]);

    let template =
        std::fs::read_to_string(crate::harness::repo_root().join("templates/api.yaml")).unwrap();
    let p = Project::example().file(
        "templates/api.yaml",
        &template.replace(
            "        awslogs-group: /ecs/dev/api\n",
            "        awslogs-group: a\n        awslogs-group: b\n",
        ),
    );
    p.usage_error(
        &["render", "v", "-s", "api"],
        &["duplicate entry with key \"awslogs-group\""],
    );
}

#[test]
fn names_aws_would_reject_fail_before_any_call() {
    let example =
        std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml")).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        (
            "  priority: 1000\n",
            "  priority: 1000\n  main_priority: 0\n",
            "traefik.main_priority must be at least 1",
        ),
        (
            "  priority: 1000\n",
            "  priority: 1000\n  main_priority: 1000\n",
            "must be higher than traefik.main_priority",
        ),
        (
            "cluster: dev\n",
            "cluster: dev cluster\n",
            "dynroute.yaml:2: cluster \"dev cluster\" is not a valid ECS cluster name",
        ),
        (
            "region: us-east-1\n",
            "region: us-east\n",
            "dynroute.yaml:3: region \"us-east\" is not an AWS region code",
        ),
    ];
    for (from, to, needle) in cases {
        let p = Project::example().file("dynroute.yaml", &example.replace(from, to));
        p.usage_error(&["render", "v"], &[needle]);
    }
    let p = Project::example();
    p.usage_error(
        &["render", "v", "--cluster", "a/b"],
        &["is not a valid ECS cluster name"],
    );
    p.usage_error(
        &["render", "v", "--region", "moon-1"],
        &["is not an AWS region code"],
    );
}

#[test]
fn the_shortest_ingress_url_is_accepted() {
    let example =
        std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml")).unwrap();
    let p = Project::example().file(
        "dynroute.yaml",
        &example.replace("url: http://traefik.dev.internal", "url: http://a"),
    );
    render_api(&p, &["--owner", "alice"]);
    let p = Project::example().file(
        "dynroute.yaml",
        &example.replace("url: http://traefik.dev.internal", "url: http://"),
    );
    p.usage_error(&["render", "v"], &["is not an http:// or https:// URL"]);
}

#[test]
fn control_characters_in_config_values_reach_the_terminal_escaped() {
    let example =
        std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml")).unwrap();
    let p = Project::example().file(
        "dynroute.yaml",
        &example.replace("cluster: dev", "cluster: \"dev\\e[2J\\rX\\u202e\""),
    );
    let out = p.usage_error(&["render", "v"], &["is not a valid ECS cluster name"]);
    let stderr = out.stderr.clone();
    assert!(!stderr.contains(['\u{1b}', '\r', '\u{202e}']), "{stderr:?}");
    assert!(stderr.contains("\\u{1b}[2J"), "{stderr:?}");

    // A path is printed as it is, not quoted: the terminal layer escapes it.
    let p = Project::example().file(
        "dynroute.yaml",
        &example.replace(
            "template: templates/api.yaml",
            "template: \"t\\e]0;pwned\\a.yaml\"",
        ),
    );
    let out = p.usage_error(&["render", "v", "-s", "api"], &["cannot read template"]);
    assert!(
        !out.stderr.contains(['\u{1b}', '\u{7}']),
        "{:?}",
        out.stderr
    );
    assert!(
        out.stderr.contains("t\\u{1b}]0;pwned\\u{7}.yaml"),
        "{:?}",
        out.stderr
    );
}

#[test]
fn environment_files_get_a_warning_that_injected_values_win() {
    let template =
        std::fs::read_to_string(crate::harness::repo_root().join("templates/api.yaml")).unwrap();
    let p = Project::example().file(
        "templates/api.yaml",
        &template.replace(
            "    environment:\n",
            "    environmentFiles:\n      - value: arn:aws:s3:::bucket/api.env\n        type: s3\n    environment:\n",
        ),
    );
    let out = p.run(&["render", "v", "-s", "api", "--owner", "alice"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: ")
            && out
                .stderr
                .contains("container `api` reads environmentFiles")
            && out
                .stderr
                .contains("the value dynroute injects takes precedence"),
        "{}",
        out.stderr
    );
    let plain = Project::example().run(&["render", "v", "-s", "api", "--owner", "alice"]);
    assert!(
        !plain.stderr.contains("environmentFiles"),
        "{}",
        plain.stderr
    );
}

#[test]
fn baggage_and_pins_refuse_hostile_values_with_short_quotes() {
    let p = Project::example();
    let long_bad = format!("a={}", "\u{1}".repeat(5000));
    let long_pin = format!("api={}", "x".repeat(3000));
    for (i, args) in [
        vec!["header", "v1", "--merge", "a=b\r\nSet-Cookie: x"],
        vec!["header", "v1", "--merge", &long_bad],
        vec!["header", "v1", "--merge", "a=b' ; touch pwned; echo '"],
        vec!["header", "v1", "--pin", &long_pin],
        vec!["header", "v1", "--pin", "api=x\ny"],
        vec!["header", "v1", "--format", "curl", "--pin", "nosuch=v2"],
    ]
    .iter()
    .enumerate()
    {
        let out = p.run(args);
        assert_eq!(out.code, 2, "case {i}: {}", out.stderr.len());
        assert_eq!(out.stdout, "", "case {i}: nothing printed");
        // Every quote is cut: the refusal stays a few lines, whatever the input.
        assert!(
            out.stderr.len() < 2048,
            "case {i}: {} bytes",
            out.stderr.len()
        );
        assert!(!out.stderr.contains(['\u{1}', '\r']), "case {i}");
    }
    assert!(!p.path().join("pwned").exists());
    // Another member's own `;property` stays; the later pin of a service wins.
    p.test(&[
        "header", "v1", "--merge", "a=b;c", "--pin", "api=v3", "--pin", "api=v2",
    ])
    .stdout("baggage: a=b;c,dynamic_route=v1,dynamic_route.api=v2\n")
    .run();
}

#[test]
fn hostile_limits_are_refused_with_their_line() {
    let example =
        std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml")).unwrap();
    for (limit, expected) in [
        ("max_versions: -1", "expected a positive whole number"),
        ("max_versions: 1e99", "expected a positive whole number"),
        (
            "max_versions: 99999999999999999999999",
            "expected a positive whole number",
        ),
        ("max_versions: '10'", "expected a positive whole number"),
        ("max_versions: [1]", "expected a positive whole number"),
        (
            "max_desired_count: 0",
            "a limit of 0 would refuse every version",
        ),
        ("max_ttl: never", "limits.max_ttl cannot be `never`"),
        ("max_ttl: 0s", "invalid duration"),
        ("max_ttl: 100000y", "longer than ten years"),
        ("max_ttl: {a: 1}", "limits.max_ttl"),
    ] {
        let p = Project::example().file("dynroute.yaml", &format!("{example}limits:\n  {limit}\n"));
        let out = p.usage_error(&["render", "feature-1"], &[expected, "dynroute.yaml:"]);
        assert!(out.stderr.len() < 1024, "{limit}: {}", out.stderr);
    }
}

#[test]
fn ci_variables_land_in_tags_as_tag_characters_only() {
    let hostile = [
        ("GITHUB_ACTOR", "evil\nKey: x<script>"),
        ("GITHUB_SERVER_URL", "javascript:alert(1)//"),
        ("GITHUB_REPOSITORY", "a/b\u{1b}[31m"),
        ("GITHUB_SHA", "abc\ndef"),
        ("GITHUB_REF", "refs/pull/99999999999999999999999/merge"),
        ("GITHUB_HEAD_REF", "feature/\u{1b}]0;pwn\u{7}-x"),
    ];
    let long_run = "9".repeat(1000);
    let mut p = Project::example().env("GITHUB_RUN_ID", &long_run);
    for (k, v) in hostile {
        p = p.env(k, v);
    }
    let td = render_api(&p, &[]);
    let tags: Vec<(String, String)> = td["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["key"].as_str().unwrap().to_owned(),
                t["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let tag = |key: &str| {
        tags.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no tag {key}: {tags:?}"))
    };
    // The branch becomes a version slug, terminal escapes and all.
    p.test(&["header"])
        .stdout("baggage: dynamic_route=feature-0-pwn-x\n")
        .run();
    // Each value keeps ECS's tag characters only.
    assert_eq!(tag("dynroute:owner"), "evil_Key: x_script_");
    assert_eq!(tag("dynroute:git-sha"), "abc_def");
    assert_eq!(tag("dynroute:repo"), "a/b__31m");
    assert!(tag("dynroute:ci-url").chars().count() <= 256);
    assert!(!tags.iter().any(|(k, _)| k == "dynroute:pr"), "{tags:?}");
    for (key, value) in &tags {
        assert!(
            value
                .chars()
                .all(|c| c.is_alphanumeric() || " _.:/=+-@".contains(c)),
            "{key}={value:?}"
        );
    }
}
