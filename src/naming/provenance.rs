//! Who and what is deploying: owner, git commit and branch, CI job URL.
//!
//! CI variables win over the working copy, because CI checkouts are usually a
//! detached HEAD. Values are read lazily: `git` runs only when a value is needed.

/// Reads environment variables; injectable for tests.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The process environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.trim().is_empty())
    }
}

fn first(env: &dyn Env, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| env.var(n))
}

fn git(args: &[&str]) -> Option<String> {
    git_all(&[args]).pop().flatten()
}

/// Runs several read-only git queries at once: each is a process start, and
/// `render` should stay fast. None at all in a repository git could hang on
/// (a pipe as `.git` or `HEAD`); each bounded in time and output.
fn git_all(queries: &[&[&str]]) -> Vec<Option<String>> {
    let safe = std::env::current_dir().is_ok_and(|d| super::git_process::safe_repository(&d));
    if !safe {
        return vec![None; queries.len()];
    }
    super::git_process::outputs(None, queries)
}

/// Owner, commit and branch of a deployment, with at most one round of git queries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    pub owner: Option<String>,
    pub sha: Option<String>,
    pub branch: Option<String>,
}

impl Provenance {
    /// CI variables first; whatever they leave open comes from git, queried
    /// concurrently. An `owner` given on the command line is not looked up.
    pub fn detect(env: &dyn Env, owner: Option<String>) -> Provenance {
        const OWNER: &[&str] = &["config", "user.email"];
        const SHA: &[&str] = &["rev-parse", "HEAD"];
        const BRANCH: &[&str] = &["symbolic-ref", "--quiet", "--short", "HEAD"];
        let owner = owner.or_else(|| ci_owner(env));
        let sha = ci_sha(env);
        let branch = ci_branch(env);
        let mut queries: Vec<&[&str]> = Vec::new();
        for (known, query) in [(&owner, OWNER), (&sha, SHA), (&branch, BRANCH)] {
            if known.is_none() {
                queries.push(query);
            }
        }
        let mut answers = git_all(&queries).into_iter();
        let mut fill = |known: Option<String>| match known {
            Some(v) => Some(v),
            None => answers.next().flatten(),
        };
        let owner = fill(owner).or_else(|| first(env, &["USER", "USERNAME"]));
        let sha = fill(sha);
        let branch = fill(branch);
        Provenance { owner, sha, branch }
    }
}

fn ci_branch(env: &dyn Env) -> Option<String> {
    first(
        env,
        &[
            "GITHUB_HEAD_REF", // pull requests
            "GITHUB_REF_NAME",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
            "CI_COMMIT_REF_NAME",
            "BUILDKITE_BRANCH",
            "CIRCLE_BRANCH",
        ],
    )
}

fn ci_sha(env: &dyn Env) -> Option<String> {
    first(
        env,
        &[
            "GITHUB_SHA",
            "CI_COMMIT_SHA",
            "BUILDKITE_COMMIT",
            "CIRCLE_SHA1",
        ],
    )
}

fn ci_owner(env: &dyn Env) -> Option<String> {
    first(
        env,
        &[
            "GITHUB_ACTOR",
            "GITLAB_USER_LOGIN",
            "BUILDKITE_BUILD_CREATOR_EMAIL",
            "BUILDKITE_BUILD_CREATOR",
            "CIRCLE_USERNAME",
        ],
    )
}

/// The branch being deployed: CI variables, else the checked-out branch.
pub fn git_branch(env: &dyn Env) -> Option<String> {
    ci_branch(env).or_else(|| git(&["symbolic-ref", "--quiet", "--short", "HEAD"]))
}

/// Who deploys: CI actor variables, else git `user.email`, else `$USER`.
pub fn owner(env: &dyn Env) -> Option<String> {
    ci_owner(env)
        .or_else(|| git(&["config", "user.email"]))
        .or_else(|| first(env, &["USER", "USERNAME"]))
}

