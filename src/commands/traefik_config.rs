//! `dynroute traefik-config`: the static Traefik configuration that enables the
//! entry middleware (the cookie into the baggage), and optionally the plugin's
//! files written where Traefik loads them. No AWS call.

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::{TraefikConfigArgs, TraefikConfigFormat};
use crate::config::Baseline;
use crate::naming::tags::Expiry;
use crate::report::TraefikConfigReport;
use crate::routing::EntryPoint;
use crate::routing::traefik_static::{self, DYNAMIC_FILE, EntryMiddleware, Format};
use crate::settings::Settings;
use crate::taskdef;

pub fn run(settings: &Settings, args: TraefikConfigArgs) -> anyhow::Result<TraefikConfigReport> {
    let entrypoints = args.entrypoints.clone();
    let project = settings.optional_project()?;
    let key = project
        .as_ref()
        .map(|p| p.baggage_key.to_string())
        .unwrap_or_else(|| crate::routing::BaggageKey::default().to_string());
    // `browser.cookie`, whose default is the baggage key.
    let cookie = project
        .as_ref()
        .map_or_else(|| key.clone(), |p| p.ways_in.cookie.as_str().to_owned());
    let entrypoints = match (entrypoints.is_empty(), &project) {
        (false, _) => entrypoints,
        (true, Some(p)) if !p.traefik.entrypoints.is_empty() => p.traefik.entrypoints.clone(),
        _ => vec![EntryPoint::default()],
    };
    let root = args.write_plugin.as_deref().map(prepare_dir).transpose()?;
    let dynamic_file = match &root {
        Some(root) => root.join(DYNAMIC_FILE).display().to_string(),
        None => DYNAMIC_FILE.to_owned(),
    };
    let middleware = EntryMiddleware {
        cookie,
        baggage_key: key,
        entrypoints,
        dynamic_file,
    };
    // Main of a service with a URL baseline is routed by the file provider.
    let now = jiff::Timestamp::now();
    let baselines: Vec<(BTreeMap<String, String>, String)> = project
        .iter()
        .flat_map(|p| {
            p.services.values().filter_map(move |s| match &s.baseline {
                Some(Baseline::Url(url)) => Some((
                    taskdef::routing_labels(p, s, &p.main_version, &Expiry::Never, now),
                    url.clone(),
                )),
                _ => None,
            })
        })
        .collect();
    let dynamic = traefik_static::dynamic_config_with_baselines(&middleware, &baselines);
    let written = match &root {
        Some(root) => write_files(root, &dynamic)?,
        None => Vec::new(),
    };
    for path in &written {
        settings.ui.detail(format!("wrote {}", path.display()));
    }
    let text = if args.dynamic {
        dynamic.clone()
    } else {
        let format = match args.format {
            TraefikConfigFormat::Yaml => Format::Yaml,
            TraefikConfigFormat::Toml => Format::Toml,
            TraefikConfigFormat::Flags => Format::Flags,
        };
        traefik_static::static_config(&middleware, format)
    };
    settings
        .ui
        .info(traefik_static::placement_note(&middleware, root.as_deref()));
    Ok(TraefikConfigReport {
        flags: traefik_static::static_flags(&middleware),
        dynamic,
        plugin_module: traefik_static::MODULE_NAME,
        written,
        text,
    })
}

/// Creates DIR and returns it absolute, so the printed file path works from anywhere.
fn prepare_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("--write-plugin: cannot create {}", dir.display()))?;
    dir.canonicalize()
        .with_context(|| format!("--write-plugin: cannot resolve {}", dir.display()))
}

/// The plugin's files under `root/plugins-local/src/{module}` and the dynamic file.
fn write_files(root: &Path, dynamic: &str) -> anyhow::Result<Vec<PathBuf>> {
    let dir = traefik_static::plugin_dir(root);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in traefik_static::PLUGIN_FILES {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    let path = root.join(DYNAMIC_FILE);
    std::fs::write(&path, dynamic).with_context(|| format!("cannot write {}", path.display()))?;
    written.push(path);
    Ok(written)
}
