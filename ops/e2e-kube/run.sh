#!/usr/bin/env bash
# npm run test:e2e:kube — the Helm chart applied to a real Kubernetes API server (issue 18 item 4):
# builds or reuses etcd, kube-apiserver, kube-controller-manager and kubectl (ops/kube/build.sh,
# Go modules) and helm (ops/deploy/install-tools.sh), then runs ops/e2e-kube/kube.test.ts, which
# starts the control plane on 127.0.0.1 and installs, upgrades and rolls back the chart.
# Every process it starts is gone when it returns.
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
say() { printf '[kube-lane] %s (%ss)\n' "$1" "$((SECONDS - start))" >&2; }
command -v openssl >/dev/null || { echo "openssl is missing: apt-get install -y openssl" >&2; exit 1; }

say "etcd, kube-apiserver, kube-controller-manager, kubectl"
while IFS='=' read -r name path; do export "$name=$path"; done < <(GOMAXPROCS="${GOMAXPROCS:-2}" ops/kube/build.sh)
say "helm"
export TOOLS_DIR="${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-chatbot/deploy-tools}"
bash ops/deploy/install-tools.sh
# shellcheck source=/dev/null
. "$TOOLS_DIR/env.sh"

say "tests"
# Its own process group, ended whatever happens to it (ops/lane-run.sh): etcd,
# kube-apiserver, kube-controller-manager.
# shellcheck source=ops/lane-run.sh
. ops/lane-run.sh
run_lane_suite kube-lane ops/e2e-kube/kube.test.ts
