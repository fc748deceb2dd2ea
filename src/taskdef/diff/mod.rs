//! Comparing two task definitions the way a person means "did it change":
//! [`normalise`] removes what ECS adds or dynroute stamps per deployment (the
//! `taskDefinition` wrapper, read-only fields, defaults ECS fills in, the
//! timestamp tags) and puts lists whose order does not matter in a fixed order;
//! [`unified`] and [`changed_paths`] then show what is left.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::naming::tags;

mod identity;
pub use identity::without_identity;

/// Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not take.
use crate::taskdef::output_only_fields;

/// Tags whose value changes with every `up` of the same template.
const PER_DEPLOYMENT_TAGS: &[&str] = &[
    tags::CREATED_AT,
    tags::UPDATED_AT,
    tags::EXPIRES_AT,
    tags::TASK_DEFINITION,
    tags::GIT_SHA,
    tags::CI_URL,
];

/// A tag whose value changes with every `up` of the same template (left out
/// of comparisons).
pub fn is_per_deployment_tag(key: &str) -> bool {
    PER_DEPLOYMENT_TAGS.contains(&key)
}

/// The SHA-256 (hex) of a task definition's comparable form: two renders
/// with the same digest register the same definition.
pub fn digest(td: &Value) -> String {
    use sha2::{Digest, Sha256};
    let text = serde_json::to_string(&normalise(td)).expect("a JSON value serializes");
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The comparable form of a task definition (request or describe output).
pub fn normalise(td: &Value) -> Value {
    let mut td = match td.get("taskDefinition") {
        Some(inner) if inner.is_object() => {
            let mut inner = inner.clone();
            if let (Some(tags), Some(obj)) = (td.get("tags"), inner.as_object_mut()) {
                obj.entry("tags").or_insert_with(|| tags.clone());
            }
            inner
        }
        _ => td.clone(),
    };
    let awsvpc = td.get("networkMode").and_then(Value::as_str) == Some("awsvpc");
    if let Some(obj) = td.as_object_mut() {
        for field in output_only_fields() {
            obj.remove(field);
        }
        task_defaults(obj);
        if let Some(Value::Array(tags)) = obj.get_mut("tags") {
            tags.retain(|t| {
                t.get("key")
                    .and_then(Value::as_str)
                    .is_none_or(|k| !is_per_deployment_tag(k))
            });
        }
        if let Some(Value::Array(containers)) = obj.get_mut("containerDefinitions") {
            for c in containers.iter_mut() {
                container_defaults(c, awsvpc);
            }
        }
    }
    canonical(td, "")
}

/// What ECS answers for a task definition that left these out: no role (an
/// empty ARN), bridge networking on Linux EC2 (no `networkMode` in the
/// answer), fault injection off.
fn task_defaults(obj: &mut Map<String, Value>) {
    obj.retain(|_, v| v.as_str() != Some(""));
    if obj.get("networkMode").and_then(Value::as_str) == Some("bridge") {
        obj.remove("networkMode");
    }
    if obj.get("enableFaultInjection") == Some(&Value::Bool(false)) {
        obj.remove("enableFaultInjection");
    }
}

/// Values ECS fills in when a container leaves them out.
fn container_defaults(c: &mut Value, awsvpc: bool) {
    let Some(obj) = c.as_object_mut() else { return };
    if obj.get("essential") == Some(&Value::Bool(true)) {
        obj.remove("essential");
    }
    if obj.get("cpu").and_then(Value::as_i64) == Some(0) {
        obj.remove("cpu");
    }
    if let Some(Value::Array(ports)) = obj.get_mut("portMappings") {
        for p in ports.iter_mut().filter_map(Value::as_object_mut) {
            if p.get("protocol").and_then(Value::as_str) == Some("tcp") {
                p.remove("protocol");
            }
            let host = p.get("hostPort");
            // awsvpc: the host port is the container port; bridge: 0 is "any".
            if awsvpc && host.is_some() && host == p.get("containerPort")
                || !awsvpc && host.and_then(Value::as_i64) == Some(0)
            {
                p.remove("hostPort");
            }
        }
    }
}

/// Keys sorted, empty lists/objects and nulls dropped, and the lists whose
/// order ECS does not keep (`environment`, `secrets`, `tags`, containers)
/// sorted by their name.
pub(crate) fn canonical(v: Value, key: &str) -> Value {
    match v {
        Value::Object(obj) => {
            let sorted: BTreeMap<String, Value> = obj
                .into_iter()
                .map(|(k, v)| {
                    let v = canonical(v, &k);
                    (k, v)
                })
                .filter(|(_, v)| !is_empty(v))
                .collect();
            Value::Object(sorted.into_iter().collect::<Map<_, _>>())
        }
        Value::Array(items) => {
            let mut items: Vec<Value> = items.into_iter().map(|v| canonical(v, "")).collect();
            if matches!(
                key,
                "environment" | "secrets" | "tags" | "containerDefinitions" | "volumes"
            ) {
                items.sort_by_key(|i| name_of(i).unwrap_or_default().to_owned());
            }
            Value::Array(items)
        }
        other => other,
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn name_of(v: &Value) -> Option<&str> {
    v.get("name")
        .or_else(|| v.get("key"))
        .and_then(Value::as_str)
}

/// The most time spent finding the shortest line diff of one service.
const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);

/// A unified diff of two normalised task definitions; empty when they are equal.
pub fn unified(old: &Value, new: &Value, old_label: &str, new_label: &str) -> String {
    let old = pretty(old);
    let new = pretty(new);
    if old == new {
        return String::new();
    }
    // Patience anchors on lines that occur once (most of a task definition),
    // and the deadline bounds the rest: a huge difference costs at most about a
    // second, and the diff is still correct, if not the shortest.
    similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .timeout(DIFF_TIMEOUT)
        .diff_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string()
}

fn pretty(v: &Value) -> String {
    let mut text = serde_json::to_string_pretty(v).expect("a JSON value serialises");
    text.push('\n');
    text
}

/// The paths that differ (`containerDefinitions[api].image`), in order.
pub fn changed_paths(old: &Value, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(old, new, String::new(), &mut out);
    out
}

fn walk(old: &Value, new: &Value, path: String, out: &mut Vec<String>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => walk(x, y, child, out),
                    _ => out.push(child),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let label = name_of(x)
                    .filter(|n| name_of(y) == Some(*n))
                    .map_or_else(|| i.to_string(), str::to_owned);
                walk(x, y, format!("{path}[{label}]"), out);
            }
        }
        (a, b) if a == b => {}
        _ => out.push(path),
    }
}

