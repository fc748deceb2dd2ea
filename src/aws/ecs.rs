//! The ECS verbs of [`crate::ecs::Ecs`] on the SDK: requests built from domain
//! values, answers turned back into them, "not found" made a domain answer.

use std::collections::BTreeMap;

use aws_sdk_ecs::error::ProvideErrorMetadata;
use aws_sdk_ecs::types as sdk;
use futures::stream::{self, StreamExt, TryStreamExt};

use async_trait::async_trait;

use super::Aws;
use super::convert::register_request;
use super::ecs_types::{
    capacity_strategy, network_configuration, sdk_tags, service_state, tags_map, ts,
};
use super::errors::{has_code, sdk_error};
use crate::config::Placement;
use crate::ecs::{CreateOutcome, Ecs, NewService, ServiceState, ServiceUpdate, StoppedTask};
use crate::taskdef::TaskDefinition;

/// DescribeServices accepts at most 10 names per call.
const DESCRIBE_BATCH: usize = 10;
/// How many read calls run at once (the API budget is shared with Traefik).
const READ_CONCURRENCY: usize = 8;
/// At most this many pages of task definition families or revisions are read
/// (100 per page; 100 pages: far above any real family).
const MAX_FAMILY_PAGES: usize = 100;
/// At most this many pages of services (100 each; ECS allows 5,000 per cluster).
const MAX_SERVICE_PAGES: usize = 100;

impl Aws {
    /// The ARNs of every service in the cluster (pages of 100).
    async fn list_service_arns(&self) -> anyhow::Result<Vec<String>> {
        let mut arns = Vec::new();
        let mut token = None;
        for _ in 0..MAX_SERVICE_PAGES {
            let out = self
                .ecs
                .list_services()
                .cluster(&self.cluster)
                .max_results(100)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| sdk_error("ListServices", &self.cluster, e))?;
            arns.extend(out.service_arns().iter().cloned());
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(arns);
            }
        }
        anyhow::bail!(
            "ListServices {}: more than {} services; stopped reading",
            self.cluster,
            MAX_SERVICE_PAGES * 100
        )
    }
}

#[async_trait]
impl Ecs for Aws {
    /// Describes services by name (batches of 10, concurrently). Missing names are left out.
    async fn describe_services(&self, names: &[String]) -> anyhow::Result<Vec<ServiceState>> {
        let batches: Vec<Vec<String>> = names
            .chunks(DESCRIBE_BATCH)
            .map(<[String]>::to_vec)
            .collect();
        let results: Vec<Vec<ServiceState>> = stream::iter(batches)
            .map(|batch| async move {
                let out = self
                    .ecs
                    .describe_services()
                    .cluster(&self.cluster)
                    .set_services(Some(batch))
                    .include(sdk::ServiceField::Tags)
                    .send()
                    .await
                    .map_err(|e| sdk_error("DescribeServices", &self.cluster, e))?;
                Ok::<_, anyhow::Error>(out.services().iter().map(service_state).collect())
            })
            .buffered(READ_CONCURRENCY)
            .try_collect()
            .await?;
        Ok(results.into_iter().flatten().collect())
    }

    /// Every service in the cluster, described with tags: ceil(N/100) list calls
    /// and ceil(N/10) describe calls, at most 8 at a time.
    async fn all_services(&self) -> anyhow::Result<Vec<ServiceState>> {
        let arns = self.list_service_arns().await?;
        self.describe_services(&arns).await
    }

    /// Registers a task definition; returns its ARN.
    async fn register_task_definition(&self, td: &TaskDefinition) -> anyhow::Result<String> {
        crate::engine::interrupt::sending_a_write();
        let request = register_request(self.ecs.register_task_definition(), td)?;
        let out = request
            .send()
            .await
            .map_err(|e| sdk_error("RegisterTaskDefinition", &self.cluster, e))?;
        Ok(out
            .task_definition()
            .and_then(|t| t.task_definition_arn())
            .unwrap_or_default()
            .to_owned())
    }

