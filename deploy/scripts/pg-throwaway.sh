#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for tests: initdb in a temporary directory, trust
# authentication, listening on 127.0.0.1 only, on a free port. PostgreSQL refuses to run as root, so as
# root it runs as the postgres user.
#   eval "$(deploy/scripts/pg-throwaway.sh start)"   # exports BIFRO_TEST_POSTGRES and BIFRO_PG_DIR
#   deploy/scripts/pg-throwaway.sh stop "$BIFRO_PG_DIR"
set -euo pipefail
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bin/initdb" ] || { echo "pg-throwaway: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    dir="$(mktemp -d /tmp/bifro-pg-XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
    echo "export BIFRO_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
    echo "export BIFRO_PG_DIR='$dir'"
    ;;
  stop)
    dir="${2:?usage: pg-throwaway.sh stop DIR}"
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-throwaway.sh start | stop DIR" >&2
    exit 2
    ;;
esac