#[cfg(test)]
mod described_tests;
#[cfg(test)]
mod tests;

/// One service's rendered definition next to what it is compared with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Comparison {
    /// Nothing to compare with: the service is not deployed (`up` would create it).
    NotDeployed { ecs_service: String },
    /// Equal once normalised.
    Same { against: String },
    /// Different: the unified diff and the changed paths.
    Changed {
        against: String,
        changed_paths: Vec<String>,
        #[serde(skip)]
        unified: String,
    },
}

impl Comparison {
    /// `old` (describe output or request form, labelled `against`) next to `new`;
    /// `identity: false` leaves out what names the version ([`without_identity`]).
    pub fn of(old: &Value, new: &Value, against: &str, new_label: &str, identity: bool) -> Self {
        let (mut old, mut new) = (normalise(old), normalise(new));
        if !identity {
            old = without_identity(&old);
            new = without_identity(&new);
        }
        let changed_paths = changed_paths(&old, &new);
        if changed_paths.is_empty() {
            return Comparison::Same {
                against: against.to_owned(),
            };
        }
        Comparison::Changed {
            against: against.to_owned(),
            unified: unified(&old, &new, against, new_label),
            changed_paths,
        }
    }

    /// There is something `up` would change.
    pub fn differs(&self) -> bool {
        !matches!(self, Comparison::Same { .. })
    }
}

/// The task definitions of a `--against-file` file: one object (request form
/// or describe output) or a list of them (`render` of several services).
pub fn file_documents(source: &str, text: &str) -> Result<Vec<Value>, crate::error::UserError> {
    let hint = "pass `dynroute render` output or `aws ecs describe-task-definition` output (JSON)";
    let value: Value = serde_json::from_str(text).map_err(|e| {
        crate::error::UserError::usage(format!(
            "{source}:{}:{}: not JSON: {e}",
            e.line(),
            e.column()
        ))
        .hint(hint)
    })?;
    let items = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for (i, item) in items.iter().enumerate() {
        let td = item.get("taskDefinition").unwrap_or(item);
        if !td.get("containerDefinitions").is_some_and(Value::is_array) {
            return Err(crate::error::UserError::usage(format!(
                "{source}: item {} is not a task definition: it has no `containerDefinitions` list",
                i + 1
            ))
            .hint(hint));
        }
    }
    Ok(items)
}

/// The family of a task definition (request form or describe output).
pub fn family_of(td: &Value) -> Option<&str> {
    td.get("taskDefinition")
        .unwrap_or(td)
        .get("family")
        .and_then(Value::as_str)
}
