use super::*;

fn sample() -> EntryMiddleware {
    EntryMiddleware {
        cookie: "dynamic_route".into(),
        baggage_key: "dynamic_route".into(),
        entrypoints: vec!["web".parse().unwrap(), "websecure".parse().unwrap()],
        dynamic_file: "/srv/traefik/dynroute-middleware.yml".into(),
        metrics: false,
    }
}

#[test]
fn a_project_that_records_activity_gets_traefik_s_per_service_counters() {
    let m = EntryMiddleware {
        metrics: true,
        ..sample()
    };
    let doc: serde_yaml::Value = serde_yaml::from_str(&static_config(&m, Format::Yaml)).unwrap();
    assert_eq!(doc["metrics"]["prometheus"]["addServicesLabels"], true);
    let toml = static_config(&m, Format::Toml);
    assert!(
        toml.ends_with("[metrics.prometheus]\n  addServicesLabels = true\n"),
        "{toml}"
    );
    let flags = static_flags(&m);
    assert!(flags.contains(&"--metrics.prometheus.addServicesLabels=true".to_owned()));
    assert!(!static_config(&sample(), Format::Yaml).contains("metrics"));
}

#[test]
fn yaml_enables_the_plugin_the_file_provider_and_every_entrypoint() {
    let doc: serde_yaml::Value =
        serde_yaml::from_str(&static_config(&sample(), Format::Yaml)).unwrap();
    assert_eq!(
        doc["experimental"]["localPlugins"]["cookiebaggage"]["moduleName"],
        "github.com/dynroute/cookiebaggage"
    );
    assert_eq!(
        doc["providers"]["file"]["filename"],
        "/srv/traefik/dynroute-middleware.yml"
    );
    for ep in ["web", "websecure"] {
        let list = doc["entryPoints"][ep]["http"]["middlewares"]
            .as_sequence()
            .unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0], "dynroute-cookie@file");
    }
}

#[test]
fn toml_has_one_table_per_entrypoint() {
    let text = static_config(&sample(), Format::Toml);
    assert_eq!(
        text,
        "[experimental.localPlugins.cookiebaggage]\n  moduleName = \"github.com/dynroute/cookiebaggage\"\n\n\
         [providers.file]\n  filename = \"/srv/traefik/dynroute-middleware.yml\"\n\n\
         [entryPoints.web.http]\n  middlewares = [\"dynroute-cookie@file\"]\n\n\
         [entryPoints.websecure.http]\n  middlewares = [\"dynroute-cookie@file\"]\n"
    );
}

#[test]
fn flags_are_one_argument_per_line() {
    let text = static_config(&sample(), Format::Flags);
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "--experimental.localPlugins.cookiebaggage.moduleName=github.com/dynroute/cookiebaggage",
            "--providers.file.filename=/srv/traefik/dynroute-middleware.yml",
            "--entrypoints.web.http.middlewares=dynroute-cookie@file",
            "--entrypoints.websecure.http.middlewares=dynroute-cookie@file",
        ]
    );
}

#[test]
fn paths_with_quotes_stay_valid_yaml() {
    let mut m = sample();
    m.dynamic_file = "/tmp/a \"b\": c/dynroute-middleware.yml".into();
    let doc: serde_yaml::Value = serde_yaml::from_str(&static_config(&m, Format::Yaml)).unwrap();
    assert_eq!(
        doc["providers"]["file"]["filename"],
        m.dynamic_file.as_str()
    );
}

#[test]
fn dynamic_config_configures_cookie_and_key() {
    let mut m = sample();
    m.cookie = "route".into();
    m.baggage_key = "team.route".into();
    let doc: serde_yaml::Value = serde_yaml::from_str(&dynamic_config(&m)).unwrap();
    let plugin = &doc["http"]["middlewares"]["dynroute-cookie"]["plugin"]["cookiebaggage"];
    assert_eq!(plugin["cookieName"], "route");
    assert_eq!(plugin["baggageKey"], "team.route");
}

#[test]
fn plugin_files_are_the_module_traefik_loads() {
    let names: Vec<_> = PLUGIN_FILES.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, [".traefik.yml", "go.mod", "cookiebaggage.go"]);
    let manifest: serde_yaml::Value = serde_yaml::from_str(PLUGIN_FILES[0].1).unwrap();
    assert_eq!(manifest["import"], MODULE_NAME);
    assert_eq!(manifest["type"], "middleware");
    assert!(
        PLUGIN_FILES[1]
            .1
            .starts_with(&format!("module {MODULE_NAME}\n"))
    );
    let go = PLUGIN_FILES[2].1;
    for needle in [
        "package cookiebaggage",
        "func CreateConfig()",
        "func New(",
        "type Config struct",
    ] {
        assert!(go.contains(needle), "{needle}");
    }
    assert_eq!(
        plugin_dir(Path::new("/w")),
        Path::new("/w/plugins-local/src/github.com/dynroute/cookiebaggage")
    );
}

#[test]
fn the_note_says_where_the_plugin_goes() {
    let note = placement_note(&sample(), None);
    assert!(
        note.contains("plugins-local/src/github.com/dynroute/cookiebaggage/"),
        "{note}"
    );
    assert!(note.contains("--write-plugin"), "{note}");
    let note = placement_note(&sample(), Some(Path::new("/srv/traefik")));
    assert!(
        note.contains("/srv/traefik/plugins-local/src/github.com/dynroute/cookiebaggage"),
        "{note}"
    );
}
