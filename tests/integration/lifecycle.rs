//! `up`, `down`, `ls`, `status`, `prune` against the local stack. Every test
//! checks the AWS state afterwards (through the stack), not just exit codes.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::{SpawnOutput, SpawnWithPid, eventually};
use crate::stack::Stack;

/// `up VERSION` of `api` with an image that starts late, waiting up to a minute.
/// Whether the stack shows the service `name` (ACTIVE).
fn created(stack: &Stack, cluster: &str, name: &str) -> Result<(), String> {
    let services = stack.services(cluster);
    let found = services
        .iter()
        .any(|s| s["name"] == name && s["status"] == "ACTIVE");
    found
        .then_some(())
        .ok_or_else(|| format!("{name} not created yet"))
}

fn slow_up(version: &str) -> [&str; 8] {
    [
        "up",
        version,
        "-s",
        "api",
        "--image-tag",
        "slow",
        "--timeout",
        "60s",
    ]
}

fn by_name(services: &[Value]) -> BTreeMap<String, Value> {
    services
        .iter()
        .map(|s| (s["name"].as_str().unwrap().to_owned(), s.clone()))
        .collect()
}

fn tags(service: &Value) -> &serde_json::Map<String, Value> {
    service["tags"].as_object().unwrap()
}

#[test]
fn full_lifecycle_of_a_two_service_version() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("lifecycle");

    // up: both services created, running, tagged.
    let up: Value =
        serde_json::from_str(&p.ok(&["up", "feature-1", "--json", "--image-tag", "one"])).unwrap();
    assert_eq!(up["version"], "feature-1");
    assert_eq!(up["header"], "baggage: dynamic_route=feature-1");
    let results = up["services"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r["action"] == "create"), "{up}");
    assert_eq!(results[1]["status"], "running 2/2");

    let aws = by_name(&stack.services(&cluster));
    let api = &aws["api--feature-1"];
    assert_eq!(api["status"], "ACTIVE");
    assert_eq!(api["runningCount"], 1);
    assert_eq!(aws["web--feature-1"]["runningCount"], 2);
    let t = tags(api);
    for key in [
        "dynroute:managed",
        "dynroute:service",
        "dynroute:version",
        "dynroute:owner",
        "dynroute:created-at",
        "dynroute:updated-at",
        "dynroute:expires-at",
        "dynroute:image-tag",
    ] {
        assert!(t.contains_key(key), "missing tag {key}: {t:?}");
    }
    assert_eq!(t["dynroute:managed"], "true");
    assert_eq!(t["dynroute:owner"], "tester");
    let created = t["dynroute:created-at"].as_str().unwrap().to_owned();
    let expires = t["dynroute:expires-at"].as_str().unwrap().to_owned();

    // ls: one row, documented fields.
    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    let rows = ls.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    for field in [
        "version",
        "status",
        "owner",
        "created_at",
        "updated_at",
        "expires_at",
        "expired",
        "protected",
        "image_tag",
        "services",
    ] {
        assert!(
            rows[0].get(field).is_some(),
            "ls --json lacks {field}: {}",
            rows[0]
        );
    }
    assert_eq!(rows[0]["status"], "3/3 running");
    assert_eq!(rows[0]["image_tag"], "one");
    assert_eq!(
        rows[0]["urls"],
        // The URLs that reach the version: its version hosts.
        serde_json::json!([
            "https://api--feature-1.dev.test/",
            "https://web--feature-1.dev.test/"
        ])
    );
    let table = p.ok(&["ls"]);
    assert!(
        table.contains("VERSION") && table.contains("feature-1") && table.contains("api,web"),
        "{table}"
    );

    // status: per service revision, counts, events.
    let status: Value = serde_json::from_str(&p.ok(&["status", "feature-1", "--json"])).unwrap();
    let svc = &status["services"][0];
    assert_eq!(svc["ecs_service"], "api--feature-1");
    assert_eq!(svc["deployed"], true);
    assert_eq!(svc["task_definition"], "api--feature-1:1");
    assert!(!svc["events"].as_array().unwrap().is_empty());
    assert!(
        p.ok(&["status", "feature-1"])
            .contains("api--feature-1: api--feature-1:1 1/1 running")
    );

    // up again with a new image: same services, new revision, TTL reset, created-at kept.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let again: Value =
        serde_json::from_str(&p.ok(&["up", "feature-1", "--json", "--image-tag", "two"])).unwrap();
    assert!(
        again["services"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["action"] == "update"),
        "{again}"
    );
    let aws = by_name(&stack.services(&cluster));
    assert_eq!(aws.len(), 2, "still one service per name");
    let api = &aws["api--feature-1"];
    assert!(
        api["taskDefinition"]
            .as_str()
            .unwrap()
            .ends_with("api--feature-1:2")
    );
    assert_eq!(tags(api)["dynroute:created-at"], created.as_str());
    assert!(
        tags(api)["dynroute:expires-at"].as_str().unwrap() > expires.as_str(),
        "TTL reset"
    );
    assert_eq!(tags(api)["dynroute:image-tag"], "two");

    // down: services gone, task definitions deregistered.
    let down: Value =
        serde_json::from_str(&p.ok(&["down", "feature-1", "--yes", "--wait", "--json"])).unwrap();
    let removed = down["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 2);
    assert_eq!(removed[0]["task_definitions_deregistered"], 2);
    let aws = stack.services(&cluster);
    assert!(aws.iter().all(|s| s["status"] != "ACTIVE"), "{aws:?}");
    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    assert_eq!(ls, Value::Array(vec![]));
}

