//! `dynroute doctor`: what is wrong with a setup, and the one thing to do
//! about it. Checks run in a fixed order, each with a stable ID, a status, what
//! it found and, when it failed, one fix. A check whose prerequisite failed is
//! skipped (saying which), so one fault fails one check. Read-only: no call
//! here changes anything.

pub mod dns;
pub mod permissions;
pub mod traefik_static;

use std::collections::BTreeSet;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::aws::{Aws, Simulation, iam};
use crate::config::{Baseline, Ingress, Placement, Project};
use crate::ecs::{Ecs, ServiceState};
use crate::routing::VERSION_RESPONSE_HEADER;

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Failed,
    Skipped,
}

/// One check: its stable ID, its outcome, what it found and, when it failed,
/// the one fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub id: &'static str,
    pub status: Status,
    pub found: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// Every check ID, in the order they run.
pub const CHECKS: [&str; 16] = [
    "config",
    "aws.credentials",
    "aws.region",
    "ecs.cluster",
    "ecs.capacity",
    "network.subnets",
    "network.security_groups",
    "network.vpc",
    "baseline",
    "traefik.service",
    "traefik.api",
    "traefik.provider",
    "traefik.middleware",
    "ingress.main",
    "dns.version_hosts",
    "iam.deploy",
];

fn ok(id: &'static str, found: impl Into<String>) -> Finding {
    Finding {
        id,
        status: Status::Ok,
        found: found.into(),
        fix: None,
    }
}

/// The longest `found` text: an SDK error can carry a whole debug dump.
const MAX_FOUND_CHARS: usize = 400;

fn short(text: String) -> String {
    let total = text.chars().count();
    if total <= MAX_FOUND_CHARS {
        return text;
    }
    let head: String = text.chars().take(MAX_FOUND_CHARS).collect();
    format!("{head}… ({total} characters)")
}

fn failed(id: &'static str, found: impl Into<String>, fix: impl Into<String>) -> Finding {
    Finding {
        id,
        status: Status::Failed,
        found: short(found.into()),
        fix: Some(fix.into()),
    }
}

fn skipped(id: &'static str, why: impl Into<String>) -> Finding {
    Finding {
        id,
        status: Status::Skipped,
        found: why.into(),
        fix: None,
    }
}

/// The findings of a config that does not load: that one, every other skipped.
pub fn config_failed(error: &str) -> Vec<Finding> {
    let mut out = vec![failed(
        "config",
        error,
        "fix dynroute.yaml as the error says (`dynroute render main` shows the same error)",
    )];
    out.extend(
        CHECKS[1..]
            .iter()
            .map(|id| skipped(id, "the config does not load")),
    );
    out
}

/// What the checks read besides the AWS account.
pub struct Inputs<'a> {
    pub project: &'a Project,
    /// The AWS clients, or why they could not be made (no credentials, no region).
    pub aws: Result<Aws, String>,
    /// The task and execution roles main's task definitions name.
    pub roles: Vec<String>,
    pub api_url: Option<String>,
    pub api_token: Option<String>,
    pub resolver: dns::Resolver,
    /// The HTTP client of the checks that send requests ([`client`]).
    pub client: reqwest::Client,
}

/// The client doctor's requests use: dynroute's TLS roots, a short timeout,
/// no redirects followed (an answer is judged as it comes).
pub fn client() -> Result<reqwest::Client, crate::error::UserError> {
    crate::tls::http_client()?
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| crate::error::UserError::usage(format!("cannot build an HTTP client: {e}")))
}

/// How long one HTTP request of a check may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether an image is Traefik's (`traefik`, `…/traefik:v3.7`, `…/traefik@sha256:…`).
fn is_traefik_image(image: &str) -> bool {
    let name = image.split(['@']).next().unwrap_or(image);
    let name = match name.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => repo,
        _ => name,
    };
    name.rsplit('/').next() == Some("traefik")
}

/// Traefik's ECS service on the cluster and its container, if it runs there.
struct TraefikOnEcs {
    service: ServiceState,
    container: Value,
}

