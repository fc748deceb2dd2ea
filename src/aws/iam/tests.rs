use super::*;

fn inputs() -> PolicyInputs {
    PolicyInputs {
        cluster: "dev".into(),
        region: "us-east-1".into(),
        account: "123456789012".into(),
        services: vec!["api".into(), "web".into()],
        roles: vec!["arn:aws:iam::123456789012:role/ecsTaskExecutionRole".into()],
        log_groups: vec![("/ecs/dev/api".into(), "us-east-1".into())],
        load_balancer: false,
        after_down_hooks: false,
        activity: Default::default(),
    }
}

fn statement<'a>(policy: &'a Value, sid: &str) -> Option<&'a Value> {
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["Sid"] == sid)
}

fn actions(policy: &Value) -> Vec<String> {
    let mut all: Vec<String> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().clone())
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    all.sort();
    all.dedup();
    all
}

#[test]
fn writes_need_the_managed_tag_on_the_request_or_the_resource() {
    let p = policy(&inputs(), Audience::Deploy);
    let create = statement(&p, "CreateManagedOnly").unwrap();
    assert_eq!(
        create["Condition"]["StringEquals"]["aws:RequestTag/dynroute:managed"],
        "true"
    );
    assert!(
        create["Action"]
            .as_array()
            .unwrap()
            .contains(&json!("ecs:CreateService"))
    );
    let change = statement(&p, "ChangeManagedOnly").unwrap();
    assert_eq!(
        change["Condition"]["StringEquals"]["aws:ResourceTag/dynroute:managed"],
        "true"
    );
    assert_eq!(
        change["Resource"],
        json!([
            "arn:aws:ecs:us-east-1:123456789012:service/dev/api--*",
            "arn:aws:ecs:us-east-1:123456789012:service/dev/web--*",
            "arn:aws:ecs:us-east-1:123456789012:task-definition/api--*:*",
            "arn:aws:ecs:us-east-1:123456789012:task-definition/web--*:*"
        ])
    );
}

#[test]
fn roles_are_passed_only_to_ecs_tasks() {
    let p = policy(&inputs(), Audience::Deploy);
    let pass = statement(&p, "PassTaskRoles").unwrap();
    assert_eq!(
        pass["Resource"],
        "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"
    );
    assert_eq!(
        pass["Condition"]["StringEquals"]["iam:PassedToService"],
        "ecs-tasks.amazonaws.com"
    );
    let mut no_roles = inputs();
    no_roles.roles.clear();
    assert!(statement(&policy(&no_roles, Audience::Deploy), "PassTaskRoles").is_none());
}

#[test]
fn read_and_prune_never_write_more_than_they_need() {
    let read = actions(&policy(&inputs(), Audience::Read));
    assert!(read.iter().all(|a| !a.contains("Create")
        && !a.contains("Delete")
        && !a.contains("Update")
        && !a.contains("Register")
        && !a.contains("Tag")
        && a != "iam:PassRole"));
    assert!(read.contains(&"logs:FilterLogEvents".to_owned()));
    let prune = actions(&policy(&inputs(), Audience::Prune));
    assert!(prune.contains(&"ecs:DeleteService".to_owned()));
    assert!(!prune.contains(&"ecs:CreateService".to_owned()));
    assert!(!prune.contains(&"ecs:UpdateService".to_owned()));
    assert!(!prune.contains(&"logs:FilterLogEvents".to_owned()));
    assert!(!prune.contains(&"ecs:RunTask".to_owned()));
    // With after_down hooks, prune runs them: one-off tasks, their logs,
    // and the tag on a revision kept for a hook that failed again.
    let mut hooked = inputs();
    hooked.after_down_hooks = true;
    let prune = policy(&hooked, Audience::Prune);
    let have = actions(&prune);
    for action in [
        "ecs:RunTask",
        "ecs:StopTask",
        "ecs:DescribeTasks",
        "ecs:ListTaskDefinitionFamilies",
        "ecs:TagResource",
        "iam:PassRole",
        "logs:FilterLogEvents",
    ] {
        assert!(have.contains(&action.to_owned()), "{action}: {have:?}");
    }
    assert!(!have.contains(&"ecs:CreateService".to_owned()));
    // Still only managed resources: the tag conditions stay.
    let run = statement(&prune, "RunManagedTasks").unwrap();
    assert!(
        run["Condition"]["ArnEquals"]["ecs:cluster"].is_string(),
        "{run}"
    );
    let stop = statement(&prune, "StopManagedTasks").unwrap();
    assert_eq!(
        stop["Condition"]["StringEquals"]["aws:ResourceTag/dynroute:managed"],
        "true"
    );
}

