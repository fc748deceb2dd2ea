//! `traefik-config`'s report: the static configuration that enables the entry
//! middleware, and the files written for it.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::Report;

/// The result of `traefik-config`. JSON has every part; text the one asked for.
#[derive(Debug, Clone, Serialize)]
pub struct TraefikConfigReport {
    pub flags: Vec<String>,
    pub dynamic: String,
    pub plugin_module: &'static str,
    pub written: Vec<PathBuf>,
    /// The configuration in the format asked for.
    #[serde(skip)]
    pub text: String,
}

impl Report for TraefikConfigReport {}

impl fmt::Display for TraefikConfigReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
