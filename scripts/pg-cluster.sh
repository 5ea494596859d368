#!/usr/bin/env bash
# A throwaway PostgreSQL (with PostGIS) for the tests, in a temporary folder, on a Unix socket.
#   scripts/pg-cluster.sh start DIR   prints the store URL (postgresql://…) when it is ready
#   scripts/pg-cluster.sh stop DIR    stops it and removes DIR
# initdb refuses to run as root, so as root the cluster runs as the unprivileged user "nobody".
set -euo pipefail
action=$1 dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] || { echo "pg-cluster: PostgreSQL is not installed (apt-get install postgresql postgis)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
case $action in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown nobody "$dir"
    chmod 755 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bindir/initdb" -D "$dir/data" -U coplan -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    # Throwaway data: no fsync. Enough connections for several server processes and pools.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-k $dir -c listen_addresses= -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://coplan@/postgres?host=$dir&port=5432"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
