//! A minimal W3C WebDriver client for Debian's chromedriver driving headless
//! Chromium, loopback only. The browser resolves the dev hosts (`*.dev.test`)
//! to the stack's Traefik and nothing else.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver plus one browser session; both end when this is dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 exchange with chromedriver: (status, JSON body).
fn exchange(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{payload}",
        payload.len()
    );
    stream.write_all(request.as_bytes())?;
    // chromedriver keeps the connection open: read the head, then Content-Length bytes.
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::other(
                "connection closed before the response head",
            ));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while raw.len() < head_end + length {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let body = String::from_utf8_lossy(&raw[head_end..]);
    Ok((status, serde_json::from_str(&body).unwrap_or(Value::Null)))
}

impl Browser {
    /// Starts chromedriver and a headless Chromium whose only name resolution maps
    /// `*.{domain}` to 127.0.0.1 (the stack's Traefik). Fails loudly, with the fix,
    /// when the browser is not installed.
    pub fn start(domain: &str) -> Browser {
        Browser::start_with_rules(&format!("MAP *.{domain} 127.0.0.1"))
    }

    /// Starts Chromium with `rules` as its host resolver rules (followed by
    /// `MAP * ~NOTFOUND`, so nothing else resolves).
    pub fn start_with_rules(rules: &str) -> Browser {
        Browser::start_with_args(rules, &[])
    }

    /// [`Browser::start_with_rules`] with more Chromium arguments (a proxy: every
    /// request but loopback's goes to it, so links without a port reach Traefik).
    pub fn start_with_args(rules: &str, extra: &[String]) -> Browser {
        for bin in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(bin).exists(),
                "{bin} is missing: run `scripts/install-browser` (scripts/test runs it) to install Debian's chromium and chromium-driver"
            );
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .env_remove("http_proxy")
            .env_remove("https_proxy")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !matches!(exchange(port, "GET", "/status", None), Ok((200, ref v)) if v["value"]["ready"] == true)
        {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready on 127.0.0.1:{port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::Builder::new()
            .prefix("dynroute-chromium-")
            .tempdir()
            .unwrap();
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
            format!("--host-resolver-rules={rules}, MAP * ~NOTFOUND"),
        ];
        let args: Vec<String> = args.into_iter().chain(extra.iter().cloned()).collect();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let (status, v) = exchange(port, "POST", "/session", Some(&caps)).unwrap();
        assert_eq!(status, 200, "chromedriver could not start Chromium: {v}");
        browser.session = v["value"]["sessionId"].as_str().unwrap().to_owned();
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        let (status, v) = exchange(self.port, method, &path, body.as_ref()).unwrap();
        assert_eq!(status, 200, "WebDriver {method} {path}: {v}");
        v["value"].clone()
    }

    /// Navigates and waits for the page to load.
    pub fn open(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Navigates; the WebDriver error when the page cannot load (no panic).
    pub fn try_open(&self, url: &str) -> Result<(), String> {
        let path = format!("/session/{}/url", self.session);
        let (status, v) = exchange(self.port, "POST", &path, Some(&json!({ "url": url })))
            .map_err(|e| e.to_string())?;
        if status == 200 {
            Ok(())
        } else {
            Err(v["value"]["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned())
        }
    }

    pub fn current_url(&self) -> String {
        self.call("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Runs a synchronous script in the page; its return value.
    pub fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The page's text parsed as JSON (the responder's answer).
    pub fn page_json(&self) -> Value {
        let text = self.script("return document.body.innerText;");
        serde_json::from_str(text.as_str().unwrap_or_default()).unwrap_or(Value::Null)
    }

    /// `fetch(path)` from the page (same origin, with its cookies): the answer's
    /// `X-Dynroute-Version` and JSON body.
    pub fn fetch(&self, path: &str) -> (Option<String>, Value) {
        let script = "const done = arguments[arguments.length - 1];\
            fetch(arguments[0], {credentials: 'include'})\
              .then(r => r.text().then(t => done({status: r.status, version: r.headers.get('X-Dynroute-Version'), body: t})))\
              .catch(e => done({error: String(e)}));";
        let v = self.call(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": [path]})),
        );
        assert_eq!(v["status"], 200, "fetch {path}: {v}");
        let body =
            serde_json::from_str(v["body"].as_str().unwrap_or_default()).unwrap_or(Value::Null);
        (v["version"].as_str().map(str::to_owned), body)
    }

    /// Runs an asynchronous script (its last argument is the callback).
    pub fn script_async(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The element a CSS selector finds first, by its WebDriver id.
    pub fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_owned()
    }

    /// Clicks an element (and waits for a navigation it starts).
    pub fn click(&self, element: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    /// Types `text` into an element.
    pub fn type_into(&self, element: &str, text: &str) {
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Sets the window's size in CSS pixels.
    pub fn resize(&self, width: u32, height: u32) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine as _;
        let v = self.call("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .unwrap()
    }

    /// The cookies the browser holds for the current page: name → value.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.call("GET", "/cookie", None)
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["name"].as_str().unwrap_or_default().to_owned(),
                    c["value"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = exchange(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
