//! A two-hop chain through the real Traefik: `web` calls `api` through Traefik
//! with the OpenTelemetry Python SDK, configured only by the environment dynroute
//! injected (`OTEL_PROPAGATORS`), and every hop reports where it landed.

use serde_json::Value;

use crate::entry_middleware::up;
use crate::harness::Project;
use crate::http::{Response, get};
use crate::stack::Stack;

/// The shared template, with `DOWNSTREAM_URL`/`DOWNSTREAM_HOST` for `{tag}web`
/// only: web calls api's host through this stack's Traefik.
fn chain_project(stack: &Stack, tag: &str) -> Project {
    let (p, _) = stack.routed_project(tag, "v3");
    let template = format!(
        "networkMode: awsvpc\nrequiresCompatibilities: [FARGATE]\ncpu: \"256\"\nmemory: \"512\"\ncontainerDefinitions:\n  - name: \"{{{{ service }}}}\"\n    image: \"example/{{{{ service }}}}:{{{{ image_tag }}}}\"\n    memory: 256\n{{% if service == \"{tag}web\" %}}    environment:\n      - name: DOWNSTREAM_URL\n        value: \"{web}/health\"\n      - name: DOWNSTREAM_HOST\n        value: \"{tag}api.dev.test\"\n{{% endif %}}",
        web = stack.traefik_web()
    );
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    p.file("templates/app.yaml", &template).file(
        "dynroute.yaml",
        &format!("{config}fallback: [shadow]\nprotected: [main, shadow]\n"),
    )
}

/// Deploys main (web and api), `feature-1` and the fallback tier `shadow` (api
/// only) and `feature-2` (both).
pub fn deploy_chain(stack: &Stack, tag: &str) -> Project {
    let p = chain_project(stack, tag);
    let (web, api) = (format!("{tag}web"), format!("{tag}api"));
    up(&p, "main", &[&web, &api]);
    up(&p, "feature-1", &[&api]);
    up(&p, "shadow", &[&api]);
    up(&p, "feature-2", &[&web, &api]);
    let mut routers = vec![format!("{api}--shadow-fallback")];
    for (service, versions) in [
        (&web, &["main", "feature-2"][..]),
        (&api, &["main", "feature-1", "feature-2", "shadow"][..]),
    ] {
        for v in versions {
            routers.push(format!("{service}--{v}"));
        }
    }
    stack.wait_for_routers(&routers, &[]);
    p
}

/// Where each hop of one request landed.
#[derive(Debug, PartialEq, Eq)]
pub struct Landed {
    pub web: String,
    pub api: String,
}

/// Checks the chain's evidence (SDK hop, propagated trace and baggage) and returns
/// where web and api landed.
pub fn landed(r: &Response) -> Result<Landed, String> {
    let body = r.json();
    let hop = &body["hop"];
    let down = &body["downstream"];
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let web_header = r.version().map(str::to_owned);
    let web_env = text(&body["env"]["DYNROUTE_VERSION"]);
    if r.status != 200
        || web_header.is_none()
        || web_header != web_env
        || text(&hop["version"]) != web_env
    {
        return Err(format!(
            "web hop: HTTP {} header {web_header:?} env {web_env:?}: {}",
            r.status, r.body
        ));
    }
    let api_header = text(&down["version"]);
    let api_env = text(&down["body"]["env"]["DYNROUTE_VERSION"]);
    if down["status"] != 200 || api_header.is_none() || api_header != api_env {
        return Err(format!(
            "api hop: header {api_header:?} env {api_env:?}: {down}"
        ));
    }
    // The SDK propagated this hop's trace: api received web's trace id.
    let traceparent = text(&down["body"]["headers"]["traceparent"]).unwrap_or_default();
    let trace_id = text(&hop["trace_id"]).unwrap_or_default();
    if trace_id.len() != 32 || traceparent.split('-').nth(1) != Some(trace_id.as_str()) {
        return Err(format!(
            "traceparent {traceparent:?} does not carry web's trace {trace_id:?}"
        ));
    }
    let propagators = hop["propagators"].to_string();
    if !propagators.contains("baggage") || !propagators.contains("traceparent") {
        return Err(format!("propagators from OTEL_PROPAGATORS: {propagators}"));
    }
    Ok(Landed {
        web: web_env.unwrap(),
        api: api_env.unwrap(),
    })
}

fn landed_at(web: &str, api: &str) -> Landed {
    Landed {
        web: web.into(),
        api: api.into(),
    }
}

