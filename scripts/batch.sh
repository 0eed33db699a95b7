#!/usr/bin/env bash
# batch.sh — measure "offcode batch": codes per second and peak memory for a
# CSV of N people (BENCHMARKS.md, issue 3).
#
#   scripts/batch.sh [N]      (default 10000 rows)
#
# It writes N rows with distinct valid resident ID numbers (region 110105,
# consecutive birth dates from 1950, check digits computed), colours and
# kinds in turn and a holder line on every row, makes a key, and runs
# offcode batch under /usr/bin/time -v. Everything is in a temporary
# directory, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/offcode" ./cmd/offcode
awk -v n="$n" 'BEGIN {
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
	split("green yellow red", col, " "); split("personal kin", kind, " ")
	print "id,colour,kind,holder"
	for (i = 0; i < n; i++) {
		day = int(i / 999); seq = i % 999 + 1
		t = mktime("1950 01 01 12 00 00") + day * 86400
		body = sprintf("110105%s%03d", strftime("%Y%m%d", t), seq)
		s = 0
		for (j = 1; j <= 17; j++) s += substr(body, j, 1) * w[j]
		printf "%s%s,%s,%s,张*华\n", body, substr("10X98765432", s % 11 + 1, 1), col[i % 3 + 1], kind[i % 2 + 1]
	}
}' > "$dir/people.csv"
"$dir/offcode" keygen --key "$dir/k.pem" --trust "$dir/trust.json" >/dev/null 2>&1
/usr/bin/time -v "$dir/offcode" batch --key "$dir/k.pem" --in "$dir/people.csv" --out "$dir/sheets.pdf" \
	--at 2026-11-23T08:00:00+08:00 2> "$dir/err.txt" || { cat "$dir/err.txt" >&2; exit 1; }
grep -E "^offcode: batch: wrote" "$dir/err.txt" || true
grep -E "Elapsed|Maximum resident|Percent of CPU" "$dir/err.txt"
ls -l "$dir/sheets.pdf" | awk '{print "PDF bytes:", $5}'