async fn find_traefik(aws: &Aws, services: &[ServiceState]) -> Option<TraefikOnEcs> {
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

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Runs every check in order.
pub async fn run(inputs: Inputs<'_>) -> Vec<Finding> {
    let project = inputs.project;
    let mut out = vec![ok(
        "config",
        format!(
            "{} (project {}, cluster {})",
            project.path.display(),
            project.project,
            project.cluster
        ),
    )];
    let aws = match inputs.aws {
        Ok(aws) => Some(aws),
        Err(error) => {
            let region = error.contains("region");
            out.push(match region {
                true => skipped("aws.credentials", "no region to ask in"),
                false => failed(
                    "aws.credentials",
                    error.clone(),
                    "sign in (`aws sso login`, or export AWS_PROFILE / AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
                ),
            });
            out.push(match region {
                true => failed(
                    "aws.region",
                    error,
                    "set `region:` in dynroute.yaml, or AWS_REGION, or --region",
                ),
                false => skipped("aws.region", "no credentials"),
            });
            None
        }
    };
    let identity = match &aws {
        Some(aws) => match aws.caller_identity().await {
            Ok(identity) => {
                out.push(ok(
                    "aws.credentials",
                    format!("{} (account {})", identity.arn, identity.account),
                ));
                out.push(ok("aws.region", aws.region().to_owned()));
                Some(identity)
            }
            Err(e) => {
                out.push(failed(
                    "aws.credentials",
                    crate::error::chain_text(&e),
                    "sign in again (`aws sso login`), or check AWS_PROFILE / AWS_ACCESS_KEY_ID",
                ));
                out.push(ok("aws.region", aws.region().to_owned()));
                None
            }
        },
        None => None,
    };
    let aws = aws.filter(|_| identity.is_some());

    // The cluster and its capacity.
    let cluster = match &aws {
        None => {
            out.push(skipped("ecs.cluster", "no AWS access"));
            None
        }
        Some(aws) => match aws.cluster_facts().await {
            Ok(Some(c)) if c.status == "ACTIVE" => {
                out.push(ok("ecs.cluster", format!("{} is ACTIVE", project.cluster)));
                Some(c)
            }
            Ok(Some(c)) => {
                out.push(failed(
                    "ecs.cluster",
                    format!("{} is {}", project.cluster, c.status),
                    "create the cluster again, or name an active one in `cluster:`",
                ));
                None
            }
            Ok(None) => {
                out.push(failed(
                    "ecs.cluster",
                    format!("no cluster {} in {}", project.cluster, aws.region()),
                    "name the cluster in `cluster:` (`aws ecs list-clusters` lists them), or create it (the platform kit's CreateCluster=true)",
                ));
                None
            }
            Err(e) => {
                out.push(failed(
                    "ecs.cluster",
                    crate::error::chain_text(&e),
                    "allow ecs:DescribeClusters, or check the region",
                ));
                None
            }
        },
    };
    out.push(match (&cluster, &project.placement) {
        (None, _) => skipped("ecs.capacity", "no cluster"),
        (Some(_), Placement::LaunchType(lt)) => ok(
            "ecs.capacity",
            format!(
                "launch type {} (no capacity provider needed)",
                format!("{lt:?}").to_uppercase()
            ),
        ),
        (Some(c), Placement::CapacityProviders(items)) => {
            let missing: Vec<&str> = items
                .iter()
                .map(|i| i.capacity_provider.as_str())
                .filter(|p| !c.capacity_providers.iter().any(|q| q == p))
                .collect();
            match missing.is_empty() {
                true => ok(
                    "ecs.capacity",
                    format!("capacity providers {}", c.capacity_providers.join(", ")),
                ),
                false => failed(
                    "ecs.capacity",
                    format!(
                        "the cluster has no capacity provider {} (it has: {})",
                        missing.join(", "),
                        c.capacity_providers.join(", ")
                    ),
                    "attach it to the cluster (`aws ecs put-cluster-capacity-providers`), or change `capacity_provider_strategy`",
                ),
            }
        }
    });

    // The network.
    network_checks(&mut out, aws.as_ref(), project).await;

    // Services of the cluster (baselines, Traefik).
    let services = match (&aws, &cluster) {
        (Some(aws), Some(_)) => aws.all_services().await.ok(),
        _ => None,
    };
    out.push(baseline_check(project, &inputs.client, services.as_deref()).await);

    // Traefik.
    let traefik = match (&aws, &services) {
        (Some(aws), Some(services)) => find_traefik(aws, services).await,
        _ => None,
    };
    let traefik_down = traefik.as_ref().is_some_and(|t| t.service.running == 0);
    out.push(match (&traefik, &services) {
        (_, None) => skipped("traefik.service", "no cluster to look in"),
        (None, Some(_)) => skipped(
            "traefik.service",
            "Traefik does not run as an ECS service of this cluster (configured elsewhere)",
        ),
        (Some(t), _) if t.service.running == 0 => failed(
            "traefik.service",
            format!(
                "Traefik's service {} has no running task ({} desired)",
                t.service.name, t.service.desired
            ),
            format!(
                "see why its tasks stop: `aws ecs describe-services --cluster {} --services {}` (events), then its logs",
                project.cluster, t.service.name
            ),
        ),
        (Some(t), _) => ok(
            "traefik.service",
            format!(
                "{}: {}/{} tasks running ({})",
                t.service.name,
                t.service.running,
                t.service.desired,
                t.container["image"].as_str().unwrap_or("?")
            ),
        ),
    });
    let client = Some(&inputs.client);
    let api_ok = api_check(
        &mut out,
        client,
        inputs.api_url.as_deref(),
        inputs.api_token.as_deref(),
        traefik.as_ref(),
        traefik_down,
    )
    .await;
    out.push(match &traefik {
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
                    Some((e["name"].as_str()?.to_owned(), e["value"].as_str()?.to_owned()))
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
                            let found: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
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
    });
    out.push(
        middleware_check(
            project,
            client,
            inputs.api_url.as_deref(),
            inputs.api_token.as_deref(),
            api_ok,
        )
        .await,
    );
    let ingress = match (&project.ingress, &aws) {
        (Some(Ingress::Url(url)), _) => Some(url.clone()),
        (Some(Ingress::LoadBalancer(name)), Some(aws)) => {
            crate::ecs::LoadBalancers::load_balancer_dns(aws, name)
                .await
                .ok()
                .map(|dns| format!("http://{dns}"))
        }
        _ => None,
    };
    out.push(main_check(project, client, ingress.as_deref(), traefik_down).await);
    out.push(dns_check(project, &inputs.resolver, ingress.as_deref()).await);
    out.push(iam_check(project, aws.as_ref(), identity.as_ref(), &inputs.roles).await);
    out
}

async fn network_checks(out: &mut Vec<Finding>, aws: Option<&Aws>, project: &Project) {
    let (Some(aws), Some(network)) = (aws, &project.network) else {
        let why = match aws {
            None => "no AWS access",
            Some(_) => "no `network:` in dynroute.yaml (the templates name it)",
        };
        for id in ["network.subnets", "network.security_groups", "network.vpc"] {
            out.push(skipped(id, why));
        }
        return;
    };
    let mut vpcs: BTreeSet<String> = BTreeSet::new();
    let mut complete = true;
    for (id, what, ids, found) in [
        (
            "network.subnets",
            "subnet",
            &network.subnets,
            aws.subnets(&network.subnets).await,
        ),
        (
            "network.security_groups",
            "security group",
            &network.security_groups,
            aws.security_groups(&network.security_groups).await,
        ),
    ] {
        let found = match found {
            Ok(found) => found,
            Err(e) => {
                complete = false;
                out.push(failed(
                    id,
                    crate::error::chain_text(&e),
                    "allow ec2:DescribeSubnets and ec2:DescribeSecurityGroups, or check the region",
                ));
                continue;
            }
        };
        let missing: Vec<&String> = ids
            .iter()
            .filter(|i| !found.iter().any(|f| &f.id == *i))
            .collect();
        if missing.is_empty() {
            vpcs.extend(found.iter().map(|f| f.vpc.clone()));
            out.push(ok(
                id,
                match ids.is_empty() {
                    true => format!("no {what} named"),
                    false => found
                        .iter()
                        .map(|f| format!("{} ({})", f.id, f.vpc))
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            ));
        } else {
            complete = false;
            out.push(failed(
                id,
                format!(
                    "no {what} {} in {}",
                    missing
                        .iter()
                        .map(|m| m.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    aws.region()
                ),
                format!(
                    "name existing {what}s in `network:` (`aws ec2 describe-{}s`)",
                    what.replace(' ', "-")
                ),
            ));
        }
    }
    out.push(match (complete, vpcs.len()) {
        (false, _) => skipped(
            "network.vpc",
            "not every subnet and security group was found",
        ),
        (true, 0 | 1) => ok(
            "network.vpc",
            vpcs.iter()
                .next()
                .cloned()
                .unwrap_or_else(|| "no VPC named".to_owned()),
        ),
        (true, _) => failed(
            "network.vpc",
            format!(
                "the subnets and security groups are in {} VPCs: {}",
                vpcs.len(),
                vpcs.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            "name subnets and security groups of one VPC (the cluster's tasks get one network)",
        ),
    });
}

async fn baseline_check(
    project: &Project,
    client: &reqwest::Client,
    services: Option<&[ServiceState]>,
) -> Finding {
    let baselines: Vec<(&str, &Baseline)> = project
        .services
        .values()
        .filter_map(|s| s.baseline.as_ref().map(|b| (s.name.as_str(), b)))
        .collect();
    if baselines.is_empty() {
        return skipped("baseline", "no service names a baseline");
    }
    let mut missing = Vec::new();
    let mut found = Vec::new();
    for (service, baseline) in baselines {
        match baseline {
            Baseline::EcsService(name) => match services {
                None => return skipped("baseline", "no cluster to look in"),
                Some(all) if all.iter().any(|s| &s.name == name && s.is_live()) => {
                    found.push(format!("{service}: ECS service {name}"));
                }
                Some(_) => missing.push(format!("{service}: no ECS service {name}")),
            },
            Baseline::Url(url) => {
                let answered = client.get(url).send().await.is_ok();
                match answered {
                    true => found.push(format!("{service}: {url} answers")),
                    false => missing.push(format!("{service}: {url} does not answer")),
                }
            }
        }
    }
    match missing.is_empty() {
        true => ok("baseline", found.join("; ")),
        false => failed(
            "baseline",
            missing.join("; "),
            "name the baseline main already runs as (`baseline:` of the service), or deploy main with `dynroute up main`",
        ),
    }
}

async fn api_check(
    out: &mut Vec<Finding>,
    client: Option<&reqwest::Client>,
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
    let Some(client) = client else {
        out.push(skipped("traefik.api", "no HTTP client"));
        return false;
    };
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

async fn middleware_check(
    project: &Project,
    client: Option<&reqwest::Client>,
    api: Option<&str>,
    token: Option<&str>,
    api_ok: bool,
) -> Finding {
    let (Some(client), Some(api), true) = (client, api, api_ok) else {
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

async fn main_check(
    project: &Project,
    client: Option<&reqwest::Client>,
    ingress: Option<&str>,
    traefik_down: bool,
) -> Finding {
    let (Some(ingress), Some(client)) = (ingress, client) else {
        return skipped("ingress.main", "no ingress in dynroute.yaml");
    };
    if !project.services.values().any(|s| s.routed) {
        return skipped(
            "ingress.main",
            "no routed service (every one has `routing: none`)",
        );
    }
    if traefik_down {
        return skipped("ingress.main", "Traefik is down");
    }
    let main = project.main_version.as_str();
    let mut wrong = Vec::new();
    let mut right = Vec::new();
    for s in project.services.values().filter(|s| s.routed) {
        let host = s.hosts[0].to_string();
        let response = client
            .get(format!("{ingress}{}", s.path()))
            .header(reqwest::header::HOST, &host)
            .send()
            .await;
        match response {
            Ok(r) => {
                let version = r
                    .headers()
                    .get(VERSION_RESPONSE_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                match version.as_deref() == Some(main) {
                    true => right.push(host),
                    false => wrong.push(format!(
                        "{host}: HTTP {}{}",
                        r.status().as_u16(),
                        version
                            .map(|v| format!(" from {v}"))
                            .unwrap_or_else(|| format!(" without {VERSION_RESPONSE_HEADER}"))
                    )),
                }
            }
            Err(e) => wrong.push(format!("{host}: {e}")),
        }
    }
    match wrong.is_empty() {
        true => ok(
            "ingress.main",
            format!("{main} answers through {ingress} for {}", right.join(", ")),
        ),
        false => failed(
            "ingress.main",
            wrong.join("; "),
            format!(
                "deploy main (`dynroute up {main}`), or name the main it already runs as a `baseline:`"
            ),
        ),
    }
}

async fn dns_check(project: &Project, resolver: &dns::Resolver, ingress: Option<&str>) -> Finding {
    let Some(domain) = &project.ways_in.version_host_domain else {
        return skipped("dns.version_hosts", "no version hosts (no `domain:`)");
    };
    let Some(service) = project.services.values().find(|s| s.routed) else {
        return skipped("dns.version_hosts", "no routed service");
    };
    let host = format!("{}--{}.{domain}", service.name, permissions::PROBE_VERSION);
    let target = ingress
        .and_then(|i| reqwest::Url::parse(i).ok())
        .and_then(|u| u.host_str().map(str::to_owned));
    let reference = match &target {
        Some(t) => t.clone(),
        None => service.hosts[0].to_string(),
    };
    let expected = match resolver.lookup(&reference).await {
        Ok(a) => a,
        Err(e) => {
            return failed(
                "dns.version_hosts",
                e,
                format!("create the DNS record of {reference}"),
            );
        }
    };
    match resolver.lookup(&host).await {
        Ok(found) if found.iter().any(|a| expected.contains(a)) => ok(
            "dns.version_hosts",
            format!("{host} resolves to the ingress {reference}"),
        ),
        Ok(found) => failed(
            "dns.version_hosts",
            format!(
                "{host} resolves to {}, the ingress {reference} to {}",
                found
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                expected
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("point *.{domain} at the ingress (the platform kit's WildcardRecord does)"),
        ),
        Err(e) => failed(
            "dns.version_hosts",
            e,
            format!("create the wildcard record *.{domain} → the ingress (version hosts need it)"),
        ),
    }
}

async fn iam_check(
    project: &Project,
    aws: Option<&Aws>,
    identity: Option<&crate::aws::Identity>,
    roles: &[String],
) -> Finding {
    let (Some(aws), Some(identity)) = (aws, identity) else {
        return skipped("iam.deploy", "no AWS access");
    };
    let inputs = iam::PolicyInputs {
        cluster: iam::cluster_name(&project.cluster).to_owned(),
        region: aws.region().to_owned(),
        account: identity.account.clone(),
        services: project.services.keys().map(|s| s.to_string()).collect(),
        roles: roles.to_vec(),
        log_groups: Vec::new(),
        load_balancer: matches!(project.ingress, Some(Ingress::LoadBalancer(_))),
    };
    let questions = permissions::questions(&iam::policy(&inputs, iam::Audience::Deploy));
    let principal = crate::aws::principal_arn(&identity.arn);
    match aws.simulate(&principal, &questions).await {
        Ok(Simulation::NotAllowed(why)) => {
            skipped("iam.deploy", format!("not allowed to simulate ({why})"))
        }
        Ok(Simulation::Answered(answers)) => {
            let mut denied: Vec<String> = Vec::new();
            for (action, resource, allowed) in &answers {
                let n = answers
                    .iter()
                    .filter(|(a, _, ok)| a == action && !ok)
                    .count();
                if !allowed && !denied.iter().any(|d| d.starts_with(&format!("{action} "))) {
                    denied.push(match n {
                        1 => format!("{action} (on {resource})"),
                        _ => format!("{action} (on {n} resources, e.g. {resource})"),
                    });
                }
            }
            match denied.is_empty() {
                true => ok(
                    "iam.deploy",
                    format!(
                        "{principal} may do every action of `iam-policy --for deploy` ({} questions)",
                        answers.len()
                    ),
                ),
                false => failed(
                    "iam.deploy",
                    format!("{principal} may not: {}", denied.join(", ")),
                    "attach `dynroute iam-policy --for deploy` (IAM chapter) to this principal",
                ),
            }
        }
        Err(e) => failed(
            "iam.deploy",
            crate::error::chain_text(&e),
            "allow iam:SimulatePrincipalPolicy on yourself, or run `dynroute iam-policy --for deploy` and compare by hand",
        ),
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

    #[test]
    fn a_config_that_does_not_load_fails_one_check_and_skips_the_rest() {
        let findings = config_failed("dynroute.yaml:3: unknown field");
        assert_eq!(findings.len(), CHECKS.len());
        assert_eq!(
            findings.iter().map(|f| f.id).collect::<Vec<_>>(),
            CHECKS.to_vec()
        );
        assert_eq!(
            findings
                .iter()
                .filter(|f| f.status == Status::Failed)
                .count(),
            1
        );
    }
}
