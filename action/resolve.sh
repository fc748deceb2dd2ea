#!/usr/bin/env bash
# Works out which release asset this runner needs and where it is cached,
# before the cache step runs (its key and path come from here).
#
# In:  DYNROUTE_VERSION (0.4.1 or v0.4.1), RUNNER_OS, RUNNER_ARCH,
#      RUNNER_TOOL_CACHE (or RUNNER_TEMP), GITHUB_OUTPUT
# Out: version, target, asset, dir, cache-key (step outputs)
set -euo pipefail
# shellcheck source=action/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env DYNROUTE_VERSION
version=$(normalize_version "$DYNROUTE_VERSION")
target=$(runner_target)
root=${RUNNER_TOOL_CACHE:-${RUNNER_TEMP:-}}
if [[ -z "$root" ]]; then
  die "neither RUNNER_TOOL_CACHE nor RUNNER_TEMP is set" "run this inside a GitHub Actions job, or export RUNNER_TEMP"
fi
if [[ "$root" == *$'\n'* ]]; then
  die "RUNNER_TOOL_CACHE / RUNNER_TEMP contains a line break"
fi

set_output version "$version"
set_output target "$target"
set_output asset "$(asset_name "$version" "$target")"
set_output dir "$root/dynroute/$version/$target"
set_output cache-key "dynroute-$version-$target"
note "dynroute $version for $target"
