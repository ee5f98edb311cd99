#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests: loopback only, run by the `postgres`
# system user (the server refuses root), in a new temporary data folder, on a free port.
# Prints the URL on stdout (the last line) for PEDIGREE_TEST_POSTGRES; the server log is
# in the data folder. Stop it with: su postgres -c "pg_ctl -D DATADIR stop"
#
#   export PEDIGREE_TEST_POSTGRES=$(Scripts/start-test-postgres.sh | tail -1)
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$BIN/initdb" ]] || { echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 1; }
RUNAS=postgres
id "$RUNAS" >/dev/null 2>&1 || { echo "no '$RUNAS' system user (installed by the postgresql package)" >&2; exit 1; }

DATA=$(mktemp -d /tmp/pedigree-pg.XXXXXX)
chown "$RUNAS" "$DATA"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() { if [[ $(id -u) == 0 ]]; then su "$RUNAS" -s /bin/sh -c "$1"; else sh -c "$1"; fi; }

as_pg "'$BIN/initdb' -D '$DATA/db' -U pedigree --auth=trust --encoding=UTF8 --locale=C.UTF-8 >'$DATA/initdb.log' 2>&1"
as_pg "'$BIN/pg_ctl' -D '$DATA/db' -l '$DATA/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DATA' -c fsync=off -c max_connections=100\" start >/dev/null"
as_pg "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U pedigree pedigree_test"
echo "PostgreSQL on 127.0.0.1:$PORT, data in $DATA/db (stop: su $RUNAS -s /bin/sh -c \"$BIN/pg_ctl -D $DATA/db stop\")" >&2
echo "postgres://pedigree@127.0.0.1:$PORT/pedigree_test"
