//! `dynroute check` on the local stack with the real Traefik: a healthy table
//! proven entirely, each fault reported by name with exit 1, and the exports
//! replayed with the real `hurl` and validated with `xmllint --schema`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::harness::{Output, Project, SpawnOutput, eventually, repo_root};
use crate::stack::Stack;

/// Deploys each version of the services named with `-s` (all when empty), concurrently.
fn up_all(p: &Project, versions: &[&str], extra: &[&str]) {
    let runs: Vec<_> = versions
        .iter()
        .map(|v| {
            let mut args = vec!["up", v, "-q", "--no-verify"];
            args.extend(extra);
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

fn api_url(stack: &Stack) -> String {
    stack.info["traefik_api_url"].as_str().unwrap().to_owned()
}

/// `dynroute check --json --traefik-api API ARGS...`: the output and its JSON report.
fn check(stack: &Stack, p: &Project, args: &[&str]) -> (Output, Value) {
    let api = api_url(stack);
    let mut all = vec!["check", "--json", "--traefik-api", api.as_str()];
    all.extend(args);
    let out = p.run(&all);
    let report = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    (out, report)
}

fn failed_cases(report: &Value) -> Vec<String> {
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["passed"] == false)
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The first lint finding with this code.
fn finding(report: &Value, code: &str) -> Value {
    report["lint"]["findings"]
        .as_array()
        .and_then(|all| all.iter().find(|f| f["code"] == code))
        .unwrap_or_else(|| panic!("no {code} finding in {report}"))
        .clone()
}

fn findings(report: &Value) -> Vec<(String, String)> {
    report["lint"]["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["code"].as_str().unwrap().to_owned(),
                        f["subject"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Runs `check` until it reports `code` for `subject` (Traefik converges within its
/// refresh interval), then asserts exit 1 and returns the report.
fn check_until_found(stack: &Stack, p: &Project, code: &str, subject: &str) -> (Output, Value) {
    let mut last = None;
    eventually(45, || {
        let (out, report) = check(stack, p, &[]);
        let found = findings(&report);
        let ok = found.iter().any(|(c, s)| c == code && s == subject);
        let reason = format!("exit {}, findings {found:?}\n{}", out.code, out.stderr);
        last = Some((out, report));
        if ok { Ok(()) } else { Err(reason) }
    });
    let (out, report) = last.unwrap();
    out.expect(1, &["check failed:"]);
    assert!(
        out.stdout.is_empty() || out.stdout.trim_start().starts_with('{'),
        "JSON only on stdout"
    );
    (out, report)
}

/// Runs a Python snippet with boto3 against the stack (argv[1] = endpoint, then `args`).
pub fn boto3(stack: &Stack, code: &str, args: &[&str]) {
    let out = Command::new(repo_root().join("scripts/stack"))
        .arg("python")
        .arg("-c")
        .arg(code)
        .arg(stack.endpoint())
        .args(args)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "boto3 snippet failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub const ECS: &str = "import boto3, json, sys\nendpoint = sys.argv[1]\nassert endpoint.startswith('http://127.')\necs = boto3.client('ecs', endpoint_url=endpoint, region_name='us-east-1')\n";

/// Registers a new revision of a service's task definition with `sys.argv[4]` (JSON)
/// merged into the routed container's labels, and rolls the service to it.
const RELABEL: &str = "cluster, family, labels = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])\ntd = ecs.describe_task_definition(taskDefinition=family, include=['TAGS'])\nspec = td['taskDefinition']\nspec['containerDefinitions'][0]['dockerLabels'].update(labels)\nkeep = ('family', 'networkMode', 'requiresCompatibilities', 'cpu', 'memory', 'containerDefinitions')\nnew = ecs.register_task_definition(**{k: spec[k] for k in keep}, tags=td.get('tags') or [])\necs.update_service(cluster=cluster, service=family, taskDefinition=new['taskDefinition']['taskDefinitionArn'])\n";

/// An unmanaged service with a router of rule `sys.argv[4]` at priority 5000.
const CATCH_ALL: &str = "cluster, name, rule = sys.argv[2], sys.argv[3], sys.argv[4]\nsubnets, sgs = sys.argv[5].split(','), sys.argv[6].split(',')\nlabels = {'traefik.enable': 'true', f'traefik.http.routers.{name}.rule': rule, f'traefik.http.routers.{name}.priority': '5000', f'traefik.http.routers.{name}.entrypoints': 'web', f'traefik.http.services.{name}.loadbalancer.server.port': '8080'}\ntd = ecs.register_task_definition(family=name, networkMode='awsvpc', requiresCompatibilities=['FARGATE'], cpu='256', memory='512', containerDefinitions=[{'name': 'proxy', 'image': 'example/proxy:1', 'memory': 256, 'portMappings': [{'containerPort': 8080, 'protocol': 'tcp'}], 'dockerLabels': labels}])['taskDefinition']\necs.create_service(cluster=cluster, serviceName=name, taskDefinition=td['taskDefinitionArn'], desiredCount=1, launchType='FARGATE', networkConfiguration={'awsvpcConfiguration': {'subnets': subnets, 'securityGroups': sgs}})\n";

/// Scales a service to `sys.argv[3]` tasks.
pub const SCALE: &str =
    "ecs.update_service(cluster=sys.argv[2], service=sys.argv[3], desiredCount=int(sys.argv[4]))\n";

fn catch_all(stack: &Stack, cluster: &str, name: &str, rule: &str) {
    let list = |key: &str| {
        stack.info[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect::<Vec<_>>()
            .join(",")
    };
    let (subnets, groups) = (list("subnets"), list("security_groups"));
    boto3(
        stack,
        &format!("{ECS}{CATCH_ALL}"),
        &[cluster, name, rule, &subnets, &groups],
    );
}

fn relabel(stack: &Stack, cluster: &str, family: &str, labels: &Value) {
    boto3(
        stack,
        &format!("{ECS}{RELABEL}"),
        &[cluster, family, &labels.to_string()],
    );
}

/// The pinned hurl from `scripts/check-tools` (cached outside the clone).
fn hurl_bin() -> PathBuf {
    let path = std::env::var_os("DYNROUTE_HURL")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache"));
            cache.join("dynroute-tools/hurl-8.0.1/bin/hurl")
        });
    assert!(
        path.is_file(),
        "hurl 8.0.1 is not installed at {}: run `scripts/check-tools` (scripts/test does)",
        path.display()
    );
    path
}

/// Runs `hurl --test --continue-on-error FILE`; returns its success and the case ids of
/// the failing entries (from the `# case:` comment above each failing line).
/// The case of the entry that contains `line` (1-based) of a `--hurl` export:
/// each entry starts with a `# case: ID` comment.
fn case_at_line(hurl: &str, line: usize) -> Option<&str> {
    hurl.lines()
        .take(line)
        .filter_map(|l| l.strip_prefix("# case: "))
        .last()
}

#[test]
fn a_hurl_line_names_the_case_of_its_entry() {
    let text = "\n# case: a\nGET http://x/\nHTTP *\n\n# case: b\nGET http://x/\n";
    assert_eq!(case_at_line(text, 3), Some("a"));
    assert_eq!(case_at_line(text, 7), Some("b"));
    assert_eq!(case_at_line(text, 1), None);
}

fn run_hurl(file: &Path) -> (bool, Vec<String>) {
    let out = Command::new(hurl_bin())
        .args(["--test", "--continue-on-error", "--no-color"])
        .arg(file)
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("all_proxy")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let text = std::fs::read_to_string(file).unwrap();
    let marker = format!("--> {}:", file.display());
    let mut failed: Vec<String> = stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix(marker.trim()))
        .filter_map(|rest| rest.split(':').next()?.parse::<usize>().ok())
        .filter_map(|line| case_at_line(&text, line).map(str::to_owned))
        .collect();
    failed.sort();
    failed.dedup();
    assert!(
        out.status.success() || !failed.is_empty(),
        "hurl failed without naming a line:\n{stderr}"
    );
    (out.status.success(), failed)
}

fn xmllint_schema(file: &Path) -> std::process::Output {
    let xsd = repo_root().join("tests/fixtures/junit/junit.xsd");
    Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&xsd)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint (Debian's libxml2-utils) is not installed: {e}; run `scripts/check-tools`"
            )
        })
}

fn assert_valid_junit(file: &Path) {
    let out = xmllint_schema(file);
    assert!(
        out.status.success(),
        "{} does not validate:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_junit_schema_rejects_a_broken_report() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.xml");
    // A testcase without classname, with two outcomes.
    std::fs::write(&bad, "<testsuites><testsuite name=\"x\" tests=\"1\"><testcase name=\"a\"><failure/><error/></testcase></testsuite></testsuites>").unwrap();
    assert!(!xmllint_schema(&bad).status.success());
}

#[test]
fn a_healthy_table_passes_and_its_hurl_file_fails_where_check_does() {
    let stack = Stack::with_traefik();
    let (p, cluster) = stack.routed_project("ckh", "v3");
    let versions = [
        "main",
        "feature-1",
        "feature-2",
        "feature-3",
        "feature-4",
        "feature-5",
        "feature-6",
    ];
    up_all(&p, &versions, &[]);
    let mut routers = Vec::new();
    for s in ["ckhapi", "ckhweb"] {
        routers.extend(versions.iter().map(|v| format!("{s}--{v}")));
    }
    stack.wait_for_routers(&routers, &[]);

    let hurl = p.path().join("routes.hurl");
    let junit = p.path().join("routes.xml");
    let (out, report) = check(
        stack,
        &p,
        &["--hurl", "routes.hurl", "--junit", "routes.xml"],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    // Per version: its member per host, version host, cookie, pin, and (besides main)
    // 4 near misses of the member and 1 of the cookie.
    // api: 1 plain + main 4 + 6 × 9; web (2 hosts): 2 plain + main 5 + 6 × 10.
    assert_eq!(report["total"], 59 + 67, "{report}");
    assert_eq!(report["proven"], report["total"]);
    assert_eq!(findings(&report), []);
    let table = p.ok(&["check", "--traefik-api", &api_url(stack)]);
    assert!(table.starts_with("routes proven: 126/126\n"), "{table}");
    assert!(table.contains("lint: no findings"), "{table}");

    let (ok, failed) = run_hurl(&hurl);
    assert!(ok, "the Hurl export fails on a healthy table: {failed:?}");
    assert_valid_junit(&junit);

    // Fault: every task of api at feature-2 stops.
    boto3(
        stack,
        &format!("{ECS}{SCALE}"),
        &[&cluster, "ckhapi--feature-2", "0"],
    );
    let (_, report) = check_until_found(stack, &p, "not-loaded", "ckhapi--feature-2@ecs");
    let mut named = failed_cases(&report);
    named.sort();
    // Every way in to the version fails; its near misses still reach main.
    assert_eq!(
        named,
        [
            "ckhapi/feature-2/baggage@ckhapi.dev.test",
            "ckhapi/feature-2/cookie@ckhapi.dev.test",
            "ckhapi/feature-2/pin@ckhapi.dev.test",
            "ckhapi/feature-2/version-host@ckhapi--feature-2.dev.test",
        ],
        "{report}"
    );
    let (ok, hurl_failed) = run_hurl(&hurl);
    assert!(!ok);
    assert_eq!(hurl_failed, named, "hurl and check disagree");
    check(stack, &p, &["--junit", "failing.xml"]);
    assert_valid_junit(&p.path().join("failing.xml"));
    let xml = std::fs::read_to_string(p.path().join("failing.xml")).unwrap();
    assert!(
        xml.contains("name=\"ckhapi/feature-2/baggage@ckhapi.dev.test\""),
        "{xml}"
    );
    assert!(
        xml.contains("classname=\"lint.not-loaded\" name=\"ckhapi--feature-2@ecs\""),
        "{xml}"
    );
}

#[test]
fn a_catch_all_router_of_someone_else_is_reported_as_shadowing() {
    let stack = Stack::with_traefik();
    let (p, cluster) = stack.routed_project("cks", "v3");
    up_all(&p, &["main", "feature-1"], &["-s", "cksapi"]);
    stack.wait_for_routers(&["cksapi--main".into(), "cksapi--feature-1".into()], &[]);
    catch_all(stack, &cluster, "cks-legacy", "Host(`cksapi.dev.test`)");
    let (out, report) = check_until_found(stack, &p, "shadowed", "cks-legacy@ecs");
    let finding = &finding(&report, "shadowed");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("priority 5000"),
        "{finding}"
    );
    assert!(!finding["hint"].as_str().unwrap().is_empty());
    // Every request to api's host now reaches the catch-all.
    let failed = failed_cases(&report);
    assert!(
        failed.contains(&"cksapi/feature-1/baggage@cksapi.dev.test".to_owned()),
        "{failed:?}"
    );
    assert!(
        failed.contains(&"cksapi/main/plain@cksapi.dev.test".to_owned()),
        "{failed:?}"
    );
    assert!(out.stderr.contains("routes not proven"));
}

#[test]
fn a_version_whose_tasks_all_stopped_is_reported() {
    let stack = Stack::with_traefik();
    let (p, _) = stack.routed_project("ckd", "v3");
    up_all(&p, &["main"], &["-s", "ckdapi"]);
    // Every task of this image exits at once; the circuit breaker gives up.
    up_all(
        &p,
        &["feature-1"],
        &["-s", "ckdapi", "--image-tag", "crash", "--no-wait"],
    );
    stack.wait_for_routers(&["ckdapi--main".into()], &[]);
    let (_, report) = check_until_found(stack, &p, "not-loaded", "ckdapi--feature-1@ecs");
    let finding = &finding(&report, "not-loaded");
    assert!(
        finding["hint"].as_str().unwrap().contains("0/1"),
        "{finding}"
    );
    let mut failed = failed_cases(&report);
    failed.sort();
    // Every way in to the version fails; its near misses still reach main.
    assert_eq!(
        failed,
        [
            "ckdapi/feature-1/baggage@ckdapi.dev.test",
            "ckdapi/feature-1/cookie@ckdapi.dev.test",
            "ckdapi/feature-1/pin@ckdapi.dev.test",
            "ckdapi/feature-1/version-host@ckdapi--feature-1.dev.test",
        ],
        "{report}"
    );
    let case = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == failed[0].as_str())
        .unwrap();
    assert_eq!(case["answer"]["version"], "main", "{case}");
}

#[test]
fn a_service_with_a_version_and_no_main_is_reported() {
    let stack = Stack::with_traefik();
    let (p, _) = stack.routed_project("ckm", "v3");
    up_all(&p, &["main"], &["-s", "ckmapi"]);
    up_all(&p, &["feature-1"], &["-s", "ckmweb"]);
    stack.wait_for_routers(&["ckmapi--main".into(), "ckmweb--feature-1".into()], &[]);
    let (_, report) = check_until_found(stack, &p, "no-main", "ckmweb.dev.test,ckmwww.dev.test");
    let failed = failed_cases(&report);
    assert!(
        failed.contains(&"ckmweb/main/plain@ckmweb.dev.test".to_owned()),
        "{failed:?}"
    );
    assert!(
        failed.contains(&"ckmweb/feature-1/key-prefix@ckmweb.dev.test".to_owned()),
        "{failed:?}"
    );
    let case = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "ckmweb/main/plain@ckmweb.dev.test")
        .unwrap();
    assert_eq!(case["answer"]["status"], 404, "{case}");
    // The version itself still routes.
    assert!(!failed.contains(&"ckmweb/feature-1/baggage@ckmweb.dev.test".to_owned()));
}

#[test]
fn a_router_disabled_for_a_broken_rule_is_reported() {
    let stack = Stack::with_traefik();
    let (p, cluster) = stack.routed_project("ckb", "v3");
    up_all(&p, &["main", "feature-1"], &["-s", "ckbapi"]);
    stack.wait_for_routers(&["ckbapi--main".into(), "ckbapi--feature-1".into()], &[]);
    relabel(
        stack,
        &cluster,
        "ckbapi--feature-1",
        &serde_json::json!({"traefik.http.routers.ckbapi--feature-1.rule": "Host(`ckbapi.dev.test`) && Bogus(`x`)"}),
    );
    let (_, report) = check_until_found(stack, &p, "router-disabled", "ckbapi--feature-1@ecs");
    let finding = &finding(&report, "router-disabled");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("unsupported function: Bogus"),
        "{finding}"
    );
    assert!(failed_cases(&report).contains(&"ckbapi/feature-1/baggage@ckbapi.dev.test".to_owned()));
}

