//! Version and service names: DNS labels that never need escaping in a Traefik
//! rule or percent-encoding in baggage, so no name can inject into either.
//!
//! Both are DNS labels of at most 40 characters without `--`. That alphabet never
//! needs percent-encoding in baggage nor escaping in a Traefik rule or a regular
//! expression, which is what keeps a crafted name from ever reaching a label: a
//! [`Version`] or [`ServiceName`] can only be built through [`check_label`].

pub mod checked;
pub mod git_process;
pub mod git_remote;
pub mod provenance;
pub mod tags;

use std::fmt;

use sha2::{Digest, Sha256};

use crate::naming::checked::validated_string;

use crate::error::UserError;

/// The longest allowed version or service name.
pub const MAX_LEN: usize = 40;

/// Why a name is not a valid label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError {
    pub what: &'static str,
    pub input: String,
    pub problem: &'static str,
    pub suggestion: Option<String>,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} name {}: {}",
            self.what,
            crate::error::quoted(&self.input),
            self.problem
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, " (try `{s}`)")?;
        }
        Ok(())
    }
}

impl std::error::Error for NameError {}

impl From<NameError> for UserError {
    fn from(err: NameError) -> Self {
        let hint = "names are lowercase letters, digits and single dashes, at most 40 characters, \
                    starting and ending with a letter or digit";
        UserError::usage(err.to_string()).hint(hint)
    }
}

/// Checks the DNS-label rule (`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`, at most 40
/// characters, no `--`); `what` names the kind of name in errors.
pub fn check_label(what: &'static str, input: &str) -> Result<(), NameError> {
    let problem = if input.is_empty() {
        Some("it is empty")
    } else if input.len() > MAX_LEN {
        Some("it is longer than 40 characters")
    } else if !input
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some("only lowercase letters a-z, digits and `-` are allowed")
    } else if input.starts_with('-') || input.ends_with('-') {
        Some("it must start and end with a letter or digit")
    } else if input.contains("--") {
        Some("`--` is reserved as the separator in `{service}--{version}`")
    } else {
        None
    };
    match problem {
        None => Ok(()),
        Some(problem) => Err(NameError {
            what,
            input: input.to_owned(),
            problem,
            suggestion: suggest(input).filter(|s| s != input),
        }),
    }
}

impl ServiceName {
    /// The service name a piece of text suggests (a folder, a task definition
    /// family), when it makes a valid one.
    pub fn suggested(text: &str) -> Option<ServiceName> {
        suggest(text)?.parse().ok()
    }
}

/// A slug that satisfies the rule, built from arbitrary text (a branch name, a bad input).
pub fn suggest(input: &str) -> Option<String> {
    let slug = slugify(input);
    if slug.is_empty() {
        return None;
    }
    if slug.len() <= MAX_LEN {
        return Some(slug);
    }
    // Long names keep a readable prefix and stay unique through a hash of the whole input.
    let digest = Sha256::digest(input.as_bytes());
    let hash: String = digest.iter().take(3).map(|b| format!("{b:02x}")).collect();
    let prefix = slug[..MAX_LEN - 7].trim_end_matches('-');
    Some(format!("{prefix}-{hash}"))
}

