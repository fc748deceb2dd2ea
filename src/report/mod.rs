//! One typed report per command: `Serialize` is its stable JSON, `Display` its
//! table or text. [`emit`] prints a report once, in the format the settings
//! chose, and turns it into the exit code; commands never print results.

mod ci_files;
mod diff;
mod down;
mod extend;
mod header;
mod iam_policy;
mod init;
mod logs;
mod ls;
pub(crate) mod markdown;
mod prune;
mod render;
mod status;
mod traefik_config;
mod up;

#[cfg(test)]
mod day_two_tests;
#[cfg(test)]
mod tests;

use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

pub use diff::{DiffReport, ServiceDiffView};
pub use down::DownReport;
pub use extend::ExtendReport;
pub use header::HeaderReport;
pub use iam_policy::IamPolicyReport;
pub use init::InitReport;
pub use logs::{LogLine, LogsReport, print_lines};
pub use ls::{LsReport, LsRow};
pub use prune::PruneReport;
pub use render::RenderReport;
pub use status::{ServiceStatusView, StatusReport};
pub use traefik_config::TraefikConfigReport;
pub use up::{UpReport, UpServiceReport, UpStatus};

use crate::cli::{Command, OutputFormat};
use crate::error::{ExitKind, UserError};
use crate::settings::Settings;

/// A command's result: JSON from `Serialize`, text from `Display`.
pub trait Report: Serialize + Display {
    /// A report that is a failure in itself (failed checks) ends, after it is
    /// printed, with this error and its exit code.
    fn failure(&self) -> Option<UserError> {
        None
    }

    /// The `-o markdown` form (a table and the header / link / curl lines);
    /// `None`: this command has none, and `-o markdown` is refused up front
    /// (see [`check_output`]).
    fn markdown(&self) -> Option<String> {
        None
    }

    /// Whether the markdown is appended to `GITHUB_STEP_SUMMARY` (`up`, `down`, `check`).
    fn job_summary(&self) -> bool {
        false
    }

    /// The exit code of a report that succeeded: 1 for `diff --exit-code`
    /// with differences, as `git diff --exit-code`; otherwise 0.
    fn exit_code(&self) -> ExitCode {
        ExitCode::SUCCESS
    }

    /// Outputs for later CI steps, written to `GITHUB_OUTPUT`.
    fn outputs(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// The commands whose report has a markdown form.
fn has_markdown(command: &Command) -> bool {
    matches!(
        command,
        Command::Up(_) | Command::Down(_) | Command::Ls(_) | Command::Status(_) | Command::Check(_)
    )
}

/// Refuses `-o markdown` for a command without a markdown report, before it runs.
pub fn check_output(settings: &Settings, command: &Command) -> Result<(), UserError> {
    if settings.output != OutputFormat::Markdown || has_markdown(command) {
        return Ok(());
    }
    Err(
        UserError::usage("-o markdown: this command has no markdown report").hint(
            "markdown is available for up, down, ls, status and check; use -o table or -o json",
        ),
    )
}

/// Prints `report` on stdout in the chosen format, hands GitHub Actions its
/// job summary and outputs; returns the exit code.
pub fn emit<R: Report>(settings: &Settings, report: &R) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match settings.output {
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(report)?)?,
        OutputFormat::Markdown => {
            let text = report.markdown().ok_or_else(|| {
                UserError::usage("-o markdown: this command has no markdown report")
            })?;
            write!(out, "{text}")?;
        }
        OutputFormat::Table => {
            let text = report.to_string();
            if !text.is_empty() {
                write!(out, "{text}")?;
                if !text.ends_with('\n') {
                    writeln!(out)?;
                }
            }
        }
    }
    out.flush()?;
    github_files(settings, report)?;
    match report.failure() {
        Some(failure) => Err(failure.into()),
        None => Ok(report.exit_code()),
    }
}

/// Appends the job summary and writes the outputs when GitHub Actions asks for
/// them. An unwritable summary is a warning (the deployment happened); an
/// unwritable `GITHUB_OUTPUT` fails, because later steps depend on it.
fn github_files<R: Report>(settings: &Settings, report: &R) -> anyhow::Result<()> {
    if let (Some(path), true) = (&settings.github.summary, report.job_summary())
        && let Some(text) = report.markdown()
        && let Err(err) = ci_files::append(path, &format!("{text}\n"))
    {
        settings.ui.warn(format!(
            "cannot append the job summary to GITHUB_STEP_SUMMARY={}: {err}",
            path.display()
        ));
    }
    let outputs = report.outputs();
    if let (Some(path), false) = (&settings.github.output, outputs.is_empty()) {
        let text: String = outputs
            .iter()
            .map(|(name, value)| ci_files::output_line(name, value))
            .collect();
        ci_files::append(path, &text).map_err(|err| {
            UserError::new(
                ExitKind::Failure,
                format!("cannot write GITHUB_OUTPUT={}: {err}", path.display()),
            )
        })?;
    }
    Ok(())
}
