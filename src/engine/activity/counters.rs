//! Traefik's request counters: `traefik_service_requests_total` read from a
//! replica's Prometheus text, summed per service over its series (code,
//! method, protocol), and each replica's count kept on the service as
//! `{replica}={count} …` so the next reading — by the same process or a
//! scheduled one-shot — can tell growth, a reset, or nothing.
//!
//! The text format's sample line is small (`name{label="value",…} value`);
//! only one family is read, so this parses that line itself, bounded, rather
//! than building every family of the exposition into maps.

use std::collections::BTreeMap;

/// The counter Traefik increments for every request a service answers.
pub const METRIC: &str = "traefik_service_requests_total";
/// The counter of every request an entrypoint took.
const ENTRYPOINT_METRIC: &str = "traefik_entrypoint_requests_total";
/// The ECS provider's suffix on the services it builds from labels.
const PROVIDER: &str = "@ecs";
/// At most this many lines read from one replica's metrics.
const MAX_LINES: usize = 2_000_000;
/// Counts stop here (a trillion requests), so ten replicas' counts fit the
/// 256 characters of a tag value.
pub const MAX_COUNT: u64 = 999_999_999_999;

/// Each service's count at one replica, by Traefik service name
/// (`{service}--{version}`, the ECS service's name).
pub type Counts = BTreeMap<String, u64>;

/// Each replica's count of one service, by replica key.
pub type PerReplica = BTreeMap<String, u64>;

/// Sums `traefik_service_requests_total` per ECS-provider service. An error
/// says what is wrong with the text (not Traefik's metrics, a broken line).
pub fn parse(text: &str) -> Result<Counts, String> {
    let mut counts = Counts::new();
    let mut traefik = false;
    let mut service_series = false;
    // Requests Traefik counted on its entrypoints, its own (`traefik`: the
    // API, /ping, /metrics) left out.
    let mut entrypoint_requests = 0.0;
    for (n, line) in text.lines().enumerate() {
        if n >= MAX_LINES {
            return Err(format!("more than {MAX_LINES} lines"));
        }
        let line = line.trim_end();
        if line.starts_with("traefik_") {
            traefik = true;
        }
        if let Some(rest) = line.strip_prefix(ENTRYPOINT_METRIC) {
            let sampled = sample(rest).map_err(|e| format!("line {}: {e}", n + 1))?;
            if let Some((labels, value)) = sampled
                && labels.get("entrypoint").is_some_and(|e| e != "traefik")
            {
                entrypoint_requests += value;
            }
            continue;
        }
        let Some(rest) = line.strip_prefix(METRIC) else {
            continue;
        };
        let Some((labels, value)) = sample(rest).map_err(|e| format!("line {}: {e}", n + 1))?
        else {
            continue;
        };
        service_series = true;
        let Some(service) = labels.get("service").and_then(|s| s.strip_suffix(PROVIDER)) else {
            continue;
        };
        let total = counts.entry(service.to_owned()).or_default();
        *total = total.saturating_add(value as u64).min(MAX_COUNT);
    }
    if !traefik {
        return Err("no traefik_ metric in it: is this Traefik's /metrics?".into());
    }
    if !service_series && entrypoint_requests > 0.0 {
        return Err(format!(
            "Traefik counted {entrypoint_requests} requests on its entrypoints but none per service: switch on metrics.prometheus.addServicesLabels (or no request reached a service yet)"
        ));
    }
    Ok(counts)
}

/// A sample's labels and value.
type Sample = (BTreeMap<String, String>, f64);

/// One sample of a metric after its name: its labels and its value; `None`
/// for another metric whose name starts the same way.
fn sample(rest: &str) -> Result<Option<Sample>, String> {
    let (labels, value) = match rest.strip_prefix('{') {
        Some(rest) => labels(rest)?,
        None if rest.starts_with(' ') => (BTreeMap::new(), rest),
        None => return Ok(None),
    };
    let value = value
        .split_whitespace()
        .next()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or("the value is not a count")?;
    Ok(Some((labels, value)))
}

/// The labels of a sample line after its `{`, and the rest of the line.
fn labels(mut rest: &str) -> Result<(BTreeMap<String, String>, &str), String> {
    let mut out = BTreeMap::new();
    loop {
        rest = rest.trim_start_matches([' ', ',']);
        if let Some(after) = rest.strip_prefix('}') {
            return Ok((out, after));
        }
        let (name, after) = rest.split_once("=\"").ok_or("a label without `=\"`")?;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err("a label name that is not one".into());
        }
        let mut value = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next() {
                None => return Err("an unclosed label value".into()),
                Some((i, '"')) => break i,
                Some((_, '\\')) => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, c)) => value.push(c),
                    None => return Err("an unclosed label value".into()),
                },
                Some((_, c)) => value.push(c),
            }
        };
        out.insert(name.to_owned(), value);
        rest = &after[end + 1..];
    }
}

/// What a new reading of one service says against the counts it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// No replica counted a request since the last written reading.
    Same,
    /// A replica counted requests (including one that restarted and counted
    /// again, or one seen for the first time with requests).
    Grew,
    /// A replica's counter went down with nothing new after it: a restart,
    /// not traffic; the counts are written so the next reading compares
    /// with the restarted counter.
    Reset,
}

