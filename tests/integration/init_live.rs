//! `init --from-task-definition FAMILY[:REV]` and `--from-service NAME` read
//! the task definition from ECS (the local stack) and adopt it exactly as
//! they adopt the same task definition from a file: each fixture is registered
//! in the emulator, adopted live and from its file, and both projects render
//! the same task definition.

use serde_json::Value;

use crate::harness::{Project, repo_root};
use crate::stack::Stack;

fn fixture(name: &str) -> String {
    repo_root()
        .join("tests/fixtures/taskdefs")
        .join(name)
        .display()
        .to_string()
}

fn render(p: &Project, image_tag: &str) -> Value {
    let out = p.ok(&["render", "main", "--image-tag", image_tag]);
    let mut v: Value = serde_json::from_str(&out).unwrap();
    // The render's own time and project (named after the temporary folder) are not the adoption's.
    if let Some(tags) = v["tags"].as_array_mut() {
        tags.retain(|t| {
            ![
                "dynroute:created-at",
                "dynroute:updated-at",
                "dynroute:expires-at",
                "dynroute:project",
            ]
            .contains(&t["key"].as_str().unwrap_or_default())
        });
    }
    v
}

#[test]
fn a_live_task_definition_is_adopted_as_its_file_is() {
    let stack = Stack::shared();
    let cases: [(&str, &[&str], &str); 3] = [
        ("init-describe-fargate-web.json", &[], "2024.11.3"),
        (
            "init-describe-fargate-two-ports.json",
            &["--port", "9300"],
            "8.15.0",
        ),
        (
            "init-register-ec2-bridge-sidecar.json",
            &["--service", "catalog"],
            "v3.2.0",
        ),
    ];
    for (file, extra, tag) in cases {
        let registered = stack.ctl(&["register-task-definition", "--file", &fixture(file)]);
        let arn = registered["taskDefinitionArn"].as_str().unwrap().to_owned();
        let family = registered["family"].as_str().unwrap().to_owned();
        let revision = registered["revision"].to_string();
        let base = [
            "init",
            "--cluster",
            "dev",
            "--region",
            "us-east-1",
            "--domain",
            "dev.test",
        ];

        let from_file = Project::empty().env("CI", "true");
        let mut args: Vec<&str> = base.to_vec();
        let path = fixture(file);
        args.extend(["--from-task-definition", path.as_str()]);
        args.extend(extra);
        from_file.ok(&args);

        for name in [family.clone(), format!("{family}:{revision}"), arn.clone()] {
            let live = Project::empty()
                .env("CI", "true")
                .env("AWS_ENDPOINT_URL", &stack.endpoint());
            let mut args: Vec<&str> = base.to_vec();
            args.extend(["--from-task-definition", name.as_str()]);
            args.extend(extra);
            let out = live.run(&args);
            assert_eq!(out.code, 0, "{file} as {name}: {}", out.stderr);
            assert!(
                out.stderr.contains("unwrapped the `taskDefinition`")
                    && out.stderr.contains("dropped read-only fields ECS sets on registration: taskDefinitionArn, revision, status"),
                "{name}: {}",
                out.stderr
            );
            assert_eq!(
                std::fs::read_to_string(live.path().join("dynroute.yaml")).unwrap(),
                std::fs::read_to_string(from_file.path().join("dynroute.yaml")).unwrap(),
                "{file} as {name}"
            );
            // ECS (and the emulator) describe a registered definition with the
            // defaults it fills in (`cpu: 0`, `essential: true`, ...): compared
            // the way `dynroute diff` compares, so those count as equal.
            let (a, b) = (render(&live, tag), render(&from_file, tag));
            assert_eq!(
                dynroute::taskdef::diff::normalise(&a),
                dynroute::taskdef::diff::normalise(&b),
                "{file} as {name}: live and file adoption render the same"
            );
            let containers = |v: &Value| v["containerDefinitions"].as_array().unwrap().len();
            assert_eq!(containers(&a), containers(&b), "{file} as {name}");
        }
    }
}

#[test]
fn a_service_s_running_task_definition_is_adopted() {
    let stack = Stack::shared();
    let cluster = stack.cluster("initsvc");
    stack.ctl(&[
        "create-unmanaged-service",
        "--cluster",
        &cluster,
        "--name",
        "orders-prod",
        "--image",
        "example/orders:4.1",
        "--port",
        "9000",
    ]);
    let p = Project::empty()
        .env("CI", "true")
        .env("AWS_ENDPOINT_URL", &stack.endpoint());
    let out = p.run(&[
        "init",
        "--cluster",
        &cluster,
        "--region",
        "us-east-1",
        "--domain",
        "dev.test",
        "--from-service",
        "orders-prod",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("added service `orders-prod` (container `app`, port 9000)"),
        "{}",
        out.stderr
    );
    let rendered = render(&p, "4.1");
    let c = &rendered["containerDefinitions"][0];
    assert_eq!(c["image"], "example/orders:4.1");
    assert!(
        c["environment"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "OWNER"),
        "{c}"
    );
    assert!(
        rendered["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["key"] == "team" && t["value"] == "other"),
        "tags were read with the task definition: {rendered}"
    );
}

#[test]
fn a_missing_service_or_family_writes_nothing() {
    let stack = Stack::shared();
    let cluster = stack.cluster("initmissing");
    let p = Project::empty()
        .env("CI", "true")
        .env("AWS_ENDPOINT_URL", &stack.endpoint());
    let base = [
        "init",
        "--cluster",
        &cluster,
        "--region",
        "us-east-1",
        "--domain",
        "dev.test",
    ];
    let mut args = base.to_vec();
    args.extend(["--from-service", "nothing-here"]);
    p.run(&args).expect(
        1,
        &["there is no service `nothing-here` on cluster", "hint:"],
    );
    let mut args = base.to_vec();
    args.extend(["--from-task-definition", "no-such-family:3"]);
    p.run(&args).expect(
        1,
        &["ECS has no task definition `no-such-family:3`", "hint:"],
    );
    assert!(p.files().is_empty(), "nothing written: {:?}", p.files());

    // Without a cluster, --from-service is refused before any call.
    let offline = Project::empty()
        .env("CI", "true")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    offline.usage_error(
        &["init", "--domain", "dev.test", "--from-service", "api"],
        &["--from-service api: which cluster?", "--cluster NAME"],
    );
    offline.usage_error(
        &[
            "init",
            "--domain",
            "dev.test",
            "--from-service",
            "api",
            "--from-task-definition",
            "api:1",
        ],
        &["cannot be used with"],
    );
}
