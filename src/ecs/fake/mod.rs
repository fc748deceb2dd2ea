//! An in-memory ECS for the engine's unit tests: services with deployments that
//! advance one step per DescribeServices, task definitions with tags, and the
//! faults the engine must handle (a failing call, a create conflict while a
//! namesake drains, a rollout the circuit breaker rolls back, a rollout that
//! never settles). Every call is recorded, so tests can check what was sent.

use std::collections::BTreeMap;
use std::sync::Mutex;

use anyhow::anyhow;
use async_trait::async_trait;

use super::{
    CreateOutcome, Deployment, DeploymentStatus, Ecs, NewService, Refused, RolloutState,
    ServiceState, ServiceStatus, ServiceUpdate, StoppedTask,
};
use crate::taskdef::TaskDefinition;

/// How a service's rollouts behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rollout {
    /// Completes on the next DescribeServices.
    #[default]
    Completes,
    /// The circuit breaker fails it and rolls back to the previous revision.
    RollsBack,
    /// Stays in progress for ever.
    Hangs,
}

#[derive(Debug, Default)]
struct State {
    services: BTreeMap<String, ServiceState>,
    /// Task definition ARN → its tags.
    task_definitions: BTreeMap<String, BTreeMap<String, String>>,
    /// Task definition ARN → the registered definition, as ECS describes it.
    documents: BTreeMap<String, serde_json::Value>,
    revisions: BTreeMap<String, u32>,
    rollouts: BTreeMap<String, Rollout>,
    /// Operation (or `Operation:name`) → error message.
    failures: BTreeMap<String, String>,
    /// Operation (or `Operation:name`) → the code ECS refuses it with.
    refusals: BTreeMap<String, String>,
    /// DescribeServices calls left before a DRAINING service turns INACTIVE.
    drains: BTreeMap<String, u32>,
    /// Services CreateService refuses as existing although nothing is described yet.
    hidden_conflicts: BTreeMap<String, u32>,
    calls: Vec<String>,
    /// Service → whether its last CreateService/UpdateService carried a
    /// networkConfiguration.
    networks: BTreeMap<String, bool>,
    /// Services an UpdateService asked to replace the tasks of (forceNewDeployment).
    forced: Vec<String>,
    /// Service → its tasks being stopped, and whether each has an address.
    stopping: BTreeMap<String, Vec<bool>>,
    /// Services whose running tasks have no private address (not awsvpc).
    no_address: Vec<String>,
    /// One-off tasks started, in order.
    one_offs: Vec<OneOff>,
    /// A command containing this text exits with this code (default 0).
    exits: Vec<(String, i32)>,
}

/// The fake cluster.
#[derive(Debug, Default)]
pub struct FakeEcs {
    state: Mutex<State>,
}

const CLUSTER_ARN: &str = "arn:aws:ecs:us-east-1:123456789012";

impl FakeEcs {
    pub fn new() -> FakeEcs {
        FakeEcs::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Adds a running service with these tags (managed or not).
    pub fn add_service(&self, name: &str, status: ServiceStatus, tags: &[(&str, &str)]) {
        let td = format!("{CLUSTER_ARN}:task-definition/{name}:1");
        self.with(|s| {
            s.revisions.insert(name.to_owned(), 1);
            s.services.insert(
                name.to_owned(),
                ServiceState {
                    name: name.to_owned(),
                    arn: format!("{CLUSTER_ARN}:service/dev/{name}"),
                    status,
                    desired: 1,
                    running: 1,
                    pending: 0,
                    task_definition: td.clone(),
                    deployments: vec![deployment(&td, 1, 1, RolloutState::Completed)],
                    events: Vec::new(),
                    tags: tags
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect(),
                    network: None,
                },
            );
        });
    }

    /// Adds a task definition revision with these tags; returns its ARN.
    pub fn add_task_definition(&self, family: &str, tags: &[(&str, &str)]) -> String {
        self.with(|s| {
            let rev = s.revisions.entry(family.to_owned()).or_default();
            *rev += 1;
            let arn = format!("{CLUSTER_ARN}:task-definition/{family}:{rev}");
            s.task_definitions.insert(
                arn.clone(),
                tags.iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            );
            arn
        })
    }

    /// Sets how many tasks of `service` run (and are desired).
    pub fn scale(&self, service: &str, running: i32) {
        self.with(|s| {
            if let Some(svc) = s.services.get_mut(service) {
                svc.running = running;
                svc.desired = running;
            }
        });
    }

    /// The running tasks of `service` have no private address from now on.
    pub fn running_without_address(&self, service: &str) {
        self.with(|s| s.no_address.push(service.to_owned()));
    }

    /// Adds a task of `service` that is being stopped (with an address or not).
    pub fn stopping_task(&self, service: &str, with_address: bool) {
        self.with(|s| {
            (s.stopping.entry(service.to_owned()).or_default()).push(with_address);
        });
    }

    /// How the rollouts of `service` behave from now on.
    pub fn rollout(&self, service: &str, rollout: Rollout) {
        self.with(|s| s.rollouts.insert(service.to_owned(), rollout));
    }

    /// Makes `op` (e.g. `CreateService`, or `CreateService:api--v` for one
    /// service) fail with `message`.
    pub fn fail(&self, op: &str, message: &str) {
        self.with(|s| s.failures.insert(op.to_owned(), message.to_owned()));
    }

    /// `op` (or `op:name`) is refused by ECS with `code` (an [`Refused`] error).
    pub fn refuse(&self, op: &str, code: &str) {
        self.with(|s| s.refusals.insert(op.to_owned(), code.to_owned()));
    }

    /// `service` (DRAINING) turns INACTIVE after `describes` DescribeServices.
    pub fn drains_after(&self, service: &str, describes: u32) {
        self.with(|s| s.drains.insert(service.to_owned(), describes));
    }

    /// CreateService of `service` answers "exists" `times` times while nothing
    /// of that name is described (ECS's eventual consistency).
    pub fn hidden_conflict(&self, service: &str, times: u32) {
        self.with(|s| s.hidden_conflicts.insert(service.to_owned(), times));
    }

    /// Every call so far, as `Operation name`.
    pub fn calls(&self) -> Vec<String> {
        self.with(|s| s.calls.clone())
    }

    /// The calls of one operation.
    pub fn calls_of(&self, op: &str) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(|c| c.split(' ').next() == Some(op))
            .collect()
    }

