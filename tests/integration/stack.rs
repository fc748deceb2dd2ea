//! The local stack (moto + ECS scheduler stand-in + Traefik), one per test binary.
//!
//! Started on first use with `scripts/stack start` in a temporary state dir,
//! and stopped by a watchdog when this test process exits, which also deletes
//! the state dir (set `DYNROUTE_KEEP_STATE=1` to keep it; its path is printed). Each test works in a
//! cluster of its own, so tests run in parallel without seeing each other.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use crate::harness::{Project, repo_root};

/// A running stack, as `stack.json` describes it.
pub struct Stack {
    pub state_dir: PathBuf,
    pub info: Value,
}

static STACK: OnceLock<Stack> = OnceLock::new();
static CLUSTERS: AtomicUsize = AtomicUsize::new(0);

fn script() -> PathBuf {
    repo_root().join("scripts/stack")
}

impl Stack {
    /// The shared stack of this test binary (started on first use).
    pub fn shared() -> &'static Stack {
        STACK.get_or_init(|| Stack::start(false))
    }

    /// Starts a stack; with Traefik when `traefik`. A detached watchdog stops it
    /// when this test process is gone, so a failing test never leaves one running.
    pub fn start(traefik: bool) -> Stack {
        Stack::start_with(traefik, false)
    }

    /// Starts a stack; with `plugin`, Traefik also runs dynroute's entry middleware,
    /// configured by `dynroute traefik-config --format flags --write-plugin STATE_DIR`.
    pub fn start_with(traefik: bool, plugin: bool) -> Stack {
        // Fails loudly, with the fix, when the stack is not installed.
        let venv = repo_root().join(".stack/venv/bin/python");
        assert!(
            venv.exists(),
            "the local test stack is not installed: run `scripts/stack install` (or `scripts/test`, which installs it)"
        );
        let state_dir = tempfile::Builder::new()
            .prefix("dynroute-stack-")
            .tempdir()
            .unwrap()
            .keep();
        let mut start = Command::new(script());
        start.args(["start", "--state-dir"]).arg(&state_dir);
        if traefik {
            start.arg("--traefik");
        }
        if plugin {
            let flags = state_dir.join("plugin.flags");
            let out = Project::empty()
                .std_cmd(&["traefik-config", "--format", "flags", "--write-plugin"])
                .arg(&state_dir)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "dynroute traefik-config failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::fs::write(&flags, &out.stdout).unwrap();
            start.arg("--traefik-flags").arg(&flags);
        }
        let out = start.stdin(Stdio::null()).output().unwrap();
        assert!(
            out.status.success(),
            "scripts/stack start failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let info: Value = serde_json::from_slice(&out.stdout).unwrap();
        let stack = Stack { state_dir, info };
        stack.assert_loopback();
        // After this process: stop, hand the strict-mode report to
        // DYNROUTE_STRICT_REPORTS (scripts/test sums them), and delete the state
        // folder unless DYNROUTE_KEEP_STATE is set.
        let mut stop = format!("stop --state-dir '{}'", stack.state_dir.display());
        if let Some(reports) = std::env::var_os("DYNROUTE_STRICT_REPORTS") {
            let name = stack.state_dir.file_name().unwrap();
            let report = PathBuf::from(reports).join(name);
            std::fs::create_dir_all(&report).unwrap();
            stop.push_str(&format!(" --report-to '{}'", report.display()));
        }
        if std::env::var_os("DYNROUTE_KEEP_STATE").is_some() {
            // Straight to stderr: the test runner captures eprintln! of passing tests.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "keeping the stack's state folder {} (DYNROUTE_KEEP_STATE is set)",
                stack.state_dir.display()
            );
        } else {
            stop.push_str(" --remove");
        }
        let watchdog = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "(while kill -0 {} 2>/dev/null; do sleep 1; done; exec '{}' {stop}) </dev/null >/dev/null 2>&1 &",
                std::process::id(),
                script().display(),
            ))
            .status()
            .unwrap();
        assert!(watchdog.success());
        stack
    }

    /// Stops this stack (for tests that own one).
    pub fn stop(&self) {
        let status = Command::new(script())
            .args(["stop", "--state-dir"])
            .arg(&self.state_dir)
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn assert_loopback(&self) {
        let url = self.endpoint();
        assert!(
            url.starts_with("http://127."),
            "stack endpoint {url} is not loopback"
        );
        for cidr in self.info["subnet_cidrs"].as_array().unwrap() {
            assert!(
                cidr.as_str().unwrap().starts_with("127."),
                "subnet {cidr} is not loopback"
            );
        }
    }

    pub fn endpoint(&self) -> String {
        self.info["endpoint_url"].as_str().unwrap().to_owned()
    }

    /// Runs `stack/ctl.py` against this stack; returns its stdout parsed as JSON (or Null).
    pub fn ctl(&self, args: &[&str]) -> Value {
        let out = Command::new(script())
            .args(["ctl", "--state-dir"])
            .arg(&self.state_dir)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "scripts/stack ctl {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    }

    /// Runs `stack/kit.py` (the platform kit) with this stack's state dir
    /// where the command takes one; returns its stdout parsed as JSON.
    pub fn kit(&self, args: &[&str]) -> Value {
        let state_dir = self.state_dir.to_str().unwrap();
        let mut all = args.to_vec();
        if args.first() != Some(&"resource") {
            all.extend(["--state-dir", state_dir]);
        }
        stack_module("stack.kit", &all)
    }

    /// This stack with its Traefik started by `stack.kit start-traefik` and every
    /// test project on `cluster` (the one cluster the kit's Traefik reads).
    pub fn with_kit_traefik(&self, cluster: &str) -> Stack {
        let text = std::fs::read_to_string(self.state_dir.join("stack.json")).unwrap();
        let mut info: Value = serde_json::from_str(&text).unwrap();
        assert!(
            info["traefik_web_url"].is_string(),
            "the kit's Traefik is not running"
        );
        info["fixed_cluster"] = Value::String(cluster.to_owned());
        Stack {
            state_dir: self.state_dir.clone(),
            info,
        }
    }

    /// Starts PostgreSQL for this stack (`stack/postgres.py`: loopback, data in
    /// the state folder, ended with the stack); returns its port.
    pub fn start_postgres(&self) -> u16 {
        let state_dir = self.state_dir.to_str().unwrap();
        let doc = stack_module("stack.postgres", &["start", "--state-dir", state_dir]);
        doc["postgres_port"].as_u64().unwrap() as u16
    }

    /// A fresh cluster for one test (or the kit's one cluster).
    pub fn cluster(&self, test: &str) -> String {
        if let Some(fixed) = self.info["fixed_cluster"].as_str() {
            return fixed.to_owned();
        }
        let n = CLUSTERS.fetch_add(1, Ordering::SeqCst);
        let name = format!("{test}-{n}");
        self.ctl(&["create-cluster", &name]);
        name
    }

    /// The services of a cluster as the stack sees them: name → description.
    pub fn services(&self, cluster: &str) -> Vec<Value> {
        match self.ctl(&["services", "--cluster", cluster]) {
            Value::Array(items) => items,
            Value::Object(map) => map
                .get("services")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            other => panic!("unexpected ctl services output: {other}"),
        }
    }

    /// dynroute's ECS writes (its user agent), in order.
    pub fn writes(&self) -> Vec<Value> {
        let writes = self.ctl(&["writes", "--client", "aws-sdk-rust"]);
        writes.as_array().cloned().unwrap_or_default()
    }

    /// dynroute's ECS writes that name `what` (a family, a service ARN, …).
    pub fn writes_naming(&self, what: &str) -> Vec<Value> {
        self.writes()
            .into_iter()
            .filter(|w| {
                w["names"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|n| n.as_str().unwrap_or_default().contains(what))
            })
            .collect()
    }

    /// The actions of [`Stack::writes_naming`], sorted.
    pub fn write_actions_naming(&self, what: &str) -> Vec<String> {
        let mut actions: Vec<String> = self
            .writes_naming(what)
            .iter()
            .map(|w| w["action"].as_str().unwrap().to_owned())
            .collect();
        actions.sort();
        actions
    }

    /// API calls by action made by dynroute (the Rust SDK) since the last reset.
    pub fn rust_calls(&self) -> Value {
        self.ctl(&["calls", "--client", "aws-sdk-rust"])
    }

    /// A project wired to this stack and a new cluster: services `api` (health
    /// path `/health`) and `web` (two tasks), on hosts under `dev.test`.
    pub fn project(&self, test: &str) -> (Project, String) {
        let cluster = self.cluster(test);
        let config = format!(
            "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\nprotected: [main, shadow]\n{}services:\n  api:\n    template: templates/app.yaml\n    port: 8080\n    health_check_path: /health\n  web:\n    template: templates/app.yaml\n    port: 8080\n    desired_count: 2\n",
            self.network_yaml()
        );
        (self.project_with(&config), cluster)
    }

    /// A project named `project` on `cluster` that declares one service, `service`.
    pub fn project_on(&self, cluster: &str, project: &str, service: &str) -> Project {
        let config = format!(
            "project: {project}\ncluster: {cluster}\nregion: us-east-1\ndomain: dev.test\nprotected: [main, shadow]\n{}services:\n  {service}:\n    template: templates/app.yaml\n    port: 8080\n",
            self.network_yaml()
        );
        self.project_with(&config)
    }

    /// The `network:` block for this stack's subnets and security group.
    pub fn network_yaml(&self) -> String {
        let list = |key: &str| {
            self.info[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "network:\n  subnets: [{}]\n  security_groups: [{}]\n",
            list("subnets"),
            list("security_groups")
        )
    }

    /// A project with this config, one shared template, and the stack's environment.
    pub fn project_with(&self, config: &str) -> Project {
        let template = "networkMode: awsvpc\nrequiresCompatibilities: [FARGATE]\ncpu: \"256\"\nmemory: \"512\"\ncontainerDefinitions:\n  - name: \"{{ service }}\"\n    image: \"example/{{ service }}:{{ image_tag }}\"\n    memory: 256\n";
        Project::empty()
            .file("dynroute.yaml", config)
            .file("templates/app.yaml", template)
            .env("AWS_ENDPOINT_URL", &self.endpoint())
            .env("DYNROUTE_POLL_INTERVAL", "300ms")
            .env("CI", "true")
    }
}

/// Runs one of the stack's Python modules (`scripts/stack python -m MODULE
/// ARGS…`, in the repository); fails the test with its stderr when it fails,
/// and returns its stdout parsed as JSON.
pub fn stack_module(module: &str, args: &[&str]) -> Value {
    let out = Command::new(script())
        .args(["python", "-m", module])
        .args(args)
        .current_dir(repo_root())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{module} {args:?} failed (the stack: `scripts/stack install`; PostgreSQL: `scripts/install-postgres`):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{module} {args:?} printed no JSON ({e})"))
}

static TRAEFIK_STACK: OnceLock<Stack> = OnceLock::new();
static PLUGIN_STACK: OnceLock<Stack> = OnceLock::new();

impl Stack {
    /// The shared stack with Traefik (its ECS provider polls every second).
    pub fn with_traefik() -> &'static Stack {
        TRAEFIK_STACK.get_or_init(|| Stack::start(true))
    }

    /// The shared stack whose Traefik runs dynroute's entry middleware (the plugin).
    pub fn with_plugin() -> &'static Stack {
        PLUGIN_STACK.get_or_init(|| Stack::start_with(true, true))
    }

    /// Both Traefik stacks, without and with the entry middleware, for suites
    /// that must pass either way.
    pub fn both() -> [&'static Stack; 2] {
        [Stack::with_traefik(), Stack::with_plugin()]
    }

    pub fn has_plugin(&self) -> bool {
        self.info["traefik_flags"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    }

    pub fn traefik_web(&self) -> String {
        self.info["traefik_web_url"]
            .as_str()
            .expect("started with Traefik")
            .to_owned()
    }

    fn traefik_api_get(&self, path: &str) -> Value {
        let api = self.info["traefik_api_url"]
            .as_str()
            .expect("started with Traefik");
        let response = crate::http::get(api, "localhost", path, &[]).unwrap();
        // An unreadable answer must fail the test, not look like "no routers".
        serde_json::from_str(&response.body)
            .unwrap_or_else(|e| panic!("Traefik {path} is not JSON ({e}): {}", response.body))
    }

    /// Waits until Traefik serves every router in `present` and none in `absent`
    /// (the API pages by 100 unless told otherwise; every version has several routers),
    /// then checks that every backend it knows is a loopback address.
    pub fn wait_for_routers(&self, present: &[String], absent: &[String]) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let routers = self.traefik_api_get("/api/http/routers?per_page=10000");
            let enabled: Vec<String> = routers
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|r| r["status"] == "enabled")
                        .filter_map(|r| r["name"].as_str())
                        .map(|n| n.trim_end_matches("@ecs").to_owned())
                        .collect()
                })
                .unwrap_or_default();
            if present.iter().all(|p| enabled.contains(p))
                && absent.iter().all(|a| !enabled.contains(a))
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "Traefik routers: want {present:?} and not {absent:?}, have {enabled:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        let services = self.traefik_api_get("/api/http/services?per_page=10000");
        let services = services
            .as_array()
            .unwrap_or_else(|| panic!("Traefik /api/http/services is not a list: {services}"));
        assert!(!services.is_empty(), "Traefik knows no services");
        for service in services {
            for server in service["loadBalancer"]["servers"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let url = server["url"].as_str().unwrap_or_default();
                assert!(
                    url.starts_with("http://127.") || url.starts_with("h2c://127."),
                    "backend {url} is not loopback"
                );
            }
        }
    }

    /// A project routed through this stack's Traefik: services `{tag}api` (host
    /// `{tag}api.dev.test`) and `{tag}web` (hosts `{tag}web.dev.test`, `{tag}www.dev.test`).
    pub fn routed_project(&self, tag: &str, rule_syntax: &str) -> (Project, String) {
        let cluster = self.cluster(tag);
        let config = format!(
            "cluster: {cluster}\nregion: us-east-1\ndomain: dev.test\ningress:\n  url: {web}\ntraefik:\n  rule_syntax: {rule_syntax}\n  entrypoints: [web]\n{network}services:\n  {tag}api:\n    template: templates/app.yaml\n    port: 8080\n    health_check_path: /health\n  {tag}web:\n    template: templates/app.yaml\n    port: 8080\n    hosts: [{tag}web.dev.test, {tag}www.dev.test]\n",
            web = self.traefik_web(),
            network = self.network_yaml(),
        );
        (self.project_with(&config), cluster)
    }
}
