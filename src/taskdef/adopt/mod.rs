//! Adopting an existing task definition as a dynroute template.
//!
//! Teams already have task definitions; `init --from-task-definition` turns one
//! into a template instead of asking them to retype it. It accepts the
//! RegisterTaskDefinition input as well as `aws ecs describe-task-definition`
//! output pasted whole, drops what ECS fills in on registration, removes what
//! dynroute injects, and templates the routed container's image tag. Pure: the
//! caller reads the file and writes the result.

use serde_json::{Map, Value};

use crate::error::UserError;
use crate::taskdef::TaskDefinition;

/// A task definition ready to become a template, plus what was changed.
#[derive(Debug, Clone)]
pub struct Adopted {
    pub task_definition: TaskDefinition,
    /// The family it had (a hint for the service name).
    pub family: Option<String>,
    /// One line per change made, for the person running `init`.
    pub notes: Vec<String>,
}

fn not_a_task_definition(source: &str, why: &str) -> UserError {
    UserError::usage(format!("{source} is not a task definition: {why}")).hint(
        "pass a RegisterTaskDefinition input or the output of `aws ecs describe-task-definition --include TAGS`",
    )
}

/// Parses JSON (or YAML) text as a task definition.
pub fn parse(source: &str, text: &str) -> Result<Adopted, UserError> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(json_err) => {
            let path = std::path::Path::new(source);
            crate::files::check_depth(path, text)?;
            crate::files::check_aliases(path, text)?;
            serde_yaml::from_str(text).map_err(|_| {
                not_a_task_definition(
                    source,
                    &format!(
                        "not JSON (line {}, column {}: {json_err})",
                        json_err.line(),
                        json_err.column()
                    ),
                )
            })?
        }
    };
    let Value::Object(mut top) = value else {
        return Err(not_a_task_definition(source, "expected a JSON object"));
    };
    let mut notes = Vec::new();
    // describe-task-definition output: {"taskDefinition": {...}, "tags": [...]}
    let described = top.get("taskDefinition").is_some();
    let mut td = match top.remove("taskDefinition") {
        Some(Value::Object(inner)) => {
            notes.push("unwrapped the `taskDefinition` of describe-task-definition output".into());
            let mut inner = inner;
            if let Some(tags) = top.remove("tags").filter(|t| !is_empty(t)) {
                inner.entry("tags").or_insert(tags);
            }
            inner
        }
        Some(_) => {
            return Err(not_a_task_definition(
                source,
                "`taskDefinition` is not an object",
            ));
        }
        None => top,
    };
    match td.get("containerDefinitions") {
        Some(Value::Array(list)) if !list.is_empty() => {}
        Some(_) => {
            return Err(not_a_task_definition(
                source,
                "`containerDefinitions` is empty",
            ));
        }
        None => {
            return Err(not_a_task_definition(
                source,
                "it has no `containerDefinitions`",
            ));
        }
    }
    if described {
        let empty = drop_empty(&mut td);
        if empty > 0 {
            notes.push(format!(
                "dropped {empty} empty fields describe-task-definition lists (an empty list or object is the same as none)"
            ));
        }
    }
    let dropped: Vec<&str> = crate::taskdef::output_only_fields()
        .filter(|k| td.remove(*k).is_some())
        .collect();
    if !dropped.is_empty() {
        notes.push(format!(
            "dropped read-only fields ECS sets on registration: {}",
            dropped.join(", ")
        ));
    }
    let family = td
        .remove("family")
        .and_then(|f| f.as_str().map(str::to_owned));
    if let Some(f) = &family {
        notes.push(format!(
            "removed `family: {f}`: dynroute names it `{{service}}--{{version}}`"
        ));
    }
    strip_injected(&mut td, &mut notes);
    let task_definition: TaskDefinition = serde_json::from_value(Value::Object(td))
        .map_err(|err| not_a_task_definition(source, &err.to_string()))?;
    Ok(Adopted {
        task_definition,
        family,
        notes,
    })
}

