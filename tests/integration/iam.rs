//! `iam-policy`: every policy passes the `parliament` linter with no finding at
//! any severity, and every AWS call the commands make on the local stack is an
//! action of the policy generated for that command.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::harness::{Project, repo_root};
use crate::stack::Stack;

fn parliament() -> PathBuf {
    let bin = repo_root().join(".stack/venv/bin/parliament");
    assert!(
        bin.exists(),
        "parliament is not installed: run `scripts/stack install` (or `scripts/test`, which installs it)"
    );
    bin
}

/// parliament's findings (one per line; empty when the policy is clean).
fn findings(policy: &str) -> String {
    let out = Command::new(parliament())
        .args(["--minimum_severity", "INFO", "--string", policy])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() || !stdout.trim().is_empty(),
        "parliament failed without findings: {stderr}"
    );
    format!("{stdout}{stderr}").trim().to_owned()
}

const AUDIENCES: [&str; 4] = ["deploy", "read", "prune", "catalog"];

#[test]
fn parliament_finds_nothing_in_any_policy() {
    let example = Project::example();
    let with_lb = Project::example();
    let config = std::fs::read_to_string(with_lb.path().join("dynroute.yaml")).unwrap();
    std::fs::write(
        with_lb.path().join("dynroute.yaml"),
        config.replace(
            "  url: http://traefik.dev.internal",
            "  load_balancer: dev-traefik",
        ),
    )
    .unwrap();
    // The activity recorder, its replicas found through ECS: the catalog tags.
    let with_activity = Project::example();
    std::fs::write(
        with_activity.path().join("dynroute.yaml"),
        format!("{config}activity:\n  traefik_service: traefik\n"),
    )
    .unwrap();
    for (project, extra) in [
        (&example, &[][..]),
        (&example, &["--account", "123456789012"][..]),
        (&with_lb, &[][..]),
        (&with_activity, &["--account", "123456789012"][..]),
    ] {
        for audience in AUDIENCES {
            let mut args = vec!["iam-policy", "--for", audience];
            args.extend_from_slice(extra);
            let policy = project.ok(&args);
            let parsed: Value = serde_json::from_str(&policy).unwrap();
            assert_eq!(parsed["Version"], "2012-10-17");
            let found = findings(&policy);
            assert!(
                found.is_empty(),
                "--for {audience} {extra:?}: {found}\n{policy}"
            );
        }
    }
    // Traefik's role and the cluster-wide policies, without a project.
    let nowhere = Project::empty();
    for audience in ["traefik", "deploy", "read", "prune", "catalog"] {
        let args = [
            "iam-policy",
            "--for",
            audience,
            "--cluster-wide",
            "--cluster",
            "dev",
            "--region",
            "eu-west-1",
            "--account",
            "123456789012",
        ];
        let policy = nowhere.ok(&args);
        let found = findings(&policy);
        assert!(
            found.is_empty(),
            "--for {audience} --cluster-wide: {found}\n{policy}"
        );
    }
    let catalog: Value =
        serde_json::from_str(&with_activity.ok(&["iam-policy", "--for", "catalog"])).unwrap();
    let record = catalog["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == "RecordActivityOnManagedServices")
        .unwrap_or_else(|| panic!("{catalog}"));
    assert_eq!(
        record["Action"],
        serde_json::json!(["ecs:TagResource"]),
        "{record}"
    );
    assert_eq!(
        record["Condition"]["StringEquals"]["aws:ResourceTag/dynroute:managed"],
        "true"
    );
    assert_eq!(
        record["Condition"]["ForAllValues:StringEquals"]["aws:TagKeys"],
        serde_json::json!([
            "dynroute:last-request",
            "dynroute:requests",
            "dynroute:activity"
        ])
    );
    let plain = example.ok(&["iam-policy", "--for", "catalog"]);
    assert!(
        !plain.contains("TagResource"),
        "no activity, no write: {plain}"
    );
    let lb = with_lb.ok(&["iam-policy", "--for", "read"]);
    assert!(
        lb.contains("elasticloadbalancing:DescribeLoadBalancers"),
        "{lb}"
    );
    let deploy = example.ok(&["iam-policy", "--account", "123456789012"]);
    assert!(deploy.contains("arn:aws:iam::123456789012:role/ecsTaskExecutionRole"));
    assert!(deploy.contains("arn:aws:logs:us-east-1:123456789012:log-group:/ecs/dev/api"));
}

#[test]
fn parliament_does_report_a_condition_key_ecs_does_not_know() {
    // The linter above is only worth something if it flags what we avoid.
    let bad = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecs:UpdateService","Resource":"*","Condition":{"StringEquals":{"ecs:ResourceTag/dynroute:managed":"true"}}}]}"#;
    assert!(!findings(bad).is_empty());
}

#[test]
fn a_templated_role_arn_is_named_not_guessed() {
    let p = Project::example();
    let template = std::fs::read_to_string(p.path().join("templates/api.yaml")).unwrap();
    std::fs::write(
        p.path().join("templates/api.yaml"),
        template.replace(
            "executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            "executionRoleArn: \"arn:aws:iam::123456789012:role/{{ version }}-exec\"",
        ),
    )
    .unwrap();
    let out = p
        .cmd(&["iam-policy"])
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("service `api`: executionRoleArn is templated"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("-exec"), "{stdout}");
    assert!(!stdout.contains("iam:PassRole"), "{stdout}");
}

#[test]
fn a_role_read_from_the_environment_is_named_not_trusted() {
    // A CI job's variable would decide what the policy lets dynroute pass.
    let p = Project::example();
    let template = std::fs::read_to_string(p.path().join("templates/api.yaml")).unwrap();
    let from = "executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
    assert!(template.contains(from), "the example template lacks {from}");
    let p = p.file(
        "templates/api.yaml",
        &template
            .replace(
                from,
                "executionRoleArn: \"arn:aws:iam::{{ env('ACCOUNT', '123456789012') }}:role/{{ env('EXEC_ROLE') }}\"",
            )
            .replace(
                "awslogs-group: /ecs/dev/api",
                "awslogs-group: \"{{ must_env('LOG_GROUP') }}\"",
            ),
    );
    let env = [
        ("EXEC_ROLE", "Admin"),
        ("LOG_GROUP", "/ecs/dev/api"),
        // A number from the environment must not make the other renderings fail.
        ("ACCOUNT", "210987654321"),
    ];
    let out = p.run_env(&env, &["iam-policy"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (stdout, stderr) = (&out.stdout, &out.stderr);
    for field in [
        "executionRoleArn",
        "containerDefinitions[api].logConfiguration.options.awslogs-group",
    ] {
        assert!(
            stderr.contains(&format!(
                "warning: service `api`: {field} is templated (read from the environment with env(), so another machine or CI job would name another resource)"
            )),
            "{field}: {stderr}"
        );
    }
    assert!(!stdout.contains("Admin"), "{stdout}");
    assert!(!stdout.contains("/ecs/dev/api"), "{stdout}");
    assert!(stdout.contains("\"Statement\""), "{stdout}");
}

#[test]
fn wildcards_and_malformed_values_never_enter_a_policy() {
    let p = Project::example();
    let template = std::fs::read_to_string(p.path().join("templates/api.yaml")).unwrap();
    let mut hostile = template.clone();
    for (from, to) in [
        (
            "executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            "executionRoleArn: \"arn:aws:iam::*:role/*\"",
        ),
        ("awslogs-group: /ecs/dev/api", "awslogs-group: \"*\""),
        (
            "awslogs-region: us-east-1",
            "awslogs-region: \"us-east-1:*\"",
        ),
    ] {
        assert!(hostile.contains(from), "the example template lacks {from}");
        hostile = hostile.replace(from, to);
    }
    let p = p.file("templates/api.yaml", &hostile);
    p.test(&["iam-policy"])
        .code(2)
        .stderr(
            "error: the templates name values a policy cannot hold:\n  \
             service `api`: executionRoleArn is \"arn:aws:iam::*:role/*\", not a role ARN such as arn:aws:iam::123456789012:role/api-task (no wildcards)\n  \
             service `api`: containerDefinitions[api].logConfiguration.options.awslogs-group is \"*\", not a log group name such as /ecs/api (letters, digits and . _ - / #; no wildcards)\n  \
             service `api`: containerDefinitions[api].logConfiguration.options.awslogs-region is \"us-east-1:*\", not a region code such as eu-west-1\n\
             hint: write concrete values in the templates (a wildcard would widen the policy to resources that are not this project's)\n",
        )
        .run();
}

#[test]
fn a_malformed_account_is_a_usage_error() {
    Project::example().usage_error(&["iam-policy", "--account", "12345"], &["12 digits"]);
}

/// `ECS.CreateService` (the stack's counter name) → `ecs:CreateService`.
fn iam_action(counter: &str) -> String {
    let (service, action) = counter.split_once('.').unwrap();
    let prefix = match service {
        "ECS" => "ecs",
        "ELBv2" => "elasticloadbalancing",
        "Logs" => "logs",
        other => panic!("dynroute called an unexpected service: {counter} ({other})"),
    };
    format!("{prefix}:{action}")
}

fn policy_actions(p: &Project, audience: &str) -> Vec<String> {
    let policy: Value = serde_json::from_str(&p.ok(&["iam-policy", "--for", audience])).unwrap();
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().clone())
        .map(|a| a.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_call_of_a_lifecycle_is_covered_by_its_commands_policy() {
    // A stack of its own: the call counters must see this test's calls only;
    // with Traefik, whose metrics the activity recorder reads.
    let stack = Stack::start(true);
    let (p, _cluster) = stack.project("iam");
    // Hooks in every phase, so up, down and prune run one-off tasks; the
    // activity recorder, so `activity record` tags services.
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let hooks = format!(
        "activity:\n  metrics: [{}]\nhooks:\n  on_create: [{{service: api, command: [\"true\"]}}]\n  before_up: [{{service: api, command: [\"true\"]}}]\n  after_down: [{{service: api, command: [\"true\"]}}]\nservices:",
        stack.info["traefik_metrics_url"].as_str().unwrap()
    );
    let p = p.file("dynroute.yaml", &config.replacen("services:", &hooks, 1));
    // Containers that log with awslogs, so `logs` reads CloudWatch Logs; an
    // image whose one-off tasks the stack runs (stack/oneoff.py).
    let p = p.file(
        "templates/app.yaml",
        "networkMode: awsvpc\nrequiresCompatibilities: [FARGATE]\ncpu: \"256\"\nmemory: \"512\"\ncontainerDefinitions:\n  - name: \"{{ service }}\"\n    image: \"public.ecr.aws/docker/library/busybox:{{ image_tag }}\"\n    memory: 256\n    logConfiguration:\n      logDriver: awslogs\n      options:\n        awslogs-group: /ecs/iam/{{ service }}\n        awslogs-region: us-east-1\n        awslogs-stream-prefix: \"{{ version }}\"\n",
    );
    let steps: Vec<(&str, Vec<&str>)> = vec![
        ("deploy", vec!["up", "feature-1", "--image-tag", "one"]),
        ("deploy", vec!["up", "feature-1", "--image-tag", "two"]),
        ("deploy", vec!["up", "old", "-s", "api", "--ttl", "1s"]),
        // main keeps the recorder's heartbeat.
        ("deploy", vec!["up", "main", "-s", "api"]),
        ("catalog", vec!["activity", "record"]),
        ("read", vec!["ls"]),
        ("read", vec!["status", "feature-1"]),
        ("read", vec!["diff", "feature-1", "--image-tag", "two"]),
        ("read", vec!["logs", "feature-1"]),
        ("read", vec!["header", "feature-1", "--format", "curl"]),
        ("deploy", vec!["extend", "feature-1", "--ttl", "5d"]),
        // A one-off task from the version's task definition, detached; and
        // one that outlives its --timeout (exit 3), which StopTask ends.
        (
            "deploy",
            vec!["run", "feature-1", "-s", "api", "--detach", "--", "true"],
        ),
        (
            "deploy",
            vec![
                "run",
                "feature-1",
                "-s",
                "api",
                "--timeout",
                "1s",
                "--",
                "sleep",
                "30",
            ],
        ),
        ("deploy", vec!["down", "feature-1", "--yes"]),
        ("deploy", vec!["down", "main", "--yes", "--force"]),
        ("prune", vec!["prune", "--yes"]),
    ];
    let mut seen = 0;
    let mut covered: Vec<String> = Vec::new();
    for (audience, args) in &steps {
        if args[0] == "prune" {
            // `old` expires one second after its `up`: wait until `ls` says so.
            crate::harness::eventually(20, || {
                let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
                let expired = ls
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|v| v["version"] == "old" && v["expired"] == true);
                expired
                    .then_some(())
                    .ok_or_else(|| format!("old not expired yet: {ls}"))
            });
        }
        stack.ctl(&["calls-reset"]);
        if args.contains(&"--timeout") {
            let out = p.run(args);
            assert_eq!(out.code, 3, "{}", out.stderr);
        } else {
            p.ok(args);
        }
        let calls = stack.rust_calls();
        if *audience == "catalog" {
            // The recording tagged main's service with the heartbeat.
            assert!(
                calls
                    .as_object()
                    .unwrap()
                    .keys()
                    .any(|c| iam_action(c) == "ecs:TagResource"),
                "activity record wrote no tag: {calls}"
            );
        }
        let allowed = policy_actions(&p, audience);
        for counter in calls.as_object().unwrap().keys() {
            let action = iam_action(counter);
            assert!(
                allowed.contains(&action),
                "`dynroute {}` called {action}, which `iam-policy --for {audience}` does not allow: {allowed:?}",
                args.join(" ")
            );
            seen += 1;
            covered.push(action);
        }
    }
    let after: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    stack.stop();
    assert!(
        after.as_array().unwrap().is_empty(),
        "prune removed `old`: {after}"
    );
    assert!(seen > 10, "the counters saw the calls");
    for call in [
        "RunTask",
        "StopTask",
        "DescribeTasks",
        "ListTaskDefinitionFamilies",
        "TagResource",
    ] {
        assert!(
            covered.iter().any(|c| c.ends_with(call)),
            "no step called {call}: {covered:?}"
        );
    }
}
