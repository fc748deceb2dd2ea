//! Which projects' services a command acts on (pure).
//!
//! Two repositories may declare the same service name on one cluster; the
//! `dynroute:project` tag keeps them apart. `ls`, `down` and `prune` see this
//! project's services (and untagged ones from before the tag existed, which
//! the first `up` of their project adopts) unless `--all-projects`.

use crate::ecs::ServiceState;
use crate::naming::ProjectName;
use crate::naming::tags;

/// The projects a command acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Project(ProjectName),
    All,
}

impl Scope {
    /// `--all-projects`, else the project of the config file.
    pub fn new(project: &ProjectName, all_projects: bool) -> Scope {
        match all_projects {
            true => Scope::All,
            false => Scope::Project(project.clone()),
        }
    }

    /// The project to keep to, `None` for all.
    pub fn project(&self) -> Option<String> {
        match self {
            Scope::Project(p) => Some(p.to_string()),
            Scope::All => None,
        }
    }

    /// Whether `state` is in scope.
    pub fn includes(&self, state: &ServiceState) -> bool {
        match (self, project_of(state)) {
            (Scope::All, _) | (Scope::Project(_), None) => true,
            (Scope::Project(p), Some(other)) => p.as_str() == other,
        }
    }
}

/// The `dynroute:project` tag of a service, if it has one.
pub fn project_of(state: &ServiceState) -> Option<&str> {
    state.tag(tags::PROJECT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::ServiceStatus;

    fn tagged(project: Option<&str>) -> ServiceState {
        let mut tags = std::collections::BTreeMap::new();
        if let Some(p) = project {
            tags.insert(tags::PROJECT.to_owned(), p.to_owned());
        }
        ServiceState {
            name: "api--v".into(),
            arn: "arn".into(),
            status: ServiceStatus::Active,
            desired: 1,
            running: 1,
            pending: 0,
            task_definition: String::new(),
            deployments: vec![],
            events: vec![],
            tags,
        }
    }

    #[test]
    fn a_project_sees_its_own_and_untagged_services_all_projects_everything() {
        let shop = Scope::new(&"shop".parse().unwrap(), false);
        assert!(shop.includes(&tagged(Some("shop"))));
        assert!(shop.includes(&tagged(None)));
        assert!(!shop.includes(&tagged(Some("web"))));
        let all = Scope::new(&"shop".parse().unwrap(), true);
        assert!(all.includes(&tagged(Some("web"))));
    }
}