    /// Creates a service with the deployment circuit breaker (rollback on),
    /// tags propagated from the service to its tasks, and ECS managed tags.
    async fn create_service(&self, spec: &NewService<'_>) -> anyhow::Result<CreateOutcome> {
        crate::engine::interrupt::sending_a_write();
        let mut request = self
            .ecs
            .create_service()
            .cluster(&self.cluster)
            .service_name(spec.name)
            .task_definition(spec.task_definition)
            .desired_count(spec.desired_count)
            .propagate_tags(sdk::PropagateTags::Service)
            .enable_ecs_managed_tags(true)
            .deployment_configuration(
                sdk::DeploymentConfiguration::builder()
                    .deployment_circuit_breaker(
                        sdk::DeploymentCircuitBreaker::builder()
                            .enable(true)
                            .rollback(true)
                            .build(),
                    )
                    .maximum_percent(200)
                    .minimum_healthy_percent(100)
                    .build(),
            )
            .set_tags(Some(sdk_tags(spec.tags)));
        request = match spec.placement {
            Placement::LaunchType(lt) => request.launch_type(sdk::LaunchType::from(lt.as_str())),
            Placement::CapacityProviders(items) => {
                request.set_capacity_provider_strategy(Some(capacity_strategy(items)))
            }
        };
        if let Some(network) = spec.network {
            request = request.network_configuration(network_configuration(network));
        }
        match request.send().await {
            Ok(_) => Ok(CreateOutcome::Created),
            Err(err)
                if has_code(&err, "InvalidParameterException")
                    && err.message().is_some_and(|m| m.contains("not idempotent")) =>
            {
                Ok(CreateOutcome::AlreadyExists)
            }
            Err(err) => Err(sdk_error("CreateService", &self.cluster, err)),
        }
    }

    /// Points a service at a new task definition (a rolling deployment).
    async fn update_service(&self, update: &ServiceUpdate<'_>) -> anyhow::Result<()> {
        crate::engine::interrupt::sending_a_write();
        let mut request = self
            .ecs
            .update_service()
            .cluster(&self.cluster)
            .service(update.name)
            .task_definition(update.task_definition)
            .desired_count(update.desired_count);
        if let Some(network) = update.network {
            request = request.network_configuration(network_configuration(network));
        }
        if update.force_new_deployment {
            request = request.force_new_deployment(true);
        }
        request
            .send()
            .await
            .map_err(|e| sdk_error("UpdateService", &self.cluster, e))?;
        Ok(())
    }