#[test]
fn the_load_balancer_lookup_only_when_configured() {
    let without = actions(&policy(&inputs(), Audience::Read));
    assert!(
        !without
            .iter()
            .any(|a| a.starts_with("elasticloadbalancing:"))
    );
    let mut with = inputs();
    with.load_balancer = true;
    let with = actions(&policy(&with, Audience::Read));
    assert!(with.contains(&"elasticloadbalancing:DescribeLoadBalancers".to_owned()));
}

#[test]
fn every_action_of_an_audience_is_in_its_policy() {
    for audience in [Audience::Deploy, Audience::Read, Audience::Prune] {
        let mut all = inputs();
        all.load_balancer = true;
        all.after_down_hooks = true;
        let have = actions(&policy(&all, audience));
        for action in actions_for(audience, true, true, true, ActivityAccess::TraefikTasks) {
            assert!(have.contains(&action.to_owned()), "{audience:?}: {action}");
        }
    }
}

#[test]
fn cluster_arns_become_names() {
    assert_eq!(
        cluster_name("arn:aws:ecs:us-east-1:123456789012:cluster/dev"),
        "dev"
    );
    assert_eq!(cluster_name("dev"), "dev");
}

#[test]
fn traefik_reads_its_cluster_and_changes_nothing() {
    let p = policy(&inputs(), Audience::Traefik);
    let mut all = actions(&p);
    all.sort();
    assert_eq!(
        all,
        [
            "ec2:DescribeInstances",
            "ecs:DescribeClusters",
            "ecs:DescribeContainerInstances",
            "ecs:DescribeTaskDefinition",
            "ecs:DescribeTasks",
            "ecs:ListClusters",
            "ecs:ListTasks",
        ]
    );
    let list = statement(&p, "ListTasksOfCluster").unwrap();
    assert_eq!(
        list["Condition"]["ArnEquals"]["ecs:cluster"],
        "arn:aws:ecs:us-east-1:123456789012:cluster/dev"
    );
    assert_eq!(
        statement(&p, "ReadTasksOfCluster").unwrap()["Resource"],
        "arn:aws:ecs:us-east-1:123456789012:task/dev/*"
    );
}

#[test]
fn a_cluster_wide_policy_names_families_roles_and_log_groups_by_convention() {
    let inputs =
        cluster_wide_inputs("dev", "us-east-1", "123456789012", "/dynroute/", "/ecs/").unwrap();
    let p = policy(&inputs, Audience::Deploy);
    assert_eq!(
        statement(&p, "CreateManagedOnly").unwrap()["Resource"],
        json!([
            "arn:aws:ecs:us-east-1:123456789012:service/dev/*--*",
            "arn:aws:ecs:us-east-1:123456789012:task-definition/*--*:*"
        ])
    );
    assert_eq!(
        statement(&p, "PassTaskRoles").unwrap()["Resource"],
        "arn:aws:iam::123456789012:role/dynroute/*"
    );
    assert_eq!(
        statement(&p, "ReadContainerLogs").unwrap()["Resource"],
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/*"
    );
    for (path, prefix) in [("dynroute", "/ecs/"), ("/a*/", "/ecs/"), ("/d/", "*")] {
        assert!(
            cluster_wide_inputs("dev", "us-east-1", "1", path, prefix).is_err(),
            "{path} {prefix}"
        );
    }
}
