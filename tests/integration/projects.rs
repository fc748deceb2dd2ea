//! Project identity and CI output against the local stack: two projects that
//! declare the same service on one cluster never touch each other, and `up` /
//! `down` hand GitHub Actions its outputs and job summary.

use serde_json::Value;

use crate::stack::Stack;

fn live(stack: &Stack, cluster: &str) -> Vec<String> {
    let mut names: Vec<String> = stack
        .services(cluster)
        .iter()
        .filter(|s| s["status"] == "ACTIVE")
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

fn versions(ls: &str) -> Vec<String> {
    let rows: Value = serde_json::from_str(ls).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_str().unwrap().to_owned())
        .collect()
}

fn tag(stack: &Stack, cluster: &str, service: &str, key: &str) -> Option<String> {
    stack
        .services(cluster)
        .iter()
        .find(|s| s["name"] == service)?
        .get("tags")?
        .get(key)?
        .as_str()
        .map(str::to_owned)
}

#[test]
fn two_projects_declaring_the_same_service_are_isolated() {
    let stack = Stack::shared();
    let cluster = stack.cluster("projects");
    let shop = stack.project_on(&cluster, "shop", "api");
    let web = stack.project_on(&cluster, "web", "api");
    let docs = stack.project_on(&cluster, "docs", "docs");

    shop.ok(&["up", "feature-1"]);
    assert_eq!(
        tag(stack, &cluster, "api--feature-1", "dynroute:project").as_deref(),
        Some("shop")
    );
    let td = |s: &str| {
        stack
            .services(&cluster)
            .iter()
            .find(|x| x["name"] == s)
            .map(|x| x["taskDefinition"].as_str().unwrap_or("").to_owned())
            .unwrap()
    };
    let before = td("api--feature-1");
    // The other project's `up` of the same name is refused, naming both and the way out.
    web.usage_error(
        &["up", "feature-1"],
        &["project `shop`", "this project `web`", "hint:"],
    );
    assert_eq!(
        td("api--feature-1"),
        before,
        "the refused up changed nothing"
    );
    web.ok(&["up", "feature-2"]);
    docs.ok(&["up", "feature-1"]);

    // ls: each project sees its own; --all-projects sees one feature-1 spanning two projects.
    assert_eq!(versions(&shop.ok(&["ls", "--json"])), ["feature-1"]);
    assert_eq!(versions(&web.ok(&["ls", "--json"])), ["feature-2"]);
    let all: Value = serde_json::from_str(&shop.ok(&["ls", "--all-projects", "--json"])).unwrap();
    let rows = all.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{all}");
    assert_eq!(rows[0]["version"], "feature-1");
    assert_eq!(rows[0]["projects"], serde_json::json!(["docs", "shop"]));
    assert_eq!(rows[0]["services"].as_array().unwrap().len(), 2);

    // down of the other project's version leaves it untouched.
    let down: Value =
        serde_json::from_str(&shop.ok(&["down", "feature-2", "--yes", "--json"])).unwrap();
    assert_eq!(down["removed"], serde_json::json!([]), "{down}");
    assert!(live(stack, &cluster).contains(&"api--feature-2".to_owned()));

    // prune: each project prunes only its own expired versions.
    for (project, version) in [("shop", "old-shop"), ("web", "old-web")] {
        stack.ctl(&[
            "seed-services",
            "--cluster",
            &cluster,
            "--services",
            "api",
            "--versions",
            version,
            "--expired",
            "--project",
            project,
        ]);
    }
    let pruned: Value = serde_json::from_str(&shop.ok(&["prune", "--yes", "--json"])).unwrap();
    assert_eq!(
        pruned["versions"],
        serde_json::json!(["old-shop"]),
        "{pruned}"
    );
    assert_eq!(
        live(stack, &cluster),
        [
            "api--feature-1",
            "api--feature-2",
            "api--old-web",
            "docs--feature-1"
        ]
    );
    let pruned: Value = serde_json::from_str(&web.ok(&["prune", "--yes", "--json"])).unwrap();
    assert_eq!(pruned["versions"], serde_json::json!(["old-web"]));

    // down of each project's own version removes only that one.
    web.ok(&["down", "feature-2", "--yes"]);
    assert_eq!(live(stack, &cluster), ["api--feature-1", "docs--feature-1"]);
    docs.ok(&["down", "feature-1", "--yes"]);
    assert_eq!(live(stack, &cluster), ["api--feature-1"]);
    assert_eq!(
        versions(&web.ok(&["ls", "--all-projects", "--json"])),
        ["feature-1"]
    );
}

