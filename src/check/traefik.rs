//! What Traefik loaded, as its API reports it: `/api/http/routers` and
//! `/api/http/services` (two reads, every page at once).

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use crate::error::{ExitKind, UserError};
use crate::tls;

/// One router of `/api/http/routers`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Router {
    /// `name@provider`.
    pub name: String,
    pub provider: String,
    /// `enabled`, `disabled` or `warning`.
    pub status: String,
    pub rule: String,
    pub rule_syntax: Option<String>,
    pub priority: Option<i64>,
    pub entry_points: Vec<String>,
    /// The entrypoints the router is attached to (all of them when it names none).
    pub using: Vec<String>,
    pub service: String,
    pub error: Vec<String>,
}

impl Router {
    /// The name without `@provider`.
    pub fn short_name(&self) -> &str {
        self.name.split('@').next().unwrap_or(&self.name)
    }

    /// The priority Traefik uses: the label, else the rule's length.
    pub fn effective_priority(&self) -> i64 {
        self.priority
            .filter(|p| *p != 0)
            .unwrap_or(self.rule.len() as i64)
    }
}

/// The servers of a load-balancer service.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct LoadBalancer {
    pub servers: Vec<Server>,
}

/// One server (a task address).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Server {
    pub url: String,
}

/// One service of `/api/http/services`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Service {
    pub name: String,
    pub provider: String,
    pub status: String,
    pub load_balancer: Option<LoadBalancer>,
    /// Server URL → `UP` / `DOWN` (health checks).
    pub server_status: BTreeMap<String, String>,
    pub error: Vec<String>,
}

impl Service {
    /// The name without `@provider`.
    pub fn short_name(&self) -> &str {
        self.name.split('@').next().unwrap_or(&self.name)
    }

    /// Servers that can take traffic: listed, and not marked DOWN by a health check.
    pub fn servers_up(&self) -> usize {
        self.load_balancer
            .iter()
            .flat_map(|lb| &lb.servers)
            .filter(|s| self.server_status.get(&s.url).is_none_or(|st| st != "DOWN"))
            .count()
    }
}

/// Both reads.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub routers: Vec<Router>,
    pub services: Vec<Service>,
}

/// Reads the routers and services from the API at `base` (e.g. `http://127.0.0.1:8080`).
/// Unreachable is exit 3; an answer that is not the API is exit 1.
/// With `token`, every request carries `Authorization: Bearer TOKEN` (the
/// platform kit's load balancer lets only those through to the API).
pub async fn fetch(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
) -> anyhow::Result<Loaded> {
    let base = base.trim_end_matches('/');
    let (routers, services) = tokio::try_join!(
        get_all(client, base, "/api/http/routers", token),
        get_all(client, base, "/api/http/services", token)
    )?;
    Ok(Loaded { routers, services })
}

/// The most pages of one listing read (Traefik pages by 10000 items).
pub const MAX_PAGES: u32 = 100;
/// The largest answer of one page read.
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// The middlewares Traefik loaded (`/api/http/middlewares`), as its JSON.
pub async fn middlewares(
    client: &reqwest::Client,
    base: &str,
    token: Option<&str>,
) -> anyhow::Result<Vec<serde_json::Value>> {
    get_all(
        client,
        base.trim_end_matches('/'),
        "/api/http/middlewares",
        token,
    )
    .await
}

/// A token goes in clear text over `http://` to anything but this machine:
/// refused before any request.
pub fn check_token_transport(api: &str) -> Result<(), UserError> {
    let Ok(url) = reqwest::Url::parse(api) else {
        return Ok(());
    };
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    let local = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if url.scheme() == "http" && !local {
        return Err(UserError::usage(format!(
            "the Traefik API token would cross the network in clear text to {api}"
        ))
        .hint("use the API's https:// address (the platform kit's is https://traefik.DOMAIN)"));
    }
    Ok(())
}

async fn get_all<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    token: Option<&str>,
) -> anyhow::Result<Vec<T>> {
    let mut items = Vec::new();
    let mut page = 1;
    for _ in 0..MAX_PAGES {
        let url = format!("{base}{path}?per_page=10000&page={page}");
        let mut request = client.get(&url).timeout(Duration::from_secs(10));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| {
                if tls::is_untrusted_certificate(&e) {
                    return UserError::new(
                        ExitKind::Failure,
                        format!("the Traefik API at {base} has a TLS certificate dynroute does not trust"),
                    )
                    .caused_by(e)
                    .hint(tls::UNTRUSTED_HINT);
                }
                UserError::new(
                    ExitKind::TimedOut,
                    format!("cannot reach the Traefik API at {base}"),
                )
                .caused_by(e)
                .hint("pass the API's address with --traefik-api URL or set traefik.api_url (Traefik's --api, entrypoint `traefik`)")
            })?;
        let status = response.status();
        let next = response
            .headers()
            .get("X-Next-Page")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u32>().ok());
        let body = bounded_body(response, &url).await?;
        if !status.is_success() {
            return Err(UserError::new(
                ExitKind::Failure,
                format!("the Traefik API answered {url} with HTTP {status}"),
            )
            .hint("is the API enabled (--api) and is this its entrypoint?")
            .into());
        }
        let mut batch: Vec<T> = serde_json::from_str(&body)
            .with_context(|| format!("{url} did not answer with Traefik's JSON"))?;
        items.append(&mut batch);
        match next {
            Some(n) if n > page => page = n,
            _ => return Ok(items),
        }
    }
    Err(UserError::new(
        ExitKind::Failure,
        format!(
            "the Traefik API at {base} still names a next page of {path} after {MAX_PAGES} pages"
        ),
    )
    .hint("is this Traefik's API? its listings end within a few pages")
    .into())
}