/// The URL of the CI job, when running in a known CI system.
pub fn ci_url(env: &dyn Env) -> Option<String> {
    if let (Some(server), Some(repo), Some(run)) = (
        env.var("GITHUB_SERVER_URL"),
        env.var("GITHUB_REPOSITORY"),
        env.var("GITHUB_RUN_ID"),
    ) {
        return Some(format!("{server}/{repo}/actions/runs/{run}"));
    }
    first(
        env,
        &["CI_JOB_URL", "BUILDKITE_BUILD_URL", "CIRCLE_BUILD_URL"],
    )
}

/// The repository CI builds, e.g. `acme/shop` (tag `dynroute:repo`).
pub fn ci_repo(env: &dyn Env) -> Option<String> {
    if let (Some(user), Some(name)) = (
        env.var("CIRCLE_PROJECT_USERNAME"),
        env.var("CIRCLE_PROJECT_REPONAME"),
    ) {
        return Some(format!("{user}/{name}"));
    }
    first(
        env,
        &["GITHUB_REPOSITORY", "CI_PROJECT_PATH", "BUILDKITE_REPO"],
    )
}

/// The pull / merge request CI builds (tag `dynroute:pr`): GitHub's
/// `refs/pull/N/merge`, GitLab's IID, Buildkite's number (`false` when none),
/// CircleCI's PR URL ending in the number.
pub fn ci_pr(env: &dyn Env) -> Option<u64> {
    let github = env.var("GITHUB_REF").and_then(|r| {
        let n = r.strip_prefix("refs/pull/")?.split('/').next()?;
        n.parse().ok()
    });
    let number = |name: &str| env.var(name).and_then(|v| v.trim().parse().ok());
    let circle = env
        .var("CIRCLE_PULL_REQUEST")
        .and_then(|url| url.trim_end_matches('/').rsplit('/').next()?.parse().ok());
    github
        .or_else(|| number("CI_MERGE_REQUEST_IID"))
        .or_else(|| number("BUILDKITE_PULL_REQUEST"))
        .or(circle)
}

/// Makes text fit an AWS tag value: letters, digits, spaces and `_.:/=+-@`,
/// at most 256 characters; anything else becomes `_`.
pub fn tag_value(text: &str) -> String {
    text.chars()
        .map(|c| if is_tag_char(c) { c } else { '_' })
        .take(256)
        .collect()
}

