//! `diff`'s report: per service, what `up` would change, as a unified diff on a
//! terminal (coloured) and as the changed paths in JSON.

use std::fmt;
use std::process::ExitCode;

use console::style;
use serde::Serialize;

use super::Report;
use crate::naming::Version;
use crate::taskdef::diff::Comparison;

/// The result of `diff`.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    pub version: Version,
    /// `deployed`, `main` or `file`.
    pub against: &'static str,
    /// Some service would change (or be created).
    pub differences: bool,
    pub services: Vec<ServiceDiffView>,
    /// `--exit-code`: differences end with exit 1.
    #[serde(skip)]
    pub exit_code: bool,
}

/// One service of a `diff`.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceDiffView {
    pub service: String,
    #[serde(flatten)]
    pub comparison: Comparison,
}

impl Report for DiffReport {
    fn exit_code(&self) -> ExitCode {
        if self.exit_code && self.differences {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

impl fmt::Display for DiffReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.services {
            match &s.comparison {
                Comparison::NotDeployed { ecs_service } => writeln!(
                    f,
                    "{}: {ecs_service} is not deployed; `up` would create it",
                    style(&s.service).bold()
                )?,
                Comparison::Same { against } => writeln!(
                    f,
                    "{}: no changes against {against}",
                    style(&s.service).bold()
                )?,
                Comparison::Changed {
                    against,
                    changed_paths,
                    unified,
                } => {
                    writeln!(
                        f,
                        "{}: {} changed against {against}",
                        style(&s.service).bold(),
                        plural(changed_paths.len(), "field")
                    )?;
                    for line in unified.lines() {
                        writeln!(f, "{}", coloured(line))?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Red removals, green additions, cyan hunks (plain without a terminal); the
/// file's own text never carries a terminal escape of its own.
fn coloured(line: &str) -> console::StyledObject<String> {
    let line = crate::ui::terminal_text::escape_controls(line);
    if line.starts_with("+++") || line.starts_with("---") {
        style(line).bold()
    } else if line.starts_with('+') {
        style(line).green()
    } else if line.starts_with('-') {
        style(line).red()
    } else if line.starts_with("@@") {
        style(line).cyan()
    } else {
        style(line)
    }
}
