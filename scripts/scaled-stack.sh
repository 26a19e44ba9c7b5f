#!/usr/bin/env bash
# Start or stop the scaled stack's services on this machine from Debian packages:
# PostgreSQL (database "studio" and "studio_test", user "studio") and Redis (Celery broker).
#   scripts/scaled-stack.sh start | stop | status | broker-url [db]
# Redis always requires a password: STUDIO_REDIS_PASSWORD, or one generated on first start into
# $STUDIO_STACK_DIR/redis.password (0600). `broker-url 0` prints the Celery broker URL carrying it.
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
PG_USER=studio
PG_PASS=studio
REDIS_PORT=${REDIS_PORT:-6379}
RUN_DIR=${STUDIO_STACK_DIR:-/tmp/studio-stack}
PASS_FILE="$RUN_DIR/redis.password"

redis_password() {
  if [ -n "${STUDIO_REDIS_PASSWORD:-}" ]; then printf '%s' "$STUDIO_REDIS_PASSWORD"; return; fi
  if [ ! -s "$PASS_FILE" ]; then
    (umask 077; mkdir -p "$RUN_DIR"; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$PASS_FILE")
  fi
  cat "$PASS_FILE"
}

rcli() { REDISCLI_AUTH="$(redis_password)" redis-cli -p "$REDIS_PORT" "$@"; }

install_missing() {
  local need=()
  command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
  if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

pg_cluster() { pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1" "$2}'; }

start() {
  install_missing
  mkdir -p "$RUN_DIR"
  read -r ver name <<<"$(pg_cluster)"
  if [ -z "${ver:-}" ]; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1); name=main
    $SUDO pg_createcluster "$ver" "$name" >/dev/null
  fi
  $SUDO pg_ctlcluster "$ver" "$name" start 2>/dev/null || true
  for _ in $(seq 1 30); do
    as_postgres psql -qAtc "select 1" >/dev/null 2>&1 && break
    sleep 0.5
  done
  as_postgres psql -qAtc "select 1 from pg_roles where rolname='$PG_USER'" | grep -q 1 || \
    as_postgres psql -qc "create role $PG_USER login password '$PG_PASS' createdb"
  for db in studio studio_test studio_mig; do
    as_postgres psql -qAtc "select 1 from pg_database where datname='$db'" | grep -q 1 || \
      as_postgres psql -qc "create database $db owner $PG_USER"
  done
  if ! rcli ping 2>/dev/null | grep -q PONG; then
    # the password goes in through stdin (a config file "-"), never on a command line others can read
    printf 'requirepass %s\n' "$(redis_password)" | redis-server - --port "$REDIS_PORT" --bind 127.0.0.1 \
      --save "" --appendonly no --daemonize yes --pidfile "$RUN_DIR/redis.pid" --logfile "$RUN_DIR/redis.log"
    for _ in $(seq 1 30); do rcli ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
  fi
  echo "PostgreSQL $ver/$name and Redis :$REDIS_PORT are running."
}

stop() {
  if [ -f "$RUN_DIR/redis.pid" ]; then
    rcli shutdown nosave >/dev/null 2>&1 || true
    rm -f "$RUN_DIR/redis.pid"
  fi
  read -r ver name <<<"$(pg_cluster)"
  [ -n "${ver:-}" ] && $SUDO pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
  echo "stopped."
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) pg_lsclusters; rcli ping || true ;;
  broker-url) printf 'redis://:%s@127.0.0.1:%s/%s\n' "$(redis_password)" "$REDIS_PORT" "${2:-0}" ;;
  *) echo "usage: $0 start|stop|status|broker-url [db]" >&2; exit 2 ;;
esac
