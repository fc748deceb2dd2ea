//! `dynroute run`: a one-off task from a version's task definition, on the
//! local stack whose scheduler runs a `postgres` image's command as a local
//! process (stack/oneoff.py): the output streams, the exit code is the
//! container's, another image's failure is exit 4, `--detach` prints the ARN,
//! and a version that is not deployed is named with the two ways out.

use crate::harness::Project;
use crate::stack::Stack;

const TEMPLATE: &str = "networkMode: awsvpc\nrequiresCompatibilities: [FARGATE]\ncpu: \"256\"\nmemory: \"512\"\ncontainerDefinitions:\n  - name: \"{{ service }}\"\n    image: \"{{ vars.image }}\"\n    memory: 256\n    environment: [{name: DB_SCHEMA, value: \"v_{{ version_id }}\"}]\n    logConfiguration:\n      logDriver: awslogs\n      options:\n        awslogs-group: /ecs/run-test\n        awslogs-region: us-east-1\n        awslogs-stream-prefix: \"{{ version }}\"\n";

fn project(stack: &Stack) -> Project {
    let cluster = stack.cluster("run");
    let config = format!(
        "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\n{}services:\n  db:\n    template: templates/app.yaml\n    port: 8080\n    vars: {{image: \"public.ecr.aws/docker/library/postgres:17\"}}\n  app:\n    template: templates/app.yaml\n    port: 8080\n    vars: {{image: \"example/app:1\"}}\n",
        stack.network_yaml()
    );
    stack
        .project_with(&config)
        .file("templates/app.yaml", TEMPLATE)
}

#[test]
fn run_streams_the_output_and_exits_with_the_container_s_code() {
    let stack = Stack::shared();
    let p = project(stack);
    for service in ["db", "app"] {
        let out = p.run(&["up", "feature-1", "-s", service, "-q", "--no-verify"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    // The version's environment reaches the command; its output is stdout.
    let out = p.run(&[
        "run",
        "feature-1",
        "-s",
        "db",
        "--",
        "sh",
        "-c",
        "echo schema=$DB_SCHEMA; exit 3",
    ]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(out.stdout, "schema=v_feature_1\n");
    let out = p.run(&["run", "feature-1", "-s", "db", "--", "true"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = p.run(&["run", "feature-1", "-s", "db", "--", "false"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    // A task that stops without running its command: exit 4 with ECS's reason.
    let out = p.run(&["run", "feature-1", "-s", "app", "--", "true"]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(
        out.stderr.contains("CannotPullContainerError"),
        "{}",
        out.stderr
    );
    // --detach: the ARN, at once; --json: the report.
    let out = p.run(&[
        "run",
        "feature-1",
        "-s",
        "db",
        "--detach",
        "--",
        "sleep",
        "1",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.trim().contains(":task/"), "{}", out.stdout);
    // Not deployed: the two ways out.
    let out = p.run(&["run", "feature-2", "-s", "db", "--", "true"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("dynroute up feature-2 -s db") && out.stderr.contains("--from-main"),
        "{}",
        out.stderr
    );
    // Ctrl-C stops the task before dynroute exits 130.
    let child = p
        .std_cmd(&["run", "feature-1", "-s", "db", "--", "sleep", "30"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: stopped the task"), "{stderr}");
    // --timeout stops a task that runs too long (exit 3).
    let out = p.run(&[
        "run",
        "feature-1",
        "-s",
        "db",
        "--timeout",
        "1s",
        "--",
        "sleep",
        "30",
    ]);
    assert_eq!(out.code, 3, "{}", out.stderr);
}

#[test]
fn run_refuses_bad_input_before_any_call() {
    let p = Project::example().env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    for (args, expected) in [
        (
            vec!["run", "v1", "-s", "api", "true"],
            "unexpected argument",
        ),
        (vec!["run", "v1", "-s", "api"], "<CMD>"),
        (
            vec!["run", "v1", "-s", "api", "--timeout", "0", "--", "true"],
            "more than zero",
        ),
        (vec!["run", "v1", "--", "true"], "which service"),
        (vec!["run", "v1", "-s", "nosuch", "--", "true"], "nosuch"),
    ] {
        p.usage_error(&args, &[expected]);
    }
}
