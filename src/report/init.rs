//! `init`'s report: the files it wrote (the next steps go to stderr).

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use super::Report;

/// The result of `init`.
#[derive(Debug, Clone, Serialize)]
pub struct InitReport {
    pub config: PathBuf,
    pub template: PathBuf,
}

impl Report for InitReport {}

/// The files are named on stderr with the next steps; stdout stays clean.
impl fmt::Display for InitReport {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        Ok(())
    }
}
