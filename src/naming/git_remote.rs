//! The URL of a repository's `origin` remote, read from its git config file.
//!
//! Every command that loads `dynroute.yaml` without a `project` key derives the
//! project from this URL, `header` included. Spawning `git remote get-url origin`
//! for it cost about 2 ms per command (measured: `header` 5.0 ms with the spawn,
//! against 0.7 ms to spawn `/bin/true`), more than everything else `header` does.
//! So the plain case is read directly: the `.git` folder (or a worktree's `.git`
//! file and its `commondir`) above the config, and its `[remote "origin"] url`.
//! Whatever this does not model — `GIT_DIR` and friends, `include`/`includeIf`,
//! `insteadOf` rewrites, a worktree-specific config — is left to git itself.

use std::path::{Path, PathBuf};

/// The `origin` URL of the repository holding `dir`, as `git remote get-url origin` prints it.
pub fn origin_url(dir: &Path) -> Option<String> {
    match read_origin(dir) {
        Read::Url(url) => Some(url),
        Read::NoRemote => None,
        Read::AskGit => ask_git(dir),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Read {
    Url(String),
    /// A repository (or none) whose config has no `origin`.
    NoRemote,
    /// Something this reader does not model: git knows.
    AskGit,
}

fn ask_git(dir: &Path) -> Option<String> {
    if !super::git_process::safe_repository(dir) {
        return None;
    }
    super::git_process::outputs(Some(dir), &[&["remote", "get-url", "origin"]])
        .pop()
        .flatten()
}

/// A small git file's text: only a regular file, at most 1 MiB.
fn read_small(path: &Path) -> std::io::Result<String> {
    crate::files::read_text(path, "git file", crate::files::MAX_BYTES)
        .map_err(|e| std::io::Error::other(e.message))
}

const GIT_ENV: [&str; 8] = [
    "GIT_DIR",
    "GIT_COMMON_DIR",
    "GIT_CONFIG",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CEILING_DIRECTORIES",
];

/// The user-wide and system-wide git config files git reads too.
fn outer_configs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    if let Some(home) = std::env::var_os("HOME") {
        files.push(Path::new(&home).join(".gitconfig"));
    }
    match std::env::var_os("XDG_CONFIG_HOME") {
        Some(x) => files.push(Path::new(&x).join("git/config")),
        None => {
            if let Some(home) = std::env::var_os("HOME") {
                files.push(Path::new(&home).join(".config/git/config"));
            }
        }
    }
    if std::env::var_os("GIT_CONFIG_NOSYSTEM").is_none() {
        files.push(PathBuf::from("/etc/gitconfig"));
    }
    files
}

/// Whether a user or system config could change what `get-url` prints (URL
/// rewrites, includes, a remote of its own) or which repositories git trusts.
fn outer_config_matters() -> bool {
    outer_configs().iter().any(|f| match read_small(f) {
        Ok(text) => text.lines().any(|l| {
            let l = l.trim_start().to_ascii_lowercase();
            ["[url", "[include", "[remote", "[safe"]
                .iter()
                .any(|p| l.starts_with(p))
        }),
        Err(_) => f.exists(),
    })
}

/// Whether this process's user owns `path` (git refuses repositories owned by
/// someone else unless `safe.directory` says otherwise).
fn owned_by_us(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata("/proc/self"), std::fs::metadata(path)) {
        (Ok(me), Ok(it)) => me.uid() == it.uid(),
        _ => false,
    }
}

fn read_origin(dir: &Path) -> Read {
    if GIT_ENV.iter().any(|v| std::env::var_os(v).is_some()) {
        return Read::AskGit;
    }
    let Ok(start) = std::path::absolute(dir) else {
        return Read::AskGit;
    };
    let Some(dot_git) = start
        .ancestors()
        .map(|d| d.join(".git"))
        .find(|p| p.exists())
    else {
        return Read::NoRemote;
    };
    let Some(common) = common_dir(&dot_git) else {
        return Read::AskGit;
    };
    let top = dot_git.parent().unwrap_or(&start);
    if !owned_by_us(top) || !owned_by_us(&common) || outer_config_matters() {
        return Read::AskGit;
    }
    if common.join("config.worktree").exists() {
        return Read::AskGit;
    }
    match read_small(&common.join("config")) {
        Ok(text) => origin_in(&text),
        Err(_) => Read::AskGit,
    }
}

