//! The fake's DescribeTaskDefinition: a registered definition the way ECS
//! describes it, with the fields and defaults ECS adds, so `diff` and the
//! adoption see in tests what they see from the real API.

use crate::taskdef::TaskDefinition;

/// What DescribeTaskDefinition answers for a registered `td`: the request with
/// the fields ECS adds (ARN, revision, status, compatibilities, defaults such
/// as `essential` and the port protocol) and the tags beside it.
pub(super) fn described(td: &TaskDefinition, arn: &str) -> anyhow::Result<serde_json::Value> {
    use serde_json::{Value, json};
    let mut inner = serde_json::to_value(td)?;
    let tags = inner
        .as_object_mut()
        .and_then(|o| o.remove("tags"))
        .unwrap_or_else(|| json!([]));
    if let Some(obj) = inner.as_object_mut() {
        obj.insert("taskDefinitionArn".into(), json!(arn));
        obj.insert("revision".into(), json!(crate::ecs::model::revision(arn)));
        obj.insert("status".into(), json!("ACTIVE"));
        obj.insert("compatibilities".into(), json!(["EC2", "FARGATE"]));
        obj.insert("registeredAt".into(), json!(1_767_225_600.0));
        if let Some(Value::Array(containers)) = obj.get_mut("containerDefinitions") {
            for c in containers.iter_mut().filter_map(Value::as_object_mut) {
                c.entry("essential").or_insert(json!(true));
                c.entry("cpu").or_insert(json!(0));
                if let Some(Value::Array(ports)) = c.get_mut("portMappings") {
                    for p in ports.iter_mut().filter_map(Value::as_object_mut) {
                        p.entry("protocol").or_insert(json!("tcp"));
                    }
                }
            }
        }
    }
    Ok(json!({ "taskDefinition": inner, "tags": tags }))
}
