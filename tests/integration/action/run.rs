//! run.sh: literal arguments, and the real dynroute against the local stack.

use std::ffi::OsString;

use serde_json::Value;

use super::{Ran, Runner};
use crate::stack::Stack;

/// `run.sh` with the real dynroute.
fn run_sh(runner: &Runner, command: &str, version: &str, args: &str) -> Ran {
    let bin = assert_cmd::cargo::cargo_bin("dynroute");
    runner.run(
        "run.sh",
        &[
            ("DYNROUTE_COMMAND", command),
            ("DYNROUTE_VERSION_NAME", version),
            ("DYNROUTE_ARGS", args),
            ("DYNROUTE_BIN", bin.to_str().unwrap()),
        ],
    )
}

#[test]
fn action_run_passes_every_argument_literally() {
    let runner = Runner::new();
    let ran = run_sh(&runner, "header", "feature-1", "  --format\n\tjson  ");
    ran.expect(0, &[]);
    let json: Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(json["version"], "feature-1", "{json}");

    // Shell syntax in args stays text: dynroute sees `$(touch` as an argument.
    let ran = run_sh(&runner, "header", "feature-1", "$(touch pwned) ; * \"a b\"");
    ran.expect(2, &["unexpected argument '$(touch' found"]);
    // A version with shell syntax or a line break is one argument that dynroute rejects.
    for version in ["x;touch pwned", "$(touch pwned)", "a\nb"] {
        let ran = run_sh(&runner, "header", version, "");
        assert_eq!(ran.code, 2, "{version:?}: {}", ran.stderr);
        assert!(ran.stderr.contains("error: "), "{}", ran.stderr);
    }
    assert!(!runner.dir("work").join("pwned").exists());

    run_sh(&runner, "header", "--help", "").expect(1, &["not an option"]);
    for command in ["up; touch pwned", "$(id)", "", "-h"] {
        run_sh(&runner, command, "", "").expect(1, &["is not a dynroute command"]);
    }
    // A value quoted in the annotation cannot end it or start another
    // workflow command: `%` is escaped as GitHub decodes it.
    let ran = run_sh(&runner, "%0A::warning::forged", "", "");
    ran.expect(1, &["'%250A::warning::forged'"]);
    assert!(
        !ran.stderr.lines().any(|l| l.starts_with("::warning")),
        "{}",
        ran.stderr
    );
}

#[test]
fn action_run_deploys_lists_and_removes_a_version_on_the_local_stack() {
    let stack = Stack::shared();
    let (project, cluster) = stack.project("action");
    let runner = Runner::new();
    let bin = assert_cmd::cargo::cargo_bin("dynroute");
    // the project's scrubbed environment (stack endpoint, dummy
    // credentials); run.sh runs in the checkout, as in a workflow
    let base: Vec<(OsString, OsString)> = project
        .std_cmd(&[])
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
        .collect();
    let run = |command: &str, version: &str, args: &str| {
        runner.run_in(
            project.path(),
            &base,
            "run.sh",
            &[
                ("DYNROUTE_COMMAND", command),
                ("DYNROUTE_VERSION_NAME", version),
                ("DYNROUTE_ARGS", args),
                ("DYNROUTE_BIN", bin.to_str().unwrap()),
            ],
        )
    };

    let up = run("up", "feature-7", "-s api --image-tag abc --json");
    up.expect(0, &[]);
    let report: Value = serde_json::from_str(&up.stdout).unwrap();
    assert_eq!(report["version"], "feature-7");
    let names: Vec<String> = stack
        .services(&cluster)
        .iter()
        .filter(|s| s["status"] == "ACTIVE")
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, vec!["api--feature-7".to_owned()]);

    let ls = run("ls", "", "--json");
    ls.expect(0, &[]);
    assert!(ls.stdout.contains("\"feature-7\""), "{}", ls.stdout);

    // dynroute's exit codes pass through: a protected version needs --force.
    run("down", "main", "--yes").expect(2, &["version `main` is protected"]);

    run("down", "feature-7", "--yes").expect(0, &[]);
    assert!(
        stack
            .services(&cluster)
            .iter()
            .all(|s| s["status"] != "ACTIVE"),
        "{:?}",
        stack.services(&cluster)
    );
}
