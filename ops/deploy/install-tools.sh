#!/usr/bin/env bash
# Installs the tools the deploy checks need, from package registries only (never a release
# binary download), into a cache outside the work tree keyed by version (so every clone on the
# machine, CI's included, shares it), and writes the paths they landed at into
# $TOOLS_DIR/env.sh. A second run finds everything cached and takes well under a second.
#
#   helm          go install helm.sh/helm/v3/cmd/helm            (Go module proxy)
#   actionlint    go install github.com/rhysd/actionlint/cmd/... (Go module proxy)
#   deploycheck   go build ops/deploy/deploycheck (compose-go) (Go module proxy)
#   kubernetes-validate + the Kubernetes JSON schemas it ships   (PyPI, in a venv)
#   shellcheck    apt-get, optional: actionlint uses it for run: scripts when present
#   nginx         apt-get download + dpkg -x (unpacked, not installed), for the client config
#
# Usage: bash ops/deploy/install-tools.sh
#   TOOLS_DIR overrides the cache (default ${XDG_CACHE_HOME:-~/.cache}/todo-chatbot/deploy-tools).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS_DIR="${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-chatbot/deploy-tools}"
HELM_VERSION=v3.22.0
ACTIONLINT_VERSION=v1.7.12
KUBERNETES_VALIDATE_VERSION=1.37.0

mkdir -p "$TOOLS_DIR"
log() { printf '[install-tools] %s\n' "$*" >&2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

need() {
  command -v "$1" >/dev/null 2>&1 || {
    log "missing '$1': $2"
    exit 1
  }
}
need go "the Go toolchain is required to build helm, actionlint and deploycheck"
need python3 "Python 3 is required for kubernetes-validate"

# go_tool NAME PACKAGE VERSION [LDFLAGS]: go install into $TOOLS_DIR/NAME-VERSION/NAME.
go_tool() {
  local name="$1" pkg="$2" version="$3" ldflags="${4:-}"
  local dir="$TOOLS_DIR/$name-$version"
  if [ -x "$dir/$name" ]; then
    printf '%s' "$dir/$name"
    return
  fi
  local start tmp
  start="$(now)"
  tmp="$(mktemp -d "$TOOLS_DIR/.$name.XXXXXX")"
  log "building $name $version from the Go module proxy ..."
  GOBIN="$tmp" GOFLAGS="${GOFLAGS:-} -trimpath" nice -n 10 \
    go install -ldflags "-s -w $ldflags" "$pkg@$version" >&2
  rm -rf "$dir" && mv "$tmp" "$dir"
  log "$name $version ready in $(elapsed "$start")s"
  printf '%s' "$dir/$name"
}

HELM_BIN="$(go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" \
  "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION")"
ACTIONLINT_BIN="$(go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" \
  "-X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION")"

# deploycheck: our own small Go program; the cache key is the hash of its sources.
DEPLOYCHECK_SRC="$ROOT/ops/deploy/deploycheck"
deploycheck_key="$(cat "$DEPLOYCHECK_SRC/go.mod" "$DEPLOYCHECK_SRC/go.sum" "$DEPLOYCHECK_SRC"/*.go | sha256sum | cut -c1-12)"
DEPLOYCHECK_BIN="$TOOLS_DIR/deploycheck-$deploycheck_key/deploycheck"
if [ ! -x "$DEPLOYCHECK_BIN" ]; then
  start="$(now)"
  log "building deploycheck ($deploycheck_key) ..."
  mkdir -p "$(dirname "$DEPLOYCHECK_BIN")"
  (cd "$DEPLOYCHECK_SRC" && nice -n 10 go build -trimpath -ldflags "-s -w" -o "$DEPLOYCHECK_BIN.tmp" .) >&2
  mv "$DEPLOYCHECK_BIN.tmp" "$DEPLOYCHECK_BIN"
  log "deploycheck ready in $(elapsed "$start")s"
fi

# kubernetes-validate in its own venv, pinned with its dependencies.
req="$ROOT/ops/deploy/requirements-tools.txt"
req_key="$(sha256sum "$req" | cut -c1-12)"
KV_VENV="$TOOLS_DIR/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION-$req_key"
KUBERNETES_VALIDATE_BIN="$KV_VENV/bin/kubernetes-validate"
if [ ! -x "$KUBERNETES_VALIDATE_BIN" ]; then
  start="$(now)"
  log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION from PyPI ..."
  rm -rf "$KV_VENV.tmp"
  python3 -m venv "$KV_VENV.tmp"
  "$KV_VENV.tmp/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$req" >&2
  rm -rf "$KV_VENV" && mv "$KV_VENV.tmp" "$KV_VENV"
  # venv scripts carry the venv's absolute path in their shebang: rewrite it after the move.
  sed -i "1s|$KV_VENV.tmp|$KV_VENV|" "$KV_VENV"/bin/kubernetes-validate "$KV_VENV"/bin/pip*
  log "kubernetes-validate ready in $(elapsed "$start")s"
fi

# shellcheck is optional (actionlint lints run: scripts with it when it is on PATH).
SHELLCHECK_BIN="$(command -v shellcheck || true)"
if [ -z "$SHELLCHECK_BIN" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
  && [ "${DEPLOY_CHECKS_NO_APT:-}" != 1 ]; then
  start="$(now)"
  log "installing shellcheck from Debian's packages ..."
  if { apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1; }; }; then
    SHELLCHECK_BIN="$(command -v shellcheck || true)"
    log "shellcheck ready in $(elapsed "$start")s"
  else
    log "shellcheck could not be installed; actionlint runs without it"
  fi
fi

# nginx from Debian's package, unpacked (not installed: no service, no root needed), to run the
# client image's nginx configuration for real in the tests.
NGINX_BIN=""
if command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
  nginx_dir="$TOOLS_DIR/nginx-deb"
  if [ ! -x "$nginx_dir/usr/sbin/nginx" ]; then
    start="$(now)"
    log "unpacking nginx from Debian's packages ..."
    tmp="$(mktemp -d "$TOOLS_DIR/.nginx.XXXXXX")"
    if (cd "$tmp" && { apt-get download nginx >/dev/null 2>&1 ||
      { [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1 && apt-get download nginx >/dev/null 2>&1; }; }) &&
      dpkg -x "$tmp"/nginx_*.deb "$tmp/root"; then
      rm -rf "$nginx_dir" && mv "$tmp/root" "$nginx_dir"
      log "nginx ready in $(elapsed "$start")s"
    else
      log "nginx could not be downloaded; the nginx test will be skipped"
    fi
    rm -rf "$tmp"
  fi
  [ -x "$nginx_dir/usr/sbin/nginx" ] && NGINX_BIN="$nginx_dir/usr/sbin/nginx"
fi

cat >"$TOOLS_DIR/env.sh" <<ENV
export HELM_BIN='$HELM_BIN'
export ACTIONLINT_BIN='$ACTIONLINT_BIN'
export DEPLOYCHECK_BIN='$DEPLOYCHECK_BIN'
export KUBERNETES_VALIDATE_BIN='$KUBERNETES_VALIDATE_BIN'
export SHELLCHECK_BIN='$SHELLCHECK_BIN'
export NGINX_BIN='$NGINX_BIN'
ENV
log "tools ready: $TOOLS_DIR/env.sh"
