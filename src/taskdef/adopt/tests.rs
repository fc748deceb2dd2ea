use std::path::{Path, PathBuf};

use super::*;
use crate::config::{self, Overrides};
use crate::taskdef::release::Release;
use crate::template::process_env;

fn fixture(name: &str) -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/taskdefs")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    (path, text)
}

/// The fixture as RegisterTaskDefinition would take it: no wrapper, no read-only fields, no family.
fn expected(text: &str) -> Value {
    let mut top: Map<String, Value> = serde_json::from_str(text).unwrap();
    let mut td = match top.remove("taskDefinition") {
        Some(Value::Object(inner)) => {
            let mut inner = inner;
            if let Some(tags) = top.remove("tags").filter(|t| !is_empty(t)) {
                inner.insert("tags".into(), tags);
            }
            // describe output lists every field, empty or not; adoption drops the empty ones.
            drop_empty(&mut inner);
            inner
        }
        _ => top,
    };
    for key in crate::taskdef::output_only_fields().chain(["family"]) {
        td.remove(key);
    }
    let mut v = Value::Object(td);
    drop_empty_environments(&mut v);
    v
}

/// dynroute adds environment variables to every container, so a container
/// without any comes back with an empty list once those are taken out.
fn drop_empty_environments(td: &mut Value) {
    for c in td["containerDefinitions"].as_array_mut().unwrap() {
        let c = c.as_object_mut().unwrap();
        if c.get("environment").is_some_and(is_empty) {
            c.remove("environment");
        }
    }
}

/// The rendered task definition without what dynroute injects.
fn without_injected(td: &TaskDefinition) -> Value {
    let mut v = serde_json::to_value(td).unwrap();
    let obj = v.as_object_mut().unwrap();
    obj.remove("family");
    for c in obj["containerDefinitions"].as_array_mut().unwrap() {
        let c = c.as_object_mut().unwrap();
        if let Some(Value::Array(env)) = c.get_mut("environment") {
            env.retain(|e| {
                ![
                    "DYNROUTE_VERSION",
                    "OTEL_RESOURCE_ATTRIBUTES",
                    "OTEL_PROPAGATORS",
                ]
                .contains(&e["name"].as_str().unwrap_or_default())
            });
        }
        if let Some(Value::Object(labels)) = c.get_mut("dockerLabels") {
            labels.retain(|k, _| !k.starts_with("traefik.") && !k.starts_with("dynroute."));
            if labels.is_empty() {
                c.remove("dockerLabels");
            }
        }
    }
    drop_empty_environments(&mut v);
    v
}