#[test]
fn untagged_services_are_adopted_by_their_projects_first_up() {
    let stack = Stack::shared();
    let cluster = stack.cluster("adopt");
    stack.ctl(&[
        "seed-services",
        "--cluster",
        &cluster,
        "--services",
        "api",
        "--versions",
        "feature-1",
        "--desired-count",
        "1",
    ]);
    let shop = stack.project_on(&cluster, "shop", "api");
    let out = shop.run(&["up", "feature-1"]);
    out.expect(0, &["adopting api--feature-1 into project shop"]);
    assert_eq!(
        tag(stack, &cluster, "api--feature-1", "dynroute:project").as_deref(),
        Some("shop")
    );
    // From now on it is shop's: another project's `up` is refused.
    let web = stack.project_on(&cluster, "web", "api");
    web.usage_error(&["up", "feature-1"], &["project `shop`"]);
}

#[test]
fn up_and_down_write_github_outputs_and_the_job_summary() {
    let stack = Stack::shared();
    let cluster = stack.cluster("github");
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("output");
    let summary = dir.path().join("summary.md");
    let p = stack
        .project_on(&cluster, "shop", "api")
        .env("GITHUB_OUTPUT", output.to_str().unwrap())
        .env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GITHUB_REF", "refs/pull/7/merge");

    let md = p.ok(&["up", "feature-3", "-o", "markdown"]);
    assert!(
        md.starts_with("### dynroute: `feature-3` deployed to"),
        "{md}"
    );
    assert!(md.contains("| api | `api--feature-3` | create |"), "{md}");
    let written = std::fs::read_to_string(&output).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "version=feature-3");
    assert_eq!(lines[1], "header=baggage: dynamic_route=feature-3");
    assert_eq!(lines[2], "urls=https://api--feature-3.dev.test/");
    assert_eq!(
        lines[3],
        "link=https://api.dev.test/_dynroute/use/feature-3"
    );
    assert_eq!(lines.len(), 4, "{written}");
    let job = std::fs::read_to_string(&summary).unwrap();
    assert!(job.contains("### dynroute: `feature-3` deployed"), "{job}");

    // CI's repository and PR are tags; `ls` shows and filters by the PR.
    assert_eq!(
        tag(stack, &cluster, "api--feature-3", "dynroute:pr").as_deref(),
        Some("7")
    );
    assert_eq!(
        tag(stack, &cluster, "api--feature-3", "dynroute:repo").as_deref(),
        Some("acme/shop")
    );
    assert_eq!(
        versions(&p.ok(&["ls", "--pr", "7", "--json"])),
        ["feature-3"]
    );
    assert!(versions(&p.ok(&["ls", "--pr", "8", "--json"])).is_empty());
    assert!(p.ok(&["ls", "-o", "wide"]).contains("#7"));
    p.usage_error(&["ls", "--pr", "seven"], &["--pr"]);

    // --no-summary leaves the summary alone; down appends its own.
    p.ok(&["up", "feature-3", "--no-summary"]);
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), job);
    p.ok(&["down", "feature-3", "--yes"]);
    let job = std::fs::read_to_string(&summary).unwrap();
    assert!(job.contains("### dynroute: `feature-3` removed"), "{job}");
    assert!(job.contains("| `api--feature-3` | deleted |"), "{job}");
}

#[test]
fn an_unwritable_job_summary_is_a_warning_not_a_failure() {
    let stack = Stack::shared();
    let cluster = stack.cluster("summary");
    let p = stack
        .project_on(&cluster, "shop", "api")
        .env("GITHUB_STEP_SUMMARY", "/nonexistent-dir/summary.md");
    let out = p.run(&["up", "feature-4"]);
    out.expect(
        0,
        &["warning", "GITHUB_STEP_SUMMARY=/nonexistent-dir/summary.md"],
    );
    assert_eq!(live(stack, &cluster), ["api--feature-4"]);
}

#[test]
fn identity_and_output_mistakes_are_usage_errors_before_any_aws_call() {
    let stack = Stack::shared();
    let cluster = stack.cluster("identity-bad");
    let p = stack.project_on(&cluster, "shop", "api");
    p.usage_error(&["render", "v1", "-o", "markdown"], &["no markdown report"]);
    // A version derived from a CI ref that lands on a protected one.
    let fork = stack
        .project_on(&cluster, "shop", "api")
        .env("GITHUB_HEAD_REF", "main");
    fork.usage_error(&["up"], &["`main` is protected", "dynroute up main"]);
    let shadow = stack
        .project_on(&cluster, "shop", "api")
        .env("GITHUB_HEAD_REF", "Shadow");
    shadow.usage_error(&["up"], &["`shadow` is protected"]);
    assert!(live(stack, &cluster).is_empty());
    let bad = stack.project_on(&cluster, "Shop_API", "api");
    bad.usage_error(&["render", "v1"], &["invalid project name", "Shop_API"]);
}
