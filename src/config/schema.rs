//! The `dynroute.yaml` file as written: serde types with strict keys.
//!
//! Field values that must satisfy a rule are newtypes validated during
//! deserialization, so their errors carry the file position and field path.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use crate::naming::{ProjectName, ServiceName, Version};
use crate::routing::{
    BaggageKey, CookieName, EntryPoint, Hostname, HttpPath, Protocol, RuleSyntax,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub project: Option<ProjectName>,
    pub cluster: Option<String>,
    pub region: Option<String>,
    #[serde(default)]
    pub baggage_key: BaggageKey,
    pub main_version: Option<Version>,
    pub protected: Option<Vec<Version>>,
    pub ttl: Option<Ttl>,
    pub domain: Option<Hostname>,
    #[serde(default)]
    pub traefik: TraefikFile,
    pub ingress: Option<IngressFile>,
    pub launch_type: Option<LaunchType>,
    pub capacity_provider_strategy: Option<Vec<CapacityProviderItem>>,
    pub network: Option<Network>,
    pub limits: Option<LimitsFile>,
    pub capacity_provider_strategy_ephemeral: Option<Vec<CapacityProviderItem>>,
    pub fallback: Option<Vec<Version>>,
    pub browser: Option<BrowserFile>,
    pub hooks: Option<super::hooks::HooksFile>,
    pub activity: Option<super::activity::ActivityFile>,
    pub services: BTreeMap<ServiceName, ServiceFile>,
}

/// `browser:`: how a browser picks a version without setting headers.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrowserFile {
    pub cookie: Option<CookieName>,
    pub cookie_domain: Option<Hostname>,
    pub version_hosts: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraefikFile {
    #[serde(default)]
    pub rule_syntax: RuleSyntax,
    #[serde(default)]
    pub entrypoints: Vec<EntryPoint>,
    pub priority: Option<u32>,
    pub main_priority: Option<u32>,
    /// Traefik's API, for `dynroute check`'s lint.
    pub api_url: Option<String>,
}

