//! `dynroute doctor`: every check passes on a healthy setup (the platform
//! kit on the local stack, with main deployed and a baseline), and each
//! planted fault fails exactly one check — the one named for it, with its fix —
//! so a doctor that fails everything cannot pass.

use serde_json::Value;

use crate::harness::{Output, Project};
use crate::stack::Stack;

const CLUSTER: &str = "kit";

/// `doctor --json` with these extra arguments and variables: its exit code and checks.
fn doctor(p: &Project, env: &[(&str, &str)], extra: &[&str]) -> (Output, Vec<Value>) {
    let mut args = vec!["doctor", "--json"];
    args.extend(extra);
    let out = p.run_env(env, &args);
    let report: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "doctor --json is not JSON ({e}): {}\n{}",
            out.stdout, out.stderr
        )
    });
    let checks = report["checks"].as_array().unwrap().clone();
    (out, checks)
}

fn failed(checks: &[Value]) -> Vec<String> {
    checks
        .iter()
        .filter(|c| c["status"] == "failed")
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

fn status<'a>(checks: &'a [Value], id: &str) -> &'a Value {
    checks
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no check {id}"))
}

/// `p`'s dynroute.yaml replaced by `text` for one check of `f`, then restored.
fn with_config<T>(p: &Project, text: &str, f: impl FnOnce(&Project) -> T) -> T {
    let path = p.path().join("dynroute.yaml");
    let saved = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text).unwrap();
    let out = f(p);
    std::fs::write(&path, saved).unwrap();
    out
}

/// Asserts that exactly `id` failed, with a fix, and returns its finding.
#[track_caller]
fn only_failed(fault: &str, p: &Project, env: &[(&str, &str)], extra: &[&str], id: &str) -> Value {
    let (out, checks) = doctor(p, env, extra);
    assert_eq!(out.code, 1, "{fault}: exit {}\n{}", out.code, out.stderr);
    assert_eq!(failed(&checks), vec![id.to_owned()], "{fault}: {checks:#?}");
    let finding = status(&checks, id).clone();
    assert!(
        finding["fix"].as_str().is_some_and(|f| !f.is_empty()),
        "{fault}: no fix in {finding}"
    );
    eprintln!(
        "{fault}: ✗ {id}: {} — fix: {}",
        finding["found"], finding["fix"]
    );
    finding
}

