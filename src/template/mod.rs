//! The template engine: minijinja with strict undefined variables.
//!
//! Templates are rendered as text, then parsed as YAML by [`crate::taskdef`], so
//! line numbers in both kinds of error point into the file the user wrote.
//! Every `{{ … }}` output is written as a [`crate::template::placeholders`] token: the
//! template's own text decides the structure, values only fill strings.
//! Evaluation is bounded (instructions, size of one value, size of the output).

pub mod placeholders;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use crate::error::UserError;
use crate::naming::{ServiceName, Version};

/// Instructions one render may execute: far above any real task definition,
/// low enough that nested loops end in well under a second.
pub const FUEL: u64 = 2_000_000;
/// The largest rendered template: ECS accepts at most 64 KiB of task definition.
pub const MAX_OUTPUT_BYTES: usize = 1024 * 1024;

/// Looks up an environment variable for `env()` / `must_env()`.
pub type EnvLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// The process environment as an [`EnvLookup`].
pub fn process_env() -> EnvLookup {
    Arc::new(|name| std::env::var(name).ok())
}

/// `inner` with every value changed but kept the same shape: letters move one
/// place on (`a`→`b`, `z`→`a`), digits too when `digits` (`9`→`0`). A value
/// that renders differently under it came from the environment.
pub fn shifted_env(inner: EnvLookup, digits: bool) -> EnvLookup {
    Arc::new(move |name| {
        inner(name).map(|value| {
            value
                .chars()
                .map(|c| match c {
                    'a'..='y' | 'A'..='Y' => char::from(c as u8 + 1),
                    'z' => 'a',
                    'Z' => 'A',
                    '0'..='8' if digits => char::from(c as u8 + 1),
                    '9' if digits => '0',
                    other => other,
                })
                .collect()
        })
    })
}

/// `git.sha` and `git.branch`: empty strings when unknown.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GitVars {
    pub sha: String,
    pub branch: String,
}

/// Everything a template can refer to.
#[derive(Debug, Clone, Serialize)]
pub struct TemplateVars {
    pub version: Version,
    /// The version as an SQL / identifier-safe name ([`Version::id`]).
    pub version_id: String,
    /// The project (`dynroute:project`).
    pub project: String,
    pub service: ServiceName,
    pub cluster: String,
    pub image_tag: String,
    pub git: GitVars,
    pub owner: String,
    pub vars: BTreeMap<String, serde_yaml::Value>,
}

/// Renders `source` (read from `path`) with `vars`.
pub fn render(
    path: &Path,
    source: &str,
    vars: &TemplateVars,
    env_lookup: EnvLookup,
) -> Result<String, UserError> {
    let name = path.display().to_string();
    if let Some(line) = placeholders::line_with_token_chars(source) {
        return Err(UserError::usage(format!(
            "{name}:{line}: the template contains the private-use characters U+E000/U+E001, which dynroute reserves"
        )));
    }
    if let Some((line, what)) = accumulating_construct(source) {
        return Err(UserError::usage(format!(
            "{name}:{line}: `{what}` is not available in task definition templates"
        ))
        .hint("templates may use expressions, filters, conditions and loops; a macro that calls itself or a namespace() updated in a loop can double a string until memory runs out, and no instruction budget stops that"));
    }
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_fuel(Some(FUEL));
    // A `.json` template must not get JSON auto-escaping: the output is parsed, not served.
    env.set_auto_escape_callback(|_| AutoEscape::None);
    env.set_formatter(|out, _state, value| {
        let text = match value.is_true() {
            _ if value.kind() != minijinja::value::ValueKind::Bool => value.to_string(),
            true => "true".to_owned(),
            false => "false".to_owned(),
        };
        if text.len() > MAX_OUTPUT_BYTES {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!(
                    "a value of {} bytes is larger than the {MAX_OUTPUT_BYTES}-byte limit of a rendered template",
                    text.len()
                ),
            ));
        }
        out.write_str(&placeholders::encode(&text))
            .map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write template output"))
    });

    let lookup = env_lookup.clone();
    env.add_function("env", move |name: String, default: Option<String>| {
        Ok::<_, Error>(lookup(&name).or(default).unwrap_or_default())
    });
    env.add_function("must_env", move |name: String| {
        env_lookup(&name).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOperation,
                format!("must_env(\"{name}\"): environment variable {name} is not set"),
            )
        })
    });

    let result = env
        .template_from_named_str(&name, source)
        .and_then(|template| template.render(Value::from(Serde(vars))));
    let rendered = result.map_err(|err| template_error(&name, source, &err, vars))?;
    if rendered.len() > MAX_OUTPUT_BYTES {
        return Err(UserError::usage(format!(
            "{name}: the rendered template is {} bytes, over the {MAX_OUTPUT_BYTES}-byte limit",
            rendered.len()
        ))
        .hint("a loop in the template probably repeats more than intended"));
    }
    Ok(rendered)
}

