//! Snapshots of every report's JSON (the stable contract) and text.

use insta::{assert_json_snapshot, assert_snapshot};

use super::format::{HeaderFormat, RenderFormat};
use super::*;
use crate::ecs::{Deployment, DeploymentStatus, RolloutState, ServiceEvent, ServiceStatus};
use crate::engine::inventory::{VersionStatus, VersionView};
use crate::engine::removal::Removed;
use crate::engine::up::Settled;

fn up_timings(dry_run: bool) -> crate::engine::timings::Timings {
    let ran = |ms| (!dry_run).then_some(ms);
    crate::engine::timings::Timings {
        validate_ms: Some(4),
        plan_ms: Some(31),
        register_ms: ran(58),
        hooks_ms: None,
        create_update_ms: ran(112),
        first_task_running_ms: ran(1_480),
        steady_state_ms: ran(2_010),
        routable_ms: ran(1_250),
        total_ms: Some(if dry_run { 36 } else { 4_950 }),
    }
}

fn up_report(dry_run: bool) -> UpReport {
    let status = |settled, routed| UpStatus { settled, routed };
    UpReport {
        version: "feature-1".into(),
        cluster: "dev".into(),
        dry_run,
        services: vec![
            UpServiceReport {
                service: "api".into(),
                ecs_service: "api--feature-1".into(),
                action: "create",
                task_definition: Some("api--feature-1:1".into()),
                status: status(
                    Settled::Running {
                        running: 2,
                        desired: 2,
                    },
                    true,
                ),
            },
            UpServiceReport {
                service: "web".into(),
                ecs_service: "web--feature-1".into(),
                action: "update",
                task_definition: Some("web--feature-1:7".into()),
                status: status(
                    Settled::Superseded {
                        running: 1,
                        desired: 1,
                    },
                    false,
                ),
            },
        ],
        header: "baggage: dynamic_route=feature-1".into(),
        curl: vec![
            "curl -H 'Host: api.dev.example.com' -H 'baggage: dynamic_route=feature-1' 'http://127.0.0.1:8000/health'".into(),
        ],
        ways_in: [(
            "api".to_owned(),
            vec![crate::engine::ways_in::Entry {
                kind: crate::engine::ways_in::EntryKind::Link,
                value: "http://api.dev.example.com/_dynroute/use/feature-1".into(),
            }],
        )]
        .into_iter()
        .collect(),
        timings: up_timings(dry_run),
        entry_lines: vec!["api: version host: http://api--feature-1.dev.example.com".into()],
        urls: vec![
            "http://api--feature-1.dev.example.com/".into(),
            "http://web.dev.example.com/".into(),
        ],
        link: Some("http://api.dev.example.com/_dynroute/use/feature-1".into()),
        hooks: vec![],
        hooks_skipped: false,
    }
}

#[test]
fn up() {
    assert_json_snapshot!("up_json", up_report(false));
    assert_snapshot!("up_text", up_report(false).to_string());
    assert_snapshot!("up_markdown", up_report(false).markdown().unwrap());
    assert_snapshot!("up_dry_run_markdown", up_report(true).markdown().unwrap());
    assert_eq!(
        up_report(false).outputs(),
        [
            ("version", "feature-1".to_owned()),
            ("header", "baggage: dynamic_route=feature-1".to_owned()),
            (
                "urls",
                "http://api--feature-1.dev.example.com/ http://web.dev.example.com/".to_owned()
            ),
            (
                "link",
                "http://api.dev.example.com/_dynroute/use/feature-1".to_owned()
            ),
        ]
    );
    assert!(up_report(false).markdown().is_some());
}

#[test]
fn up_statuses_read_as_before() {
    let s = |settled, routed| UpStatus { settled, routed }.to_string();
    assert_eq!(s(Settled::Planned, false), "planned");
    assert_eq!(s(Settled::Deploying, false), "deploying");
    let running = Settled::Running {
        running: 1,
        desired: 1,
    };
    assert_eq!(s(running, false), "running 1/1");
    assert_eq!(s(running, true), "running 1/1, routed");
    assert!(
        up_report(true)
            .to_string()
            .ends_with("dry run: nothing was changed\n")
    );
}

fn removed() -> Vec<Removed> {
    vec![
        Removed {
            ecs_service: "api--feature-1".into(),
            service_deleted: true,
            task_definitions_deregistered: 3,
        },
        Removed {
            ecs_service: "web--feature-1".into(),
            service_deleted: false,
            task_definitions_deregistered: 1,
        },
    ]
}

