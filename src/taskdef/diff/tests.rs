use serde_json::json;

use super::*;

fn request() -> Value {
    json!({
        "family": "api--feature-1",
        "networkMode": "awsvpc",
        "containerDefinitions": [{
            "name": "api",
            "image": "repo/api:abc",
            "portMappings": [{"containerPort": 8080}],
            "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}]
        }],
        "tags": [
            {"key": "dynroute:version", "value": "feature-1"},
            {"key": "dynroute:created-at", "value": "2026-12-01T10:00:00Z"}
        ]
    })
}

/// What DescribeTaskDefinition --include TAGS answers for the same request.
fn described() -> Value {
    json!({
        "taskDefinition": {
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/api--feature-1:3",
            "revision": 3,
            "status": "ACTIVE",
            "compatibilities": ["EC2", "FARGATE"],
            "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.docker-remote-api.1.18"}],
            "registeredAt": "2026-12-01T10:00:01Z",
            "volumes": [],
            "placementConstraints": [],
            "family": "api--feature-1",
            "networkMode": "awsvpc",
            "containerDefinitions": [{
                "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                "essential": true,
                "cpu": 0,
                "mountPoints": [],
                "volumesFrom": [],
                "image": "repo/api:abc",
                "name": "api",
                "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}]
            }]
        },
        "tags": [
            {"key": "dynroute:created-at", "value": "2026-11-30T09:00:00Z"},
            {"key": "dynroute:version", "value": "feature-1"}
        ]
    })
}

#[test]
fn an_unchanged_template_shows_no_diff() {
    let (a, b) = (normalise(&described()), normalise(&request()));
    assert_eq!(a, b);
    assert_eq!(unified(&a, &b, "deployed", "up"), "");
    assert!(changed_paths(&a, &b).is_empty());
}

#[test]
fn a_changed_image_and_a_new_variable_are_shown_with_their_paths() {
    let mut new = request();
    new["containerDefinitions"][0]["image"] = json!("repo/api:def");
    new["containerDefinitions"][0]["environment"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "C", "value": "3"}));
    let (a, b) = (normalise(&described()), normalise(&new));
    let text = unified(&a, &b, "deployed", "up");
    assert!(text.starts_with("--- deployed\n+++ up\n"), "{text}");
    assert!(
        text.contains("-      \"image\": \"repo/api:abc\""),
        "{text}"
    );
    assert!(
        text.contains("+      \"image\": \"repo/api:def\""),
        "{text}"
    );
    assert_eq!(
        changed_paths(&a, &b),
        [
            "containerDefinitions[api].environment",
            "containerDefinitions[api].image"
        ]
    );
}

#[test]
fn a_non_default_value_is_kept() {
    let mut new = request();
    new["containerDefinitions"][0]["essential"] = json!(false);
    new["containerDefinitions"][0]["portMappings"][0]["protocol"] = json!("udp");
    let paths = changed_paths(&normalise(&described()), &normalise(&new));
    assert_eq!(
        paths,
        [
            "containerDefinitions[api].essential",
            "containerDefinitions[api].portMappings[0].protocol"
        ]
    );
}

#[test]
fn against_another_version_only_what_the_templates_decide_is_compared() {
    let version = |v: &str, image: &str| {
        normalise(&json!({
            "family": format!("api--{v}"),
            "containerDefinitions": [{
                "name": "api",
                "image": image,
                "dockerLabels": {
                    format!("traefik.http.routers.api--{v}.rule"): "Host(`a`)",
                    "dynroute.version": v,
                    "team": "payments"
                },
                "environment": [
                    {"name": "DYNROUTE_VERSION", "value": v},
                    {"name": "OTEL_RESOURCE_ATTRIBUTES", "value": format!("team=a,service.version={v},dynroute.version={v}")},
                    {"name": "LOG_LEVEL", "value": "info"}
                ]
            }],
            "tags": [{"key": "dynroute:version", "value": v}, {"key": "cost-centre", "value": "42"}]
        }))
    };
    let main = without_identity(&version("main", "repo/api:1"));
    let same = without_identity(&version("feature-1", "repo/api:1"));
    assert_eq!(main, same);
    assert_eq!(
        main["containerDefinitions"][0]["dockerLabels"],
        json!({"team": "payments"})
    );
    assert_eq!(
        main["containerDefinitions"][0]["environment"],
        json!([
            {"name": "LOG_LEVEL", "value": "info"},
            {"name": "OTEL_RESOURCE_ATTRIBUTES", "value": "team=a"}
        ])
    );
    assert_eq!(main["tags"], json!([{"key": "cost-centre", "value": "42"}]));
    let changed = without_identity(&version("feature-1", "repo/api:2"));
    assert_eq!(
        changed_paths(&main, &changed),
        ["containerDefinitions[api].image"]
    );
}

#[test]
fn what_ecs_answers_for_left_out_fields_counts_as_unchanged() {
    // Bridge on EC2: ECS leaves `networkMode` out, answers `hostPort: 0` for a
    // dynamic port, drops an empty role and adds `enableFaultInjection: false`.
    let request = json!({"family": "api--v", "networkMode": "bridge", "taskRoleArn": "",
        "containerDefinitions": [{"name": "api", "image": "a:1", "memory": 256,
            "portMappings": [{"containerPort": 8080}]}]});
    let answer = json!({"taskDefinition": {"family": "api--v", "revision": 3, "enableFaultInjection": false,
        "containerDefinitions": [{"name": "api", "image": "a:1", "memory": 256, "cpu": 0, "essential": true,
            "portMappings": [{"containerPort": 8080, "hostPort": 0, "protocol": "tcp"}],
            "environment": [], "mountPoints": [], "volumesFrom": [], "systemControls": []}]}});
    assert_eq!(normalise(&request), normalise(&answer));
    // Each rule is that narrow: a fixed host port, a role, fault injection on,
    // or another network mode stay differences.
    for (path, value) in [
        (
            "/containerDefinitions/0/portMappings/0/hostPort",
            json!(8080),
        ),
        ("/taskRoleArn", json!("arn:aws:iam::123456789012:role/api")),
        ("/enableFaultInjection", json!(true)),
        ("/networkMode", json!("host")),
    ] {
        let mut changed = request.clone();
        let (parent, key) = path.rsplit_once('/').unwrap();
        changed.pointer_mut(parent).unwrap()[key] = value;
        assert_ne!(normalise(&changed), normalise(&answer), "{path}");
    }
}