/// The first construct that can carry a value from one step of a loop or a
/// recursion to the next (`{% macro %}`, `{% call %}`, `namespace()`), with its
/// line. Without them a `{% set %}` in a loop is scoped to one iteration, so a
/// template's values can only grow as far as the instruction budget lets it
/// print; with them `s ~ s` doubles a string per step, which fuel does not see.
fn accumulating_construct(source: &str) -> Option<(usize, &'static str)> {
    let mut in_raw = false;
    for (i, line) in source.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{%") {
            let tag = rest[start + 2..]
                .trim_start_matches(['-', '+'])
                .trim_start();
            let word: String = tag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            match word.as_str() {
                "raw" => in_raw = true,
                "endraw" => in_raw = false,
                "macro" if !in_raw => return Some((i + 1, "{% macro %}")),
                "call" if !in_raw => return Some((i + 1, "{% call %}")),
                _ => {}
            }
            rest = &rest[start + 2..];
        }
        if !in_raw && line.contains("namespace(") {
            return Some((i + 1, "namespace()"));
        }
    }
    None
}

/// The first line with text that is Docker's or the shell's own syntax, not a
/// placeholder: `{{.Name}}` / `{{ .ID }}` (Go templates in log options),
/// `${#VAR}` (shell string length), `{%s}` (printf).
fn docker_syntax_line(source: &str) -> Option<usize> {
    let go_template = |l: &str| l.contains("{{.") || l.contains("{{ .") || l.contains("{{- .");
    let shell_length = |l: &str| l.contains("${#");
    let printf = |l: &str| {
        l.match_indices("{%").any(|(i, _)| {
            !matches!(
                l[i + 2..].chars().next(),
                Some(' ' | '-' | '+' | '\t') | None
            )
        })
    };
    source
        .lines()
        .position(|l| go_template(l) || shell_length(l) || printf(l))
        .map(|i| i + 1)
}

fn template_error(name: &str, source: &str, err: &Error, vars: &TemplateVars) -> UserError {
    let mut line = err.line().unwrap_or(0);
    let docker_line = docker_syntax_line(source)
        .filter(|l| err.kind() == ErrorKind::SyntaxError && (*l <= line || line == 0));
    if let Some(docker_line) = docker_line {
        line = docker_line;
    }
    let what = match err.detail() {
        Some(detail) => format!("{}: {detail}", err.kind()),
        None => err.kind().to_string(),
    };
    let snippet = source
        .lines()
        .nth(line.saturating_sub(1))
        .map(|l| format!("\n  {line} | {}", l.trim_end()))
        .unwrap_or_default();
    let error = UserError::usage(format!("{name}:{line}: template error: {what}{snippet}"));
    if docker_line.is_some() {
        return error.hint(
            "this looks like Docker's or the shell's own `{{ }}`, `{% %}` or `{# #}` syntax: wrap it in {% raw %}…{% endraw %} so dynroute leaves it as written",
        );
    }
    match err.kind() {
        ErrorKind::UndefinedError => {
            let mut known: Vec<String> = [
                "version",
                "version_id",
                "project",
                "service",
                "cluster",
                "image_tag",
                "git.sha",
                "git.branch",
                "owner",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            known.extend(vars.vars.keys().map(|k| format!("vars.{k}")));
            error.hint(format!(
                "defined variables: {}; set service vars in dynroute.yaml or with --set key=value",
                known.join(", ")
            ))
        }
        ErrorKind::InvalidOperation if what.contains("must_env") => {
            error.hint("export the variable before running dynroute")
        }
        ErrorKind::OutOfFuel => error.hint(format!(
            "templates may run at most {FUEL} instructions; a loop probably repeats more than intended"
        )),
        _ => error,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod limit_tests;

#[cfg(test)]
mod docker_tests;
