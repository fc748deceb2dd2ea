//! `diff` and `logs` against the local stack. `diff` compares what `up` would
//! register with the revision ECS runs; `logs` reads what the stack's tasks
//! wrote to the emulator's CloudWatch Logs, in the streams ECS's awslogs
//! driver would use (`{prefix}/{container}/{task id}`).

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{Project, eventually};
use crate::http;
use crate::stack::Stack;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn diff_shows_nothing_for_an_unchanged_template_and_the_image_when_it_changes() {
    let stack = Stack::shared();
    let (p, _) = stack.project("diff");
    p.ok(&["up", "diff-1", "-s", "api"]);

    let same = p.run(&["diff", "diff-1", "-s", "api", "--exit-code"]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    assert!(
        same.stdout.contains("api: no changes against api--diff-1:"),
        "{}",
        same.stdout
    );
    let out = json(&p.ok(&["diff", "diff-1", "-s", "api", "--json"]));
    assert_eq!(out["differences"], false);
    assert_eq!(out["services"][0]["status"], "same");

    let changed = p.run(&[
        "diff",
        "diff-1",
        "-s",
        "api",
        "--image-tag",
        "v2",
        "--exit-code",
    ]);
    assert_eq!(changed.code, 1, "{}{}", changed.stdout, changed.stderr);
    assert!(
        changed.stdout.contains("--- api--diff-1:"),
        "{}",
        changed.stdout
    );
    assert!(
        changed
            .stdout
            .contains("+      \"image\": \"example/api:v2\","),
        "{}",
        changed.stdout
    );
    // Without --exit-code a difference is no failure.
    let out = json(&p.ok(&["diff", "diff-1", "-s", "api", "--image-tag", "v2", "--json"]));
    assert_eq!(out["against"], "deployed");
    assert_eq!(out["differences"], true);
    assert_eq!(
        out["services"][0]["changed_paths"],
        serde_json::json!([
            "containerDefinitions[api].image",
            "tags[dynroute:image-tag].value"
        ])
    );

    // `web` is not deployed: `up` would create it, which is a difference.
    let out = json(&p.ok(&["diff", "diff-1", "--json"]));
    assert_eq!(out["services"][1]["status"], "not_deployed");
    assert_eq!(out["services"][1]["ecs_service"], "web--diff-1");
    assert_eq!(out["differences"], true);
}

#[test]
fn diff_against_main_leaves_out_what_names_the_version() {
    let stack = Stack::shared();
    let (p, _) = stack.project("diffmain");
    p.ok(&["up", "main", "-s", "api"]);
    let out = json(&p.ok(&["diff", "diff-2", "-s", "api", "--against", "main", "--json"]));
    assert_eq!(out["against"], "main");
    // The image tag defaults to the version name; family, labels, variables
    // and tags that name the version are left out.
    assert_eq!(
        out["services"][0]["changed_paths"],
        serde_json::json!(["containerDefinitions[api].image"])
    );
    let same = p.run(&[
        "diff",
        "diff-2",
        "-s",
        "api",
        "--against",
        "main",
        "--image-tag",
        "main",
        "--exit-code",
    ]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);

    // A version that is not deployed says so and points at --against main.
    let none = p.run(&["diff", "nowhere-1"]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    assert!(
        none.stderr.contains("version `nowhere-1` is not deployed"),
        "{}",
        none.stderr
    );
    assert!(none.stderr.contains("--against main"), "{}", none.stderr);
}

#[test]
fn diff_against_a_file_needs_no_aws_and_bad_files_are_exit_2() {
    // No stack at all: an endpoint where nothing listens would fail any call.
    let p = Project::example().env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let rendered = p.ok(&["render", "feature-1"]);
    std::fs::write(p.path().join("rendered.json"), &rendered).unwrap();
    let out = json(&p.ok(&[
        "diff",
        "feature-1",
        "--against-file",
        "rendered.json",
        "--json",
    ]));
    assert_eq!(out["against"], "file");
    assert_eq!(out["differences"], false, "{out}");
    assert_eq!(out["services"].as_array().unwrap().len(), 2);

    // Another version's definition: compared without what names the version.
    let changed = p.run(&[
        "diff",
        "feature-2",
        "-s",
        "api",
        "--against-file",
        "rendered.json",
        "--exit-code",
    ]);
    assert_eq!(changed.code, 1, "{}{}", changed.stdout, changed.stderr);
    assert!(
        changed.stdout.contains("/api:feature-2\""),
        "{}",
        changed.stdout
    );
    assert!(!changed.stdout.contains("traefik."), "{}", changed.stdout);

    std::fs::write(p.path().join("bad.json"), "{\n  \"family\": \n").unwrap();
    p.usage_error(
        &["diff", "feature-1", "--against-file", "bad.json"],
        &["bad.json:3:", "not JSON", "hint:"],
    );
    std::fs::write(p.path().join("list.json"), "{\"services\": []}").unwrap();
    p.usage_error(
        &["diff", "feature-1", "--against-file", "list.json"],
        &["not a task definition", "containerDefinitions"],
    );
    p.usage_error(
        &["diff", "feature-1", "--against-file", "missing.json"],
        &["missing.json", "cannot read"],
    );
}

/// `api` logs with awslogs under the version's prefix; `web` with another driver.
const LOGGED: &str = "networkMode: awsvpc\nrequiresCompatibilities: [FARGATE]\ncpu: \"256\"\nmemory: \"512\"\ncontainerDefinitions:\n  - name: \"{{ service }}\"\n    image: \"example/{{ service }}:{{ image_tag }}\"\n    memory: 256\n    logConfiguration:\n{% if service == 'api' %}      logDriver: awslogs\n      options:\n        awslogs-group: /ecs/dev/{{ service }}\n        awslogs-region: us-east-1\n        awslogs-stream-prefix: \"{{ version }}\"\n{% else %}      logDriver: splunk\n      options:\n        splunk-url: https://splunk.example.com\n{% endif %}";

/// The task addresses of an ECS service, from the stack's scheduler view.
fn task_addresses(stack: &Stack, service: &str) -> Vec<(String, String)> {
    let view = http::get(&stack.endpoint(), "localhost", "/_stack/scheduler", &[])
        .unwrap()
        .json();
    view["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["service"] == service && t["last_status"] == "RUNNING")
        .map(|t| {
            let arn = t["task_arn"].as_str().unwrap();
            let id = arn.rsplit('/').next().unwrap().to_owned();
            (id, t["address"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn logs_reads_each_task_stream_and_follow_shows_new_lines_until_ctrl_c() {
    let stack = Stack::shared();
    let (p, _) = stack.project("logs");
    let p = p.file("templates/app.yaml", LOGGED);
    p.ok(&["up", "logs-1"]);
    let tasks = task_addresses(stack, "api--logs-1");
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    let (task, address) = tasks[0].clone();
    assert!(address.starts_with("127."), "{address}");
    http::get(
        &format!("http://{address}:8080"),
        "api.dev.test",
        "/orders?id=7",
        &[("baggage", "dynamic_route=logs-1")],
    )
    .unwrap();

    let mut lines = Vec::new();
    eventually(10, || {
        let out = p.run(&["logs", "logs-1", "--json"]);
        if out.code != 0 {
            return Err(out.stderr);
        }
        lines = json(&out.stdout)["lines"].as_array().unwrap().clone();
        if lines.len() >= 2 {
            Ok(())
        } else {
            Err(out.stdout)
        }
    });
    assert_eq!(lines[0]["service"], "api");
    assert_eq!(lines[0]["task"], task);
    assert_eq!(lines[0]["container"], "api");
    assert!(
        lines[0]["message"]
            .as_str()
            .unwrap()
            .contains("DYNROUTE_VERSION=logs-1"),
        "{lines:?}"
    );
    assert!(
        lines[1]["message"]
            .as_str()
            .unwrap()
            .contains("\"GET /orders?id=7 HTTP/1.1\" 200"),
        "{lines:?}"
    );
    // `web` logs elsewhere: named with its driver, not an error while api logs.
    let text = p.run(&["logs", "logs-1"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains(&format!("api/{task} ")),
        "{}",
        text.stdout
    );
    assert!(
        text.stderr
            .contains("web: container `web`: it logs with the `splunk` log driver, not awslogs"),
        "{}",
        text.stderr
    );
    let only_web = p.run(&["logs", "logs-1", "-s", "web"]);
    assert_eq!(only_web.code, 1, "{}", only_web.stderr);
    assert!(
        only_web.stderr.contains("`splunk` log driver"),
        "{}",
        only_web.stderr
    );

    // --task filters by task ID (a prefix is enough); an unknown one is exit 1.
    let out = json(&p.ok(&["logs", "logs-1", "--task", &task[..8], "--json"]));
    assert_eq!(out["lines"].as_array().unwrap().len(), lines.len());
    let none = p.run(&["logs", "logs-1", "--task", "ffffffff0000"]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    assert!(
        none.stderr.contains("has no task ffffffff0000"),
        "{}",
        none.stderr
    );
    // Something that is no task ID at all is bad input, before any AWS call.
    p.usage_error(&["logs", "logs-1", "--task", ""], &["expected a task ID"]);
    p.usage_error(
        &["logs", "logs-1", "--task", "x\ny"],
        &["expected a task ID"],
    );

    // --follow prints new lines as they are written, and Ctrl-C ends it with 130.
    let mut child = p
        .std_cmd(&["logs", "logs-1", "--follow", "--since", "1s", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The request is sent once `logs` says it is following.
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let errors = std::thread::spawn(move || {
        let mut after = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("following (Ctrl-C to stop)") {
                let _ = ready_tx.send(());
            } else {
                after.push(line);
            }
        }
        after
    });
    ready_rx
        .recv_timeout(Duration::from_secs(20))
        .expect("logs --follow says it is following");
    http::get(
        &format!("http://{address}:8080"),
        "api.dev.test",
        "/followed",
        &[],
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = None;
    while Instant::now() < deadline && seen.is_none() {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200))
            && line.contains("/followed")
        {
            seen = Some(json(&line));
        }
    }
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    let line = seen.expect("the new request's line while following");
    assert_eq!(line["task"], task);
    assert_eq!(status.code(), Some(130), "{status:?}");
    // A read-only command: no hint about requests taking effect.
    let errors = errors.join().unwrap();
    assert_eq!(
        errors.last().map(String::as_str),
        Some("error: interrupted"),
        "{errors:?}"
    );
    assert!(!errors.iter().any(|l| l.starts_with("hint:")), "{errors:?}");
}

#[test]
fn logs_bad_input_is_exit_2_and_an_undeployed_version_exit_1() {
    let stack = Stack::shared();
    let (p, _) = stack.project("logsbad");
    p.usage_error(
        &["logs", "logs-2", "--since", "yesterday"],
        &["--since", "expected a duration such as 10m"],
    );
    p.usage_error(&["logs", "Not_A_Version"], &["version"]);
    let none = p.run(&["logs", "logs-2"]);
    assert_eq!(none.code, 1, "{}", none.stderr);
    assert!(
        none.stderr.contains("version `logs-2` is not deployed"),
        "{}",
        none.stderr
    );
}