#[test]
fn doctor_passes_a_healthy_kit_and_fails_one_check_per_planted_fault() {
    let base = Stack::start(false);
    let deployed = crate::platform_kit::deploy(&base);
    let (_volume, _) = crate::platform_kit::start_traefik(&base, &deployed);
    let stack = base.with_kit_traefik(CLUSTER);
    let (p, _) = stack.routed_project("doc", "v3");
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let api = stack.info["traefik_api_url"].as_str().unwrap();
    let config = config.replace(
        "traefik:\n",
        &format!("activity:\n  metrics: [{api}/metrics]\ntraefik:\n  api_url: {api}\n"),
    ) + "  docbase:\n    template: templates/app.yaml\n    port: 8080\n    baseline: {ecs_service: legacy-docbase}\n";
    let p = p.file("dynroute.yaml", &config);
    // A service main already runs (a baseline dynroute never touches), created
    // from the labels dynroute prints for it.
    let labels = p.ok(&["labels", "-s", "docbase", "--format", "json"]);
    let file = p.path().join("labels.json");
    std::fs::write(&file, &labels).unwrap();
    stack.ctl(&[
        "create-unmanaged-service",
        "--cluster",
        CLUSTER,
        "--name",
        "legacy-docbase",
        "--labels-file",
        file.to_str().unwrap(),
        "--desired-count",
        "1",
    ]);
    for service in ["docapi", "docweb"] {
        let started = std::time::Instant::now();
        let out = p.run(&["up", "main", "-s", service, "-q", "--no-verify"]);
        assert_eq!(out.code, 0, "up main -s {service}: {}", out.stderr);
        eprintln!(
            "up main -s {service} --no-verify: {:.2?}",
            started.elapsed()
        );
    }
    stack.wait_for_routers(
        &[
            "docapi--main".to_owned(),
            "docweb--main".to_owned(),
            "docbase--main".to_owned(),
        ],
        &[],
    );
    let resolve = ("DYNROUTE_RESOLVE", "*.dev.test=127.0.0.1");
    let env = [resolve];
    // The activity recorder has run once: its heartbeat is fresh.
    p.ok(&["activity", "record"]);

    // Healthy: every check passes (none is skipped: each has something to read).
    // (Its duration is printed for the benchmarks, never asserted.)
    let started = std::time::Instant::now();
    let (out, checks) = doctor(&p, &env, &[]);
    eprintln!("healthy doctor run: {:.2?}", started.elapsed());
    assert_eq!(out.code, 0, "{}\n{checks:#?}", out.stderr);
    for c in &checks {
        assert_eq!(c["status"], "ok", "healthy: {c}");
    }
    let text = p.run_env(&env, &["doctor"]);
    assert_eq!(text.code, 0);
    eprintln!("healthy:\n{}", text.stdout);
    assert!(
        text.stdout.ends_with("17 ok, 0 failed, 0 skipped\n"),
        "{}",
        text.stdout
    );

    // The recorder stopped: an hour later its heartbeat is older than max_gap
    // (the binary's clock moved by Debian's libfaketime).
    let later = crate::activity::clock_env(1.0);
    let mut moved: Vec<(&str, &str)> = later.iter().map(|(k, v)| (*k, v.as_str())).collect();
    moved.push(resolve);
    let finding = only_failed("the recorder stopped", &p, &moved, &[], "activity");
    assert!(
        finding["found"]
            .as_str()
            .unwrap()
            .contains("longer ago than activity.max_gap (30m)"),
        "{finding}"
    );

    // Wrong cluster.
    only_failed(
        "wrong cluster",
        &p,
        &env,
        &["--cluster", "nosuch"],
        "ecs.cluster",
    );

    // A missing subnet; subnets in two VPCs.
    let subnets = stack.info["subnets"].as_array().unwrap();
    let first = subnets[0].as_str().unwrap();
    let missing = config.replace(first, "subnet-0123456789abcdef0");
    with_config(&p, &missing, |p| {
        only_failed("missing subnet", p, &env, &[], "network.subnets")
    });
    let other = base.kit(&["plant", "other-subnet"]);
    let two_vpcs = config.replace(first, other["subnet"].as_str().unwrap());
    with_config(&p, &two_vpcs, |p| {
        only_failed("subnets in two VPCs", p, &env, &[], "network.vpc")
    });

    // A missing baseline; no main.
    let no_baseline = config.replace("legacy-docbase", "legacy-gone");
    with_config(&p, &no_baseline, |p| {
        only_failed("missing baseline", p, &env, &[], "baseline")
    });
    let no_main = config.clone() + "  docnew:\n    template: templates/app.yaml\n    port: 8080\n";
    with_config(&p, &no_main, |p| {
        only_failed("no main", p, &env, &[], "ingress.main")
    });

    // The version-host name resolving elsewhere.
    only_failed(
        "version hosts resolve elsewhere",
        &p,
        &[("DYNROUTE_RESOLVE", "*.dev.test=127.0.0.2")],
        &[],
        "dns.version_hosts",
    );

    // Traefik unreachable from here (it runs; its API is not reachable).
    let finding = only_failed(
        "Traefik unreachable from here",
        &p,
        &env,
        &["--traefik-api", "http://127.0.0.1:9"],
        "traefik.api",
    );
    assert!(
        finding["found"]
            .as_str()
            .unwrap()
            .starts_with("unreachable from here"),
        "{finding}"
    );

    // exposedByDefault=true in Traefik's task definition.
    let planted = base.kit(&[
        "plant",
        "traefik-flag",
        "--cluster",
        CLUSTER,
        "--service",
        "dynroute-traefik",
        "--replace=--providers.ecs.exposedByDefault=false=>--providers.ecs.exposedByDefault=true",
    ]);
    only_failed("exposedByDefault=true", &p, &env, &[], "traefik.provider");
    base.kit(&[
        "plant",
        "use-task-definition",
        "--cluster",
        CLUSTER,
        "--service",
        "dynroute-traefik",
        "--task-definition",
        planted["previous"].as_str().unwrap(),
    ]);

    // A denied permission; not allowed to simulate (skipped, not failed).
    let deploy_actions = "ecs:ListServices,ecs:DescribeServices,ecs:ListTasks,ecs:DescribeTasks,ecs:DescribeTaskDefinition,ecs:ListTaskDefinitions,ecs:RegisterTaskDefinition,ecs:TagResource,ecs:UntagResource,ecs:UpdateService,ecs:DeleteService,ecs:DeregisterTaskDefinition,iam:PassRole";
    stack.ctl(&["iam-simulation", "set", "--allow", deploy_actions]);
    let finding = only_failed("a denied permission", &p, &env, &[], "iam.deploy");
    assert!(
        finding["found"]
            .as_str()
            .unwrap()
            .contains("ecs:CreateService"),
        "{finding}"
    );
    let seen = stack.ctl(&["iam-simulation", "show"]);
    let create = seen["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "ecs:CreateService")
        })
        .expect("CreateService was asked");
    assert_eq!(create["context"]["aws:RequestTag/dynroute:managed"], "true");
    stack.ctl(&["iam-simulation", "set", "--deny-simulation"]);
    let (out, checks) = doctor(&p, &env, &[]);
    assert_eq!(out.code, 0, "{checks:#?}");
    assert_eq!(status(&checks, "iam.deploy")["status"], "skipped");
    stack.ctl(&["iam-simulation", "set", "--allow-all"]);

    // Traefik down (its service is scaled to nothing).
    base.kit(&[
        "plant",
        "scale",
        "--cluster",
        CLUSTER,
        "--service",
        "dynroute-traefik",
        "--desired",
        "0",
    ]);
    only_failed("Traefik down", &p, &env, &[], "traefik.service");

    // No credentials (Traefik's service is down too, but no AWS call can tell).
    let no_credentials = p
        .without_env("AWS_ACCESS_KEY_ID")
        .without_env("AWS_SECRET_ACCESS_KEY");
    only_failed(
        "no credentials",
        &no_credentials,
        &[
            resolve,
            ("AWS_CONFIG_FILE", "/dev/null"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ],
        &[],
        "aws.credentials",
    );
}

