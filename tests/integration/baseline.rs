//! Baseline services: the `main` a team already runs, deployed here with boto3
//! (not dynroute) from a task definition carrying `dynroute labels main`, or a
//! plain HTTP server outside ECS reached through Traefik's file provider. Every
//! way in works through the real Traefik with main served by the baseline, and
//! the stack's write log proves dynroute never wrote to it.

use std::io::{Read, Write};
use std::net::TcpListener;

use serde_json::Value;

use crate::harness::{Project, eventually};
use crate::http::{Response, get};
use crate::stack::Stack;

/// A project on a new cluster with one service, `{tag}api`, whose main is `baseline`.
fn project(stack: &Stack, tag: &str, baseline: &str) -> (Project, String) {
    let cluster = stack.cluster(tag);
    // Through Traefik when the stack has one (two lines either way).
    let ingress = match stack.info["traefik_web_url"].as_str() {
        Some(web) => format!("ingress:\n  url: {web}\n"),
        None => "ttl: 72h\nmain_version: main\n".to_owned(),
    };
    let config = format!(
        "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\n{ingress}traefik:\n  entrypoints: [web]\n{network}services:\n  {tag}api:\n    template: templates/app.yaml\n    port: 8080\n    health_check_path: /health\n    baseline: {baseline}\n",
        network = stack.network_yaml(),
    );
    (stack.project_with(&config), cluster)
}

fn send(stack: &Stack, host: &str, path: &str, headers: &[(&str, &str)]) -> Response {
    get(&stack.traefik_web(), host, path, headers).unwrap()
}

/// Every way in reaches what it should, with main served by the baseline.
fn ways_in(stack: &Stack, tag: &str) {
    let host = format!("{tag}api.dev.test");
    let answered = |r: Response| r.version().map(str::to_owned);
    eventually(30, || {
        let plain = answered(send(stack, &host, "/health", &[]));
        let member = answered(send(
            stack,
            &host,
            "/health",
            &[("baggage", "dynamic_route=feature-1")],
        ));
        (plain.as_deref() == Some("main") && member.as_deref() == Some("feature-1"))
            .then_some(())
            .ok_or_else(|| format!("plain → {plain:?}, baggage → {member:?}"))
    });
    // A version the service does not run falls back to main: the baseline.
    let fallback = send(
        stack,
        &host,
        "/health",
        &[("baggage", "dynamic_route=feature-2")],
    );
    assert_eq!(fallback.version(), Some("main"));
    // The pin of this service.
    let pin = format!("dynamic_route.{tag}api=feature-1");
    let pinned = send(stack, &host, "/health", &[("baggage", pin.as_str())]);
    assert_eq!(pinned.version(), Some("feature-1"));
    // The version host.
    let vhost = format!("{tag}api--feature-1.dev.test");
    assert_eq!(
        send(stack, &vhost, "/health", &[]).version(),
        Some("feature-1")
    );
    // The link sets the cookie; the cookie reaches the version; clearing it, main.
    let link = send(stack, &host, "/_dynroute/use/feature-1", &[]);
    let cookie = link
        .header("set-cookie")
        .expect("the link sets a cookie")
        .to_owned();
    assert!(cookie.starts_with("dynamic_route=feature-1;"), "{cookie}");
    let with_cookie = send(
        stack,
        &host,
        "/health",
        &[("cookie", "dynamic_route=feature-1")],
    );
    assert_eq!(with_cookie.version(), Some("feature-1"));
    let cleared = send(stack, &host, "/_dynroute/clear", &[]);
    assert_eq!(cleared.version(), Some("main"));
}

/// dynroute's writes (its user agent): how many, and those that name `what`.
fn writes_naming(stack: &Stack, what: &str) -> (usize, Vec<Value>) {
    (stack.writes().len(), stack.writes_naming(what))
}

