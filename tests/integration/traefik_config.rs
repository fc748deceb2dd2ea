//! `dynroute traefik-config`: the static configuration for the entry middleware,
//! from the project's config, and each format loaded by the real Traefik.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Project, repo_root};
use crate::http::get;

const CONFIG: &str = "cluster: dev\nregion: us-east-1\ndomain: dev.test\ntraefik:\n  entrypoints: [web, websecure]\nbrowser:\n  cookie: dr\nservices:\n  api:\n    template: t.yaml\n    port: 8080\n";

#[test]
fn traefik_config_follows_the_project_config() {
    let p = Project::empty().file("dynroute.yaml", CONFIG);
    let flags = p.ok(&["traefik-config", "--format", "flags"]);
    assert_eq!(
        flags.lines().collect::<Vec<_>>(),
        [
            "--experimental.localPlugins.cookiebaggage.moduleName=github.com/dynroute/cookiebaggage",
            "--providers.file.filename=dynroute-middleware.yml",
            "--entrypoints.web.http.middlewares=dynroute-cookie@file",
            "--entrypoints.websecure.http.middlewares=dynroute-cookie@file",
        ]
    );
    let dynamic = p.ok(&["traefik-config", "--dynamic"]);
    assert!(dynamic.contains("cookieName: \"dr\""), "{dynamic}");
    assert!(
        dynamic.contains("baggageKey: \"dynamic_route\""),
        "{dynamic}"
    );
    let out = p.run(&["traefik-config"]);
    assert!(out.stdout.starts_with("experimental:\n"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("plugins-local/src/github.com/dynroute/cookiebaggage/"),
        "{}",
        out.stderr
    );
    // --entrypoint wins over the config; no config at all gives the defaults.
    let one = p.ok(&[
        "traefik-config",
        "--format",
        "flags",
        "--entrypoint",
        "edge",
    ]);
    assert!(one.contains("--entrypoints.edge.http.middlewares=dynroute-cookie@file"));
    assert!(!one.contains("websecure"));
    let bare = Project::empty().ok(&["traefik-config", "--dynamic"]);
    assert!(bare.contains("cookieName: \"dynamic_route\""), "{bare}");
    let json: serde_json::Value =
        serde_json::from_str(&p.ok(&["traefik-config", "--json"])).unwrap();
    assert_eq!(json["plugin_module"], "github.com/dynroute/cookiebaggage");
    assert_eq!(json["flags"].as_array().unwrap().len(), 4);
}

#[test]
fn traefik_config_bad_input_exits_2() {
    let p = Project::empty().file("dynroute.yaml", CONFIG);
    p.usage_error(
        &["traefik-config", "--entrypoint", "a,b"],
        &["--entrypoint", "invalid entrypoint name", "hint:"],
    );
    p.usage_error(&["traefik-config", "--format", "ini"], &["ini"]);
    let bad = Project::empty().file(
        "dynroute.yaml",
        "browser:\n  cookie: \"a b\"\nservices: {}\n",
    );
    bad.usage_error(&["traefik-config"], &["dynroute.yaml:2", "browser.cookie"]);
}

#[test]
fn write_plugin_writes_the_module_and_the_middleware() {
    let p = Project::empty().file("dynroute.yaml", CONFIG);
    p.ok(&["traefik-config", "--write-plugin", "traefik-run"]);
    let files = p.files();
    for f in [
        "traefik-run/dynroute-middleware.yml",
        "traefik-run/plugins-local/src/github.com/dynroute/cookiebaggage/.traefik.yml",
        "traefik-run/plugins-local/src/github.com/dynroute/cookiebaggage/go.mod",
        "traefik-run/plugins-local/src/github.com/dynroute/cookiebaggage/cookiebaggage.go",
    ] {
        assert!(files.contains(&f.to_owned()), "{f} not in {files:?}");
    }
    // The written source is the shipped one, byte for byte.
    let shipped = repo_root()
        .join("traefik/plugins-local/src/github.com/dynroute/cookiebaggage/cookiebaggage.go");
    let written = p
        .path()
        .join("traefik-run/plugins-local/src/github.com/dynroute/cookiebaggage/cookiebaggage.go");
    assert_eq!(
        std::fs::read(shipped).unwrap(),
        std::fs::read(written).unwrap()
    );
    // A file in the way is a usage error, not a silent overwrite of something else.
    let p = p.file("blocked", "x");
    p.test(&["traefik-config", "--write-plugin", "blocked"])
        .code(2)
        .stderr("error: --write-plugin blocked: it is not a folder\nhint: name a folder (it is created when missing)\n")
        .run();
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts Traefik with `--configFile` in `dir`, waits until the middleware is
/// enabled (the plugin loaded), stops it by PID; returns the middleware's status.
fn middleware_status(dir: &Path, file: &str, api_port: u16) -> String {
    let traefik = repo_root().join(".stack/venv/bin/traefik");
    assert!(
        traefik.exists(),
        "Traefik is not installed: run `scripts/stack install`"
    );
    let mut child = Command::new(traefik)
        .arg(format!("--configFile={}", dir.join(file).display()))
        .current_dir(dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let api = format!("http://127.0.0.1:{api_port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        let found = get(
            &api,
            "localhost",
            "/api/http/middlewares/dynroute-cookie@file",
            &[],
        )
        .ok()
        .filter(|r| r.status == 200)
        .map(|r| r.json());
        if let Some(m) = found {
            break format!(
                "{} {}",
                m["status"].as_str().unwrap_or("?"),
                m["type"].as_str().unwrap_or("?")
            );
        }
        if Instant::now() > deadline {
            break "not found".to_owned();
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let _ = child.kill();
    let _ = child.wait();
    status
}

/// Each printed format, completed with addresses, is a static configuration the
/// real Traefik accepts: the plugin loads and the middleware is enabled.
#[test]
fn the_printed_configuration_loads_the_plugin_in_traefik() {
    let p = Project::empty().file("dynroute.yaml", CONFIG);
    let dir = p.path().join("run");
    let yaml = p.ok(&["traefik-config", "--write-plugin", "run"]);
    let toml = p.ok(&[
        "traefik-config",
        "--write-plugin",
        "run",
        "--format",
        "toml",
    ]);

    let (web, secure, api) = (free_port(), free_port(), free_port());
    let yaml = yaml
        .replacen(
            "entryPoints:\n",
            &format!("entryPoints:\n  traefik:\n    address: 127.0.0.1:{api}\n"),
            1,
        )
        .replacen(
            "  web:\n",
            &format!("  web:\n    address: 127.0.0.1:{web}\n"),
            1,
        )
        .replacen(
            "  websecure:\n",
            &format!("  websecure:\n    address: 127.0.0.1:{secure}\n"),
            1,
        )
        + "api:\n  insecure: true\n  dashboard: false\nglobal:\n  checkNewVersion: false\n  sendAnonymousUsage: false\n";
    std::fs::write(dir.join("static.yml"), yaml).unwrap();
    assert_eq!(
        middleware_status(&dir, "static.yml", api),
        "enabled cookiebaggage"
    );

    let (web, secure, api) = (free_port(), free_port(), free_port());
    let toml = format!(
        "{toml}\n[entryPoints.web]\n  address = \"127.0.0.1:{web}\"\n\n[entryPoints.websecure]\n  address = \"127.0.0.1:{secure}\"\n\n[entryPoints.traefik]\n  address = \"127.0.0.1:{api}\"\n\n[api]\n  insecure = true\n  dashboard = false\n\n[global]\n  checkNewVersion = false\n  sendAnonymousUsage = false\n"
    );
    std::fs::write(dir.join("static.toml"), toml).unwrap();
    assert_eq!(
        middleware_status(&dir, "static.toml", api),
        "enabled cookiebaggage"
    );
}
