//! Errors that decide the process exit code.
//!
//! Everything returns `anyhow::Result`. The errors that must end with a specific
//! exit code carry an [`ExitKind`], an optional hint, and their cause as
//! [`std::error::Error::source`], so `{:#}` prints the whole chain and code further
//! out can still inspect an SDK error. The exit code is decided once, at the edge,
//! by [`classify`] (see docs/ARCHITECTURE.md, "Errors and exit codes").

use std::fmt;
use std::process::ExitCode;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitKind {
    /// 1: any other failure (AWS errors, I/O, …).
    Failure,
    /// 2: usage error or invalid config, template or version.
    Usage,
    /// 3: timed out waiting.
    TimedOut,
    /// 4: deployment failed (rolled back / tasks stopped).
    DeployFailed,
    /// 5: a lifecycle hook (`on_create`, `before_up`, `after_down`) failed.
    HookFailed,
    /// 130: interrupted (Ctrl-C).
    Interrupted,
}

impl ExitKind {
    /// The numeric process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitKind::Failure => 1,
            ExitKind::Usage => 2,
            ExitKind::TimedOut => 3,
            ExitKind::DeployFailed => 4,
            ExitKind::HookFailed => 5,
            ExitKind::Interrupted => 130,
        }
    }

    /// How bad an outcome is, for a result made of several: an interruption beats
    /// everything, then a definite deployment failure, a failed hook, any other failure,
    /// then a timeout (the work may still succeed), then bad input.
    fn severity(self) -> u8 {
        match self {
            ExitKind::Usage => 0,
            ExitKind::TimedOut => 1,
            ExitKind::Failure => 2,
            ExitKind::HookFailed => 3,
            ExitKind::DeployFailed => 4,
            ExitKind::Interrupted => 5,
        }
    }

    /// The most severe of several exit kinds (`Failure` for none).
    pub fn most_severe(kinds: impl IntoIterator<Item = ExitKind>) -> ExitKind {
        kinds
            .into_iter()
            .max_by_key(|k| k.severity())
            .unwrap_or(ExitKind::Failure)
    }
}

impl From<ExitKind> for ExitCode {
    fn from(kind: ExitKind) -> Self {
        ExitCode::from(kind.code())
    }
}

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error with a chosen exit code, an optional `hint:` line and its cause.
#[derive(Debug)]
pub struct UserError {
    pub kind: ExitKind,
    pub message: String,
    pub hint: Option<String>,
    source: Option<Source>,
}

impl UserError {
    /// An invalid input: exit code 2.
    pub fn usage(message: impl Into<String>) -> Self {
        UserError::new(ExitKind::Usage, message)
    }

    /// An error with the given exit code.
    pub fn new(kind: ExitKind, message: impl Into<String>) -> Self {
        UserError {
            kind,
            message: message.into(),
            hint: None,
            source: None,
        }
    }

