//! A fluent harness around the `dynroute` binary with a scrubbed environment.
//!
//! Every run gets a temporary HOME, dummy AWS credentials, no EC2 metadata
//! lookups, no colour, and a project directory of its own.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// The repository root (where the README example lives).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch project directory plus a scrubbed environment.
pub struct Project {
    pub dir: TempDir,
    home: TempDir,
    env: Vec<(String, String)>,
    /// Variables of the scrubbed environment this project runs without.
    removed: Vec<String>,
}

impl Project {
    /// An empty directory.
    pub fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
            env: Vec::new(),
            removed: Vec::new(),
        }
    }

    /// A copy of the README example (`dynroute.yaml` + `templates/`).
    pub fn example() -> Project {
        let p = Project::empty();
        std::fs::copy(
            repo_root().join("dynroute.yaml"),
            p.path().join("dynroute.yaml"),
        )
        .unwrap();
        std::fs::create_dir(p.path().join("templates")).unwrap();
        for entry in std::fs::read_dir(repo_root().join("templates")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                p.path().join("templates").join(entry.file_name()),
            )
            .unwrap();
        }
        p
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the project.
    pub fn file(self, rel: &str, text: &str) -> Project {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// Adds an environment variable for every run.
    pub fn env(mut self, key: &str, value: &str) -> Project {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs without a variable of the scrubbed environment (such as the dummy
    /// credentials). `AWS_EC2_METADATA_DISABLED` always stays set.
    pub fn without_env(mut self, key: &str) -> Project {
        assert_ne!(
            key, "AWS_EC2_METADATA_DISABLED",
            "tests never ask the metadata service"
        );
        self.removed.push(key.into());
        self
    }

    /// A `dynroute` command in the project directory.
    pub fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.std_cmd(args))
    }

    /// The same as a plain `std::process::Command` (to spawn and signal it).
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dynroute"));
        cmd.env_clear()
            .current_dir(self.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("USER", "tester")
            .env("RUST_BACKTRACE", "0")
            .env("NO_COLOR", "1")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .args(args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for k in &self.removed {
            cmd.env_remove(k);
        }
        cmd
    }

    /// Runs and returns (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(&[], args)
    }

    /// Runs with these variables added for this run only.
    pub fn run_env(&self, env: &[(&str, &str)], args: &[&str]) -> Output {
        let mut cmd = self.std_cmd(args);
        cmd.envs(env.iter().copied());
        let out = cmd.output().unwrap();
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    /// A run whose whole output is compared (just's `Test` style):
    /// `p.test(&["header", "v1"]).stdout("baggage: dynamic_route=v1\n").run()`.
    /// The project folder in the output reads `{dir}`.
    pub fn test<'p>(&'p self, args: &[&str]) -> Test<'p> {
        Test {
            project: self,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            code: 0,
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    /// Runs and asserts success; returns stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.code, 0, "dynroute {args:?} failed:\n{}", out.stderr);
        out.stdout
    }

    /// Runs and asserts a usage error (exit 2) whose stderr contains every `needle`.
    #[track_caller]
    pub fn usage_error(&self, args: &[&str], needles: &[&str]) -> Output {
        let out = self.run(args);
        assert_eq!(
            out.code, 2,
            "dynroute {args:?}: expected exit 2, got {}:\n{}{}",
            out.code, out.stdout, out.stderr
        );
        assert!(out.stderr.starts_with("error: "), "stderr: {}", out.stderr);
        for needle in needles {
            assert!(
                out.stderr.contains(needle),
                "dynroute {args:?}: stderr lacks {needle:?}:\n{}",
                out.stderr
            );
        }
        assert!(
            out.stdout.is_empty(),
            "nothing on stdout on error, got {}",
            out.stdout
        );
        out
    }

    /// Every file below the project, relative, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![self.path().to_owned()];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p.strip_prefix(self.path()).unwrap().display().to_string());
                }
            }
        }
        out.sort();
        out
    }
}

/// What a run printed.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Asserts the exit code and that stderr contains every needle.
    #[track_caller]
    pub fn expect(&self, code: i32, needles: &[&str]) -> &Output {
        assert_eq!(self.code, code, "expected exit {code}:\n{}", self.stderr);
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "stderr lacks {needle:?}:\n{}",
                self.stderr
            );
        }
        self
    }
}

/// One run and the whole output it must print.
#[must_use = "call .run() to run it"]
pub struct Test<'p> {
    project: &'p Project,
    args: Vec<String>,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Test<'_> {
    /// The exit code (default 0).
    pub fn code(mut self, code: i32) -> Self {
        self.code = code;
        self
    }

    /// The whole standard output (default: nothing).
    pub fn stdout(mut self, text: &str) -> Self {
        self.stdout = text.to_owned();
        self
    }

    /// The whole standard error (default: nothing).
    pub fn stderr(mut self, text: &str) -> Self {
        self.stderr = text.to_owned();
        self
    }

    /// Runs and compares the exit code, stdout and stderr, each whole.
    #[track_caller]
    pub fn run(self) -> Output {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        let mut out = self.project.run(&args);
        let dir = self.project.path().display().to_string();
        out.stdout = out.stdout.replace(&dir, "{dir}");
        out.stderr = out.stderr.replace(&dir, "{dir}");
        let shown = format!(
            "dynroute {args:?}\n--- exit {}\n--- stdout\n{}--- stderr\n{}",
            out.code, out.stdout, out.stderr
        );
        assert_eq!(out.code, self.code, "exit code\n{shown}");
        assert_eq!(out.stdout, self.stdout, "stdout\n{shown}");
        assert_eq!(out.stderr, self.stderr, "stderr\n{shown}");
        out
    }
}

/// Runs a command on a thread, for tests that race two commands or kill the
/// stack under one.
pub trait SpawnOutput {
    fn spawn_output(self) -> std::thread::JoinHandle<std::process::Output>;
}

impl SpawnOutput for Command {
    fn spawn_output(mut self) -> std::thread::JoinHandle<std::process::Output> {
        std::thread::spawn(move || self.output().unwrap())
    }
}

/// A command running on a thread, with its process id (to signal it).
pub struct Running {
    pub pid: u32,
    pub handle: std::thread::JoinHandle<std::process::Output>,
}

/// Spawns a command and keeps its pid.
pub trait SpawnWithPid {
    fn spawn_output_with_pid(self) -> Running;
}

impl SpawnWithPid for std::process::Command {
    fn spawn_output_with_pid(mut self) -> Running {
        self.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let child = self.spawn().unwrap();
        Running {
            pid: child.id(),
            handle: std::thread::spawn(move || child.wait_with_output().unwrap()),
        }
    }
}

/// Retries `check` every 200 ms until it passes or `seconds` have gone by;
/// then fails with the last reason. For state that converges asynchronously.
#[track_caller]
pub fn eventually(seconds: u64, mut check: impl FnMut() -> Result<(), String>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        match check() {
            Ok(()) => return,
            Err(reason) if std::time::Instant::now() >= deadline => {
                panic!("not reached within {seconds} s: {reason}")
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(200)),
        }
    }
}
