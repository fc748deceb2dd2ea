//! One typed report per command: `Serialize` is its stable JSON, `Display` its
//! table or text. [`emit`] prints a report once, in the format the settings
//! chose, and turns it into the exit code; commands never print results.

mod down;
mod header;
mod init;
mod ls;
mod prune;
mod render;
mod status;
mod traefik_config;
mod up;

#[cfg(test)]
mod tests;

use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

pub use down::DownReport;
pub use header::HeaderReport;
pub use init::InitReport;
pub use ls::{LsReport, LsRow};
pub use prune::PruneReport;
pub use render::RenderReport;
pub use status::{ServiceStatusView, StatusReport};
pub use traefik_config::TraefikConfigReport;
pub use up::{UpReport, UpServiceReport, UpStatus};

use crate::cli::OutputFormat;
use crate::error::UserError;
use crate::settings::Settings;

/// A command's result: JSON from `Serialize`, text from `Display`.
pub trait Report: Serialize + Display {
    /// A report that is a failure in itself (failed checks) ends, after it is
    /// printed, with this error and its exit code.
    fn failure(&self) -> Option<UserError> {
        None
    }
}

/// Prints `report` on stdout in the chosen format, then returns its failure
/// (printed like every other error) or success.
pub fn emit<R: Report>(settings: &Settings, report: &R) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match settings.output {
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(report)?)?,
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
    match report.failure() {
        Some(failure) => Err(failure.into()),
        None => Ok(ExitCode::SUCCESS),
    }
}