#[test]
fn an_ecs_baseline_serves_main_every_way_in_and_dynroute_never_writes_to_it() {
    let stack = Stack::with_traefik();
    let tag = "bse";
    let team = format!("{tag}-team-api");
    let (p, cluster) = project(stack, tag, &format!("{{ecs_service: {team}}}"));
    let api = format!("{tag}api");

    // The team's own main, created with boto3 from the labels dynroute prints.
    let labels = p.ok(&["labels", "-s", &api, "--format", "json"]);
    let parsed: Value = serde_json::from_str(&labels).unwrap();
    assert_eq!(parsed["dynroute.version"], "main");
    assert_eq!(
        parsed[format!("traefik.http.routers.{api}--main.rule")],
        format!("Host(`{api}.dev.test`)")
    );
    let file = p.path().join("labels.json");
    std::fs::write(&file, &labels).unwrap();
    stack.ctl(&[
        "create-unmanaged-service",
        "--cluster",
        &cluster,
        "--name",
        &team,
        "--labels-file",
        file.to_str().unwrap(),
        "--desired-count",
        "1",
    ]);
    stack.ctl(&["calls-reset"]);

    // `up main` and `down main` refuse the baseline before any AWS call.
    p.usage_error(
        &["up", "main"],
        &[
            "would write to a baseline",
            &team,
            "hint: main of these services is deployed by your own tooling",
        ],
    );
    p.usage_error(
        &["down", "main", "--yes", "--force"],
        &["would write to a baseline"],
    );

    p.ok(&["up", "feature-1", "-q"]);
    stack.wait_for_routers(&[format!("{api}--main"), format!("{api}--feature-1")], &[]);
    ways_in(stack, tag);

    // ls shows the baseline as main, status reads it, check proves it.
    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    let main = &ls[0];
    assert_eq!(main["version"], "main");
    assert_eq!(main["services"][0]["baseline"], "ecs_service");
    assert_eq!(main["services"][0]["ecs_service"], team.as_str());
    assert!(p.ok(&["ls"]).contains(&format!("{api} (baseline)")));
    let status: Value = serde_json::from_str(&p.ok(&["status", "main", "--json"])).unwrap();
    assert_eq!(status["services"][0]["ecs_service"], team.as_str());
    assert_eq!(status["services"][0]["deployed"], true);
    assert_eq!(status["services"][0]["managed"], false);
    let api_url = stack.info["traefik_api_url"].as_str().unwrap().to_owned();
    let check: Value =
        serde_json::from_str(&p.ok(&["check", "--json", "--traefik-api", &api_url])).unwrap();
    let main_cases = check["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["expect_version"] == "main" && c["passed"] == true)
        .count();
    assert!(
        main_cases > 3,
        "main is proven through the baseline: {check}"
    );
    assert_eq!(check["lint"]["findings"], serde_json::json!([]), "{check}");

    // diff --against main compares with the baseline's running revision.
    let diff: Value =
        serde_json::from_str(&p.ok(&["diff", "feature-1", "--against", "main", "--json"])).unwrap();
    let against = diff["services"][0]["against"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        against.starts_with(&team),
        "compared with {against}: {diff}"
    );

    // Drift: a new domain makes the baseline's labels stale; the fix is named.
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    std::fs::write(
        p.path().join("drift.yaml"),
        config.replace("domain: dev.test", "domain: dev2.test"),
    )
    .unwrap();
    let drifted = p.run(&[
        "--config",
        "drift.yaml",
        "check",
        "--json",
        "--traefik-api",
        &api_url,
    ]);
    assert_eq!(drifted.code, 1, "{}", drifted.stderr);
    let report: Value = serde_json::from_str(&drifted.stdout).unwrap();
    let finding = report["lint"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "baseline-drift")
        .unwrap_or_else(|| panic!("no drift finding: {report}"))
        .clone();
    assert_eq!(finding["subject"], team.as_str());
    assert!(
        finding["message"].as_str().unwrap().contains("dev2.test"),
        "{finding}"
    );
    assert!(
        finding["hint"]
            .as_str()
            .unwrap()
            .contains(&format!("dynroute labels main -s {api} --format json"))
    );

    // Leaving: down and prune; then the write log.
    p.ok(&["down", "feature-1", "--yes"]);
    p.ok(&["prune", "--yes"]);
    let (writes, naming) = writes_naming(stack, &team);
    assert!(writes >= 4, "the oracle saw dynroute's writes: {writes}");
    assert_eq!(
        naming,
        Vec::<Value>::new(),
        "no write names the baseline {team}"
    );
    let live = stack
        .services(&cluster)
        .into_iter()
        .filter(|s| s["name"] == team.as_str() && s["status"] == "ACTIVE")
        .count();
    assert_eq!(live, 1, "the baseline still runs");
}

#[test]
fn a_missing_baseline_or_a_managed_main_beside_it_is_refused_before_any_write() {
    let stack = Stack::shared();
    let (p, cluster) = project(stack, "bsm", "{ecs_service: nobody-runs-this}");
    let out = p.run(&["up", "feature-1"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("ECS service `nobody-runs-this` does not exist on cluster"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: fix services.bsmapi.baseline.ecs_service"),
        "{}",
        out.stderr
    );
    assert_eq!(
        writes_naming(stack, "bsmapi--feature-1").1,
        Vec::<Value>::new()
    );

    // A main that dynroute also manages: refused with the migration steps.
    let plain = stack.project_with(&format!(
        "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\n{}services:\n  bsmapi:\n    template: templates/app.yaml\n    port: 8080\n",
        stack.network_yaml()
    ));
    plain.ok(&["up", "main", "-q", "--no-wait"]);
    stack.ctl(&[
        "create-unmanaged-service",
        "--cluster",
        &cluster,
        "--name",
        "nobody-runs-this",
        "--desired-count",
        "0",
    ]);
    let out = p.run(&["up", "feature-1"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("main is both a baseline"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("dynroute down main -s bsmapi --force"),
        "{}",
        out.stderr
    );
}

#[test]
fn baseline_config_mistakes_are_usage_errors_with_their_line() {
    let stack = Stack::shared();
    for (baseline, needle) in [
        (
            "{ecs_service: api, url: http://x}",
            "has both `ecs_service` and `url`",
        ),
        (
            "{url: ftp://api.internal}",
            "is not an absolute http:// or https:// URL",
        ),
        ("{url: /api}", "is not an absolute http:// or https:// URL"),
        ("{ecs_service: 'bad name'}", "is not an ECS service name"),
        ("{}", "is empty"),
        ("{ecs: api}", "unknown field `ecs`"),
    ] {
        let (p, _) = project(stack, "bsc", baseline);
        p.usage_error(&["render", "feature-1"], &["dynroute.yaml:16:", needle]);
    }
}

/// A plain HTTP server on loopback, outside ECS: main for a URL baseline. It
/// answers every request 200 and stops when the test process does.
fn outside_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(10_000) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let body = b"{\"server\":\"outside\"}";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(body);
        }
    });
    format!("http://{address}")
}

#[test]
fn a_url_baseline_serves_main_through_the_file_provider() {
    let stack = Stack::with_plugin();
    let tag = "bsu";
    let url = outside_server();
    let (p, _cluster) = project(stack, tag, &format!("{{url: \"{url}\"}}"));
    let api = format!("{tag}api");

    // The file provider's configuration: the entry middleware and main's routers.
    let dynamic = p.ok(&["traefik-config", "--dynamic"]);
    assert!(dynamic.contains(&format!("{api}--main:")), "{dynamic}");
    assert!(dynamic.contains(&format!("url: {url}")), "{dynamic}");
    let file = stack.state_dir.join("dynroute-middleware.yml");
    let before = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, &dynamic).unwrap();

    p.usage_error(&["up", "main"], &["would write to a baseline", &url]);
    p.ok(&["up", "feature-1", "-q"]);
    stack.wait_for_routers(&[format!("{api}--feature-1")], &[]);
    eventually(30, || {
        let r = send(stack, &format!("{api}.dev.test"), "/health", &[]);
        (r.json()["server"] == "outside")
            .then_some(())
            .ok_or_else(|| format!("answered by {:?}", r.version()))
    });
    ways_in(stack, tag);

    let ls: Value = serde_json::from_str(&p.ok(&["ls", "--json"])).unwrap();
    assert_eq!(ls[0]["services"][0]["baseline"], "url");
    assert_eq!(ls[0]["services"][0]["status"], "external");
    let api_url = stack.info["traefik_api_url"].as_str().unwrap().to_owned();
    let check: Value =
        serde_json::from_str(&p.ok(&["check", "--json", "--traefik-api", &api_url])).unwrap();
    assert_eq!(check["lint"]["findings"], serde_json::json!([]), "{check}");
    p.ok(&["down", "feature-1", "--yes"]);
    std::fs::write(&file, before).unwrap();
}

