//! `logs`' report: log lines interleaved by time, each with the service and
//! task that wrote it. Without `--follow` the lines are one report; with it,
//! each poll's new lines print as they come ([`print_lines`]), in the same form.

use std::fmt;
use std::io::Write;

use console::style;
use serde::Serialize;

use super::Report;
use super::format::OutputFormat;
use crate::naming::Version;

use crate::engine::logs::LineSink;
pub use crate::engine::logs::LogLine;

/// The result of `logs` (empty after `--follow`, whose lines were printed as they came).
#[derive(Debug, Clone, Serialize)]
pub struct LogsReport {
    pub version: Version,
    pub lines: Vec<LogLine>,
    #[serde(skip)]
    pub followed: bool,
}

impl Report for LogsReport {}

impl fmt::Display for LogsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

impl fmt::Display for LogLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = format!("{}/{}", self.service, self.task);
        write!(
            f,
            "{} {} {}",
            style(&self.timestamp).dim(),
            style(who).cyan(),
            crate::ui::terminal_text::escape_controls(&self.message)
        )
    }
}

/// Prints lines as `--follow` finds them: text lines, or one JSON object per
/// line with `--json` (JSON Lines, so a reader can act on each as it comes).
pub struct LinePrinter {
    pub format: OutputFormat,
}

impl LineSink for LinePrinter {
    fn lines(&mut self, lines: &[LogLine]) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        for line in lines {
            match self.format {
                OutputFormat::Json => writeln!(out, "{}", serde_json::to_string(line)?)?,
                _ => writeln!(out, "{line}")?,
            }
        }
        out.flush()?;
        Ok(())
    }
}
