//! Lifecycle hooks end to end with a real database: the stack's PostgreSQL
//! (Debian's), one-off tasks whose `psql` runs as a local process (the
//! stack's stand-in for a container runtime), requests through the real
//! Traefik. `on_create` creates a schema per version, `before_up` migrates it,
//! the tasks get `DB_SCHEMA`; a failing migration stops `up` while main keeps
//! serving; `down` drops the schema; a failing `after_down` is retried by `prune`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::Project;
use crate::http;
use crate::stack::Stack;

const TEMPLATE: &str = "networkMode: awsvpc\nrequiresCompatibilities: [FARGATE]\ncpu: \"256\"\nmemory: \"512\"\ncontainerDefinitions:\n  - name: \"{{ service }}\"\n    image: public.ecr.aws/docker/library/postgres:17\n    memory: 256\n    environment:\n      - {name: DB_SCHEMA, value: \"v_{{ version_id }}\"}\n      - {name: PGHOST, value: 127.0.0.1}\n      - {name: PGPORT, value: \"{{ vars.pg_port }}\"}\n      - {name: PGUSER, value: postgres}\n      - {name: MIGRATION, value: \"{{ vars.migration }}\"}\n      - {name: DROP_EXTRA, value: \"{{ vars.drop_extra }}\"}\n    logConfiguration:\n      logDriver: awslogs\n      options:\n        awslogs-group: /ecs/hooks-test\n        awslogs-region: us-east-1\n        awslogs-stream-prefix: \"{{ version }}\"\n";

const HOOKS: &str = r#"hooks:
  on_create:
    - service: hkapi
      command: [psql, -v, ON_ERROR_STOP=1, -c, "create schema v_{{ version_id }}"]
  before_up:
    - service: hkapi
      command: [sh, -c, 'psql -v ON_ERROR_STOP=1 -c "create table if not exists $DB_SCHEMA.items (id int); $MIGRATION"']
  after_down:
    - service: hkapi
      command: [sh, -c, 'psql -v ON_ERROR_STOP=1 -c "$DROP_EXTRA; drop schema $DB_SCHEMA cascade"']
"#;

fn project(stack: &Stack, pg_port: u16) -> Project {
    let cluster = stack.cluster("hooks");
    let config = format!(
        "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\ningress:\n  url: {web}\ntraefik:\n  entrypoints: [web]\n{network}{HOOKS}services:\n  hkapi:\n    template: templates/app.yaml\n    port: 8080\n    health_check_path: /health\n    vars: {{pg_port: \"{pg_port}\", migration: \"select 1\", drop_extra: \"select 1\"}}\n",
        web = stack.traefik_web(),
        network = stack.network_yaml(),
    );
    stack
        .project_with(&config)
        .file("templates/app.yaml", TEMPLATE)
}

