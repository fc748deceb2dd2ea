//! Activity end to end: requests through two real Traefik replicas (metrics
//! on), `dynroute activity record` turning their counters into each service's
//! LAST REQUEST and the heartbeat, a replica restarted mid-window, and
//! `prune --idle` removing only a version nobody used — and refusing while
//! the recorder's heartbeat has a gap. Hours pass on the real binary's clock
//! through Debian's libfaketime (`FAKETIME=+Nh`), not in real time.

use serde_json::Value;

use crate::harness::{Project, eventually};
use crate::http;
use crate::stack::{Stack, stack_module};

const TAG: &str = "act";

/// libfaketime, as `scripts/install-faketime` installs it.
fn libfaketime() -> String {
    let found = ["x86_64-linux-gnu", "aarch64-linux-gnu"]
        .iter()
        .map(|arch| format!("/usr/lib/{arch}/faketime/libfaketime.so.1"))
        .find(|p| std::path::Path::new(p).is_file());
    found.expect("libfaketime is not installed: run `scripts/install-faketime` (scripts/test does)")
}

/// A replica beside the stack's Traefik, with the same flags.
struct Replica {
    state_dir: String,
    name: String,
    web: String,
    api: String,
    metrics: String,
}

impl Replica {
    fn start(stack: &Stack, name: &str, ports: Option<(u16, u16)>) -> Replica {
        let state_dir = stack.state_dir.to_str().unwrap().to_owned();
        let mut args = vec![
            "replica",
            "start",
            "--name",
            name,
            "--state-dir",
            &state_dir,
        ];
        let ports = ports.map(|(w, a)| (w.to_string(), a.to_string()));
        if let Some((web, api)) = &ports {
            args.extend(["--web-port", web, "--api-port", api]);
        }
        let doc = stack_module("stack.launcher", &args);
        let url = |k: &str| doc[k].as_str().unwrap().to_owned();
        let replica = Replica {
            state_dir,
            name: name.to_owned(),
            web: url("traefik_web_url"),
            api: url("traefik_api_url"),
            metrics: url("traefik_metrics_url"),
        };
        assert!(
            replica.web.starts_with("http://127.") && replica.metrics.starts_with("http://127.")
        );
        replica
    }

    fn ports(&self) -> (u16, u16) {
        let port = |url: &str| {
            url.rsplit(':')
                .next()
                .unwrap()
                .trim_end_matches("/metrics")
                .parse()
                .unwrap()
        };
        (port(&self.web), port(&self.api))
    }

    fn stop(&self) {
        let doc = stack_module(
            "stack.launcher",
            &[
                "replica",
                "stop",
                "--name",
                &self.name,
                "--state-dir",
                &self.state_dir,
            ],
        );
        assert_eq!(doc["stopped"], true, "{doc}");
    }

    /// Waits until this replica routes `versions` of `service`.
    fn wait_for(&self, service: &str, versions: &[&str]) {
        eventually(30, || {
            let r = http::get(
                &self.api,
                "localhost",
                "/api/http/routers?per_page=10000",
                &[],
            )
            .map_err(|e| e.to_string())?;
            let missing: Vec<&&str> = versions
                .iter()
                .filter(|v| !r.body.contains(&format!("\"{service}--{v}@ecs\"")))
                .collect();
            match missing.is_empty() {
                true => Ok(()),
                false => Err(format!("{} does not route {missing:?} yet", self.web)),
            }
        });
    }
}

/// Sends `n` requests for `version` of the service through `web` and checks
/// that the version answered.
fn send(web: &str, host: &str, version: &str, n: usize) {
    for _ in 0..n {
        let r = http::get(
            web,
            host,
            "/",
            &[("baggage", &format!("dynamic_route={version}"))],
        )
        .unwrap();
        assert_eq!(r.status, 200, "{web} {version}: {}", r.body);
        assert_eq!(r.header("x-dynroute-version"), Some(version), "{web}");
    }
}

/// The environment that makes the binary's clock `hours` ahead.
pub fn clock_env(hours: f64) -> Vec<(&'static str, String)> {
    vec![
        ("LD_PRELOAD", libfaketime()),
        ("FAKETIME", format!("+{}m", (hours * 60.0).round() as i64)),
        ("FAKETIME_DONT_FAKE_MONOTONIC", "1".into()),
    ]
}

fn run_at(p: &Project, hours: f64, args: &[&str]) -> crate::harness::Output {
    let env = clock_env(hours);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    p.run_env(&env, args)
}

#[track_caller]
fn record(p: &Project, hours: f64) -> Value {
    let out = run_at(p, hours, &["activity", "record", "--json"]);
    assert_eq!(
        out.code, 0,
        "activity record at +{hours}h:\n{}{}",
        out.stdout, out.stderr
    );
    serde_json::from_str(&out.stdout).unwrap()
}

