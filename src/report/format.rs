//! The output formats a person picks with flags: `-o` for every report, and
//! the forms of `header` and `render`; and which verbs have a Markdown report.

use clap::ValueEnum;

use crate::error::UserError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    /// The table with every column (ls)
    Wide,
    Json,
    /// A table and the header / link / curl lines for a PR comment (up, down, ls, status, check)
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HeaderFormat {
    /// `baggage: dynamic_route=VERSION`
    Header,
    /// `dynamic_route=VERSION`
    Value,
    /// A ready curl command per service
    Curl,
    /// A JSON object
    Json,
    /// The version host of each service: `{service}--VERSION.{domain}`
    Host,
    /// The link that sets the browser cookie, per service host
    Link,
    /// `Cookie: dynamic_route=VERSION`
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    Json,
    Yaml,
}

/// How `labels` prints them: JSON (ECS and CDK `dockerLabels`), YAML
/// (CloudFormation `DockerLabels`) or HCL (Terraform `docker_labels`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LabelsFormat {
    Json,
    Yaml,
    Hcl,
}

/// The verbs whose report has a Markdown form (`-o markdown`, the job summary).
pub const MARKDOWN_VERBS: [&str; 5] = ["up", "down", "ls", "status", "check"];

/// The verbs whose table has a wide form (`-o wide`).
pub const WIDE_VERBS: [&str; 1] = ["ls"];

/// The verbs whose Markdown report is appended to `GITHUB_STEP_SUMMARY`
pub const JOB_SUMMARY_VERBS: [&str; 3] = ["up", "down", "check"];

/// Refuses `-o markdown` or `-o wide` for a verb without that form, before it runs.
pub fn check_output(format: OutputFormat, verb: &str) -> Result<(), UserError> {
    let (name, verbs): (&str, &[&str]) = match format {
        OutputFormat::Markdown => ("markdown", &MARKDOWN_VERBS),
        OutputFormat::Wide => ("wide", &WIDE_VERBS),
        OutputFormat::Table | OutputFormat::Json => return Ok(()),
    };
    if verbs.contains(&verb) {
        return Ok(());
    }
    let what = match format {
        OutputFormat::Wide => "wide table",
        _ => "markdown report",
    };
    Err(
        UserError::usage(format!("-o {name}: `{verb}` has no {what}")).hint(format!(
            "{name} is available for {}; use -o table or -o json",
            verbs.join(", ")
        )),
    )
}
