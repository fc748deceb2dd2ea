//! `dynroute.yaml`: discovery, loading, validation, and the resolved [`Project`].
//!
//! Raw file values ([`schema`]) plus command-line overrides become a [`Project`]
//! once, on the way in; commands only ever see the resolved form.

pub mod activity;
pub use activity::Activity;
mod aws_names;
pub use aws_names::{check_cluster, check_region};

mod guardrails;
pub use guardrails::Limits;
pub mod hooks;
pub use hooks::{Hook, HookNames, Hooks, Phase};
mod locate;
pub mod scaffold;
pub mod schema;

mod ways_in;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::UserError;
use crate::naming::{ProjectName, ServiceName, Version};
use crate::routing::{BaggageKey, Hostname, HttpPath, Protocol, TraefikSettings, WaysIn};
pub use schema::{Baseline, CapacityProviderItem, Ingress, LaunchType, Network, Ttl};
use schema::{ConfigFile, ServiceFile};
pub use ways_in::check_version;

/// An `http://` or `https://` URL without quotes, spaces or control
/// characters (it is printed into curl lines), trailing `/` removed.
pub fn http_url(key: &str, url: &str) -> Result<String, String> {
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && url.len() > "https://".len()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\'' || c == '"');
    if ok {
        Ok(url.trim_end_matches('/').to_owned())
    } else {
        Err(format!("{key} {url:?} is not an http:// or https:// URL"))
    }
}

/// The file name looked for in the current directory and its parents.
pub const FILE_NAME: &str = "dynroute.yaml";

/// Values given on the command line or in the environment that win over the file.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub cluster: Option<String>,
    pub region: Option<String>,
}

/// How services are placed: a launch type or a capacity provider strategy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    LaunchType(LaunchType),
    CapacityProviders(Vec<CapacityProviderItem>),
}

/// One service, resolved.
#[derive(Debug, Clone)]
pub struct ServiceSettings {
    pub name: ServiceName,
    /// Absolute (or config-relative joined) path of the template.
    pub template: PathBuf,
    /// The container that receives the routing labels.
    pub container: String,
    /// Whether Traefik routes to the service (`routing: none`: a worker, with
    /// no labels, no hosts and no port of its own).
    pub routed: bool,
    /// The container port Traefik sends requests to (0 when not routed).
    pub port: u16,
    pub hosts: Vec<Hostname>,
    pub protocol: Protocol,
    pub health_check_path: Option<HttpPath>,
    pub desired_count: u32,
    pub vars: BTreeMap<String, serde_yaml::Value>,
    /// The `main` the team already runs (dynroute never deploys or touches it).
    pub baseline: Option<Baseline>,
}

impl ServiceSettings {
    /// Where requests and checks go: the health check path, else `/`.
    pub fn path(&self) -> &str {
        self.health_check_path.as_ref().map_or("/", |p| p.as_str())
    }

    /// `http://{host}{path}` for every host.
    pub fn urls(&self) -> Vec<String> {
        self.hosts
            .iter()
            .map(|h| format!("http://{h}{}", self.path()))
            .collect()
    }
}

/// The resolved project configuration.
#[derive(Debug, Clone)]
pub struct Project {
    pub path: PathBuf,
    /// Whose services these are (tag `dynroute:project`).
    pub project: ProjectName,
    pub cluster: String,
    pub region: Option<String>,
    pub baggage_key: BaggageKey,
    pub main_version: Version,
    pub protected: BTreeSet<Version>,
    pub ttl: Ttl,
    pub traefik: TraefikSettings,
    pub ingress: Option<Ingress>,
    /// `traefik.api_url`: Traefik's API, read by `check`.
    pub traefik_api_url: Option<String>,
    pub placement: Placement,
    pub network: Option<Network>,
    pub services: BTreeMap<ServiceName, ServiceSettings>,
    /// Guardrails for new versions on the shared cluster.
    pub limits: crate::config::Limits,
    /// Placement of non-protected versions, when it differs from [`Project::placement`].
    pub ephemeral_placement: Option<Placement>,
    /// Cookie, version hosts and fallback tiers.
    pub ways_in: WaysIn,
    /// One-off tasks around `up` and `down` (`hooks:`).
    pub hooks: Hooks,
    /// Where the activity recorder reads Traefik's counters (`activity:`).
    pub activity: Option<Activity>,
}

