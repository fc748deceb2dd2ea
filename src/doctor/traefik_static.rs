//! Traefik's static configuration as its ECS task definition gives it: the
//! container's command (`--providers.ecs.clusters=dev`, `--providers.ecs=true`,
//! …) and environment (`TRAEFIK_PROVIDERS_ECS_CLUSTERS=dev`), read into one map
//! of lower-cased dotted keys, and judged against what dynroute needs. Traefik's
//! API does not expose static settings, so this is the only place to read them;
//! a `--configFile` (or a command that names none of them) means "configured by
//! file", which `doctor` reports as skipped.

use std::collections::BTreeMap;

/// Static settings: `providers.ecs.clusters` → `dev,other`.
pub type Settings = BTreeMap<String, String>;

/// The settings of a Traefik container's command and environment. `None`
/// when they come from a file (a `--configFile` flag, or a command and
/// environment without any `providers` setting).
pub fn read(command: &[String], environment: &[(String, String)]) -> Option<Settings> {
    let mut out = Settings::new();
    for (name, value) in environment {
        if let Some(key) = name.strip_prefix("TRAEFIK_") {
            out.insert(key.to_lowercase().replace('_', "."), value.clone());
        }
    }
    for arg in command {
        let Some(flag) = arg.strip_prefix("--") else {
            continue;
        };
        let (key, value) = flag.split_once('=').unwrap_or((flag, "true"));
        out.insert(key.to_lowercase(), value.to_owned());
    }
    let from_file = out.contains_key("configfile")
        || !out
            .keys()
            .any(|k| k.starts_with("providers.") || k == "providers");
    (!from_file).then_some(out)
}

fn truthy(settings: &Settings, key: &str) -> Option<bool> {
    settings
        .get(key)
        .map(|v| v.eq_ignore_ascii_case("true") || v.is_empty())
}

/// What is wrong with the ECS provider for `cluster`: each problem with its
/// fix, empty when it is as dynroute needs it.
pub fn problems(settings: &Settings, cluster: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let ecs_on = truthy(settings, "providers.ecs") == Some(true)
        || settings.keys().any(|k| k.starts_with("providers.ecs."));
    if !ecs_on {
        out.push((
            "the ECS provider is off".to_owned(),
            "add --providers.ecs=true".to_owned(),
        ));
        return out;
    }
    let auto = truthy(settings, "providers.ecs.autodiscoverclusters") == Some(true);
    let clusters: Vec<&str> = settings
        .get("providers.ecs.clusters")
        .map(|v| v.split(',').map(str::trim).collect())
        .unwrap_or_default();
    if auto && !clusters.is_empty() {
        out.push((
            format!(
                "autoDiscoverClusters=true overrides clusters={}: Traefik polls every cluster of the account",
                clusters.join(",")
            ),
            "set --providers.ecs.autoDiscoverClusters=false".to_owned(),
        ));
    } else if !auto && !clusters.contains(&cluster) {
        let read = match clusters.is_empty() {
            true => "only `default`".to_owned(),
            false => clusters.join(","),
        };
        out.push((
            format!("the ECS provider reads {read}, not {cluster}"),
            format!("set --providers.ecs.clusters={cluster}"),
        ));
    }
    let exposed = truthy(settings, "providers.ecs.exposedbydefault").unwrap_or(true);
    if exposed && !settings.contains_key("providers.ecs.constraints") {
        out.push((
            "exposedByDefault is true: every task of the cluster gets a router, dynroute's or not"
                .to_owned(),
            "set --providers.ecs.exposedByDefault=false (dynroute labels what it routes)"
                .to_owned(),
        ));
    }
    if !settings.contains_key("providers.ecs.refreshseconds") {
        out.push((
            "no explicit refreshSeconds: Traefik polls every 15 s by default, unstated".to_owned(),
            "set --providers.ecs.refreshSeconds=15 (or what the Performance chapter suggests for your size)".to_owned(),
        ));
    }
    if truthy(settings, "metrics.prometheus") != Some(true)
        && !settings.keys().any(|k| k.starts_with("metrics."))
    {
        out.push((
            "no metrics: Traefik's request counts are not exported".to_owned(),
            "add --metrics.prometheus=true".to_owned(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(flags: &[&str]) -> Vec<String> {
        flags.iter().map(|f| (*f).to_owned()).collect()
    }

    const GOOD: &[&str] = &[
        "--providers.ecs=true",
        "--providers.ecs.clusters=dev",
        "--providers.ecs.autoDiscoverClusters=false",
        "--providers.ecs.exposedByDefault=false",
        "--providers.ecs.refreshSeconds=15",
        "--metrics.prometheus=true",
    ];

    #[test]
    fn the_kits_flags_have_no_problem() {
        let s = read(&args(GOOD), &[]).unwrap();
        assert_eq!(problems(&s, "dev"), vec![]);
    }

    #[test]
    fn each_setting_dynroute_needs_is_named_with_its_fix() {
        let with = |change: (&str, &str)| {
            let mut flags = args(GOOD);
            flags.retain(|f| !f.starts_with(change.0));
            if !change.1.is_empty() {
                flags.push(change.1.to_owned());
            }
            problems(&read(&flags, &[]).unwrap(), "dev")
        };
        for (change, expected) in [
            (
                (
                    "--providers.ecs.exposedByDefault",
                    "--providers.ecs.exposedByDefault=true",
                ),
                "exposedByDefault is true",
            ),
            (
                ("--providers.ecs.clusters", "--providers.ecs.clusters=other"),
                "reads other, not dev",
            ),
            (
                (
                    "--providers.ecs.autoDiscoverClusters",
                    "--providers.ecs.autoDiscoverClusters=true",
                ),
                "overrides clusters=dev",
            ),
            (
                ("--providers.ecs.refreshSeconds", ""),
                "no explicit refreshSeconds",
            ),
            (("--metrics.prometheus", ""), "no metrics"),
        ] {
            let found = with(change);
            assert_eq!(found.len(), 1, "{change:?}: {found:?}");
            assert!(found[0].0.contains(expected), "{found:?}");
        }
    }

    #[test]
    fn environment_variables_count_and_a_config_file_is_not_read() {
        let env = vec![
            (
                "TRAEFIK_PROVIDERS_ECS_CLUSTERS".to_owned(),
                "dev".to_owned(),
            ),
            (
                "TRAEFIK_PROVIDERS_ECS_EXPOSEDBYDEFAULT".to_owned(),
                "false".to_owned(),
            ),
        ];
        let s = read(&[], &env).unwrap();
        assert_eq!(s["providers.ecs.clusters"], "dev");
        assert!(read(&args(&["--configFile=/etc/traefik.yml"]), &[]).is_none());
        assert!(read(&args(&["--log.level=INFO"]), &[]).is_none());
    }
}
