//! Terminal-aware output: messages on stderr, prompts, error reports.
//!
//! Results go to stdout; everything for the person watching goes to stderr and
//! degrades to plain lines without a terminal.

pub mod progress;
pub mod prompt;
pub mod table;
pub mod terminal_text;

use std::io::IsTerminal;
use std::process::ExitCode;

use console::style;

use crate::error::{ExitKind, classify};

/// How to talk to the person (or machine) running dynroute.
#[derive(Debug, Clone)]
pub struct Ui {
    /// Prompts are allowed (a terminal, no `--no-input`, not CI).
    pub interactive: bool,
    pub quiet: bool,
    pub verbose: u8,
}

impl Ui {
    /// A progress or status message on stderr (hidden with `-q`).
    pub fn info(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            eprintln!("{}", terminal_text::escape_controls(&message.to_string()));
        }
    }

    /// Detail for `-v`: what dynroute reads and writes.
    pub fn detail(&self, message: impl std::fmt::Display) {
        if self.verbose > 0 && !self.quiet {
            let message = terminal_text::escape_controls(&message.to_string());
            eprintln!("{} {message}", style("·").dim());
        }
    }

    /// A warning on stderr (shown even with `-q`).
    pub fn warn(&self, message: impl std::fmt::Display) {
        let message = terminal_text::escape_controls(&message.to_string());
        eprintln!("{} {message}", style("warning:").yellow().bold());
    }
}

/// Colour on stderr/stdout unless `--no-color`, `NO_COLOR`, or no terminal.
pub fn color_enabled(no_color: bool) -> bool {
    let enabled = !no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal();
    console::set_colors_enabled(enabled && std::io::stdout().is_terminal());
    console::set_colors_enabled_stderr(enabled);
    enabled
}

/// A command line clap could not parse. A value one of dynroute's value
/// parsers refused is printed as dynroute's own error (message and hint, exit 2);
/// anything else (an unknown flag, `--help`, `--version`) as clap prints it.
pub fn report_parse_error(err: clap::Error) -> ExitCode {
    use std::error::Error as _;
    let refused = err
        .source()
        .and_then(|source| source.downcast_ref::<crate::error::UserError>());
    match refused {
        Some(user) if err.kind() == clap::error::ErrorKind::ValueValidation => {
            color_enabled(false);
            let mut copy = crate::error::UserError::new(user.kind, user.message.clone());
            copy.hint = user.hint.clone();
            report_error(&copy.into())
        }
        // A refused value is quoted by its first characters only.
        _ if err.kind() == clap::error::ErrorKind::InvalidValue
            || err.kind() == clap::error::ErrorKind::ValueValidation =>
        {
            let text = terminal_text::shorten_invalid_value(&err.render().to_string());
            eprint!("{text}");
            ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2))
        }
        _ => {
            let code = err.exit_code();
            let _ = err.print();
            ExitCode::from(u8::try_from(code).unwrap_or(2))
        }
    }
}

/// Prints `error: …` with the cause chain and a `hint:` line; returns the exit code.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    if err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        // `dynroute ls | head`: the reader went away; that is not a failure.
        return ExitCode::SUCCESS;
    }
    let (kind, hint) = classify(err);
    let message = crate::ui::terminal_text::escape_controls(&crate::error::chain_text(err));
    eprintln!("{} {message}", style("error:").red().bold());
    if let Some(hint) = hint {
        let hint = crate::ui::terminal_text::escape_controls(hint);
        eprintln!("{} {hint}", style("hint:").cyan().bold());
    }
    if kind == ExitKind::Interrupted && !message.contains("interrupted") {
        eprintln!("interrupted");
    }
    kind.into()
}