impl Project {
    /// Whether `down`/`prune` need `--force` for this version and it never expires.
    pub fn is_protected(&self, version: &Version) -> bool {
        self.protected.contains(version)
    }

    /// How services of `version` are placed: protected versions always use
    /// [`Project::placement`], the others the ephemeral strategy when configured.
    pub fn placement_for(&self, version: &Version) -> &Placement {
        match &self.ephemeral_placement {
            Some(ephemeral) if !self.is_protected(version) => ephemeral,
            _ => &self.placement,
        }
    }

    /// The services selected with `-s`, or all of them; unknown names are errors.
    pub fn select(&self, names: &[ServiceName]) -> Result<Vec<&ServiceSettings>, UserError> {
        if names.is_empty() {
            return Ok(self.services.values().collect());
        }
        let mut unique: Vec<&ServiceName> = Vec::new();
        for name in names {
            if !unique.contains(&name) {
                unique.push(name);
            }
        }
        unique
            .into_iter()
            .map(|name| {
                self.services.get(name).ok_or_else(|| {
                    let known: Vec<&str> = self.services.keys().map(|s| s.as_str()).collect();
                    UserError::usage(format!(
                        "service `{name}` is not declared in {}",
                        self.path.display()
                    ))
                    .hint(format!("declared services: {}", known.join(", ")))
                })
            })
            .collect()
    }
}

/// Finds the config file: an explicit path (flag or `DYNROUTE_CONFIG`), else
/// `dynroute.yaml` in `start` or the nearest parent.
pub fn discover(explicit: Option<&Path>, start: &Path) -> Result<Option<PathBuf>, UserError> {
    if let Some(path) = explicit {
        if path.exists() {
            // A directory or a device is refused with its reason when read.
            return Ok(Some(path.to_owned()));
        }
        return Err(
            UserError::usage(format!("config file {} does not exist", path.display()))
                .hint("check --config / DYNROUTE_CONFIG"),
        );
    }
    Ok(start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file()))
}

/// The error for commands that need a config file and found none.
pub fn not_found(start: &Path) -> UserError {
    UserError::usage(format!(
        "no {FILE_NAME} found in {} or any parent directory",
        start.display()
    ))
    .hint("run `dynroute init` to create one, or pass --config PATH")
}

/// Reads, parses and validates the file at `path`.
pub fn load(path: &Path, overrides: &Overrides) -> anyhow::Result<Project> {
    let text = crate::files::read(path, "config file")?;
    load_text(path, &text, overrides)
}

/// Parses and validates `text` as the config at `path` (which need not exist:
/// `init` validates what it is about to write).
pub fn load_text(path: &Path, text: &str, overrides: &Overrides) -> anyhow::Result<Project> {
    crate::files::check_depth(path, text)?;
    crate::files::check_aliases(path, text)?;
    crate::files::check_plain_yaml(path, text)?;
    let file: ConfigFile =
        serde_yaml::from_str(text).map_err(|err| crate::files::yaml_error(path, &err))?;
    Ok(resolve(path, text, file, overrides)?)
}