#[test]
fn down_of_an_absent_version_is_a_no_op() {
    let stack = Stack::shared();
    let (p, _) = stack.project("absent");
    let out = p.run(&["down", "never-deployed", "--yes"]);
    out.expect(0, &["not deployed; nothing to do"]);
    // Twice, as CI may do after a merge.
    assert_eq!(p.run(&["down", "never-deployed", "--yes"]).code, 0);
}

#[test]
fn down_needs_yes_without_a_terminal_and_force_for_protected_versions() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("protect");
    p.ok(&["up", "main", "-s", "api"]);
    p.usage_error(
        &["down", "main", "--yes"],
        &["version `main` is protected", "hint: pass --force"],
    );
    p.ok(&["up", "feature-2", "-s", "api"]);
    p.usage_error(
        &["down", "feature-2"],
        &[
            "no terminal to ask; would remove:\n  api--feature-2",
            "hint: pass --yes",
        ],
    );
    let aws = by_name(&stack.services(&cluster));
    assert_eq!(aws["api--main"]["status"], "ACTIVE", "main untouched");
    assert_eq!(
        aws["api--feature-2"]["status"], "ACTIVE",
        "nothing removed without --yes"
    );
    assert_eq!(tags(&aws["api--main"])["dynroute:expires-at"], "never");

    p.ok(&["down", "main", "--yes", "--force"]);
    let aws = by_name(&stack.services(&cluster));
    assert_ne!(aws["api--main"]["status"], "ACTIVE");
}

#[test]
fn unmanaged_services_are_neither_updated_nor_deleted() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("unmanaged");
    stack.ctl(&[
        "create-unmanaged-service",
        "--cluster",
        &cluster,
        "--name",
        "api--feature-3",
    ]);
    let before = by_name(&stack.services(&cluster))["api--feature-3"].clone();

    p.usage_error(
        &["up", "feature-3", "-s", "api"],
        &["`api--feature-3` exists but is not managed by dynroute"],
    );
    let out = p.run(&["down", "feature-3", "--yes"]);
    out.expect(
        0,
        &["api--feature-3 is not managed by dynroute; left untouched"],
    );

    let after = by_name(&stack.services(&cluster))["api--feature-3"].clone();
    assert_eq!(after["status"], "ACTIVE");
    assert_eq!(after["taskDefinition"], before["taskDefinition"]);
    assert_eq!(after["tags"], before["tags"]);
    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    assert_eq!(ls, Value::Array(vec![]), "ls shows only managed services");
}

#[test]
fn concurrent_ups_of_one_version_converge_to_one_service() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("race");
    let runs: Vec<_> = (0..2)
        .map(|_| {
            p.cmd(&["up", "feature-4", "-s", "api", "-q"])
                .spawn_output()
        })
        .collect();
    for run in runs {
        let out = run.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let aws = stack.services(&cluster);
    let live: Vec<&Value> = aws.iter().filter(|s| s["status"] == "ACTIVE").collect();
    assert_eq!(live.len(), 1, "{aws:?}");
    assert_eq!(live[0]["name"], "api--feature-4");
    assert_eq!(live[0]["runningCount"], 1);
}

