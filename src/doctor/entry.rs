//! The entry checks of `doctor`: main answers through the ingress, and the
//! version-host names resolve to it.

use super::{Finding, dns, failed, ok, permissions, skipped};
use crate::config::Project;
use crate::routing::VERSION_RESPONSE_HEADER;

pub(super) async fn main_check(
    project: &Project,
    client: &reqwest::Client,
    ingress: Option<&str>,
    traefik_down: bool,
) -> Finding {
    let Some(ingress) = ingress else {
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

pub(super) async fn dns_check(
    project: &Project,
    resolver: &dns::Resolver,
    ingress: Option<&str>,
) -> Finding {
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
