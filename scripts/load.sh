#!/usr/bin/env bash
# load.sh — measure POST /v1/codes of "offcode serve" on loopback, with every
# code durably audited before its response (SPEC.md §5.3, BENCHMARKS.md).
#
# Phase 1, first-time identities: PEOPLE requests, each for a person the
# service has never seen (one Argon2id per request).
# Phase 2, re-issues: the service is restarted on the same store (empty
# memory cache) and N requests cycle over the same PEOPLE people.
# Each phase runs under its own CPU profile, summarised with pprof -top.
#
# Usage: scripts/load.sh   (env: PEOPLE=5000 N=60000 C=32 CF=8 PORT=18080; C and CF
# are the requests in flight for re-issues and first-time identities;
# SERVE_FLAGS adds options to offcode serve, e.g. SERVE_FLAGS="--cache 0")
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${PEOPLE:-5000} N=${N:-60000} C=${C:-32} CF=${CF:-8} PORT=${PORT:-18080}
work=$(mktemp -d "${TMPDIR:-/tmp}/offcode-load.XXXXXX")
go build -o "$work/offcode" ./cmd/offcode
go build -o "$work/offcode-load" ./cmd/offcode-load
cd "$work"
TOKEN=$(./offcode token add load --scope issue --tokens tokens.json 2>/dev/null)
url=http://127.0.0.1:$PORT

serve() { # serve PROFILE
	./offcode serve --addr "127.0.0.1:$PORT" --log-level warn --rate 1000000 --burst 100000 --cpuprofile "$1" ${SERVE_FLAGS:-} 2>>serve.log &
	pid=$!
	for _ in $(seq 200); do curl -sf "$url/readyz" >/dev/null && return; sleep 0.05; done
	echo "load.sh: the service did not start:"; cat serve.log; exit 1
}
stop() { kill -TERM "$pid"; wait "$pid"; }

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), go $(go env GOVERSION)"
serve first.pprof
echo "## first-time identities: $PEOPLE requests, concurrency $CF"
./offcode-load --url "$url" --token "$TOKEN" --people "$PEOPLE" --n "$PEOPLE" --concurrency "$CF" --duration 120s
stop
serve reissue.pprof
echo "## re-issues to the same $PEOPLE people after a restart: $N requests, concurrency $C"
./offcode-load --url "$url" --token "$TOKEN" --people "$PEOPLE" --n "$N" --concurrency "$C" --duration 120s
curl -s "$url/metrics" | awk '/^offcode_audit_(commits|records)_total/ {v[$1]=$2}
	END {printf "group commit: %d records in %d transactions, %.1f per commit\n", v["offcode_audit_records_total"], v["offcode_audit_commits_total"], v["offcode_audit_records_total"]/v["offcode_audit_commits_total"]}'
stop
echo "## audit trail"
./offcode audit --db offcode.db 2>&1 >/dev/null | tail -1
for p in first reissue; do
	echo "## CPU profile, $p: where the service's time goes (cumulative)"
	go tool pprof -top -cum -nodecount=1000 offcode "$p.pprof" 2>/dev/null |
		grep -E 'Total samples|conn\).serve$|Service\).(handleIssue|sign|lookupPerson)$|argon2.processBlocks.func1$|ed25519.Sign( \(inline\))?$|sqliteStore\).(commit|Person)$|_unixSync$|poll.\(\*FD\).(Read|Write)$|gcBgMarkWorker$'
	echo "## CPU profile, $p: top functions"
	go tool pprof -top -nodecount=10 offcode "$p.pprof" 2>/dev/null | sed -n '6,17p'
done
echo "# files in $work"
