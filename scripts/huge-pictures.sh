#!/usr/bin/env bash
# Shows that hostile pictures are refused from their header: 10000×10000
# and 30000×30000 PNGs and a GIF named .png make "offcode verify" and
# "offcode scan" exit 2 at once, with little memory; a 5000×5000 PNG, at
# the 25-million-pixel budget, is decoded and scanned (exit 1: no code in
# it). Prints the exit code,
# the wall time and the maximum resident set size of each run
# (/usr/bin/time -v).
#
# Usage: scripts/huge-pictures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/offcode" ./cmd/offcode
go run ./internal/testkit/picturetest/mkpng "$work"
"$work/offcode" keygen --key "$work/k.pem" --trust "$work/t.json" 2>/dev/null >/dev/null
for f in 10000.png 30000.png gif-big.png 5000.png; do
	for cmd in "verify --trust $work/t.json" "scan"; do
		set +e
		/usr/bin/time -v "$work/offcode" $cmd "$work/$f" >"$work/out" 2>"$work/err"
		code=$?
		set -e
		wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/err")
		rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/err")
		msg=$(grep '^offcode: error' "$work/err" | head -1)
		printf '%-12s %-7s exit %d  wall %s  max RSS %s kB\n    %s\n' "$f" "${cmd%% *}" "$code" "$wall" "$rss" "${msg//$work\//}"
	done
done
