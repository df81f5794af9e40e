#!/usr/bin/env bash
# Fuzzes the public REST API with schemathesis (every check) against the whole stack, started
# the way `npm start` starts it (launcher, gateway, embedded PostgreSQL, private Redis) on free
# ports with throw-away data, signed in with a real bearer JWT. Fails on any 5xx, any response
# that breaks the OpenAPI document, and every other schemathesis check (all are on: see
# ops/fuzz/schemathesis.toml, which also lists the few per-operation exceptions and why).
#
#   npm run test:fuzz                 (FUZZ_MAX_EXAMPLES=N per operation, default 60)
#
# schemathesis comes from PyPI into a venv cached (by version) under
# ${XDG_CACHE_HOME:-~/.cache}/todo-chatbot, shared by every clone on the machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SCHEMATHESIS_VERSION=4.32.5
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/todo-chatbot/schemathesis-$SCHEMATHESIS_VERSION"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-60}"
log() { printf '[fuzz] %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/schemathesis" ]; then
  log "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# Free ports: the gateway's, and an offset that moves every internal port (services, PostgreSQL)
# away from a developer's own `npm start`.
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
PORT="$(free_port)"
# (embedded PostgreSQL is 54329 + offset, so the offset stays under 11,000)
OFFSET=$((1000 + (RANDOM % 1000) * 10))
DATA="$(mktemp -d -t todo-fuzz-XXXXXX)"
chmod 755 "$DATA" # embedded PostgreSQL runs as an unprivileged user when we are root
BASE="http://127.0.0.1:$PORT"
STACK_LOG="$DATA/stack.log"

# The fuzzer is one client sending thousands of requests: the limits are not under test here
# (api/test/auth-hardening.test.ts tests them), so they are raised for this run only.
export PORT PORT_OFFSET="$OFFSET" DATA_DIR="$DATA" PUBLIC_URL="$BASE" LOG_LEVEL=warn
export RATE_LIMIT_PER_MINUTE=1000000
for name in SIGN_IN SIGN_UP PASSWORD_RESET TOKEN; do
  export "AUTH_LIMIT_${name}_PER_IP=1000000"
done
export AUTH_LIMIT_SIGN_IN_PER_ACCOUNT=1000000 AUTH_LIMIT_SIGN_UP_PER_ACCOUNT=1000000
export AUTH_LIMIT_PASSWORD_RESET_PER_ACCOUNT=1000000 AUTH_LIMIT_TOKEN_PER_SESSION=1000000

log "starting the stack on $BASE (internal ports +$OFFSET, data in $DATA)"
node --conditions=source --import tsx ops/src/launcher/main.ts >"$STACK_LOG" 2>&1 &
STACK_PID=$!
cleanup() {
  kill -INT "$STACK_PID" 2>/dev/null || true
  wait "$STACK_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS "$BASE/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$STACK_PID" 2>/dev/null; then
    log "the stack exited:"
    tail -n 40 "$STACK_LOG" >&2
    exit 1
  fi
  sleep 1
done
curl -fsS "$BASE/health/ready" >/dev/null || {
  log "the stack was not ready in 120 s"
  tail -n 40 "$STACK_LOG" >&2
  exit 1
}

# A real user: sign up, sign in, trade the session token for a JWT (valid 15 minutes).
EMAIL="fuzz-$RANDOM$RANDOM@example.com"
CREDENTIALS="\"email\":\"$EMAIL\",\"password\":\"correct-horse-battery\""
curl -fsS -X POST "$BASE/api/auth/sign-up/email" -H 'content-type: application/json' \
  -d "{$CREDENTIALS,\"name\":\"Fuzz\"}" >/dev/null
SESSION="$(curl -fsS -X POST "$BASE/api/auth/sign-in/email" -H 'content-type: application/json' -d "{$CREDENTIALS}" |
  node -pe 'JSON.parse(require("fs").readFileSync(0)).token')"
JWT="$(curl -fsS "$BASE/api/auth/token" -H "Authorization: Bearer $SESSION" |
  node -pe 'JSON.parse(require("fs").readFileSync(0)).token')"

log "schemathesis $SCHEMATHESIS_VERSION: every check, $MAX_EXAMPLES examples per operation"
set +e
export FUZZ_SESSION_TOKEN="$SESSION"
# From the throw-away folder: schemathesis keeps a crash cache in its working directory.
cd "$DATA"
# NUL characters are refused in every text field (a documented API-wide rule, see the
# document's description): not generating them keeps "valid" inputs valid.
"$VENV/bin/schemathesis" --config-file "$ROOT/ops/fuzz/schemathesis.toml" run "$BASE/api/v1/openapi.json" \
  --url "$BASE" \
  --header "Authorization: Bearer $JWT" \
  --max-examples "$MAX_EXAMPLES" \
  --workers 1 \
  --request-timeout 10 \
  --seed 13 \
  --generation-database none \
  --generation-allow-x00 false \
  --no-color
status=$?
set -e
errors="$(grep -c '"level":50' "$STACK_LOG" || true)"
if [ "$errors" -gt 0 ]; then
  log "the stack logged $errors errors during the run (first 5, cut):"
  grep '"level":50' "$STACK_LOG" | head -n 5 | cut -c1-400 >&2
fi
exit "$status"
