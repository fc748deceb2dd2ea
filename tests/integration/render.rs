use serde_json::Value;

use crate::harness::Project;

#[test]
fn render_prints_the_register_task_definition_input() {
    let p = Project::example();
    let out = p.ok(&[
        "render",
        "feature-1",
        "-s",
        "api",
        "--image-tag",
        "abc123",
        "--owner",
        "alice",
    ]);
    let td: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(td["family"], "api--feature-1");
    let c = &td["containerDefinitions"][0];
    assert_eq!(
        c["image"],
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:abc123"
    );
    assert_eq!(
        c["dockerLabels"]["traefik.http.routers.api--feature-1.priority"],
        "1000"
    );
    assert_eq!(c["dockerLabels"]["dynroute.version"], "feature-1");
    let tags = td["tags"].as_array().unwrap();
    let tag = |k: &str| {
        tags.iter()
            .find(|t| t["key"] == k)
            .map(|t| t["value"].clone())
    };
    assert_eq!(tag("dynroute:owner").unwrap(), "alice");
    assert_eq!(tag("dynroute:managed").unwrap(), "true");
    assert!(
        tag("dynroute:expires-at")
            .unwrap()
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
}

#[test]
fn render_of_several_services_is_an_array_and_yaml_a_stream() {
    let p = Project::example();
    let all: Value = serde_json::from_str(&p.ok(&["render", "v1"])).unwrap();
    let families: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["family"].as_str().unwrap())
        .collect();
    assert_eq!(families, ["api--v1", "web--v1"]);

    let yaml = p.ok(&["render", "v1", "--format", "yaml"]);
    assert_eq!(yaml.matches("\n---\n").count(), 1, "{yaml}");
    assert!(yaml.starts_with("family: api--v1\n"));
}

#[test]
fn render_of_main_is_protected_and_never_expires() {
    let p = Project::example();
    let td: Value = serde_json::from_str(&p.ok(&["render", "main", "-s", "web"])).unwrap();
    let tags = td["tags"].as_array().unwrap();
    assert!(
        tags.iter()
            .any(|t| t["key"] == "dynroute:expires-at" && t["value"] == "never")
    );
    assert_eq!(
        td["containerDefinitions"][0]["dockerLabels"]["traefik.http.routers.web--main.rule"],
        "(Host(`web.dev.example.com`) || Host(`www.dev.example.com`))"
    );
}

#[test]
fn render_needs_no_credentials_and_reads_ci_provenance() {
    let p = Project::example()
        .env("GITHUB_ACTOR", "octocat")
        .env("GITHUB_SHA", "0123abcd")
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GITHUB_RUN_ID", "7");
    let mut cmd = p.cmd(&["render", "v1", "-s", "api", "--ttl", "2h"]);
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_REGION");
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let td: Value = serde_json::from_slice(&out.stdout).unwrap();
    let tags = td["tags"].as_array().unwrap();
    let tag = |k: &str| {
        tags.iter().find(|t| t["key"] == k).unwrap()["value"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(tag("dynroute:owner"), "octocat");
    assert_eq!(tag("dynroute:git-sha"), "0123abcd");
    assert_eq!(
        tag("dynroute:ci-url"),
        "https://github.com/acme/shop/actions/runs/7"
    );
    let env = td["containerDefinitions"][0]["environment"]
        .as_array()
        .unwrap();
    assert!(
        env.iter()
            .any(|e| e["name"] == "GIT_SHA" && e["value"] == "0123abcd")
    );
}

#[test]
fn render_finds_the_config_from_a_subdirectory_or_by_flag() {
    let p = Project::example().file("deep/er/.keep", "");
    let mut cmd = p.cmd(&["render", "v1", "-s", "api"]);
    cmd.current_dir(p.path().join("deep/er"));
    cmd.assert().success();

    let elsewhere = Project::empty();
    let config = p.path().join("dynroute.yaml");
    elsewhere.ok(&[
        "render",
        "v1",
        "-s",
        "api",
        "--config",
        config.to_str().unwrap(),
    ]);
    let mut cmd = elsewhere.cmd(&["render", "v1", "-s", "api"]);
    cmd.env("DYNROUTE_CONFIG", &config).assert().success();
}

#[test]
fn cluster_override_reaches_the_template() {
    let p = Project::example().file(
        "templates/api.yaml",
        "containerDefinitions:\n  - name: api\n    image: \"x:{{ cluster }}-{{ env('TEAM', 'none') }}\"\n",
    );
    let out = p.ok(&["render", "v", "-s", "api", "--cluster", "staging"]);
    assert!(out.contains("\"image\": \"x:staging-none\""), "{out}");
    let mut cmd = p.cmd(&["render", "v", "-s", "api"]);
    let out = cmd
        .env("DYNROUTE_CLUSTER", "qa")
        .env("TEAM", "pay")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"image\": \"x:qa-pay\""));
}

#[test]
fn version_defaults_to_the_git_branch() {
    let p = Project::example();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .args(args)
            .current_dir(p.path())
            .env("HOME", p.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}");
    };
    git(&["init", "-q", "-b", "Feature/ABC_12"]);
    let td: Value = serde_json::from_str(&p.ok(&["render", "-s", "api"])).unwrap();
    assert_eq!(td["family"], "api--feature-abc-12");
    assert_eq!(p.ok(&["header"]), "baggage: dynamic_route=feature-abc-12\n");
}

/// The project tag `render main -s api` gives in `dir`.
fn project_tag(p: &crate::harness::Project, dir: &std::path::Path) -> String {
    let out = p
        .std_cmd(&["render", "main", "-s", "api", "--json"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let td: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    td["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "dynroute:project")
        .map(|t| t["value"].as_str().unwrap().to_owned())
        .unwrap()
}

#[test]
fn the_project_comes_from_the_origin_remote_of_a_repository_or_a_worktree() {
    let p = Project::example();
    let git = |dir: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(p.path(), &["init", "-q", "-b", "trunk"]);
    // Without a remote: the folder's name.
    let folder = p
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_lowercase();
    let folder = folder.replace(|c: char| !c.is_ascii_alphanumeric(), "-");
    assert_eq!(project_tag(&p, p.path()), folder.trim_matches('-'));
    git(
        p.path(),
        &[
            "remote",
            "add",
            "origin",
            "git@github.com:acme/Shop_API.git",
        ],
    );
    git(
        p.path(),
        &[
            "remote",
            "add",
            "upstream",
            "https://github.com/other/upstream.git",
        ],
    );
    assert_eq!(project_tag(&p, p.path()), "shop-api");
    assert_eq!(project_tag(&p, &p.path().join("templates")), "shop-api");

    // A linked worktree reads the main repository's remotes.
    git(p.path(), &["add", "."]);
    git(p.path(), &["commit", "-q", "-m", "example"]);
    let wt = tempfile::tempdir().unwrap();
    let wt_path = wt.path().join("checkout");
    git(
        p.path(),
        &["worktree", "add", "-q", wt_path.to_str().unwrap()],
    );
    assert_eq!(project_tag(&p, &wt_path), "shop-api");

    // A URL rewrite is applied as git applies it (git answers that one).
    git(
        p.path(),
        &[
            "config",
            "url.https://github.com/acme/renamed.insteadOf",
            "git@github.com:acme/Shop_API",
        ],
    );
    assert_eq!(project_tag(&p, p.path()), "renamed");
}
