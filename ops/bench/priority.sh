#!/usr/bin/env bash
# Runs a benchmark command at the highest CPU weight, so other work on the machine (another
# session's test suite) takes little CPU from the measurement. `nice` alone is not enough:
# Linux schedules each session's autogroup fairly against the others, whatever its members'
# nice values, so the command gets a new session (setsid) whose autogroup gets nice -20.
# Needs root (CAP_SYS_NICE); without it the command runs at normal priority, with a warning.
#   ops/bench/priority.sh npm run bench
#   ops/bench/priority.sh env BENCH_RATE=500 npx tsx --conditions=source ops/bench/crud-latency.ts
set -euo pipefail
if [ -z "${TODO_BENCH_PRIORITY:-}" ]; then
  TODO_BENCH_PRIORITY=1 exec setsid --wait "$0" "$@"
fi
if ! { echo -20 > /proc/self/autogroup; } 2>/dev/null; then
  echo "priority.sh: could not raise this session's CPU weight; measuring at normal priority" >&2
  exec "$@"
fi
exec nice -n -20 "$@"