    /// Adds a `hint:` line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Keeps `cause` as this error's source.
    pub fn caused_by(mut self, cause: impl Into<Source>) -> Self {
        self.source = Some(cause.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

/// The most of a value an error quotes.
pub const QUOTE_CHARS: usize = 80;

/// A value as an error quotes it: in double quotes with Rust's escapes (a line
/// break is `\n`, an escape character `\u{1b}`), at most [`QUOTE_CHARS`]
/// characters of it, and its length when cut: `"aaa…"… (120000 characters)`.
pub fn quoted(value: &str) -> String {
    let total = value.chars().count();
    if total <= QUOTE_CHARS {
        return format!("{value:?}");
    }
    let head: String = value.chars().take(QUOTE_CHARS).collect();
    format!("{head:?}… ({total} characters)")
}

/// The error and its causes on one line, `a: b: c`, each message once: a cause
/// whose text is already said (the AWS SDK repeats the service's message in
/// nested errors) and the SDK's bare `service error` label are left out.
pub fn chain_text(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        let text = text.trim();
        // Already said: the whole of what came before, or one of its `: ` parts.
        let said = out == text
            || out.ends_with(&format!(": {text}"))
            || out.starts_with(&format!("{text}: "))
            || out.contains(&format!(": {text}: "));
        if text.is_empty() || text == "service error" || said {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(text);
    }
    out
}

/// The exit kind and hint of an error: the first [`UserError`] in its chain decides.
pub fn classify(err: &anyhow::Error) -> (ExitKind, Option<&str>) {
    if let Some(user) = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<UserError>())
    {
        return (user.kind, user.hint.as_deref());
    }
    // Ctrl-C at a prompt arrives as an interrupted read.
    let interrupted = err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::Interrupted)
    });
    if interrupted {
        (ExitKind::Interrupted, None)
    } else {
        (ExitKind::Failure, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn the_first_user_error_in_the_chain_decides_the_exit_code() {
        let err = Err::<(), _>(UserError::new(ExitKind::TimedOut, "slow").hint("wait longer"))
            .context("while deploying")
            .unwrap_err();
        assert_eq!(classify(&err), (ExitKind::TimedOut, Some("wait longer")));
    }

    #[test]
    fn an_interrupted_read_is_an_interruption() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::Interrupted))
            .context("asking");
        assert_eq!(classify(&err).0, ExitKind::Interrupted);
    }

    #[test]
    fn other_errors_are_failures() {
        let err = anyhow::anyhow!("boom");
        assert_eq!(classify(&err), (ExitKind::Failure, None));
        assert_eq!(ExitKind::Interrupted.code(), 130);
    }

    #[test]
    fn the_cause_is_kept_and_printed_with_the_chain() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let err: anyhow::Error = UserError::new(ExitKind::Failure, "ListServices failed")
            .caused_by(io)
            .into();
        assert_eq!(format!("{err:#}"), "ListServices failed: refused");
        assert_eq!(chain_text(&err), "ListServices failed: refused");
        let source = err.chain().nth(1).unwrap();
        assert_eq!(
            source.downcast_ref::<std::io::Error>().unwrap().kind(),
            std::io::ErrorKind::ConnectionRefused
        );
    }

    #[test]
    fn a_partial_failure_exits_with_the_most_severe_code() {
        use ExitKind::*;
        assert_eq!(
            ExitKind::most_severe([TimedOut, DeployFailed]),
            DeployFailed
        );
        assert_eq!(ExitKind::most_severe([Failure, TimedOut]), Failure);
        assert_eq!(
            ExitKind::most_severe([DeployFailed, Interrupted]),
            Interrupted
        );
        assert_eq!(ExitKind::most_severe([Usage]), Usage);
        assert_eq!(ExitKind::most_severe([]), Failure);
    }

    #[derive(Debug)]
    struct Nested(&'static str, Option<Box<Nested>>);
    impl fmt::Display for Nested {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for Nested {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|n| n as _)
        }
    }

    #[test]
    fn each_message_of_the_chain_is_said_once() {
        // As the AWS SDK nests a service error: a label, then the same message twice.
        let sdk = Nested(
            "service error",
            Some(Box::new(Nested(
                "ClusterNotFoundException: Cluster not found.",
                Some(Box::new(Nested(
                    "ClusterNotFoundException: Cluster not found.",
                    None,
                ))),
            ))),
        );
        let err: anyhow::Error = UserError::new(
            ExitKind::Failure,
            "cluster `dev` does not exist (ListServices)",
        )
        .caused_by(sdk)
        .into();
        assert_eq!(
            chain_text(&err),
            "cluster `dev` does not exist (ListServices): ClusterNotFoundException: Cluster not found."
        );
        // A cause that is only part of what was said is still said.
        let io = std::io::Error::other("found");
        let err: anyhow::Error = UserError::new(ExitKind::Failure, "not found")
            .caused_by(io)
            .into();
        assert_eq!(chain_text(&err), "not found: found");
    }
}
