//! ECS's eventual consistency, injected by the local stack: a service created a
//! moment ago is missing from DescribeServices and ListServices. `up` must not
//! create it twice, and `down` must neither leave it behind nor deregister the
//! task definition it is about to run.

use serde_json::{Value, json};

use crate::faults::{Faulty, executed};

#[test]
fn a_new_service_ecs_does_not_show_yet_is_neither_created_twice_nor_left_behind() {
    let f = Faulty::new("faults-ec");
    f.faults(json!({"consistency_seconds": 10}));

    // `up` waits until ECS shows what it created.
    let up = f.json(&["up", "ec1", "--json"]);
    assert!(
        up["services"].as_array().unwrap().iter().all(
            |s| s["action"] == "create" && s["status"].as_str().unwrap().starts_with("running")
        ),
        "{up}"
    );
    assert!(f.injected_total("hidden") > 0, "nothing was hidden");

    // A second `up` right after the first does not create the service again.
    f.project.ok(&["up", "ec2", "-s", "api", "--no-wait"]);
    let again = f.json(&["up", "ec2", "-s", "api", "--no-wait", "--json"]);
    assert_eq!(again["services"][0]["action"], "update", "{again}");
    let services = f.services();
    assert_eq!(services["api--ec2"]["status"], "ACTIVE");
    assert!(
        services["api--ec2"]["taskDefinition"]
            .as_str()
            .unwrap()
            .ends_with("api--ec2:2")
    );

    // Right after `up --no-wait`: ls does not list it yet or lists it deploying;
    // down waits for ECS to show it, then removes it.
    f.project.ok(&["up", "ec3", "-s", "api", "--no-wait"]);
    let ls = f.json(&["ls", "--json"]);
    for v in ls.as_array().unwrap() {
        if v["version"] == "ec3" {
            assert_eq!(v["status"], "deploying", "{v}");
        }
    }
    let out = f.project.run(&["down", "ec3", "--yes", "--json"]);
    out.expect(0, &["waiting for ECS to show api--ec3"]);
    let down: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(down["removed"][0]["ecs_service"], "api--ec3", "{down}");
    assert_eq!(down["removed"][0]["service_deleted"], true, "{down}");
    assert_eq!(
        down["removed"][0]["task_definitions_deregistered"], 1,
        "{down}"
    );
    assert_ne!(f.services()["api--ec3"]["status"], "ACTIVE");

    // status waits the same way before it says "not deployed".
    f.project.ok(&["up", "ec4", "-s", "api", "--no-wait"]);
    let out = f.project.run(&["status", "ec4"]);
    out.expect(0, &["waiting for ECS to show api--ec4 ("]);
    assert!(
        out.stdout.contains("api--ec4: api--ec4:1"),
        "{}",
        out.stdout
    );
}

#[test]
fn down_says_so_when_ecs_has_not_shown_a_new_service_within_its_patience() {
    let f = Faulty::new("faults-ec-late");
    // Longer than `down` waits for a service to appear (30 s).
    f.faults(json!({"consistency_seconds": 600}));
    f.project.ok(&["up", "late", "-s", "api", "--no-wait"]);
    let out = f.project.run(&["down", "late", "--yes"]);
    out.expect(
        1,
        &[
            "ECS does not show a service api--late yet, although its task definition was registered less than 120 s ago; nothing was removed",
            "hint: an `up` may still be creating it",
        ],
    );
    assert_eq!(f.services()["api--late"]["status"], "ACTIVE");
    assert_eq!(executed(&f, "ECS.DeregisterTaskDefinition"), 0);

    // Once ECS shows it, the same command removes it.
    f.faults_off();
    let down = f.json(&["down", "late", "--yes", "--json"]);
    assert_eq!(down["removed"][0]["service_deleted"], true, "{down}");
    assert_ne!(f.services()["api--late"]["status"], "ACTIVE");
}
