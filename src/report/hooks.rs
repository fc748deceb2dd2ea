//! The hooks a command ran, as `up`, `down` and `prune` show them: a table
//! (its Markdown form is `report::markdown`'s), plus the error that ends the
//! command with exit 5 and carries a failed hook's last lines to stderr.

use std::fmt;

use crate::engine::hooks::{self, HookRun};
use crate::error::UserError;
use crate::ui::terminal_text::escape_controls;

/// The hooks table (nothing when no hook ran); a failed hook's last lines
/// are in the error ([`failure`]), on stderr.
pub(super) fn text(f: &mut fmt::Formatter<'_>, runs: &[HookRun]) -> fmt::Result {
    if runs.is_empty() {
        return Ok(());
    }
    let mut t = crate::ui::table::new(&["HOOK", "COMMAND", "TASK", "RESULT"]);
    for r in runs {
        t.add_row(vec![
            r.label(),
            escape_controls(&r.command.join(" ")),
            r.task.clone().unwrap_or_else(|| "-".into()),
            escape_controls(&r.result()),
        ]);
    }
    writeln!(f, "\n{t}")
}

/// The error a report with a failed hook ends with (exit 5).
pub(super) fn failure(runs: &[HookRun], what_happened: &str, hint: &str) -> Option<UserError> {
    hooks::failed(runs).map(|run| hooks::failure(run, what_happened, hint))
}
