//! `dynroute serve` against the local stack and the real Traefik: the pages
//! and the JSON API come from one poller's snapshot; a version deployed or
//! removed shows within a refresh; its routing proof is sent through the
//! ingress and fails for a version scaled to 0; filters, CORS, 404s; the AWS
//! calls are one poller's whatever the number of clients; Ctrl-C ends it with 0.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::check::{ECS, SCALE, boto3};
use crate::harness::{Project, eventually};
use crate::http;
use crate::stack::Stack;

/// A running `dynroute serve` and the address it listens on.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    pub fn start(p: &Project, extra: &[&str]) -> Server {
        let mut args = vec![
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--refresh",
            "1s",
            "--proof-every",
            "3s",
        ];
        args.extend_from_slice(extra);
        let mut child = p
            .std_cmd(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("serve printed where it listens")
                .unwrap();
            if let Some(rest) = line.split("serving the catalog on ").nth(1) {
                break rest
                    .split(' ')
                    .next()
                    .unwrap()
                    .trim_end_matches('/')
                    .to_owned();
            }
        };
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        // Keep draining stderr so the child never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> http::Response {
        http::get(&self.base, "catalog.test", path, headers).unwrap()
    }

    pub fn json(&self, path: &str) -> Value {
        let answer = self.get(path, &[]);
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
        serde_json::from_str(&answer.body).unwrap()
    }

    pub fn versions(&self) -> Vec<String> {
        self.json("/api/versions")["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["version"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Ctrl-C: the server stops gracefully with exit 0 and its report.
    pub fn stop(&mut self) -> String {
        let killed = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let mut out = String::new();
        std::io::Read::read_to_string(self.child.stdout.as_mut().unwrap(), &mut out).unwrap();
        let status = self.child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{out}");
        out
    }
}

/// A server the test did not stop (it failed first) is ended here, by its PID.
impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
        .parse()
        .unwrap()
}

