//! `serve`'s report, printed when it stops: where it listened, what it served.

use std::fmt;

use serde::Serialize;

use super::Report;

/// The result of `serve` (after Ctrl-C).
#[derive(Debug, Clone, Serialize)]
pub struct ServeReport {
    pub listen: String,
    /// Requests served, all routes.
    pub requests: u64,
    /// Live versions in the last snapshot.
    pub versions: usize,
}

impl Report for ServeReport {}

impl fmt::Display for ServeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "served {} requests on {} ({} live versions at the end)",
            self.requests, self.listen, self.versions
        )
    }
}
