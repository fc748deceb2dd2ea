//! What `up` will do per service, decided from what ECS reports (pure).
//!
//! The plan decides everything the executor then only carries out: create,
//! update, wait for a draining namesake first, or refuse to touch a service
//! dynroute does not manage; and, when CreateService answers that the name is
//! taken after all, what to do instead ([`after_conflict`]).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::config::Network;
use crate::ecs::{ServiceState, ServiceStatus};
use crate::error::UserError;
use crate::naming::ProjectName;
use crate::naming::tags;
use crate::taskdef::diff::Comparison;

/// The change for one ECS service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// No service of that name is live.
    Create,
    /// A service of that name is being deleted; wait for it to go, then create.
    CreateAfterDrain,
    /// Our managed service exists: new task definition revision, same service.
    Update {
        arn: String,
        /// The service's current tags (for its creation time and stale keys).
        #[serde(skip)]
        tags: BTreeMap<String, String>,
        /// The service has no `dynroute:project` tag yet (deployed by an older
        /// dynroute): this `up` adopts it into the project.
        #[serde(skip)]
        adopted: bool,
        /// A new revision, or the running one kept ([`change_for`]).
        #[serde(skip)]
        change: Change,
    },
}

/// What an update of a live service changes, decided by [`change_for`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Change {
    /// Register the rendered task definition and point the service at it.
    #[default]
    NewRevision,
    /// The running revision equals the rendered task definition (normalised as
    /// `diff` compares them, its tags aside): keep it.
    Keep {
        /// The running revision's ARN.
        task_definition: String,
        /// Its tags differ (a new owner, say): TagResource on the revision.
        retag_definition: bool,
        /// The desired count or network differs, or `--force-new-deployment`:
        /// UpdateService with the running revision. Otherwise no UpdateService.
        update_service: bool,
        /// `--force-new-deployment`: UpdateService replaces the tasks.
        restart: bool,
    },
}

/// The service settings `up` sends with UpdateService.
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    pub desired: i32,
    /// The awsvpc network (`None` for other network modes: nothing is sent).
    pub network: Option<&'a Network>,
    /// `--force-new-deployment`: replace the tasks even when nothing changed.
    pub force: bool,
}

/// Compares what runs with what `up` would send. `running` is the running
/// revision as DescribeTaskDefinition answers it (`None`: not readable, so a
/// new revision); `rendered` is the request `up` would register.
pub fn change_for(
    service: &ServiceState,
    running: Option<&Value>,
    rendered: &Value,
    wanted: Wanted<'_>,
) -> Change {
    let Some(running) = running else {
        return Change::NewRevision;
    };
    let label = crate::ecs::short_arn(&service.task_definition);
    let retag_definition = match Comparison::of(running, rendered, label, "up", true) {
        Comparison::Same { .. } => false,
        Comparison::Changed { changed_paths, .. }
            if changed_paths
                .iter()
                .all(|p| p == "tags" || p.starts_with("tags[")) =>
        {
            true
        }
        _ => return Change::NewRevision,
    };
    let same_settings =
        service.desired == wanted.desired && same_network(wanted.network, service.network.as_ref());
    // A rollout of this revision that failed (the image was not pushed yet, a
    // secret was missing) is retried: the re-run after the fix starts it again.
    let failed = service
        .primary()
        .is_some_and(|d| d.rollout_state == Some(crate::ecs::RolloutState::Failed));
    let restart = wanted.force || failed;
    Change::Keep {
        task_definition: service.task_definition.clone(),
        retag_definition,
        update_service: restart || !same_settings,
        restart,
    }
}

/// The network `up` would send equals the service's (lists compared as sets;
/// nothing to send is always equal).
fn same_network(wanted: Option<&Network>, running: Option<&Network>) -> bool {
    let sorted = |v: &[String]| {
        let mut v = v.to_vec();
        v.sort();
        v
    };
    match (wanted, running) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => {
            a.assign_public_ip == b.assign_public_ip
                && sorted(&a.subnets) == sorted(&b.subnets)
                && sorted(&a.security_groups) == sorted(&b.security_groups)
        }
    }
}

