//! What makes a task definition one version's rather than another's, all of it
//! written by dynroute: the family, the routing labels, `DYNROUTE_VERSION`, the
//! version's OpenTelemetry resource attributes and the `dynroute:*` tags.
//! Comparing a version with main (`diff --against main`) leaves these out, so
//! what remains is what the templates and the release inputs change.

use serde_json::Value;

use super::canonical;
use crate::taskdef::model::{RESOURCE_ATTRIBUTES_ENV, VERSION_ENV};

/// Label prefixes dynroute owns (routing and identity).
const OWN_LABELS: &[&str] = &["traefik.", "dynroute."];
/// Resource attributes dynroute sets per version.
const OWN_ATTRIBUTES: &[&str] = &["service.version", "dynroute.version"];

/// `td` (normalised) without the fields that name its version.
pub fn without_identity(td: &Value) -> Value {
    let mut td = td.clone();
    let Some(obj) = td.as_object_mut() else {
        return td;
    };
    obj.remove("family");
    if let Some(Value::Array(tags)) = obj.get_mut("tags") {
        tags.retain(|t| {
            t.get("key")
                .and_then(Value::as_str)
                .is_none_or(|k| !k.starts_with("dynroute:"))
        });
    }
    if let Some(Value::Array(containers)) = obj.get_mut("containerDefinitions") {
        for c in containers.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(Value::Object(labels)) = c.get_mut("dockerLabels") {
                labels.retain(|k, _| !OWN_LABELS.iter().any(|p| k.starts_with(p)));
            }
            if let Some(Value::Array(env)) = c.get_mut("environment") {
                env.retain(|e| e.get("name").and_then(Value::as_str) != Some(VERSION_ENV));
                for e in env.iter_mut() {
                    if e.get("name").and_then(Value::as_str) == Some(RESOURCE_ATTRIBUTES_ENV) {
                        let kept = user_attributes(e.get("value").and_then(Value::as_str));
                        e["value"] = Value::String(kept);
                    }
                }
                env.retain(|e| {
                    e.get("name").and_then(Value::as_str) != Some(RESOURCE_ATTRIBUTES_ENV)
                        || e.get("value").and_then(Value::as_str) != Some("")
                });
            }
        }
    }
    canonical(td, "")
}

/// The resource attributes a template set, without dynroute's.
fn user_attributes(value: Option<&str>) -> String {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .filter(|a| {
            let key = a.split('=').next().unwrap_or_default().trim();
            !OWN_ATTRIBUTES.contains(&key)
        })
        .collect::<Vec<_>>()
        .join(",")
}
