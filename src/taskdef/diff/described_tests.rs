//! The normaliser on real ECS answers: each pair in tests/fixtures/described is
//! a RegisterTaskDefinition request and the task definition ECS answered for
//! it. Rendering the request (parsed into dynroute's model and written back, as
//! `render` and `up` do) and the answer must normalise to the same value, or
//! `up` would register a new revision although nothing changed.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{changed_paths, normalise};

fn pairs() -> Vec<(String, PathBuf, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/described");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".request.json").map(str::to_owned)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let request = dir.join(format!("{n}.request.json"));
            let described = dir.join(format!("{n}.described.json"));
            (n, request, described)
        })
        .collect()
}

/// The request as `render` sends it: the template is the request without its
/// family, which dynroute sets.
fn rendered(path: &Path) -> Value {
    let mut request: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let family = request
        .as_object_mut()
        .unwrap()
        .remove("family")
        .expect("a family");
    let template = serde_json::to_string_pretty(&request).unwrap();
    let mut td = crate::taskdef::parse(path, &template).unwrap_or_else(|e| panic!("{e:?}"));
    td.family = Some(crate::taskdef::model::Family(
        family.as_str().unwrap().to_owned(),
    ));
    serde_json::to_value(td).unwrap()
}

#[test]
fn every_real_answer_normalises_like_the_request_that_registered_it() {
    let pairs = pairs();
    assert_eq!(pairs.len(), 4, "pairs in tests/fixtures/described");
    for (name, request, described) in pairs {
        let answer: Value =
            serde_json::from_str(&std::fs::read_to_string(&described).unwrap()).unwrap();
        let (old, new) = (normalise(&answer), normalise(&rendered(&request)));
        assert_eq!(changed_paths(&old, &new), Vec::<String>::new(), "{name}");
        assert_eq!(old, new, "{name}");
    }
}

#[test]
fn a_changed_request_is_still_told_apart_from_the_answer() {
    for (name, request, described) in pairs() {
        let answer: Value =
            serde_json::from_str(&std::fs::read_to_string(&described).unwrap()).unwrap();
        let mut changed = rendered(&request);
        changed["containerDefinitions"][0]["image"] = "example/other:1".into();
        assert_eq!(
            changed_paths(&normalise(&answer), &normalise(&changed)),
            [format!(
                "containerDefinitions[{}].image",
                changed["containerDefinitions"][0]["name"].as_str().unwrap()
            )],
            "{name}"
        );
    }
}