    /// Adds or overwrites tags on a resource.
    async fn tag_resource(&self, arn: &str, tags: &[(String, String)]) -> anyhow::Result<()> {
        crate::engine::interrupt::sending_a_write();
        self.ecs
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(sdk_tags(tags)))
            .send()
            .await
            .map_err(|e| sdk_error("TagResource", &self.cluster, e))?;
        Ok(())
    }

    /// Removes tags from a resource.
    async fn untag_resource(&self, arn: &str, keys: &[String]) -> anyhow::Result<()> {
        crate::engine::interrupt::sending_a_write();
        self.ecs
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(keys.to_vec()))
            .send()
            .await
            .map_err(|e| sdk_error("UntagResource", &self.cluster, e))?;
        Ok(())
    }

    /// Deletes a service, stopping its tasks (`force`).
    async fn delete_service(&self, name: &str) -> anyhow::Result<()> {
        crate::engine::interrupt::sending_a_write();
        match self
            .ecs
            .delete_service()
            .cluster(&self.cluster)
            .service(name)
            .force(true)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            // Deleted concurrently: the goal is reached.
            Err(err) if has_code(&err, "ServiceNotFoundException") => Ok(()),
            Err(err) => Err(sdk_error("DeleteService", &self.cluster, err)),
        }
    }

    /// ACTIVE task definition revisions of exactly this family.
    async fn task_definition_arns(&self, family: &str) -> anyhow::Result<Vec<String>> {
        let mut arns = Vec::new();
        let mut token = None;
        for _ in 0..MAX_FAMILY_PAGES {
            let out = self
                .ecs
                .list_task_definitions()
                .family_prefix(family)
                .status(sdk::TaskDefinitionStatus::Active)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| sdk_error("ListTaskDefinitions", &self.cluster, e))?;
            // familyPrefix is a prefix: `api--v1` also lists `api--v10`.
            arns.extend(
                out.task_definition_arns()
                    .iter()
                    .filter(|arn| crate::ecs::model::family(arn) == Some(family))
                    .cloned(),
            );
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(arns);
            }
        }
        anyhow::bail!(
            "ListTaskDefinitions {family}: more than {MAX_FAMILY_PAGES} pages of revisions; stopped reading"
        )
    }

    async fn task_definition_families(&self, prefix: &str) -> anyhow::Result<Vec<String>> {
        let mut families = Vec::new();
        let mut token = None;
        for _ in 0..MAX_FAMILY_PAGES {
            let out = self
                .ecs
                .list_task_definition_families()
                .family_prefix(prefix)
                .status(sdk::TaskDefinitionFamilyStatus::Active)
                .max_results(100)
                .set_next_token(token)
                .send()
                .await
                .map_err(|e| sdk_error("ListTaskDefinitionFamilies", &self.cluster, e))?;
            families.extend(out.families().iter().cloned());
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                return Ok(families);
            }
        }
        anyhow::bail!(
            "ListTaskDefinitionFamilies {prefix}*: more than {} families; stopped reading",
            MAX_FAMILY_PAGES * 100
        )
    }

    /// The tags of a task definition revision.
    async fn task_definition_tags(&self, arn: &str) -> anyhow::Result<BTreeMap<String, String>> {
        let out = self
            .ecs
            .describe_task_definition()
            .task_definition(arn)
            .include(sdk::TaskDefinitionField::Tags)
            .send()
            .await
            .map_err(|e| sdk_error("DescribeTaskDefinition", &self.cluster, e))?;
        Ok(tags_map(out.tags()))
    }

    /// Deregisters a task definition revision.
    async fn deregister_task_definition(&self, arn: &str) -> anyhow::Result<()> {
        crate::engine::interrupt::sending_a_write();
        self.ecs
            .deregister_task_definition()
            .task_definition(arn)
            .send()
            .await
            .map_err(|e| sdk_error("DeregisterTaskDefinition", &self.cluster, e))?;
        Ok(())
    }

    async fn task_definition_document(
        &self,
        task_definition: &str,
    ) -> anyhow::Result<Option<serde_json::Value>> {
        self.describe_task_definition_document(task_definition)
            .await
    }

    async fn service_tasks(&self, service: &str) -> anyhow::Result<Vec<crate::ecs::TaskRef>> {
        self.list_service_tasks(service).await
    }

    async fn task_addresses(&self, service: &str) -> anyhow::Result<Vec<crate::ecs::TaskAddress>> {
        self.running_task_addresses(service).await
    }

    /// RunTask: one task, the container's command replaced, tags on the task.
    async fn run_task(&self, task: &crate::ecs::OneOffTask<'_>) -> anyhow::Result<String> {
        crate::engine::interrupt::sending_a_write();
        let mut request = self
            .ecs
            .run_task()
            .cluster(&self.cluster)
            .task_definition(task.task_definition)
            .count(1)
            .started_by(task.started_by)
            .enable_ecs_managed_tags(true)
            .set_tags(Some(sdk_tags(task.tags)))
            .overrides(
                sdk::TaskOverride::builder()
                    .container_overrides(
                        sdk::ContainerOverride::builder()
                            .name(task.container)
                            .set_command(Some(task.command.to_vec()))
                            .build(),
                    )
                    .build(),
            );
        request = match task.placement {
            Placement::LaunchType(lt) => request.launch_type(sdk::LaunchType::from(lt.as_str())),
            Placement::CapacityProviders(items) => {
                request.set_capacity_provider_strategy(Some(capacity_strategy(items)))
            }
        };
        if let Some(network) = task.network {
            request = request.network_configuration(network_configuration(network));
        }
        let out = request
            .send()
            .await
            .map_err(|e| sdk_error("RunTask", &self.cluster, e))?;
        if let Some(failure) = out.failures().first() {
            return Err(crate::error::UserError::new(
                crate::error::ExitKind::Failure,
                format!(
                    "RunTask failed: {} ({})",
                    failure.reason().unwrap_or("no reason"),
                    failure.detail().unwrap_or_default()
                ),
            )
            .into());
        }
        out.tasks()
            .first()
            .and_then(|t| t.task_arn())
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("RunTask answered no task"))
    }

    async fn one_off_state(
        &self,
        arn: &str,
        container: &str,
    ) -> anyhow::Result<Option<crate::ecs::OneOffState>> {
        let out = self
            .ecs
            .describe_tasks()
            .cluster(&self.cluster)
            .tasks(arn)
            .send()
            .await
            .map_err(|e| sdk_error("DescribeTasks", &self.cluster, e))?;
        Ok(out.tasks().first().map(|t| {
            let c = t
                .containers()
                .iter()
                .find(|c| c.name() == Some(container))
                .or_else(|| t.containers().first());
            crate::ecs::OneOffState {
                last_status: t.last_status().unwrap_or_default().to_owned(),
                stop_code: t.stop_code().map(|c| c.as_str().to_owned()),
                stopped_reason: t.stopped_reason().map(str::to_owned),
                exit_code: c.and_then(|c| c.exit_code()),
                container_reason: c.and_then(|c| c.reason()).map(str::to_owned),
            }
        }))
    }

    async fn stop_task(&self, arn: &str, reason: &str) -> anyhow::Result<()> {
        crate::engine::interrupt::sending_a_write();
        self.ecs
            .stop_task()
            .cluster(&self.cluster)
            .task(arn)
            .reason(reason)
            .send()
            .await
            .map_err(|e| sdk_error("StopTask", &self.cluster, e))?;
        Ok(())
    }

    /// Recently stopped tasks of a service, with their reasons (newest first, at most 10).
    async fn stopped_tasks(&self, service: &str) -> anyhow::Result<Vec<StoppedTask>> {
        let listed = self
            .ecs
            .list_tasks()
            .cluster(&self.cluster)
            .service_name(service)
            .desired_status(sdk::DesiredStatus::Stopped)
            .max_results(10)
            .send()
            .await;
        let arns = match listed {
            Ok(out) => out.task_arns().to_vec(),
            Err(err) if has_code(&err, "ServiceNotFoundException") => return Ok(Vec::new()),
            Err(err) => return Err(sdk_error("ListTasks", &self.cluster, err)),
        };
        if arns.is_empty() {
            return Ok(Vec::new());
        }
        let out = self
            .ecs
            .describe_tasks()
            .cluster(&self.cluster)
            .set_tasks(Some(arns))
            .send()
            .await
            .map_err(|e| sdk_error("DescribeTasks", &self.cluster, e))?;
        let mut tasks: Vec<(Option<jiff::Timestamp>, StoppedTask)> = out
            .tasks()
            .iter()
            .map(|t| {
                let containers = t
                    .containers()
                    .iter()
                    .filter(|c| c.reason().is_some() || c.exit_code().is_some_and(|code| code != 0))
                    .map(|c| {
                        let mut s = format!("{}:", c.name().unwrap_or("container"));
                        if let Some(reason) = c.reason() {
                            s.push_str(&format!(" {reason}"));
                        }
                        if let Some(code) = c.exit_code().filter(|_| !s.contains("exit code")) {
                            s.push_str(&format!(" (exit code {code})"));
                        }
                        s
                    })
                    .collect();
                (
                    ts(t.stopped_at()),
                    StoppedTask {
                        task_arn: t.task_arn().unwrap_or_default().to_owned(),
                        task_definition: t.task_definition_arn().unwrap_or_default().to_owned(),
                        stopped_reason: t.stopped_reason().map(str::to_owned),
                        containers,
                    },
                )
            })
            .collect();
        tasks.sort_by_key(|t| std::cmp::Reverse(t.0));
        Ok(tasks.into_iter().map(|(_, t)| t).collect())
    }
}
