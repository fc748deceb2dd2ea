//! Which host reaches a version (version hosts and the DNS label they must fit)
//! and which version answers a request that names one, given what is deployed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::naming::{ServiceName, Version, resource_name};

use super::{Hostname, WaysIn};

/// The longest DNS label (RFC 1035); a version host's first label must fit.
pub const MAX_LABEL: usize = 63;

/// `{service}--{version}.{domain}` when version hosts are on and the label fits.
pub fn version_host(ways: &WaysIn, service: &ServiceName, version: &Version) -> Option<Hostname> {
    let domain = ways.version_host_domain.as_ref()?;
    let label = resource_name(service, version);
    if label.len() > MAX_LABEL {
        return None;
    }
    format!("{label}.{domain}").parse().ok()
}

/// Why `{service}--{version}` cannot be a version host, if it cannot.
pub fn check_version_host(
    ways: &WaysIn,
    service: &ServiceName,
    version: &Version,
) -> Result<(), String> {
    let Some(domain) = &ways.version_host_domain else {
        return Ok(());
    };
    let label = resource_name(service, version);
    if label.len() > MAX_LABEL {
        return Err(format!(
            "the version host `{label}.{domain}` has a first label of {} characters; DNS allows at most {MAX_LABEL}",
            label.len()
        ));
    }
    format!("{label}.{domain}")
        .parse::<Hostname>()
        .map(|_| ())
        .map_err(|e| format!("the version host of `{service}` at `{version}`: {e}"))
}

/// Which version answers a request for a version on one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "tier", content = "version", rename_all = "snake_case")]
pub enum Tier {
    /// The requested version is deployed for the service.
    Requested(Version),
    /// The first version of `fallback` deployed for the service.
    Fallback(Version),
    /// Nothing else is: main answers.
    Main(Version),
}

impl Tier {
    /// The version that answers.
    pub fn version(&self) -> &Version {
        match self {
            Tier::Requested(v) | Tier::Fallback(v) | Tier::Main(v) => v,
        }
    }
}

/// The tier that serves a request naming `requested`, given the versions `live`
/// (deployed and routed) for the service.
pub fn serving_tier(
    ways: &WaysIn,
    main: &Version,
    requested: &Version,
    live: &BTreeSet<Version>,
) -> Tier {
    if live.contains(requested) {
        return Tier::Requested(requested.clone());
    }
    match ways.fallback.iter().find(|f| live.contains(*f)) {
        Some(f) => Tier::Fallback(f.clone()),
        None => Tier::Main(main.clone()),
    }
}

/// For every declared service in `services` that does not run `version`, the
/// tier that answers a request for it, given the versions each service runs.
pub fn served_elsewhere(
    ways: &WaysIn,
    main: &Version,
    version: &Version,
    services: &[&ServiceName],
    running: &BTreeMap<ServiceName, BTreeSet<Version>>,
) -> BTreeMap<ServiceName, Tier> {
    let none = BTreeSet::new();
    services
        .iter()
        .map(|s| {
            let live = running.get(*s).unwrap_or(&none);
            ((*s).clone(), serving_tier(ways, main, version, live))
        })
        .filter(|(_, tier)| !matches!(tier, Tier::Requested(_)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        s.parse().unwrap()
    }

    fn ways(fallback: &[&str]) -> WaysIn {
        WaysIn {
            version_host_domain: Some("dev.example.com".parse().unwrap()),
            fallback: fallback.iter().map(|f| v(f)).collect(),
            ..WaysIn::default()
        }
    }

    #[test]
    fn tiers_go_requested_then_fallback_in_order_then_main() {
        let w = ways(&["shadow", "staging"]);
        let live = |vs: &[&str]| vs.iter().map(|s| v(s)).collect::<BTreeSet<_>>();
        let main = v("main");
        let f1 = v("feature-1");
        assert_eq!(
            serving_tier(&w, &main, &f1, &live(&["main", "feature-1", "shadow"])),
            Tier::Requested(f1.clone())
        );
        assert_eq!(
            serving_tier(&w, &main, &f1, &live(&["main", "staging", "shadow"])),
            Tier::Fallback(v("shadow"))
        );
        assert_eq!(
            serving_tier(&w, &main, &f1, &live(&["main", "staging"])),
            Tier::Fallback(v("staging"))
        );
        assert_eq!(
            serving_tier(&w, &main, &f1, &live(&["main"])),
            Tier::Main(main.clone())
        );
        assert_eq!(
            serving_tier(&ways(&[]), &main, &f1, &live(&["shadow"])),
            Tier::Main(main)
        );
    }

    #[test]
    fn services_without_the_version_name_their_tier() {
        let w = ways(&["shadow"]);
        let (api, web, ui): (ServiceName, ServiceName, ServiceName) = (
            "api".parse().unwrap(),
            "web".parse().unwrap(),
            "ui".parse().unwrap(),
        );
        let running: BTreeMap<ServiceName, BTreeSet<Version>> = [
            (api.clone(), [v("main"), v("feature-1")].into()),
            (web.clone(), [v("main"), v("shadow")].into()),
        ]
        .into();
        let got = served_elsewhere(
            &w,
            &v("main"),
            &v("feature-1"),
            &[&api, &web, &ui],
            &running,
        );
        assert_eq!(
            got,
            [
                (web, Tier::Fallback(v("shadow"))),
                (ui, Tier::Main(v("main")))
            ]
            .into()
        );
    }

    #[test]
    fn version_hosts_respect_the_dns_label_limit() {
        let w = ways(&[]);
        let s: ServiceName = "api".parse().unwrap();
        assert_eq!(
            version_host(&w, &s, &v("feature-1")).unwrap().as_str(),
            "api--feature-1.dev.example.com"
        );
        let long = v(&"a".repeat(40));
        let long_service: ServiceName = "a".repeat(22).parse().unwrap();
        assert!(check_version_host(&w, &long_service, &long).is_err());
        assert!(version_host(&w, &long_service, &long).is_none());
        let fits: ServiceName = "a".repeat(21).parse().unwrap();
        assert!(check_version_host(&w, &fits, &long).is_ok());
        assert!(version_host(&WaysIn::default(), &s, &v("x")).is_none());
    }
}
