#!/usr/bin/env bash
# Baseline (a): the AWS CLI loop a user would script to list every service with its
# tags. One `aws` process for ListServices (the CLI follows every page, 100 per call),
# then one `aws ecs describe-services --include TAGS` process per 10 services, in order.
#
#   bench/cli_ls.sh CLUSTER OUT_FILE      (AWS_ENDPOINT_URL must be a 127.x URL)
set -euo pipefail
cluster="$1" out="$2"
case "${AWS_ENDPOINT_URL:-}" in http://127.*) ;; *) echo "refusing endpoint '${AWS_ENDPOINT_URL:-}'" >&2; exit 2 ;; esac
aws=(aws --endpoint-url "$AWS_ENDPOINT_URL" --region "$AWS_REGION")

read -r -a arns < <("${aws[@]}" ecs list-services --cluster "$cluster" --page-size 100 \
                      --query 'serviceArns[]' --output text | tr '\t\n' '  '; echo)
: >"$out"
for ((i = 0; i < ${#arns[@]}; i += 10)); do
  "${aws[@]}" ecs describe-services --cluster "$cluster" --include TAGS \
    --services "${arns[@]:i:10}" --output json >>"$out"
done