    /// A service as it is now.
    pub fn service(&self, name: &str) -> Option<ServiceState> {
        self.with(|s| s.services.get(name).cloned())
    }

    /// Whether the last CreateService/UpdateService of `service` carried a
    /// networkConfiguration (`None`: neither was called).
    pub fn sent_network(&self, service: &str) -> Option<bool> {
        self.with(|s| s.networks.get(service).copied())
    }

    /// The services an UpdateService with forceNewDeployment was sent for, in order.
    pub fn forced(&self) -> Vec<String> {
        self.with(|s| s.forced.clone())
    }

    /// One-off tasks whose command (joined by spaces) contains `text` exit
    /// with `code` (the last matching rule wins); the others exit 0.
    pub fn exit_when(&self, text: &str, code: i32) {
        self.with(|s| s.exits.push((text.to_owned(), code)));
    }

    /// The one-off tasks started so far, in order.
    pub fn one_offs(&self) -> Vec<OneOff> {
        self.with(|s| s.one_offs.clone())
    }

    /// The tags of a registered task definition revision.
    pub fn task_definition_tag(&self, arn: &str, key: &str) -> Option<String> {
        self.with(|s| s.task_definitions.get(arn)?.get(key).cloned())
    }

    /// The ARNs of the registered (not deregistered) task definitions.
    pub fn task_definitions(&self) -> Vec<String> {
        self.with(|s| s.task_definitions.keys().cloned().collect())
    }

    fn call(&self, op: &str, name: &str) -> anyhow::Result<()> {
        self.with(|s| {
            s.calls.push(format!("{op} {name}"));
            let refused = s
                .refusals
                .get(&format!("{op}:{name}"))
                .or_else(|| s.refusals.get(op));
            if let Some(code) = refused {
                let refused = Refused {
                    code: code.clone(),
                    message: "refused by the fake".into(),
                    source: None,
                };
                return Err(crate::error::UserError::new(
                    crate::error::ExitKind::Failure,
                    format!("{op} failed"),
                )
                .caused_by(refused)
                .into());
            }
            match s
                .failures
                .get(&format!("{op}:{name}"))
                .or_else(|| s.failures.get(op))
            {
                Some(message) => Err(anyhow!("{op} failed: {message}")),
                None => Ok(()),
            }
        })
    }
}

fn deployment(td: &str, desired: i32, running: i32, state: RolloutState) -> Deployment {
    Deployment {
        id: format!("ecs-svc/{}", td.rsplit(':').next().unwrap_or("0")),
        status: DeploymentStatus::Primary,
        task_definition: td.to_owned(),
        desired,
        running,
        pending: 0,
        failed: 0,
        rollout_state: Some(state),
        rollout_reason: None,
    }
}

mod one_off;
mod scheduler;
pub use one_off::OneOff;
use scheduler::advance;

#[async_trait]
impl Ecs for FakeEcs {
    async fn describe_services(&self, names: &[String]) -> anyhow::Result<Vec<ServiceState>> {
        self.call("DescribeServices", &names.join(","))?;
        Ok(self.with(|s| {
            advance(s);
            names
                .iter()
                .filter_map(|n| s.services.get(n).cloned())
                .collect()
        }))
    }

