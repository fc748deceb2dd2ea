//! Value parsers: every argument that names a domain value becomes its type
//! here, once, while clap parses the command line. After this, nothing parses
//! a string into a version, a service, a TTL or a duration again.
//!
//! A bad value is a [`UserError`] (exit 2, with its hint); `ui::report_parse_error`
//! prints it like every other error instead of clap's own wording.

use std::time::Duration;

use crate::config::Ttl;
use crate::config::http_url;
use crate::error::UserError;
use crate::naming::{ServiceName, Version};
use crate::routing::{EntryPoint, Hostname};

/// A version name: `feature-2981`.
pub fn version(s: &str) -> Result<Version, UserError> {
    s.parse().map_err(UserError::from)
}

/// A service name declared in `dynroute.yaml`: `api`.
pub fn service(s: &str) -> Result<ServiceName, UserError> {
    s.parse().map_err(UserError::from)
}

/// `--ttl`: `72h`, `3d`, `never`.
pub fn ttl(s: &str) -> Result<Ttl, UserError> {
    s.parse::<Ttl>()
        .map_err(|e| UserError::usage(format!("--ttl: {e}")))
}

/// A task ID or its prefix (hex digits and `-`, as ECS prints them).
pub fn task_id(s: &str) -> Result<String, UserError> {
    let ok =
        !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    match ok {
        true => Ok(s.to_ascii_lowercase()),
        false => Err(UserError::usage(format!(
            "--task {}: expected a task ID or its first characters (hex digits, as `dynroute status` shows them)",
            crate::error::quoted(s)
        ))),
    }
}

/// A duration that must be more than zero: `10m`, `5s`, `500ms`.
pub fn positive_duration(s: &str) -> Result<Duration, UserError> {
    match humantime::parse_duration(s) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err(UserError::usage(format!(
            "invalid duration {}: it must be more than zero",
            crate::error::quoted(s)
        ))
        .hint("e.g. 30s, 10m or 1h")),
        Err(e) => Err(UserError::usage(format!(
            "invalid duration {}: {e}",
            crate::error::quoted(s)
        ))
        .hint("e.g. 30s, 10m or 1h")),
    }
}

/// A DNS host name: `dev.example.com`.
pub fn hostname(s: &str) -> Result<Hostname, UserError> {
    s.parse::<Hostname>().map_err(UserError::usage)
}

/// A Traefik entrypoint name: `web`.
pub fn entrypoint(s: &str) -> Result<EntryPoint, UserError> {
    s.parse::<EntryPoint>().map_err(|err| {
        UserError::usage(format!("--entrypoint: {err}"))
            .hint("name an entrypoint of Traefik's static configuration, e.g. `--entrypoint web`")
    })
}

/// `--traefik-api`: an `http://` or `https://` URL, without a trailing slash.
pub fn traefik_api(s: &str) -> Result<String, UserError> {
    http_url("--traefik-api", s).map_err(UserError::usage)
}

/// `--traefik-api-token`: a bearer token (letters, digits and `-._~+/=`). A
/// refused token is never echoed.
pub fn api_token(s: &str) -> Result<String, UserError> {
    let ok = !s.is_empty()
        && s.len() <= 1024
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(UserError::usage(format!(
            "--traefik-api-token (or DYNROUTE_TRAEFIK_API_TOKEN): a token is 1-1024 letters, digits and - . _ ~ + / = (the value, {} characters, is not shown)",
            s.chars().count()
        )))
    }
}

/// `--cors-origin`: `*`, or `http(s)://host[:port]` with nothing after it.
pub fn origin(origin: &str) -> Result<String, UserError> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    let ok = origin == "*"
        || rest.is_some_and(|r| {
            !r.is_empty()
                && r.len() <= 255
                && r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        });
    match ok {
        true => Ok(origin.to_owned()),
        false => Err(UserError::usage(format!(
            "--cors-origin: not an origin: {}",
            crate::error::quoted(origin)
        ))
        .hint("an origin is a scheme and a host, e.g. https://qa.example.com (or `*` for any)")),
    }
}

/// `--pr-url`: an http(s) URL template with `{pr}` (and usually `{repo}`).
pub fn pr_url_template(template: &str) -> Result<String, UserError> {
    let ok = (template.starts_with("https://") || template.starts_with("http://"))
        && template.contains("{pr}")
        && template.len() <= 1024
        && !template
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\"'<>`".contains(c));
    match ok {
        true => Ok(template.to_owned()),
        false => Err(UserError::usage(format!(
            "--pr-url: not a URL template with {{pr}}: {}",
            crate::error::quoted(template)
        ))
        .hint("e.g. https://gitlab.example.com/{repo}/-/merge_requests/{pr}")),
    }
}

/// `--image-tag`: 1-128 letters, digits, `_`, `.` or `-` (Docker's tag rule).
pub fn image_tag(tag: &str) -> Result<String, UserError> {
    let ok = !tag.is_empty()
        && tag.len() <= 128
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if ok {
        Ok(tag.to_owned())
    } else {
        Err(UserError::usage(format!(
            "--image-tag {}: an image tag is 1-128 letters, digits, `_`, `.` or `-`",
            crate::error::quoted(tag)
        )))
    }
}

/// `--set KEY=VALUE`: a template variable and its value.
pub fn var_override(pair: &str) -> Result<(String, String), UserError> {
    let (key, value) = pair.split_once('=').ok_or_else(|| {
        UserError::usage(format!("--set {pair:?}: expected KEY=VALUE"))
            .hint("e.g. --set image_repo=123456789012.dkr.ecr.us-east-1.amazonaws.com/api")
    })?;
    let valid_key = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if !valid_key {
        return Err(UserError::usage(format!(
            "--set {pair:?}: `{key}` is not a variable name (letters, digits, `_`)"
        )));
    }
    Ok((key.to_owned(), value.to_owned()))
}

/// `--pin SERVICE=VERSION`: one service routed to another version.
pub fn pin(pin: &str) -> Result<(ServiceName, Version), UserError> {
    let shown = crate::error::quoted(pin);
    let (service, version) = pin.split_once('=').ok_or_else(|| {
        UserError::usage(format!("--pin {shown}: expected SERVICE=VERSION"))
            .hint("e.g. `--pin api=feature-2`")
    })?;
    let service = service
        .parse::<ServiceName>()
        .map_err(|err| UserError::usage(format!("--pin {shown}: {err}")))?;
    let version = version.parse::<Version>().map_err(|err| {
        UserError::usage(format!("--pin {shown}: {err}"))
            .hint("a version is lowercase letters, digits and `-`, like `feature-2`")
    })?;
    Ok((service, version))
}

/// `--port`: a container port, 1 to 65535.
pub fn port(s: &str) -> Result<u16, UserError> {
    port_number(s)
        .map_err(|_| UserError::usage(format!("--port {s}: expected a port from 1 to 65535")))
}

/// A container port typed at a prompt or in `CONTAINER:PORT`.
pub fn port_number(s: &str) -> Result<u16, String> {
    s.parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("{} is not a port from 1 to 65535", crate::error::quoted(s)))
}