/// One request to web's host with these header lines; the hops it reached.
pub fn chain(stack: &Stack, tag: &str, lines: &[(&str, &str)]) -> Result<Landed, String> {
    let r = get(
        &stack.traefik_web(),
        &format!("{tag}web.dev.test"),
        "/",
        lines,
    )
    .map_err(|e| e.to_string())?;
    landed(&r)
}

fn chain_cases(stack: &Stack, tag: &str) {
    let p = deploy_chain(stack, tag);
    // The environment dynroute injected is what configures the SDK.
    let rendered = p.ok(&["render", "main", "-s", &format!("{tag}web")]);
    assert!(rendered.contains("OTEL_PROPAGATORS"), "{rendered}");

    let pin = format!("dynamic_route.{tag}api=feature-1");
    let cases: Vec<(Vec<(&str, &str)>, Landed)> = vec![
        (vec![], landed_at("main", "main")),
        (
            vec![("baggage", "dynamic_route=feature-1")],
            landed_at("main", "feature-1"),
        ),
        (
            vec![("baggage", "userId=alice,dynamic_route=feature-1")],
            landed_at("main", "feature-1"),
        ),
        (
            vec![("baggage", "dynamic_route=feature-2")],
            landed_at("feature-2", "feature-2"),
        ),
        // A version deployed nowhere: api falls back to its shadow tier, web
        // (without shadow) to main.
        (
            vec![("baggage", "dynamic_route=feature-9")],
            landed_at("main", "shadow"),
        ),
        // A pin for api only: web takes no route, api the pinned version.
        (vec![("baggage", &pin)], landed_at("main", "feature-1")),
        (vec![("baggage", "userId=alice")], landed_at("main", "main")),
    ];
    let mut failures = Vec::new();
    for (lines, want) in &cases {
        match chain(stack, tag, lines) {
            Ok(got) if &got == want => {}
            Ok(got) => failures.push(format!("{lines:?}: want {want:?}, got {got:?}")),
            Err(e) => failures.push(format!("{lines:?}: {e}")),
        }
    }
    // The api hop saw the member web's SDK propagated, and its own baggage parsed.
    let r = get(
        &stack.traefik_web(),
        &format!("{tag}web.dev.test"),
        "/",
        &[("baggage", "userId=alice,dynamic_route=feature-1")],
    )
    .unwrap();
    let body = r.json();
    assert_eq!(
        body["hop"]["baggage_in"]["dynamic_route"], "feature-1",
        "HTTP {}: {}",
        r.status, r.body
    );
    assert_eq!(body["hop"]["baggage_in"]["userId"], "alice", "{body}");
    // dynroute's OTEL_RESOURCE_ATTRIBUTES reached the SDK's resource.
    assert_eq!(body["hop"]["resource"]["service.version"], "main", "{body}");
    // An incoming trace is continued through both hops.
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let r = get(
        &stack.traefik_web(),
        &format!("{tag}web.dev.test"),
        "/",
        &[("traceparent", &format!("00-{trace}-00f067aa0ba902b7-01"))],
    )
    .unwrap();
    assert_eq!(landed(&r), Ok(landed_at("main", "main")));
    assert_eq!(r.json()["hop"]["trace_id"], trace, "{}", r.body);
    let sent = body["downstream"]["sent"]["baggage"]
        .as_str()
        .unwrap_or_default();
    assert!(
        sent.contains("dynamic_route=feature-1") && sent.contains("userId=alice"),
        "{body}"
    );
    assert!(
        failures.is_empty(),
        "entry middleware {}: {} of {} chain cases failed:\n{}",
        stack.has_plugin(),
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn otel_chain_each_hop_lands_on_its_version() {
    for (stack, tag) in Stack::both().into_iter().zip(["och", "ocp"]) {
        chain_cases(stack, tag);
    }
}

/// A browser's cookie on `web` at main reaches `api` at V only through the entry
/// middleware: labels cannot carry it into the baggage on a service without V.
#[test]
fn otel_chain_server_side_cookie_needs_the_entry_middleware() {
    for (stack, tag) in Stack::both().into_iter().zip(["ocn", "ocm"]) {
        deploy_chain(stack, tag);
        let got = chain(
            stack,
            tag,
            &[("Cookie", "theme=dark; dynamic_route=feature-1")],
        )
        .unwrap();
        let want = if stack.has_plugin() {
            landed_at("main", "feature-1")
        } else {
            landed_at("main", "main")
        };
        assert_eq!(got, want, "entry middleware: {}", stack.has_plugin());
        // An explicit member wins over the cookie.
        let got = chain(
            stack,
            tag,
            &[
                ("Cookie", "dynamic_route=feature-1"),
                ("baggage", "dynamic_route=main"),
            ],
        )
        .unwrap();
        assert_eq!(got, landed_at("main", "main"));
    }
}
