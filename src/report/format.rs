//! The output formats a person picks with flags: `-o` for every report, and
//! the forms of `header` and `render`; and which verbs have a Markdown report.

use clap::ValueEnum;

use crate::error::UserError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
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

/// The verbs whose Markdown report is appended to `GITHUB_STEP_SUMMARY`
pub const JOB_SUMMARY_VERBS: [&str; 3] = ["up", "down", "check"];

/// Refuses `-o markdown` for a verb without a Markdown report, before it runs.
pub fn check_markdown(format: OutputFormat, verb: &str) -> Result<(), UserError> {
    if format != OutputFormat::Markdown || MARKDOWN_VERBS.contains(&verb) {
        return Ok(());
    }
    Err(
        UserError::usage(format!("-o markdown: `{verb}` has no markdown report")).hint(format!(
            "markdown is available for {}; use -o table or -o json",
            MARKDOWN_VERBS.join(", ")
        )),
    )
}
