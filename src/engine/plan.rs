//! What `up` will do per service, decided from what ECS reports (pure).
//!
//! The plan decides everything the executor then only carries out: create,
//! update, wait for a draining namesake first, or refuse to touch a service
//! dynroute does not manage; and, when CreateService answers that the name is
//! taken after all, what to do instead ([`after_conflict`]).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::ecs::{ServiceState, ServiceStatus};
use crate::error::UserError;
use crate::naming::ProjectName;
use crate::naming::tags;

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
    },
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

    /// `create` / `update` for tables.
    pub fn verb(&self) -> &'static str {
        match self {
            Action::Create | Action::CreateAfterDrain => "create",
            Action::Update { .. } => "update",
        }
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
}