#[test]
fn a_crashing_image_exits_4_with_the_reason() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("crash");
    let crash = [
        "up",
        "feature-5",
        "-s",
        "api",
        "--image-tag",
        "crash",
        "--timeout",
        "60s",
    ];
    p.run(&crash).expect(
        4,
        &[
            "error: deployment of api--feature-5 failed",
            "Essential container in task exited",
        ],
    );
    let aws = by_name(&stack.services(&cluster));
    assert_eq!(aws["api--feature-5"]["runningCount"], 0);
}

#[test]
fn a_crashing_update_rolls_back_and_ls_says_so() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("rollback");
    p.ok(&["up", "feature-14", "-s", "api", "--image-tag", "good"]);
    p.run(&[
        "up",
        "feature-14",
        "-s",
        "api",
        "--image-tag",
        "crash",
        "--timeout",
        "60s",
    ])
    .expect(
        4,
        &[
            "rolled back to api--feature-14:1",
            "Essential container in task exited",
        ],
    );
    // The previous revision keeps serving; ls tells the truth about the failed update.
    eventually(30, || {
        let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
        let svc = by_name(&stack.services(&cluster))["api--feature-14"].clone();
        let serving_old = svc["runningCount"] == 1
            && svc["taskDefinition"]
                .as_str()
                .unwrap()
                .ends_with("api--feature-14:1");
        let reported =
            ls[0]["status"] == "failed" && ls[0]["services"][0]["status"] == "rolled back";
        if serving_old && reported {
            Ok(())
        } else {
            Err(format!("{ls} {svc}"))
        }
    });
}

#[test]
fn a_slow_image_with_a_short_timeout_exits_3() {
    let stack = Stack::shared();
    let (p, _) = stack.project("slow");
    let out = p.run(&[
        "up",
        "feature-6",
        "-s",
        "api",
        "--image-tag",
        "slow",
        "--timeout",
        "1s",
    ]);
    out.expect(
        3,
        &[
            "error: timed out after 1s waiting for: api--feature-6",
            "hint: the deployment goes on",
        ],
    );
    // It does finish; a second `up` converges.
    p.ok(&slow_up("feature-6"));
}

#[test]
fn dry_run_and_no_wait_write_nothing_or_do_not_wait() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("dryrun");
    let plan: Value =
        serde_json::from_str(&p.ok(&["up", "feature-7", "--dry-run", "--json"])).unwrap();
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["services"][0]["action"], "create");
    assert!(plan["timings"]["plan_ms"].is_u64(), "{plan}");
    assert!(plan["timings"]["register_ms"].is_null(), "{plan}");
    assert!(stack.services(&cluster).is_empty());
    let out: Value = serde_json::from_str(&p.ok(&[
        "up",
        "feature-7",
        "--no-wait",
        "--json",
        "--image-tag",
        "slow",
    ]))
    .unwrap();
    assert_eq!(out["services"][0]["status"], "deploying");
    assert!(out["timings"]["create_update_ms"].is_u64(), "{out}");
    assert!(out["timings"]["first_task_running_ms"].is_null(), "{out}");
    assert_eq!(stack.services(&cluster).len(), 2);
}

#[test]
fn prune_removes_only_expired_versions() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("prune");
    stack.ctl(&[
        "seed-services",
        "--cluster",
        &cluster,
        "--services",
        "api,web",
        "--versions",
        "old-1,old-2",
        "--expired",
    ]);
    stack.ctl(&[
        "seed-services",
        "--cluster",
        &cluster,
        "--services",
        "api",
        "--versions",
        "fresh",
    ]);
    stack.ctl(&[
        "seed-services",
        "--cluster",
        &cluster,
        "--services",
        "api",
        "--versions",
        "main,shadow",
        "--expired",
    ]);

    let dry: Value = serde_json::from_str(&p.ok(&["prune", "--dry-run", "--json"])).unwrap();
    assert_eq!(dry["versions"], serde_json::json!(["old-1", "old-2"]));
    assert_eq!(
        by_name(&stack.services(&cluster))
            .values()
            .filter(|s| s["status"] == "ACTIVE")
            .count(),
        7
    );

    p.usage_error(&["prune"], &["hint: pass --yes"]);
    let done: Value = serde_json::from_str(&p.ok(&["prune", "--yes", "--json"])).unwrap();
    assert_eq!(done["removed"].as_array().unwrap().len(), 4);
    let live: Vec<String> = stack
        .services(&cluster)
        .iter()
        .filter(|s| s["status"] == "ACTIVE")
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    let mut live = live;
    live.sort();
    assert_eq!(live, ["api--fresh", "api--main", "api--shadow"]);
}

