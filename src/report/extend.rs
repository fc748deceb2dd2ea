//! `extend`'s report: the version's new expiry and the services tagged.

use std::fmt;

use serde::Serialize;

use super::Report;
use crate::naming::Version;

/// The result of `extend`.
#[derive(Debug, Clone, Serialize)]
pub struct ExtendReport {
    pub version: Version,
    /// RFC 3339 or `never`.
    pub expires_at: String,
    /// The ECS services whose expiry tag changed (none for a protected version).
    pub services: Vec<String>,
    pub protected: bool,
}

impl Report for ExtendReport {}

/// A protected version is said on stderr; stdout names what changed.
impl fmt::Display for ExtendReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.protected {
            return Ok(());
        }
        let when = match self.expires_at.as_str() {
            "never" => "never expires".to_owned(),
            at => format!("expires at {at}"),
        };
        writeln!(f, "{}: {when} ({})", self.version, self.services.join(", "))
    }
}