/// Adopts the fixture, writes a project around the template, renders it back.
fn round_trip(name: &str, container: &str, port: u16) -> (Value, Value) {
    let (path, text) = fixture(name);
    let mut adopted = parse(&path.display().to_string(), &text).unwrap();
    let tag = template_image_tag(&mut adopted.task_definition, container).unwrap();
    let template = template_text(&adopted.task_definition, "svc", name);
    assert!(template.contains("{{ image_tag }}"), "{template}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("templates/svc.yaml"), &template).unwrap();
    let config = format!(
        "cluster: dev\ndomain: dev.test\nservices:\n  svc:\n    template: templates/svc.yaml\n    container: {container}\n    port: {port}\n"
    );
    std::fs::write(dir.path().join("dynroute.yaml"), config).unwrap();
    let project = config::load(&dir.path().join("dynroute.yaml"), &Overrides::default()).unwrap();
    let service = project.services.values().next().unwrap();
    let release = Release {
        image_tag: tag,
        project: project.project.clone(),
        ..Release::fixture("main")
    };
    let rendered = crate::taskdef::build(&project, service, &release, process_env()).unwrap();
    (without_injected(&rendered), expected(&text))
}

#[test]
fn describe_output_round_trips() {
    let (rendered, expected) = round_trip("init-describe-fargate-web.json", "checkout", 8080);
    assert_eq!(rendered, expected);
}

#[test]
fn register_input_with_a_sidecar_round_trips() {
    let (rendered, expected) = round_trip("init-register-ec2-bridge-sidecar.json", "catalog", 3000);
    assert_eq!(rendered, expected);
}

#[test]
fn two_ports_round_trip_with_the_chosen_one() {
    let (rendered, expected) = round_trip("init-describe-fargate-two-ports.json", "search", 9200);
    assert_eq!(rendered, expected);
}

#[test]
fn read_only_fields_and_family_are_dropped_with_notes() {
    let (_, text) = fixture("init-describe-fargate-web.json");
    let adopted = parse("td.json", &text).unwrap();
    assert_eq!(adopted.family.as_deref(), Some("checkout-web"));
    let notes = adopted.notes.join("\n");
    for needle in [
        "unwrapped the `taskDefinition`",
        "taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt, registeredBy",
        "removed `family: checkout-web`",
    ] {
        assert!(notes.contains(needle), "{needle}: {notes}");
    }
    let tags = adopted.task_definition.tags.unwrap();
    assert_eq!(tags.0.len(), 2, "the tags beside the wrapper are kept");
}

#[test]
fn routable_containers_and_ports_are_detected() {
    let (_, text) = fixture("init-register-ec2-bridge-sidecar.json");
    let adopted = parse("td.json", &text).unwrap();
    assert_eq!(
        routable(&adopted.task_definition),
        [("catalog".into(), 3000)]
    );
    let (_, text) = fixture("init-describe-fargate-two-ports.json");
    let adopted = parse("td.json", &text).unwrap();
    assert_eq!(routable(&adopted.task_definition).len(), 2);
}

#[test]
fn image_tags_split_past_a_registry_port() {
    assert_eq!(
        split_tag("registry.example.com:5000/shop/catalog:v3.2.0"),
        Some(("registry.example.com:5000/shop/catalog", "v3.2.0"))
    );
    assert_eq!(split_tag("registry.example.com:5000/shop/catalog"), None);
    assert_eq!(split_tag("repo@sha256:abc"), None);
    assert_eq!(split_tag("nginx"), None);
}

#[test]
fn what_is_not_a_task_definition_says_so() {
    for (text, needle) in [
        ("[1, 2]", "expected a JSON object"),
        ("{\"services\": []}", "no `containerDefinitions`"),
        (
            "{\"containerDefinitions\": []}",
            "`containerDefinitions` is empty",
        ),
        ("{\"taskDefinition\": 3}", "not an object"),
        (
            "{\"containerDefinitions\": [{\"name\": \"a\", \"image\": \"x:1\", \"bogus\": 1}]}",
            "unknown field `bogus`",
        ),
        ("{ not json", "not JSON (line 1"),
    ] {
        let err = parse("td.json", text).unwrap_err();
        assert!(
            err.message.starts_with("td.json is not a task definition"),
            "{}",
            err.message
        );
        assert!(err.message.contains(needle), "{needle}: {}", err.message);
        assert!(err.hint.is_some());
    }
}

#[test]
fn what_dynroute_injects_is_removed_from_an_adopted_revision() {
    let text = r#"{"family": "api--main", "containerDefinitions": [{"name": "api", "image": "x:1",
        "dockerLabels": {"traefik.enable": "true", "team": "a"},
        "environment": [{"name": "DYNROUTE_VERSION", "value": "main"}]}],
        "tags": [{"key": "dynroute:managed", "value": "true"}]}"#;
    let adopted = parse("td.json", text).unwrap();
    let c = &adopted.task_definition.container_definitions[0];
    assert_eq!(c.docker_labels.as_ref().unwrap().0.len(), 1);
    assert!(c.environment.as_ref().unwrap().0.is_empty());
    assert!(adopted.task_definition.tags.is_none());
    assert!(
        adopted
            .notes
            .iter()
            .any(|n| n.contains("docker label traefik.enable"))
    );
}

#[test]
fn a_source_name_with_a_line_break_stays_in_its_comment() {
    let adopted = parse(
        "f.json",
        r#"{"containerDefinitions": [{"name": "api", "image": "a:1"}]}"#,
    )
    .unwrap();
    let text = template_text(
        &adopted.task_definition,
        "api",
        "evil\npidMode: host\n#.json",
    );
    assert!(!text.lines().any(|l| l.starts_with("pidMode")), "{text}");
    assert!(
        text.starts_with(
            "# Task definition template for `api`, adopted from evil?pidMode: host?#.json.\n"
        ),
        "{text}"
    );
}
