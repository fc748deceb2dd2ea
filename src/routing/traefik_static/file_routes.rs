//! Main's routers for a URL baseline, for Traefik's file provider: the same
//! routers, rules, priorities and middlewares the labels of `dynroute labels`
//! give an ECS task, in the file provider's nested form, with the baseline's
//! URL as the one server. Main then needs no change at all.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

/// The file provider's spelling of a label segment (labels are case-insensitive;
/// the file's keys are written as Traefik documents them).
fn key(segment: &str) -> &str {
    match segment {
        "entrypoints" => "entryPoints",
        "rulesyntax" | "ruleSyntax" => "ruleSyntax",
        "customrequestheaders" => "customRequestHeaders",
        "customresponseheaders" => "customResponseHeaders",
        "redirectregex" => "redirectRegex",
        "loadbalancer" => "loadBalancer",
        "healthcheck" => "healthCheck",
        other => other,
    }
}

fn insert(map: &mut Mapping, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let k = Value::String(key(first).to_owned());
    if rest.is_empty() {
        map.insert(k, value);
        return;
    }
    let entry = map
        .entry(k)
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if let Value::Mapping(inner) = entry {
        insert(inner, rest, value);
    }
}

/// The `http:` routers, middlewares and services of `labels` (one version's
/// routed container), served by `url` instead of a task's port.
pub fn file_routes(labels: &BTreeMap<String, String>, url: &str) -> Mapping {
    let mut http = Mapping::new();
    let mut h2c = false;
    for (label, text) in labels {
        let Some(rest) = label.strip_prefix("traefik.http.") else {
            continue; // traefik.enable and dynroute.* are for the ECS provider
        };
        let segments: Vec<&str> = rest.split('.').collect();
        let value = match segments.as_slice() {
            ["services", _, "loadbalancer", "server", "port"] => continue,
            ["services", _, "loadbalancer", "server", "scheme"] => {
                h2c = text == "h2c";
                continue;
            }
            ["routers", _, "priority"] => text
                .parse::<u64>()
                .map_or_else(|_| Value::String(text.clone()), |n| Value::Number(n.into())),
            ["routers", _, "entrypoints" | "middlewares"] => Value::Sequence(
                text.split(',')
                    .map(|s| Value::String(s.trim().to_owned()))
                    .collect(),
            ),
            _ => Value::String(text.clone()),
        };
        insert(&mut http, &segments, value);
    }
    let server_url = match (h2c, url.strip_prefix("http://")) {
        (true, Some(rest)) => format!("h2c://{rest}"),
        _ => url.to_owned(),
    };
    if let Some(Value::Mapping(services)) = http.get_mut("services") {
        for (_, service) in services.iter_mut() {
            let mut server = Mapping::new();
            server.insert("url".into(), Value::String(server_url.clone()));
            insert(
                service.as_mapping_mut().expect("a service is a mapping"),
                &["loadbalancer", "servers"],
                Value::Sequence(vec![Value::Mapping(server)]),
            );
        }
    }
    http
}

/// Merges `extra` into the `http:` mapping of `into` (the entry middleware's
/// dynamic configuration), kind by kind.
pub fn merge_http(into: &mut Value, extra: Mapping) {
    let root = into
        .as_mapping_mut()
        .expect("the dynamic configuration is a mapping");
    let http = root
        .entry("http".into())
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    let Value::Mapping(http) = http else { return };
    for (kind, items) in extra {
        let Value::Mapping(items) = items else {
            continue;
        };
        let target = http
            .entry(kind)
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if let Value::Mapping(target) = target {
            target.extend(items);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_become_the_file_providers_routers_with_the_url_as_server() {
        let labels: BTreeMap<String, String> = [
            ("traefik.enable", "true"),
            ("traefik.http.routers.api--main.rule", "Host(`api.dev.test`)"),
            ("traefik.http.routers.api--main.priority", "1"),
            ("traefik.http.routers.api--main.entrypoints", "web,websecure"),
            ("traefik.http.routers.api--main.service", "api--main"),
            ("traefik.http.routers.api--main.middlewares", "api--main-version"),
            (
                "traefik.http.middlewares.api--main-version.headers.customresponseheaders.X-Dynroute-Version",
                "main",
            ),
            ("traefik.http.services.api--main.loadbalancer.server.port", "8080"),
            ("traefik.http.services.api--main.loadbalancer.healthcheck.path", "/health"),
            ("dynroute.version", "main"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let http = file_routes(&labels, "http://127.0.0.9:9000");
        let yaml = serde_yaml::to_string(&http).unwrap();
        assert_eq!(
            yaml,
            "middlewares:\n  api--main-version:\n    headers:\n      customResponseHeaders:\n        X-Dynroute-Version: main\nrouters:\n  api--main:\n    entryPoints:\n    - web\n    - websecure\n    middlewares:\n    - api--main-version\n    priority: 1\n    rule: Host(`api.dev.test`)\n    service: api--main\nservices:\n  api--main:\n    loadBalancer:\n      healthCheck:\n        path: /health\n      servers:\n      - url: http://127.0.0.9:9000\n"
        );
    }
}
