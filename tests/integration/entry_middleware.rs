//! The entry middleware (Traefik local plugin `cookiebaggage`) through the real
//! Traefik, configured by `dynroute traefik-config`: what the backend receives
//! in `baggage` for every cookie and baggage combination, and that a stack
//! without the plugin leaves the header alone.

use crate::harness::Project;
use crate::http::get;
use crate::stack::Stack;

/// Deploys `version` of `services`; panics with stderr when `up` fails.
pub fn up(p: &Project, version: &str, services: &[&str]) {
    let mut args = vec!["up", version, "-q", "--no-verify"];
    for s in services {
        args.extend(["-s", s]);
    }
    let out = p.cmd(&args).output().unwrap();
    assert!(
        out.status.success(),
        "up {version}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The baggage the backend received: its lines joined with `|` (None when absent).
fn received_baggage(body: &serde_json::Value) -> Option<String> {
    match &body["headers"]["baggage"] {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(lines) => Some(
            lines
                .iter()
                .map(|l| l.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join("|"),
        ),
        _ => None,
    }
}

/// Header lines sent, and the baggage the backend must see with the plugin.
type Case = (Vec<(&'static str, &'static str)>, Option<&'static str>);

fn cases() -> Vec<Case> {
    vec![
        // The cookie's version is added...
        (
            vec![("Cookie", "dynamic_route=feature-1")],
            Some("dynamic_route=feature-1"),
        ),
        (
            vec![("Cookie", "a=1; dynamic_route=feature-1; b=2")],
            Some("dynamic_route=feature-1"),
        ),
        (
            vec![("Cookie", "a=1;dynamic_route=feature-1")],
            Some("dynamic_route=feature-1"),
        ),
        (
            vec![("Cookie", "dynamic_route=\"feature-1\"")],
            Some("dynamic_route=feature-1"),
        ),
        (
            vec![("Cookie", "dynamic_route=feature-10")],
            Some("dynamic_route=feature-10"),
        ),
        (
            vec![("Cookie", "a=1"), ("Cookie", "dynamic_route=feature-1")],
            Some("dynamic_route=feature-1"),
        ),
        (
            vec![("Cookie", "dynamic_route=feature-1; dynamic_route=feature-2")],
            Some("dynamic_route=feature-1"),
        ),
        // ...keeping other members, all lines folded into one...
        (
            vec![
                ("Cookie", "dynamic_route=feature-1"),
                ("baggage", "userId=alice"),
            ],
            Some("userId=alice,dynamic_route=feature-1"),
        ),
        (
            vec![
                ("Cookie", "dynamic_route=feature-1"),
                ("baggage", "a=1;p, b=%2C"),
                ("baggage", "c=3"),
            ],
            Some("a=1;p,b=%2C,c=3,dynamic_route=feature-1"),
        ),
        (
            vec![
                ("Cookie", "dynamic_route=feature-1"),
                ("baggage", "dynamic_route.api=feature-2"),
            ],
            Some("dynamic_route.api=feature-2,dynamic_route=feature-1"),
        ),
        (
            vec![
                ("Cookie", "dynamic_route=feature-1"),
                ("baggage", "xdynamic_route=main"),
            ],
            Some("xdynamic_route=main,dynamic_route=feature-1"),
        ),
        // ...never replacing an explicit member of the same key...
        (
            vec![
                ("Cookie", "dynamic_route=feature-1"),
                ("baggage", "dynamic_route=feature-2"),
            ],
            Some("dynamic_route=feature-2"),
        ),
        (
            vec![
                ("Cookie", "dynamic_route=feature-1"),
                ("baggage", "a=1, dynamic_route = main ;p"),
            ],
            Some("a=1, dynamic_route = main ;p"),
        ),
        (
            vec![
                ("Cookie", "dynamic_route=feature-1"),
                ("baggage", "userId=alice"),
                ("baggage", "dynamic_route=feature-2"),
            ],
            Some("userId=alice|dynamic_route=feature-2"),
        ),
        // ...and nothing for cookies that are not ours or not a version.
        (vec![("Cookie", "xdynamic_route=feature-1")], None),
        (vec![("Cookie", "dynamic_routex=feature-1")], None),
        (vec![("Cookie", "other=dynamic_route=feature-1")], None),
        (vec![("Cookie", "other=\"a; dynamic_route\"")], None),
        (vec![("Cookie", "Dynamic_Route=feature-1")], None),
        (vec![("Cookie", "dynamic_route=Feature-1")], None),
        (vec![("Cookie", "dynamic_route=feature--1")], None),
        (vec![("Cookie", "dynamic_route=a,b")], None),
        (vec![("Cookie", "dynamic_route=")], None),
        (vec![("Cookie", "dynamic_route")], None),
        (vec![("X-Cookie", "dynamic_route=feature-1")], None),
        (vec![("baggage", "userId=alice")], Some("userId=alice")),
        (vec![], None),
    ]
}

fn run_cases(stack: &Stack, tag: &str) -> (usize, Vec<String>) {
    let (p, _) = stack.routed_project(tag, "v3");
    let service = format!("{tag}api");
    up(&p, "main", &[&service]);
    stack.wait_for_routers(&[format!("{service}--main")], &[]);
    let host = format!("{tag}api.dev.test");
    let cases = cases();
    let mut failures = Vec::new();
    for (lines, with_plugin) in &cases {
        // Without the plugin the backend gets exactly the baggage lines sent.
        let sent: Vec<&str> = lines
            .iter()
            .filter(|(k, _)| *k == "baggage")
            .map(|(_, v)| *v)
            .collect();
        let without = (!sent.is_empty()).then(|| sent.join("|"));
        let expected = if stack.has_plugin() {
            with_plugin.map(str::to_owned)
        } else {
            without
        };
        let r = get(&stack.traefik_web(), &host, "/", lines).unwrap();
        let got = received_baggage(&r.json());
        if r.status != 200 || got != expected {
            failures.push(format!(
                "{lines:?}: expected baggage {expected:?}, backend got {got:?} (HTTP {})",
                r.status
            ));
        }
    }
    (cases.len(), failures)
}

#[test]
fn entry_middleware_merges_the_cookie_into_the_baggage_the_backend_gets() {
    let stack = Stack::with_plugin();
    assert!(stack.has_plugin());
    let (n, failures) = run_cases(stack, "emp");
    assert!(n >= 25);
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn without_the_entry_middleware_the_cookie_never_reaches_the_baggage() {
    let stack = Stack::with_traefik();
    assert!(!stack.has_plugin());
    let (n, failures) = run_cases(stack, "emn");
    assert!(
        failures.is_empty(),
        "{} of {n} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
