//! `routing: none`: a worker (a queue consumer, a scheduled job) is deployed
//! per version like any service, but gets no route, no labels and no port, and
//! nothing waits for or probes a route to it.

use serde_json::Value;

use crate::stack::Stack;

#[test]
fn a_worker_is_deployed_without_a_route_and_nothing_probes_it() {
    let stack = Stack::with_traefik();
    let (p, cluster) = stack.routed_project("wk", "v3");
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let p = p.file(
        "dynroute.yaml",
        &format!("{config}  wkworker:\n    template: templates/app.yaml\n    routing: none\n"),
    );
    // The worker's task definition carries no Traefik label and no port mapping.
    let rendered: Value =
        serde_json::from_str(&p.ok(&["render", "feature-1", "-s", "wkworker"])).unwrap();
    let container = &rendered["containerDefinitions"][0];
    let labels = container["dockerLabels"].as_object();
    assert!(
        labels.is_none_or(|l| !l.keys().any(|k| k.starts_with("traefik."))),
        "{container}"
    );
    assert!(
        container["portMappings"]
            .as_array()
            .is_none_or(|m| m.is_empty()),
        "{container}"
    );
    // `up` (with verification through the ingress) deploys all three and
    // probes only the routed two.
    let out = p.run(&["up", "feature-1", "-q"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let names: Vec<String> = stack
        .services(&cluster)
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        names.contains(&"wkworker--feature-1".to_owned()),
        "{names:?}"
    );
    // No way in to a worker; `labels` says why it has none.
    let curl = p.ok(&["header", "feature-1", "--format", "curl"]);
    assert!(!curl.contains("wkworker"), "{curl}");
    assert_eq!(curl.lines().count(), 2, "{curl}");
    p.usage_error(&["labels", "-s", "wkworker"], &["`routing: none`"]);
    p.ok(&["down", "feature-1", "--yes", "-q"]);
}
