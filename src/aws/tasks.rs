//! A service's tasks, running and recently stopped, with the task definition
//! each runs: what `logs` needs to name each container's log stream; and the
//! running tasks' private addresses (the activity recorder's Traefik replicas).

use aws_sdk_ecs::types as sdk;

use super::Aws;
use super::errors::{has_code, sdk_error};
use crate::ecs::{TaskAddress, TaskRef};

/// DescribeTasks accepts at most 100 tasks per call.
const DESCRIBE_TASKS_BATCH: usize = 100;

/// At most this many pages (100 tasks each) per desired status.
const MAX_TASK_PAGES: usize = 20;

impl Aws {
    /// Running and stopped tasks of `service` (ECS keeps stopped ones about an hour).
    pub(super) async fn list_service_tasks(&self, service: &str) -> anyhow::Result<Vec<TaskRef>> {
        let mut arns = Vec::new();
        for status in [sdk::DesiredStatus::Running, sdk::DesiredStatus::Stopped] {
            arns.extend(self.task_arns(service, status).await?);
        }
        Ok((self.describe(&arns).await?.iter())
            .map(|t| TaskRef {
                arn: t.task_arn().unwrap_or_default().to_owned(),
                task_definition: t.task_definition_arn().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    /// The tasks of `service` that still run with the private IPv4 address of
    /// each (its ENI's, for awsvpc tasks; `None` for other network modes):
    /// those meant to run, and those being stopped that have not stopped yet.
    pub(super) async fn running_task_addresses(
        &self,
        service: &str,
    ) -> anyhow::Result<Vec<TaskAddress>> {
        let mut found = Vec::new();
        for (status, stopping) in [
            (sdk::DesiredStatus::Running, false),
            (sdk::DesiredStatus::Stopped, true),
        ] {
            let arns = self.task_arns(service, status).await?;
            found.extend(
                (self.describe(&arns).await?.iter())
                    .filter(|t| match stopping {
                        false => t.last_status() == Some("RUNNING"),
                        true => t.last_status() != Some("STOPPED"),
                    })
                    .map(|t| TaskAddress {
                        arn: t.task_arn().unwrap_or_default().to_owned(),
                        address: private_address(t),
                        stopping,
                    }),
            );
        }
        Ok(found)
    }

    /// The ARNs of `service`'s tasks with this desired status (none when the
    /// service does not exist); at most [`MAX_TASK_PAGES`] pages.
    async fn task_arns(
        &self,
        service: &str,
        status: sdk::DesiredStatus,
    ) -> anyhow::Result<Vec<String>> {
        let mut arns = Vec::new();
        let mut token = None;
        // ECS keeps stopped tasks for about an hour: a few pages at most.
        for _ in 0..MAX_TASK_PAGES {
            let listed = self
                .ecs
                .list_tasks()
                .cluster(&self.cluster)
                .service_name(service)
                .desired_status(status.clone())
                .max_results(100)
                .set_next_token(token)
                .send()
                .await;
            let out = match listed {
                Ok(out) => out,
                Err(err) if has_code(&err, "ServiceNotFoundException") => return Ok(Vec::new()),
                Err(err) => return Err(sdk_error("ListTasks", &self.cluster, err)),
            };
            arns.extend(out.task_arns().iter().cloned());
            token = out.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        Ok(arns)
    }

    /// DescribeTasks of `arns`, [`DESCRIBE_TASKS_BATCH`] at a time.
    async fn describe(&self, arns: &[String]) -> anyhow::Result<Vec<sdk::Task>> {
        let mut tasks = Vec::with_capacity(arns.len());
        for batch in arns.chunks(DESCRIBE_TASKS_BATCH) {
            let out = self
                .ecs
                .describe_tasks()
                .cluster(&self.cluster)
                .set_tasks(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|e| sdk_error("DescribeTasks", &self.cluster, e))?;
            tasks.extend(out.tasks().iter().cloned());
        }
        Ok(tasks)
    }
}

/// A task's private IPv4 address: its first container's network interface,
/// else its ENI attachment's details.
fn private_address(task: &sdk::Task) -> Option<String> {
    let from_container = task
        .containers()
        .iter()
        .flat_map(|c| c.network_interfaces())
        .find_map(|n| n.private_ipv4_address());
    let from_attachment = || {
        task.attachments()
            .iter()
            .flat_map(|a| a.details())
            .find(|d| d.name() == Some("privateIPv4Address"))
            .and_then(|d| d.value())
    };
    from_container
        .or_else(from_attachment)
        .filter(|a| a.parse::<std::net::Ipv4Addr>().is_ok())
        .map(str::to_owned)
}
