//! `prune`'s report: the expired versions, removed or (dry run) to remove.

use std::fmt;

use serde::Serialize;

use super::Report;
use crate::engine::removal::Removed;
use crate::naming::Version;

/// The result of `prune`.
#[derive(Debug, Clone, Serialize)]
pub struct PruneReport {
    pub dry_run: bool,
    pub versions: Vec<Version>,
    pub removed: Vec<Removed>,
}

impl Report for PruneReport {}

impl fmt::Display for PruneReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "would remove"
        } else {
            "removed"
        };
        for v in &self.versions {
            writeln!(f, "{verb} {v}")?;
        }
        Ok(())
    }
}
