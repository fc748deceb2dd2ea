//! AWS faults injected by the local stack (throttling, 5xx answers, latency, an
//! endpoint that refuses connections): dynroute's answers stay the same, nothing
//! is lost or done twice, and what it cannot do it says clearly.
//!
//! Each test tags dynroute's requests with `AWS_SDK_UA_APP_ID=<its cluster>` and
//! scopes the faults and the call counters to that tag ([`Faulty`], shared with
//! the eventual-consistency tests), so tests share one stack and run in
//! parallel without faulting or counting each other.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::harness::Project;
use crate::stack::Stack;

/// A project in a fresh cluster whose dynroute requests carry the cluster as app id.
pub struct Faulty {
    pub stack: &'static Stack,
    pub project: Project,
    pub cluster: String,
}

impl Faulty {
    /// Services `api` and `web`, like the lifecycle tests.
    pub fn new(test: &str) -> Faulty {
        let stack = Stack::shared();
        let (project, cluster) = stack.project(test);
        Faulty::wrap(stack, project, cluster)
    }

    /// `count` services `s0`, `s1`, ... (one task each).
    fn with_services(test: &str, count: usize) -> Faulty {
        let stack = Stack::shared();
        let cluster = stack.cluster(test);
        let mut config = format!(
            "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\n{}services:\n",
            stack.network_yaml()
        );
        for i in 0..count {
            config.push_str(&format!(
                "  s{i}:\n    template: templates/app.yaml\n    port: 8080\n"
            ));
        }
        let project = stack.project_with(&config);
        Faulty::wrap(stack, project, cluster)
    }

    fn wrap(stack: &'static Stack, project: Project, cluster: String) -> Faulty {
        let project = project.env("AWS_SDK_UA_APP_ID", &cluster);
        Faulty {
            stack,
            project,
            cluster,
        }
    }

    /// Sets this test's faults (replacing earlier ones).
    pub fn faults(&self, settings: Value) {
        let mut settings = settings;
        settings["app"] = json!(self.cluster);
        let doc = settings.to_string();
        self.stack.ctl(&["faults", "set", "--json", &doc]);
    }

    pub fn faults_off(&self) {
        self.stack.ctl(&["faults", "clear", "--app", &self.cluster]);
    }

    /// This test's API calls by action since the stack started.
    fn calls(&self) -> BTreeMap<String, u64> {
        counts(&self.stack.ctl(&["calls", "--app", &self.cluster]))
    }

    /// Faults injected into this test's calls: action → kind → count.
    fn injected(&self) -> BTreeMap<String, BTreeMap<String, u64>> {
        let doc = self.stack.ctl(&["injected", "--app", &self.cluster]);
        doc.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), counts(v)))
            .collect()
    }

    pub fn injected_total(&self, kind: &str) -> u64 {
        self.injected()
            .values()
            .map(|m| m.get(kind).copied().unwrap_or(0))
            .sum()
    }

    /// The services of the cluster as the stack sees them (any status), by name.
    pub fn services(&self) -> BTreeMap<String, Value> {
        self.stack
            .services(&self.cluster)
            .into_iter()
            .map(|s| (s["name"].as_str().unwrap().to_owned(), s))
            .collect()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.project.ok(args)).unwrap()
    }
}

