#!/usr/bin/env bash
# Shared by the heavy lanes (ops/e2e-dapr/run.sh, ops/e2e-kube/run.sh); sourced, not run.
# run_lane_suite PREFIX FILE...: runs the node:test files in their own process group and
# returns their exit code. Whatever happens to the suite (a failure, a timeout, Ctrl-C), every
# process it started (brokers, sidecars, services, databases, control planes) is ended when
# this returns: TERM to the group, then KILL to what is left after 10 s.

run_lane_suite() {
  local prefix=$1
  shift
  setsid node --conditions=source --import tsx --test --test-concurrency=1 \
    --test-timeout="${LANE_TIMEOUT_MS:-600000}" "$@" &
  LANE_SUITE_PID=$!
  trap lane_cleanup EXIT INT TERM
  local code
  set +e
  wait "$LANE_SUITE_PID"
  code=$?
  set -e
  # The suite stops what it started; anything left in its group is killed here.
  lane_cleanup
  printf '[%s] done (exit %s) (%ss)\n' "$prefix" "$code" "$((SECONDS - ${start:-0}))" >&2
  return "$code"
}

lane_cleanup() {
  local group=${LANE_SUITE_PID:-}
  [ -n "$group" ] || return 0
  if kill -0 -- "-$group" 2>/dev/null; then
    kill -TERM -- "-$group" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$group" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$group" 2>/dev/null || true
  fi
}
