#!/usr/bin/env bash
# Builds the Kubernetes control-plane pieces of the API-server lane from Go modules (no release
# binary is downloaded) and prints `NAME=PATH` lines on stdout, one per binary:
#   KUBE_APISERVER_BIN, KUBE_CONTROLLER_MANAGER_BIN, KUBECTL_BIN   (ops/kube/apiserver: k8s.io/kubernetes)
#   ETCD_BIN                                                       (ops/kube/etcd: go.etcd.io/etcd/server/v3)
# Each module's binaries are cached by its upstream version + a hash of the module's sources:
#   ~/.cache/todo-chatbot/kube/kubernetes-<version>-<hash>/{kube-apiserver,kube-controller-manager,kubectl}
#   ~/.cache/todo-chatbot/kube/etcd-<version>-<hash>/etcd
# so a second call costs well under a second. See docs/decisions/350-kube-apiserver-from-go-modules.md
# for the measured cold build times.
# Env: KUBE_CACHE_DIR (default ~/.cache/todo-chatbot/kube), KUBE_BUILD_NICE (10).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v go >/dev/null || { echo "kube build: the go command is missing" >&2; exit 1; }
cache_root="${KUBE_CACHE_DIR:-$HOME/.cache/todo-chatbot/kube}"

# build MODULE_DIR UPSTREAM_MODULE NAME LDFLAGS PACKAGE... : builds the packages into the cache
# (one `go build` so they share one compile), or finds them there.
build() {
  local src="$here/$1" upstream="$2" name="$3" ldflags="$4"
  shift 4
  local version hash out_dir
  version="$(awk -v m="$upstream" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$src/go.mod")"
  [ -n "$version" ] || { echo "kube build: $upstream is not required in $src/go.mod" >&2; exit 1; }
  hash="$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-12)"
  out_dir="$cache_root/$name-$version-$hash"
  local missing=0 pkg
  for pkg in "$@"; do [ -x "$out_dir/$(basename "$pkg")" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    echo "kube build: $name $version from the Go module proxy; a cold build takes many minutes" >&2
    local start=$SECONDS tmp
    tmp="$(mktemp -d "$cache_root/.$name.XXXXXX")"
    # -mod=readonly: go.mod/go.sum are committed and complete; nothing is resolved afresh.
    (cd "$src" && GOFLAGS="-mod=readonly -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0 \
      nice -n "${KUBE_BUILD_NICE:-10}" go build -trimpath -ldflags "-s -w $ldflags" -o "$tmp/" "$@") >&2
    rm -rf "$out_dir" && mv "$tmp" "$out_dir"
    echo "kube build: $name done in $((SECONDS - start))s ($(du -sh "$out_dir" | cut -f1))" >&2
  else
    echo "kube build: $name $version cached at $out_dir" >&2
  fi
  for pkg in "$@"; do
    local bin
    bin="$(basename "$pkg")"
    printf '%s=%s\n' "$(echo "$bin" | tr 'a-z-' 'A-Z_')_BIN" "$out_dir/$bin"
  done
}

mkdir -p "$cache_root"
kube_version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$here/apiserver/go.mod")"
# The version the binaries report (`kube-apiserver --version`, the server's /version, which helm
# checks against the chart's kubeVersion): upstream sets it with -X like this.
v="k8s.io/component-base/version"
kube_ldflags="-X $v.gitVersion=$kube_version -X $v.gitMajor=$(echo "${kube_version#v}" | cut -d. -f1) -X $v.gitMinor=$(echo "$kube_version" | cut -d. -f2) -X $v.gitTreeState=clean"
build apiserver k8s.io/kubernetes kubernetes "$kube_ldflags" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl
build etcd go.etcd.io/etcd/server/v3 etcd "" todo-chatbot/ops/kube/etcd