fn last_requests(p: &Project, hours: f64) -> Vec<(String, Value)> {
    let out = run_at(p, hours, &["ls", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Vec<Value> = serde_json::from_str(&out.stdout).unwrap();
    rows.iter()
        .map(|r| {
            (
                r["version"].as_str().unwrap().to_owned(),
                r["last_request"].clone(),
            )
        })
        .collect()
}

#[test]
fn traefik_counters_move_last_request_and_prune_idle_trusts_only_a_watched_window() {
    let stack = Stack::with_traefik();
    let first_web = stack.traefik_web();
    let first_metrics = stack.info["traefik_metrics_url"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = Replica::start(stack, &format!("{TAG}2"), None);
    let cluster = stack.cluster(TAG);
    let api = format!("{TAG}api");
    let host = format!("{api}.dev.test");
    let config = format!(
        "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\nprotected: [main, demo]\ningress:\n  url: {first_web}\ntraefik:\n  entrypoints: [web]\n{network}activity:\n  metrics: [{first_metrics}, {second}]\n  max_gap: 90m\nservices:\n  {api}:\n    template: templates/app.yaml\n    port: 8080\n    health_check_path: /health\n",
        network = stack.network_yaml(),
        second = second.metrics,
    );
    let p = stack.project_with(&config);
    for v in ["main", "demo", "feature-used", "feature-idle"] {
        p.ok(&["up", v]);
    }
    let versions = ["main", "demo", "feature-used", "feature-idle"];
    stack.wait_for_routers(
        &versions
            .iter()
            .map(|v| format!("{api}--{v}"))
            .collect::<Vec<_>>(),
        &[],
    );
    second.wait_for(&api, &versions);

    // Hour 0: the first recording starts the heartbeat on main's service.
    // `up`'s own verification requests went through Traefik: every version
    // has requests at its deployment.
    let r = record(&p, 0.0);
    assert_eq!(r["holder"], format!("{api}--main"), "{r}");
    assert_eq!(r["requested"].as_array().unwrap().len(), 4, "{r}");
    assert_eq!(r["replicas"].as_array().unwrap().len(), 2);
    let first_since = r["heartbeat"]["since"].as_str().unwrap().to_owned();

    // Requests through both replicas: the counters of both are summed.
    send(&first_web, &host, "feature-used", 3);
    send(&second.web, &host, "feature-used", 2);
    send(&first_web, &host, "main", 1);
    let r = record(&p, 1.0);
    let requested: Vec<&str> = r["requested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        requested,
        [format!("{api}--feature-used"), format!("{api}--main")],
        "{r}"
    );
    let counted: u64 = r["replicas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["requests"].as_u64().unwrap())
        .sum();
    assert!(counted >= 6, "both replicas' counters: {r}");
    let rows = last_requests(&p, 1.0);
    let of =
        |rows: &[(String, Value)], v: &str| rows.iter().find(|(n, _)| n == v).unwrap().1.clone();
    let hour1 = of(&rows, "feature-used");
    assert!(hour1.is_string(), "{rows:?}");
    let hour0 = of(&rows, "feature-idle");
    assert!(
        hour0.as_str().unwrap() < hour1.as_str().unwrap(),
        "{rows:?}"
    );
    let table = String::from_utf8(
        p.std_cmd(&["ls"])
            .envs(clock_env(1.0))
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(table.contains("LAST REQUEST"), "{table}");

    // The second replica restarts: its counter for feature-used drops from 2 to 0.
    let ports = second.ports();
    second.stop();
    let second = Replica::start(stack, &format!("{TAG}2"), Some(ports));
    second.wait_for(&api, &versions);
    let r = record(&p, 2.0);
    assert_eq!(
        r["resets"][0],
        format!("{api}--feature-used"),
        "a restart, not traffic: {r}"
    );
    assert!(r["requested"].as_array().unwrap().is_empty(), "{r}");
    assert_eq!(of(&last_requests(&p, 2.0), "feature-used"), hour1);
    // One request after the restart: the sum over replicas (3 + 1) is below
    // what it was (3 + 2), and still the version was used.
    send(&second.web, &host, "feature-used", 1);
    let r = record(&p, 3.0);
    assert_eq!(r["requested"][0], format!("{api}--feature-used"), "{r}");
    let hour3 = of(&last_requests(&p, 3.0), "feature-used");
    assert_ne!(hour3, hour1);

    // Hours 4 and 5 without traffic; at 5h10m a 3h window is watched whole:
    // feature-idle (never requested since its deployment 5h ago) goes,
    // feature-used (2h ago) stays, main and demo are protected.
    record(&p, 4.0);
    record(&p, 5.0);
    let dry = run_at(&p, 5.17, &["prune", "--idle", "3h", "--dry-run", "--json"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let report: Value = serde_json::from_str(&dry.stdout).unwrap();
    assert_eq!(
        report["versions"],
        serde_json::json!(["feature-idle"]),
        "{report}"
    );
    assert_eq!(report["idle"][0]["version"], "feature-idle");
    assert_eq!(report["idle"][0]["last_request"], hour0, "{report}");
    assert!(report["idle"][0]["deployed_at"].is_string(), "{report}");
    let text = run_at(&p, 5.17, &["prune", "--idle", "3h", "--dry-run"]);
    let since = &hour0.as_str().unwrap()[..19];
    assert!(
        text.stdout.contains(&format!(
            "would remove feature-idle (idle: no request since {since}Z)"
        )),
        "{}",
        text.stdout
    );
    let pruned = run_at(&p, 5.17, &["prune", "--idle", "3h", "--yes"]);
    assert_eq!(pruned.code, 0, "{}", pruned.stderr);
    let left: Vec<String> = last_requests(&p, 5.17)
        .into_iter()
        .map(|(v, _)| v)
        .collect();
    assert_eq!(left, ["main", "demo", "feature-used"]);

    // The recorder stops from hour 5 to hour 8: a 3h window over the gap is refused.
    let r = record(&p, 8.0);
    assert_eq!(r["heartbeat"]["gap"]["to"], r["heartbeat"]["since"], "{r}");
    let refused = run_at(&p, 8.17, &["prune", "--idle", "3h", "--yes"]);
    assert_eq!(refused.code, 1, "{}{}", refused.stdout, refused.stderr);
    let gap_from = r["heartbeat"]["gap"]["from"].as_str().unwrap();
    assert!(
        refused
            .stderr
            .contains("prune --idle 3h refused: the recorder was not running from")
            && refused.stderr.contains(&gap_from[..16]),
        "{}",
        refused.stderr
    );
    assert_eq!(last_requests(&p, 8.17).len(), 3, "nothing removed");
    assert_ne!(r["heartbeat"]["since"].as_str().unwrap(), first_since);

    // Recording every 25 minutes for three more hours makes the window whole again.
    let mut h = 8.0;
    while h < 11.0 {
        h += 25.0 / 60.0;
        record(&p, h);
    }
    let dry = run_at(
        &p,
        h + 0.1,
        &["prune", "--idle", "3h", "--dry-run", "--json"],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let report: Value = serde_json::from_str(&dry.stdout).unwrap();
    assert_eq!(
        report["versions"],
        serde_json::json!(["feature-used"]),
        "{report}"
    );

    // A replica that cannot be read: exit 1 naming it, the heartbeat held.
    second.stop();
    let out = run_at(&p, h + 0.2, &["activity", "record"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "could not read Traefik's metrics from {}",
            second.metrics
        )),
        "{}",
        out.stderr
    );
}

#[test]
fn serve_records_activity_after_its_refreshes_and_shows_last_request() {
    let stack = Stack::with_traefik();
    let tag = "acs";
    let cluster = stack.cluster(tag);
    let api = format!("{tag}api");
    let config = format!(
        "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\ningress:\n  url: {web}\ntraefik:\n  entrypoints: [web]\n{network}activity:\n  metrics: [{metrics}]\n  every: 1s\n  max_gap: 1m\nservices:\n  {api}:\n    template: templates/app.yaml\n    port: 8080\n    health_check_path: /health\n",
        web = stack.traefik_web(),
        network = stack.network_yaml(),
        metrics = stack.info["traefik_metrics_url"].as_str().unwrap(),
    );
    let p = stack.project_with(&config);
    p.ok(&["up", "main"]);
    p.ok(&["up", "feature-1"]);
    stack.wait_for_routers(&[format!("{api}--main"), format!("{api}--feature-1")], &[]);
    send(
        &stack.traefik_web(),
        &format!("{api}.dev.test"),
        "feature-1",
        2,
    );

    let mut server = crate::catalog::Server::start(&p, &[]);
    // Recordings follow the refreshes (every second here): the heartbeat
    // advances, and the version's last request shows in the API and the page.
    eventually(30, || {
        let health = server.json("/healthz");
        let recording = &health["activity"]["recording"];
        match recording["heartbeat"]["last"].as_str() {
            Some(_) if recording["holder"] == format!("{api}--main") => Ok(()),
            _ => Err(format!("no heartbeat yet: {health}")),
        }
    });
    eventually(30, || {
        let v = server.json("/api/versions/feature-1");
        match v["last_request"].as_str() {
            Some(_) => Ok(()),
            None => Err(format!("no last request yet: {v}")),
        }
    });
    let page = http::get(&server.base, "catalog.test", "/v/feature-1", &[]).unwrap();
    assert!(
        page.body.contains("<dt>Last request</dt><dd>"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("<dd>none recorded</dd>"),
        "{}",
        page.body
    );
    let metrics = http::get(&server.base, "catalog.test", "/metrics", &[])
        .unwrap()
        .body;
    let value = |name: &str| -> f64 {
        let line = metrics
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name} in {metrics}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    assert!(
        value("dynroute_catalog_activity_recordings_total") >= 1.0,
        "{metrics}"
    );
    assert!(
        value("dynroute_catalog_activity_heartbeat_timestamp_seconds") > 1.7e9,
        "{metrics}"
    );
    server.stop();
    // What serve wrote, `ls` reads.
    let rows: Vec<Value> = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    assert!(
        rows.iter().all(|r| r["last_request"].is_string()),
        "{rows:?}"
    );
}

#[test]
fn bad_activity_input_is_refused_before_any_aws_call() {
    let p = Project::example();
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    // Without `activity:` nothing records, so nothing can be idle.
    p.usage_error(
        &["activity", "record"],
        &["no `activity:` section", "hint: add `activity:`"],
    );
    p.usage_error(
        &["prune", "--idle", "3d"],
        &["prune --idle: ", "has no `activity:` section"],
    );
    let with = |activity: &str| {
        let text = config.replacen("services:", &format!("activity:\n{activity}services:"), 1);
        std::fs::write(p.path().join("dynroute.yaml"), text).unwrap();
    };
    with("  metrics: [http://127.0.0.1:9/metrics]\n  max_gap: 1h\n");
    p.usage_error(
        &["prune", "--idle", "45m", "--yes"],
        &[
            "prune --idle 45m: not longer than activity.max_gap (1h)",
            "hint: use a longer window",
        ],
    );
    let out = p.run(&["prune", "--idle", "3d", "--all-projects"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("cannot be used with"), "{}", out.stderr);
    p.usage_error(&["prune", "--idle", "0s"], &["it must be more than zero"]);
    p.usage_error(
        &["prune", "--idle", "400d"],
        &["longer than a year", "hint: use a window of at most 365d"],
    );
    // Mistakes in the section name their line.
    for (activity, says) in [
        (
            "  metrics: [ftp://x/metrics]\n",
            "activity.metrics[0] \"ftp://x/metrics\" is not an http:// or https:// URL",
        ),
        (
            "  traefik_service: traefik\n  metrics: [http://a/m]\n",
            "not both",
        ),
        (
            "  traefik_service: traefik\n  every: 10m\n  max_gap: 15m\n",
            "at least twice activity.every",
        ),
        (
            "  traefik_service: 'bad name'\n",
            "is not an ECS service name",
        ),
        ("  metric: [http://a/m]\n", "unknown field `metric`"),
    ] {
        with(activity);
        p.usage_error(&["ls"], &["dynroute.yaml:", says]);
    }
}

#[test]
fn traefik_replicas_are_found_through_ecs_at_their_tasks_addresses() {
    // Traefik's ECS service stands in as a service of two tasks that are not
    // Traefik: the recorder finds both through ListTasks and DescribeTasks,
    // reads each at its private address, and refuses what is not Traefik's metrics.
    let stack = Stack::shared();
    let (p, cluster) = stack.project("acecs");
    stack.ctl(&[
        "create-unmanaged-service",
        "--cluster",
        &cluster,
        "--name",
        "edge-proxy",
        "--desired-count",
        "2",
    ]);
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let p = p.file(
        "dynroute.yaml",
        &config.replacen(
            "services:",
            "activity:\n  traefik_service: edge-proxy\n  metrics_port: 8080\nservices:",
            1,
        ),
    );
    eventually(30, || {
        let out = p.run(&["activity", "record", "--json"]);
        let urls: Vec<&str> = out
            .stderr
            .match_indices("http://127.")
            .map(|(i, _)| &out.stderr[i..])
            .filter_map(|rest| rest.split([' ', ',', ')']).next())
            .collect();
        if out.code == 1 && urls.len() == 2 && urls.iter().all(|u| u.ends_with(":8080/metrics")) {
            assert!(
                out.stderr.contains("is this Traefik's /metrics?"),
                "{}",
                out.stderr
            );
            assert_ne!(urls[0], urls[1], "two tasks, two addresses");
            Ok(())
        } else {
            Err(format!("exit {}: {}", out.code, out.stderr))
        }
    });
    // No task with an address: said, with what to check.
    let p = p.file(
        "dynroute.yaml",
        &config.replacen(
            "services:",
            "activity:\n  traefik_service: nobody-runs-this\nservices:",
            1,
        ),
    );
    let out = p.run(&["activity", "record"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "activity.traefik_service nobody-runs-this: no running task with a private address"
        ),
        "{}",
        out.stderr
    );
}
