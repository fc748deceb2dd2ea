//! `activity:` in `dynroute.yaml`: where the recorder reads Traefik's request
//! counters (the replicas' Prometheus endpoints, listed or found through ECS),
//! how often `serve` records, and the longest pause between two recordings
//! that still counts as watched (what `prune --idle` trusts).

use std::time::Duration;

use serde::Deserialize;

/// At most this many Traefik replicas (each keeps its counters in one tag of
/// every service, and a tag value holds 256 characters).
pub const MAX_REPLICAS: usize = 10;
/// How often `serve` records when `every:` says nothing else.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(60);
/// The longest pause between recordings that still counts as watched.
pub const DEFAULT_MAX_GAP: Duration = Duration::from_secs(30 * 60);
/// Traefik's own entrypoint in the platform kit (API, `/ping`, `/metrics`).
pub const DEFAULT_METRICS_PORT: u16 = 8080;

/// `activity:` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityFile {
    /// Each Traefik replica's Prometheus endpoint.
    pub metrics: Option<Vec<String>>,
    /// Traefik's ECS service on the cluster: each of its tasks is a replica.
    pub traefik_service: Option<String>,
    pub metrics_port: Option<u16>,
    pub metrics_path: Option<String>,
    pub every: Option<String>,
    pub max_gap: Option<String>,
}

/// Where the replicas are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replicas {
    /// `metrics:`: one URL per replica.
    Listed(Vec<String>),
    /// `traefik_service:`: the service's running tasks, each at
    /// `http://{private address}:{port}{path}`.
    Ecs {
        service: String,
        port: u16,
        path: String,
    },
}

/// The validated `activity:` section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub replicas: Replicas,
    pub every: Duration,
    pub max_gap: Duration,
}

fn duration(key: &str, text: Option<&str>, default: Duration) -> Result<Duration, String> {
    let Some(text) = text else {
        return Ok(default);
    };
    match humantime::parse_duration(text) {
        Ok(d) if d >= Duration::from_secs(1) && d <= Duration::from_secs(24 * 3600) => Ok(d),
        _ => Err(format!(
            "activity.{key} {text:?} is not a duration from 1s to 24h (e.g. `1m`)"
        )),
    }
}

