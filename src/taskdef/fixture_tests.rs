//! Every task definition in tests/fixtures/taskdefs renders, parses, and keeps
//! every field it was written with.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::parse;
use crate::template::{GitVars, TemplateVars, render};

fn vars() -> TemplateVars {
    TemplateVars {
        version: "feature-1".parse().unwrap(),
        version_id: "feature_1".into(),
        project: "shop".into(),
        service: "api".parse().unwrap(),
        cluster: "dev".into(),
        image_tag: "abc123".into(),
        git: GitVars::default(),
        owner: "alice".into(),
        vars: [(
            "image_repo".to_string(),
            serde_yaml::Value::from("repo/app"),
        )]
        .into_iter()
        .collect(),
    }
}

/// The dotted paths of every non-null value (list items share their list's path).
fn paths(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                if !v.is_null() {
                    let path = format!("{prefix}.{k}");
                    out.insert(path.clone());
                    paths(v, &path, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| paths(i, prefix, out)),
        _ => {}
    }
}

#[test]
fn every_fixture_renders_and_keeps_its_fields() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/taskdefs");
    let mut rendered = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        // `init-*` files are task definitions as AWS prints them (read-only
        // fields, the describe wrapper): inputs of `init --from-task-definition`.
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name == "README.md" || name.starts_with("init-") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let text = render(&path, &source, &vars(), Arc::new(|_| None))
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let td = parse(&path, &text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));

        let written: serde_json::Value =
            serde_yaml::from_str(&crate::template::placeholders::decode(&text)).unwrap();
        let mut expected = BTreeSet::new();
        paths(&written, "", &mut expected);
        let mut got = BTreeSet::new();
        paths(&serde_json::to_value(&td).unwrap(), "", &mut got);
        let lost: Vec<&String> = expected.difference(&got).collect();
        assert!(lost.is_empty(), "{}: lost {lost:?}", path.display());
        rendered += 1;
    }
    assert_eq!(rendered, 8, "fixtures in {}", dir.display());
}
