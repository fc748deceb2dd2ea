//! `header`'s report: the baggage header in the format asked for.

use std::fmt;

use serde::Serialize;

use super::Report;
use super::format::HeaderFormat;
use crate::naming::Version;

/// The result of `header`. JSON is the object; text is the chosen format.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderReport {
    pub name: &'static str,
    pub value: String,
    pub key: String,
    pub version: Version,
    pub header: String,
    #[serde(skip)]
    pub format: HeaderFormat,
    /// The lines of `--format curl|cookie|host|link`.
    #[serde(skip)]
    pub lines: Vec<String>,
}

impl Report for HeaderReport {}

impl fmt::Display for HeaderReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            HeaderFormat::Header => writeln!(f, "{}", self.header),
            HeaderFormat::Value => writeln!(f, "{}", self.value),
            HeaderFormat::Json => writeln!(
                f,
                "{}",
                serde_json::to_string_pretty(self).map_err(|_| fmt::Error)?
            ),
            HeaderFormat::Curl | HeaderFormat::Cookie | HeaderFormat::Host | HeaderFormat::Link => {
                self.lines.iter().try_for_each(|l| writeln!(f, "{l}"))
            }
        }
    }
}