#[test]
fn init_adopts_a_running_service_and_records_it_as_the_baseline() {
    let stack = Stack::shared();
    let cluster = stack.cluster("bsi");
    stack.ctl(&[
        "create-unmanaged-service",
        "--cluster",
        &cluster,
        "--name",
        "orders-live",
        "--image",
        "example/orders:7",
        "--port",
        "9000",
    ]);
    let p = Project::empty()
        .env("CI", "true")
        .env("AWS_ENDPOINT_URL", &stack.endpoint());
    let out = p.run(&[
        "init",
        "--cluster",
        &cluster,
        "--region",
        "us-east-1",
        "--domain",
        "dev.test",
        "--from-service",
        "orders-live",
        "--baseline",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("recorded ECS service `orders-live` as the baseline"),
        "{}",
        out.stderr
    );
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    assert!(
        config.contains("baseline: {ecs_service: \"orders-live\"}"),
        "{config}"
    );
    // Its main is the baseline: `up main` is refused, `labels` prints main's labels.
    p.usage_error(
        &["up", "main"],
        &["would write to a baseline", "orders-live"],
    );
    let labels: Value = serde_json::from_str(&p.ok(&["labels", "-s", "orders-live"])).unwrap();
    assert_eq!(
        labels["traefik.http.routers.orders-live--main.rule"],
        "Host(`orders-live.dev.test`)"
    );
    // --baseline needs --from-service.
    let p2 = Project::empty();
    let out = p2.run(&["init", "--baseline"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}