#[test]
fn doctor_names_a_traefik_without_the_entry_middleware() {
    // The stack's plain Traefik: not on ECS (its settings come from elsewhere),
    // and without the plugin.
    let stack = Stack::with_traefik();
    let (p, _) = stack.routed_project("docplain", "v3");
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let p = p.file(
        "dynroute.yaml",
        &config.replace(
            "traefik:\n",
            &format!(
                "traefik:\n  api_url: {}\n",
                stack.info["traefik_api_url"].as_str().unwrap()
            ),
        ),
    );
    for service in ["docplainapi", "docplainweb"] {
        let out = p.run(&["up", "main", "-s", service, "-q", "--no-verify"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    stack.wait_for_routers(
        &[
            "docplainapi--main".to_owned(),
            "docplainweb--main".to_owned(),
        ],
        &[],
    );
    let env = [("DYNROUTE_RESOLVE", "*.dev.test=127.0.0.1")];
    only_failed("plugin not loaded", &p, &env, &[], "traefik.middleware");
    let (_, checks) = doctor(&p, &env, &[]);
    for id in ["traefik.service", "traefik.provider"] {
        assert_eq!(status(&checks, id)["status"], "skipped", "{id}");
    }
}

#[test]
fn a_config_that_does_not_load_is_the_one_failed_check() {
    let p = Project::example().file("dynroute.yaml", "cluster: [\n");
    let (out, checks) = doctor(&p, &[], &[]);
    assert_eq!(out.code, 1);
    assert_eq!(failed(&checks), vec!["config".to_owned()]);
    assert_eq!(checks.len(), 17);
}
