//! Snapshots of the `diff` and `logs` reports' JSON (the stable contract) and text.

use std::process::ExitCode;

use insta::{assert_json_snapshot, assert_snapshot};

use super::*;
use crate::taskdef::diff::Comparison;

fn diff_report(exit_code: bool) -> DiffReport {
    DiffReport {
        version: "feature-1".into(),
        against: "deployed",
        differences: true,
        services: vec![
            ServiceDiffView {
                service: "api".into(),
                comparison: Comparison::Changed {
                    against: "api--feature-1:3".into(),
                    changed_paths: vec!["containerDefinitions[api].image".into()],
                    unified: "--- api--feature-1:3\n+++ dynroute up feature-1\n@@ -1,3 +1,3 @@\n {\n-  \"image\": \"repo/api:1\"\n+  \"image\": \"repo/api:2\"\n }\n".into(),
                },
            },
            ServiceDiffView {
                service: "web".into(),
                comparison: Comparison::Same {
                    against: "web--feature-1:1".into(),
                },
            },
            ServiceDiffView {
                service: "worker".into(),
                comparison: Comparison::NotDeployed {
                    ecs_service: "worker--feature-1".into(),
                },
            },
        ],
        exit_code,
    }
}

#[test]
fn diff() {
    let report = diff_report(false);
    assert_json_snapshot!("diff_json", report);
    assert_snapshot!("diff_text", report.to_string());
    assert_eq!(report.exit_code(), ExitCode::SUCCESS);
    assert_eq!(diff_report(true).exit_code(), ExitCode::from(1));
    let mut same = diff_report(true);
    same.differences = false;
    assert_eq!(same.exit_code(), ExitCode::SUCCESS);
}

#[test]
fn logs() {
    let line = |ms: &str, service: &str, message: &str| LogLine {
        timestamp: format!("2026-12-01T10:00:{ms}Z"),
        service: service.into(),
        task: "0f3a9c2e5b7d4e61a2c8b9d0e1f2a3b4".into(),
        container: service.into(),
        message: message.into(),
    };
    let report = LogsReport {
        version: "feature-1".into(),
        lines: vec![
            line("01.250", "api", "listening on 127.0.7.3:8080"),
            line("02.000", "web", "GET / 200 \u{1b}[31mred\u{1b}[0m"),
        ],
        followed: false,
    };
    assert_json_snapshot!("logs_json", report);
    assert_snapshot!("logs_text", report.to_string());
}
