#!/usr/bin/env bash
# A real PostgreSQL (Debian's postgresql-15) on 127.0.0.1:5432 inside its own network
# namespace, for experiments/postgres-port-block.yaml and its test.
#
#   scripts/postgres-netns.sh start NETNS DIR   # creates NETNS, initdb into DIR, starts; ~4 s
#   scripts/postgres-netns.sh stop NETNS DIR    # stops the server, deletes NETNS and DIR
#
# Needs root (ip netns) and the postgres user the package creates; the server itself runs
# as postgres (it refuses root), with trust auth on loopback and fsync off: a test database.
set -euo pipefail
cmd=${1:?start|stop} ns=${2:?network namespace name} dir=${3:?data directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/postgres" ] || { echo "postgres-netns.sh: no PostgreSQL server (apt-get install postgresql)" >&2; exit 3; }
case "$cmd" in
  start)
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    mkdir -p "$dir"
    chown postgres: "$dir"
    runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log"
    ip netns exec "$ns" runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -c port=5432 -k $dir -c fsync=off" start >/dev/null
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    fi
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$dir"
    ;;
  *) echo "postgres-netns.sh: start or stop" >&2; exit 2 ;;
esac
