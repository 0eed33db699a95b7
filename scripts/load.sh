#!/usr/bin/env bash
# load.sh — measure POST /v1/codes of "offcode serve" on loopback, with every
# code durably audited before its response (SPEC.md §5.3, BENCHMARKS.md),
# on each store backend in one run: SQLite, then PostgreSQL.
#
# For each backend:
# Phase 1, first-time identities: PEOPLE requests, each for a person the
# service has never seen (one Argon2id per request).
# Phase 2, re-issues: the service is restarted on the same store (empty
# memory cache) and N requests cycle over the same PEOPLE people.
# Each phase runs under its own CPU profile, summarised with pprof -top.
#
# PostgreSQL: PG_DSN names a database to use (a fresh schema is made in it);
# without it the script starts a throwaway cluster (Debian's postgresql,
# as the postgres user when run as root) on a unix socket in its work
# directory, with the server's defaults (fsync and synchronous_commit on).
#
# Usage: scripts/load.sh   (env: BACKENDS="sqlite postgres" PEOPLE=5000 N=60000
# C=32 CF=8 PORT=18080 PG_DSN=; C and CF are the requests in flight for
# re-issues and first-time identities; SERVE_FLAGS adds options to offcode
# serve, e.g. SERVE_FLAGS="--cache 0")
set -euo pipefail
cd "$(dirname "$0")/.."
BACKENDS=${BACKENDS:-"sqlite postgres"}
PEOPLE=${PEOPLE:-5000} N=${N:-60000} C=${C:-32} CF=${CF:-8} PORT=${PORT:-18080}
work=$(mktemp -d "${TMPDIR:-/tmp}/offcode-load.XXXXXX")
go build -o "$work/offcode" ./cmd/offcode
go build -o "$work/offcode-load" ./cmd/offcode-load
cd "$work"
TOKEN=$(./offcode token add load --scope issue --tokens tokens.json 2>/dev/null)
head -c 32 /dev/urandom >offcode.secret
chmod 600 offcode.secret
url=http://127.0.0.1:$PORT
pgstop=: as_pg=""
trap 'eval "$pgstop"' EXIT

serve() { # serve DB PROFILE
	# Limits far above the load, so that they do not shape it.
	./offcode serve --addr "127.0.0.1:$PORT" --db "$1" --log-level warn --rate 1000000 --burst 100000 \
		--new-rate 1000000 --new-burst 100000 --cpuprofile "$2" ${SERVE_FLAGS:-} 2>>serve.log &
	pid=$!
	for _ in $(seq 200); do curl -sf "$url/readyz" >/dev/null && return; sleep 0.05; done
	echo "load.sh: the service did not start:"; cat serve.log; exit 1
}
stop() { kill -TERM "$pid"; wait "$pid"; }

run_pg() { if [ -n "$as_pg" ]; then $as_pg "$*"; else sh -c "$*"; fi; }
postgres_dsn() { # sets pg_dsn to a fresh PostgreSQL database or schema
	if [ -n "${PG_DSN:-}" ]; then
		schema=load_$$
		psql -q "$PG_DSN" -c "CREATE SCHEMA $schema"
		case $PG_DSN in *\?*) pg_dsn="$PG_DSN&search_path=$schema" ;; *) pg_dsn="$PG_DSN?search_path=$schema" ;; esac
		return
	fi
	pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	mkdir -m 700 "$work/pg"
	if [ "$(id -u)" = 0 ]; then chown postgres "$work/pg"; chmod 755 "$work"; as_pg="su postgres -s /bin/sh -c"; fi
	run_pg "'$pgbin/initdb' -D '$work/pg/data' -U postgres -A trust >'$work/pg/initdb.log'"
	run_pg "'$pgbin/pg_ctl' -D '$work/pg/data' -l '$work/pg/server.log' -w -o \"-k '$work/pg' -c listen_addresses='' -p 54329\" start" >/dev/null
	pgstop="run_pg \"'$pgbin/pg_ctl' -D '$work/pg/data' -m fast stop\" >/dev/null"
	pg_dsn="postgres:///postgres?host=$work/pg&port=54329&user=postgres"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), go $(go env GOVERSION)"
for backend in $BACKENDS; do
	case $backend in
	sqlite) db=offcode.db ;;
	postgres) postgres_dsn; db=$pg_dsn ;;
	*) echo "load.sh: unknown backend $backend (want sqlite or postgres)"; exit 2 ;;
	esac
	serve "$db" "$backend-first.pprof"
	echo "## $backend: first-time identities: $PEOPLE requests, concurrency $CF"
	./offcode-load --url "$url" --token "$TOKEN" --people "$PEOPLE" --n "$PEOPLE" --concurrency "$CF" --duration 120s
	stop
	serve "$db" "$backend-reissue.pprof"
	echo "## $backend: re-issues to the same $PEOPLE people after a restart: $N requests, concurrency $C"
	./offcode-load --url "$url" --token "$TOKEN" --people "$PEOPLE" --n "$N" --concurrency "$C" --duration 120s | tee "$backend-reissue.txt"
	curl -s "$url/metrics" | awk '/^offcode_audit_(commits|records)_total/ {v[$1]=$2}
		END {printf "group commit: %d records in %d transactions, %.1f per commit\n", v["offcode_audit_records_total"], v["offcode_audit_commits_total"], v["offcode_audit_records_total"]/v["offcode_audit_commits_total"]}'
	stop
	echo "## $backend: audit trail"
	./offcode audit --db "$db" 2>&1 >/dev/null | tail -1
	for p in first reissue; do
		echo "## $backend: CPU profile, $p: where the service's time goes (cumulative)"
		go tool pprof -top -cum -nodecount=1000 offcode "$backend-$p.pprof" 2>/dev/null |
			grep -E 'Total samples|conn\).serve$|Service\).(handleIssue|sign|lookupPerson)$|argon2.processBlocks.func1$|ed25519.Sign( \(inline\))?$|(sqliteStore|pgStore)\).(commit|Person)$|_unixSync$|poll.\(\*FD\).(Read|Write)$|gcBgMarkWorker$' || true
	done
done
echo "## summary: durable re-issues"
for backend in $BACKENDS; do
	sed -E "s/.* ([0-9]+) codes\/s; latency ms .* p99 ([0-9.]+) .*/$backend: \1 re-issues\/s, p99 \2 ms/" "$backend-reissue.txt"
done
echo "# files in $work"
