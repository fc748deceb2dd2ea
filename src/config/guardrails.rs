//! `limits:` and `capacity_provider_strategy_ephemeral:` of dynroute.yaml.
//!
//! Kept apart from the rest of the schema: both are about sharing one cluster
//! fairly, not about how a single version is deployed.

use super::schema::{CapacityProviderItem, LimitsFile, Ttl};
use std::time::Duration;

/// The `limits:` of dynroute.yaml, validated (every value is positive).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Live non-protected versions on the cluster, all projects.
    pub max_versions: Option<u32>,
    /// Live non-protected versions of one owner.
    pub max_versions_per_owner: Option<u32>,
    /// `desired_count` of any one service of a new version.
    pub max_desired_count: Option<u32>,
    /// The longest TTL a new version may have (`never` is over any limit).
    pub max_ttl: Option<Duration>,
}

impl Limits {
    /// Whether any limit is set (otherwise `up` needs no listing).
    pub fn any(&self) -> bool {
        *self != Limits::default()
    }
}

/// The validated limits; the error names the offending key.
pub fn limits(file: Option<LimitsFile>) -> Result<Limits, (&'static str, String)> {
    let Some(file) = file else {
        return Ok(Limits::default());
    };
    let max_ttl = match file.max_ttl {
        None => None,
        Some(Ttl::After(d)) => Some(d),
        Some(Ttl::Never) => {
            return Err((
                "max_ttl",
                "limits.max_ttl cannot be `never`: remove the key for no limit".into(),
            ));
        }
    };
    Ok(Limits {
        max_versions: file.max_versions.map(|p| p.0),
        max_versions_per_owner: file.max_versions_per_owner.map(|p| p.0),
        max_desired_count: file.max_desired_count.map(|p| p.0),
        max_ttl,
    })
}

/// The capacity provider strategy for non-protected versions, when set.
pub fn ephemeral_strategy(
    strategy: Option<Vec<CapacityProviderItem>>,
) -> Result<Option<Vec<CapacityProviderItem>>, String> {
    match strategy {
        Some(items) if items.is_empty() => {
            Err("capacity_provider_strategy_ephemeral is empty".into())
        }
        other => Ok(other),
    }
}
