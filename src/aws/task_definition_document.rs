//! A task definition as DescribeTaskDefinition answers it, as JSON.
//!
//! `init --from-task-definition` and `diff` want the answer exactly as `aws ecs
//! describe-task-definition --include TAGS` prints it: the `taskDefinition`
//! object and its `tags`, every field ECS knows, including the ones dynroute's
//! model has no use for. The SDK's types are not serialisable, so the answer's
//! own body (ECS speaks JSON) is kept by an interceptor once the SDK has read
//! it, and parsed here; the SDK still does the signing, retries and error
//! mapping.

use std::sync::{Arc, Mutex};

use aws_sdk_ecs::types as sdk;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde_json::Value;

use super::Aws;
use super::errors::{has_code, sdk_error};

/// Keeps the body of the last successful answer of the call it is attached to.
#[derive(Debug, Clone, Default)]
struct KeepBody(Arc<Mutex<Option<Vec<u8>>>>);

impl Intercept for KeepBody {
    fn name(&self) -> &'static str {
        "KeepBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response();
        if response.status().is_success()
            && let Some(bytes) = response.body().bytes()
            && let Ok(mut kept) = self.0.lock()
        {
            *kept = Some(bytes.to_vec());
        }
        Ok(())
    }
}

impl Aws {
    /// `family`, `family:revision` or an ARN, described with its tags; `None`
    /// when ECS has no such task definition.
    pub(super) async fn describe_task_definition_document(
        &self,
        task_definition: &str,
    ) -> anyhow::Result<Option<Value>> {
        let keep = KeepBody::default();
        let answer = self
            .ecs
            .describe_task_definition()
            .task_definition(task_definition)
            .include(sdk::TaskDefinitionField::Tags)
            .customize()
            .interceptor(keep.clone())
            .send()
            .await;
        match answer {
            Ok(_) => {}
            // ECS answers an unknown family or revision with a ClientException.
            Err(err) if has_code(&err, "ClientException") => return Ok(None),
            Err(err) => return Err(sdk_error("DescribeTaskDefinition", &self.cluster, err)),
        }
        let body = keep
            .0
            .lock()
            .ok()
            .and_then(|mut kept| kept.take())
            .ok_or_else(|| anyhow::anyhow!("DescribeTaskDefinition: the answer had no body"))?;
        let document: Value = serde_json::from_slice(&body)
            .map_err(|e| anyhow::anyhow!("DescribeTaskDefinition: the answer is not JSON: {e}"))?;
        Ok(document
            .get("taskDefinition")
            .is_some_and(Value::is_object)
            .then_some(document))
    }
}
