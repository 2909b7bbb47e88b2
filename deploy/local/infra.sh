#!/usr/bin/env bash
# Local infrastructure for tests, benchmarks and development, without Docker:
# a single-node KRaft Kafka broker run from Apache Kafka's jars (resolved from
# Maven Central) and a Redis server. Usage: infra.sh up|down|status|env
#
#   NIGHTJAR_KAFKA_PORT       broker port (default 9092; the controller uses +1)
#   NIGHTJAR_KAFKA_DATA_DIR   broker storage (default <repo>/.data/kafka)
#   NIGHTJAR_REDIS_PORT       port for a Redis started here when none answers on 6379
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUN="$HERE/.run"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/kafka/pom.xml")"
KAFKA_LIBS="$ROOT/.cache/kafka-$KAFKA_VERSION/libs"
KAFKA_PORT="${NIGHTJAR_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="$((KAFKA_PORT + 1))"
KAFKA_DATA="${NIGHTJAR_KAFKA_DATA_DIR:-$ROOT/.data/kafka}"
export PATH="$ROOT/.tools/bin:$PATH"
mkdir -p "$RUN"
log() { printf '[infra] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

apt_install() {
  log "installing $* from Debian's packages"
  if [[ ! -f "$RUN/apt-updated" ]]; then apt-get update -qq >&2 && touch "$RUN/apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

ensure_java_and_maven() {
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
}

fetch_kafka() {
  [[ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] && return
  ensure_java_and_maven
  log "resolving Apache Kafka $KAFKA_VERSION jars with Maven"
  rm -rf "$KAFKA_LIBS.partial"
  mvn -q -B -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS.partial" >&2
  mv "$KAFKA_LIBS.partial" "$KAFKA_LIBS"
}

kafka_running() { [[ -f "$RUN/kafka.pid" ]] && kill -0 "$(cat "$RUN/kafka.pid")" 2>/dev/null; }

start_kafka() {
  if kafka_running; then log "kafka already running (pid $(cat "$RUN/kafka.pid"))"; return; fi
  if port_open "$KAFKA_PORT"; then
    log "something already listens on 127.0.0.1:$KAFKA_PORT; using it as the broker"
    return
  fi
  fetch_kafka
  mkdir -p "$KAFKA_DATA/log" "$KAFKA_DATA/logs"
  sed -e "s:@PORT@:$KAFKA_PORT:g" -e "s:@CONTROLLER_PORT@:$KAFKA_CONTROLLER_PORT:g" -e "s:@DATA_DIR@:$KAFKA_DATA:g" \
    "$HERE/kafka/server.properties.template" > "$KAFKA_DATA/server.properties"
  local java_opts=(-Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$HERE/kafka/log4j2.properties" "-Dkafka.logs.dir=$KAFKA_DATA/logs")
  if [[ ! -f "$KAFKA_DATA/log/meta.properties" ]]; then
    log "formatting KRaft storage in $KAFKA_DATA"
    java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format \
      -t "$(java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
      -c "$KAFKA_DATA/server.properties" >/dev/null 2>"$KAFKA_DATA/logs/format.log"
  fi
  log "starting kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (log: $KAFKA_DATA/logs/server.log)"
  nohup java "${java_opts[@]}" -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_DATA/server.properties" \
    >"$KAFKA_DATA/logs/stdout.log" 2>&1 </dev/null &
  echo $! > "$RUN/kafka.pid"
  echo kafka >> "$RUN/started"
  if ! node "$HERE/wait-for-kafka.ts" "127.0.0.1:$KAFKA_PORT" 90000; then
    log "kafka did not answer a metadata request; last lines of its log:"
    tail -n 30 "$KAFKA_DATA/logs/server.log" >&2 || true
    exit 1
  fi
}

stop_kafka() {
  kafka_running || return 0
  local pid; pid="$(cat "$RUN/kafka.pid")"
  log "stopping kafka (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$RUN/kafka.pid"
}

redis_port() { cat "$RUN/redis.port" 2>/dev/null || echo 6379; }
redis_running_here() { [[ -f "$RUN/redis.pid" ]] && kill -0 "$(cat "$RUN/redis.pid")" 2>/dev/null; }

redis_answers() { # port
  [[ "$(printf 'PING\r\n' | timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1; cat >&3; head -c 5 <&3" 2>/dev/null)" == "+PONG" ]]
}

start_redis() {
  if redis_answers 6379; then echo 6379 > "$RUN/redis.port"; log "using the Redis on 127.0.0.1:6379"; return; fi
  if redis_running_here && redis_answers "$(redis_port)"; then log "redis already running on $(redis_port)"; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  local port="${NIGHTJAR_REDIS_PORT:-6380}"
  while port_open "$port"; do port=$((port + 1)); done
  mkdir -p "$ROOT/.data/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$ROOT/.data/redis" --pidfile "$RUN/redis.pid" --logfile "$ROOT/.data/redis/redis.log" >&2
  for _ in $(seq 1 50); do redis_answers "$port" && break; sleep 0.1; done
  echo "$port" > "$RUN/redis.port"
  echo redis >> "$RUN/started"
  log "started redis on 127.0.0.1:$port"
}

stop_redis() {
  redis_running_here || return 0
  log "stopping redis (pid $(cat "$RUN/redis.pid"))"
  kill -TERM "$(cat "$RUN/redis.pid")"
  rm -f "$RUN/redis.pid" "$RUN/redis.port"
}

print_env() {
  echo "NIGHTJAR_KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
  echo "NIGHTJAR_REDIS_URL=redis://127.0.0.1:$(redis_port)"
}

case "${1:-}" in
  up)
    start_redis
    start_kafka
    print_env | tee "$RUN/env"
    ;;
  down)
    stop_kafka
    stop_redis
    rm -f "$RUN/started" "$RUN/env"
    ;;
  status)
    if kafka_running; then echo "kafka: running (pid $(cat "$RUN/kafka.pid")) on 127.0.0.1:$KAFKA_PORT"; else echo "kafka: not started here"; fi
    if redis_answers "$(redis_port)"; then echo "redis: answering on 127.0.0.1:$(redis_port)"; else echo "redis: not answering"; fi
    ;;
  env) print_env ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
