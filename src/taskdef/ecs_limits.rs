//! What RegisterTaskDefinition would reject, checked on the complete task
//! definition (template plus everything dynroute injects) before any call.

use std::collections::BTreeSet;

use super::model::{PROPAGATORS_ENV, RESOURCE_ATTRIBUTES_ENV, TaskDefinition, VERSION_ENV};

/// ECS accepts at most this many tags on a resource.
pub const MAX_TAGS: usize = 50;
/// ECS rejects task definitions larger than this (the JSON of the request).
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// Fails with a message about the template when ECS would refuse `td`.
pub fn check(td: &TaskDefinition) -> Result<(), String> {
    let mut names = BTreeSet::new();
    for container in &td.container_definitions {
        if !names.insert(container.name.as_str()) {
            return Err(format!(
                "two containers are named `{}`; container names must be unique",
                container.name
            ));
        }
        for secret in container.secrets.iter().flatten() {
            if [VERSION_ENV, RESOURCE_ATTRIBUTES_ENV, PROPAGATORS_ENV]
                .contains(&secret.name.as_str())
            {
                return Err(format!(
                    "container `{}`: secret `{}` would clash with the variable dynroute injects; set it under `environment` instead (dynroute merges OTEL_RESOURCE_ATTRIBUTES and keeps OTEL_PROPAGATORS)",
                    container.name, secret.name
                ));
            }
        }
    }
    let tags = td.tags.as_ref().map_or(0, |t| t.0.len());
    if tags > MAX_TAGS {
        return Err(format!(
            "{tags} tags with the ones dynroute adds; ECS allows at most {MAX_TAGS} (dynroute adds up to 10)"
        ));
    }
    let size = serde_json::to_vec(td)
        .expect("a task definition serializes")
        .len();
    if size > MAX_JSON_BYTES {
        return Err(format!(
            "the task definition is {size} bytes of JSON with what dynroute injects; ECS accepts at most {MAX_JSON_BYTES}"
        ));
    }
    Ok(())
}
