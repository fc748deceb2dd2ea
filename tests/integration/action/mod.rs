//! The GitHub Action's scripts (`action/*.sh`), run directly as the runner
//! would: fake `GITHUB_OUTPUT` / `GITHUB_PATH` files, `RUNNER_*` variables,
//! a fake release served over 127.0.0.1, and the real built dynroute.

mod contract;
mod install;
mod lint;
mod run;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};
use tempfile::TempDir;

use crate::harness::repo_root;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const TARGET: &str = "x86_64-unknown-linux-musl";

/// What a script run printed and wrote to its GitHub files.
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub outputs: BTreeMap<String, String>,
    pub path_lines: Vec<String>,
}

/// A scratch runner: temp, tool cache and the GitHub files of one step.
pub struct Runner {
    root: TempDir,
}

impl Runner {
    pub fn new() -> Runner {
        Runner {
            root: tempfile::tempdir().unwrap(),
        }
    }

    pub fn dir(&self, name: &str) -> PathBuf {
        let dir = self.root.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Runs `action/SCRIPT` in the runner's work dir with a scrubbed
    /// environment plus `env`; fresh GITHUB_OUTPUT and GITHUB_PATH files per run.
    pub fn run(&self, script: &str, env: &[(&str, &str)]) -> Ran {
        let base = vec![
            ("PATH".into(), std::env::var_os("PATH").unwrap_or_default()),
            ("HOME".into(), self.dir("home").into_os_string()),
            ("RUST_BACKTRACE".into(), "0".into()),
            ("NO_COLOR".into(), "1".into()),
        ];
        self.run_in(&self.dir("work"), &base, script, env)
    }

    /// Runs `action/SCRIPT` in `cwd` with only `base` and `env` set.
    pub fn run_in(
        &self,
        cwd: &Path,
        base: &[(OsString, OsString)],
        script: &str,
        env: &[(&str, &str)],
    ) -> Ran {
        let output = self.root.path().join("github_output");
        let path = self.root.path().join("github_path");
        std::fs::write(&output, "").unwrap();
        std::fs::write(&path, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.arg(repo_root().join("action").join(script))
            .env_clear()
            .envs(base.iter().map(|(k, v)| (k, v)))
            .current_dir(cwd)
            .env("RUNNER_TEMP", self.dir("temp"))
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &path)
            .stdin(std::process::Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
            outputs: std::fs::read_to_string(&output)
                .unwrap()
                .lines()
                .map(|l| {
                    let (k, v) = l.split_once('=').expect("name=value output line");
                    (k.to_owned(), v.to_owned())
                })
                .collect(),
            path_lines: std::fs::read_to_string(&path)
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// `resolve.sh` for a Linux X64 runner with this tool cache.
    pub fn resolve(&self, dynroute_version: &str) -> Ran {
        let cache = self.dir("toolcache");
        self.run(
            "resolve.sh",
            &[
                ("DYNROUTE_VERSION", dynroute_version),
                ("RUNNER_OS", "Linux"),
                ("RUNNER_ARCH", "X64"),
                ("RUNNER_TOOL_CACHE", cache.to_str().unwrap()),
            ],
        )
    }

    /// `install.sh` with the outputs of `resolve.sh`, from `base`.
    pub fn install(&self, resolved: &Ran, base: &str) -> Ran {
        let o = &resolved.outputs;
        self.run(
            "install.sh",
            &[
                ("DYNROUTE_VERSION", &o["version"]),
                ("DYNROUTE_TARGET", &o["target"]),
                ("DYNROUTE_DIR", &o["dir"]),
                ("DYNROUTE_RELEASE_URL", base),
            ],
        )
    }
}

impl Ran {
    pub fn expect(&self, code: i32, needles: &[&str]) -> &Ran {
        assert_eq!(
            self.code, code,
            "expected exit {code}:\n{}\n{}",
            self.stdout, self.stderr
        );
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

/// A release directory laid out like the GitHub release download URL:
/// `BASE/vVERSION/dynroute-VERSION-TARGET.tar.gz` (+ `.sha256`), holding the
/// dynroute this test binary was built with.
pub struct Release {
    pub base: TempDir,
}

impl Release {
    pub fn new() -> Release {
        let base = tempfile::tempdir().unwrap();
        let name = format!("dynroute-{VERSION}-{TARGET}");
        let stage = base.path().join("stage").join(&name);
        std::fs::create_dir_all(&stage).unwrap();
        std::fs::copy(
            assert_cmd::cargo::cargo_bin("dynroute"),
            stage.join("dynroute"),
        )
        .unwrap();
        let tag = base.path().join(format!("v{VERSION}"));
        std::fs::create_dir_all(&tag).unwrap();
        let archive = tag.join(format!("{name}.tar.gz"));
        let status = Command::new("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("-C")
            .arg(base.path().join("stage"))
            .arg(&name)
            .status()
            .unwrap();
        assert!(status.success());
        let release = Release { base };
        release.write_checksum(&sha256_hex(&std::fs::read(&archive).unwrap()));
        release
    }

    pub fn asset(&self) -> PathBuf {
        self.base
            .path()
            .join(format!("v{VERSION}/dynroute-{VERSION}-{TARGET}.tar.gz"))
    }

    pub fn write_checksum(&self, hex: &str) {
        let name = format!("dynroute-{VERSION}-{TARGET}.tar.gz");
        std::fs::write(
            self.asset().with_extension("gz.sha256"),
            format!("{hex}  {name}\n"),
        )
        .unwrap();
    }

    pub fn file_url(&self) -> String {
        format!("file://{}", self.base.path().display())
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A static file server on 127.0.0.1 over `root`; records every path asked for.
pub struct FileServer {
    pub url: String,
    hits: Arc<Mutex<Vec<String>>>,
}

impl FileServer {
    pub fn start(root: &Path) -> FileServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(Mutex::new(Vec::new()));
        let (root, log) = (root.to_owned(), Arc::clone(&hits));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    continue;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok() && !line.trim().is_empty() {
                    line.clear();
                }
                let path = request.split(' ').nth(1).unwrap_or("/").to_owned();
                log.lock().unwrap().push(path.clone());
                let file = root.join(path.trim_start_matches('/'));
                let (status, body) = match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => ("200 OK", body),
                    _ => ("404 Not Found", b"not found".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        FileServer { url, hits }
    }

    pub fn hits(&self) -> Vec<String> {
        self.hits.lock().unwrap().clone()
    }
}