#[test]
fn the_catalog_lists_live_versions_with_their_ways_in_and_proof() {
    let stack = Stack::with_traefik();
    let (p, cluster) = stack.routed_project("ct", "v3");
    for version in ["main", "feature-1"] {
        let out = p.run_env(
            &[
                ("GITHUB_REPOSITORY", "acme/shop"),
                ("GITHUB_REF", "refs/pull/12/merge"),
            ],
            &["up", version, "-q", "--owner", "alice"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let mut server = Server::start(&p, &["--cors-origin", "https://qa.example.com"]);
    eventually(20, || {
        let v = server.versions();
        (v.contains(&"feature-1".to_owned()) && v.contains(&"main".to_owned()))
            .then_some(())
            .ok_or(format!("{v:?}"))
    });
    // The API: ls --json's fields, the ways in, the PR link, then the proof.
    let one = server.json("/api/versions/feature-1");
    assert_eq!(one["owner"], "alice", "{one}");
    assert_eq!(one["pr"], 12);
    assert_eq!(one["pr_url"], "https://github.com/acme/shop/pull/12");
    assert_eq!(one["ways_in"]["header"], "baggage: dynamic_route=feature-1");
    let link = one["ways_in"]["link"].as_str().unwrap().to_owned();
    assert!(link.ends_with("/_dynroute/use/feature-1"), "{link}");
    let mut proof = Value::Null;
    eventually(30, || {
        proof = server.json("/api/versions/feature-1")["proof"].clone();
        match proof.is_object() {
            true => Ok(()),
            false => Err("no proof yet".to_owned()),
        }
    });
    assert_eq!(proof["failed"], 0, "{proof}");
    assert!(proof["passed"].as_u64().unwrap() >= 2, "{proof}");

    // The index page: the version, its link, its QR code, escaped text.
    let page = server.get("/", &[]);
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.header("content-security-policy")
            .unwrap()
            .contains("default-src 'none'")
    );
    // minijinja's HTML escaping writes `/` as `&#x2f;` (what a browser reads as `/`).
    let escaped = link.replace('/', "&#x2f;");
    assert!(
        page.body.contains(&format!("href=\"{escaped}\"")),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("src=\"/qr/feature-1.svg\""),
        "a QR code: {}",
        page.body
    );
    let qr = server.get("/qr/feature-1.svg", &[]);
    assert_eq!(qr.status, 200);
    assert_eq!(qr.header("content-type"), Some("image/svg+xml"));
    assert!(qr.body.starts_with("<svg"), "{}", qr.body);
    assert_eq!(server.get("/qr/nope.svg", &[]).status, 404);
    assert!(page.body.contains("cases passed"), "the proof shows");
    // Filters (unknown parameters ignored), 404s.
    let filtered = server.json("/api/versions?owner=bob&utm_source=x");
    assert_eq!(filtered["versions"], serde_json::json!([]));
    let mine = server.json("/api/versions?pr=12&service=ctapi");
    assert_eq!(mine["versions"].as_array().unwrap().len(), 2, "{mine}");
    assert_eq!(server.get("/v/no-such-version", &[]).status, 404);
    assert_eq!(server.get("/api/versions/no-such", &[]).status, 404);
    assert_eq!(server.get("/nothing/here", &[]).status, 404);
    // CORS for the allowed origin only.
    let allowed = server.get("/api/versions", &[("Origin", "https://qa.example.com")]);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://qa.example.com")
    );
    let other = server.get("/api/versions", &[("Origin", "https://evil.example")]);
    assert_eq!(other.header("access-control-allow-origin"), None);

    // A new version shows within a refresh; one scaled to 0 fails its proof.
    let out = p.run(&["up", "feature-2", "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    eventually(10, || {
        let v = server.versions();
        v.contains(&"feature-2".to_owned())
            .then_some(())
            .ok_or(format!("{v:?}"))
    });
    boto3(
        stack,
        &format!("{ECS}{SCALE}"),
        &[&cluster, "ctapi--feature-2", "0"],
    );
    eventually(40, || {
        let one = server.json("/api/versions/feature-2");
        match one["proof"]["failed"].as_u64() {
            Some(n) if n > 0 => Ok(()),
            _ => Err(format!("{}", one["proof"])),
        }
    });
    let page = server.get("/v/feature-2", &[]);
    assert!(page.body.contains("cases failed"), "{}", page.body);
    let out = p.run(&["down", "feature-2", "--yes", "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    eventually(10, || {
        let v = server.versions();
        (!v.contains(&"feature-2".to_owned()))
            .then_some(())
            .ok_or(format!("{v:?}"))
    });

    // Many clients, one poller: the AWS calls follow the refreshes only.
    let before = server.get("/metrics", &[]).body;
    std::thread::scope(|scope| {
        for _ in 0..20 {
            scope.spawn(|| {
                for _ in 0..25 {
                    assert_eq!(server.get("/api/versions", &[]).status, 200);
                    assert_eq!(server.get("/", &[]).status, 200);
                }
            });
        }
    });
    let after = server.get("/metrics", &[]).body;
    let calls = metric(&after, "dynroute_catalog_aws_requests_total")
        - metric(&before, "dynroute_catalog_aws_requests_total");
    let refreshes = metric(&after, "dynroute_catalog_refreshes_total")
        - metric(&before, "dynroute_catalog_refreshes_total");
    // Each refresh of this cluster (a handful of services) is one ListServices
    // and one DescribeServices: 1,000 requests add nothing.
    assert!(
        calls <= 2.0 * (refreshes + 1.0),
        "{calls} AWS calls for {refreshes} refreshes under 1,000 requests"
    );
    assert!(
        metric(
            &after,
            "dynroute_catalog_http_requests_total{route=\"index\"}"
        ) >= 500.0
    );
    let report = server.stop();
    assert!(report.starts_with("served "), "{report}");
    for version in ["feature-1", "main"] {
        let out = p.run(&["down", version, "--yes", "--force", "-q"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
}

#[test]
fn serve_refuses_bad_input_before_listening() {
    let p = Project::example();
    p.usage_error(
        &["serve", "--cors-origin", "qa.example.com"],
        &["not an origin"],
    );
    p.usage_error(&["serve", "--pr-url", "javascript:{pr}"], &["--pr-url"]);
    p.usage_error(&["serve", "--refresh", "0s"], &["more than zero"]);
}

#[test]
fn the_catalog_s_own_deployment_renders_as_a_protected_service_at_catalog_domain() {
    let config = crate::harness::repo_root().join("deploy/catalog/dynroute.yaml");
    let p = Project::empty();
    let rendered: Value =
        serde_json::from_str(&p.ok(&["render", "main", "--config", config.to_str().unwrap()]))
            .unwrap();
    let container = &rendered["containerDefinitions"][0];
    let command: Vec<&str> = container["command"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(&command[..3], ["serve", "--listen", "0.0.0.0:8080"]);
    let labels = container["dockerLabels"].as_object().unwrap();
    assert!(
        labels
            .values()
            .any(|v| v.as_str().unwrap().contains("catalog.dev.example.com")),
        "{labels:?}"
    );
    let tags = rendered["tags"].as_array().unwrap();
    assert!(
        tags.iter()
            .any(|t| t["key"] == "dynroute:expires-at" && t["value"] == "never"),
        "{tags:?}"
    );
    // Its task role: read-only, the inventory only.
    let policy = p.ok(&[
        "iam-policy",
        "--for",
        "catalog",
        "--config",
        config.to_str().unwrap(),
    ]);
    assert!(policy.contains("ecs:DescribeServices") && policy.contains("ecs:ListServices"));
    for write in [
        "Create", "Update", "Delete", "Tag", "Register", "RunTask", "PassRole",
    ] {
        assert!(!policy.contains(write), "{write} in {policy}");
    }
}
