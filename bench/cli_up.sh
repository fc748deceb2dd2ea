#!/usr/bin/env bash
# Baseline for `dynroute up --no-wait`: the sequential AWS CLI script a user would
# write. Per service: register-task-definition (the input `dynroute render` produces,
# rendered before the clock starts), then create-service with the same settings
# dynroute uses (tags, propagateTags, ECS managed tags, circuit breaker with rollback,
# awsvpc network configuration).
#
#   bench/cli_up.sh CLUSTER INPUT_DIR     INPUT_DIR/NAME.td.json and NAME.svc.json per service
set -euo pipefail
cluster="$1" dir="$2"
case "${AWS_ENDPOINT_URL:-}" in http://127.*) ;; *) echo "refusing endpoint '${AWS_ENDPOINT_URL:-}'" >&2; exit 2 ;; esac
aws=(aws --endpoint-url "$AWS_ENDPOINT_URL" --region "$AWS_REGION")

for td in "$dir"/*.td.json; do
  name="$(basename "$td" .td.json)"
  arn="$("${aws[@]}" ecs register-task-definition --cli-input-json "file://$td" \
           --query 'taskDefinition.taskDefinitionArn' --output text)"
  "${aws[@]}" ecs create-service --cluster "$cluster" --task-definition "$arn" \
    --cli-input-json "file://$dir/$name.svc.json" --query 'service.status' --output text >/dev/null
done
