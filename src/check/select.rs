//! Which services and versions `check` covers, from the one listing `ls` uses,
//! the config and (for `--all-projects`) the hosts Traefik's routers name (pure).

use std::collections::{BTreeMap, BTreeSet};

use super::cases::{Filter, ServiceTable};
use super::lint::{Expected, LintReportInput, LiveVersion, OurService};
use super::traefik::Loaded;
use crate::config::Project;
use crate::engine::inventory::{ServicePhase, VersionView};
use crate::naming::{ServiceName, Version};

/// service → version → (running, desired), live (not draining) services only.
pub type Live = BTreeMap<ServiceName, BTreeMap<Version, (i32, i32)>>;

/// The live versions of every service in the listing.
pub fn live(views: &[VersionView]) -> Live {
    let mut live: Live = BTreeMap::new();
    for view in views {
        for s in view
            .services
            .iter()
            .filter(|s| s.status != ServicePhase::Draining)
        {
            live.entry(s.service.clone())
                .or_default()
                .insert(view.version.clone(), (s.running, s.desired));
        }
    }
    live
}

/// The tables to generate cases for, and what was skipped and why.
pub fn tables(
    project: &Project,
    live: &Live,
    loaded: Option<&Loaded>,
    names: &[ServiceName],
    all_projects: bool,
) -> (Vec<ServiceTable>, Vec<String>) {
    let mut skipped = Vec::new();
    let mut tables = Vec::new();
    let wanted = |name: &ServiceName| names.is_empty() || names.contains(name);
    let candidates: BTreeSet<&ServiceName> = project.services.keys().chain(live.keys()).collect();
    for name in candidates.into_iter().filter(|n| wanted(n)) {
        let versions: BTreeSet<Version> = live
            .get(name)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let (hosts, path) = match project.services.get(name) {
            Some(s) if !s.routed => {
                skipped.push(format!("{name} (`routing: none`: no route to check)"));
                continue;
            }
            Some(s) => (s.hosts.clone(), s.path().to_owned()),
            None if !all_projects => {
                skipped.push(format!(
                    "{name} (not declared in {}; --all-projects checks it)",
                    project.path.display()
                ));
                continue;
            }
            None => match loaded.map(|l| super::lint::hosts_of(&l.routers, name)) {
                Some(hosts) if !hosts.is_empty() => (hosts, "/".to_owned()),
                _ => {
                    skipped.push(format!(
                        "{name} (not declared in the config, and no Traefik router tells its hosts)"
                    ));
                    continue;
                }
            },
        };
        if versions.is_empty() {
            skipped.push(format!("{name} (nothing deployed)"));
            continue;
        }
        tables.push(ServiceTable {
            service: name.clone(),
            hosts,
            path,
            versions,
        });
    }
    (tables, skipped)
}

/// What the lint expects Traefik to have loaded for these tables.
pub fn lint_input(
    project: &Project,
    tables: &[ServiceTable],
    live: &Live,
    filter: &Filter,
) -> LintReportInput {
    let main = &project.main_version;
    let services: Vec<OurService> = tables
        .iter()
        .map(|t| OurService {
            service: t.service.clone(),
            main_by_file: matches!(
                project
                    .services
                    .get(&t.service)
                    .and_then(|s| s.baseline.as_ref()),
                Some(crate::config::Baseline::Url(_))
            ),
            hosts: t.hosts.clone(),
            versions: live[&t.service]
                .iter()
                .filter(|(v, _)| {
                    filter.versions.is_empty() || filter.versions.contains(v) || *v == main
                })
                .map(|(v, (running, desired))| LiveVersion {
                    version: v.clone(),
                    running: *running,
                    desired: *desired,
                })
                .collect(),
        })
        .collect();
    LintReportInput {
        services,
        main_version: main.clone(),
        version_priority: i64::from(project.traefik.priority),
    }
}

impl LintReportInput {
    /// The borrowed form the lint reads.
    pub fn expected(&self) -> Expected<'_> {
        Expected {
            services: &self.services,
            main_version: &self.main_version,
            version_priority: self.version_priority,
        }
    }
}
