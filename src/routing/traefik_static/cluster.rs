//! The whole static configuration of one Traefik that serves every project on
//! a cluster (`traefik-config --cluster-wide`), as the platform kit runs it.
//!
//! One source: the kit's Traefik command line is exactly [`render`] in
//! [`Format::Flags`], and a test compares the two. The configuration is kept
//! as an ordered list of settings (a dotted key and a value) so that the
//! flags, YAML and TOML forms can never say different things.
//!
//! Every project on the cluster shares this Traefik, so they share one cookie
//! and baggage key (the middleware's): dynroute's defaults unless the platform
//! team picks others and every project's config says the same.

use super::{EntryMiddleware, Format, MIDDLEWARE_NAME, MODULE_NAME, PLUGIN_NAME, quoted};

/// Traefik's default poll interval, in seconds; the kit's default too.
pub const DEFAULT_REFRESH_SECONDS: u32 = 15;
/// The entrypoint the load balancer sends requests to.
pub const WEB_ADDRESS: &str = ":80";
/// Traefik's own entrypoint: the API (read by `check` and `doctor`), `/ping`
/// (the load balancer's health check) and `/metrics` (Prometheus).
pub const TRAEFIK_ADDRESS: &str = ":8080";

/// What a cluster-wide Traefik is configured from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterWide {
    /// The cluster's name (the only one the ECS provider reads).
    pub cluster: String,
    /// The region, when known (else Traefik takes the task's `AWS_REGION`).
    pub region: Option<String>,
    /// How often the ECS provider polls ECS.
    pub refresh_seconds: u32,
    /// The entry middleware (cookie into baggage), on the `web` entrypoint
    /// whatever its `entrypoints` say.
    pub middleware: EntryMiddleware,
}

/// One setting's value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    /// A section switched on with nothing else in it (`--ping=true`, `ping: {}`).
    Enable,
    Bool(bool),
    Int(u32),
    Str(String),
    List(Vec<String>),
}

/// The settings, in the order they are printed.
fn settings(c: &ClusterWide) -> Vec<(String, Value)> {
    let s = |key: &str, value: Value| (key.to_owned(), value);
    let text = |v: &str| Value::Str(v.to_owned());
    let mut out = vec![
        s("global.checkNewVersion", Value::Bool(false)),
        s("global.sendAnonymousUsage", Value::Bool(false)),
        s("entryPoints.web.address", text(WEB_ADDRESS)),
        s(
            "entryPoints.web.http.middlewares",
            Value::List(vec![format!("{MIDDLEWARE_NAME}@file")]),
        ),
        s("entryPoints.traefik.address", text(TRAEFIK_ADDRESS)),
        s("api.insecure", Value::Bool(true)),
        s("api.dashboard", Value::Bool(false)),
        s("ping", Value::Enable),
        s("metrics.prometheus", Value::Enable),
        s("log.level", text("INFO")),
        s("accessLog", Value::Enable),
        s(
            "providers.ecs.clusters",
            Value::List(vec![c.cluster.clone()]),
        ),
        s("providers.ecs.autoDiscoverClusters", Value::Bool(false)),
        s("providers.ecs.exposedByDefault", Value::Bool(false)),
        s(
            "providers.ecs.refreshSeconds",
            Value::Int(c.refresh_seconds),
        ),
    ];
    if let Some(region) = &c.region {
        out.push(s("providers.ecs.region", text(region)));
    }
    out.push(s(
        "providers.file.filename",
        text(&c.middleware.dynamic_file),
    ));
    out.push(s(
        &format!("experimental.localPlugins.{PLUGIN_NAME}.moduleName"),
        text(MODULE_NAME),
    ));
    out
}

/// The configuration in `format`.
pub fn render(c: &ClusterWide, format: Format) -> String {
    let settings = settings(c);
    match format {
        Format::Flags => flags(&settings).join("\n") + "\n",
        Format::Yaml => yaml(&settings),
        Format::Toml => toml(&settings),
    }
}

/// The configuration as Traefik command-line arguments.
pub fn cluster_flags(c: &ClusterWide) -> Vec<String> {
    flags(&settings(c))
}

