//! The arguments of `dynroute check` (clap derive only).

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::values;
use crate::naming::{ServiceName, Version};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only these versions [default: every live version]
    #[arg(value_name = "VERSION", value_parser = values::version)]
    pub versions: Vec<Version>,

    /// Only these services (repeatable) [default: all in the config]
    #[arg(short = 's', long = "service", value_name = "SERVICE", value_parser = values::service)]
    pub services: Vec<ServiceName>,

    /// Also check managed services that this config does not declare (hosts read from Traefik)
    #[arg(long)]
    pub all_projects: bool,

    /// Traefik's API to lint what it loaded [default: traefik.api_url from the config]
    #[arg(long, value_name = "URL", value_parser = values::traefik_api)]
    pub traefik_api: Option<String>,

    /// A token for Traefik's API behind the platform kit's load balancer, sent
    /// as `Authorization: Bearer TOKEN` to the API only (prefer the variable)
    #[arg(long, value_name = "TOKEN", env = "DYNROUTE_TRAEFIK_API_TOKEN", hide_env_values = true, value_parser = values::api_token)]
    pub traefik_api_token: Option<String>,

    /// Write every case as a Hurl file (run it with `hurl --test FILE`)
    #[arg(long, value_name = "FILE")]
    pub hurl: Option<PathBuf>,

    /// Write JUnit XML: one testcase per case and per lint finding
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Requests in flight at once
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=512))]
    pub concurrency: u16,

    /// Timeout of each request
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = values::positive_duration)]
    pub timeout: Duration,

    /// Report lint findings without failing the check
    #[arg(long)]
    pub warn_only: bool,
}