fn counts(doc: &Value) -> BTreeMap<String, u64> {
    doc.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// Successful calls of an action: the calls that arrived minus the injected faults.
pub fn executed(f: &Faulty, action: &str) -> u64 {
    let calls = f.calls().get(action).copied().unwrap_or(0);
    let faulted: u64 = f
        .injected()
        .get(action)
        .map(|m| {
            m.get("throttled").copied().unwrap_or(0) + m.get("server_errors").copied().unwrap_or(0)
        })
        .unwrap_or(0);
    calls - faulted
}

/// What a service is, without what differs between two runs (times, the version).
fn essence(service: &Value, version: &str) -> Value {
    let strip = |s: &str| s.replace(version, "V");
    let tags: BTreeMap<String, String> = service["tags"]
        .as_object()
        .unwrap()
        .iter()
        // Times differ between runs; the render's digest differs between versions.
        .filter(|(k, _)| !k.ends_with("-at") && *k != "dynroute:render-digest")
        .map(|(k, v)| (k.clone(), strip(v.as_str().unwrap())))
        .collect();
    let td = service["taskDefinition"].as_str().unwrap();
    json!({
        "name": strip(service["name"].as_str().unwrap()),
        "status": service["status"],
        "desiredCount": service["desiredCount"],
        "taskDefinition": strip(td.rsplit('/').next().unwrap()),
        "tags": tags,
    })
}

fn essences(f: &Faulty, version: &str) -> Vec<Value> {
    f.services()
        .values()
        .filter(|s| {
            s["name"]
                .as_str()
                .unwrap()
                .ends_with(&format!("--{version}"))
        })
        .map(|s| essence(s, version))
        .collect()
}

const THROTTLE_30: &str = r#"{"seed": 30, "throttle": {"*": 0.3}}"#;

#[test]
fn up_of_ten_services_under_30_percent_throttling_gives_the_same_services() {
    let f = Faulty::with_services("faults-up", 10);
    f.project.ok(&["up", "fup-calm"]);
    f.faults(serde_json::from_str(THROTTLE_30).unwrap());
    let up = f.json(&["up", "fup-storm", "--json"]);
    assert!(
        up["services"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["action"] == "create" && s["status"] == "running 1/1"),
        "{up}"
    );
    assert!(
        f.injected_total("throttled") > 0,
        "no throttling was injected"
    );

    assert_eq!(essences(&f, "fup-calm"), essences(&f, "fup-storm"));
    assert_eq!(essences(&f, "fup-storm").len(), 10);
    // Each service registered once and created once: nothing was done twice.
    let before = 10; // the calm run's calls
    assert_eq!(executed(&f, "ECS.RegisterTaskDefinition"), before + 10);
    assert_eq!(executed(&f, "ECS.CreateService"), before + 10);
    for s in essences(&f, "fup-storm") {
        assert!(
            s["taskDefinition"].as_str().unwrap().ends_with(":1"),
            "a second revision was registered: {s}"
        );
    }
}

#[test]
fn ls_of_200_under_30_percent_throttling_lists_the_same() {
    let f = Faulty::new("faults-ls");
    // Versions of their own: task definition families are account-wide, and other
    // tests deploy `feature-N`.
    let versions: Vec<String> = (1..=100).map(|i| format!("fls-{i}")).collect();
    f.stack.ctl(&[
        "seed-services",
        "--cluster",
        &f.cluster,
        "--services",
        "api,web",
        "--versions",
        &versions.join(","),
    ]);
    let calm = f.json(&["ls", "--json"]);
    assert_eq!(calm.as_array().unwrap().len(), 100);
    let before = f.calls();
    f.faults(serde_json::from_str(THROTTLE_30).unwrap());
    let storm = f.json(&["ls", "--json"]);
    // What was listed, not how far the scheduler stand-in has got with the
    // rollouts in between (a seeded rollout may complete between the two `ls`).
    let listed = |doc: &serde_json::Value| -> Vec<(String, String, String, Vec<String>)> {
        doc.as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let services = v["services"].as_array().unwrap();
                (
                    v["version"].to_string(),
                    v["owner"].to_string(),
                    v["expires_at"].to_string(),
                    services
                        .iter()
                        .map(|s| format!("{} {}", s["ecs_service"], s["task_definition"]))
                        .collect(),
                )
            })
            .collect()
    };
    assert_eq!(listed(&calm), listed(&storm));

    let after = f.calls();
    let injected = f.injected();
    let throttled = |a: &str| {
        injected
            .get(a)
            .and_then(|m| m.get("throttled"))
            .copied()
            .unwrap_or(0)
    };
    assert!(throttled("ECS.ListServices") + throttled("ECS.DescribeServices") > 0);
    // The minimum calls (2 pages of 100, 20 batches of 10) plus one per throttle.
    let made = |a: &str| after.get(a).copied().unwrap_or(0) - before.get(a).copied().unwrap_or(0);
    assert_eq!(made("ECS.ListServices"), 2 + throttled("ECS.ListServices"));
    assert_eq!(
        made("ECS.DescribeServices"),
        20 + throttled("ECS.DescribeServices")
    );

    // HTTP 500 answers and added latency: the same list again.
    f.faults(json!({"seed": 5, "server_errors": {"*": 0.3}, "latency_ms": {"*": 20}}));
    assert_eq!(listed(&calm), listed(&f.json(&["ls", "--json"])));
    assert!(f.injected_total("server_errors") > 0, "no 5xx was injected");
    assert!(
        f.injected_total("delayed") >= 22,
        "latency was not injected"
    );
}