/// Compares `now` (each current replica's count; a replica without a series
/// has 0) with `stored`; replicas no longer there are not asked about.
pub fn change(stored: &PerReplica, now: &PerReplica) -> Change {
    let mut reset = false;
    for (replica, &count) in now {
        match stored.get(replica).copied() {
            None if count > 0 => return Change::Grew,
            None => {}
            Some(before) if count > before => return Change::Grew,
            // A restart with requests after it: they are traffic.
            Some(before) if count < before && count > 0 => return Change::Grew,
            Some(before) if count < before => reset = true,
            Some(_) => {}
        }
    }
    match reset {
        true => Change::Reset,
        false => Change::Same,
    }
}

/// The `dynroute:requests` value: `key=count` per replica, by key.
pub fn tag(counts: &PerReplica) -> String {
    let parts: Vec<String> = counts.iter().map(|(k, c)| format!("{k}={c}")).collect();
    parts.join(" ")
}

/// Reads a `dynroute:requests` value; unreadable parts are left out (they
/// then count as a replica seen for the first time: growth if it has requests).
pub fn parse_tag(value: &str) -> PerReplica {
    value
        .split_whitespace()
        .filter_map(|part| {
            let (k, c) = part.split_once('=')?;
            Some((k.to_owned(), c.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRAEFIK: &str = r#"# HELP traefik_service_requests_total How many HTTP requests processed on a service, partitioned by status code, protocol, and method.
# TYPE traefik_service_requests_total counter
traefik_service_requests_total{code="200",method="GET",protocol="http",service="api--feature-1@ecs"} 3
traefik_service_requests_total{code="404",method="GET",protocol="http",service="api--feature-1@ecs"} 2
traefik_service_requests_total{code="200",method="POST",protocol="http",service="api--main@ecs"} 1.5e+06
traefik_service_requests_total{code="200",method="GET",protocol="http",service="api@file"} 9
traefik_service_requests_total_extra{service="api--x@ecs"} 100
traefik_service_requests_bytes_total{code="200",method="GET",protocol="http",service="api--feature-1@ecs"} 999
traefik_config_reloads_total 4
"#;

    #[test]
    fn sums_each_ecs_service_over_its_series() {
        let counts = parse(TRAEFIK).unwrap();
        assert_eq!(
            counts,
            Counts::from([
                ("api--feature-1".into(), 5),
                ("api--main".into(), 1_500_000)
            ])
        );
    }

    #[test]
    fn escaped_label_values_and_broken_lines() {
        let text = "traefik_x 1\ntraefik_service_requests_total{note=\"a \\\"quoted\\\", b\\\\\",service=\"s--v@ecs\"} 7\n";
        assert_eq!(parse(text).unwrap(), Counts::from([("s--v".into(), 7)]));
        for broken in [
            "traefik_service_requests_total{service=\"s--v@ecs} 1",
            "traefik_service_requests_total{service=s} 1",
            "traefik_service_requests_total{service=\"s--v@ecs\"} many",
            "traefik_service_requests_total{service=\"s--v@ecs\"} -1",
            "traefik_service_requests_total{service=\"s--v@ecs\"} NaN",
        ] {
            assert!(parse(broken).is_err(), "{broken}");
        }
        let err = parse("go_goroutines 12\nprocess_start_time_seconds 1.7e9\n").unwrap_err();
        assert!(err.contains("is this Traefik"), "{err}");
        // Metrics on, no request yet: no series, which is no traffic.
        assert_eq!(
            parse("traefik_config_reloads_total 1\n").unwrap(),
            Counts::new()
        );
    }

    #[test]
    fn growth_resets_and_new_replicas() {
        let m = |pairs: &[(&str, u64)]| -> PerReplica {
            pairs.iter().map(|(k, c)| ((*k).to_owned(), *c)).collect()
        };
        // First reading of a service nobody asked for.
        assert_eq!(change(&m(&[]), &m(&[("a", 0)])), Change::Same);
        assert_eq!(change(&m(&[]), &m(&[("a", 3)])), Change::Grew);
        assert_eq!(change(&m(&[("a", 3)]), &m(&[("a", 3)])), Change::Same);
        assert_eq!(change(&m(&[("a", 3)]), &m(&[("a", 4)])), Change::Grew);
        // Replica b restarted: its counter went down; alone that is no traffic …
        assert_eq!(
            change(&m(&[("a", 3), ("b", 9)]), &m(&[("a", 3), ("b", 0)])),
            Change::Reset
        );
        // … but requests after the restart are, even below the old count
        // (the sum went down from 12 to 5, which is not negative traffic).
        assert_eq!(
            change(&m(&[("a", 3), ("b", 9)]), &m(&[("a", 3), ("b", 2)])),
            Change::Grew
        );
        // A replica that is gone is not asked about; a new one with requests is growth.
        assert_eq!(
            change(&m(&[("a", 3), ("b", 9)]), &m(&[("a", 3)])),
            Change::Same
        );
        assert_eq!(
            change(&m(&[("a", 3)]), &m(&[("a", 3), ("c", 1)])),
            Change::Grew
        );
    }

    #[test]
    fn the_tag_reads_back() {
        let counts = PerReplica::from([("0a1b2c3d".into(), 12), ("ffeeddcc".into(), 0)]);
        let value = tag(&counts);
        assert_eq!(value, "0a1b2c3d=12 ffeeddcc=0");
        assert_eq!(parse_tag(&value), counts);
        // Ten replicas at the largest count still make a tag ECS takes.
        let full: PerReplica = (0..10).map(|i| (format!("{i:08x}"), MAX_COUNT)).collect();
        crate::taskdef::ecs_rules::tag_ok(crate::naming::tags::REQUESTS, &tag(&full)).unwrap();
        assert_eq!(
            parse_tag("x=1 junk y=z"),
            PerReplica::from([("x".into(), 1)])
        );
    }
}