#[test]
fn ls_makes_the_minimum_api_calls() {
    let stack = Stack::start(false);
    let (p, cluster) = {
        let (p, cluster) = stack.project("calls");
        (p, cluster)
    };
    stack.ctl(&[
        "seed-services",
        "--cluster",
        &cluster,
        "--services",
        "api,web",
        "--count",
        "200",
    ]);
    stack.ctl(&["calls-reset"]);
    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    let calls = stack.rust_calls();
    stack.stop();
    assert_eq!(
        ls.as_array().unwrap().len(),
        100,
        "200 services = 100 versions of 2"
    );
    assert_eq!(calls["ECS.DescribeServices"], 20, "ceil(200/10): {calls}");
    // moto returns every service in one ListServices page (AWS: ceil(200/100) = 2).
    assert!(calls["ECS.ListServices"].as_u64().unwrap() <= 2, "{calls}");
    let total: u64 = calls
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(
        total,
        20 + calls["ECS.ListServices"].as_u64().unwrap(),
        "nothing else: {calls}"
    );
}

#[test]
fn a_stack_that_dies_mid_up_gives_a_clear_error_and_a_rerun_converges() {
    let stack = Stack::start(false);
    let (p, cluster) = stack.project("outage");
    let run = p.cmd(&slow_up("feature-8")).spawn_output();
    // Mid-up: the service exists and `up` is waiting for its rollout.
    eventually(30, || created(&stack, &cluster, "api--feature-8"));
    stack.stop();
    let out = run.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: DescribeServices failed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: the AWS endpoint did not answer"),
        "{stderr}"
    );

    // A new stack (moto keeps state in memory): the same command converges.
    let fresh = Stack::start(false);
    let (p2, cluster) = fresh.project("outage");
    p2.ok(&slow_up("feature-8"));
    let live: Vec<Value> = fresh
        .services(&cluster)
        .into_iter()
        .filter(|s| s["status"] == "ACTIVE")
        .collect();
    fresh.stop();
    assert_eq!(live.len(), 1);
}

#[test]
fn ctrl_c_while_waiting_exits_130_and_the_deployment_goes_on() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("interrupt");
    let child = p.std_cmd(&slow_up("feature-11")).spawn_output_with_pid();
    // Interrupt while `up` waits: once the service exists.
    eventually(30, || created(stack, &cluster, "api--feature-11"));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.handle.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("error: stopped waiting; still deploying: api--feature-11"),
        "{stderr}"
    );
    // The service exists and its rollout completes without dynroute.
    eventually(30, || {
        let svc = by_name(&stack.services(&cluster))["api--feature-11"].clone();
        if svc["runningCount"] == 1 {
            Ok(())
        } else {
            Err(svc.to_string())
        }
    });
}

