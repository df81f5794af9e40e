#!/usr/bin/env bash
# npm run test:e2e:dapr — the production path on this machine (issue 8), one command:
# installs kcat if missing (Debian), builds or reuses daprd (ops/daprd/build.sh, Go modules),
# resolves or reuses the Kafka jars (ops/kafka/kafka.sh, Maven Central), then runs the node:test
# suite ops/e2e-dapr/lane.test.ts, which starts PostgreSQL, Redis, Kafka, api, workers and two
# socket nodes each with its own daprd. Every process it starts is gone when it returns.
# Arguments, when given, are the test files to run instead (npm run test:e2e:scale passes
# ops/e2e-scale/scale.test.ts: the same builds, another suite).
set -euo pipefail
cd "$(dirname "$0")/../.."
start=$SECONDS
say() { printf '[dapr-lane] %s (%ss)\n' "$1" "$((SECONDS - start))" >&2; }

if ! command -v kcat >/dev/null; then
  say "installing kcat (Debian) to read Kafka topics"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null
  else
    echo "kcat is missing: sudo apt-get install -y kcat" >&2
    exit 1
  fi
fi
command -v java >/dev/null || { echo "java (17+) is missing" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }

say "daprd"
DAPRD_BIN="$(GOMAXPROCS="${GOMAXPROCS:-2}" ops/daprd/build.sh | tail -n 1)"
export DAPRD_BIN
say "Kafka classpath"
bash ops/kafka/kafka.sh classpath >/dev/null

if [ $# -gt 0 ]; then suites=("$@"); else suites=(ops/e2e-dapr/*.test.ts); fi
say "tests: ${suites[*]}"
# Its own process group, ended whatever happens to it (ops/lane-run.sh).
# shellcheck source=ops/lane-run.sh
. ops/lane-run.sh
run_lane_suite dapr-lane "${suites[@]}"
