//! The static Traefik configuration that enables dynroute's entry middleware.
//!
//! Cookie and version-host routers choose the version of the service a request
//! reaches, but only the backend that answers can pass the version on. A
//! server-rendered `web` at main that calls `api` would drop a browser's cookie
//! on the way, so a local plugin (Go source interpreted by Traefik, shipped in
//! this crate) runs as an entrypoint middleware and merges the cookie's version
//! into the `baggage` header the backend receives. This module renders what
//! Traefik needs for it: the plugin declaration, the file-provider middleware
//! and the entrypoint middleware list, in YAML, TOML or command-line flags, and
//! the plugin's source files to write under Traefik's working directory.

pub mod cluster;
pub mod file_routes;

use std::path::{Path, PathBuf};

use crate::routing::EntryPoint;

/// The plugin's name under `experimental.localPlugins`.
pub const PLUGIN_NAME: &str = "cookiebaggage";
/// The Go module name; Traefik loads it from `plugins-local/src/{MODULE_NAME}`.
pub const MODULE_NAME: &str = "github.com/dynroute/cookiebaggage";
/// The middleware defined in the dynamic configuration.
pub const MIDDLEWARE_NAME: &str = "dynroute-cookie";
/// The dynamic configuration file (file provider) written next to the plugin.
pub const DYNAMIC_FILE: &str = "dynroute-middleware.yml";
/// The entrypoint used when neither the config nor the command line names one.
pub const DEFAULT_ENTRYPOINT: &str = "web";

/// The plugin's files, relative to its module folder.
pub const PLUGIN_FILES: [(&str, &str); 3] = [
    (
        ".traefik.yml",
        include_str!(
            "../../../traefik/plugins-local/src/github.com/dynroute/cookiebaggage/.traefik.yml"
        ),
    ),
    (
        "go.mod",
        include_str!("../../../traefik/plugins-local/src/github.com/dynroute/cookiebaggage/go.mod"),
    ),
    (
        "cookiebaggage.go",
        include_str!(
            "../../../traefik/plugins-local/src/github.com/dynroute/cookiebaggage/cookiebaggage.go"
        ),
    ),
];

/// How the static configuration is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    /// One Traefik command-line argument per line.
    Flags,
}

/// What the entry middleware needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryMiddleware {
    /// The cookie that carries the version.
    pub cookie: String,
    /// The baggage key the version is merged under.
    pub baggage_key: String,
    /// The entrypoints that run the middleware.
    pub entrypoints: Vec<EntryPoint>,
    /// The file provider's file, as Traefik should open it.
    pub dynamic_file: String,
    /// Also switch on Prometheus metrics with per-service request counters
    /// (a project with `activity:` reads them).
    pub metrics: bool,
}

/// `plugins-local/src/{MODULE_NAME}` under `root` (Traefik's working directory).
pub fn plugin_dir(root: &Path) -> PathBuf {
    root.join("plugins-local/src").join(MODULE_NAME)
}

/// A string quoted for YAML and TOML alike (a JSON string is valid in both).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn middleware_ref() -> String {
    format!("{MIDDLEWARE_NAME}@file")
}

/// The static configuration in `format`.
pub fn static_config(m: &EntryMiddleware, format: Format) -> String {
    match format {
        Format::Yaml => static_yaml(m),
        Format::Toml => static_toml(m),
        Format::Flags => static_flags(m).join("\n") + "\n",
    }
}

fn static_yaml(m: &EntryMiddleware) -> String {
    let mut out = format!(
        "experimental:\n  localPlugins:\n    {PLUGIN_NAME}:\n      moduleName: {MODULE_NAME}\nproviders:\n  file:\n    filename: {}\nentryPoints:\n",
        quoted(&m.dynamic_file)
    );
    for ep in &m.entrypoints {
        out.push_str(&format!(
            "  {ep}:\n    http:\n      middlewares:\n        - {}\n",
            middleware_ref()
        ));
    }
    if m.metrics {
        out.push_str("metrics:\n  prometheus:\n    addServicesLabels: true\n");
    }
    out
}