/// Removes empty lists, empty objects and nulls at any depth; returns how many.
fn drop_empty(obj: &mut Map<String, Value>) -> usize {
    let mut dropped = 0;
    for value in obj.values_mut() {
        match value {
            Value::Object(inner) => dropped += drop_empty(inner),
            Value::Array(items) => {
                for item in items.iter_mut() {
                    if let Value::Object(inner) = item {
                        dropped += drop_empty(inner);
                    }
                }
            }
            _ => {}
        }
    }
    let before = obj.len();
    obj.retain(|_, v| match v {
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    });
    dropped + before - obj.len()
}

fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Array(a) if a.is_empty())
}

/// Removes what dynroute itself adds (when adopting a dynroute-registered revision)
/// and AWS-reserved tags.
fn strip_injected(td: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let mut removed = Vec::new();
    if let Some(Value::Array(tags)) = td.get_mut("tags") {
        tags.retain(|t| {
            let key = t["key"].as_str().unwrap_or_default();
            let keep = !key.starts_with("dynroute:") && !key.starts_with("aws:");
            if !keep {
                removed.push(format!("tag {key}"));
            }
            keep
        });
        if tags.is_empty() {
            td.remove("tags");
        }
    }
    if let Some(Value::Array(containers)) = td.get_mut("containerDefinitions") {
        for c in containers.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(Value::Object(labels)) = c.get_mut("dockerLabels") {
                labels.retain(|k, _| {
                    let keep = !k.starts_with("traefik.") && !k.starts_with("dynroute.");
                    if !keep {
                        removed.push(format!("docker label {k}"));
                    }
                    keep
                });
            }
            if let Some(Value::Array(env)) = c.get_mut("environment") {
                env.retain(|e| {
                    let keep = e["name"] != crate::taskdef::model::VERSION_ENV;
                    if !keep {
                        removed.push(format!(
                            "environment {}",
                            crate::taskdef::model::VERSION_ENV
                        ));
                    }
                    keep
                });
            }
        }
    }
    if !removed.is_empty() {
        removed.dedup();
        notes.push(format!(
            "removed what dynroute sets itself: {}",
            removed.join(", ")
        ));
    }
}

/// Containers with a container port, as `(container, port)`: where traffic can go.
pub fn routable(td: &TaskDefinition) -> Vec<(String, u16)> {
    td.container_definitions
        .iter()
        .flat_map(|c| {
            c.port_mappings
                .iter()
                .flatten()
                .filter_map(|m| m.container_port.and_then(|p| u16::try_from(p).ok()))
                .map(|p| (c.name.clone(), p))
        })
        .collect()
}

/// `repo:tag` → (`repo`, `tag`); `None` for a digest or an untagged image.
pub fn split_tag(image: &str) -> Option<(&str, &str)> {
    if image.contains('@') {
        return None;
    }
    let (repo, tag) = image.rsplit_once(':')?;
    // `host:5000/repo` has a colon in the registry, not a tag.
    (!tag.contains('/')).then_some((repo, tag))
}

/// Replaces the image tag of `container` with `{{ image_tag }}`; returns the
/// tag it had, or a note when it has none to replace.
pub fn template_image_tag(td: &mut TaskDefinition, container: &str) -> Result<String, String> {
    let c = td
        .container_definitions
        .iter_mut()
        .find(|c| c.name == container)
        .ok_or_else(|| format!("no container named `{container}`"))?;
    match split_tag(&c.image) {
        Some((repo, tag)) => {
            let tag = tag.to_owned();
            c.image = format!("{repo}:{{{{ image_tag }}}}");
            Ok(tag)
        }
        None => Err(format!(
            "the image of `{container}` ({}) has no tag to template; it stays as it is",
            c.image
        )),
    }
}

/// Whether any string in the task definition would be read as template syntax.
pub fn has_template_syntax(td: &TaskDefinition) -> bool {
    serde_json::to_string(td)
        .map(|s| s.contains("{{") || s.contains("{%") || s.contains("{#"))
        .unwrap_or(false)
}

/// The template file's text.
pub fn template_text(td: &TaskDefinition, service: &str, source: &str) -> String {
    let body = serde_yaml::to_string(td).expect("a task definition serializes");
    // The source names a file or an ARN: one comment line whatever it holds.
    let source: String = source
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!(
        "# Task definition template for `{service}`, adopted from {source}.\n\
         # dynroute sets `family`, the Traefik labels, DYNROUTE_VERSION and its tags.\n{body}"
    )
}

#[cfg(test)]
mod tests;
