//! The strict local stack judges every ECS request as real ECS does (botocore's
//! service model plus ECS's documented rules, `stack/strict.py`). These tests keep
//! the judge honest without dynroute: each class of request ECS refuses, sent raw
//! with boto3 (its own client-side validation off), gets ECS's exception; a valid
//! request of every operation dynroute makes passes. Every other integration test
//! runs on the same strict stack, so a request of dynroute's that ECS would refuse
//! fails its command and its test.

use crate::stack::{Stack, stack_module};

#[test]
fn the_strict_stack_refuses_what_ecs_refuses_and_passes_the_rest() {
    let stack = Stack::shared();
    let cluster = stack.cluster("strict");
    let subnet = stack.info["subnets"][0].as_str().unwrap().to_owned();
    let report = stack_module(
        "stack.strict_selftest",
        &[
            "--endpoint",
            &stack.endpoint(),
            "--cluster",
            &cluster,
            "--subnet",
            &subnet,
        ],
    );
    let refused = report["refused"].as_object().unwrap();
    let expected = [
        ("network-configuration-bridge", "InvalidParameterException"),
        ("fargate-size", "ClientException"),
        ("strategy-weight-zero", "InvalidParameterException"),
        ("strategy-negative-weight", "InvalidParameterException"),
        ("public-ip-ec2", "InvalidParameterException"),
        ("tag-characters", "InvalidParameterException"),
        ("tag-empty-key", "InvalidParameterException"),
        ("tag-combining-mark", "InvalidParameterException"),
        ("none-port-mappings", "ClientException"),
        ("ec2-no-memory", "ClientException"),
        ("depends-on-missing", "ClientException"),
        ("model-enum", "InvalidParameterException"),
        ("model-required", "InvalidParameterException"),
    ];
    for (case, exception) in expected {
        assert_eq!(refused[case], exception, "{case}: {report}");
    }
    assert_eq!(refused.len(), expected.len(), "{report}");
    let passed: Vec<&str> = report["passed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        passed,
        [
            "RegisterTaskDefinition",
            "CreateService",
            "UpdateService",
            "DescribeServices",
            "ListServices",
            "TagResource",
            "DescribeTaskDefinition",
            "DeleteService",
            "DeregisterTaskDefinition",
        ],
        "a valid request of each operation passes"
    );
    let strict = stack.ctl(&["strict"]);
    println!(
        "strict stack so far: {} requests judged, {} refused",
        strict["requests"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>(),
        strict["violations"].as_array().unwrap().len()
    );
}