fn static_toml(m: &EntryMiddleware) -> String {
    let mut out = format!(
        "[experimental.localPlugins.{PLUGIN_NAME}]\n  moduleName = {}\n\n[providers.file]\n  filename = {}\n",
        quoted(MODULE_NAME),
        quoted(&m.dynamic_file)
    );
    for ep in &m.entrypoints {
        out.push_str(&format!(
            "\n[entryPoints.{ep}.http]\n  middlewares = [{}]\n",
            quoted(&middleware_ref())
        ));
    }
    if m.metrics {
        out.push_str("\n[metrics.prometheus]\n  addServicesLabels = true\n");
    }
    out
}

/// The static configuration as Traefik command-line arguments.
pub fn static_flags(m: &EntryMiddleware) -> Vec<String> {
    let mut flags = vec![
        format!("--experimental.localPlugins.{PLUGIN_NAME}.moduleName={MODULE_NAME}"),
        format!("--providers.file.filename={}", m.dynamic_file),
    ];
    for ep in &m.entrypoints {
        flags.push(format!(
            "--entrypoints.{ep}.http.middlewares={}",
            middleware_ref()
        ));
    }
    if m.metrics {
        flags.push("--metrics.prometheus=true".into());
        flags.push("--metrics.prometheus.addServicesLabels=true".into());
    }
    flags
}

/// The dynamic configuration (for the file provider) that defines the middleware.
pub fn dynamic_config(m: &EntryMiddleware) -> String {
    format!(
        "# dynroute's entry middleware: merges the `{cookie}` cookie into the baggage\n# header (key `{key}`) the backend receives. Generated by `dynroute traefik-config`.\nhttp:\n  middlewares:\n    {MIDDLEWARE_NAME}:\n      plugin:\n        {PLUGIN_NAME}:\n          cookieName: {}\n          baggageKey: {}\n",
        quoted(&m.cookie),
        quoted(&m.baggage_key),
        cookie = m.cookie,
        key = m.baggage_key,
    )
}

/// The dynamic configuration with main's routers for every URL baseline
/// (`(labels main would carry, the baseline's URL)`), so the file provider
/// routes main's requests and every fallback to main to the URL.
pub fn dynamic_config_with_baselines(
    m: &EntryMiddleware,
    baselines: &[(std::collections::BTreeMap<String, String>, String)],
) -> String {
    let base = dynamic_config(m);
    if baselines.is_empty() {
        return base;
    }
    let mut doc: serde_yaml::Value =
        serde_yaml::from_str(&base).expect("the middleware's configuration is YAML");
    for (labels, url) in baselines {
        file_routes::merge_http(&mut doc, file_routes::file_routes(labels, url));
    }
    let comments: String = base
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    format!(
        "{comments}# Main's routers for the URL baselines of dynroute.yaml: regenerate after changing it.\n{}",
        serde_yaml::to_string(&doc).expect("YAML")
    )
}

/// Where the plugin and the dynamic file must be, for the person reading.
pub fn placement_note(m: &EntryMiddleware, written: Option<&Path>) -> String {
    match written {
        Some(root) => format!(
            "wrote the plugin to {} and the middleware to {}; start Traefik with {} as its working directory",
            plugin_dir(root).display(),
            root.join(DYNAMIC_FILE).display(),
            root.display()
        ),
        None => format!(
            "Traefik loads the plugin from plugins-local/src/{MODULE_NAME}/ under its working directory \
             and the middleware from {}: write both with `dynroute traefik-config --write-plugin DIR` \
             (if Traefik already uses the file provider, add the middleware `{MIDDLEWARE_NAME}` there instead)",
            m.dynamic_file
        ),
    }
}

#[cfg(test)]
mod tests;
