//! The catalog in a real browser (the tests' headless Chromium): the index
//! lists the stack's versions, the filters work, clicking a version's link sets
//! the cookie and the next request to that service lands on the version
//! through Traefik, the QR code decodes to the link, axe-core finds no serious
//! or critical accessibility violation, and a phone-sized viewport needs no
//! horizontal scrolling. The index's screenshot is the guide's.

use std::process::Command;

use serde_json::Value;

use crate::catalog::Server;
use crate::harness::{eventually, repo_root};
use crate::stack::Stack;
use crate::webdriver::Browser;

/// A tool the test needs, from `scripts/catalog-tools-install` (run by scripts/test).
fn tool(var: &str) -> String {
    let path = std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set: run `eval \"$(scripts/catalog-tools-install)\"` (scripts/test does)"
        )
    });
    assert!(
        std::path::Path::new(&path).exists(),
        "{var}={path} does not exist"
    );
    path
}

/// The QR codes zxing-cpp finds in a PNG.
fn decode_qr(png: &std::path::Path) -> Vec<String> {
    let code = "import sys, zxingcpp\nfrom PIL import Image\nfor r in zxingcpp.read_barcodes(Image.open(sys.argv[1])):\n    print(r.text)\n";
    let out = Command::new(tool("DYNROUTE_QR_PYTHON"))
        .args(["-c", code])
        .arg(png)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// axe-core's serious and critical violations on the current page.
fn axe(browser: &Browser) -> Vec<Value> {
    let source = std::fs::read_to_string(tool("DYNROUTE_AXE")).unwrap();
    browser.script(&format!("{source}\nreturn true;"));
    let result = browser.script_async(
        "const done = arguments[arguments.length - 1];\
         axe.run(document, {resultTypes: ['violations']})\
           .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length}))))\
           .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e)}]));",
    );
    (result.as_array().unwrap().iter())
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .cloned()
        .collect()
}

#[test]
fn the_catalog_in_a_browser_sets_the_cookie_decodes_and_passes_axe() {
    let stack = Stack::with_traefik();
    let (p, _cluster) = stack.routed_project("cb", "v3");
    // A project name for the screenshot (the folder's is a temporary name).
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let p = p.file("dynroute.yaml", &format!("project: shop\n{config}"));
    for (version, owner) in [
        ("main", "platform"),
        ("feature-1", "alice"),
        ("feature-2", "bob"),
    ] {
        let out = p.run_env(
            &[
                ("GITHUB_REPOSITORY", "acme/shop"),
                ("GITHUB_REF", "refs/pull/12/merge"),
            ],
            &["up", version, "-q", "--owner", owner],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let mut server = Server::start(&p, &[]);
    eventually(20, || {
        let v = server.versions();
        (v.len() == 3).then_some(()).ok_or(format!("{v:?}"))
    });
    let link = server.json("/api/versions/feature-1")["ways_in"]["link"]
        .as_str()
        .unwrap()
        .to_owned();
    // Every request but loopback's (the catalog) goes to the stack's Traefik,
    // so the link (port 80 in its URL) reaches it as on a real domain.
    let traefik_port = stack.traefik_web().rsplit(':').next().unwrap().to_owned();
    // The catalog itself is on 127.0.0.1, which must not be mapped away.
    let browser = Browser::start_with_args(
        "MAP *.dev.test 127.0.0.1, EXCLUDE 127.0.0.1",
        &[format!("--proxy-server=http://127.0.0.1:{traefik_port}")],
    );
    browser.resize(1280, 1000);

    // The index: every version with its status and owner.
    browser.open(&format!("{}/", server.base));
    let listed = browser
        .script("return Array.from(document.querySelectorAll('article')).map(a => a.innerText);");
    let listed: Vec<String> = (listed.as_array().unwrap().iter())
        .map(|t| t.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed.len(), 3, "{listed:?}");
    let feature_1 = listed.iter().find(|t| t.starts_with("feature-1")).unwrap();
    assert!(
        feature_1.contains("2/2 running") && feature_1.contains("alice"),
        "{feature_1}"
    );
    assert!(feature_1.contains("#12"), "{feature_1}");
    let violations = axe(&browser);
    assert!(violations.is_empty(), "axe on /: {violations:?}");

    // The filter form: owner bob leaves feature-2.
    let owner = browser.find("#f-owner");
    browser.type_into(&owner, "bob");
    browser.click(&browser.find("form.filters button"));
    // A click may return before the form's navigation ends: wait for it.
    eventually(10, || {
        let url = browser.current_url();
        url.contains("owner=bob").then_some(()).ok_or(url)
    });
    let headings = browser.script(
        "return Array.from(document.querySelectorAll('article h2 a')).map(a => a.innerText);",
    );
    assert_eq!(headings, serde_json::json!(["feature-2"]));

    // feature-1 alone: its QR code decodes to its link; the screenshot is the guide's.
    browser.open(&format!("{}/?owner=alice", server.base));
    let png = browser.screenshot();
    let shot = repo_root().join("target/catalog-index.png");
    std::fs::write(&shot, &png).unwrap();
    if std::env::var_os("DYNROUTE_BLESS").is_some() {
        std::fs::write(repo_root().join("docs/images/catalog-index.png"), &png).unwrap();
    }
    let decoded = decode_qr(&shot);
    assert!(decoded.contains(&link), "QR codes {decoded:?}, link {link}");

    // The version's page passes axe too.
    browser.open(&format!("{}/v/feature-1", server.base));
    let violations = axe(&browser);
    assert!(violations.is_empty(), "axe on /v/feature-1: {violations:?}");

    // A phone: no horizontal scrolling.
    browser.resize(390, 844);
    for path in ["/", "/v/feature-1"] {
        browser.open(&format!("{}{path}", server.base));
        let fits = browser.script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];",
        );
        let (scroll, client) = (fits[0].as_u64().unwrap(), fits[1].as_u64().unwrap());
        assert!(client <= 420, "the viewport is phone-sized: {client}");
        assert!(
            scroll <= client,
            "{path}: {scroll} px wide in a {client} px viewport"
        );
    }

    // Clicking "Use feature-1" sets the cookie; the next request to api lands on feature-1.
    browser.resize(1280, 1000);
    browser.open(&format!("{}/?owner=alice", server.base));
    browser.click(&browser.find("a.use"));
    let api_root = link.split("/_dynroute/").next().unwrap().to_owned() + "/";
    eventually(10, || {
        let url = browser.current_url();
        (url == api_root).then_some(()).ok_or(url)
    });
    let cookies = browser.cookies();
    assert!(
        cookies.contains(&("dynamic_route".into(), "feature-1".into())),
        "{cookies:?}"
    );
    assert_eq!(browser.page_json()["env"]["DYNROUTE_VERSION"], "feature-1");
    let (version, _) = browser.fetch("/health");
    assert_eq!(version.as_deref(), Some("feature-1"));
    drop(browser);
    server.stop();
    for version in ["feature-1", "feature-2", "main"] {
        let out = p.run(&["down", version, "--yes", "--force", "-q"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
}