/// Whether ECS takes `c` in a tag key or value: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`,
/// not `char::is_alphanumeric` (a combining mark like U+093E in राम is
/// alphabetic but not a letter).
pub fn is_tag_char(c: char) -> bool {
    static ALLOWED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^[\p{L}\p{Z}\p{N}_.:/=+\-@]$").expect("a valid regex")
    });
    ALLOWED.is_match(c.encode_utf8(&mut [0u8; 4]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct FakeEnv(HashMap<&'static str, &'static str>);

    impl Env for FakeEnv {
        fn var(&self, name: &str) -> Option<String> {
            self.0.get(name).map(|v| v.to_string())
        }
    }

    fn env(pairs: &[(&'static str, &'static str)]) -> FakeEnv {
        FakeEnv(pairs.iter().copied().collect())
    }

    #[test]
    fn ci_variables_name_the_owner_of_each_ci_system() {
        assert_eq!(
            owner(&env(&[("GITHUB_ACTOR", "octocat")])).unwrap(),
            "octocat"
        );
        assert_eq!(owner(&env(&[("GITLAB_USER_LOGIN", "gl")])).unwrap(), "gl");
        assert_eq!(
            owner(&env(&[("BUILDKITE_BUILD_CREATOR_EMAIL", "bk@x.io")])).unwrap(),
            "bk@x.io"
        );
        assert_eq!(
            owner(&env(&[("CIRCLE_USERNAME", "circle")])).unwrap(),
            "circle"
        );
    }

    #[test]
    fn ci_urls_are_built_per_system() {
        let gh = env(&[
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "acme/api"),
            ("GITHUB_RUN_ID", "42"),
        ]);
        assert_eq!(
            ci_url(&gh).unwrap(),
            "https://github.com/acme/api/actions/runs/42"
        );
        assert_eq!(
            ci_url(&env(&[("CI_JOB_URL", "https://gitlab/x/-/jobs/1")])).unwrap(),
            "https://gitlab/x/-/jobs/1"
        );
        assert_eq!(ci_url(&env(&[])), None);
    }

    #[test]
    fn ci_branch_wins_over_the_checkout() {
        assert_eq!(
            git_branch(&env(&[
                ("GITHUB_HEAD_REF", "feature/x"),
                ("GITHUB_REF_NAME", "12/merge")
            ]))
            .unwrap(),
            "feature/x"
        );
        let p = Provenance::detect(
            &env(&[
                ("CIRCLE_SHA1", "abc"),
                ("CIRCLE_BRANCH", "main"),
                ("CIRCLE_USERNAME", "c"),
            ]),
            None,
        );
        assert_eq!(
            p,
            Provenance {
                owner: Some("c".into()),
                sha: Some("abc".into()),
                branch: Some("main".into())
            }
        );
    }

    #[test]
    fn ci_repo_and_pr_are_read_per_system() {
        let gh = env(&[
            ("GITHUB_REPOSITORY", "acme/shop"),
            ("GITHUB_REF", "refs/pull/17/merge"),
        ]);
        assert_eq!(ci_repo(&gh).as_deref(), Some("acme/shop"));
        assert_eq!(ci_pr(&gh), Some(17));
        let push = env(&[("GITHUB_REF", "refs/heads/main")]);
        assert_eq!(ci_pr(&push), None);
        let gl = env(&[
            ("CI_PROJECT_PATH", "group/sub/web"),
            ("CI_MERGE_REQUEST_IID", "5"),
        ]);
        assert_eq!(ci_repo(&gl).as_deref(), Some("group/sub/web"));
        assert_eq!(ci_pr(&gl), Some(5));
        let bk = env(&[
            ("BUILDKITE_REPO", "git@github.com:acme/shop.git"),
            ("BUILDKITE_PULL_REQUEST", "false"),
        ]);
        assert_eq!(
            ci_repo(&bk).as_deref(),
            Some("git@github.com:acme/shop.git")
        );
        assert_eq!(ci_pr(&bk), None);
        assert_eq!(ci_pr(&env(&[("BUILDKITE_PULL_REQUEST", "9")])), Some(9));
        let circle = env(&[
            ("CIRCLE_PROJECT_USERNAME", "acme"),
            ("CIRCLE_PROJECT_REPONAME", "shop"),
            (
                "CIRCLE_PULL_REQUEST",
                "https://github.com/acme/shop/pull/123",
            ),
        ]);
        assert_eq!(ci_repo(&circle).as_deref(), Some("acme/shop"));
        assert_eq!(ci_pr(&circle), Some(123));
        assert_eq!(ci_repo(&env(&[])), None);
        assert_eq!(ci_pr(&env(&[("GITHUB_REF", "refs/pull/x/merge")])), None);
    }

    #[test]
    fn tag_values_are_sanitised() {
        assert_eq!(tag_value("a b@c.d/e:f=g+h-i_j"), "a b@c.d/e:f=g+h-i_j");
        // Combining vowel signs are marks, not letters: ECS refuses them.
        assert_eq!(tag_value("राम.शर्मा@example.com"), "र_म.शर_म_@example.com");
        assert!(
            crate::taskdef::ecs_rules::tag_ok("owner", &tag_value("राम.शर्मा@example.com")).is_ok()
        );
        assert_eq!(tag_value("x?y&z#"), "x_y_z_");
        assert_eq!(tag_value(&"a".repeat(300)).len(), 256);
    }
}
