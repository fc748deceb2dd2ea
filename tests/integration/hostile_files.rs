//! Hostile files: a pipe, `/dev/zero`, a symlink out of the project, a huge
//! argument. None may hang dynroute, exhaust its memory, write outside the
//! project or be echoed back whole; each is refused before anything is written.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{Output, Project};

/// A named pipe at `path` (nobody ever writes to it: a read would block forever).
pub fn fifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// Runs and asserts it ended within 20 s (a hang fails the test, not the run).
#[track_caller]
fn quickly(p: &Project, env: &[(&str, &str)], args: &[&str]) -> Output {
    let started = Instant::now();
    let mut cmd = p.std_cmd(args);
    cmd.envs(env.iter().copied())
        .stdin(std::process::Stdio::null());
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("dynroute {args:?} hung (killed after 20 s)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `init` with flags for everything, on `cluster`.
fn init_args(cluster: &str) -> Vec<&str> {
    vec![
        "init",
        "--cluster",
        cluster,
        "--domain",
        "d.test",
        "--service",
        "api",
        "--port",
        "8080",
        "--image",
        "repo/api",
    ]
}

#[test]
fn a_pipe_in_the_git_repository_hangs_nothing() {
    for file in [".git", ".git/HEAD", ".git/config", ".git/commondir"] {
        let p = Project::example();
        if file != ".git" {
            std::fs::create_dir(p.path().join(".git")).unwrap();
        }
        fifo(&p.path().join(file));
        let out = quickly(&p, &[], &["header", "feature-1"]);
        assert_eq!(
            (out.code, out.stdout.as_str()),
            (0, "baggage: dynamic_route=feature-1\n"),
            "{file}: {}",
            out.stderr
        );
        // The version from the branch: there is none to read.
        let out = quickly(&p, &[], &["render", "-s", "api"]);
        assert_eq!(out.code, 2, "{file}: {}", out.stderr);
    }
}

#[test]
fn pipes_and_devices_are_refused_as_inputs() {
    let p = Project::example();
    fifo(&p.path().join("pipe.json"));
    for (args, what) in [
        (
            &["diff", "v", "-s", "api", "--against-file", "pipe.json"][..],
            "--against-file",
        ),
        (
            &["diff", "v", "-s", "api", "--against-file", "/dev/zero"],
            "--against-file",
        ),
        (
            &[
                "init",
                "--cluster",
                "dev",
                "--domain",
                "d.test",
                "--from-task-definition",
                "pipe.json",
            ],
            "task definition",
        ),
    ] {
        let out = quickly(&p, &[], args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("cannot read {what}"))
                && out.stderr.contains("not a regular file"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn outputs_that_are_pipes_devices_or_symlinks_out_of_the_project_are_refused_first() {
    let outside = tempfile::tempdir().unwrap();
    let p = Project::example();
    fifo(&p.path().join("pipe.hurl"));
    std::os::unix::fs::symlink(outside.path().join("x.hurl"), p.path().join("link.hurl")).unwrap();
    std::fs::write(p.path().join("ro.xml"), "kept").unwrap();
    let mut perms = std::fs::metadata(p.path().join("ro.xml"))
        .unwrap()
        .permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(p.path().join("ro.xml"), perms).unwrap();
    // check: before any AWS call (the endpoint here answers nothing).
    let p = p.env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    let out = quickly(&p, &[], &["check", "--junit", "ro.xml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("ro.xml: it is read-only"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("ro.xml")).unwrap(),
        "kept"
    );
    for (target, expected) in [
        ("pipe.hurl", "not a regular file"),
        ("/dev/full", "not a regular file"),
        ("link.hurl", "a symlink takes it out of the project"),
    ] {
        let out = quickly(&p, &[], &["check", "--hurl", target]);
        assert_eq!(out.code, 2, "{target}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{target}: {}", out.stderr);
    }
    // traefik-config: a path that would add lines to the printed flags.
    let out = quickly(
        &p,
        &[],
        &["traefik-config", "--write-plugin", "x\n--api.insecure=true"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!p.path().join("x\n--api.insecure=true").exists());
    // init: a templates folder symlinked out of the project.
    let fresh = Project::empty();
    std::os::unix::fs::symlink(outside.path(), fresh.path().join("templates")).unwrap();
    let out = quickly(&fresh, &[], &init_args("dev"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("symbolic link out of the project"),
        "{}",
        out.stderr
    );
    assert!(
        !fresh.path().join("dynroute.yaml").exists(),
        "nothing written"
    );
    assert_eq!(
        std::fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing outside"
    );
}

#[test]
fn init_writes_nothing_when_what_it_would_write_does_not_load() {
    let p = Project::empty();
    let out = quickly(&p, &[], &init_args("dev\nservices: {}"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        std::fs::read_dir(p.path()).unwrap().count(),
        0,
        "{}",
        out.stderr
    );
}

#[test]
fn init_refuses_an_adopted_container_name_or_image_with_a_line_break() {
    for (field, value) in [
        ("name", "api\npidMode: host"),
        ("image", "repo/api:1\npidMode: host"),
    ] {
        let p = Project::empty();
        let mut container = serde_json::json!({"name": "api", "image": "repo/api:1",
            "portMappings": [{"containerPort": 8080}]});
        container[field] = value.into();
        let td = serde_json::json!({"family": "api", "containerDefinitions": [container]});
        let p = p.file("td.json", &td.to_string());
        let out = quickly(
            &p,
            &[],
            &[
                "init",
                "--cluster",
                "dev",
                "--domain",
                "d.test",
                "--from-task-definition",
                "td.json",
            ],
        );
        assert_eq!(out.code, 2, "{field}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("error: td.json: "),
            "{field}: {}",
            out.stderr
        );
        assert!(
            !p.path().join("dynroute.yaml").exists(),
            "{field}: nothing written"
        );
    }
}

#[test]
fn a_huge_argument_is_quoted_by_its_first_characters() {
    let p = Project::example();
    let huge = "y".repeat(120_000);
    // Refused by clap's parser, by dynroute's value parsers, and as a name.
    for args in [
        vec!["logs", "v", "--since", &huge],
        vec!["up", "v", "--image-tag", &huge],
        vec!["header", &huge],
    ] {
        let out = quickly(&p, &[], &args);
        assert_eq!(out.code, 2, "{}", &out.stderr[..out.stderr.len().min(500)]);
        assert!(
            out.stderr.len() < 1_000,
            "{} bytes of stderr",
            out.stderr.len()
        );
        assert!(out.stderr.contains("(120000 characters)"), "{}", out.stderr);
    }
}

#[test]
fn github_files_that_are_pipes_are_refused_not_waited_on() {
    let stack = crate::stack::Stack::shared();
    let (p, _) = stack.project("ghpipe");
    fifo(&p.path().join("out.pipe"));
    fifo(&p.path().join("summary.pipe"));
    let pipe = |name: &str| p.path().join(name).display().to_string();
    let out = quickly(
        &p,
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_OUTPUT", &pipe("out.pipe")),
            ("GITHUB_STEP_SUMMARY", &pipe("summary.pipe")),
        ],
        &["up", "ghpipe-1", "-s", "api", "--no-wait"],
    );
    // The summary is a warning; the outputs later steps need are an error.
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("GITHUB_STEP_SUMMARY") && out.stderr.contains("GITHUB_OUTPUT"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
}
