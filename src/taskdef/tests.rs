use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::config::{Overrides, load};

fn project(dir: &Path, extra: &str, template: &str) -> Project {
    std::fs::write(dir.join("api.yaml"), template).unwrap();
    std::fs::write(
        dir.join("dynroute.yaml"),
        format!(
            "cluster: dev\ndomain: dev.example.com\n{extra}services:\n  api:\n    template: api.yaml\n    port: 8080\n"
        ),
    )
    .unwrap();
    load(&dir.join("dynroute.yaml"), &Overrides::default()).unwrap()
}

fn release(version: &str) -> Release {
    Release::fixture(version)
}

fn build_with(extra: &str, template: &str, version: &str) -> Result<TaskDefinition, UserError> {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), extra, template);
    let service = p.services.values().next().unwrap();
    let release = release(version);
    let tags = release.tags(&service.name, None);
    build(&p, service, &release, Arc::new(|_| None)).map(|td| with_tags(td, &tags))
}

const BASIC: &str = "containerDefinitions:\n  - name: api\n    image: \"repo:{{ image_tag }}\"\n  - name: sidecar\n    image: envoy\n    environment:\n      - name: OTEL_PROPAGATORS\n        value: b3\n";

#[test]
fn injects_family_labels_env_and_tags() {
    let td = build_with("", BASIC, "feature-1").unwrap();
    assert_eq!(td.family, Some(Family("api--feature-1".into())));
    let api = &td.container_definitions[0];
    assert_eq!(api.image, "repo:t1");
    let labels = &api.docker_labels.as_ref().unwrap().0;
    assert!(labels["traefik.http.routers.api--feature-1.rule"].contains("HeaderRegexp"));
    assert_eq!(labels["dynroute.version"], "feature-1");
    assert_eq!(
        api.port_mappings.as_ref().unwrap()[0].container_port,
        Some(8080)
    );
    // The sidecar gets telemetry env but no routing labels, and keeps its propagators.
    let sidecar = &td.container_definitions[1];
    assert!(sidecar.docker_labels.is_none());
    let env: Vec<(String, String)> = sidecar
        .environment
        .as_ref()
        .unwrap()
        .0
        .iter()
        .map(|p| (p.name.clone().unwrap(), p.value.clone().unwrap()))
        .collect();
    assert!(env.contains(&("DYNROUTE_VERSION".into(), "feature-1".into())));
    assert!(env.contains(&("OTEL_PROPAGATORS".into(), "b3".into())));
    assert!(env.contains(&(
        "OTEL_RESOURCE_ATTRIBUTES".into(),
        "service.version=feature-1,dynroute.version=feature-1".into()
    )));
    let tags = &td.tags.as_ref().unwrap().0;
    assert!(
        tags.iter()
            .any(|t| t.key == "dynroute:managed" && t.value == "true")
    );
    assert!(
        tags.iter()
            .any(|t| t.key == "dynroute:owner" && t.value == "alice")
    );
}

#[test]
fn the_main_version_routes_without_the_baggage_matcher() {
    let td = build_with("", BASIC, "main").unwrap();
    let labels = &td.container_definitions[0]
        .docker_labels
        .as_ref()
        .unwrap()
        .0;
    assert_eq!(
        labels["traefik.http.routers.api--main.rule"],
        "Host(`api.dev.example.com`)"
    );
    assert_eq!(labels["traefik.http.routers.api--main.priority"], "1");
}

#[test]
fn otel_resource_attributes_are_merged_not_replaced() {
    let t = "containerDefinitions:\n  - name: api\n    image: x\n    environment:\n      - name: OTEL_RESOURCE_ATTRIBUTES\n        value: team=a, service.version=old\n";
    let td = build_with("", t, "v2").unwrap();
    let env = &td.container_definitions[0].environment.as_ref().unwrap().0;
    let attrs = env
        .iter()
        .find(|p| p.name.as_deref() == Some("OTEL_RESOURCE_ATTRIBUTES"))
        .unwrap();
    assert_eq!(
        attrs.value.as_deref(),
        Some("team=a,service.version=v2,dynroute.version=v2")
    );
}

