//! The Traefik checks of `doctor`: its ECS service (found by its image), its
//! API (down, or unreachable from here), its static settings and the entry
//! middleware.

use serde_json::Value;

use super::{Finding, failed, ok, skipped, traefik_static};
use crate::aws::Aws;
use crate::config::Project;
use crate::ecs::{Ecs, ServiceState};

/// Whether an image is Traefik's (`traefik`, `…/traefik:v3.7`, `…/traefik@sha256:…`).
pub(super) fn is_traefik_image(image: &str) -> bool {
    let name = image.split(['@']).next().unwrap_or(image);
    let name = match name.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => name,
    };
    name.rsplit('/').next() == Some("traefik")
}

/// Traefik's ECS service on the cluster and its container, if it runs there.
pub(super) struct TraefikOnEcs {
    pub(super) service: ServiceState,
    pub(super) container: Value,
}

pub(super) async fn find_traefik(aws: &Aws, services: &[ServiceState]) -> Option<TraefikOnEcs> {
    // dynroute's own services are never Traefik; look at the others, a bounded few.
    for service in services
        .iter()
        .filter(|s| !s.tags.contains_key(crate::naming::tags::MANAGED) && s.is_live())
        .take(20)
    {
        let Ok(Some(doc)) = aws.task_definition_document(&service.task_definition).await else {
            continue;
        };
        let containers = doc["taskDefinition"]["containerDefinitions"]
            .as_array()?
            .clone();
        if let Some(container) = containers
            .into_iter()
            .find(|c| c["image"].as_str().is_some_and(is_traefik_image))
        {
            return Some(TraefikOnEcs {
                service: service.clone(),
                container,
            });
        }
    }
    None
}

pub(super) fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

pub(super) async fn api_check(
    out: &mut Vec<Finding>,
    client: &reqwest::Client,
    api: Option<&str>,
    token: Option<&str>,
    traefik: Option<&TraefikOnEcs>,
    traefik_down: bool,
) -> bool {
    let Some(api) = api else {
        out.push(skipped(
            "traefik.api",
            "no traefik.api_url in dynroute.yaml (or --traefik-api)",
        ));
        return false;
    };
    if traefik_down {
        out.push(skipped("traefik.api", "Traefik is down"));
        return false;
    }
    if token.is_some()
        && let Err(e) = crate::check::traefik::check_token_transport(api)
    {
        out.push(failed(
            "traefik.api",
            e.message,
            "use the API's https:// address",
        ));
        return false;
    }
    match crate::check::traefik::fetch(client, api, token).await {
        Ok(loaded) => {
            out.push(ok(
                "traefik.api",
                format!(
                    "{api}: {} routers, {} services",
                    loaded.routers.len(),
                    loaded.services.len()
                ),
            ));
            true
        }
        Err(e) => {
            let error = crate::error::chain_text(&e);
            out.push(match traefik {
                Some(t) => failed(
                    "traefik.api",
                    format!(
                        "unreachable from here: Traefik runs ({}/{} tasks) but its API at {api} does not answer from this machine ({error})",
                        t.service.running, t.service.desired
                    ),
                    "the API is inside the VPC: use the platform kit's https://traefik.DOMAIN with DYNROUTE_TRAEFIK_API_TOKEN, or run doctor from a runner inside the VPC (see Platform setup, \"Traefik's API\")",
                ),
                None => failed(
                    "traefik.api",
                    format!("cannot read Traefik's API at {api} ({error})"),
                    "check traefik.api_url (Traefik's --api.insecure=true serves it on the entrypoint `traefik`, port 8080)",
                ),
            });
            false
        }
    }
}

