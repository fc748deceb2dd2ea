//! Day-two commands and guardrails against the local stack: `extend`,
//! `limits:`, `capacity_provider_strategy_ephemeral:` and
//! `init --from-task-definition`. Every test checks the AWS state (or the
//! files) afterwards. Task definition families are account-wide, not
//! per cluster, so versions on the shared stack have names of their own.

use serde_json::Value;

use crate::harness::Project;
use crate::stack::Stack;

fn service<'a>(services: &'a [Value], name: &str) -> Option<&'a Value> {
    services
        .iter()
        .find(|s| s["name"] == name && s["status"] == "ACTIVE")
}

fn append_config(p: &Project, extra: &str) {
    let path = p.path().join("dynroute.yaml");
    let mut config = std::fs::read_to_string(&path).unwrap();
    config.push_str(extra);
    std::fs::write(path, config).unwrap();
}

#[test]
fn extend_moves_the_expiry_tag_only() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("extend");
    p.ok(&["up", "extend-1", "-s", "api"]);
    let before = stack.services(&cluster);
    let api = service(&before, "api--extend-1").unwrap();
    let old_expiry = api["tags"]["dynroute:expires-at"]
        .as_str()
        .unwrap()
        .to_owned();
    let task_definition = api["taskDefinition"].clone();

    let out: Value =
        serde_json::from_str(&p.ok(&["extend", "extend-1", "--ttl", "10d", "--json"])).unwrap();
    assert_eq!(out["services"], serde_json::json!(["api--extend-1"]));
    let new_expiry = out["expires_at"].as_str().unwrap();
    assert!(
        new_expiry > old_expiry.as_str(),
        "{new_expiry} after {old_expiry}"
    );

    let after = stack.services(&cluster);
    let api = service(&after, "api--extend-1").unwrap();
    assert_eq!(api["tags"]["dynroute:expires-at"], new_expiry);
    assert_eq!(api["taskDefinition"], task_definition, "not redeployed");
    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    assert_eq!(ls[0]["expires_at"], new_expiry);

    let never = p.run(&["extend", "main"]);
    assert_eq!(never.code, 0, "{}", never.stderr);
    assert!(never.stderr.contains("never expires"), "{}", never.stderr);
    let never: Value = serde_json::from_str(&p.ok(&["extend", "main", "--json"])).unwrap();
    assert_eq!(never["protected"], true);
    assert_eq!(never["expires_at"], "never");
    assert_eq!(never["services"], serde_json::json!([]));
}

#[test]
fn extend_of_an_unknown_version_writes_nothing() {
    let stack = Stack::start(false);
    let (p, cluster) = stack.project("extend-unknown");
    p.ok(&["up", "feature-1", "-s", "api"]);
    stack.ctl(&["calls-reset"]);
    p.run(&["extend", "nope"]).expect(
        1,
        &["version `nope` is not deployed", "hint: `dynroute ls`"],
    );
    let calls = stack.rust_calls();
    let services = stack.services(&cluster);
    stack.stop();
    assert!(calls.get("ECS.TagResource").is_none(), "{calls}");
    assert!(
        calls.get("ECS.DescribeServices").is_some(),
        "it looked: {calls}"
    );
    assert!(service(&services, "api--nope").is_none());
}

#[test]
fn extend_bad_input_is_exit_2_before_any_call() {
    let p = Project::example();
    p.usage_error(
        &["extend", "feature-1", "--ttl", "soon"],
        &["--ttl", "invalid duration"],
    );
    append_config(&p, "limits:\n  max_ttl: 5d\n");
    p.usage_error(
        &["extend", "feature-1", "--ttl", "6d"],
        &["limits.max_ttl is 5days"],
    );
    p.usage_error(
        &["extend", "feature-1", "--ttl", "never"],
        &["never expire"],
    );
}

#[test]
fn a_new_version_past_a_limit_is_refused_before_any_write() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("limits");
    append_config(&p, "limits:\n  max_versions: 1\n  max_desired_count: 2\n");
    p.ok(&["up", "limit-1", "-s", "api"]);

    let refused = p.run(&["up", "limit-2", "-s", "api"]);
    refused.expect(
        1,
        &[
            "limits.max_versions is 1 and 1 versions are live",
            "limit-1 (api) by tester",
            "dynroute down VERSION",
            "dynroute prune",
            "dynroute extend",
        ],
    );
    assert!(service(&stack.services(&cluster), "api--limit-2").is_none());

    // Updating a deployed version and deploying a protected one are never blocked.
    p.ok(&["up", "limit-1", "-s", "api", "--image-tag", "two"]);
    p.ok(&["up", "main", "-s", "api"]);
    let services = stack.services(&cluster);
    assert!(service(&services, "api--main").is_some());

    // `web` asks for 2 tasks: within max_desired_count; 3 is not.
    let path = p.path().join("dynroute.yaml");
    let config = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        config.replace("    desired_count: 2", "    desired_count: 3"),
    )
    .unwrap();
    p.ok(&["down", "limit-1", "--yes"]);
    p.run(&["up", "limit-3"]).expect(
        1,
        &["max_desired_count is 2: service `web` asks for 3 tasks"],
    );
    assert!(service(&stack.services(&cluster), "api--limit-3").is_none());
}

