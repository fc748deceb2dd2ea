#!/usr/bin/env bash
# What a team scripts today to prove its routing table: one curl per case, one after
# another. Reads the cases bench/check_compare.py wrote, one per line, tab-separated:
#   URL <TAB> EXPECTED_VERSION <TAB> Header: value [<TAB> Header: value ...]
# and checks each answer's X-Dynroute-Version (and status < 500). Exits 1 if any fails.
set -uo pipefail
cases="$1"
failed=0
total=0
while IFS=$'\t' read -r url expect headers; do
  [[ -z "$url" ]] && continue
  total=$((total + 1))
  args=()
  IFS=$'\t' read -r -a hs <<<"$headers"
  for h in "${hs[@]}"; do args+=(-H "$h"); done
  # One process per case: curl prints the status and the header itself (curl >= 7.84).
  out="$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %header{x-dynroute-version}' "${args[@]}" "$url")" \
    || { failed=$((failed + 1)); continue; }
  status="${out%% *}"
  version="${out#* }"
  if [[ "$version" != "$expect" || "${status:-999}" -ge 500 ]]; then
    failed=$((failed + 1))
    echo "FAIL $url ($headers): HTTP $status, version '$version', expected '$expect'" >&2
  fi
done <"$cases"
echo "curl loop: $((total - failed))/$total cases passed" >&2
[[ $failed -eq 0 ]]
