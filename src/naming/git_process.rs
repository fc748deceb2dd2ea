//! Running `git` for a deployment's provenance without letting a repository
//! stall dynroute: a `.git` (or its `HEAD`, `config`, `commondir`) that is a
//! pipe or a device means git is not asked at all, and every query has a time
//! limit and an output limit.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one round of git queries may take.
pub const GIT_TIMEOUT: Duration = Duration::from_secs(5);
/// The most of a query's output read.
pub const GIT_OUTPUT_BYTES: u64 = 64 * 1024;

/// Whether the repository around `start` can be read safely: every `.git` on
/// the way up, and the files git opens first, are folders or regular files.
pub fn safe_repository(start: &Path) -> bool {
    let Some(dot_git) = start
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|p| std::fs::symlink_metadata(p).is_ok())
    else {
        return true;
    };
    let plain = |p: &Path| match std::fs::metadata(p) {
        Ok(m) => m.is_dir() || m.is_file(),
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    };
    plain(&dot_git)
        && ["HEAD", "config", "commondir", "config.worktree"]
            .iter()
            .all(|f| !dot_git.is_dir() || plain(&dot_git.join(f)))
}

/// Runs each query (`git ARGS…`, in `dir` when given) at once; each answer is
/// its trimmed stdout, `None` on failure, empty output or [`GIT_TIMEOUT`].
pub fn outputs(dir: Option<&Path>, queries: &[&[&str]]) -> Vec<Option<String>> {
    let deadline = Instant::now() + GIT_TIMEOUT;
    let children: Vec<_> = queries
        .iter()
        .map(|args| {
            let mut cmd = Command::new("git");
            if let Some(dir) = dir {
                cmd.arg("-C").arg(dir);
            }
            cmd.args(*args)
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .ok()
        })
        .collect();
    children
        .into_iter()
        .map(|child| finish(child?, deadline))
        .collect()
}

/// Reads a child's output (bounded) and waits for it until `deadline`; kills
/// it after that.
fn finish(mut child: std::process::Child, deadline: Instant) -> Option<String> {
    let stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.take(GIT_OUTPUT_BYTES).read_to_end(&mut out);
        out
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let out = reader.join().ok()?;
    if !status?.success() {
        return None;
    }
    let text = String::from_utf8(out).ok()?.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipe_where_git_reads_means_git_is_not_asked() {
        let repo = tempfile::tempdir().unwrap();
        assert!(safe_repository(repo.path()));
        std::fs::create_dir(repo.path().join(".git")).unwrap();
        assert!(safe_repository(repo.path()));
        let head = repo.path().join(".git/HEAD");
        assert!(
            Command::new("mkfifo")
                .arg(&head)
                .status()
                .unwrap()
                .success()
        );
        assert!(!safe_repository(repo.path()));
        assert!(!safe_repository(&repo.path().join("sub/dir")));
        let other = tempfile::tempdir().unwrap();
        assert!(
            Command::new("mkfifo")
                .arg(other.path().join(".git"))
                .status()
                .unwrap()
                .success()
        );
        assert!(!safe_repository(other.path()));
    }

    #[test]
    fn answers_are_trimmed_and_failures_are_none() {
        let dir = tempfile::tempdir().unwrap();
        let out = outputs(
            Some(dir.path()),
            &[&["--version"], &["no-such-git-command"]],
        );
        assert!(
            out[0]
                .as_deref()
                .is_some_and(|v| v.starts_with("git version"))
        );
        assert_eq!(out[1], None);
    }
}
