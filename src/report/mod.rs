//! One typed report per command: `Serialize` is its stable JSON, `Display` its
//! table or text. [`emit`] prints a report once, in the format the settings
//! chose, and turns it into the exit code; commands never print results.

mod activity;
pub mod check;
mod ci_files;
mod diff;
mod doctor;
mod down;
mod durations;
mod extend;
pub mod format;
mod header;
mod hooks;
pub mod hurl;
mod iam_policy;
mod init;
pub mod junit;
mod labels;
mod logs;
mod ls;
pub(crate) mod markdown;
mod prune;
mod render;
mod run;
mod serve;
mod status;
mod traefik_config;
mod up;

#[cfg(test)]
mod day_two_tests;
#[cfg(test)]
mod tests;

use std::fmt::Display;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

pub use activity::ActivityReport;
pub use diff::{DiffReport, ServiceDiffView};
pub use doctor::DoctorReport;
pub use down::DownReport;
pub use extend::ExtendReport;
pub use header::HeaderReport;
pub use iam_policy::IamPolicyReport;
pub use init::InitReport;
pub use labels::LabelsReport;
pub use logs::{LinePrinter, LogLine, LogsReport};
pub use ls::{LsReport, LsRow};
pub use prune::{IdleVersion, PruneReport};
pub use render::RenderReport;
pub use run::{OutputPrinter, RunReport};
pub use serve::ServeReport;
pub use status::{ServiceStatusView, StatusReport};
pub use traefik_config::TraefikConfigReport;
pub use up::{UpReport, UpServiceReport, UpStatus};

use crate::error::{ExitKind, UserError};
use crate::ui::Ui;
use format::OutputFormat;

/// A command's result: JSON from `Serialize`, text from `Display`.
pub trait Report: Serialize + Display {
    /// A report that is a failure in itself (failed checks) ends, after it is
    /// printed, with this error and its exit code.
    fn failure(&self) -> Option<UserError> {
        None
    }

    /// The `-o markdown` form (a table and the header / link / curl lines);
    /// `None`: this command has none, and `-o markdown` is refused up front
    /// (see [`format::check_output`]).
    fn markdown(&self) -> Option<String> {
        None
    }

    /// The `-o wide` table, with every column; `None`: the table is the only
    /// one, and `-o wide` is refused up front.
    fn wide(&self) -> Option<String> {
        None
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

/// Where reports go: the format the person chose, GitHub Actions' files, and
/// the terminal for warnings about them.
pub struct Sink<'a> {
    /// The verb whose report this is (what has Markdown and a job summary).
    pub verb: &'static str,
    pub format: OutputFormat,
    pub github: &'a GithubFiles,
    pub ui: &'a Ui,
}

/// `GITHUB_STEP_SUMMARY` (unless `--no-summary`) and `GITHUB_OUTPUT`.
#[derive(Debug, Default)]
pub struct GithubFiles {
    pub summary: Option<PathBuf>,
    pub output: Option<PathBuf>,
}

impl GithubFiles {
    pub fn from_env(no_summary: bool) -> GithubFiles {
        let path = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        GithubFiles {
            summary: path("GITHUB_STEP_SUMMARY").filter(|_| !no_summary),
            output: path("GITHUB_OUTPUT"),
        }
    }
}

/// Prints `report` on stdout in the chosen format, hands GitHub Actions its
/// job summary and outputs; returns the exit code.
pub fn emit<R: Report>(sink: &Sink<'_>, report: &R) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match sink.format {
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(report)?)?,
        OutputFormat::Markdown => {
            let text = report.markdown().ok_or_else(|| {
                UserError::usage("-o markdown: this command has no markdown report")
            })?;
            write!(out, "{text}")?;
        }
        OutputFormat::Table | OutputFormat::Wide => {
            let text = match sink.format {
                OutputFormat::Wide => report.wide().unwrap_or_else(|| report.to_string()),
                _ => report.to_string(),
            };
            if !text.is_empty() {
                write!(out, "{text}")?;
                if !text.ends_with('\n') {
                    writeln!(out)?;
                }
            }
        }
    }
    out.flush()?;
    github_files(sink, report)?;
    match report.failure() {
        Some(failure) => Err(failure.into()),
        None => Ok(report.exit_code()),
    }
}

/// Appends the job summary and writes the outputs when GitHub Actions asks for
/// them. An unwritable summary is a warning (the deployment happened); an
/// unwritable `GITHUB_OUTPUT` fails, because later steps depend on it.
fn github_files<R: Report>(sink: &Sink<'_>, report: &R) -> anyhow::Result<()> {
    if let (Some(path), true) = (
        &sink.github.summary,
        format::JOB_SUMMARY_VERBS.contains(&sink.verb),
    ) && let Some(text) = report.markdown()
        && let Err(err) = ci_files::append(path, &format!("{text}\n"))
    {
        sink.ui.warn(format!(
            "cannot append the job summary to GITHUB_STEP_SUMMARY={}: {err}",
            path.display()
        ));
    }
    let outputs = report.outputs();
    if let (Some(path), false) = (&sink.github.output, outputs.is_empty()) {
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
