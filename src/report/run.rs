//! `run`'s report: the task and how it ended. The container's output is
//! printed while it runs ([`OutputPrinter`]); the exit code is the container's.

use std::fmt;
use std::io::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use super::Report;
use super::format::OutputFormat;
use crate::engine::logs::{LineSink, LogLine};
use crate::error::{ExitKind, UserError};
use crate::ui::terminal_text::escape_controls;

/// A one-off task: its ARN, and (unless detached) the container's exit code
/// or why the task stopped without one.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub task: String,
    pub service: String,
    pub detached: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
}

impl Report for RunReport {
    fn failure(&self) -> Option<UserError> {
        self.stopped_reason.as_ref().map(|reason| {
            UserError::new(
                ExitKind::DeployFailed,
                format!("the task stopped before its command ran to the end: {reason}"),
            )
            .hint("an image that cannot be pulled, too little memory, or no capacity: `dynroute status VERSION` shows the service's events")
        })
    }

    fn exit_code(&self) -> ExitCode {
        match self.exit_code {
            Some(code) => ExitCode::from(u8::try_from(code.clamp(0, 255)).unwrap_or(1)),
            None => ExitCode::SUCCESS,
        }
    }
}

impl fmt::Display for RunReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Detached: the ARN is the result. Otherwise the output was the result.
        if self.detached {
            writeln!(f, "{}", self.task)?;
        }
        Ok(())
    }
}

/// The container's output as it comes: its lines on stdout (control
/// characters escaped), or one JSON object per line with `--json`.
pub struct OutputPrinter {
    pub format: OutputFormat,
}

impl LineSink for OutputPrinter {
    fn lines(&mut self, lines: &[LogLine]) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        for line in lines {
            match self.format {
                OutputFormat::Json => writeln!(out, "{}", serde_json::to_string(line)?)?,
                _ => writeln!(out, "{}", escape_controls(&line.message))?,
            }
        }
        out.flush()?;
        Ok(())
    }
}
