//! What a newcomer meets on the first day, each case compared whole: missing
//! credentials or region, the listings, the help, the hints.

use crate::harness::Project;
use crate::stack::Stack;

/// The README example pointed at a local emulator that no test starts: every
/// case below fails before the first request.
fn local() -> Project {
    Project::example().env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
}

#[test]
fn missing_credentials_name_every_source_tried_and_how_to_set_one() {
    let p = local()
        .without_env("AWS_ACCESS_KEY_ID")
        .without_env("AWS_SECRET_ACCESS_KEY");
    p.test(&["ls"])
        .code(2)
        .stderr(
            "error: no AWS credentials found (looked at the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), profile `default` in ~/.aws/config and ~/.aws/credentials (keys, SSO, assume-role, credential_process); the instance metadata service is not asked: the endpoint is a local emulator)\nhint: for a local emulator any keys do: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing\n",
        )
        .run();
    // A named profile is the one looked at.
    p.test(&["status", "feature-1", "--profile", "dev"])
        .code(2)
        .stderr(
            "error: no AWS credentials found (looked at the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), profile `dev` in ~/.aws/config and ~/.aws/credentials (keys, SSO, assume-role, credential_process); the instance metadata service is not asked: the endpoint is a local emulator)\nhint: for a local emulator any keys do: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing\n",
        )
        .run();
}

#[test]
fn a_missing_region_says_where_it_was_looked_for() {
    let p = local().without_env("AWS_REGION").file(
        "dynroute.yaml",
        &std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("region:"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    );
    p.test(&["ls"])
        .code(2)
        .stderr(
            "error: no AWS region configured (looked at --region, `region` in dynroute.yaml, AWS_REGION and AWS_DEFAULT_REGION, the `region` of profile `default` in ~/.aws/config)\nhint: set `region: us-east-1` in dynroute.yaml, pass --region us-east-1, or export AWS_REGION=us-east-1\n",
        )
        .run();
}

/// dynroute's ECS writes naming `what`, by action, sorted.
fn writes_naming(stack: &Stack, what: &str) -> Vec<String> {
    let writes = stack.ctl(&["writes", "--client", "aws-sdk-rust"]);
    let mut actions: Vec<String> = writes
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| {
            w["names"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n.as_str().unwrap_or_default().contains(what))
        })
        .map(|w| w["action"].as_str().unwrap().to_owned())
        .collect();
    actions.sort();
    actions
}

#[test]
fn a_refused_up_says_what_to_change_and_leaves_nothing_for_down() {
    // The README example as cloned: its subnet does not exist.
    let stack = Stack::shared();
    let cluster = stack.cluster("refused");
    let config = std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml"))
        .unwrap()
        .replace("cluster: dev", &format!("cluster: {cluster}"));
    let p = Project::example()
        .file("dynroute.yaml", &config)
        .env("AWS_ENDPOINT_URL", &stack.endpoint())
        .env("CI", "true");
    let out = p.run(&["up", "refused-1"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let refusal = "CreateService failed: InvalidParameterException: Error retrieving subnet information for [subnet-0abc]: The subnet ID 'subnet-0abc' does not exist (ErrorCode: InvalidSubnetID.NotFound)";
    let mut lines: Vec<&str> = out.stderr.lines().collect();
    lines[1..3].sort();
    assert_eq!(
        lines,
        [
            format!(
                "deploying version refused-1 to cluster {cluster}: api--refused-1, web--refused-1"
            )
            .as_str(),
            "api--refused-1: ECS refused the service; deregistered api--refused-1:1 again, so this run left nothing behind",
            "web--refused-1: ECS refused the service; deregistered web--refused-1:1 again, so this run left nothing behind",
            "error: deployment incomplete",
            &format!("  not deployed: api--refused-1: {refusal}"),
            &format!("  not deployed: web--refused-1: {refusal}"),
            "hint: ECS refused a value of the request (the message names it): change it in dynroute.yaml or the template and run the command again; run unchanged, it fails the same way",
        ],
        "{}",
        out.stderr
    );
    // The refused CreateService requests, and each revision registered and
    // deregistered again.
    assert_eq!(
        writes_naming(stack, "--refused-1"),
        [
            "ECS.CreateService",
            "ECS.CreateService",
            "ECS.DeregisterTaskDefinition",
            "ECS.DeregisterTaskDefinition",
            "ECS.RegisterTaskDefinition",
            "ECS.RegisterTaskDefinition"
        ]
    );
    // Nothing is left, so `down` has nothing to wait for.
    p.test(&["down", "refused-1", "--yes"])
        .stderr("version refused-1 is not deployed; nothing to do\n")
        .run();
}