#[test]
fn a_router_loaded_under_the_wrong_rule_syntax_is_reported() {
    let stack = Stack::with_traefik();
    let (p, cluster) = stack.routed_project("ckw", "v3");
    up_all(&p, &["main", "feature-1"], &["-s", "ckwapi"]);
    stack.wait_for_routers(&["ckwapi--main".into(), "ckwapi--feature-1".into()], &[]);
    let rule = p.ok(&["render", "feature-1", "-s", "ckwapi"]);
    let rendered: Value = serde_json::from_str(&rule).unwrap();
    let key = "traefik.http.routers.ckwapi--feature-1.rule";
    let v3 = rendered["containerDefinitions"][0]["dockerLabels"][key]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(v3.contains("HeaderRegexp("), "{v3}");
    // The v2 function, without the router label ruleSyntax=v2 that makes Traefik accept it.
    relabel(
        stack,
        &cluster,
        "ckwapi--feature-1",
        &serde_json::json!({key: v3.replace("HeaderRegexp(", "HeadersRegexp(")}),
    );
    let (_, report) = check_until_found(stack, &p, "wrong-rule-syntax", "ckwapi--feature-1@ecs");
    let finding = &finding(&report, "wrong-rule-syntax");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("HeadersRegexp"),
        "{finding}"
    );
    assert!(
        finding["hint"].as_str().unwrap().contains("rule_syntax"),
        "{finding}"
    );
    assert_eq!(
        failed_cases(&report),
        ["ckwapi/feature-1/baggage@ckwapi.dev.test"]
    );
}

