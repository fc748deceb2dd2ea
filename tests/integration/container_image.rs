//! The container image (deploy/image/Dockerfile) holds the binary and nothing
//! else: no git, no shell, no PATH to speak of. dynroute must get its version
//! and commit from the CI variables `docker run -e …` passes in, and the recipe
//! must take the binaries the release workflow lays out for it.

use std::process::Command;

use crate::harness::{Project, repo_root};

/// `dynroute ARGS` in `p` with only `env` (no PATH: no git can be found).
fn run_bare(p: &Project, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
    let out = Command::new(assert_cmd::cargo::cargo_bin("dynroute"))
        .env_clear()
        .current_dir(p.path())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

#[test]
fn without_git_the_version_and_commit_come_from_the_ci_variables() {
    let p = Project::example();
    assert!(!p.path().join(".git").exists());
    let ci = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_REF_NAME", "feature/login"),
        ("GITHUB_SHA", SHA),
        ("GITHUB_ACTOR", "alice"),
    ];
    assert_eq!(
        run_bare(&p, &ci, &["header"]),
        (
            0,
            "baggage: dynamic_route=feature-login\n".into(),
            String::new()
        )
    );
    let (code, stdout, stderr) = run_bare(&p, &ci, &["render", "-s", "api"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    let rendered: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let env = &rendered["containerDefinitions"][0]["environment"];
    let value = |name: &str| {
        env.as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .map(|e| e["value"].clone())
    };
    assert_eq!(rendered["family"], "api--feature-login", "{rendered}");
    assert_eq!(value("GIT_SHA"), Some(SHA.into()), "{rendered}");
    assert_eq!(value("DYNROUTE_VERSION"), Some("feature-login".into()));

    // Without the CI variables, a named version is all it needs.
    let (code, stdout, stderr) = run_bare(&p, &[], &["render", "-s", "api", "feature-1"]);
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
}

#[test]
fn the_image_recipe_takes_the_binaries_the_release_workflow_lays_out() {
    let dockerfile = std::fs::read_to_string(repo_root().join("deploy/image/Dockerfile")).unwrap();
    let workflow =
        std::fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    let instructions: Vec<&str> = dockerfile
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && !l.trim().is_empty())
        .collect();
    let has = |line: &str| instructions.contains(&line);
    assert!(
        has("COPY --chmod=0555 dist/${TARGETARCH}/dynroute /usr/local/bin/dynroute"),
        "{instructions:#?}"
    );
    assert!(has(r#"ENTRYPOINT ["/usr/local/bin/dynroute"]"#));
    // Not root, and no shell form anywhere (the base has no shell).
    assert!(has("USER 65532:65532"));
    assert!(!instructions.iter().any(|l| l.starts_with("RUN")));
    // The workflow builds both platforms from that recipe, from dist/ARCH.
    for line in [
        "file: deploy/image/Dockerfile",
        "platforms: linux/amd64,linux/arm64",
        "for pair in amd64:x86_64 arm64:aarch64; do",
        r#"install -m 0555 "artifacts/dynroute-${pair#*:}-unknown-linux-musl/dynroute" "dist/$arch/dynroute""#,
    ] {
        assert!(
            workflow.lines().any(|l| l.trim() == line),
            "release.yml lacks `{line}`"
        );
    }
    for target in ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"] {
        assert!(
            workflow.contains(&format!("- target: {target}")),
            "release.yml does not build {target}"
        );
    }
}