/// The answer's body, read to at most [`MAX_PAGE_BYTES`].
async fn bounded_body(mut response: reqwest::Response, url: &str) -> anyhow::Result<String> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        if body.len() + chunk.len() > MAX_PAGE_BYTES {
            return Err(UserError::new(
                ExitKind::Failure,
                format!("{url} answered more than {MAX_PAGE_BYTES} bytes"),
            )
            .hint("is this Traefik's API?")
            .into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A loopback server that answers every request with `next` as
    /// `X-Next-Page` (the page asked + 1) and a body of `body_bytes` bytes.
    async fn endless_api(body_bytes: usize) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let n = socket.read(&mut buf).await.unwrap_or(0);
                    let request = String::from_utf8_lossy(&buf[..n]);
                    let page: u32 = request
                        .split("&page=")
                        .nth(1)
                        .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                        .and_then(|p| p.parse().ok())
                        .unwrap_or(1);
                    let body = if body_bytes == 0 {
                        "[]".to_owned()
                    } else {
                        " ".repeat(body_bytes)
                    };
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Next-Page: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        page + 1,
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body.as_bytes()).await;
                });
            }
        });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn an_api_that_always_has_a_next_page_or_an_endless_body_is_cut_off() {
        let client = reqwest::Client::new();
        let base = endless_api(0).await;
        let err = get_all::<serde_json::Value>(&client, &base, "/api/http/routers", None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("after 100 pages"), "{err}");
        let base = endless_api(MAX_PAGE_BYTES + 1).await;
        let err = get_all::<serde_json::Value>(&client, &base, "/api/http/routers", None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("answered more than"), "{err}");
    }

    /// A loopback API that answers `[]` only to `Authorization: Bearer secret`.
    async fn guarded_api() -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let n = socket.read(&mut buf).await.unwrap_or(0);
                    let request = String::from_utf8_lossy(&buf[..n]).to_lowercase();
                    let (status, body) =
                        match request.contains("\r\nauthorization: bearer secret\r\n") {
                            true => ("200 OK", "[]"),
                            false => ("401 Unauthorized", "no"),
                        };
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(body.as_bytes()).await;
                });
            }
        });
        format!("http://{addr}")
    }

    #[tokio::test]
    async fn the_token_goes_to_the_api_as_a_bearer_token() {
        let client = reqwest::Client::new();
        let base = guarded_api().await;
        let loaded = fetch(&client, &base, Some("secret")).await.unwrap();
        assert!(loaded.routers.is_empty() && loaded.services.is_empty());
        let err = fetch(&client, &base, None).await.unwrap_err();
        assert!(err.to_string().contains("HTTP 401"), "{err}");
    }

    #[test]
    fn a_token_never_crosses_the_network_in_clear_text() {
        for ok in [
            "https://traefik.dev.example.com",
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://[::1]:8080",
        ] {
            assert!(check_token_transport(ok).is_ok(), "{ok}");
        }
        let err = check_token_transport("http://traefik.dev.example.com").unwrap_err();
        assert!(err.message.contains("clear text"), "{}", err.message);
    }

    #[test]
    fn captured_api_json_parses() {
        let routers: Vec<Router> = serde_json::from_str(include_str!(
            "../../tests/fixtures/traefik-api/routers.json"
        ))
        .unwrap();
        let disabled = routers
            .iter()
            .find(|r| r.name == "api--feature-2@ecs")
            .unwrap();
        assert_eq!(disabled.status, "disabled");
        assert!(disabled.error[0].contains("unsupported function: Bogus"));
        assert_eq!(disabled.short_name(), "api--feature-2");
        let internal = routers.iter().find(|r| r.provider == "internal").unwrap();
        assert!(internal.effective_priority() > 1_000_000);
        let services: Vec<Service> = serde_json::from_str(include_str!(
            "../../tests/fixtures/traefik-api/services.json"
        ))
        .unwrap();
        let api = services
            .iter()
            .find(|s| s.name == "api--feature-1@ecs")
            .unwrap();
        assert_eq!(api.servers_up(), 1);
    }

    #[test]
    fn default_priority_is_the_rule_length_and_down_servers_do_not_count() {
        let r = Router {
            rule: "Host(`a`)".into(),
            ..Router::default()
        };
        assert_eq!(r.effective_priority(), 9);
        let s = Service {
            load_balancer: Some(LoadBalancer {
                servers: vec![Server { url: "u".into() }],
            }),
            server_status: [("u".to_owned(), "DOWN".to_owned())].into(),
            ..Service::default()
        };
        assert_eq!(s.servers_up(), 0);
    }
}