#[test]
fn ephemeral_versions_use_their_own_capacity_provider_strategy() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("spot");
    append_config(
        &p,
        "capacity_provider_strategy_ephemeral:\n  - capacity_provider: FARGATE_SPOT\n    weight: 1\n",
    );
    p.ok(&["up", "spot-1", "-s", "api", "--no-wait"]);
    p.ok(&["up", "main", "-s", "api", "--no-wait"]);
    let services = stack.services(&cluster);
    let feature = service(&services, "api--spot-1").unwrap();
    assert_eq!(
        feature["capacityProviderStrategy"][0]["capacityProvider"], "FARGATE_SPOT",
        "{feature}"
    );
    let main = service(&services, "api--main").unwrap();
    assert_eq!(main["launchType"], "FARGATE", "{main}");
}

fn fixture(name: &str) -> String {
    crate::harness::repo_root()
        .join("tests/fixtures/taskdefs")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn init_adopts_describe_output_and_renders_it_back() {
    let p = Project::empty().env("CI", "true");
    let out = p.run(&[
        "init",
        "--cluster",
        "dev",
        "--domain",
        "dev.test",
        "--from-task-definition",
        &fixture("init-describe-fargate-web.json"),
    ]);
    out.expect(
        0,
        &[
            "dropped read-only fields ECS sets on registration: taskDefinitionArn, revision, status, requiresAttributes, compatibilities, registeredAt, registeredBy",
            "removed `family: checkout-web`",
            "the image tag `2024.11.3` of `checkout` became {{ image_tag }}",
            "added service `checkout-web` (container `checkout`, port 8080)",
        ],
    );
    let template = std::fs::read_to_string(p.path().join("templates/checkout-web.yaml")).unwrap();
    assert!(template.contains("checkout:{{ image_tag }}"), "{template}");
    let rendered: Value =
        serde_json::from_str(&p.ok(&["render", "main", "--image-tag", "2024.11.3"])).unwrap();
    assert_eq!(rendered["family"], "checkout-web--main");
    let c = &rendered["containerDefinitions"][0];
    assert_eq!(
        c["image"],
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:2024.11.3"
    );
    assert_eq!(c["secrets"][0]["name"], "DB_PASSWORD");
    assert_eq!(
        rendered["taskRoleArn"],
        "arn:aws:iam::123456789012:role/checkout-task"
    );
    assert_eq!(rendered["cpu"], "512");
    assert!(rendered.get("revision").is_none() && rendered.get("status").is_none());
    assert!(
        rendered["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["key"] == "team")
    );
}

#[test]
fn init_asks_for_the_port_when_a_container_has_two() {
    let p = Project::empty().env("CI", "true");
    let base = [
        "init",
        "--cluster",
        "dev",
        "--domain",
        "dev.test",
        "--from-task-definition",
    ];
    let file = fixture("init-describe-fargate-two-ports.json");
    let mut args: Vec<&str> = base.to_vec();
    args.push(&file);
    p.usage_error(
        &args,
        &["search:9200, search:9300", "--container NAME --port PORT"],
    );
    assert!(p.files().is_empty(), "nothing written: {:?}", p.files());
    args.extend(["--port", "9300"]);
    p.ok(&args);
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    assert!(config.contains("port: 9300"), "{config}");
}

#[test]
fn init_adds_an_adopted_service_to_an_existing_config() {
    let p = Project::example().env("CI", "true");
    p.ok(&[
        "init",
        "--from-task-definition",
        &fixture("init-register-ec2-bridge-sidecar.json"),
        "--service",
        "catalog",
    ]);
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    assert!(config.contains("  catalog:\n    template: templates/catalog.yaml\n    container: \"catalog\"\n    port: 3000\n"), "{config}");
    assert!(config.contains("  api:"), "the rest is kept: {config}");
    let rendered: Value =
        serde_json::from_str(&p.ok(&["render", "main", "-s", "catalog", "--image-tag", "v3.2.0"]))
            .unwrap();
    assert_eq!(
        rendered["containerDefinitions"][0]["image"],
        "registry.example.com:5000/shop/catalog:v3.2.0"
    );
    assert_eq!(rendered["containerDefinitions"][1]["name"], "envoy");
    // Adding it twice is refused.
    p.usage_error(
        &[
            "init",
            "--from-task-definition",
            &fixture("init-register-ec2-bridge-sidecar.json"),
            "--service",
            "catalog",
            "--force",
        ],
        &["service `catalog` is already declared"],
    );
}

#[test]
fn init_of_a_file_that_is_not_a_task_definition_is_exit_2() {
    let p = Project::empty().env("CI", "true").file(
        "service.json",
        "{\"services\": [{\"serviceName\": \"api\"}]}",
    );
    p.usage_error(
        &[
            "init",
            "--cluster",
            "dev",
            "--domain",
            "d.test",
            "--from-task-definition",
            "service.json",
        ],
        &[
            "service.json is not a task definition: it has no `containerDefinitions`",
            "hint:",
        ],
    );
    p.usage_error(
        &[
            "init",
            "--cluster",
            "dev",
            "--domain",
            "d.test",
            "--from-task-definition",
            "missing.json",
        ],
        &["cannot read task definition missing.json"],
    );
    assert_eq!(p.files(), ["service.json"]);
}