    async fn all_services(&self) -> anyhow::Result<Vec<ServiceState>> {
        self.call("ListServices", "")?;
        Ok(self.with(|s| s.services.values().cloned().collect()))
    }

    async fn register_task_definition(&self, td: &TaskDefinition) -> anyhow::Result<String> {
        let family = td.family.as_ref().map(|f| f.0.clone()).unwrap_or_default();
        self.call("RegisterTaskDefinition", &family)?;
        let tags = crate::taskdef::tag_pairs(td);
        let pairs: Vec<(&str, &str)> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let arn = self.add_task_definition(&family, &pairs);
        let document = described(td, &arn)?;
        self.with(|s| s.documents.insert(arn.clone(), document));
        Ok(arn)
    }

    async fn create_service(&self, spec: &NewService<'_>) -> anyhow::Result<CreateOutcome> {
        self.call("CreateService", spec.name)?;
        self.with(|s| {
            s.networks
                .insert(spec.name.to_owned(), spec.network.is_some())
        });
        Ok(self.with(|s| {
            if let Some(left) = s.hidden_conflicts.get_mut(spec.name).filter(|l| **l > 0) {
                *left -= 1;
                return CreateOutcome::AlreadyExists;
            }
            if s.services
                .get(spec.name)
                .is_some_and(|svc| svc.is_present())
            {
                return CreateOutcome::AlreadyExists;
            }
            s.services.insert(
                spec.name.to_owned(),
                ServiceState {
                    name: spec.name.to_owned(),
                    arn: format!("{CLUSTER_ARN}:service/dev/{}", spec.name),
                    status: ServiceStatus::Active,
                    desired: spec.desired_count,
                    running: 0,
                    pending: 0,
                    task_definition: spec.task_definition.to_owned(),
                    deployments: vec![deployment(
                        spec.task_definition,
                        spec.desired_count,
                        0,
                        RolloutState::InProgress,
                    )],
                    events: Vec::new(),
                    tags: spec.tags.iter().cloned().collect(),
                    network: spec.network.cloned(),
                },
            );
            CreateOutcome::Created
        }))
    }

    async fn update_service(&self, update: &ServiceUpdate<'_>) -> anyhow::Result<()> {
        let name = update.name;
        self.call("UpdateService", name)?;
        self.with(|s| s.networks.insert(name.to_owned(), update.network.is_some()));
        self.with(|s| {
            let svc = s
                .services
                .get_mut(name)
                .filter(|svc| svc.is_live())
                .ok_or_else(|| anyhow!("UpdateService failed: service {name} not found"))?;
            let mut previous = svc.deployments.first().cloned();
            if let Some(p) = &mut previous {
                p.status = DeploymentStatus::Active;
            }
            if let Some(network) = update.network {
                svc.network = Some(network.clone());
            }
            if update.force_new_deployment {
                s.forced.push(name.to_owned());
            }
            svc.desired = update.desired_count;
            svc.deployments = std::iter::once(deployment(
                update.task_definition,
                update.desired_count,
                0,
                RolloutState::InProgress,
            ))
            .chain(previous)
            .collect();
            Ok(())
        })
    }

    async fn tag_resource(&self, arn: &str, tags: &[(String, String)]) -> anyhow::Result<()> {
        self.call("TagResource", arn)?;
        self.with(|s| {
            if let Some(svc) = s.services.values_mut().find(|svc| svc.arn == arn) {
                svc.tags.extend(tags.iter().cloned());
            }
            if let Some(td) = s.task_definitions.get_mut(arn) {
                td.extend(tags.iter().cloned());
            }
        });
        Ok(())
    }

    async fn untag_resource(&self, arn: &str, keys: &[String]) -> anyhow::Result<()> {
        self.call("UntagResource", arn)?;
        self.with(|s| {
            if let Some(svc) = s.services.values_mut().find(|svc| svc.arn == arn) {
                svc.tags.retain(|k, _| !keys.contains(k));
            }
        });
        Ok(())
    }

    async fn delete_service(&self, name: &str) -> anyhow::Result<()> {
        self.call("DeleteService", name)?;
        self.with(|s| {
            if let Some(svc) = s.services.get_mut(name).filter(|svc| svc.is_live()) {
                svc.status = ServiceStatus::Draining;
                s.drains.entry(name.to_owned()).or_insert(1);
            }
        });
        Ok(())
    }

    async fn task_definition_arns(&self, family: &str) -> anyhow::Result<Vec<String>> {
        self.call("ListTaskDefinitions", family)?;
        Ok(self.with(|s| {
            s.task_definitions
                .keys()
                .filter(|arn| super::model::family(arn) == Some(family))
                .cloned()
                .collect()
        }))
    }

