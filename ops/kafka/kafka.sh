#!/usr/bin/env bash
# One Apache Kafka 4 broker (KRaft, combined broker+controller) on loopback, run from the jars
# that ops/kafka/pom.xml resolves from Maven Central (cached in ~/.m2; no tarball download).
#
#   kafka.sh classpath                 resolve (once) and print the classpath
#   kafka.sh format DIR PORT CPORT     write DIR/server.properties and format DIR/logs (KRaft, --standalone)
#   kafka.sh run DIR                   exec the broker in the foreground (the lane spawns this)
#   kafka.sh wait PORT [SECONDS]       wait until the broker answers metadata requests
#   kafka.sh topics PORT [NAME:PARTS…] create topics (default: the lane's three; idempotent)
#   kafka.sh lag PORT                  every consumer group's committed offset and lag per partition
#   kafka.sh up DIR PORT CPORT         all of the above, broker in the background; prints its pid
#
# Env: KAFKA_HEAP (default 512m), KAFKA_LOG_LEVEL (WARN), TODO_CACHE_DIR (~/.cache/todo-chatbot).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${TODO_CACHE_DIR:-$HOME/.cache/todo-chatbot}/kafka"

# Topics and partition counts of contracts/src/events/topics.ts (task-events 6, task-updates 6,
# reminders 3); the lane's test checks they agree.
TOPICS="task-events:6 task-updates:6 reminders:3 occurrences:3 notifications:3"

die() { echo "kafka.sh: $*" >&2; exit 1; }

classpath() {
  command -v java >/dev/null || die "java is missing (Java 17+ is needed)"
  local key file
  key="$(sha256sum "$here/pom.xml" | cut -c1-12)"
  file="$cache/classpath-$key.txt"
  if [ -s "$file" ]; then
    local ok=1 jar
    IFS=: read -ra jars <"$file" || true
    for jar in "${jars[@]}"; do [ -f "$jar" ] || { ok=0; break; }; done
    if [ "$ok" = 1 ]; then cat "$file"; return; fi
  fi
  command -v mvn >/dev/null || die "mvn is missing (Maven resolves the Kafka jars)"
  mkdir -p "$cache"
  echo "kafka.sh: resolving the Kafka jars with Maven (first run downloads ~80 MB into ~/.m2)" >&2
  mvn -q -B -f "$here/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$file.tmp" >&2 || die "mvn dependency:build-classpath failed"
  mv -f "$file.tmp" "$file"
  cat "$file"
}

java_run() {
  local main="$1"
  shift
  exec java -Xshare:auto -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m \
    -Dlog4j2.configurationFile="$here/log4j2.properties" \
    -cp "$(classpath)" "$main" "$@"
}

tool() { (java_run "$@"); }

format() {
  local dir="$1" port="$2" cport="$3"
  mkdir -p "$dir"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/logs
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.flush.interval.messages=1
PROPS
  if [ -f "$dir/logs/meta.properties" ]; then
    echo "kafka.sh: $dir is formatted already" >&2
    return
  fi
  local id
  id="$(tool kafka.tools.StorageTool random-uuid)"
  tool kafka.tools.StorageTool format --standalone -t "$id" -c "$dir/server.properties" >&2
}

wait_ready() {
  local port="$1" limit="${2:-60}" start=$SECONDS
  until kcat_or_java_probe "$port"; do
    [ $((SECONDS - start)) -lt "$limit" ] || die "no Kafka broker on 127.0.0.1:$port after ${limit}s"
    sleep 0.3
  done
}

# kcat answers metadata in milliseconds; without it, a plain TCP connect is the readiness check.
kcat_or_java_probe() {
  if command -v kcat >/dev/null; then
    kcat -b "127.0.0.1:$1" -L -m 2 >/dev/null 2>&1
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

topics() {
  local port="$1" spec name parts specs
  shift
  specs="${*:-$TOPICS}"
  for spec in $specs; do
    name="${spec%%:*}"
    parts="${spec##*:}"
    tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --create \
      --if-not-exists --topic "$name" --partitions "$parts" --replication-factor 1 >&2
  done
}

lag() {
  tool org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server "127.0.0.1:$1" \
    --describe --all-groups
}

cmd="${1:-}"
shift || true
case "$cmd" in
  classpath) classpath ;;
  format) format "$@" ;;
  run)
    [ -f "$1/server.properties" ] || die "$1 is not formatted: run kafka.sh format first"
    java_run kafka.Kafka "$1/server.properties"
    ;;
  wait) wait_ready "$@" ;;
  topics) topics "$@" ;;
  lag) lag "$@" ;;
  up)
    dir="$1" port="$2" cport="$3"
    classpath >/dev/null
    format "$dir" "$port" "$cport"
    "$0" run "$dir" >"$dir/broker.log" 2>&1 &
    pid=$!
    wait_ready "$port" 60 || { kill "$pid" 2>/dev/null; cat "$dir/broker.log" >&2; exit 1; }
    topics "$port"
    echo "$pid"
    ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