#[test]
fn down() {
    let report = DownReport {
        version: Some("feature-1".into()),
        removed: removed(),
        skipped_unmanaged: vec!["legacy--feature-1".into()],
        hooks: vec![],
        hooks_skipped: false,
        cleanup_pending: vec![],
    };
    assert_json_snapshot!("down_json", report);
    assert_snapshot!("down_text", report.to_string());
    assert_snapshot!("down_markdown", report.markdown().unwrap());
    let nothing = DownReport {
        version: Some("feature-1".into()),
        removed: vec![],
        skipped_unmanaged: vec![],
        hooks: vec![],
        hooks_skipped: false,
        cleanup_pending: vec![],
    };
    assert_eq!(nothing.to_string(), "");
}

#[test]
fn prune() {
    let report = PruneReport {
        dry_run: false,
        versions: vec!["feature-1".into(), "feature-2".into()],
        idle: vec![crate::report::IdleVersion {
            version: "feature-2".into(),
            why: crate::engine::activity::idle::Idle {
                last_request: Some("2026-11-20T10:00:00Z".parse().unwrap()),
                deployed_at: Some("2026-11-18T09:00:00Z".parse().unwrap()),
            },
        }],
        retried: vec![],
        removed: removed(),
        hooks: vec![],
        hooks_skipped: false,
        cleanup_pending: vec![],
    };
    assert_json_snapshot!("prune_json", report);
    assert!(report.markdown().is_none());
    assert_snapshot!("prune_text", report.to_string());
}

fn version(name: &str, status: VersionStatus, protected: bool) -> VersionView {
    let mut view = VersionView {
        status,
        owner: Some("alice@example.com".into()),
        created_at: Some("2026-11-20T10:00:00Z".parse().unwrap()),
        updated_at: Some("2026-11-21T10:00:00Z".parse().unwrap()),
        expires_at: Some(
            if protected {
                "never"
            } else {
                "2026-11-23T10:00:00Z"
            }
            .into(),
        ),
        image_tag: Some(name.into()),
        pr: (!protected).then_some(42),
        ..VersionView::fixture(name, protected)
    };
    view.services[0].rollout_state = Some(RolloutState::Completed);
    view.services[0].task_definition = format!("api--{name}:4");
    view
}

