//! `limits:` and `capacity_provider_strategy_ephemeral:` of dynroute.yaml.
//!
//! Kept apart from the rest of the schema: both are about sharing one cluster
//! fairly, not about how a single version is deployed.

use serde::Deserialize;

use super::schema::{CapacityProviderItem, Ttl};
use crate::limits::Limits;

/// A limit: a whole number of at least 1 (zero would forbid everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Positive(pub u32);

impl<'de> Deserialize<'de> for Positive {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::checked::unsigned(d)
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
