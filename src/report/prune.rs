//! `prune`'s report: the expired versions, removed or (dry run) to remove.

use std::fmt;

use serde::Serialize;

use super::Report;
use crate::engine::activity::idle::Idle;
use crate::engine::hooks::HookRun;
use crate::engine::removal::Removed;
use crate::naming::Version;

/// The result of `prune`.
#[derive(Debug, Clone, Serialize)]
pub struct PruneReport {
    pub dry_run: bool,
    pub versions: Vec<Version>,
    /// The versions among `versions` removed for having no request (`--idle`), and why.
    pub idle: Vec<IdleVersion>,
    /// Removed services whose `after_down` hooks had failed and ran again.
    pub retried: Vec<String>,
    pub removed: Vec<Removed>,
    /// The `after_down` hooks that ran, in order.
    pub hooks: Vec<HookRun>,
    /// `--no-hooks` left out hooks that would have run.
    pub hooks_skipped: bool,
    /// Revisions kept with `dynroute:cleanup-pending` because a hook failed.
    pub cleanup_pending: Vec<String>,
}

/// A version `--idle` removes: its last request, or its deployment.
#[derive(Debug, Clone, Serialize)]
pub struct IdleVersion {
    pub version: Version,
    #[serde(flatten)]
    pub why: Idle,
}

impl Report for PruneReport {
    fn failure(&self) -> Option<crate::error::UserError> {
        super::hooks::failure(
            &self.hooks,
            "the services are gone; the revision it ran from is kept with dynroute:cleanup-pending",
            "fix the hook; the next `dynroute prune` runs it again",
        )
    }
}

impl fmt::Display for PruneReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "would remove"
        } else {
            "removed"
        };
        for v in &self.versions {
            match self.idle.iter().find(|i| &i.version == v) {
                Some(idle) => writeln!(f, "{verb} {v} (idle: {})", idle.why.describe())?,
                None => writeln!(f, "{verb} {v} (expired)")?,
            }
        }
        let retry = if self.dry_run {
            "would run the after_down hooks again for"
        } else {
            "ran the after_down hooks again for"
        };
        for family in &self.retried {
            writeln!(f, "{retry} {family}")?;
        }
        super::hooks::text(f, &self.hooks)
    }
}