#[test]
fn ls() {
    let report = LsReport {
        rows: vec![
            LsRow {
                version: version(
                    "main",
                    VersionStatus::Running {
                        running: 1,
                        desired: 1,
                    },
                    true,
                ),
                urls: vec!["http://api.dev.example.com".into()],
                served_elsewhere: Default::default(),
            },
            LsRow {
                version: version("feature-1", VersionStatus::Deploying, false),
                urls: vec![],
                served_elsewhere: [(
                    "web".parse().unwrap(),
                    crate::routing::Tier::Fallback("shadow".parse().unwrap()),
                )]
                .into(),
            },
        ],
        now: "2026-11-22T10:00:00Z".parse().unwrap(),
    };
    assert_json_snapshot!("ls_json", report);
    assert_snapshot!("ls_text", report.to_string());
    // Once the activity recorder wrote a last request, the table shows the column.
    let mut used = report.clone();
    let at: jiff::Timestamp = "2026-11-22T09:55:00Z".parse().unwrap();
    used.rows[1].version.last_request = Some(at);
    used.rows[1].version.services[0].last_request = Some(at);
    assert_snapshot!("ls_text_with_activity", used.to_string());
    assert!(
        serde_json::to_string(&used)
            .unwrap()
            .contains(r#""last_request":"2026-11-22T09:55:00.000Z""#)
    );
    assert_snapshot!("ls_wide", report.wide().unwrap());
    assert_snapshot!("ls_markdown", report.markdown().unwrap());
}

#[test]
fn status() {
    let report = StatusReport {
        version: "feature-1".into(),
        header: "baggage: dynamic_route=feature-1".into(),
        services: vec![
            ServiceStatusView {
                service: "api".into(),
                ecs_service: "api--feature-1".into(),
                deployed: true,
                managed: true,
                status: Some(ServiceStatus::Active),
                task_definition: Some("api--feature-1:2".into()),
                running: 1,
                desired: 2,
                pending: 1,
                deployments: vec![Deployment {
                    id: "ecs-svc/2".into(),
                    status: DeploymentStatus::Primary,
                    task_definition: "arn:aws:ecs:us-east-1:1:task-definition/api--feature-1:2"
                        .into(),
                    desired: 2,
                    running: 1,
                    pending: 1,
                    failed: 0,
                    rollout_state: Some(RolloutState::InProgress),
                    rollout_reason: None,
                }],
                events: vec![ServiceEvent {
                    at: Some("2026-11-22T10:00:00Z".parse().unwrap()),
                    message: "(service api--feature-1) has started 1 tasks".into(),
                }],
                stopped_tasks: vec!["task 0123: Essential container in task exited".into()],
                urls: vec!["http://api.dev.example.com".into()],
                served_by: crate::routing::Tier::Requested("feature-1".parse().unwrap()),
                ways_in: vec!["version host: http://api--feature-1.dev.example.com".into()],
                hooks: vec![crate::engine::hooks::HookRecord {
                    phase: crate::config::Phase::BeforeUp,
                    index: 1,
                    task: Some("0ff1ce".into()),
                    exit_code: Some(0),
                    at: Some("2026-11-22T09:59:00Z".parse().unwrap()),
                }],
                last_request: Some("2026-11-22T09:58:00Z".parse().unwrap()),
            },
            ServiceStatusView {
                service: "web".into(),
                ecs_service: "web--feature-1".into(),
                deployed: false,
                managed: false,
                status: None,
                task_definition: None,
                running: 0,
                desired: 0,
                pending: 0,
                deployments: vec![],
                events: vec![],
                stopped_tasks: vec![],
                urls: vec!["http://web.dev.example.com".into()],
                served_by: crate::routing::Tier::Fallback("shadow".parse().unwrap()),
                ways_in: vec![],
                hooks: vec![],
                last_request: None,
            },
        ],
        curl: vec![
            "curl -H 'baggage: dynamic_route=feature-1' 'http://api.dev.example.com'".into(),
        ],
    };
    assert_json_snapshot!("status_json", report);
    assert_snapshot!("status_text", report.to_string());
    assert_snapshot!("status_markdown", report.markdown().unwrap());
}

#[test]
fn header() {
    let report = |format| HeaderReport {
        name: "baggage",
        value: "userId=alice,dynamic_route=feature-1".into(),
        key: "dynamic_route".into(),
        version: "feature-1".into(),
        header: "baggage: userId=alice,dynamic_route=feature-1".into(),
        format,
        lines: vec!["curl -H 'baggage: userId=alice,dynamic_route=feature-1' \"$URL\"".into()],
    };
    assert_json_snapshot!("header_json", report(HeaderFormat::Json));
    assert_eq!(
        report(HeaderFormat::Header).to_string(),
        "baggage: userId=alice,dynamic_route=feature-1\n"
    );
    assert_eq!(
        report(HeaderFormat::Value).to_string(),
        "userId=alice,dynamic_route=feature-1\n"
    );
    assert!(
        report(HeaderFormat::Curl)
            .to_string()
            .starts_with("curl -H")
    );
}

#[test]
fn render() {
    let mut td: crate::taskdef::TaskDefinition = serde_yaml::from_str(
        "containerDefinitions:\n  - name: api\n    image: repo/api:feature-1\n",
    )
    .unwrap();
    td.family = Some(crate::taskdef::model::Family("api--feature-1".into()));
    let one = RenderReport {
        definitions: vec![td.clone()],
        format: RenderFormat::Json,
    };
    assert_json_snapshot!("render_json", one);
    let two = RenderReport {
        definitions: vec![td.clone(), td],
        format: RenderFormat::Yaml,
    };
    assert!(serde_json::to_value(&two).unwrap().is_array());
    assert_snapshot!("render_text", two.to_string());
}

/// `-o markdown` is accepted for exactly the verbs whose report has Markdown,
/// and the job summary goes to a subset of them.
#[test]
fn markdown_verbs_are_the_reports_with_markdown() {
    use super::format::{JOB_SUMMARY_VERBS, MARKDOWN_VERBS, OutputFormat, check_output};
    for verb in MARKDOWN_VERBS {
        assert!(check_output(OutputFormat::Markdown, verb).is_ok(), "{verb}");
    }
    for verb in [
        "prune", "render", "header", "diff", "logs", "extend", "init",
    ] {
        let err = check_output(OutputFormat::Markdown, verb).unwrap_err();
        assert_eq!(
            err.message,
            format!("-o markdown: `{verb}` has no markdown report")
        );
    }
    assert!(JOB_SUMMARY_VERBS.iter().all(|v| MARKDOWN_VERBS.contains(v)));
    assert!(check_output(OutputFormat::Wide, "ls").is_ok());
    let err = check_output(OutputFormat::Wide, "up").unwrap_err();
    assert_eq!(err.message, "-o wide: `up` has no wide table");
    assert_eq!(
        err.hint.as_deref(),
        Some("wide is available for ls; use -o table or -o json")
    );
}

/// A hook run for the report tests: `before_up #1 (api)`.
fn hook_run(exit: i32, tail: &[&str]) -> crate::engine::hooks::HookRun {
    crate::engine::hooks::HookRun {
        phase: crate::config::Phase::BeforeUp,
        index: 1,
        service: "api".parse().unwrap(),
        command: vec!["bin/db".into(), "migrate".into()],
        status: match exit {
            0 => crate::engine::hooks::HookStatus::Succeeded,
            _ => crate::engine::hooks::HookStatus::Failed,
        },
        task: Some("0ff1ce".into()),
        exit_code: Some(exit),
        stopped_reason: None,
        at: Some("2026-11-22T09:59:00Z".parse().unwrap()),
        log_tail: tail.iter().map(|l| (*l).to_owned()).collect(),
    }
}

#[test]
fn up_with_a_failed_hook_shows_its_last_lines_and_ends_with_exit_5() {
    let mut report = up_report(false);
    for s in &mut report.services {
        s.status.settled = Settled::HeldBack;
        s.status.routed = false;
        s.task_definition = None;
    }
    // A hostile line: backticks, HTML and a control character stay text.
    report.hooks = vec![hook_run(
        3,
        &[
            "applying 0042_add_column",
            "ERROR: column \"x\" ``` <b>exists</b>\u{1b}[31m",
        ],
    )];
    assert_snapshot!("up_hook_failed_text", report.to_string());
    assert_snapshot!("up_hook_failed_markdown", report.markdown().unwrap());
    assert_json_snapshot!("up_hook_failed_json", report);
    let failure = report.failure().expect("a failed hook fails the report");
    assert_eq!(failure.kind.code(), 5);
    assert!(
        failure
            .message
            .contains("before_up #1 (api) failed: exit 3"),
        "{}",
        failure.message
    );

    let mut fine = up_report(false);
    fine.hooks = vec![hook_run(0, &[])];
    assert!(fine.failure().is_none());
    assert!(fine.markdown().unwrap().contains("**Hooks:**"));
}

#[test]
fn down_with_a_failed_after_down_hook_keeps_the_revision() {
    let mut run = hook_run(1, &["DROP SCHEMA failed"]);
    run.phase = crate::config::Phase::AfterDown;
    let report = DownReport {
        version: Some("feature-1".into()),
        removed: removed(),
        skipped_unmanaged: vec![],
        hooks: vec![run],
        hooks_skipped: false,
        cleanup_pending: vec!["arn:aws:ecs:us-east-1:1:task-definition/api--feature-1:3".into()],
    };
    assert_snapshot!("down_hook_failed_markdown", report.markdown().unwrap());
    assert_json_snapshot!("down_hook_failed_json", report);
    assert_eq!(report.failure().unwrap().kind.code(), 5);
}

#[test]
fn activity_record() {
    use crate::engine::activity::Heartbeat;
    use crate::engine::activity::recorder::{Recording, ReplicaReading};
    let at: jiff::Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
    let reading = |key: &str, url: &str, error: Option<&str>| ReplicaReading {
        key: key.into(),
        url: url.into(),
        services: if error.is_none() { 2 } else { 0 },
        requests: if error.is_none() { 17 } else { 0 },
        error: error.map(str::to_owned),
        stopping: false,
    };
    let mut report = ActivityReport {
        recording: Recording {
            at,
            replicas: vec![
                reading("0a1b2c3d", "http://10.0.1.5:8080/metrics", None),
                reading("ffeeddcc", "http://10.0.2.7:8080/metrics", None),
            ],
            requested: vec!["api--feature-1".into()],
            recent: vec!["api--main".into()],
            resets: vec!["web--feature-1".into()],
            deferred: 0,
            heartbeat: Some(Heartbeat {
                since: "2026-11-21T08:00:00Z".parse().unwrap(),
                last: at,
                replicas: vec!["0a1b2c3d".into(), "ffeeddcc".into()],
                gap: None,
            }),
            holder: Some("api--main".into()),
        },
    };
    assert!(report.failure().is_none());
    assert_json_snapshot!("activity_json", report);
    assert_snapshot!("activity_text", report.to_string());
    report.recording.replicas[1] = reading(
        "ffeeddcc",
        "http://10.0.2.7:8080/metrics",
        Some("connection refused"),
    );
    report.recording.heartbeat = None;
    report.recording.holder = None;
    let failure = report.failure().unwrap();
    assert_eq!(failure.kind, crate::error::ExitKind::Failure);
    assert_snapshot!(
        "activity_failed_text",
        format!("{report}error: {}", failure.message)
    );
}
