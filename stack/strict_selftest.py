"""The strict stack's own tests, without dynroute: each class of request real ECS
refuses, sent raw with boto3, gets ECS's exception back; a valid request of each
operation dynroute makes passes. Run by tests/integration/strict.rs:

    python -m stack.strict_selftest --endpoint URL --cluster NAME --subnet ID

Prints one JSON object: {"refused": {case: exception}, "passed": [operation, ...]}.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any, Callable

# The user agent's app id of these deliberate violations (strict_report leaves them out).
SELFTEST_APP = "strict-selftest"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--cluster", required=True)
    ap.add_argument("--subnet", required=True)
    args = ap.parse_args()
    os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError, ParamValidationError

    ecs = boto3.client(
        "ecs",
        endpoint_url=args.endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        # botocore's own client-side validation is off: the server must judge.
        config=Config(parameter_validation=False, retries={"max_attempts": 1}, user_agent_appid=SELFTEST_APP),
    )
    container = {"name": "app", "image": "example/app:1", "memory": 256, "portMappings": [{"containerPort": 8080}]}
    bridge = ecs.register_task_definition(family="strict-bridge", networkMode="bridge", containerDefinitions=[container])
    bridge_arn = bridge["taskDefinition"]["taskDefinitionArn"]
    awsvpc = ecs.register_task_definition(
        family="strict-awsvpc", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="512",
        containerDefinitions=[container],
    )["taskDefinition"]["taskDefinitionArn"]
    net = {"awsvpcConfiguration": {"subnets": [args.subnet]}}
    cases: dict[str, Callable[[], Any]] = {
        "network-configuration-bridge": lambda: ecs.create_service(
            cluster=args.cluster, serviceName="strict-1", taskDefinition=bridge_arn, desiredCount=0, networkConfiguration=net),
        "fargate-size": lambda: ecs.register_task_definition(
            family="strict-size", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="256", memory="4096",
            containerDefinitions=[container]),
        "strategy-weight-zero": lambda: ecs.create_service(
            cluster=args.cluster, serviceName="strict-2", taskDefinition=awsvpc, desiredCount=0, networkConfiguration=net,
            capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 0}]),
        "strategy-negative-weight": lambda: ecs.create_service(
            cluster=args.cluster, serviceName="strict-3", taskDefinition=awsvpc, desiredCount=0, networkConfiguration=net,
            capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": -1}]),
        "public-ip-ec2": lambda: ecs.create_service(
            cluster=args.cluster, serviceName="strict-4", taskDefinition=awsvpc, desiredCount=0, launchType="EC2",
            networkConfiguration={"awsvpcConfiguration": {"subnets": [args.subnet], "assignPublicIp": "ENABLED"}}),
        "tag-characters": lambda: ecs.register_task_definition(
            family="strict-tags", containerDefinitions=[container], tags=[{"key": "Cost Center", "value": "R&D (EU)"}]),
        "tag-empty-key": lambda: ecs.register_task_definition(
            family="strict-tags", containerDefinitions=[container], tags=[{"key": "", "value": "x"}]),
        "tag-combining-mark": lambda: ecs.register_task_definition(
            family="strict-tags", containerDefinitions=[container], tags=[{"key": "owner", "value": "राम"}]),
        "none-port-mappings": lambda: ecs.register_task_definition(
            family="strict-none", networkMode="none", containerDefinitions=[container]),
        "ec2-no-memory": lambda: ecs.register_task_definition(
            family="strict-ec2", requiresCompatibilities=["EC2"],
            containerDefinitions=[{"name": "app", "image": "example/app:1"}]),
        "depends-on-missing": lambda: ecs.register_task_definition(
            family="strict-deps",
            containerDefinitions=[{**container, "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"}]}]),
        "model-enum": lambda: ecs.register_task_definition(
            family="strict-enum", networkMode="tunnel", containerDefinitions=[container]),
        "model-required": lambda: ecs.register_task_definition(family="strict-required"),
    }
    refused: dict[str, str] = {}
    for name, call in cases.items():
        try:
            call()
            refused[name] = "accepted"
        except ClientError as e:
            refused[name] = e.response["Error"]["Code"]
        except ParamValidationError:
            refused[name] = "client-side"
    passed = []
    valid: dict[str, Callable[[], Any]] = {
        "RegisterTaskDefinition": lambda: ecs.register_task_definition(
            family="strict-ok", networkMode="awsvpc", requiresCompatibilities=["FARGATE"], cpu="1 vCPU", memory="2 GB",
            containerDefinitions=[container], tags=[{"key": "team", "value": "payments"}]),
        "CreateService": lambda: ecs.create_service(
            cluster=args.cluster, serviceName="strict-ok", taskDefinition=awsvpc, desiredCount=0, networkConfiguration=net,
            capacityProviderStrategy=[{"capacityProvider": "FARGATE", "weight": 1}]),
        "UpdateService": lambda: ecs.update_service(
            cluster=args.cluster, service="strict-ok", taskDefinition=awsvpc, desiredCount=0, networkConfiguration=net),
        "DescribeServices": lambda: ecs.describe_services(cluster=args.cluster, services=["strict-ok"], include=["TAGS"]),
        "ListServices": lambda: ecs.list_services(cluster=args.cluster, maxResults=100),
        "TagResource": lambda: ecs.tag_resource(
            resourceArn=ecs.describe_services(cluster=args.cluster, services=["strict-ok"])["services"][0]["serviceArn"],
            tags=[{"key": "dynroute:managed", "value": "true"}]),
        "DescribeTaskDefinition": lambda: ecs.describe_task_definition(taskDefinition=awsvpc, include=["TAGS"]),
        "DeleteService": lambda: ecs.delete_service(cluster=args.cluster, service="strict-ok", force=True),
        "DeregisterTaskDefinition": lambda: ecs.deregister_task_definition(taskDefinition=bridge_arn),
    }
    for name, call in valid.items():
        try:
            call()
            passed.append(name)
        except ClientError as e:
            passed.append(f"{name}: {e.response['Error']['Code']}: {e.response['Error'].get('Message', '')}")
    print(json.dumps({"refused": refused, "passed": passed}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
