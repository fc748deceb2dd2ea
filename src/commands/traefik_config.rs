//! `dynroute traefik-config`: the static Traefik configuration that enables the
//! entry middleware (the cookie into the baggage), and optionally the plugin's
//! files written where Traefik loads them. No AWS call.

use std::collections::BTreeMap;

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::cli::{TraefikConfigArgs, TraefikConfigFormat};
use crate::config::Baseline;
use crate::error::UserError;
use crate::naming::tags::Expiry;
use crate::report::TraefikConfigReport;
use crate::routing::EntryPoint;
use crate::routing::traefik_static::cluster::{self, ClusterWide, DEFAULT_REFRESH_SECONDS};
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
        // The activity recorder reads Traefik's per-service request counters.
        metrics: project.as_ref().is_some_and(|p| p.activity.is_some()),
    };
    // Main of a service with a URL baseline is routed by the file provider.
    let now = jiff::Timestamp::now();
    let baselines: Vec<(BTreeMap<String, String>, String)> = project
        .iter()
        .flat_map(|p| {
            p.services
                .values()
                .filter(|s| s.routed)
                .filter_map(move |s| match &s.baseline {
                    Some(Baseline::Url(url)) => Some((
                        taskdef::routing_labels(p, s, &p.main_version, &Expiry::Never, now),
                        url.clone(),
                    )),
                    _ => None,
                })
        })
        .collect();
    if args.cluster_wide {
        return cluster_wide(settings, &args, project.as_ref(), middleware, root);
    }
    let dynamic = traefik_static::dynamic_config_with_baselines(&middleware, &baselines);
    let text = if args.dynamic {
        dynamic.clone()
    } else {
        traefik_static::static_config(&middleware, format_of(args.format))
    };
    // Everything is computed; only now are the files written.
    let written = match &root {
        Some(root) => write_files(settings, root, &dynamic)?,
        None => Vec::new(),
    };
    for path in &written {
        settings.ui.detail(format!("wrote {}", path.display()));
    }
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

fn format_of(format: TraefikConfigFormat) -> Format {
    match format {
        TraefikConfigFormat::Yaml => Format::Yaml,
        TraefikConfigFormat::Toml => Format::Toml,
        TraefikConfigFormat::Flags => Format::Flags,
    }
}

/// `--cluster-wide`: one Traefik for every project on the cluster. Per-project
/// parts (URL baselines) stay out: they belong to each project's own setup.
fn cluster_wide(
    settings: &Settings,
    args: &TraefikConfigArgs,
    project: Option<&crate::config::Project>,
    mut middleware: EntryMiddleware,
    root: Option<PathBuf>,
) -> anyhow::Result<TraefikConfigReport> {
    let (cluster, region) = settings.cluster_and_region(
        project,
        "--cluster-wide needs the cluster its ECS provider reads",
    )?;
    if project.is_some_and(|p| {
        p.services
            .values()
            .any(|s| matches!(s.baseline, Some(Baseline::Url(_))))
    }) {
        settings.ui.warn(
            "the project's URL baselines are not part of the cluster-wide configuration: add their routes to Traefik's file provider yourself (`dynroute traefik-config --dynamic` in the project prints them)",
        );
    }
    middleware.entrypoints = vec![EntryPoint::default()];
    let config = ClusterWide {
        cluster: crate::aws::iam::cluster_name(&cluster).to_owned(),
        region,
        refresh_seconds: args.refresh_seconds.unwrap_or(DEFAULT_REFRESH_SECONDS),
        middleware,
    };
    let dynamic = traefik_static::dynamic_config(&config.middleware);
    let text = match args.dynamic {
        true => dynamic.clone(),
        false => cluster::render(&config, format_of(args.format)),
    };
    let written = match &root {
        Some(root) => write_files(settings, root, &dynamic)?,
        None => Vec::new(),
    };
    for path in &written {
        settings.ui.detail(format!("wrote {}", path.display()));
    }
    settings.ui.info(traefik_static::placement_note(
        &config.middleware,
        root.as_deref(),
    ));
    Ok(TraefikConfigReport {
        flags: cluster::cluster_flags(&config),
        dynamic,
        plugin_module: traefik_static::MODULE_NAME,
        written,
        text,
    })
}

/// Checks DIR (a folder, or nothing yet, whose path prints safely into Traefik's
/// flags), creates it and returns it absolute, so the printed paths work from
/// anywhere.
fn prepare_dir(dir: &Path) -> anyhow::Result<PathBuf> {
    let shown = dir.display().to_string();
    if shown.chars().any(char::is_control) {
        return Err(UserError::usage(
            "--write-plugin: the path contains a control character (a newline?)",
        )
        .hint("name a plain folder path; it is printed into Traefik's flags")
        .into());
    }
    if dir.exists() && !dir.is_dir() {
        return Err(
            UserError::usage(format!("--write-plugin {shown}: it is not a folder"))
                .hint("name a folder (it is created when missing)")
                .into(),
        );
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("--write-plugin: cannot create {shown}"))?;
    dir.canonicalize()
        .with_context(|| format!("--write-plugin: cannot resolve {shown}"))
}

/// The plugin's files under `root/plugins-local/src/{module}` and the dynamic
/// file: every target checked first, then each written atomically.
fn write_files(settings: &Settings, root: &Path, dynamic: &str) -> anyhow::Result<Vec<PathBuf>> {
    let dir = traefik_static::plugin_dir(root);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut files: Vec<(PathBuf, &str)> = traefik_static::PLUGIN_FILES
        .iter()
        .map(|(name, text)| (dir.join(name), *text))
        .collect();
    files.push((root.join(DYNAMIC_FILE), dynamic));
    let targets = files
        .iter()
        .map(|(path, _)| crate::files::write::check_target(path, &settings.cwd, "--write-plugin"))
        .collect::<Result<Vec<_>, _>>()?;
    for (real, (_, text)) in targets.iter().zip(&files) {
        crate::files::write::write_atomic(real, text.as_bytes(), "--write-plugin")?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}