/// Where Traefik is reachable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingress {
    Url(String),
    /// An ALB name, resolved to its DNS name with ELBv2.
    LoadBalancer(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IngressFile {
    pub url: Option<String>,
    pub load_balancer: Option<String>,
}

impl TryFrom<IngressFile> for Ingress {
    type Error = String;
    fn try_from(raw: IngressFile) -> Result<Self, String> {
        match (raw.url, raw.load_balancer) {
            (Some(url), None) => {
                let host = url
                    .strip_prefix("http://")
                    .or_else(|| url.strip_prefix("https://"));
                let ok = host.is_some_and(|h| !h.is_empty() && !h.starts_with('/'))
                    && !url
                        .chars()
                        .any(|c| c.is_whitespace() || c == '\'' || c == '"');
                if ok {
                    Ok(Ingress::Url(url.trim_end_matches('/').to_owned()))
                } else {
                    Err(format!(
                        "ingress.url {url:?} is not an http:// or https:// URL"
                    ))
                }
            }
            (None, Some(name)) => {
                let ok = !name.is_empty()
                    && name.len() <= 32
                    && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
                if ok {
                    Ok(Ingress::LoadBalancer(name))
                } else {
                    Err(format!(
                        "ingress.load_balancer {name:?} is not a load balancer name (letters, digits, `-`, at most 32)"
                    ))
                }
            }
            (Some(_), Some(_)) => {
                Err("ingress: set either `url` or `load_balancer`, not both".into())
            }
            (None, None) => Err("ingress: set `url` or `load_balancer`".into()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LaunchType {
    Fargate,
    Ec2,
    External,
}

impl LaunchType {
    /// The ECS API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchType::Fargate => "FARGATE",
            LaunchType::Ec2 => "EC2",
            LaunchType::External => "EXTERNAL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityProviderItem {
    pub capacity_provider: String,
    /// 1 when omitted: ECS's own default of 0 on every item is a strategy it refuses.
    #[serde(default = "one")]
    pub weight: i32,
    #[serde(default)]
    pub base: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    pub subnets: Vec<String>,
    #[serde(default)]
    pub security_groups: Vec<String>,
    #[serde(default)]
    pub assign_public_ip: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    pub template: PathBuf,
    pub container: Option<String>,
    /// Required unless `routing: none`.
    pub port: Option<Port>,
    /// `traefik` (the default) or `none`: a worker with no route.
    #[serde(default)]
    pub routing: RoutingMode,
    pub hosts: Option<Vec<Hostname>>,
    #[serde(default)]
    pub protocol: Protocol,
    pub health_check_path: Option<HttpPath>,
    pub desired_count: Option<u32>,
    #[serde(default)]
    pub vars: BTreeMap<String, serde_yaml::Value>,
    /// The `main` the team already runs for this service.
    pub baseline: Option<BaselineFile>,
}

/// `services.NAME.routing`: whether Traefik routes requests to the service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoutingMode {
    /// Routed by Traefik: labels, hosts, a port.
    #[default]
    Traefik,
    /// No route: a queue consumer or a scheduled worker (no labels, no port).
    None,
}

/// `services.NAME.baseline` as written: one of the two keys.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub ecs_service: Option<String>,
    pub url: Option<String>,
}

/// The main version of a service that the team already runs, deployed by its
/// own tooling: dynroute routes main's requests (and every fallback to main)
/// to it and never writes to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Baseline {
    /// An ECS service on the cluster, any name, any deployer.
    EcsService(String),
    /// A URL outside this cluster's ECS services (an internal load balancer, a
    /// Cloud Map name, another cluster), reached through Traefik's file provider.
    Url(String),
}

impl Baseline {
    /// The validated baseline of service `name`, or what is wrong with it.
    pub fn from_file(name: &str, raw: BaselineFile) -> Result<Baseline, String> {
        match (raw.ecs_service, raw.url) {
            (Some(service), None) => {
                let ok = !service.is_empty()
                    && service.len() <= 255
                    && service
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                if ok {
                    Ok(Baseline::EcsService(service))
                } else {
                    Err(format!(
                        "services.{name}.baseline.ecs_service {service:?} is not an ECS service name (1-255 letters, digits, `-` and `_`)"
                    ))
                }
            }
            (None, Some(url)) => {
                let host = url
                    .strip_prefix("http://")
                    .or_else(|| url.strip_prefix("https://"))
                    .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
                let ok = host.is_some_and(|h| !h.is_empty() && !h.starts_with(':'))
                    && !url.chars().any(|c| {
                        c.is_whitespace() || c.is_control() || c == '\'' || c == '"' || c == '`'
                    });
                if ok {
                    Ok(Baseline::Url(url.trim_end_matches('/').to_owned()))
                } else {
                    Err(format!(
                        "services.{name}.baseline.url {url:?} is not an absolute http:// or https:// URL (e.g. http://api.internal:8080)"
                    ))
                }
            }
            (Some(_), Some(_)) => Err(format!(
                "services.{name}.baseline has both `ecs_service` and `url`: main is one or the other"
            )),
            (None, None) => Err(format!(
                "services.{name}.baseline is empty: give `ecs_service: NAME` or `url: http://…`"
            )),
        }
    }

    /// How the baseline is named in messages: `ECS service api`, `http://…`.
    pub fn describe(&self) -> String {
        match self {
            Baseline::EcsService(s) => format!("ECS service {s}"),
            Baseline::Url(u) => u.clone(),
        }
    }
}

fn one() -> i32 {
    1
}

/// A TCP port, 1–65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Port(pub u16);

impl<'de> Deserialize<'de> for Port {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::naming::checked::unsigned(d)
    }
}

impl TryFrom<u64> for Port {
    type Error = String;
    fn try_from(n: u64) -> Result<Self, String> {
        match u16::try_from(n) {
            Ok(p) if p > 0 => Ok(Port(p)),
            _ => Err(format!("port {n} is out of range: expected 1 to 65535")),
        }
    }
}

/// How long a non-protected version lives after its last `up`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ttl {
    Never,
    After(Duration),
}

impl<'de> Deserialize<'de> for Ttl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::naming::checked::string(d)
    }
}

impl TryFrom<String> for Ttl {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        s.parse()
    }
}

/// The longest TTL written as a duration (ten years); longer is `never`, said so.
pub const MAX_TTL: Duration = Duration::from_secs(10 * 365 * 86_400);

impl std::str::FromStr for Ttl {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "never" {
            return Ok(Ttl::Never);
        }
        match humantime::parse_duration(s) {
            Ok(d) if d > MAX_TTL => Err(format!(
                "{s:?} is longer than ten years: write `never` for a version that does not expire"
            )),
            Ok(d) if !d.is_zero() => Ok(Ttl::After(d)),
            _ => Err(format!(
                "invalid duration {s:?}: expected e.g. `72h`, `3d`, `90m` or `never`"
            )),
        }
    }
}

impl Default for Ttl {
    fn default() -> Self {
        Ttl::After(Duration::from_secs(72 * 3600))
    }
}

/// A limit: a whole number of at least 1 (zero would forbid everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Positive(pub u32);

impl<'de> Deserialize<'de> for Positive {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::naming::checked::unsigned(d)
    }
}

impl TryFrom<u64> for Positive {
    type Error = String;
    fn try_from(n: u64) -> Result<Self, String> {
        match u32::try_from(n) {
            Ok(0) => Err("a limit of 0 would refuse every version: expected 1 or more (remove the key for no limit)".into()),
            Ok(n) => Ok(Positive(n)),
            Err(_) => Err(format!("{n} is too large for a limit")),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsFile {
    pub max_versions: Option<Positive>,
    pub max_versions_per_owner: Option<Positive>,
    pub max_desired_count: Option<Positive>,
    pub max_ttl: Option<Ttl>,
}
