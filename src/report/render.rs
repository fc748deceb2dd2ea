//! `render`'s report: the exact RegisterTaskDefinition input(s) `up` sends.

use std::fmt;

use serde::Serialize;

use super::Report;
use super::format::RenderFormat;
use crate::taskdef::TaskDefinition;

/// The result of `render`. One service: the object itself, ready for
/// `aws ecs register-task-definition --cli-input-json`; several: a list.
#[derive(Debug, Clone)]
pub struct RenderReport {
    pub definitions: Vec<TaskDefinition>,
    pub format: RenderFormat,
}

impl Serialize for RenderReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.definitions.as_slice() {
            [one] => one.serialize(s),
            many => many.serialize(s),
        }
    }
}

impl Report for RenderReport {}

impl fmt::Display for RenderReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            RenderFormat::Json => writeln!(
                f,
                "{}",
                serde_json::to_string_pretty(self).map_err(|_| fmt::Error)?
            ),
            RenderFormat::Yaml => {
                for (i, td) in self.definitions.iter().enumerate() {
                    if i > 0 {
                        writeln!(f, "---")?;
                    }
                    write!(f, "{}", serde_yaml::to_string(td).map_err(|_| fmt::Error)?)?;
                }
                Ok(())
            }
        }
    }
}