fn resolve(
    path: &Path,
    text: &str,
    file: ConfigFile,
    overrides: &Overrides,
) -> Result<Project, UserError> {
    let at = |keys: &[&str], message: String| {
        let line = locate::line_of(text, keys)
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
        UserError::usage(format!("{}{line}: {message}", path.display()))
    };

    let cluster = overrides
        .cluster
        .clone()
        .or(file.cluster)
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| {
            at(&["cluster"], "`cluster` is required".into())
                .hint("set `cluster: NAME` in the file, or pass --cluster / DYNROUTE_CLUSTER")
        })?;
    aws_names::check_cluster(&cluster).map_err(|message| at(&["cluster"], message))?;
    let region = overrides.region.clone().or(file.region);
    if let Some(region) = &region {
        aws_names::check_region(region).map_err(|message| at(&["region"], message))?;
    }

    let main_version = file
        .main_version
        .unwrap_or_else(|| "main".parse().expect("valid"));
    let mut protected: BTreeSet<Version> = file.protected.unwrap_or_default().into_iter().collect();
    protected.insert(main_version.clone());

    let defaults = TraefikSettings::default();
    let traefik = TraefikSettings {
        rule_syntax: file.traefik.rule_syntax,
        entrypoints: file.traefik.entrypoints,
        priority: file.traefik.priority.unwrap_or(defaults.priority),
        main_priority: file.traefik.main_priority.unwrap_or(defaults.main_priority),
    };
    if traefik.main_priority == 0 {
        return Err(at(
            &["traefik", "main_priority"],
            "traefik.main_priority must be at least 1: with 0 Traefik ranks routers by rule length and main would beat every version".into(),
        ));
    }
    if traefik.priority <= traefik.main_priority {
        return Err(at(
            &["traefik", "priority"],
            format!(
                "traefik.priority ({}) must be higher than traefik.main_priority ({}), or version routers never win",
                traefik.priority, traefik.main_priority
            ),
        ));
    }

    let traefik_api_url = file
        .traefik
        .api_url
        .map(|url| http_url("traefik.api_url", &url))
        .transpose()
        .map_err(|message| at(&["traefik", "api_url"], message))?;

    let ingress = file
        .ingress
        .map(Ingress::try_from)
        .transpose()
        .map_err(|message| at(&["ingress"], message))?;

    let placement = match (file.launch_type, file.capacity_provider_strategy) {
        (Some(_), Some(_)) => {
            return Err(at(
                &["capacity_provider_strategy"],
                "set either `launch_type` or `capacity_provider_strategy`, not both".into(),
            ));
        }
        (_, Some(strategy)) if strategy.is_empty() => {
            return Err(at(
                &["capacity_provider_strategy"],
                "capacity_provider_strategy is empty".into(),
            ));
        }
        (_, Some(strategy)) => Placement::CapacityProviders(strategy),
        (launch_type, None) => Placement::LaunchType(launch_type.unwrap_or(LaunchType::Fargate)),
    };
    if file.network.as_ref().is_some_and(|n| n.subnets.is_empty()) {
        return Err(at(
            &["network", "subnets"],
            "network.subnets is empty".into(),
        ));
    }

    let limits =
        guardrails::limits(file.limits).map_err(|(key, message)| at(&["limits", key], message))?;
    let ephemeral_placement =
        guardrails::ephemeral_strategy(file.capacity_provider_strategy_ephemeral)
            .map_err(|message| at(&["capacity_provider_strategy_ephemeral"], message))?
            .map(Placement::CapacityProviders);

    if file.services.is_empty() {
        return Err(at(&["services"], "`services` declares no service".into())
            .hint("declare at least one, e.g. `services: { api: { template: templates/api.yaml, port: 8080 } }`"));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let project = match file.project {
        Some(name) => name,
        // `--config dynroute.yaml` has an empty parent: its folder is the current one.
        None => {
            let folder = match std::env::current_dir() {
                Ok(cwd) if dir.is_relative() => cwd.join(dir),
                _ => dir.to_owned(),
            };
            ProjectName::default_for(&folder).ok_or_else(|| {
                at(
                    &["project"],
                    "cannot derive a project name from the git remote or the folder".into(),
                )
                .hint("set `project: NAME` (lowercase letters, digits and `-`)")
            })?
        }
    };
    let mut services = BTreeMap::new();
    for (name, mut svc) in file.services {
        let baseline = (svc.baseline.take())
            .map(|b| Baseline::from_file(name.as_str(), b))
            .transpose()
            .map_err(|message| at(&["services", name.as_str(), "baseline"], message))?;
        let settings = resolve_service(&name, svc, dir, file.domain.as_ref())
            .map_err(|message| at(&["services", name.as_str()], message))?;
        if !settings.routed && matches!(baseline, Some(Baseline::Url(_))) {
            return Err(at(
                &["services", name.as_str(), "baseline"],
                format!(
                    "services.{name} has `routing: none`: a URL baseline is a route, and the service has none"
                ),
            ));
        }
        services.insert(
            name,
            ServiceSettings {
                baseline,
                ..settings
            },
        );
    }

    let hooks = match file.hooks {
        None => Hooks::default(),
        Some(raw) => hooks::resolve(raw, &services).map_err(|(keys, message)| {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            at(&keys, message)
        })?,
    };

    let activity = file
        .activity
        .map(activity::resolve)
        .transpose()
        .map_err(|(key, message)| match key {
            "activity" => at(&["activity"], message),
            key => at(&["activity", key], message),
        })?;

    let ways_in = ways_in::resolve(
        &ways_in::Inputs {
            path,
            text,
            baggage_key: &file.baggage_key,
            main_version: &main_version,
            domain: file.domain.as_ref(),
            traefik: &traefik,
            services: services.keys().collect(),
            hosts: services.values().flat_map(|s| &s.hosts).collect(),
        },
        file.fallback,
        file.browser,
    )?;

    Ok(Project {
        path: path.to_owned(),
        project,
        cluster,
        region,
        baggage_key: file.baggage_key,
        main_version,
        protected,
        ttl: file.ttl.unwrap_or_default(),
        traefik,
        ingress,
        traefik_api_url,
        placement,
        network: file.network,
        services,
        limits,
        ephemeral_placement,
        ways_in,
        hooks,
        activity,
    })
}

