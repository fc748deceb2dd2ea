//! What a newcomer meets on the first day, each case compared whole: missing
//! credentials or region, the listings, the help, the hints.

use crate::harness::Project;
use crate::stack::Stack;

/// The README example pointed at a local emulator that no test starts: every
/// case below fails before the first request.
fn local() -> Project {
    Project::example().env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
}

#[test]
fn missing_credentials_name_every_source_tried_and_how_to_set_one() {
    let p = local()
        .without_env("AWS_ACCESS_KEY_ID")
        .without_env("AWS_SECRET_ACCESS_KEY");
    p.test(&["ls"])
        .code(2)
        .stderr(
            "error: no AWS credentials found (looked at the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), profile `default` in ~/.aws/config and ~/.aws/credentials (keys, SSO, assume-role, credential_process); the instance metadata service is not asked: the endpoint is a local emulator)\nhint: for a local emulator any keys do: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing\n",
        )
        .run();
    // A named profile is the one looked at.
    p.test(&["status", "feature-1", "--profile", "dev"])
        .code(2)
        .stderr(
            "error: no AWS credentials found (looked at the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), profile `dev` in ~/.aws/config and ~/.aws/credentials (keys, SSO, assume-role, credential_process); the instance metadata service is not asked: the endpoint is a local emulator)\nhint: for a local emulator any keys do: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing\n",
        )
        .run();
}

