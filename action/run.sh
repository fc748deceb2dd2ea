#!/usr/bin/env bash
# Runs one dynroute command for the action.
#
# In:  DYNROUTE_COMMAND (up, down, check, ls, status, prune, header, render ...),
#      DYNROUTE_VERSION_NAME (optional: the version to act on; empty lets
#      dynroute derive it from the pull request's branch),
#      DYNROUTE_ARGS (optional: more arguments, split at whitespace),
#      DYNROUTE_BIN (optional: the binary; default `dynroute` on PATH)
#
# The command line is built as an array: every argument stays exactly one
# argument, nothing is expanded, globbed or evaluated. `up` itself writes the
# `version`, `header`, `urls` and `link` step outputs to GITHUB_OUTPUT.
set -euo pipefail
# shellcheck source=action/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command=${DYNROUTE_COMMAND:-}
if [[ ! "$command" =~ ^[a-z][a-z-]*$ ]]; then
  die "command is not a dynroute command: '$(printable "$command")'" \
    "expected a subcommand such as up, down, check, ls, status, prune or header"
fi

argv=("$command")

version=${DYNROUTE_VERSION_NAME:-}
if [[ -n "$version" ]]; then
  if [[ "$version" == -* ]]; then
    die "version must be a version name, not an option: '$(printable "$version")'" \
      "hint: put options in the \`args\` input"
  fi
  argv+=("$version")
fi

# Split at spaces, tabs and newlines only: `read -a` neither expands `$(...)`
# nor globs `*`; quotes are ordinary characters.
if [[ -n "${DYNROUTE_ARGS:-}" ]]; then
  read -r -d '' -a extra < <(printf '%s\0' "$DYNROUTE_ARGS") || true
  argv+=("${extra[@]}")
fi

bin=${DYNROUTE_BIN:-dynroute}
if [[ "$bin" == */* ]]; then
  [[ -x "$bin" ]] || die "DYNROUTE_BIN is not an executable file: $(printable "$bin")"
elif ! command -v -- "$bin" >/dev/null 2>&1; then
  die "dynroute is not on PATH" "hint: run the action's install step first, or set DYNROUTE_BIN"
fi

printf 'dynroute' >&2
printf ' %q' "${argv[@]}" >&2
printf '\n' >&2
exec "$bin" "${argv[@]}"
