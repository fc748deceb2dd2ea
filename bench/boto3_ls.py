"""Baseline (b): the best hand-written concurrent client for `dynroute ls`.

ListServices (every page, 100 per call; pages are sequential by nature), then
DescribeServices(include=TAGS) in batches of 10 on a ThreadPoolExecutor. Prints the
services as JSON (name → tags) so the benchmark can check the result.

    python bench/boto3_ls.py CLUSTER [--workers 8]
"""

from __future__ import annotations

import time

T_START = time.perf_counter()

import argparse
import concurrent.futures
import json
import os
import sys

import boto3
from botocore.config import Config


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cluster")
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args()
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    if not endpoint.startswith("http://127."):
        print(f"refusing endpoint {endpoint!r}", file=sys.stderr)
        return 2
    ecs = boto3.client(
        "ecs",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        config=Config(max_pool_connections=max(10, args.workers), retries={"mode": "standard", "max_attempts": 8}),
    )
    t_api = time.perf_counter()
    arns: list[str] = []
    kw = {"cluster": args.cluster, "maxResults": 100}
    while True:
        page = ecs.list_services(**kw)
        arns += page.get("serviceArns", [])
        token = page.get("nextToken")
        if not token:
            break
        kw["nextToken"] = token

    def describe(batch: list[str]) -> list[dict]:
        return ecs.describe_services(cluster=args.cluster, services=batch, include=["TAGS"])["services"]

    batches = [arns[i : i + 10] for i in range(0, len(arns), 10)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        services = [s for part in pool.map(describe, batches) for s in part]
    json.dump(
        [{"name": s["serviceName"], "tags": {t["key"]: t["value"] for t in s.get("tags") or []}} for s in services],
        sys.stdout,
    )
    end = time.perf_counter()
    print("BENCH " + json.dumps({"startup_s": t_api - T_START, "api_s": end - t_api}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