#[test]
fn json_templates_parse_too() {
    let t = r#"{"containerDefinitions": [{"name": "api", "image": "x", "cpu": 128}], "cpu": 256, "memory": "512"}"#;
    let td = build_with("", t, "v").unwrap();
    assert_eq!(td.cpu.as_deref(), Some("256"));
    assert_eq!(td.container_definitions[0].cpu, Some(128));
}

#[test]
fn hand_written_injected_fields_are_errors_with_their_line() {
    let cases = [
        (
            "family: x\ncontainerDefinitions: []\n",
            "`family` is set by dynroute",
            ":1:",
        ),
        (
            "containerDefinitions:\n  - name: api\n    image: x\n    dockerLabels:\n      traefik.enable: \"true\"\n",
            "docker label `traefik.enable` is generated",
            ":5:",
        ),
        (
            "containerDefinitions:\n  - name: api\n    image: x\n    environment:\n      - name: DYNROUTE_VERSION\n        value: x\n",
            "`DYNROUTE_VERSION` is set by dynroute",
            ":5:",
        ),
        (
            "containerDefinitions:\n  - name: api\n    image: x\ntags:\n  - key: dynroute:owner\n    value: me\n",
            "tag `dynroute:owner` is set by dynroute",
            ":5:",
        ),
    ];
    for (template, expected, position) in cases {
        let err = build_with("", template, "v").unwrap_err();
        assert!(err.message.contains(expected), "{}", err.message);
        assert!(
            err.message.contains(position),
            "{} lacks {position}",
            err.message
        );
    }
}

#[test]
fn unknown_fields_are_named_with_a_suggestion() {
    let err = build_with(
        "",
        "containerDefinitions:\n  - name: api\n    image: x\n    portMapping: []\n",
        "v",
    )
    .unwrap_err();
    assert!(err.message.contains(":4:"), "{}", err.message);
    assert!(
        err.message.contains("unknown field `portMapping`"),
        "{}",
        err.message
    );
    assert_eq!(err.hint.as_deref(), Some("did you mean `portMappings`?"));

    let err = build_with(
        "",
        "taskDefinitionArn: arn\ncontainerDefinitions: []\n",
        "v",
    )
    .unwrap_err();
    assert!(err.hint.unwrap().contains("output-only fields"));
}

#[test]
fn the_routed_container_must_exist() {
    let err = build_with(
        "",
        "containerDefinitions:\n  - name: app\n    image: x\n",
        "v",
    )
    .unwrap_err();
    assert!(
        err.message.contains("no container named `api`"),
        "{}",
        err.message
    );
    assert!(err.message.contains("containers: app"));
}

#[test]
fn a_missing_template_names_the_config_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path(), "", BASIC);
    std::fs::remove_file(dir.path().join("api.yaml")).unwrap();
    let service = p.services.values().next().unwrap();
    let release = release("v");
    let err = build(&p, service, &release, Arc::new(|_| None)).unwrap_err();
    assert!(
        err.message.contains("cannot read template"),
        "{}",
        err.message
    );
    assert!(err.hint.unwrap().contains("services.api.template"));
}

#[test]
fn set_overrides_win_over_config_vars() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("api.yaml"),
        "containerDefinitions:\n  - name: api\n    image: \"{{ vars.repo }}\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("dynroute.yaml"),
        "cluster: dev\ndomain: d.io\nservices:\n  api:\n    template: api.yaml\n    port: 1\n    vars: { repo: from-config }\n",
    )
    .unwrap();
    let p = load(&dir.path().join("dynroute.yaml"), &Overrides::default()).unwrap();
    let service = p.services.values().next().unwrap();
    let mut release = release("v");
    release.var_overrides = vec![("repo".into(), "from-flag".into())];
    let td = build(&p, service, &release, Arc::new(|_| None)).unwrap();
    assert_eq!(td.container_definitions[0].image, "from-flag");
}

fn container(extra: &str) -> String {
    format!("containerDefinitions:\n  - name: api\n    image: r\n{extra}")
}