/// One value from the stack's PostgreSQL.
fn psql(port: u16, sql: &str) -> String {
    let out = std::process::Command::new("psql")
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"])
        .args(["-v", "ON_ERROR_STOP=1", "-tAc", sql])
        .output()
        .expect("psql is installed (scripts/install-postgres)");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn schemas(port: u16) -> Vec<String> {
    psql(
        port,
        "select schema_name from information_schema.schemata where schema_name like 'v\\_%' order by 1",
    )
    .lines()
    .map(str::to_owned)
    .collect()
}

/// Who answers a request for `version` (`None`: no baggage) through Traefik:
/// the task's `DB_SCHEMA`.
fn schema_behind(stack: &Stack, version: Option<&str>) -> String {
    let baggage = version.map(|v| format!("dynamic_route={v}"));
    let lines: Vec<(&str, &str)> = baggage
        .as_deref()
        .map(|b| vec![("baggage", b)])
        .unwrap_or_default();
    let answer = http::get(&stack.traefik_web(), "hkapi.dev.test", "/health", &lines).unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let body: Value = serde_json::from_str(&answer.body).unwrap();
    body["env"]["DB_SCHEMA"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn json(out: &crate::harness::Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
}

#[test]
fn hooks_give_each_version_its_own_schema_and_a_failure_moves_no_traffic() {
    // A stack of its own: it runs PostgreSQL besides Traefik.
    let stack = Stack::start(true);
    let pg = stack.start_postgres();
    let p = project(&stack, pg);

    // Main: never runs hooks (its data is the team's).
    let main = p.run(&["up", "main", "--json"]);
    assert_eq!(main.code, 0, "{}", main.stderr);
    assert_eq!(json(&main)["hooks"], serde_json::json!([]));
    assert!(schemas(pg).is_empty());

    // The first up of a version: on_create, then before_up, then the service.
    let first = p.run(&["up", "feature-1", "--json"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let report = json(&first);
    let phases: Vec<(&str, i64)> = (report["hooks"].as_array().unwrap().iter())
        .map(|h| {
            (
                h["phase"].as_str().unwrap(),
                h["exit_code"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(phases, [("on_create", 0), ("before_up", 0)], "{report}");
    eprintln!(
        "timings of the first up with two hooks: {}",
        report["timings"]
    );
    assert!(report["timings"]["hooks_ms"].as_u64().is_some());
    let second = p.run(&["up", "feature-2", "-q"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(schemas(pg), ["v_feature_1", "v_feature_2"]);
    assert_eq!(psql(pg, "select count(*) from v_feature_1.items"), "0");
    // The tasks get their version's schema; main's is its own.
    assert_eq!(schema_behind(&stack, Some("feature-1")), "v_feature_1");
    assert_eq!(schema_behind(&stack, Some("feature-2")), "v_feature_2");
    assert_eq!(schema_behind(&stack, None), "v_main");

    // An up that changes nothing still migrates (before_up), and only that.
    let again = p.run(&["up", "feature-1", "--json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let hooks = json(&again)["hooks"].clone();
    assert_eq!(hooks.as_array().unwrap().len(), 1, "{hooks}");
    assert_eq!(hooks[0]["phase"], "before_up");
    // ls and status show each hook's last run.
    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    let feature_1 = ls
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["version"] == "feature-1")
        .unwrap();
    let recorded: Vec<&str> = (feature_1["services"][0]["hooks"].as_array().unwrap().iter())
        .map(|h| h["phase"].as_str().unwrap())
        .collect();
    assert_eq!(recorded, ["on_create", "before_up"], "{feature_1}");

    // A failing migration: up stops before the service changes, with the
    // hook's last lines and exit 5, while main and feature-1 keep answering.
    let stop = AtomicBool::new(false);
    let (out, answers) = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            let mut answers = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                answers.push((
                    schema_behind(&stack, None),
                    schema_behind(&stack, Some("feature-1")),
                ));
                std::thread::sleep(Duration::from_millis(100));
            }
            answers
        });
        let out = p.run(&[
            "up",
            "feature-1",
            "--set",
            "migration=select * from no_such_table",
            "-o",
            "markdown",
        ]);
        stop.store(true, Ordering::Relaxed);
        (out, watcher.join().unwrap())
    });
    assert_eq!(out.code, 5, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("hook before_up #1 (hkapi) failed"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("Its last log lines") && out.stdout.contains("no_such_table"),
        "{}",
        out.stdout
    );
    assert!(answers.len() >= 3, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(main, version)| main == "v_main" && version == "v_feature_1"),
        "{answers:?}"
    );
    let status: Value = serde_json::from_str(&p.ok(&["status", "feature-1", "--json"])).unwrap();
    let before_up = &status["services"][0]["hooks"][1];
    assert_eq!(before_up["phase"], "before_up", "{status}");
    assert_ne!(before_up["exit_code"], 0, "{status}");

    // A one-off command with the version's task definition and environment.
    let out = p.run(&["run", "feature-1", "--", "psql", "-c", "select 1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);

    // down: after the service is deleted, after_down drops the schema.
    let down = p.run(&["down", "feature-2", "--yes", "--json"]);
    assert_eq!(down.code, 0, "{}", down.stderr);
    assert_eq!(json(&down)["hooks"][0]["exit_code"], 0);
    assert_eq!(schemas(pg), ["v_feature_1"]);

    // A failing after_down keeps the revision; prune runs it again once fixed.
    let out = p.run(&[
        "up",
        "feature-3",
        "-q",
        "--set",
        "drop_extra=select * from cleanup_gate",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = p.run(&["down", "feature-3", "--yes", "--json"]);
    assert_eq!(out.code, 5, "{}", out.stderr);
    let kept = json(&out)["cleanup_pending"].clone();
    assert_eq!(kept.as_array().unwrap().len(), 1, "{kept}");
    assert!(out.stderr.contains("cleanup_gate"), "{}", out.stderr);
    assert_eq!(schemas(pg), ["v_feature_1", "v_feature_3"]);
    let dry: Value = serde_json::from_str(&p.ok(&["prune", "--dry-run", "--json"])).unwrap();
    assert_eq!(
        dry["retried"],
        serde_json::json!(["hkapi--feature-3"]),
        "{dry}"
    );
    psql(pg, "create table public.cleanup_gate (id int)");
    let started = Instant::now();
    let pruned = p.run(&["prune", "--yes", "--json"]);
    assert_eq!(pruned.code, 0, "{}", pruned.stderr);
    eprintln!("prune with one after_down retry: {:?}", started.elapsed());
    assert_eq!(
        json(&pruned)["hooks"][0]["exit_code"],
        0,
        "{}",
        pruned.stdout
    );
    assert_eq!(schemas(pg), ["v_feature_1"]);
    let dry: Value = serde_json::from_str(&p.ok(&["prune", "--dry-run", "--json"])).unwrap();
    assert_eq!(dry["retried"], serde_json::json!([]), "{dry}");

    // --no-hooks: said loudly, and nothing runs.
    let out = p.run(&["up", "feature-4", "-q", "--no-hooks"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--no-hooks: not running on_create #1 (hkapi), before_up #1 (hkapi)"),
        "{}",
        out.stderr
    );
    assert_eq!(schemas(pg), ["v_feature_1"]);
    // Its down must skip them too (there is no schema to drop), loudly.
    let out = p.run(&["down", "feature-4", "--yes", "--no-hooks"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--no-hooks: not running after_down #1 (hkapi) for hkapi--feature-4"),
        "{}",
        out.stderr
    );
    for version in ["feature-1", "main"] {
        let out = p.run(&["down", version, "--yes", "--force", "-q"]);
        assert_eq!(out.code, 0, "{version}: {}", out.stderr);
    }
    assert!(schemas(pg).is_empty(), "{:?}", schemas(pg));
    stack.stop();
}

#[test]
fn bad_hooks_are_refused_before_any_aws_call() {
    let p = crate::harness::Project::example();
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let with = |hooks: &str| {
        p.file(
            "dynroute.yaml",
            &config.replacen("services:", &format!("hooks:\n{hooks}services:"), 1),
        )
    };
    // A container the service's template does not define: found when rendering.
    let p =
        with("  before_up: [{service: api, container: migrator, command: [bin/db, migrate]}]\n");
    for args in [
        &["up", "feature-1"][..],
        &["render", "feature-1", "-s", "api"][..],
    ] {
        p.usage_error(
            args,
            &[
                "hooks.before_up[0] runs in container `migrator`",
                "its containers: api",
            ],
        );
    }
    let p = p.file(
        "dynroute.yaml",
        &config.replacen(
            "services:",
            "hooks:\n  on_create: [{service: billing, command: [x]}]\nservices:",
            1,
        ),
    );
    p.usage_error(
        &["ls"],
        &["dynroute.yaml:", "service `billing` is not declared"],
    );
    let p = p.file(
        "dynroute.yaml",
        &config.replacen(
            "services:",
            "hooks:\n  after_down: [{service: api, command: []}]\nservices:",
            1,
        ),
    );
    p.usage_error(&["down", "feature-1", "--yes"], &["the command is empty"]);
    let p = p.file(
        "dynroute.yaml",
        &config.replacen(
            "services:",
            "hooks:\n  before_up: {service: api, command: [x]}\nservices:",
            1,
        ),
    );
    p.usage_error(
        &["up", "feature-1"],
        &["hooks.before_up", "expected a sequence"],
    );
}
