//! A real browser: headless Chromium (Debian's, driven through chromedriver)
//! against the stack's Traefik, with the dev hosts resolved to it and nothing else.

use serde_json::Value;

use crate::otel_chain::deploy_chain;
use crate::stack::Stack;
use crate::webdriver::Browser;

/// `http://{host}:{traefik port}{path}`: the browser resolves the host to 127.0.0.1.
fn url(stack: &Stack, host: &str, path: &str) -> String {
    let web = stack.traefik_web();
    let port = web.rsplit(':').next().unwrap();
    format!("http://{host}:{port}{path}")
}

/// (web's version, api's version) from the web page the browser shows.
fn hops(page: &Value) -> (String, String) {
    let text = |v: &Value| v.as_str().unwrap_or("?").to_owned();
    (
        text(&page["hop"]["version"]),
        text(&page["downstream"]["body"]["env"]["DYNROUTE_VERSION"]),
    )
}

/// A server-rendered `web` at main calls `api`: with the browser's cookie, api
/// answers at the cookie's version, through the entry middleware.
#[test]
fn browser_cookie_reaches_api_at_v_through_web_at_main() {
    let stack = Stack::with_plugin();
    let tag = "brs";
    deploy_chain(stack, tag);
    let browser = Browser::start("dev.test");
    let web = url(stack, &format!("{tag}web.dev.test"), "/");

    // The browser resolves the dev hosts to the stack's Traefik and nothing else.
    let outside = browser.try_open("http://example.com/");
    let blocked = match &outside {
        Err(message) => message.contains("ERR_NAME_NOT_RESOLVED"),
        Ok(()) => browser.current_url().starts_with("chrome-error://"),
    };
    assert!(blocked, "example.com was reachable: {outside:?}");

    browser.open(&web);
    assert_eq!(browser.current_url(), web);
    assert_eq!(hops(&browser.page_json()), ("main".into(), "main".into()));

    browser.script(
        "document.cookie = 'dynamic_route=feature-1; domain=dev.test; path=/; SameSite=Lax';",
    );
    browser.open(&web);
    let page = browser.page_json();
    assert_eq!(hops(&page), ("main".into(), "feature-1".into()), "{page}");
    let cookie = page["headers"]["cookie"].as_str().unwrap_or_default();
    assert!(cookie.contains("dynamic_route=feature-1"), "{page}");
    // The page's own request (fetch from JS) takes the same way.
    let (version, body) = browser.fetch("/");
    assert_eq!(version.as_deref(), Some("main"));
    assert_eq!(hops(&body), ("main".into(), "feature-1".into()), "{body}");

    // Where both services have the version, both hops land on it.
    browser.script("document.cookie = 'dynamic_route=feature-2; domain=dev.test; path=/';");
    browser.open(&web);
    let page = browser.page_json();
    let (web_version, api_version) = hops(&page);
    assert_eq!(api_version, "feature-2", "{page}");
    // Without a cookie router (labels) web stays on main; with one it follows.
    assert!(
        web_version == "main" || web_version == "feature-2",
        "{page}"
    );

    browser.script("document.cookie = 'dynamic_route=; domain=dev.test; path=/; max-age=0';");
    browser.open(&web);
    assert_eq!(hops(&browser.page_json()), ("main".into(), "main".into()));
    assert!(
        browser
            .cookies()
            .iter()
            .all(|(name, _)| name != "dynamic_route")
    );
}

/// The link sets the cookie, the page's request to `api` lands on the version,
/// `/_dynroute/clear` brings it back to main; with the entry middleware the
/// cookie also carries through `web` at main to `api`.
#[test]
fn browser_link_sets_the_cookie_and_clear_brings_main_back() {
    for (stack, tag) in Stack::both().into_iter().zip(["brl", "brp"]) {
        deploy_chain(stack, tag);
        let browser = Browser::start("dev.test");
        let api = |path: &str| url(stack, &format!("{tag}api.dev.test"), path);
        let web = url(stack, &format!("{tag}web.dev.test"), "/");

        browser.open(&api("/_dynroute/use/feature-1"));
        assert_eq!(browser.current_url(), api("/"), "the link redirects to /");
        let cookies = browser.cookies();
        assert!(
            cookies.contains(&("dynamic_route".into(), "feature-1".into())),
            "{cookies:?}"
        );
        assert_eq!(browser.page_json()["env"]["DYNROUTE_VERSION"], "feature-1");
        let (version, body) = browser.fetch("/health");
        assert_eq!(version.as_deref(), Some("feature-1"), "{body}");
        assert_eq!(body["env"]["DYNROUTE_VERSION"], "feature-1");

        // The cookie's domain covers web's host: web runs main, api follows the
        // cookie only when the entry middleware put it into the baggage.
        browser.open(&web);
        let want_api = if stack.has_plugin() {
            "feature-1"
        } else {
            "main"
        };
        assert_eq!(
            hops(&browser.page_json()),
            ("main".into(), want_api.into()),
            "entry middleware: {}",
            stack.has_plugin()
        );

        browser.open(&api("/_dynroute/clear"));
        assert_eq!(browser.current_url(), api("/"));
        let cookies = browser.cookies();
        assert!(
            cookies.iter().all(|(name, _)| name != "dynamic_route"),
            "{cookies:?}"
        );
        let (version, _) = browser.fetch("/health");
        assert_eq!(version.as_deref(), Some("main"));
        browser.open(&web);
        assert_eq!(hops(&browser.page_json()), ("main".into(), "main".into()));
    }
}
