#!/usr/bin/env bash
# bench/pgcluster.sh start|stop|status|url [DIR]: a persistent PostgreSQL cluster for the benches.
#
#   bench/pgcluster.sh start                 # initdb once, start, print the URL
#   ./run python -m bench.engine --database-url "$(bench/pgcluster.sh url)" --members 100000
#   bench/pgcluster.sh stop
#
# Unlike .ci/postgres (a throwaway cluster per command), this cluster lives in DIR (default
# /work/benchdata/pg, outside the repository) across runs, so a built synthetic server (the
# database daybook_bench_<members>_<seed>_v<BUILD_VERSION>, see bench/backend.py) is built once
# and reused by every later bench run. It listens on 127.0.0.1 only, on a fixed port
# (DAYBOOK_BENCH_PG_PORT, default 54400), with trust auth and its socket in DIR.
#
# Settings: those of .ci/postgres (fsync, full_page_writes off: the data can always be rebuilt)
# except synchronous_commit, which stays on as a production server has it (PostgreSQL's default),
# so a commit waits for its WAL write; plus a bench's memory (shared_buffers 512MB,
# maintenance_work_mem 256MB for the index builds after a load, max_wal_size 4GB so a bulk load
# is not one checkpoint after another).
#
# The binaries and the 'postgres' owner when run as root are found as .ci/postgres finds them.
set -euo pipefail

pg_lib=${DAYBOOK_PG_LIB:-/usr/lib/postgresql}
port=${DAYBOOK_BENCH_PG_PORT:-54400}

die() {
    printf 'bench/pgcluster.sh: error: %s\n' "$*" >&2
    exit 1
}
say() { printf 'bench/pgcluster.sh: %s\n' "$*" >&2; }

[ "$#" -ge 1 ] && [ "$#" -le 2 ] || die "usage: bench/pgcluster.sh start|stop|status|url [DIR]"
action=$1
dir=$(realpath -m "${2:-/work/benchdata/pg}")
data=$dir/data
url="postgresql+asyncpg://postgres@127.0.0.1:$port/postgres"

# The bin folder of the newest installed version with a server (as .ci/postgres).
find_bindir() {
    local dir
    while IFS= read -r dir; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
            printf '%s\n' "$dir"
            return 0
        fi
    done < <(printf '%s\n' "$pg_lib"/*/bin | sort -V -r)
    return 1
}

bindir=$(find_bindir) ||
    die "no PostgreSQL server under $pg_lib/*/bin: run .ci/postgres true once as root" \
        "(it installs Debian's postgresql package), or install it yourself."

if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root, but there is no 'postgres' user"
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

server() { (cd "$dir" && as_owner "$bindir/pg_ctl" -D "$data" "$@"); }
running() { [ -f "$data/postmaster.pid" ] && server status >/dev/null 2>&1; }

init_cluster() {
    mkdir -p "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    (cd "$dir" && as_owner "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 \
        --no-locale >"$dir/initdb.log" 2>&1) || {
        cat "$dir/initdb.log" >&2
        die "initdb failed"
    }
    cat >>"$data/postgresql.conf" <<CONF

# bench/pgcluster.sh: a persistent bench server
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
synchronous_commit = on
shared_buffers = 512MB
maintenance_work_mem = 256MB
max_wal_size = 4GB
CONF
    say "created a cluster in $data"
}

case $action in
start)
    [ -f "$data/PG_VERSION" ] || init_cluster
    if running; then
        say "already running in $data"
    else
        if python3 -c "import socket, sys
s = socket.socket()
sys.exit(s.connect_ex(('127.0.0.1', $port)) != 0)" 2>/dev/null; then
            die "something else listens on 127.0.0.1:$port (set DAYBOOK_BENCH_PG_PORT)"
        fi
        server -l "$dir/server.log" -w -t 120 start >/dev/null || {
            tail -n 20 "$dir/server.log" >&2 || true
            die "the server in $data did not start"
        }
        say "PostgreSQL $("$bindir/postgres" --version | cut -d' ' -f3) on 127.0.0.1:$port"
    fi
    printf '%s\n' "$url"
    ;;
stop)
    if running; then
        server -m fast -w -t 120 stop >/dev/null
        say "stopped the server in $data"
    else
        say "no server running in $data"
    fi
    ;;
status)
    if running; then
        say "running in $data on 127.0.0.1:$port"
    else
        say "not running ($data)"
        exit 3
    fi
    ;;
url)
    printf '%s\n' "$url"
    ;;
*)
    die "unknown action '$action': start, stop, status or url"
    ;;
esac
