//! The stack's one-off tasks (stack/oneoff.py): RunTask of a recognised image
//! runs its command as a local process, with a real exit code and its output in
//! CloudWatch Logs; StopTask ends it; another image fails to start with ECS's
//! kind of reason — what a container runtime would do, which this machine lacks.
//! A `psql` one-off task migrates the stack's PostgreSQL (Debian's, on loopback).

use serde_json::json;

use crate::stack::{Stack, stack_module};

#[test]
fn one_off_tasks_run_their_command_and_report_its_exit_code() {
    // A stack of its own: it also runs PostgreSQL.
    let stack = Stack::start(false);
    let port = stack.start_postgres().to_string();
    let cluster = stack.cluster("oneoff");
    let seen = stack_module(
        "stack.oneoff_selftest",
        &[
            "--endpoint",
            &stack.endpoint(),
            "--cluster",
            &cluster,
            "--subnet",
            stack.info["subnets"][0].as_str().unwrap(),
            "--security-group",
            stack.info["security_groups"][0].as_str().unwrap(),
            "--postgres-port",
            &port,
        ],
    );
    assert_eq!(seen["exit"]["last_status"], "STOPPED", "{seen}");
    assert_eq!(seen["exit"]["stop_code"], "EssentialContainerExited");
    assert_eq!(seen["exit"]["exit_codes"], json!([3]));
    assert_eq!(seen["exit"]["log"], json!(["hello from the task"]));
    assert_eq!(seen["override"]["exit_codes"], json!([0]));
    assert_eq!(seen["long_running"]["last_status"], "RUNNING");
    assert_eq!(seen["stopped"]["stop_code"], "UserInitiated");
    assert_eq!(seen["stopped"]["stopped_reason"], "stopped by the selftest");
    assert_eq!(seen["stopped"]["exit_codes"], json!([143]));
    // A migration as a one-off task: real psql against the stack's PostgreSQL.
    assert_eq!(seen["psql_create"]["exit_codes"], json!([0]), "{seen}");
    assert_eq!(seen["psql_fail"]["exit_codes"], json!([1]), "{seen}");
    let schemas = std::process::Command::new("psql")
        .args(["-h", "127.0.0.1", "-p", &port, "-U", "postgres", "-tAc"])
        .arg("select schema_name from information_schema.schemata where schema_name = 'v_selftest'")
        .output()
        .expect("psql is installed (scripts/install-postgres)");
    assert_eq!(
        String::from_utf8_lossy(&schemas.stdout).trim(),
        "v_selftest"
    );
    assert_eq!(seen["unknown_image"]["stop_code"], "TaskFailedToStart");
    assert!(
        seen["unknown_image"]["stopped_reason"]
            .as_str()
            .unwrap()
            .starts_with("CannotPullContainerError: stack: example/api:1 is not an image the local stack runs"),
        "{seen}"
    );
}