fn flags(settings: &[(String, Value)]) -> Vec<String> {
    settings
        .iter()
        .map(|(key, value)| {
            // Traefik's flags are case-insensitive; dynroute prints `entrypoints`.
            let key = match key.strip_prefix("entryPoints.") {
                Some(rest) => format!("entrypoints.{rest}"),
                None if key == "accessLog" => "accesslog".to_owned(),
                None => key.clone(),
            };
            let value = match value {
                Value::Enable => "true".to_owned(),
                Value::Bool(b) => b.to_string(),
                Value::Int(n) => n.to_string(),
                Value::Str(v) => v.clone(),
                Value::List(items) => items.join(","),
            };
            format!("--{key}={value}")
        })
        .collect()
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Enable => "{}".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Str(v) => quoted(v),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(|i| quoted(i)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// YAML, nested by the dotted keys (keys are Traefik's, never user text).
fn yaml(settings: &[(String, Value)]) -> String {
    let mut out = String::new();
    let mut open: Vec<&str> = Vec::new();
    for (key, value) in settings {
        let parts: Vec<&str> = key.split('.').collect();
        let (leaf, parents) = parts.split_last().expect("a key has a part");
        let common = open.iter().zip(parents).take_while(|(a, b)| a == b).count();
        open.truncate(common);
        for (depth, part) in parents.iter().enumerate().skip(common) {
            out.push_str(&format!("{}{part}:\n", "  ".repeat(depth)));
            open.push(part);
        }
        out.push_str(&format!(
            "{}{leaf}: {}\n",
            "  ".repeat(parents.len()),
            scalar(value)
        ));
    }
    out
}

/// TOML: one table per section, in the order of first use.
fn toml(settings: &[(String, Value)]) -> String {
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for (key, value) in settings {
        let (table, line) = match (key.rsplit_once('.'), value) {
            (_, Value::Enable) => (key.clone(), None),
            (Some((table, leaf)), _) => (
                table.to_owned(),
                Some(format!("{leaf} = {}", scalar(value))),
            ),
            (None, _) => (String::new(), Some(format!("{key} = {}", scalar(value)))),
        };
        let index = match tables.iter().position(|(t, _)| *t == table) {
            Some(i) => i,
            None => {
                tables.push((table, Vec::new()));
                tables.len() - 1
            }
        };
        tables[index].1.extend(line);
    }
    let mut out = String::new();
    for (table, lines) in tables {
        if !out.is_empty() {
            out.push('\n');
        }
        if !table.is_empty() {
            out.push_str(&format!("[{table}]\n"));
        }
        for line in lines {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::EntryPoint;

    fn sample() -> ClusterWide {
        ClusterWide {
            cluster: "dev".into(),
            region: Some("eu-west-1".into()),
            refresh_seconds: 5,
            middleware: EntryMiddleware {
                cookie: "dynamic_route".into(),
                baggage_key: "dynamic_route".into(),
                entrypoints: vec![EntryPoint::default()],
                dynamic_file: "/traefik/dynroute-middleware.yml".into(),
                metrics: false,
            },
        }
    }

    /// `a.b.c = v` pairs of a YAML document, as flags would say them.
    fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut Vec<String>) {
        match value {
            serde_yaml::Value::Mapping(map) if !map.is_empty() => {
                for (k, v) in map {
                    let key = k.as_str().unwrap();
                    let key = match prefix {
                        "" => key.to_owned(),
                        _ => format!("{prefix}.{key}"),
                    };
                    flatten(&key, v, out);
                }
            }
            serde_yaml::Value::Mapping(_) => out.push(format!("--{prefix}=true")),
            serde_yaml::Value::Sequence(items) => {
                let items: Vec<&str> = items.iter().map(|i| i.as_str().unwrap()).collect();
                out.push(format!("--{prefix}={}", items.join(",")));
            }
            serde_yaml::Value::String(s) => out.push(format!("--{prefix}={s}")),
            serde_yaml::Value::Bool(b) => out.push(format!("--{prefix}={b}")),
            serde_yaml::Value::Number(n) => out.push(format!("--{prefix}={n}")),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn the_yaml_says_what_the_flags_say() {
        let c = sample();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&render(&c, Format::Yaml))
            .expect("valid YAML without duplicate keys");
        let mut from_yaml = Vec::new();
        flatten("", &yaml, &mut from_yaml);
        let lower = |f: &String| f.to_lowercase();
        let mut a: Vec<String> = from_yaml.iter().map(lower).collect();
        let mut b: Vec<String> = cluster_flags(&c).iter().map(lower).collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn the_provider_reads_one_cluster_and_exposes_nothing_by_default() {
        let flags = cluster_flags(&sample());
        for expected in [
            "--providers.ecs.clusters=dev",
            "--providers.ecs.autoDiscoverClusters=false",
            "--providers.ecs.exposedByDefault=false",
            "--providers.ecs.refreshSeconds=5",
            "--providers.ecs.region=eu-west-1",
            "--metrics.prometheus=true",
            "--global.checkNewVersion=false",
            "--global.sendAnonymousUsage=false",
            "--entrypoints.web.http.middlewares=dynroute-cookie@file",
            "--providers.file.filename=/traefik/dynroute-middleware.yml",
        ] {
            assert!(flags.iter().any(|f| f == expected), "{expected}: {flags:?}");
        }
        let no_region = ClusterWide {
            region: None,
            ..sample()
        };
        assert!(
            !cluster_flags(&no_region)
                .iter()
                .any(|f| f.starts_with("--providers.ecs.region"))
        );
    }

    #[test]
    fn toml_has_one_table_per_section() {
        let toml = render(&sample(), Format::Toml);
        for table in [
            "[providers.ecs]",
            "[entryPoints.web.http]",
            "[ping]",
            "[metrics.prometheus]",
        ] {
            assert_eq!(
                toml.matches(&format!("{table}\n")).count(),
                1,
                "{table}\n{toml}"
            );
        }
        assert!(toml.contains("  clusters = [\"dev\"]\n"), "{toml}");
    }
}
