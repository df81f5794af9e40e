#!/usr/bin/env bash
# npm run test:deploy — the deploy checks of issue 7, on a machine without a Docker engine:
#   helm lint + helm template (default and DOKS values) validated against the Kubernetes JSON
#   schemas, docker-compose.yaml against the Compose spec and the services' config modules,
#   the Dapr components against Dapr's documented metadata, the workflows with actionlint,
#   the Dockerfiles' shape. Tools come from package registries (ops/deploy/install-tools.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

start=$SECONDS
export TOOLS_DIR="${TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-chatbot/deploy-tools}"
bash ops/deploy/install-tools.sh
# shellcheck source=/dev/null
. "$TOOLS_DIR/env.sh"
echo "[test:deploy] tools ready in $((SECONDS - start))s"

# The tests are strict TypeScript: typecheck them before running them.
npx tsc -p ops/deploy/tsconfig.json

node --conditions=source --import tsx --test --test-concurrency=1 --test-reporter=spec \
  ops/deploy/test/*.test.ts