/// Lowercase; every run of characters outside `[a-z0-9]` becomes one `-`; trimmed.
fn slugify(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

validated_string!(
    /// A version name such as `feature-2981` or `main`.
    Version,
    NameError,
    |s| check_label("version", s)
);
validated_string!(
    /// A logical service name from `dynroute.yaml`, such as `api`.
    ServiceName,
    NameError,
    |s| check_label("service", s)
);

validated_string!(
    /// The project a service belongs to (the `project` key, tag `dynroute:project`),
    /// so two repositories declaring `api` on one cluster never touch each other.
    ProjectName,
    NameError,
    |s| check_label("project", s)
);

impl ProjectName {
    /// The default project name: the git remote's repository name, else the
    /// name of the folder holding the config file, made a valid label.
    pub fn default_for(config_dir: &std::path::Path) -> Option<ProjectName> {
        let remote = crate::naming::git_remote::origin_url(config_dir);
        let from_remote = remote.as_deref().and_then(repository_name);
        let folder = std::path::absolute(config_dir)
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
        from_remote
            .or(folder)
            .and_then(|name| suggest(&name))
            .and_then(|slug| slug.parse().ok())
    }
}

/// `git@github.com:acme/shop-api.git` or `https://host/acme/shop-api` → `shop-api`.
pub fn repository_name(remote: &str) -> Option<String> {
    let last = remote
        .trim()
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()?;
    let name = last.strip_suffix(".git").unwrap_or(last);
    (!name.is_empty()).then(|| name.to_owned())
}

impl Version {
    /// The version as an SQL / identifier-safe name, `{{ version_id }}` in
    /// templates: `-` becomes `_` (`feature-2981` → `feature_2981`), and a
    /// version that starts with a digit gets `v__` in front (`2981` → `v__2981`;
    /// versions never hold `__`, so no two versions share an id). Lowercase
    /// letters, digits and `_`, at most 40 characters: a longer one keeps a
    /// prefix and six hex characters of a hash of the whole version.
    pub fn id(&self) -> String {
        let plain = self.as_str().replace('-', "_");
        let id = match plain.starts_with(|c: char| c.is_ascii_digit()) {
            true => format!("v__{plain}"),
            false => plain,
        };
        if id.len() <= MAX_LEN {
            return id;
        }
        let digest = Sha256::digest(self.as_str().as_bytes());
        let hash: String = digest.iter().take(3).map(|b| format!("{b:02x}")).collect();
        format!("{}_{hash}", &id[..MAX_LEN - 7])
    }

    /// The version for a git branch: its slug, cut to 33 characters plus `-` and
    /// six hex characters of a hash of the whole branch name when it is longer than 40.
    pub fn from_branch(branch: &str) -> Result<Version, UserError> {
        let slug = suggest(branch).ok_or_else(|| {
            UserError::usage(format!(
                "cannot derive a version name from branch {branch:?}"
            ))
            .hint("name the version on the command line, such as `my-feature`")
        })?;
        slug.parse::<Version>().map_err(UserError::from)
    }
}

/// The shared name of an ECS service, task definition family and Traefik router.
pub fn resource_name(service: &ServiceName, version: &Version) -> String {
    format!("{service}--{version}")
}

/// Splits `{service}--{version}` back into its parts, if it is one of ours.
pub fn parse_resource_name(name: &str) -> Option<(ServiceName, Version)> {
    let (service, version) = name.split_once("--")?;
    Some((service.parse().ok()?, version.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version_error(input: &str) -> NameError {
        input.parse::<Version>().unwrap_err()
    }

    #[test]
    fn a_version_id_is_an_identifier_unique_per_version() {
        let id = |v: &str| v.parse::<Version>().unwrap().id();
        assert_eq!(id("feature-2981"), "feature_2981");
        assert_eq!(id("main"), "main");
        assert_eq!(id("2981"), "v__2981");
        // `v-2981` and `2981` stay apart.
        assert_eq!(id("v-2981"), "v_2981");
        let long = "1".repeat(40);
        let other = format!("{}2", "1".repeat(39));
        for v in [
            long.as_str(),
            other.as_str(),
            "a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t",
        ] {
            let got = id(v);
            assert!(got.len() <= 40, "{got}");
            assert!(!got.starts_with(|c: char| c.is_ascii_digit()), "{got}");
            assert!(
                got.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{got}"
            );
        }
        assert_ne!(id(&long), id(&other));
    }

    #[test]
    fn accepts_dns_labels() {
        for ok in [
            "main",
            "feature-2981",
            "a",
            "0",
            "a1-b2-c3",
            &"x".repeat(40),
        ] {
            assert_eq!(ok.parse::<Version>().unwrap().as_str(), ok);
        }
    }

    #[test]
    fn rejects_everything_else_with_a_suggestion() {
        let cases: &[(&str, Option<&str>)] = &[
            ("Feature/ABC_12", Some("feature-abc-12")),
            ("feature/x", Some("feature-x")),
            ("a_b", Some("a-b")),
            ("v1.2", Some("v1-2")),
            ("two words", Some("two-words")),
            ("x`) || Host(`api", Some("x-host-api")),
            ("a..b", Some("a-b")),
            ("-lead", Some("lead")),
            ("trail-", Some("trail")),
            ("a--b", Some("a-b")),
            ("", None),
            (".*", None),
            ("a|b", Some("a-b")),
            ("café", Some("caf")),
            ("ÄÖÜ", None),
        ];
        for (input, suggestion) in cases {
            let err = version_error(input);
            assert_eq!(err.suggestion.as_deref(), *suggestion, "input {input:?}");
        }
    }

    #[test]
    fn rejects_41_characters_and_suggests_the_hashed_form() {
        let err = version_error(&"a".repeat(41));
        let s = err.suggestion.unwrap();
        assert_eq!(s.len(), 40);
        assert!(s.starts_with(&"a".repeat(33)));
        assert!(s.parse::<Version>().is_ok());
    }

    #[test]
    fn long_branches_keep_a_prefix_and_a_hash() {
        let branch = "feature/JIRA-1234-make-the-checkout-flow-faster-for-everyone";
        let v = Version::from_branch(branch).unwrap();
        assert_eq!(v.as_str().len(), 40);
        assert!(v.as_str().starts_with("feature-jira-1234-make-the-checko"));
        // Stable, and different for a different branch with the same prefix.
        assert_eq!(v, Version::from_branch(branch).unwrap());
        let other = Version::from_branch(&format!("{branch}-2")).unwrap();
        assert_ne!(v, other);
    }

    #[test]
    fn project_names_come_from_the_remote_repository() {
        assert_eq!(
            repository_name("git@github.com:acme/Shop_API.git").as_deref(),
            Some("Shop_API")
        );
        assert_eq!(
            repository_name("https://gitlab.com/acme/web/").as_deref(),
            Some("web")
        );
        assert_eq!(repository_name(""), None);
        assert!("shop-api".parse::<ProjectName>().is_ok());
        let err = "Shop API".parse::<ProjectName>().unwrap_err();
        assert!(err.to_string().contains("invalid project name"));
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("My_Shop");
        std::fs::create_dir(&sub).unwrap();
        assert_eq!(ProjectName::default_for(&sub).unwrap().as_str(), "my-shop");
    }

    #[test]
    fn a_prefix_ending_in_a_dash_is_trimmed_before_the_hash() {
        // 32 chars then a separator: the 33-char prefix would end in `-`.
        let branch = format!("{}/{}", "b".repeat(32), "c".repeat(20));
        let v = Version::from_branch(&branch).unwrap();
        assert!(!v.as_str().contains("--"), "{v}");
    }

    #[test]
    fn branch_without_usable_characters_is_an_error() {
        assert!(Version::from_branch("___").is_err());
        assert_eq!(
            Version::from_branch("Feature/ABC_12").unwrap().as_str(),
            "feature-abc-12"
        );
    }

    #[test]
    fn resource_names_round_trip() {
        let s: ServiceName = "api".parse().unwrap();
        let v: Version = "feature-1".parse().unwrap();
        assert_eq!(resource_name(&s, &v), "api--feature-1");
        assert_eq!(parse_resource_name("api--feature-1"), Some((s, v)));
        assert_eq!(parse_resource_name("legacy-api"), None);
        assert_eq!(parse_resource_name("API--x"), None);
    }
}
