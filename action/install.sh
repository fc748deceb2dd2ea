#!/usr/bin/env bash
# Installs a prebuilt dynroute from the project's release assets.
#
# The archive is checked against the release's SHA-256 file before anything
# is unpacked, also when it comes from the cache: a cache hit saves the
# archive download, not the check. Nothing lands in DYNROUTE_DIR/bin unless
# the check passed.
#
# In:  DYNROUTE_VERSION, DYNROUTE_TARGET, DYNROUTE_DIR (from resolve.sh),
#      DYNROUTE_RELEASE_URL (base URL of the releases; default
#      GITHUB_SERVER_URL/DYNROUTE_ACTION_REPOSITORY/releases/download),
#      RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_PATH
# Out: bin (path of the installed binary); DYNROUTE_DIR/bin on GITHUB_PATH
set -euo pipefail
# shellcheck source=action/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_env DYNROUTE_VERSION
require_env DYNROUTE_TARGET
require_env DYNROUTE_DIR
require_env RUNNER_TEMP
version=$(normalize_version "$DYNROUTE_VERSION")
target=$DYNROUTE_TARGET
check_target "$target"
dir=$DYNROUTE_DIR
asset=$(asset_name "$version" "$target")

base=${DYNROUTE_RELEASE_URL:-}
if [[ -z "$base" ]]; then
  repo=${DYNROUTE_ACTION_REPOSITORY:-}
  if [[ ! "$repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
    die "cannot tell which repository's releases to install from (action repository: '$(printable "$repo")')" \
      "hint: set the action's \`release-url\` input to the releases' download URL"
  fi
  base="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download"
fi
if [[ ! "$base" =~ ^(https|http|file)://[^[:space:]]+$ ]]; then
  die "release-url is not an https://, http:// or file:// URL: '$(printable "$base")'"
fi
url="${base%/}/v$version/$asset"

# Fetches a URL to a file; https only for redirects (GitHub redirects assets).
fetch() {
  curl --fail --silent --show-error --location --retry 3 \
    --proto '=https,http,file' --proto-redir '=https' \
    --output "$2" -- "$1"
}

work=$(mktemp -d "$RUNNER_TEMP/dynroute-install.XXXXXX")
trap 'rm -rf -- "$work"' EXIT

if ! fetch "$url.sha256" "$work/$asset.sha256"; then
  die "could not download the checksum of dynroute $version for $target" \
    "from $url.sha256" \
    "hint: check that release v$version exists and has the asset $asset"
fi
read -r want name <"$work/$asset.sha256" || true
if [[ ! "${want:-}" =~ ^[0-9a-f]{64}$ ]] || [[ -n "${name:-}" && "${name#\*}" != "$asset" ]]; then
  die "the checksum file $asset.sha256 is malformed" "expected '<64 hex digits>  $asset'"
fi

cached="$dir/$asset"
archive=""
if [[ -f "$cached" ]]; then
  if [[ "$(sha256_of "$cached")" == "$want" ]]; then
    note "using the cached archive (checksum verified)"
    archive=$cached
  else
    note "the cached archive does not match the release checksum: downloading it again"
    rm -f -- "$cached"
  fi
fi
if [[ -z "$archive" ]]; then
  if ! fetch "$url" "$work/$asset"; then
    die "could not download dynroute $version for $target" "from $url"
  fi
  got=$(sha256_of "$work/$asset")
  if [[ "$got" != "$want" ]]; then
    die "checksum mismatch for $asset: nothing was installed" \
      "expected sha256 $want" \
      "got      sha256 $got" \
      "the download is corrupt or was tampered with; retry, and report it if it persists"
  fi
  archive="$work/$asset"
fi

mkdir -p -- "$work/unpacked"
tar -xzf "$archive" -C "$work/unpacked"
binary="$work/unpacked/dynroute-$version-$target/dynroute"
if [[ ! -f "$binary" || -L "$binary" ]]; then
  die "the archive $asset has no dynroute-$version-$target/dynroute"
fi
chmod 0755 -- "$binary"
reported=$("$binary" --version 2>&1 || true)
if [[ "$reported" != "dynroute $version" ]]; then
  die "the binary in $asset does not run as dynroute $version on this runner" "it said: $(printable "$reported")"
fi

mkdir -p -- "$dir/bin"
if [[ "$archive" != "$cached" ]]; then
  mv -f -- "$archive" "$cached"
fi
cp -- "$binary" "$dir/bin/dynroute.new"
mv -f -- "$dir/bin/dynroute.new" "$dir/bin/dynroute"

set_output bin "$dir/bin/dynroute"
if [[ -n "${GITHUB_PATH:-}" ]]; then
  printf '%s\n' "$dir/bin" >>"$GITHUB_PATH"
fi
note "installed $reported ($target) to $dir/bin"
