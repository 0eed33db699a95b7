#!/usr/bin/env bash
# crash-two.sh — two "offcode serve" instances on one PostgreSQL database
# take load; one is killed with SIGKILL; the other must keep serving, and
# every code a client received from either (a complete 201 body) must be in
# the audit trail read through the survivor. The same check runs in the test
# suite as TestKillOneOfTwo (internal/service/multi_test.go, -tags postgres); this
# script does it with the real binary and curl.
#
# PG_DSN names the database to use (a fresh schema is made in it); without
# it the script starts a throwaway cluster on a unix socket in its work
# directory (as the postgres user when run as root).
#
# Usage: scripts/crash-two.sh   (env: CLIENTS=4 SECONDS_BEFORE=2 SECONDS_AFTER=2 PORT=18082 PG_DSN=)
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-4} SECONDS_BEFORE=${SECONDS_BEFORE:-2} SECONDS_AFTER=${SECONDS_AFTER:-2} PORT=${PORT:-18082}
work=$(mktemp -d "${TMPDIR:-/tmp}/offcode-crash-two.XXXXXX")
go build -o "$work/offcode" ./cmd/offcode
cd "$work"
as_pg="" pgstop=:
trap 'eval "$pgstop"' EXIT
run_pg() { if [ -n "$as_pg" ]; then $as_pg "$*"; else sh -c "$*"; fi; }
if [ -n "${PG_DSN:-}" ]; then
	schema=crash_$$
	psql -q "$PG_DSN" -c "CREATE SCHEMA $schema"
	case $PG_DSN in *\?*) db="$PG_DSN&search_path=$schema" ;; *) db="$PG_DSN?search_path=$schema" ;; esac
else
	pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	mkdir -m 700 pg
	if [ "$(id -u)" = 0 ]; then chown postgres pg; chmod 755 "$work"; as_pg="su postgres -s /bin/sh -c"; fi
	run_pg "'$pgbin/initdb' -D '$work/pg/data' -U postgres -A trust >'$work/pg/initdb.log'"
	run_pg "'$pgbin/pg_ctl' -D '$work/pg/data' -l '$work/pg/server.log' -w -o \"-k '$work/pg' -c listen_addresses='' -p 54329\" start" >/dev/null
	pgstop="run_pg \"'$pgbin/pg_ctl' -D '$work/pg/data' -m fast stop\" >/dev/null"
	db="postgres:///postgres?host=$work/pg&port=54329&user=postgres"
fi
./offcode keygen --key issuer.pem --trust trust.json >/dev/null 2>&1
head -c 32 /dev/urandom >offcode.secret
chmod 600 offcode.secret
TOKEN=$(./offcode token add crash --scope issue,audit --tokens tokens.json 2>/dev/null)

start() { # start N PORT: instance N on PORT
	./offcode serve --addr "127.0.0.1:$2" --key issuer.pem --db "$db" --log-level warn 2>>"serve$1.log" &
	eval "pid$1=$!"
	for _ in $(seq 200); do curl -sf "http://127.0.0.1:$2/readyz" >/dev/null && return; sleep 0.05; done
	echo "crash-two.sh: instance $1 did not start"; cat "serve$1.log"; exit 1
}
client() { # client N PORT: issue codes until told to stop or the server is gone
	local i=0
	while [ ! -e stop ]; do
		i=$((i + 1))
		body=$(curl -sS --fail-with-body -m 5 -H "Authorization: Bearer $TOKEN" \
			-d "{\"id\":\"11010519491231002X\",\"colour\":\"green\"}" "http://127.0.0.1:$2/v1/codes" 2>/dev/null) || { [ "$2" = "$PORT" ] && return 0; continue; }
		serial=$(printf '%s' "$body" | grep -o '"serial":"[0-9a-f]*"' | cut -d'"' -f4)
		[ -n "$serial" ] && echo "$serial" >>"received.$1.$2"
	done
}

a=$PORT b=$((PORT + 1))
start 1 "$a"
start 2 "$b"
for c in $(seq "$CLIENTS"); do client "$c" "$a" & client "$c" "$b" & done
sleep "$SECONDS_BEFORE"
kill -KILL "$pid1"
wait "$pid1" 2>/dev/null || true
before=$(cat received.* | wc -l)
echo "SIGKILL of instance 1 after $before codes received from both"
sleep "$SECONDS_AFTER"
touch stop
wait $(jobs -p | grep -v "^$pid2$") 2>/dev/null || true
after=$(cat received.*."$b" | wc -l)
kill -TERM "$pid2"; wait "$pid2" || true
./offcode audit --db "$db" --json 2>/dev/null | grep -o '"serial":"[0-9a-f]*"' | cut -d'"' -f4 | sort >audited
sort -u received.* >received
missing=$(comm -23 received audited | wc -l)
echo "instance 2 kept serving: $(($(cat received.* | wc -l) - before)) codes after the kill ($after from it in all)"
echo "received $(wc -l <received) codes; audit trail holds $(wc -l <audited); missing from the trail: $missing"
[ "$missing" -eq 0 ] && [ "$(($(cat received.* | wc -l) - before))" -gt 0 ]