#[test]
fn a_missing_region_says_where_it_was_looked_for() {
    let p = local().without_env("AWS_REGION").file(
        "dynroute.yaml",
        &std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("region:"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    );
    p.test(&["ls"])
        .code(2)
        .stderr(
            "error: no AWS region configured (looked at --region, `region` in dynroute.yaml, AWS_REGION and AWS_DEFAULT_REGION, the `region` of profile `default` in ~/.aws/config)\nhint: set `region: us-east-1` in dynroute.yaml, pass --region us-east-1, or export AWS_REGION=us-east-1\n",
        )
        .run();
}

#[test]
fn a_refused_up_says_what_to_change_and_leaves_nothing_for_down() {
    // The README example as cloned: its subnet does not exist.
    let stack = Stack::shared();
    let cluster = stack.cluster("refused");
    let config = std::fs::read_to_string(crate::harness::repo_root().join("dynroute.yaml"))
        .unwrap()
        .replace("cluster: dev", &format!("cluster: {cluster}"));
    let p = Project::example()
        .file("dynroute.yaml", &config)
        .env("AWS_ENDPOINT_URL", &stack.endpoint())
        .env("CI", "true");
    let out = p.run(&["up", "refused-1"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let refusal = "CreateService failed: InvalidParameterException: Error retrieving subnet information for [subnet-0abc]: The subnet ID 'subnet-0abc' does not exist (ErrorCode: InvalidSubnetID.NotFound)";
    let mut lines: Vec<&str> = out.stderr.lines().collect();
    lines[1..3].sort();
    assert_eq!(
        lines,
        [
            format!(
                "deploying version refused-1 to cluster {cluster}: api--refused-1, web--refused-1"
            )
            .as_str(),
            "api--refused-1: ECS refused the service; deregistered api--refused-1:1 again, so this run left nothing behind",
            "web--refused-1: ECS refused the service; deregistered web--refused-1:1 again, so this run left nothing behind",
            "error: deployment incomplete",
            &format!("  not deployed: api--refused-1: {refusal}"),
            &format!("  not deployed: web--refused-1: {refusal}"),
            "hint: ECS refused a value of the request (the message names it): change it in dynroute.yaml or the template and run the command again; run unchanged, it fails the same way",
        ],
        "{}",
        out.stderr
    );
    // The refused CreateService requests, and each revision registered and
    // deregistered again.
    assert_eq!(
        stack.write_actions_naming("--refused-1"),
        [
            "ECS.CreateService",
            "ECS.CreateService",
            "ECS.DeregisterTaskDefinition",
            "ECS.DeregisterTaskDefinition",
            "ECS.RegisterTaskDefinition",
            "ECS.RegisterTaskDefinition"
        ]
    );
    // Nothing is left, so `down` has nothing to wait for.
    p.test(&["down", "refused-1", "--yes"])
        .stderr("version refused-1 is not deployed; nothing to do\n")
        .run();
}

#[test]
fn ls_fits_the_terminal_and_a_version_shows_the_ways_that_reach_it() {
    let stack = Stack::shared();
    let (p, cluster) = stack.project("fits");
    let owner = "a.very.long.owner.name.for.testing@example-corporation.example.com";
    // Only `web` runs the version.
    let up = p.ok(&[
        "up", "fit-1", "-s", "web", "--owner", owner, "--ttl", "never",
    ]);
    let try_lines: Vec<&str> = up.lines().filter(|l| l.starts_with("try:")).collect();
    assert_eq!(
        try_lines,
        ["try:    curl -H 'baggage: dynamic_route=fit-1' 'http://web.dev.test/'"],
        "{up}"
    );
    p.test(&["header", "fit-1", "--format", "link"])
        .stdout("https://web.dev.test/_dynroute/use/fit-1\n")
        .run();
    p.test(&["header", "fit-1", "--format", "host"])
        .stdout("web--fit-1.dev.test\n")
        .run();
    let status = p.ok(&["status", "fit-1"]);
    assert!(
        status.ends_with("\ntry: curl -H 'baggage: dynamic_route=fit-1' 'http://web.dev.test/'\n"),
        "{status}"
    );

    // The default view fits the width, cut with `…` on one line per version.
    for columns in ["100", "80"] {
        let out = p.run_env(&[("COLUMNS", columns)], &["ls"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{}", out.stdout);
        let width: usize = columns.parse().unwrap();
        for line in &lines {
            assert!(line.chars().count() <= width, "{columns}: {line:?}");
        }
        assert!(
            lines[0].starts_with(" VERSION  SERVICES  STATUS"),
            "{}",
            out.stdout
        );
        assert!(
            lines[1].starts_with(" fit-1    web       2/2 running"),
            "{}",
            out.stdout
        );
        assert!(lines[1].contains('…'), "{}", out.stdout);
    }
    // -o wide: every column, the URL the one that reaches the version.
    let wide = p.ok(&["ls", "-o", "wide"]);
    assert!(wide.contains(owner), "{wide}");
    assert!(
        wide.contains(&format!(" {} ", "https://web--fit-1.dev.test/")),
        "{wide}"
    );
    assert!(!wide.contains("http://web.dev.test"), "{wide}");

    // A version deployed nowhere: the one rule, exit 1, for every verb about it.
    for args in [
        &["status", "fit-2"][..],
        &["logs", "fit-2"],
        &["extend", "fit-2"],
        &["header", "fit-2", "--format", "link"],
    ] {
        let out = p.run(args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.stderr);
        assert_eq!(
            out.stderr,
            "error: version `fit-2` is not deployed: no service api--fit-2, web--fit-2 on cluster fits-0\nhint: `dynroute ls` lists the deployed versions; `dynroute up fit-2` deploys it\n"
                .replace("fits-0", &cluster),
            "{args:?}"
        );
    }
    // `down` alone is idempotent.
    p.test(&["down", "fit-2", "--yes"])
        .stderr("version fit-2 is not deployed; nothing to do\n")
        .run();
}

#[test]
fn help_lists_a_commands_own_options_then_the_global_ones() {
    let out = Project::empty().run_env(&[("COLUMNS", "100")], &["ls", "-h"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        r#"List deployed versions

Usage: dynroute ls [OPTIONS]

Options:
      --service <SERVICE>  Only versions that run this service
      --owner <OWNER>      Only versions deployed by this owner
      --mine               Only versions deployed by you (CI actor, git user.email or $USER)
      --expired            Only expired versions
      --pr <N>             Only versions deployed for this pull / merge request number
      --all-projects       Act on every project's services, not only this project's
  -h, --help               Print help (see more with '--help')
  -V, --version            Print version

Global options:
      --config <PATH>             Config file [default: dynroute.yaml in this or a parent directory]
                                  [env: DYNROUTE_CONFIG=]
      --cluster <NAME>            ECS cluster name or ARN, overriding the config [env:
                                  DYNROUTE_CLUSTER=]
      --region <REGION>           AWS region, overriding the config and the AWS config chain [env:
                                  DYNROUTE_REGION=]
      --profile <NAME>            AWS profile from ~/.aws/config
  -o, --output <OUTPUT>           Output format of results on stdout (wide: ls; markdown: up, down,
                                  ls, status, check) [default: table] [possible values: table, wide,
                                  json, markdown]
      --json                      Same as `--output json`
      --no-summary                Do not append the markdown report to $GITHUB_STEP_SUMMARY (up,
                                  down, check)
  -y, --yes                       Answer yes to confirmations (down, prune)
      --no-input                  Never prompt (also when CI=true or without a terminal); a question
                                  becomes an error naming the flag that answers it
  -q, --quiet                     Print only results and errors
  -v, --verbose...                Show what dynroute reads and writes: config file, AWS target, each
                                  change
      --no-color                  Disable colours (also NO_COLOR)
      --poll-interval <DURATION>  How often waits poll ECS and the ingress, e.g. 3s, 500ms (up,
                                  down, status, logs --follow) [env: DYNROUTE_POLL_INTERVAL=]
                                  [default: 3s]
"#
    );
}

#[test]
fn a_missing_cluster_is_said_once() {
    let stack = Stack::shared();
    let (p, _) = stack.project("nocluster");
    p.test(&["ls", "--cluster", "no-such-cluster"])
        .code(1)
        .stderr(
            "error: cluster `no-such-cluster` does not exist (ListServices): ClusterNotFoundException: Cluster not found.\nhint: check `cluster` in dynroute.yaml, --cluster or DYNROUTE_CLUSTER, and the region\n",
        )
        .run();
}