#[test]
fn up_racing_down_ends_in_a_state_ls_reports_truthfully() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("updown");
    p.ok(&["up", "feature-12", "-s", "api"]);
    let up = p
        .cmd(&["up", "feature-12", "-s", "api", "--image-tag", "two", "-q"])
        .spawn_output();
    let down = p.cmd(&["down", "feature-12", "--yes", "-q"]).spawn_output();
    let (up, down) = (up.join().unwrap(), down.join().unwrap());
    assert!(
        down.status.success(),
        "{}",
        String::from_utf8_lossy(&down.stderr)
    );
    // `up` either won (service live) or lost the race with a clear error; ls
    // lists exactly the live services (like ECS's ListServices, the stack hides
    // DRAINING ones from listings).
    let present: Vec<Value> = stack
        .services(&cluster)
        .into_iter()
        .filter(|s| s["status"] == "ACTIVE")
        .collect();
    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    let listed: Vec<(String, String)> = ls
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["services"].as_array().unwrap().clone())
        .map(|s| {
            (
                s["ecs_service"].as_str().unwrap().to_owned(),
                s["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, bool)> = present
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["status"] == "DRAINING",
            )
        })
        .collect();
    assert_eq!(
        listed.len(),
        expected.len(),
        "ls {listed:?} vs stack {expected:?}"
    );
    for ((name, status), (want_name, draining)) in listed.iter().zip(&expected) {
        assert_eq!(name, want_name);
        assert_eq!(status == "draining", *draining, "{name}: ls says {status}");
    }
    if !up.status.success() {
        let stderr = String::from_utf8_lossy(&up.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(up.status.code(), Some(1), "{stderr}");
    }
    // Whatever happened, a re-run of either command converges.
    p.ok(&["down", "feature-12", "--yes", "-q"]);
    assert!(
        stack
            .services(&cluster)
            .iter()
            .all(|s| s["status"] != "ACTIVE")
    );
}

#[test]
fn verbose_shows_what_is_read_and_written() {
    let stack = Stack::shared();
    let (p, _) = stack.project("verbose");
    let out = p.run(&["up", "feature-13", "-s", "api", "-v"]);
    out.expect(0, &["config: "]);
    assert!(
        out.stderr.contains(&format!("via {}", stack.endpoint())),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("registered api--feature-13:1"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("created service api--feature-13"),
        "{}",
        out.stderr
    );
    for phase in [
        "validate",
        "register",
        "create/update",
        "steady state",
        "total",
    ] {
        assert!(
            out.stderr.contains(&format!("timing: {phase} ")),
            "no timing of {phase}: {}",
            out.stderr
        );
    }
    let quiet = p.run(&["up", "feature-13", "-s", "api", "-q"]);
    assert_eq!(quiet.stderr, "", "-q prints nothing on success");
}

#[test]
fn a_rerun_with_nothing_changed_registers_and_updates_nothing() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("rerun");
    p.ok(&["up", "rerun-1", "--image-tag", "one"]);
    let before = tags(&by_name(&stack.services(&cluster))["api--rerun-1"])["dynroute:expires-at"]
        .as_str()
        .unwrap()
        .to_owned();

    // The same `up` again: only the services' tags are refreshed.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = p.ok(&["up", "rerun-1", "--image-tag", "one"]);
    let table: Vec<&str> = out.lines().take(3).collect();
    assert_eq!(
        table,
        [
            " SERVICE  ECS SERVICE   ACTION     TASK DEFINITION  STATUS      ",
            " api      api--rerun-1  unchanged  api--rerun-1:1   running 1/1 ",
            " web      web--rerun-1  unchanged  web--rerun-1:1   running 2/2 ",
        ],
        "{out}"
    );
    // Both runs together: the first registered and created, the second tagged.
    assert_eq!(
        stack.write_actions_naming("--rerun-1"),
        [
            "ECS.CreateService",
            "ECS.CreateService",
            "ECS.RegisterTaskDefinition",
            "ECS.RegisterTaskDefinition",
            "ECS.TagResource",
            "ECS.TagResource"
        ]
    );
    let api = &by_name(&stack.services(&cluster))["api--rerun-1"];
    assert!(
        api["taskDefinition"]
            .as_str()
            .unwrap()
            .ends_with("api--rerun-1:1")
    );
    assert!(
        tags(api)["dynroute:expires-at"].as_str().unwrap() > before.as_str(),
        "the expiry is refreshed"
    );

    // --force-new-deployment restarts the tasks of the same revision.
    let forced: Value = serde_json::from_str(&p.ok(&[
        "up",
        "rerun-1",
        "-s",
        "api",
        "--image-tag",
        "one",
        "--force-new-deployment",
        "--json",
    ]))
    .unwrap();
    assert_eq!(forced["services"][0]["action"], "update", "{forced}");
    assert_eq!(forced["services"][0]["task_definition"], "api--rerun-1:1");
    let all = stack.write_actions_naming("--rerun-1");
    let counted = |action: &str| all.iter().filter(|a| *a == action).count();
    assert_eq!(counted("ECS.RegisterTaskDefinition"), 2, "{all:?}");
    assert_eq!(counted("ECS.UpdateService"), 1, "{all:?}");

    // A new image: a new revision, as before.
    let changed: Value = serde_json::from_str(&p.ok(&[
        "up",
        "rerun-1",
        "-s",
        "api",
        "--image-tag",
        "two",
        "--json",
    ]))
    .unwrap();
    assert_eq!(changed["services"][0]["action"], "update", "{changed}");
    assert_eq!(changed["services"][0]["task_definition"], "api--rerun-1:2");
}