#[test]
fn reserved_prefixes_are_matched_in_any_case_like_traefik_and_aws() {
    let cases = [
        (
            "    dockerLabels:\n      Traefik.http.routers.x.rule: y\n",
            "`Traefik.http.routers.x.rule` is generated",
        ),
        (
            "    dockerLabels:\n      TRAEFIK.enable: \"true\"\n",
            "`TRAEFIK.enable` is generated",
        ),
        (
            "    dockerLabels:\n      \"traefi\u{212A}.enable\": \"true\"\n",
            "is generated",
        ),
        (
            "    dockerLabels:\n      Dynroute.version: x\n",
            "`Dynroute.version` is generated",
        ),
        (
            "tags:\n  - key: Dynroute:version\n    value: x\n",
            "tag `Dynroute:version` is set by dynroute",
        ),
        ("tags:\n  - key: AWS:x\n    value: x\n", "reserved by AWS"),
    ];
    for (extra, needle) in cases {
        let err = build_with("", &container(extra), "feature-1").unwrap_err();
        assert!(err.message.contains(needle), "{extra}: {}", err.message);
        assert!(err.message.contains("api.yaml:"), "{}", err.message);
    }
}

#[test]
fn values_ecs_would_reject_are_errors_before_any_call() {
    let err = build_with(
        "",
        &format!("{}  - name: api\n    image: s\n", container("")),
        "f",
    )
    .unwrap_err();
    assert!(
        err.message.contains("two containers are named `api`"),
        "{}",
        err.message
    );

    let err = build_with(
        "",
        &container(
            "    secrets:\n      - name: OTEL_RESOURCE_ATTRIBUTES\n        valueFrom: arn:x\n",
        ),
        "f",
    )
    .unwrap_err();
    assert!(
        err.message
            .contains("secret `OTEL_RESOURCE_ATTRIBUTES` would clash"),
        "{}",
        err.message
    );
    let err = build_with(
        "",
        &container("    secrets:\n      - name: DYNROUTE_VERSION\n        valueFrom: arn:x\n"),
        "f",
    )
    .unwrap_err();
    assert!(
        err.message.contains("secret `DYNROUTE_VERSION`"),
        "{}",
        err.message
    );

    let two = "    environment:\n      - name: OTEL_RESOURCE_ATTRIBUTES\n        value: a=1\n      - name: OTEL_RESOURCE_ATTRIBUTES\n        value: b=2\n";
    let err = build_with("", &container(two), "f").unwrap_err();
    assert!(err.message.contains("is set 2 times"), "{}", err.message);

    let err = build_with("", &format!("family: null\n{}", container("")), "f").unwrap_err();
    assert!(err.message.contains("api.yaml:1:"), "{}", err.message);
    assert!(
        err.message.contains("`family` is set by dynroute"),
        "{}",
        err.message
    );

    let tags: String = (0..45)
        .map(|i| format!("  - key: k{i}\n    value: v\n"))
        .collect();
    let err = build_with("", &format!("tags:\n{tags}{}", container("")), "f").unwrap_err();
    assert!(
        err.message
            .contains("tags with the ones dynroute adds; ECS allows at most 50"),
        "{}",
        err.message
    );
    let tags: String = (0..40)
        .map(|i| format!("  - key: k{i}\n    value: v\n"))
        .collect();
    build_with("", &format!("tags:\n{tags}{}", container("")), "f").unwrap();

    let big = format!("    command: [\"{}\"]\n", "x".repeat(70 * 1024));
    let err = build_with("", &container(&big), "f").unwrap_err();
    assert!(
        err.message.contains("ECS accepts at most 65536"),
        "{}",
        err.message
    );
}

