//! Routing proven end to end: requests through the real Traefik ECS provider,
//! reading the task definitions dynroute registered on the local stack.

use std::time::{Duration, Instant};

use crate::harness::{Project, SpawnOutput, eventually};
use crate::http::{Response, get};
use crate::stack::Stack;

/// Deploys `versions` of the services named with `-s` (all when empty), concurrently.
fn up_all(p: &Project, versions: &[&str], services: &[&str]) {
    let runs: Vec<_> = versions
        .iter()
        .map(|v| {
            let mut args = vec!["up", v, "-q", "--no-verify"];
            for s in services {
                args.extend(["-s", s]);
            }
            p.cmd(&args).spawn_output()
        })
        .collect();
    for (v, run) in versions.iter().zip(runs) {
        let out = run.join().unwrap();
        assert!(
            out.status.success(),
            "up {v}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn routers(tag: &str, service: &str, versions: &[&str]) -> Vec<String> {
    versions
        .iter()
        .map(|v| format!("{tag}{service}--{v}"))
        .collect()
}

fn send(stack: &Stack, host: &str, lines: &[(&str, &str)]) -> Response {
    get(&stack.traefik_web(), host, "/health", lines).unwrap()
}

/// One header case: the header lines and the version that must answer.
struct Case {
    lines: Vec<(&'static str, String)>,
    expect: &'static str,
}

fn case(lines: &[(&'static str, &str)], expect: &'static str) -> Case {
    Case {
        lines: lines.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        expect,
    }
}

fn b(value: &str) -> Case {
    case(&[("baggage", value)], "feature-1")
}

fn not(value: &str) -> Case {
    case(&[("baggage", value)], "main")
}

/// The W3C Baggage cases: where our member may be, and what must not match.
fn cases() -> Vec<Case> {
    let many: Vec<String> = (0..30).map(|i| format!("k{i}=v{i}")).collect();
    let many_last = format!("{},dynamic_route=feature-1", many.join(","));
    vec![
        b("dynamic_route=feature-1"),
        b("dynamic_route=feature-1,userId=alice"),
        b("a=1,dynamic_route=feature-1,b=2"),
        b("userId=alice,dynamic_route=feature-1"),
        b("dynamic_route = feature-1"),
        b("dynamic_route\t=\tfeature-1"),
        b("a=1 , dynamic_route=feature-1 , b=2"),
        b("a=1\t,\tdynamic_route=feature-1\t,b=2"),
        b("dynamic_route=feature-1;sampled"),
        b("dynamic_route=feature-1;ttl=60"),
        b("dynamic_route=feature-1 ; p1 = 1 ; p2"),
        b("a=1;p=2,dynamic_route=feature-1"),
        b("dynamic_route=feature-1,"),
        b("a=1,dynamic_route=feature-1,"),
        b(",dynamic_route=feature-1"),
        b("a=%2C%3B,dynamic_route=feature-1"),
        b("a=x=y,dynamic_route=feature-1"),
        b(&many_last),
        case(
            &[
                ("baggage", "userId=alice"),
                ("baggage", "dynamic_route=feature-1"),
            ],
            "feature-1",
        ),
        case(
            &[
                ("baggage", "dynamic_route=feature-1"),
                ("baggage", "userId=alice"),
            ],
            "feature-1",
        ),
        case(&[("BAGGAGE", "dynamic_route=feature-1")], "feature-1"),
        case(&[("Baggage", "a=1, dynamic_route=feature-1")], "feature-1"),
        case(&[("baggage", "dynamic_route=feature-10")], "feature-10"),
        case(
            &[("baggage", "a=1,dynamic_route=feature-10;p")],
            "feature-10",
        ),
        // Duplicate keys in one line: the last member wins.
        b("dynamic_route=feature-10,dynamic_route=feature-1"),
        b("dynamic_route=feature-1,dynamic_routex=y,xdynamic_route=z,dynamic_rout=w"),
        case(
            &[(
                "baggage",
                "dynamic_route=feature-1,dynamic_route=feature-10",
            )],
            "feature-10",
        ),
        case(
            &[(
                "baggage",
                "dynamic_route=feature-1,a=1, dynamic_route = feature-10;p,b=2",
            )],
            "feature-10",
        ),
        not("dynamic_route=feature-1,dynamic_route=other"),
        not("dynamic_route=feature-10,a=1,\tdynamic_route=nope;p"),
        // Negatives: everything else reaches main.
        case(&[], "main"),
        case(&[("baggage", "")], "main"),
        not("dynamic_route=feature"),
        not("dynamic_route=feature-"),
        not("dynamic_route=feature-1x"),
        not("dynamic_route=feature-1.2"),
        not("dynamic_route=xfeature-1"),
        not("xdynamic_route=feature-1"),
        not("dynamic_routex=feature-1"),
        not("my.dynamic_route=feature-1"),
        not("dynamic-route=feature-1"),
        not("Dynamic_Route=feature-1"),
        not("DYNAMIC_ROUTE=feature-1"),
        not("dynamic_route=Feature-1"),
        not("other=dynamic_route=feature-1"),
        not("other=dynamic_route%3Dfeature-1"),
        not("other=x;dynamic_route=feature-1"),
        not("other=x;p=1;dynamic_route=feature-1"),
        not("dynamic_route=feature-1 x"),
        not("dynamic_route="),
        not("dynamic_route"),
        not("userId=feature-1"),
        case(
            &[
                ("baggage", "userId=alice"),
                ("baggage", "other=dynamic_route=feature-1"),
            ],
            "main",
        ),
        case(&[("baggagex", "dynamic_route=feature-1")], "main"),
        case(&[("x-baggage", "dynamic_route=feature-1")], "main"),
    ]
}

pub(crate) fn conformance(syntax: &str, tag: &str, stack: &Stack) {
    let (p, _) = stack.routed_project(tag, syntax);
    let service = format!("{tag}api");
    up_all(&p, &["main", "feature-1", "feature-10"], &[&service]);
    stack.wait_for_routers(
        &routers(tag, "api", &["main", "feature-1", "feature-10"]),
        &[],
    );

    let host = format!("{tag}api.dev.test");
    let cases = cases();
    assert!(cases.len() >= 40);
    let mut failures = Vec::new();
    for c in &cases {
        let lines: Vec<(&str, &str)> = c.lines.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = send(stack, &host, &lines);
        let env_version = r.json()["env"]["DYNROUTE_VERSION"]
            .as_str()
            .map(str::to_owned);
        if r.status != 200
            || r.version() != Some(c.expect)
            || env_version.as_deref() != Some(c.expect)
        {
            failures.push(format!(
                "{:?}: expected {}, got HTTP {} from {:?}",
                c.lines,
                c.expect,
                r.status,
                r.version()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{syntax} (entry middleware: {}): {} of {} cases failed:\n{}",
        stack.has_plugin(),
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn baggage_conformance_through_traefik_v3() {
    conformance("v3", "cv3", Stack::with_traefik());
}

#[test]
fn baggage_conformance_through_traefik_v2() {
    conformance("v2", "cv2", Stack::with_traefik());
}

#[test]
fn baggage_conformance_through_traefik_with_the_entry_middleware() {
    for (syntax, tag) in [("v3", "cpv3"), ("v2", "cpv2")] {
        conformance(syntax, tag, Stack::with_plugin());
    }
}

#[test]
fn many_versions_each_get_only_their_own_traffic_and_others_fall_back() {
    let stack = Stack::with_traefik();
    let tag = "many";
    let (p, _) = stack.routed_project(tag, "v3");
    let versions: Vec<String> = (1..=10).map(|i| format!("v{i}")).collect();
    let mut all: Vec<&str> = vec!["main"];
    all.extend(versions.iter().map(String::as_str));
    let api = format!("{tag}api");
    let web = format!("{tag}web");
    up_all(&p, &all, &[&api]);
    up_all(&p, &["main", "v3"], &[&web]);
    let mut expected = routers(tag, "api", &all);
    expected.extend(routers(tag, "web", &["main", "v3"]));
    stack.wait_for_routers(&expected, &[]);

    let api_host = format!("{tag}api.dev.test");
    for v in &versions {
        let value = format!("dynamic_route={v}");
        for _ in 0..3 {
            let r = send(stack, &api_host, &[("baggage", &value)]);
            assert_eq!(r.version(), Some(v.as_str()), "api with {value}");
            assert_eq!(r.json()["env"]["DYNROUTE_VERSION"], v.as_str());
        }
    }
    assert_eq!(send(stack, &api_host, &[]).version(), Some("main"));

    // One request chain: api has v5, web does not, so web falls back to main…
    let value = "dynamic_route=v5";
    assert_eq!(
        send(stack, &api_host, &[("baggage", value)]).version(),
        Some("v5")
    );
    for host in [format!("{tag}web.dev.test"), format!("{tag}www.dev.test")] {
        assert_eq!(
            send(stack, &host, &[("baggage", value)]).version(),
            Some("main"),
            "{host}"
        );
        // …while v3, deployed for both, reaches v3 on every host of web.
        assert_eq!(
            send(stack, &host, &[("baggage", "dynamic_route=v3")]).version(),
            Some("v3"),
            "{host}"
        );
    }
    // A host nobody routes is not captured by any version.
    assert_eq!(
        send(stack, "nobody.dev.test", &[("baggage", value)]).status,
        404
    );
}

#[test]
fn down_removes_the_route_and_a_new_image_keeps_answering() {
    let stack = Stack::with_traefik();
    let tag = "roll";
    let (p, _) = stack.routed_project(tag, "v3");
    let api = format!("{tag}api");
    up_all(&p, &["main", "feature-9"], &[&api]);
    stack.wait_for_routers(&routers(tag, "api", &["main", "feature-9"]), &[]);
    let host = format!("{tag}api.dev.test");
    let baggage = [("baggage", "dynamic_route=feature-9")];

    // A rolling update to a new image: every request in the loop gets feature-9.
    let web = stack.traefik_web();
    let loop_host = host.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_flag = stop.clone();
    let sent = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let sent_count = sent.clone();
    let requests = std::thread::spawn(move || {
        let mut answers = Vec::new();
        let started = Instant::now();
        while !stop_flag.load(std::sync::atomic::Ordering::SeqCst)
            && started.elapsed() < Duration::from_secs(60)
            && answers.len() < 5000
        {
            let r = get(
                &web,
                &loop_host,
                "/health",
                &[("baggage", "dynamic_route=feature-9")],
            );
            answers.push(r.map(|r| {
                (
                    r.status,
                    r.version().map(str::to_owned),
                    r.json()["image"].as_str().map(str::to_owned),
                )
            }));
            sent_count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            // Paced, not a wait: about 50 requests a second through the rollout.
            std::thread::sleep(Duration::from_millis(20));
        }
        answers
    });
    p.ok(&["up", "feature-9", "-s", &api, "--image-tag", "two", "-q"]);
    // Keep sending until Traefik serves only the new tasks.
    eventually(20, || {
        let image = send(stack, &host, &baggage).json()["image"].clone();
        if image == format!("example/{api}:two") {
            Ok(())
        } else {
            Err(format!("answered by {image}"))
        }
    });
    // Keep the loop going for 40 more requests after the switch, then stop it.
    let after_switch = sent.load(std::sync::atomic::Ordering::SeqCst) + 40;
    eventually(30, || {
        let n = sent.load(std::sync::atomic::Ordering::SeqCst);
        (n >= after_switch)
            .then_some(())
            .ok_or_else(|| format!("{n} requests sent"))
    });
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let answers = requests.join().unwrap();
    assert!(answers.len() > 20, "too few requests: {}", answers.len());
    let bad: Vec<_> = answers
        .iter()
        .filter(|a| !matches!(a, Ok((200, Some(v), _)) if v == "feature-9"))
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} requests failed or reached another version: {:?}",
        bad.len(),
        answers.len(),
        &bad[..bad.len().min(5)]
    );
    assert!(
        answers
            .iter()
            .any(|a| matches!(a, Ok((_, _, Some(i))) if i.ends_with(":two")))
    );

    // down: the route goes, the next requests reach main.
    p.ok(&["down", "feature-9", "--yes", "-q"]);
    stack.wait_for_routers(
        &routers(tag, "api", &["main"]),
        &routers(tag, "api", &["feature-9"]),
    );
    for _ in 0..10 {
        assert_eq!(send(stack, &host, &baggage).version(), Some("main"));
    }
}

#[test]
fn up_verifies_the_route_through_the_ingress() {
    let stack = Stack::with_traefik();
    let tag = "verify";
    let (p, _) = stack.routed_project(tag, "v3");
    let api = format!("{tag}api");
    let out: serde_json::Value =
        serde_json::from_str(&p.ok(&["up", "feature-2", "-s", &api, "--json"])).unwrap();
    assert_eq!(out["services"][0]["status"], "running 1/1, routed");
    // Every phase ran and was timed; one after another, within the whole run.
    let t = &out["timings"];
    let phases = [
        "validate_ms",
        "plan_ms",
        "register_ms",
        "create_update_ms",
        "first_task_running_ms",
        "steady_state_ms",
        "routable_ms",
    ];
    let sum: u64 = phases
        .iter()
        .map(|k| t[k].as_u64().unwrap_or_else(|| panic!("timings.{k}: {t}")))
        .sum();
    let total = t["total_ms"].as_u64().unwrap();
    assert!(sum <= total, "{t}");
    let curl = out["curl"][0].as_str().unwrap();
    assert!(
        curl.contains(&format!("-H 'Host: {tag}api.dev.test'"))
            && curl.contains(&stack.traefik_web()),
        "{curl}"
    );
    // Right after `up` returns, the route answers.
    let r = send(
        stack,
        &format!("{tag}api.dev.test"),
        &[("baggage", "dynamic_route=feature-2")],
    );
    assert_eq!(r.version(), Some("feature-2"));
}

#[test]
fn verify_failure_says_what_answered_instead() {
    let stack = Stack::with_traefik();
    let tag = "noroute";
    let (p, _) = stack.routed_project(tag, "v3");
    // Traefik is told to ignore this entrypoint: the route can never match.
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let p = p.file(
        "dynroute.yaml",
        &config.replace("entrypoints: [web]", "entrypoints: [nowhere]"),
    );
    let out = p.run(&[
        "up",
        "feature-3",
        "-s",
        &format!("{tag}api"),
        "--timeout",
        "8s",
    ]);
    out.expect(
        3,
        &[
            "did not route `baggage: dynamic_route=feature-3`",
            "HTTP 404 without X-Dynroute-Version",
        ],
    );
}

#[test]
fn load_balancer_ingress_is_resolved_for_urls_without_connecting() {
    let stack = Stack::with_traefik();
    let (p, _) = stack.routed_project("lbdisc", "v3");
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let web = stack.traefik_web();
    let with_lb = config.replace(&format!("  url: {web}"), "  load_balancer: dev-traefik");
    let p = p.file("dynroute.yaml", &with_lb);
    let curl = p.ok(&["header", "main", "--format", "curl"]);
    assert!(
        curl.contains("'http://dev-traefik-")
            && curl.contains(".us-east-1.elb.amazonaws.com/health'"),
        "{curl}"
    );
    // --dry-run resolves it too, and never sends a request anywhere.
    let plan: serde_json::Value =
        serde_json::from_str(&p.ok(&["up", "v", "--dry-run", "--json"])).unwrap();
    assert!(
        plan["curl"][0]
            .as_str()
            .unwrap()
            .contains(".elb.amazonaws.com"),
        "{plan}"
    );

    let missing = p.file(
        "dynroute.yaml",
        &with_lb.replace("dev-traefik", "no-such-lb"),
    );
    let out = missing.run(&["up", "v", "--dry-run"]);
    out.expect(1, &["load balancer `no-such-lb` does not exist"]);
}
