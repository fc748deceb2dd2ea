use serde_json::Value;

use crate::harness::Project;

const FLAGS: &[&str] = &[
    "init",
    "--cluster",
    "dev",
    "--domain",
    "dev.acme.io",
    "--service",
    "orders",
    "--port",
    "9000",
    "--image",
    "123.dkr.ecr.eu-west-1.amazonaws.com/orders",
];

#[test]
fn init_with_flags_writes_a_config_and_template_that_render() {
    let p = Project::empty();
    p.ok(FLAGS);
    assert_eq!(p.files(), ["dynroute.yaml", "templates/orders.yaml"]);
    let td: Value = serde_json::from_str(&p.ok(&["render", "feature-9"])).unwrap();
    assert_eq!(td["family"], "orders--feature-9");
    let c = &td["containerDefinitions"][0];
    assert_eq!(
        c["image"],
        "123.dkr.ecr.eu-west-1.amazonaws.com/orders:feature-9"
    );
    assert_eq!(
        c["dockerLabels"]["traefik.http.routers.orders--feature-9.rule"]
            .as_str()
            .unwrap()[..24],
        *"Host(`orders.dev.acme.io"
    );
    assert_eq!(
        c["dockerLabels"]["traefik.http.services.orders--feature-9.loadbalancer.server.port"],
        "9000"
    );
}

#[test]
fn init_never_overwrites_without_force() {
    let p = Project::empty().file("dynroute.yaml", "cluster: mine\n");
    p.usage_error(
        FLAGS,
        &["dynroute.yaml already exists", "hint: pass --force"],
    );
    assert_eq!(
        std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap(),
        "cluster: mine\n"
    );
    assert_eq!(p.files(), ["dynroute.yaml"], "nothing else written");
    let mut forced = FLAGS.to_vec();
    forced.push("--force");
    p.ok(&forced);
    assert!(
        std::fs::read_to_string(p.path().join("dynroute.yaml"))
            .unwrap()
            .contains("orders")
    );
}

#[test]
fn init_without_a_terminal_names_the_missing_flag() {
    let p = Project::empty();
    p.usage_error(
        &["init", "--domain", "d.io", "--image", "r/x"],
        &["cannot ask without a terminal", "hint: pass --cluster NAME"],
    );
    p.usage_error(
        &["init", "--cluster", "dev", "--image", "r/x"],
        &["hint: pass --domain DOMAIN"],
    );
    p.usage_error(
        &["init", "--cluster", "dev", "--domain", "d.io"],
        &["hint: pass --image REPO"],
    );
    assert!(p.files().is_empty());
}

#[test]
fn init_rejects_bad_answers_before_writing() {
    let p = Project::empty();
    let with = |flag: &str, value: &str| {
        let mut args: Vec<&str> = FLAGS.to_vec();
        let i = args.iter().position(|a| *a == flag).unwrap();
        args[i + 1] = value;
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    for (flag, value, needle) in [
        ("--service", "Orders_API", "invalid service name"),
        ("--domain", "Dev Acme", "invalid host name"),
        ("--image", "repo with space", "not an image repository"),
        ("--port", "0", "--port 0"),
    ] {
        let args = with(flag, value);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        p.usage_error(&args, &[needle]);
    }
    assert!(p.files().is_empty());
}

#[test]
fn init_never_writes_through_a_symlink_and_force_replaces_the_link() {
    let p = Project::empty();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("victim.txt");
    std::fs::write(&target, "keep me\n").unwrap();
    std::os::unix::fs::symlink(&target, p.path().join("dynroute.yaml")).unwrap();
    p.usage_error(
        FLAGS,
        &["dynroute.yaml is a symbolic link", "hint: pass --force"],
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");

    // A dangling link, too: it would create its target.
    let dangling = outside.path().join("created.yaml");
    std::fs::remove_file(p.path().join("dynroute.yaml")).unwrap();
    std::os::unix::fs::symlink(&dangling, p.path().join("dynroute.yaml")).unwrap();
    p.usage_error(FLAGS, &["is a symbolic link"]);
    assert!(!dangling.exists());

    let mut forced = FLAGS.to_vec();
    forced.push("--force");
    p.ok(&forced);
    assert!(!dangling.exists());
    let meta = std::fs::symlink_metadata(p.path().join("dynroute.yaml")).unwrap();
    assert!(meta.file_type().is_file());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me\n");
}

#[test]
fn init_honours_config() {
    let p = Project::empty();
    std::fs::create_dir(p.path().join("deploy")).unwrap();
    let mut args = FLAGS.to_vec();
    args.extend(["--config", "deploy/dev.yaml"]);
    p.ok(&args);
    assert_eq!(
        p.files(),
        ["deploy/dev.yaml", "deploy/templates/orders.yaml"]
    );
    let td: Value =
        serde_json::from_str(&p.ok(&["render", "feature-9", "--config", "deploy/dev.yaml"]))
            .unwrap();
    assert_eq!(td["family"], "orders--feature-9");
}
