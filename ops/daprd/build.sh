#!/usr/bin/env bash
# Builds daprd from Go modules (no release binary is downloaded) and prints the binary's path on
# the last line of stdout. The binary is cached by Dapr version + a hash of the module's sources,
# so a second call takes well under a second:
#   ~/.cache/todo-chatbot/daprd/<version>-<variant>-<hash>/daprd
# Variant "slim" (default, ops/daprd/slim) compiles only the components this project uses; see
# docs/decisions/030-daprd-from-go-modules.md for why and for the measured numbers.
# Env: DAPRD_CACHE_DIR (default ~/.cache/todo-chatbot/daprd), DAPRD_VARIANT (slim).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
variant="${DAPRD_VARIANT:-slim}"
src="$here/$variant"
[ -f "$src/go.mod" ] || { echo "daprd build: no module at $src" >&2; exit 1; }
command -v go >/dev/null || { echo "daprd build: the go command is missing" >&2; exit 1; }

version="$(awk '$1 == "github.com/dapr/dapr" { print $2; exit }' "$src/go.mod")"
[ -n "$version" ] || { echo "daprd build: github.com/dapr/dapr is not required in $src/go.mod" >&2; exit 1; }
hash="$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-12)"
cache_root="${DAPRD_CACHE_DIR:-$HOME/.cache/todo-chatbot/daprd}"
out_dir="$cache_root/$version-$variant-$hash"
bin="$out_dir/daprd"

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  echo "daprd $version ($variant) cached at $bin" >&2
  echo "$bin"
  exit 0
fi

mkdir -p "$out_dir"
echo "daprd build: $version ($variant) from the Go module proxy; first build takes minutes" >&2
start=$SECONDS
tmp="$out_dir/daprd.tmp.$$"
trap 'rm -f "$tmp"' EXIT
(
  cd "$src"
  # -mod=readonly: go.mod/go.sum are committed and complete; nothing is resolved afresh.
  GOFLAGS="-mod=readonly -buildvcs=false ${DAPRD_GOFLAGS:-}" GOTOOLCHAIN=local CGO_ENABLED=0 \
    nice -n "${DAPRD_NICE:-10}" go build -trimpath \
    -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${version#v}" \
    -o "$tmp" .
)
"$tmp" --version >/dev/null
mv -f "$tmp" "$bin"
echo "daprd build: done in $((SECONDS - start))s, $(du -h "$bin" | cut -f1) at $bin" >&2
echo "$bin"