#[test]
fn warn_only_reports_findings_without_failing_and_an_unreachable_ingress_is_exit_3() {
    let stack = Stack::with_traefik();
    let (p, cluster) = stack.routed_project("cku", "v3");
    up_all(&p, &["main", "feature-1"], &["-s", "ckuapi"]);
    stack.wait_for_routers(&["ckuapi--main".into(), "ckuapi--feature-1".into()], &[]);
    // Someone else's router takes /admin on api's host first: no case fails, the lint finds it.
    catch_all(
        stack,
        &cluster,
        "cku-admin",
        "Host(`ckuapi.dev.test`) && PathPrefix(`/admin`)",
    );
    let (_, report) = check_until_found(stack, &p, "shadowed", "cku-admin@ecs");
    assert_eq!(failed_cases(&report), Vec::<String>::new(), "{report}");
    let (out, report) = check(stack, &p, &["--warn-only"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(report["lint"]["warn_only"], true);
    assert!(findings(&report).contains(&("shadowed".into(), "cku-admin@ecs".into())));
    let table = p.ok(&["check", "--warn-only", "--traefik-api", &api_url(stack)]);
    assert!(table.contains("lint: 1 warning ("), "{table}");

    let (out, report) = check(stack, &p, &["feature-1", "--warn-only"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(report["total"], 9);
    assert!(
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["version"] == "feature-1")
    );
    p.run(&["check", "feature-9"])
        .expect(1, &["feature-9 is not deployed"]);

    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let web = stack.traefik_web();
    std::fs::write(
        p.path().join("closed.yaml"),
        config.replace(&web, &format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    p.run(&["--config", "closed.yaml", "check"])
        .expect(3, &["answered none of the"]);
}

#[test]
fn bad_input_is_exit_2_before_any_aws_call() {
    let stack = Stack::with_traefik();
    let (p, _) = stack.routed_project("ckx", "v3");
    // An AWS call would fail (exit 1), not exit 2.
    let p = p.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    p.usage_error(&["check", "Feature_1"], &["invalid version name"]);
    p.usage_error(
        &["check", "-s", "nope"],
        &["service `nope` is not declared"],
    );
    p.usage_error(
        &["check", "--traefik-api", "ftp://x"],
        &["--traefik-api \"ftp://x\" is not an http"],
    );
    p.usage_error(
        &["check", "--hurl", "missing-dir/x.hurl"],
        &["--hurl missing-dir/x.hurl"],
    );
    p.usage_error(&["check", "--concurrency", "0"], &["--concurrency"]);
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let without_ingress: String = config
        .lines()
        .filter(|l| !l.starts_with("ingress:") && !l.starts_with("  url:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(p.path().join("no-ingress.yaml"), without_ingress).unwrap();
    p.usage_error(
        &["--config", "no-ingress.yaml", "check"],
        &["none is configured", "hint: set `ingress.url`"],
    );
    std::fs::write(
        p.path().join("bad-api.yaml"),
        config.replace("traefik:\n", "traefik:\n  api_url: not-a-url\n"),
    )
    .unwrap();
    p.usage_error(
        &["--config", "bad-api.yaml", "check"],
        &["bad-api.yaml:", "traefik.api_url"],
    );
}

#[test]
fn routes_to_a_version_a_service_lacks_are_proven_to_reach_the_fallback_tier() {
    let stack = Stack::with_traefik();
    let (p, _) = stack.routed_project("ckf", "v3");
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    std::fs::write(
        p.path().join("dynroute.yaml"),
        format!("fallback: [shadow]\n{config}"),
    )
    .unwrap();
    up_all(&p, &["main"], &[]);
    up_all(&p, &["shadow"], &["-s", "ckfapi"]);
    up_all(&p, &["feature-1"], &["-s", "ckfweb"]);
    let routers = [
        "ckfapi--main",
        "ckfapi--shadow",
        "ckfweb--main",
        "ckfweb--feature-1",
    ];
    stack.wait_for_routers(&routers.map(String::from), &[]);
    let (out, report) = check(stack, &p, &[]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    let case = |id: &str| {
        report["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("no case {id}"))
            .clone()
    };
    // feature-1 runs on web only: on api a route to it reaches shadow.
    let api = case("ckfapi/feature-1/fallback@ckfapi.dev.test");
    assert_eq!(
        (&api["expect_version"], &api["answer"]["version"]),
        (&"shadow".into(), &"shadow".into())
    );
    // A longer name than shadow is a route to an undeployed version too.
    assert_eq!(
        case("ckfapi/shadow/longer-version@ckfapi.dev.test")["expect_version"],
        "shadow"
    );
    // web runs no shadow: the route reaches main there.
    assert_eq!(
        case("ckfweb/shadow/fallback@ckfweb.dev.test")["expect_version"],
        "main"
    );
    assert_eq!(report["proven"], report["total"]);
}
