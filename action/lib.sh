# Shared helpers for the action's scripts (sourced, not run).
#
# Every value from the workflow arrives in an environment variable and is
# checked here before use; no value is ever evaluated or spliced into a shell
# line, so a version or argument containing `;`, `$(...)`, quotes or newlines
# stays one inert string.

# Prints a GitHub error annotation and the message, then exits 1. The
# annotation's text is escaped as GitHub's workflow commands require (`%`,
# CR, LF), so a value quoted in it cannot end it or start another command.
die() {
  local message=${1//%/%25}
  message=${message//$'\r'/%0D}
  message=${message//$'\n'/%0A}
  printf '::error title=dynroute action::%s\n' "$message" >&2
  shift
  local line
  for line in "$@"; do
    printf '  %s\n' "$line" >&2
  done
  exit 1
}

note() {
  printf 'dynroute action: %s\n' "$*" >&2
}

# Fails with the variable's name when it is unset or empty.
require_env() {
  local name=$1
  if [[ -z "${!name:-}" ]]; then
    die "$name is not set" "the action sets it; when running this script by hand, export it first"
  fi
}

# Appends `name=value` to $GITHUB_OUTPUT. Values are single lines by
# construction (they were validated); a newline would forge another output.
set_output() {
  local name=$1 value=$2
  if [[ "$value" == *$'\n'* || "$value" == *$'\r'* ]]; then
    die "internal: output $name contains a line break"
  fi
  require_env GITHUB_OUTPUT
  printf '%s=%s\n' "$name" "$value" >>"$GITHUB_OUTPUT"
}

# `0.4.1` or `v0.4.1` (optionally `-rc.1`) -> `0.4.1`; anything else fails.
normalize_version() {
  local raw=$1
  local re='^v?([0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?)$'
  if [[ ! "$raw" =~ $re ]]; then
    die "dynroute-version is not a release version: '$(printable "$raw")'" \
      "expected a release such as 0.4.1 or v0.4.1 (see the project's releases)"
  fi
  printf '%s\n' "${BASH_REMATCH[1]}"
}

# The release target triple for this runner (RUNNER_OS / RUNNER_ARCH).
runner_target() {
  local os=${RUNNER_OS:-} arch=${RUNNER_ARCH:-}
  case "$os/$arch" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    *)
      die "no prebuilt dynroute for this runner (RUNNER_OS='$(printable "$os")', RUNNER_ARCH='$(printable "$arch")')" \
        "prebuilt binaries exist for Linux X64, Linux ARM64 and macOS ARM64" \
        "hint: on other runners build it with \`cargo install --locked dynroute\` and run it directly"
      ;;
  esac
}

# Checks a target triple against the ones releases are built for.
check_target() {
  case "$1" in
    x86_64-unknown-linux-musl | aarch64-unknown-linux-musl | aarch64-apple-darwin) ;;
    *) die "unknown release target '$(printable "$1")'" "expected one of x86_64-unknown-linux-musl, aarch64-unknown-linux-musl, aarch64-apple-darwin" ;;
  esac
}

# The archive name of a release asset (the release workflow and
# Cargo.toml's binstall metadata use the same names).
asset_name() {
  printf 'dynroute-%s-%s.tar.gz\n' "$1" "$2"
}

# A value as one printable line, for error messages.
printable() {
  local s=${1//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  printf '%s' "${s:0:120}"
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -- "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 -- "$1" | cut -d' ' -f1
  else
    die "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}