impl Action {
    /// When the existing service was first deployed (kept across updates).
    pub fn created_at(&self) -> Option<Timestamp> {
        match self {
            Action::Update { tags, .. } => tags.get(tags::CREATED_AT)?.parse().ok(),
            _ => None,
        }
    }

    /// `dynroute:*` tags the service has that a new set of tags no longer writes
    /// (e.g. `dynroute:ci-url` after an `up` from a laptop).
    pub fn stale_tags(&self, new: &[(String, String)]) -> Vec<String> {
        match self {
            Action::Update { tags, .. } => tags
                .keys()
                .filter(|k| k.starts_with("dynroute:") && !new.iter().any(|(n, _)| n == *k))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The service runs what `up` would send: nothing but its tags changes.
    pub fn is_unchanged(&self) -> bool {
        matches!(
            self,
            Action::Update {
                change: Change::Keep {
                    update_service: false,
                    ..
                },
                ..
            }
        )
    }
}

/// Decides the action for the ECS service `name` of `project` given what
/// DescribeServices returned. An unmanaged live service of that name, or one
/// of another project, is never touched; a managed one without a project tag
/// is adopted.
pub fn action_for(
    name: &str,
    existing: &[ServiceState],
    project: &ProjectName,
) -> Result<Action, UserError> {
    let Some(current) = existing.iter().find(|s| s.name == name) else {
        return Ok(Action::Create);
    };
    match current.status {
        ServiceStatus::Inactive => Ok(Action::Create),
        ServiceStatus::Draining => Ok(Action::CreateAfterDrain),
        ServiceStatus::Active if !current.is_managed() => Err(UserError::usage(format!(
            "ECS service `{name}` exists but is not managed by dynroute (no tag {}=true); it is left untouched",
            tags::MANAGED
        ))
        .hint("choose another version name, or remove that service by other means")),
        ServiceStatus::Active => match current.tags.get(tags::PROJECT) {
            Some(other) if other != project.as_str() => Err(UserError::usage(format!(
                "ECS service `{name}` belongs to project `{other}`, not to this project `{project}`; it is left untouched"
            ))
            .hint(format!(
                "choose another version name; if `{other}` is this project under its old name, set `project: {other}` in dynroute.yaml"
            ))),
            owner => Ok(Action::Update {
                arn: current.arn.clone(),
                tags: current.tags.clone(),
                adopted: owner.is_none(),
                change: Change::NewRevision,
            }),
        },
    }
}

/// CreateService answered that `name` exists; `now` is a fresh DescribeServices.
/// A live service of ours (created by a concurrent `up`) is updated; one that is
/// not visible or still draining is waited out, then created.
pub fn after_conflict(
    name: &str,
    now: &[ServiceState],
    project: &ProjectName,
) -> Result<Action, UserError> {
    match action_for(name, now, project)? {
        Action::Create => Ok(Action::CreateAfterDrain),
        other => Ok(other),
    }
}

/// The RegisterTaskDefinition request of `s`, with the release's tags, as
/// `up` compares it with what runs (and digests it into `dynroute:render-digest`).
pub fn rendered_request(
    release: &crate::taskdef::release::Release,
    s: &crate::taskdef::release::RenderedService,
) -> anyhow::Result<serde_json::Value> {
    Ok(serde_json::to_value(crate::taskdef::with_tags(
        s.task_definition.clone(),
        &release.tags(&s.settings.name, None),
    ))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> ProjectName {
        "shop".parse().unwrap()
    }

    fn service(name: &str, status: ServiceStatus, managed: bool) -> ServiceState {
        let tags: &[(&str, &str)] = if managed {
            &[
                (tags::PROJECT, "shop"),
                (tags::MANAGED, "true"),
                (tags::CREATED_AT, "2026-11-20T00:00:00Z"),
            ]
        } else {
            &[]
        };
        ServiceState {
            status,
            ..ServiceState::fixture(name).with_tags(tags)
        }
    }

    #[test]
    fn missing_or_inactive_services_are_created() {
        assert_eq!(action_for("api--v", &[], &shop()).unwrap(), Action::Create);
        let gone = [service("api--v", ServiceStatus::Inactive, false)];
        assert_eq!(
            action_for("api--v", &gone, &shop()).unwrap(),
            Action::Create
        );
    }

    #[test]
    fn draining_services_are_waited_out() {
        let draining = [service("api--v", ServiceStatus::Draining, true)];
        assert_eq!(
            action_for("api--v", &draining, &shop()).unwrap(),
            Action::CreateAfterDrain
        );
    }

    #[test]
    fn managed_services_are_updated_keeping_their_creation_time() {
        let live = [service("api--v", ServiceStatus::Active, true)];
        let action = action_for("api--v", &live, &shop()).unwrap();
        assert!(
            matches!(&action, Action::Update { arn, .. } if arn.ends_with("service/dev/api--v"))
        );
        assert_eq!(
            action.created_at(),
            Some("2026-11-20T00:00:00Z".parse().unwrap())
        );
        let new = [(tags::MANAGED.to_owned(), "true".to_owned())];
        assert_eq!(action.stale_tags(&new), [tags::CREATED_AT, tags::PROJECT]);
        assert!(matches!(action, Action::Update { adopted: false, .. }));
        assert!(Action::Create.stale_tags(&new).is_empty());
    }

    #[test]
    fn a_create_conflict_waits_for_the_namesake_or_updates_ours() {
        assert_eq!(
            after_conflict("api--v", &[], &shop()).unwrap(),
            Action::CreateAfterDrain
        );
        let ours = [service("api--v", ServiceStatus::Active, true)];
        assert!(matches!(
            after_conflict("api--v", &ours, &shop()).unwrap(),
            Action::Update { .. }
        ));
        let foreign = [service("api--v", ServiceStatus::Active, false)];
        assert!(after_conflict("api--v", &foreign, &shop()).is_err());
    }

    #[test]
    fn another_projects_service_is_refused_naming_both_projects() {
        let mut theirs = service("api--v", ServiceStatus::Active, true);
        theirs.tags.insert(tags::PROJECT.into(), "web".into());
        let err = action_for("api--v", &[theirs.clone()], &shop()).unwrap_err();
        assert!(err.message.contains("project `web`"), "{}", err.message);
        assert!(err.message.contains("this project `shop`"));
        assert!(err.hint.as_deref().unwrap().contains("project: web"));
        assert!(after_conflict("api--v", &[theirs], &shop()).is_err());
    }

    #[test]
    fn a_managed_service_without_a_project_is_adopted() {
        let mut old = service("api--v", ServiceStatus::Active, true);
        old.tags.remove(tags::PROJECT);
        let action = action_for("api--v", &[old], &shop()).unwrap();
        assert!(matches!(action, Action::Update { adopted: true, .. }));
    }

    #[test]
    fn unmanaged_services_are_refused() {
        let foreign = [service("api--v", ServiceStatus::Active, false)];
        let err = action_for("api--v", &foreign, &shop()).unwrap_err();
        assert!(err.message.contains("not managed by dynroute"));
    }

    fn running() -> ServiceState {
        ServiceState {
            task_definition: "arn:aws:ecs:us-east-1:123456789012:task-definition/api--v:3".into(),
            network: Some(Network {
                subnets: vec!["subnet-b".into(), "subnet-a".into()],
                security_groups: vec!["sg-1".into()],
                assign_public_ip: false,
            }),
            ..service("api--v", ServiceStatus::Active, true)
        }
    }

    /// As DescribeTaskDefinition answers it: defaults filled in, read-only fields.
    fn described(image: &str, owner: &str) -> Value {
        serde_json::json!({"taskDefinition": {
            "family": "api--v", "revision": 3, "status": "ACTIVE", "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "api", "image": image, "essential": true, "cpu": 0,
                "environment": [], "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}]}]},
            "tags": [{"key": "dynroute:owner", "value": owner}, {"key": "dynroute:updated-at", "value": "2026-11-01T00:00:00Z"}]})
    }

    fn rendered(image: &str) -> Value {
        serde_json::json!({"family": "api--v", "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "api", "image": image, "portMappings": [{"containerPort": 8080}]}],
            "tags": [{"key": "dynroute:owner", "value": "alice"}, {"key": "dynroute:updated-at", "value": "2026-12-06T00:00:00Z"}]})
    }

    #[test]
    fn what_runs_is_kept_and_only_what_differs_is_sent() {
        let network = Network {
            subnets: vec!["subnet-a".into(), "subnet-b".into()],
            security_groups: vec!["sg-1".into()],
            assign_public_ip: false,
        };
        let wanted = Wanted {
            desired: 1,
            network: Some(&network),
            force: false,
        };
        let keep = |retag, update, restart| Change::Keep {
            task_definition: running().task_definition,
            retag_definition: retag,
            update_service: update,
            restart,
        };
        let same = described("repo/api:1", "alice");
        let change = |doc: Option<&Value>, image: &str, wanted: Wanted<'_>| {
            change_for(&running(), doc, &rendered(image), wanted)
        };
        // Same definition (ECS's defaults and the update time aside), same settings.
        assert_eq!(
            change(Some(&same), "repo/api:1", wanted),
            keep(false, false, false)
        );
        // A new image: a new revision.
        assert_eq!(
            change(Some(&same), "repo/api:2", wanted),
            Change::NewRevision
        );
        // Unreadable revision: a new one.
        assert_eq!(change(None, "repo/api:1", wanted), Change::NewRevision);
        // Only the owner tag differs: the revision is kept and retagged.
        let bob = described("repo/api:1", "bob");
        assert_eq!(
            change(Some(&bob), "repo/api:1", wanted),
            keep(true, false, false)
        );
        // Another desired count or network: UpdateService with the same revision.
        let scaled = Wanted {
            desired: 2,
            ..wanted
        };
        assert_eq!(
            change(Some(&same), "repo/api:1", scaled),
            keep(false, true, false)
        );
        let other = Network {
            assign_public_ip: true,
            ..network.clone()
        };
        let moved = Wanted {
            network: Some(&other),
            ..wanted
        };
        assert_eq!(
            change(Some(&same), "repo/api:1", moved),
            keep(false, true, false)
        );
        // --force-new-deployment: the same revision, restarted.
        let forced = Wanted {
            force: true,
            ..wanted
        };
        assert_eq!(
            change(Some(&same), "repo/api:1", forced),
            keep(false, true, true)
        );
        // A failed rollout of the same revision is started again.
        let mut failed = running();
        failed.deployments = vec![crate::ecs::Deployment {
            id: "d".into(),
            status: crate::ecs::DeploymentStatus::Primary,
            task_definition: failed.task_definition.clone(),
            desired: 1,
            running: 0,
            pending: 0,
            failed: 1,
            rollout_state: Some(crate::ecs::RolloutState::Failed),
            rollout_reason: None,
        }];
        assert_eq!(
            change_for(&failed, Some(&same), &rendered("repo/api:1"), wanted),
            keep(false, true, true)
        );
        let action = |change| Action::Update {
            arn: String::new(),
            tags: BTreeMap::new(),
            adopted: false,
            change,
        };
        assert!(action(keep(true, false, false)).is_unchanged());
        assert!(!action(keep(false, true, false)).is_unchanged());
        assert!(!action(Change::NewRevision).is_unchanged());
    }
}