    async fn task_definition_families(&self, prefix: &str) -> anyhow::Result<Vec<String>> {
        self.call("ListTaskDefinitionFamilies", prefix)?;
        Ok(self.with(|s| {
            let mut families: Vec<String> = (s.task_definitions.keys())
                .filter_map(|arn| super::model::family(arn))
                .filter(|f| f.starts_with(prefix))
                .map(str::to_owned)
                .collect();
            families.dedup();
            families
        }))
    }

    async fn task_definition_tags(&self, arn: &str) -> anyhow::Result<BTreeMap<String, String>> {
        self.call("DescribeTaskDefinition", arn)?;
        Ok(self.with(|s| s.task_definitions.get(arn).cloned().unwrap_or_default()))
    }

    async fn deregister_task_definition(&self, arn: &str) -> anyhow::Result<()> {
        self.call("DeregisterTaskDefinition", arn)?;
        self.with(|s| s.task_definitions.remove(arn));
        Ok(())
    }

    async fn task_definition_document(
        &self,
        task_definition: &str,
    ) -> anyhow::Result<Option<serde_json::Value>> {
        self.call("DescribeTaskDefinition", task_definition)?;
        Ok(self.with(|s| {
            let arn = if task_definition.starts_with("arn:") {
                task_definition.to_owned()
            } else if task_definition.contains(':') {
                format!("{CLUSTER_ARN}:task-definition/{task_definition}")
            } else {
                let rev = s.revisions.get(task_definition).copied().unwrap_or(0);
                format!("{CLUSTER_ARN}:task-definition/{task_definition}:{rev}")
            };
            s.documents.get(&arn).cloned()
        }))
    }

    async fn service_tasks(&self, service: &str) -> anyhow::Result<Vec<super::TaskRef>> {
        self.call("ListTasks", service)?;
        Ok(self.with(|s| {
            s.services
                .get(service)
                .filter(|svc| svc.running > 0)
                .map(|svc| {
                    (0..svc.running)
                        .map(|i| super::TaskRef {
                            arn: format!("{CLUSTER_ARN}:task/dev/{service}-task{i}"),
                            task_definition: svc.task_definition.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default()
        }))
    }

    async fn task_addresses(&self, service: &str) -> anyhow::Result<Vec<super::TaskAddress>> {
        self.call("ListTasks", service)?;
        Ok(self.with(|s| {
            let running = s.services.get(service).map_or(0, |svc| svc.running);
            let stopping = s.stopping.get(service).cloned().unwrap_or_default();
            let addressed = !s.no_address.iter().any(|n| n == service);
            let running = (0..running).map(|i| super::TaskAddress {
                arn: format!("{CLUSTER_ARN}:task/dev/{service}-task{i}"),
                address: addressed.then(|| format!("127.0.0.{}", i + 1)),
                stopping: false,
            });
            let stopping = stopping
                .iter()
                .enumerate()
                .map(|(i, &with)| super::TaskAddress {
                    arn: format!("{CLUSTER_ARN}:task/dev/{service}-stopping{i}"),
                    address: with.then(|| format!("127.0.1.{}", i + 1)),
                    stopping: true,
                });
            running.chain(stopping).collect()
        }))
    }

    async fn run_task(&self, task: &crate::ecs::OneOffTask<'_>) -> anyhow::Result<String> {
        self.call("RunTask", task.task_definition)?;
        Ok(self.with(|s| one_off::start(s, task, CLUSTER_ARN)))
    }

    async fn one_off_state(
        &self,
        arn: &str,
        _container: &str,
    ) -> anyhow::Result<Option<crate::ecs::OneOffState>> {
        self.call("DescribeTasks", arn)?;
        Ok(self.with(|s| one_off::state(s, arn)))
    }

    async fn stop_task(&self, arn: &str, _reason: &str) -> anyhow::Result<()> {
        self.call("StopTask", arn)?;
        Ok(())
    }

    async fn stopped_tasks(&self, service: &str) -> anyhow::Result<Vec<StoppedTask>> {
        self.call("ListTasks", service)?;
        Ok(self.with(|s| match s.rollouts.get(service) {
            Some(Rollout::RollsBack) => vec![StoppedTask {
                task_arn: format!("{CLUSTER_ARN}:task/dev/0123abcd"),
                task_definition: String::new(),
                stopped_reason: Some("Essential container in task exited".into()),
                containers: vec!["app: exit code 1".into()],
            }],
            _ => Vec::new(),
        }))
    }
}

/// What DescribeTaskDefinition answers for a registered `td`: the request with
/// the fields ECS adds (ARN, revision, status, compatibilities, defaults such
/// as `essential` and the port protocol) and the tags beside it.
fn described(td: &TaskDefinition, arn: &str) -> anyhow::Result<serde_json::Value> {
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