#[test]
fn down_and_prune_under_30_percent_throttling_remove_exactly_their_versions() {
    let f = Faulty::new("faults-rm");
    let seed = |versions: &str, expired: bool| {
        let mut args = vec![
            "seed-services",
            "--cluster",
            &f.cluster,
            "--services",
            "api,web",
            "--versions",
            versions,
        ];
        if expired {
            args.push("--expired");
        }
        f.stack.ctl(&args);
    };
    seed("rm-calm,rm-storm,keep", false);
    seed("old-1,old-2", true);

    let calm = f.json(&["down", "rm-calm", "--yes", "--json"]);
    f.faults(serde_json::from_str(THROTTLE_30).unwrap());
    let storm = f.json(&["down", "rm-storm", "--yes", "--json"]);
    let normalize = |doc: &Value, version: &str| doc.to_string().replace(version, "V");
    assert_eq!(normalize(&calm, "rm-calm"), normalize(&storm, "rm-storm"));
    let removed = storm["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 2, "{storm}");
    assert!(
        removed
            .iter()
            .all(|r| r["service_deleted"] == true && r["task_definitions_deregistered"] == 1)
    );

    let prune = f.json(&["prune", "--yes", "--json"]);
    assert!(
        f.injected_total("throttled") > 0,
        "no throttling was injected"
    );
    let mut versions: Vec<&str> = prune["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    versions.sort();
    assert_eq!(versions, ["old-1", "old-2"], "{prune}");

    // Every service of a removed version is being deleted exactly once; the others stay.
    let services = f.services();
    for (name, s) in &services {
        let gone = !name.ends_with("--keep");
        assert_eq!(s["status"] != "ACTIVE", gone, "{name} is {}", s["status"]);
    }
    assert_eq!(services.len(), 10);
    assert_eq!(executed(&f, "ECS.DeleteService"), 8);
    assert_eq!(executed(&f, "ECS.DeregisterTaskDefinition"), 8);
}

#[test]
fn throttling_that_outlasts_the_retries_names_the_api_and_a_rerun_converges() {
    let f = Faulty::new("faults-give-up");
    f.project.ok(&["up", "gu", "-s", "web"]);
    f.faults(json!({"throttle": {"ecs:CreateService": 1.0}}));
    let out = f.project.run(&["up", "gu"]);
    out.expect(
        1,
        &[
            "deployment incomplete",
            "deployed: web--gu",
            "not deployed: api--gu",
            "AWS kept answering CreateService with ThrottlingException (Rate exceeded): gave up after 10 attempts",
            "hint: the ECS API rate of an account and region is shared (Traefik's ECS provider polls it too); wait a minute and run the same command again: it converges",
        ],
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert_eq!(f.calls()["ECS.CreateService"], 1 + 10);
    assert_eq!(f.injected()["ECS.CreateService"]["throttled"], 10);
    assert!(!f.services().contains_key("api--gu"));

    f.faults_off();
    let up = f.json(&["up", "gu", "--json"]);
    let actions: Vec<&str> = up["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    // web--gu was deployed by the first run: nothing changed since.
    assert_eq!(actions, ["create", "unchanged"], "{up}");
    let services = f.services();
    assert_eq!(services.len(), 2);
    assert!(services.values().all(|s| s["status"] == "ACTIVE"));
}

#[test]
fn verbose_shows_each_retry_and_seeded_faults_repeat() {
    let f = Faulty::new("faults-verbose");
    // Seed 0 throttles the first ListServices and lets the second through.
    let settings = json!({"seed": 0, "throttle": {"ecs:ListServices": 0.5}});
    f.faults(settings.clone());
    let out = f.project.run(&["-v", "ls"]);
    out.expect(
        0,
        &["retrying ListServices (attempt 2 of 10) after ThrottlingException (HTTP 400)"],
    );
    assert_eq!(out.stderr.matches("retrying").count(), 1, "{}", out.stderr);
    let quiet = f.project.run(&["ls"]);
    assert!(!quiet.stderr.contains("retrying"), "{}", quiet.stderr);
    // Setting the same seed again replays the same decisions.
    f.faults(settings);
    let again = f.project.run(&["-v", "ls"]);
    assert_eq!(
        again.stderr.matches("retrying").count(),
        1,
        "{}",
        again.stderr
    );
}

#[test]
fn an_endpoint_that_refuses_connections_fails_at_once() {
    let stack = Stack::shared();
    let (p, _) = stack.project("faults-refused");
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }; // closed again: connections are refused
    let p = p.env("AWS_ENDPOINT_URL", &format!("http://127.0.0.1:{port}"));
    for args in [&["ls"][..], &["status", "v1"], &["up", "v1", "--no-wait"]] {
        let started = std::time::Instant::now();
        let out = p.run(args);
        let elapsed = started.elapsed();
        out.expect(
            1,
            &[
                "the AWS endpoint refused the connection (Connection refused)",
                "hint: the AWS endpoint did not answer: nothing listens at that address",
            ],
        );
        // A generous guard against 10–15 s of retries, not a timing benchmark.
        assert!(
            elapsed < std::time::Duration::from_secs(8),
            "{args:?} took {elapsed:?}"
        );
    }
}

/// Runs dynroute in `f`'s project with `AWS_RETRY_MODE=mode`: (exit code, stdout, stderr).
fn with_retry_mode(f: &Faulty, mode: &str, args: &[&str]) -> (i32, String, String) {
    let out = f
        .project
        .std_cmd(args)
        .env("AWS_RETRY_MODE", mode)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        out.status.code().unwrap_or(-1),
        text(out.stdout),
        text(out.stderr),
    )
}

#[test]
fn the_retry_mode_is_chosen_with_aws_retry_mode_and_a_wrong_one_is_refused() {
    let f = Faulty::new("faults-retry-mode");
    f.project.ok(&["up", "v1", "--no-wait", "-s", "api"]);
    let standard = f.json(&["ls", "--json"]);
    let (code, stdout, stderr) = with_retry_mode(&f, "adaptive", &["ls", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let adaptive: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(adaptive[0]["version"], standard[0]["version"]);
    assert_eq!(adaptive[0]["services"].as_array().map(Vec::len), Some(1));

    let before = f.calls();
    let (code, _, stderr) = with_retry_mode(&f, "legacy", &["ls"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: AWS_RETRY_MODE=\"legacy\" is not a retry mode: expected `standard` or `adaptive`"
        ) && stderr.contains("hint: unset AWS_RETRY_MODE"),
        "{stderr}"
    );
    assert_eq!(f.calls(), before, "no AWS call with a wrong retry mode");
}
