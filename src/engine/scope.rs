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

    fn tagged(project: Option<&str>) -> ServiceState {
        let tags: Vec<(&str, &str)> = project.map(|p| (tags::PROJECT, p)).into_iter().collect();
        ServiceState::fixture("api--v").with_tags(&tags)
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
