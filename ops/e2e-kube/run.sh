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
# The suite runs in its own process group: whatever happens to it, the trap below ends every
# process it started (etcd, kube-apiserver, kube-controller-manager).
setsid node --conditions=source --import tsx --test --test-concurrency=1 \
  --test-timeout="${LANE_TIMEOUT_MS:-600000}" ops/e2e-kube/kube.test.ts &
suite=$!
cleanup() {
  if kill -0 -- "-$suite" 2>/dev/null; then
    kill -TERM -- "-$suite" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$suite" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$suite" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM
set +e
wait "$suite"
code=$?
set -e
cleanup
say "done (exit $code)"
exit "$code"
