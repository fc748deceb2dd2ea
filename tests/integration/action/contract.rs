//! The contracts between action.yml, its scripts, the release workflow and
//! Cargo.toml, so that none of them drifts from the others.

use std::path::Path;

use serde_yaml::Value;

use crate::harness::repo_root;

const TARGETS: [&str; 3] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "aarch64-apple-darwin",
];

fn yaml(rel: &str) -> Value {
    let text = std::fs::read_to_string(repo_root().join(rel)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every `run:` script of a workflow or action file.
fn run_scripts(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![doc];
    while let Some(v) = stack.pop() {
        match v {
            Value::Mapping(m) => {
                for (k, v) in m {
                    if k.as_str() == Some("run") {
                        out.push(v.as_str().unwrap_or_default().to_owned());
                    } else {
                        stack.push(v);
                    }
                }
            }
            Value::Sequence(s) => stack.extend(s),
            _ => {}
        }
    }
    out
}

#[test]
fn action_installs_this_release_by_default_and_declares_its_outputs() {
    let action = yaml("action.yml");
    assert_eq!(
        action["inputs"]["dynroute-version"]["default"].as_str(),
        Some(env!("CARGO_PKG_VERSION")),
        "action.yml's dynroute-version default must be Cargo.toml's version"
    );
    for input in ["command", "version", "args", "dynroute-version"] {
        assert!(action["inputs"][input].is_mapping(), "input {input}");
    }
    for output in ["version", "header", "urls", "link"] {
        assert_eq!(
            action["outputs"][output]["value"].as_str(),
            Some(format!("${{{{ steps.run.outputs.{output} }}}}").as_str()),
            "output {output}"
        );
    }
}

#[test]
fn no_workflow_or_action_interpolates_expressions_into_shell() {
    let mut files = vec!["action.yml".to_owned()];
    for dir in [".github/workflows", "docs/ci/github"] {
        for e in std::fs::read_dir(repo_root().join(dir)).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".yml") {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    assert!(files.len() >= 5, "{files:?}");
    let mut checked = 0;
    for file in &files {
        for script in run_scripts(&yaml(file)) {
            checked += 1;
            assert!(
                !script.contains("${{"),
                "{file}: an expression inside `run:` (pass it through env):\n{script}"
            );
        }
    }
    assert!(checked >= 10, "only {checked} run scripts found");
    for script in run_scripts(&yaml("action.yml")) {
        assert!(
            script.starts_with("bash \"$GITHUB_ACTION_PATH/action/"),
            "action.yml runs only its scripts: {script}"
        );
    }
}

#[test]
fn release_assets_are_named_as_the_action_and_binstall_expect() {
    let release = yaml(".github/workflows/release.yml");
    let mut built: Vec<String> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap().to_owned())
        .collect();
    built.sort();
    let mut want = TARGETS.map(str::to_owned).to_vec();
    want.sort();
    assert_eq!(built, want, "release targets vs the action's runners");

    let lib = std::fs::read_to_string(repo_root().join("action/lib.sh")).unwrap();
    assert!(
        lib.contains("printf 'dynroute-%s-%s.tar.gz\\n'"),
        "lib.sh asset name"
    );
    for target in TARGETS {
        assert!(lib.contains(target), "lib.sh lacks {target}");
    }
    let workflow =
        std::fs::read_to_string(repo_root().join(".github/workflows/release.yml")).unwrap();
    for needle in [
        "name=\"dynroute-${TAG#v}-$TARGET\"",
        "tar -czf \"$name.tar.gz\" \"$name\"",
        "\"$name.tar.gz.sha256\"",
    ] {
        assert!(workflow.contains(needle), "release.yml lacks {needle}");
    }

    let cargo: toml_like::Table = toml_like::parse(&repo_root().join("Cargo.toml"));
    assert_eq!(
        cargo.get("pkg-url"),
        Some(
            "{ repo }/releases/download/v{ version }/{ name }-{ version }-{ target }{ archive-suffix }"
        )
    );
    assert_eq!(
        cargo.get("bin-dir"),
        Some("{ name }-{ version }-{ target }/{ bin }{ binary-ext }")
    );
    assert_eq!(cargo.get("pkg-fmt"), Some("tgz"));
}

/// Just enough of Cargo.toml: the `key = "value"` lines of
/// `[package.metadata.binstall]` (no TOML parser among the dependencies).
mod toml_like {
    use super::Path;

    pub struct Table(Vec<(String, String)>);

    impl Table {
        pub fn get(&self, key: &str) -> Option<&str> {
            self.0
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        }
    }

    pub fn parse(path: &Path) -> Table {
        let text = std::fs::read_to_string(path).unwrap();
        let mut in_section = false;
        let mut entries = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_section = line == "[package.metadata.binstall]";
            } else if in_section && let Some((k, v)) = line.split_once(" = ") {
                entries.push((k.to_owned(), v.trim_matches('"').to_owned()));
            }
        }
        assert!(
            !entries.is_empty(),
            "no [package.metadata.binstall] in Cargo.toml"
        );
        Table(entries)
    }
}

#[test]
fn preview_recipe_keeps_forks_out_and_one_comment_per_pull_request() {
    let preview = yaml("docs/ci/github/preview.yml");
    let on = &preview["on"];
    assert!(on["pull_request"].is_mapping(), "runs on pull_request");
    assert!(
        on["pull_request_target"].is_null(),
        "never pull_request_target: it hands fork code the base repository's secrets"
    );
    assert_eq!(
        preview["concurrency"]["group"].as_str(),
        Some("dynroute-preview-${{ github.event.pull_request.number }}")
    );
    assert_eq!(
        preview["concurrency"]["cancel-in-progress"].as_bool(),
        Some(false)
    );
    assert_eq!(
        preview["permissions"],
        serde_yaml::from_str::<Value>("{}").unwrap()
    );
    let fork_guard = "github.event.pull_request.head.repo.full_name == github.repository";
    let jobs = preview["jobs"].as_mapping().unwrap();
    assert_eq!(jobs.len(), 2);
    for (name, job) in jobs {
        let condition = job["if"].as_str().unwrap();
        assert!(condition.contains(fork_guard), "{name:?}: {condition}");
        assert_eq!(job["permissions"]["id-token"].as_str(), Some("write"));
        assert_eq!(job["permissions"]["contents"].as_str(), Some("read"));
    }
    let script = run_scripts(&preview).join("\n");
    assert!(script.contains("startswith(\"<!-- dynroute-preview -->\")"));
    assert!(
        script.contains("--method PATCH"),
        "edits the comment it finds"
    );
    let commands: Vec<&str> = jobs
        .values()
        .flat_map(|job| job["steps"].as_sequence().unwrap())
        .filter_map(|step| step["with"]["command"].as_str())
        .collect();
    assert_eq!(commands, vec!["up", "down"]);
}
