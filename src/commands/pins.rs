//! The inputs of `header` beyond the version: `--pin SERVICE=VERSION` values,
//! the baggage value they make, and the version hosts or links of a project.

use crate::config::{Project, ServiceSettings};
use crate::engine::ways_in::{self, EntryKind};
use crate::error::UserError;
use crate::naming::{ServiceName, Version};
use crate::report::format::HeaderFormat;
use crate::routing::baggage;
use crate::routing::{self, BaggageKey};

/// `--pin SERVICE=VERSION` values, checked against the project's services; a
/// later pin of the same service wins.
pub fn check_pins(
    project: Option<&Project>,
    pins: &[(ServiceName, Version)],
) -> Result<Vec<(ServiceName, Version)>, UserError> {
    let mut out = Vec::new();
    for (service, version) in pins {
        let project = project.ok_or_else(|| {
            UserError::usage("--pin needs dynroute.yaml to know the services")
                .hint("run in a project directory, or pass --config PATH")
        })?;
        if !project.services.contains_key(service) {
            let names: Vec<&str> = project.services.keys().map(|s| s.as_str()).collect();
            return Err(UserError::usage(format!(
                "--pin \"{service}={version}\": service `{service}` is not declared in {}",
                project.path.display()
            ))
            .hint(format!("declared services: {}", names.join(", "))));
        }
        crate::config::check_version(&project.ways_in, &[service], version)?;
        out.retain(|(s, _): &(ServiceName, Version)| s != service);
        out.push((service.clone(), version.clone()));
    }
    Ok(out)
}

/// Our member (merged into `existing` when given), then one member per pin.
pub fn baggage_value(
    key: &BaggageKey,
    version: &Version,
    existing: Option<&str>,
    pins: &[(ServiceName, Version)],
) -> Result<String, UserError> {
    let hint =
        "a baggage value is `key=value` members separated by commas, e.g. `userId=alice,tenant=7`";
    let mut value = match existing {
        Some(existing) => baggage::merge(existing, key, version)
            .map_err(|err| UserError::usage(format!("--merge: {err}")).hint(hint))?,
        None => baggage::member(key, version),
    };
    for (service, pinned) in pins {
        value = baggage::merge(&value, &routing::pin_key(key, service), pinned)
            .map_err(|err| UserError::usage(format!("--pin: {err}")).hint(hint))?;
    }
    Ok(value)
}

/// `--format host` needs version hosts (checked before any AWS call).
pub fn check_entry_format(project: &Project, format: HeaderFormat) -> Result<(), UserError> {
    if format == HeaderFormat::Host && project.ways_in.version_host_domain.is_none() {
        return Err(UserError::usage(format!(
            "{} has no version hosts",
            project.path.display()
        ))
        .hint("set `domain:` (version hosts are on by default with it), and not `browser: {version_hosts: false}`"));
    }
    Ok(())
}

/// The version host names or the links of the services that serve the version.
pub fn entry_lines(
    project: &Project,
    serving: &[&ServiceSettings],
    version: &Version,
    format: HeaderFormat,
) -> Vec<String> {
    if format == HeaderFormat::Host {
        return serving
            .iter()
            .filter_map(|s| routing::version_host(&project.ways_in, &s.name, version))
            .map(|host| host.to_string())
            .collect();
    }
    serving
        .iter()
        .flat_map(|s| ways_in::entry_points(project, version, &s.name))
        .filter(|e| e.kind == EntryKind::Link)
        .map(|e| e.value)
        .collect()
}