pub(super) async fn middleware_check(
    project: &Project,
    client: &reqwest::Client,
    api: Option<&str>,
    token: Option<&str>,
    api_ok: bool,
) -> Finding {
    let (Some(api), true) = (api, api_ok) else {
        return skipped("traefik.middleware", "Traefik's API was not read");
    };
    let middlewares = match crate::check::traefik::middlewares(client, api, token).await {
        Ok(m) => m,
        Err(e) => {
            return failed(
                "traefik.middleware",
                crate::error::chain_text(&e),
                "check traefik.api_url",
            );
        }
    };
    let cookie = project.ways_in.cookie.as_str();
    let plugin = middlewares.iter().find(|m| {
        m["plugin"]
            .get(crate::routing::traefik_static::PLUGIN_NAME)
            .is_some()
    });
    match plugin {
        None => failed(
            "traefik.middleware",
            format!(
                "no entry middleware: the `{cookie}` cookie a link sets reaches the first service only, not the services it calls"
            ),
            "load it: `dynroute traefik-config --write-plugin DIR` (the platform kit does it for you), see Ways in",
        ),
        Some(m) if m["status"] != "enabled" => failed(
            "traefik.middleware",
            format!(
                "the entry middleware {} is {}",
                m["name"].as_str().unwrap_or("?"),
                m["status"].as_str().unwrap_or("?")
            ),
            "see Traefik's log for the plugin's error; regenerate it with `dynroute traefik-config --write-plugin DIR`",
        ),
        Some(m) => {
            let configured = m["plugin"][crate::routing::traefik_static::PLUGIN_NAME]["cookieName"]
                .as_str()
                .unwrap_or_default();
            match configured == cookie {
                true => ok(
                    "traefik.middleware",
                    format!("{} (cookie {cookie})", m["name"].as_str().unwrap_or("?")),
                ),
                false => failed(
                    "traefik.middleware",
                    format!(
                        "the entry middleware reads the cookie `{configured}`, this project sets `{cookie}`"
                    ),
                    "use one cookie per cluster: the same `browser.cookie` (and `baggage_key`) as Traefik's middleware",
                ),
            }
        }
    }
}

/// `traefik.provider`: the ECS provider's static settings, from Traefik's task definition.
pub(super) fn provider_check(traefik: Option<&TraefikOnEcs>, project: &Project) -> Finding {
    match traefik {
        None => skipped(
            "traefik.provider",
            "configured by file: Traefik's static settings are not in an ECS task definition here",
        ),
        Some(t) => {
            let command = strings(&t.container["command"]);
            let environment: Vec<(String, String)> = t.container["environment"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| {
                    Some((
                        e["name"].as_str()?.to_owned(),
                        e["value"].as_str()?.to_owned(),
                    ))
                })
                .collect();
            match traefik_static::read(&command, &environment) {
                None => skipped(
                    "traefik.provider",
                    "configured by file (--configFile): its settings cannot be read from here",
                ),
                Some(settings) => {
                    let problems = traefik_static::problems(&settings, &project.cluster);
                    match problems.first() {
                        None => ok(
                            "traefik.provider",
                            format!(
                                "ECS provider on {}, exposedByDefault=false, refreshSeconds={}, metrics on",
                                project.cluster,
                                settings
                                    .get("providers.ecs.refreshseconds")
                                    .map(String::as_str)
                                    .unwrap_or("?")
                            ),
                        ),
                        Some((_, fix)) => {
                            let found: Vec<&str> =
                                problems.iter().map(|(f, _)| f.as_str()).collect();
                            failed(
                                "traefik.provider",
                                format!(
                                    "{} (task definition {})",
                                    found.join("; "),
                                    t.service.task_definition
                                ),
                                format!(
                                    "{fix} in Traefik's task definition (`dynroute traefik-config --cluster-wide` prints the whole set)"
                                ),
                            )
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traefik_images_are_told_by_their_name() {
        for yes in [
            "traefik",
            "traefik:v3.7",
            "public.ecr.aws/docker/library/traefik:v3.7.15",
            "localhost:5000/traefik",
            "traefik@sha256:abc",
        ] {
            assert!(is_traefik_image(yes), "{yes}");
        }
        for no in [
            "example/api:1",
            "traefik-forward-auth:2",
            "ghcr.io/x/dynroute:1",
        ] {
            assert!(!is_traefik_image(no), "{no}");
        }
    }
}