/// The request shapes ECS refuses that moto accepted: each refused before any
/// call, with the rule and where ECS documents it.
#[test]
fn requests_ecs_refuses_are_errors_with_their_rule() {
    let fargate = |cpu: &str, memory: &str| {
        format!(
            "networkMode: awsvpc\nrequiresCompatibilities: [FARGATE]\ncpu: \"{cpu}\"\nmemory: \"{memory}\"\ncontainerDefinitions:\n  - name: api\n    image: x\n"
        )
    };
    let err = build_with("", &fargate("256", "4096"), "v1").unwrap_err();
    assert!(err.message.contains("Fargate does not offer cpu 256 with memory 4096; with cpu 256 memory is one of 512, 1024, 2048 (MiB)"), "{}", err.message);
    assert!(
        err.message.contains("fargate-tasks-services.html"),
        "{}",
        err.message
    );
    assert!(build_with("", &fargate("1 vCPU", "2 GB"), "v1").is_ok());

    let tagged = "containerDefinitions:\n  - name: api\n    image: x\ntags:\n  - {key: \"Cost Center\", value: \"R&D (EU)\"}\n";
    let err = build_with("", tagged, "v1").unwrap_err();
    assert!(
        err.message.contains("has characters ECS refuses"),
        "{}",
        err.message
    );
    let empty_key =
        "containerDefinitions:\n  - name: api\n    image: x\ntags:\n  - {key: \"\", value: v}\n";
    assert!(
        build_with("", empty_key, "v1")
            .unwrap_err()
            .message
            .contains("ECS takes 1 to 128")
    );

    let none = "networkMode: none\ncontainerDefinitions:\n  - name: api\n    image: x\n";
    let err = build_with("", none, "v1").unwrap_err();
    assert!(
        err.message.contains("networkMode none has no network"),
        "{}",
        err.message
    );

    let ec2 =
        "requiresCompatibilities: [EC2]\ncontainerDefinitions:\n  - name: api\n    image: x\n";
    let err = build_with("", ec2, "v1").unwrap_err();
    assert!(
        err.message.contains(
            "needs `memory` or `memoryReservation` on every container; `api` has neither"
        ),
        "{}",
        err.message
    );
    assert!(
        build_with(
            "",
            &ec2.replace("image: x\n", "image: x\n    memory: 256\n"),
            "v1"
        )
        .is_ok()
    );

    let depends = "containerDefinitions:\n  - name: api\n    image: x\n    dependsOn: [{containerName: migrate, condition: SUCCESS}]\n";
    let err = build_with("", depends, "v1").unwrap_err();
    assert!(
        err.message
            .contains("dependsOn `migrate`, which is not a container"),
        "{}",
        err.message
    );
}

#[test]
fn service_rules_are_checked_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let awsvpc = "networkMode: awsvpc\ncontainerDefinitions:\n  - name: api\n    image: x\n    memory: 256\n";
    let check = |extra: &str| {
        let p = project(dir.path(), extra, awsvpc);
        let service = p.services.values().next().unwrap();
        let td = build(&p, service, &release("v1"), Arc::new(|_| None)).unwrap();
        ecs_rules::check_service(&td, &p, service)
    };
    let err = check(
        "launch_type: EC2\nnetwork: {subnets: [s], security_groups: [g], assign_public_ip: true}\n",
    )
    .unwrap_err();
    assert!(
        err.message
            .contains("ECS assigns public IPs to Fargate tasks only"),
        "{}",
        err.message
    );
    assert!(check("launch_type: EC2\nnetwork: {subnets: [s], security_groups: [g]}\n").is_ok());
    let err = check("capacity_provider_strategy: [{capacity_provider: spot, weight: 0}]\nnetwork: {subnets: [s]}\n").unwrap_err();
    assert!(
        err.message.contains("at least one needs a weight above 0"),
        "{}",
        err.message
    );
    // A weight left out is 1, a strategy ECS takes.
    assert!(
        check("capacity_provider_strategy: [{capacity_provider: spot}]\nnetwork: {subnets: [s]}\n")
            .is_ok()
    );
    let err = check("capacity_provider_strategy: [{capacity_provider: spot, weight: -2}]\nnetwork: {subnets: [s]}\n").unwrap_err();
    assert!(
        err.message.contains("ECS takes 0 to 1000"),
        "{}",
        err.message
    );
}
