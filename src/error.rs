//! Errors that decide the process exit code.
//!
//! Everything returns `anyhow::Result`; the few errors that must end with a
//! specific exit code (DESIGN §7) carry an [`ExitKind`] and an optional hint.
//! `main` looks for the first [`UserError`] in the cause chain.

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
            ExitKind::Interrupted => 130,
        }
    }
}

impl From<ExitKind> for ExitCode {
    fn from(kind: ExitKind) -> Self {
        ExitCode::from(kind.code())
    }
}

/// An error with a chosen exit code and an optional `hint:` line.
#[derive(Debug)]
pub struct UserError {
    pub kind: ExitKind,
    pub message: String,
    pub hint: Option<String>,
}

impl UserError {
    /// An invalid input: exit code 2.
    pub fn usage(message: impl Into<String>) -> Self {
        UserError {
            kind: ExitKind::Usage,
            message: message.into(),
            hint: None,
        }
    }

    /// An error with the given exit code.
    pub fn new(kind: ExitKind, message: impl Into<String>) -> Self {
        UserError {
            kind,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a `hint:` line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

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
}