/// The folder holding the repository's `config`: `.git` itself, or for a
/// worktree (a `.git` file `gitdir: …`) the `commondir` of its git dir.
fn common_dir(dot_git: &Path) -> Option<PathBuf> {
    if dot_git.is_dir() {
        return Some(dot_git.to_owned());
    }
    let text = read_small(dot_git).ok()?;
    let gitdir = text.strip_prefix("gitdir:")?.trim();
    let gitdir = dot_git.parent()?.join(gitdir);
    match read_small(&gitdir.join("commondir")) {
        Ok(common) => Some(gitdir.join(common.trim())),
        Err(_) => Some(gitdir),
    }
}

/// `[remote "origin"] url = …` of a git config file; anything this reader
/// does not model (includes, URL rewrites, continued lines) defers to git.
fn origin_in(config: &str) -> Read {
    let mut in_origin = false;
    let mut url = None;
    for raw in config.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.ends_with('\\') {
            return Read::AskGit;
        }
        if let Some(section) = line.strip_prefix('[') {
            let Some((header, rest)) = section.split_once(']') else {
                return Read::AskGit;
            };
            if !rest.trim().is_empty() {
                return Read::AskGit; // `[section] key = value` on one line
            }
            let header = header.trim();
            let name = header.split([' ', '.']).next().unwrap_or_default();
            if name.eq_ignore_ascii_case("include") || name.eq_ignore_ascii_case("includeif") {
                return Read::AskGit;
            }
            if name.eq_ignore_ascii_case("url") {
                return Read::AskGit; // insteadOf / pushInsteadOf rewrites
            }
            in_origin = header == "remote \"origin\"";
            continue;
        }
        if !in_origin {
            continue;
        }
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        if key.trim().eq_ignore_ascii_case("url") {
            let value = value.trim();
            if value.contains(['"', '\\', '#', ';']) {
                return Read::AskGit; // quoting, escapes or a comment: git parses those
            }
            // git remote get-url prints the first url of the remote.
            url.get_or_insert_with(|| value.to_owned());
        }
    }
    url.map_or(Read::NoRemote, Read::Url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_url_of_origin_only() {
        let config = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = git@github.com:acme/other.git\n\
                      [remote \"origin\"]\n\turl = https://github.com/acme/shop-api.git\n\
                      \tfetch = +refs/heads/*:refs/remotes/origin/*\n\turl = https://mirror/acme/x\n";
        assert_eq!(
            origin_in(config),
            Read::Url("https://github.com/acme/shop-api.git".into())
        );
        assert_eq!(origin_in("[core]\n\tbare = false\n"), Read::NoRemote);
    }

    #[test]
    fn what_it_does_not_model_is_left_to_git() {
        for config in [
            "[include]\n\tpath = other\n[remote \"origin\"]\n\turl = a\n",
            "[includeIf \"gitdir:~/w/\"]\n\tpath = w\n",
            "[url \"git@github.com:\"]\n\tinsteadOf = https://github.com/\n[remote \"origin\"]\n\turl = https://github.com/a/b\n",
            "[remote \"origin\"]\n\turl = \"quoted\"\n",
            "[remote \"origin\"]\n\turl = a\\\n  b\n",
            "[remote \"origin\"] url = a\n",
        ] {
            assert_eq!(origin_in(config), Read::AskGit, "{config}");
        }
    }

    #[test]
    fn finds_the_config_of_a_repository_and_of_a_worktree() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join(".git/worktrees/wt")).unwrap();
        std::fs::create_dir_all(repo.join("sub/deeper")).unwrap();
        std::fs::write(
            repo.join(".git/config"),
            "[remote \"origin\"]\n\turl = git@host:acme/shop.git\n",
        )
        .unwrap();
        std::fs::write(repo.join(".git/worktrees/wt/commondir"), "../..\n").unwrap();
        let wt = dir.path().join("wt");
        std::fs::create_dir_all(&wt).unwrap();
        std::fs::write(
            wt.join(".git"),
            format!("gitdir: {}\n", repo.join(".git/worktrees/wt").display()),
        )
        .unwrap();
        let want = Read::Url("git@host:acme/shop.git".into());
        assert_eq!(read_origin(&repo.join("sub/deeper")), want);
        assert_eq!(read_origin(&wt), want);
    }
}
