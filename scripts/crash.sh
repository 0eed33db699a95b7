#!/usr/bin/env bash
# crash.sh — SIGKILL "offcode serve" while clients are issuing codes, restart
# it, and check that every code a client received (a complete 201 body) is
# in the audit trail. The same check runs in the test suite as
# TestCrashSafety (internal/service/crash_test.go); this script does it with the real
# binary and curl.
#
# Usage: scripts/crash.sh            (env: ROUNDS=3 CLIENTS=4 PORT=18081)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3} CLIENTS=${CLIENTS:-4} PORT=${PORT:-18081}
work=$(mktemp -d "${TMPDIR:-/tmp}/offcode-crash.XXXXXX")
go build -o "$work/offcode" ./cmd/offcode
cd "$work"
TOKEN=$(./offcode token add crash --scope issue --tokens tokens.json 2>/dev/null)
url=http://127.0.0.1:$PORT

start() {
	./offcode serve --addr "127.0.0.1:$PORT" --log-level warn 2>>serve.log &
	pid=$!
	for _ in $(seq 200); do curl -sf "$url/readyz" >/dev/null && return; sleep 0.05; done
	echo "crash.sh: the service did not start"; cat serve.log; exit 1
}

client() { # client N: issue codes until the server is gone; record serials received
	local i=0
	while :; do
		i=$((i + 1))
		body=$(curl -sS --fail-with-body -m 5 -H "Authorization: Bearer $TOKEN" \
			-d "{\"id\":\"11010519491231002X\",\"colour\":\"green\"}" "$url/v1/codes" 2>/dev/null) || return 0
		serial=$(printf '%s' "$body" | grep -o '"serial":"[0-9a-f]*"' | cut -d'"' -f4)
		[ -n "$serial" ] && echo "$serial" >>"received.$1"
	done
}

for round in $(seq "$ROUNDS"); do
	start
	for c in $(seq "$CLIENTS"); do client "$c" & done
	sleep 1.5
	kill -KILL "$pid"
	wait
	echo "round $round: SIGKILL after $(cat received.* | wc -l) codes received in total"
done
start
kill -TERM "$pid"; wait "$pid"
./offcode audit --db offcode.db --json 2>/dev/null | grep -o '"serial":"[0-9a-f]*"' | cut -d'"' -f4 | sort >audited
sort -u received.* >received
missing=$(comm -23 received audited | wc -l)
echo "received $(wc -l <received) codes; audit trail holds $(wc -l <audited); missing from the trail: $missing"
[ "$missing" -eq 0 ]