fn resolve_service(
    name: &ServiceName,
    svc: ServiceFile,
    dir: &Path,
    domain: Option<&Hostname>,
) -> Result<ServiceSettings, String> {
    if svc.routing == schema::RoutingMode::None {
        for (set, key) in [
            (svc.hosts.is_some(), "hosts"),
            (svc.health_check_path.is_some(), "health_check_path"),
        ] {
            if set {
                return Err(format!(
                    "services.{name} has `routing: none` and `{key}`: a service without a route has no {key} (remove one of them)"
                ));
            }
        }
        let container = svc.container.unwrap_or_else(|| name.to_string());
        if container.trim().is_empty() {
            return Err(format!("services.{name}.container is empty"));
        }
        return Ok(ServiceSettings {
            name: name.clone(),
            template: dir.join(&svc.template),
            container,
            routed: false,
            port: svc.port.map_or(0, |p| p.0),
            hosts: Vec::new(),
            protocol: svc.protocol,
            health_check_path: None,
            desired_count: svc.desired_count.unwrap_or(1),
            vars: svc.vars,
            baseline: None,
        });
    }
    let Some(port) = svc.port else {
        return Err(format!(
            "services.{name} has no `port`: Traefik needs the container port it sends requests to (or say `routing: none` for a worker without a route)"
        ));
    };
    let hosts = match (svc.hosts, domain) {
        (Some(hosts), _) if hosts.is_empty() => {
            return Err(format!("services.{name}.hosts is empty"));
        }
        (Some(hosts), _) => hosts,
        (None, Some(domain)) => vec![
            format!("{name}.{domain}")
                .parse()
                .map_err(|e: String| format!("services.{name}: default host: {e}"))?,
        ],
        (None, None) => {
            return Err(format!(
                "services.{name} has no `hosts` and the file has no `domain` to derive `{name}.DOMAIN` from"
            ));
        }
    };
    let container = svc.container.unwrap_or_else(|| name.to_string());
    if container.trim().is_empty() {
        return Err(format!("services.{name}.container is empty"));
    }
    Ok(ServiceSettings {
        name: name.clone(),
        template: dir.join(&svc.template),
        container,
        routed: true,
        port: port.0,
        hosts,
        protocol: svc.protocol,
        health_check_path: svc.health_check_path,
        desired_count: svc.desired_count.unwrap_or(1),
        vars: svc.vars,
        baseline: None,
    })
}

#[cfg(test)]
mod tests;
