//! `labels`' report: the Docker labels of a version's routed container, in the
//! form an infrastructure tool takes them.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::Report;
use super::format::LabelsFormat;

/// The labels of one routed container.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct LabelsReport {
    /// The JSON is the labels object itself: `dockerLabels` as ECS takes it.
    pub labels: BTreeMap<String, String>,
    #[serde(skip)]
    pub format: LabelsFormat,
}

impl Report for LabelsReport {}

/// An HCL string literal: escapes, and `${` / `%{` kept literal (Terraform
/// would interpolate them).
fn hcl_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl fmt::Display for LabelsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            LabelsFormat::Json => writeln!(
                f,
                "{}",
                serde_json::to_string_pretty(&self.labels).map_err(|_| fmt::Error)?
            ),
            LabelsFormat::Yaml => write!(
                f,
                "{}",
                serde_yaml::to_string(&self.labels).map_err(|_| fmt::Error)?
            ),
            LabelsFormat::Hcl => {
                writeln!(f, "{{")?;
                for (k, v) in &self.labels {
                    writeln!(f, "  {} = {}", hcl_string(k), hcl_string(v))?;
                }
                writeln!(f, "}}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(format: LabelsFormat) -> LabelsReport {
        LabelsReport {
            labels: [
                (
                    "traefik.http.routers.api--main.rule",
                    "Host(`api.dev.test`)",
                ),
                ("odd", "a \"quote\", a \\ and ${var} %{x}\n"),
            ]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
            format,
        }
    }

    #[test]
    fn every_format_prints_the_same_labels() {
        assert_eq!(
            report(LabelsFormat::Hcl).to_string(),
            "{\n  \"odd\" = \"a \\\"quote\\\", a \\\\ and $${var} %%{x}\\n\"\n  \"traefik.http.routers.api--main.rule\" = \"Host(`api.dev.test`)\"\n}\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&report(LabelsFormat::Json).to_string()).unwrap();
        assert_eq!(json["odd"], "a \"quote\", a \\ and ${var} %{x}\n");
        let yaml: BTreeMap<String, String> =
            serde_yaml::from_str(&report(LabelsFormat::Yaml).to_string()).unwrap();
        assert_eq!(yaml, report(LabelsFormat::Yaml).labels);
        // --json prints the labels object itself.
        assert_eq!(
            serde_json::to_value(report(LabelsFormat::Hcl)).unwrap(),
            json
        );
    }
}