/// An ECS service name: letters, digits, `-` and `_`, at most 255.
fn is_service_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Validates `activity:`; `Err((key, message))` names the key at fault.
pub fn resolve(file: ActivityFile) -> Result<Activity, (&'static str, String)> {
    let replicas = match (file.metrics, file.traefik_service) {
        (Some(_), Some(_)) => {
            return Err((
                "metrics",
                "activity: set either `metrics` (the replicas' URLs) or `traefik_service` (found through ECS), not both".into(),
            ));
        }
        (None, None) => {
            return Err((
                "activity",
                "activity: set `metrics` (each Traefik replica's Prometheus URL) or `traefik_service` (Traefik's ECS service, whose tasks are the replicas)".into(),
            ));
        }
        (Some(urls), None) => {
            if file.metrics_port.is_some() || file.metrics_path.is_some() {
                return Err((
                    "metrics",
                    "activity: `metrics_port` and `metrics_path` go with `traefik_service`; `metrics` lists whole URLs".into(),
                ));
            }
            if urls.is_empty() || urls.len() > MAX_REPLICAS {
                return Err((
                    "metrics",
                    format!(
                        "activity.metrics lists {} URLs: give from 1 to {MAX_REPLICAS} (one per Traefik replica)",
                        urls.len()
                    ),
                ));
            }
            let mut listed: Vec<String> = Vec::new();
            for (i, url) in urls.iter().enumerate() {
                let url = super::http_url(&format!("activity.metrics[{i}]"), url)
                    .map_err(|e| ("metrics", e))?;
                if listed.contains(&url) {
                    return Err((
                        "metrics",
                        format!("activity.metrics lists {url} twice: one URL per replica"),
                    ));
                }
                listed.push(url);
            }
            Replicas::Listed(listed)
        }
        (None, Some(service)) => {
            if !is_service_name(&service) {
                return Err((
                    "traefik_service",
                    format!(
                        "activity.traefik_service {} is not an ECS service name (letters, digits, `-`, `_`)",
                        crate::error::quoted(&service)
                    ),
                ));
            }
            let path = file.metrics_path.unwrap_or_else(|| "/metrics".into());
            let path_ok = path.starts_with('/')
                && path.len() <= 256
                && path
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/-_.~".contains(&b));
            if !path_ok {
                return Err((
                    "metrics_path",
                    format!(
                        "activity.metrics_path {} is not a URL path such as /metrics",
                        crate::error::quoted(&path)
                    ),
                ));
            }
            let port = file.metrics_port.unwrap_or(DEFAULT_METRICS_PORT);
            if port == 0 {
                return Err(("metrics_port", "activity.metrics_port must not be 0".into()));
            }
            Replicas::Ecs {
                service,
                port,
                path,
            }
        }
    };
    let every =
        duration("every", file.every.as_deref(), DEFAULT_EVERY).map_err(|e| ("every", e))?;
    let max_gap = duration("max_gap", file.max_gap.as_deref(), DEFAULT_MAX_GAP)
        .map_err(|e| ("max_gap", e))?;
    if max_gap < every * 2 {
        return Err((
            "max_gap",
            format!(
                "activity.max_gap ({}) must be at least twice activity.every ({}): one late recording must not count as a gap",
                humantime::format_duration(max_gap),
                humantime::format_duration(every)
            ),
        ));
    }
    Ok(Activity {
        replicas,
        every,
        max_gap,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(yaml: &str) -> ActivityFile {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn listed_replicas_and_defaults() {
        let a = resolve(file("metrics: [http://127.0.0.1:8082/metrics/]")).unwrap();
        assert_eq!(
            a.replicas,
            Replicas::Listed(vec!["http://127.0.0.1:8082/metrics".into()])
        );
        assert_eq!(a.every, DEFAULT_EVERY);
        assert_eq!(a.max_gap, DEFAULT_MAX_GAP);
        let a = resolve(file("traefik_service: traefik\nevery: 30s\nmax_gap: 5m")).unwrap();
        assert_eq!(
            a.replicas,
            Replicas::Ecs {
                service: "traefik".into(),
                port: 8080,
                path: "/metrics".into()
            }
        );
        assert_eq!(a.every, Duration::from_secs(30));
    }

    #[test]
    fn bad_sections_name_the_key() {
        let cases = [
            ("{}", "activity", "set `metrics`"),
            (
                "metrics: [http://a/m]\ntraefik_service: t",
                "metrics",
                "not both",
            ),
            ("metrics: []", "metrics", "from 1 to 10"),
            ("metrics: [ftp://a/m]", "metrics", "not an http://"),
            ("metrics: [http://a/m, http://a/m]", "metrics", "twice"),
            (
                "metrics: [http://a/m]\nmetrics_port: 1",
                "metrics",
                "go with",
            ),
            (
                "traefik_service: 'a b'",
                "traefik_service",
                "not an ECS service",
            ),
            (
                "traefik_service: t\nmetrics_path: x",
                "metrics_path",
                "URL path",
            ),
            (
                "traefik_service: t\nmetrics_port: 0",
                "metrics_port",
                "not be 0",
            ),
            ("traefik_service: t\nevery: 0s", "every", "from 1s to 24h"),
            (
                "traefik_service: t\nmax_gap: 2d",
                "max_gap",
                "from 1s to 24h",
            ),
            (
                "traefik_service: t\nevery: 10m\nmax_gap: 15m",
                "max_gap",
                "twice",
            ),
        ];
        for (yaml, key, says) in cases {
            let (k, message) = resolve(file(yaml)).unwrap_err();
            assert_eq!(k, key, "{yaml}");
            assert!(message.contains(says), "{yaml}: {message}");
        }
        let urls: Vec<String> = (0..11).map(|i| format!("http://a{i}/m")).collect();
        let (_, message) = resolve(ActivityFile {
            metrics: Some(urls),
            ..ActivityFile::default()
        })
        .unwrap_err();
        assert!(message.contains("lists 11 URLs"), "{message}");
    }
}
