#!/usr/bin/env bash
# scan-cpu-ab.sh compares the CPU per picture of two offcode binaries, one
# "offcode scan FILE" process per picture as in degraded-compare.sh, over
# the held-out sets scan/testdata/photos and scan/testdata/print:
#
#   scripts/scan-cpu-ab.sh A B [ROUNDS]   (default 7)
#
# A and B are built binaries (for example main's and this tree's: git
# worktree add /tmp/a main && (cd /tmp/a && go build -o /tmp/offcode-a
# ./cmd/offcode)). Each round runs A then B over the whole set; the user
# plus system CPU of each loop is taken (bash's time) and the medians over
# the rounds, divided by the number of pictures, are printed with B / A.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: scripts/scan-cpu-ab.sh A B [ROUNDS]" >&2; exit 2; }
a=$1 b=$2 rounds=${3:-7}
for x in "$a" "$b"; do [ -x "$x" ] || { echo "scan-cpu-ab: $x is not an executable" >&2; exit 2; }; done
loop() { # binary set
	for f in scan/testdata/$2/*.jpg; do "$1" scan "$f" >/dev/null 2>&1 || true; done
}
cpu() { # binary set -> user+sys seconds
	local t
	t=$( { TIMEFORMAT='%U %S'; time loop "$1" "$2"; } 2>&1 )
	echo "$t" | awk '{ printf "%.3f", $1 + $2 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for set in photos print; do
	n=$(ls scan/testdata/$set/*.jpg | wc -l)
	ra=() rb=()
	for r in $(seq "$rounds"); do
		ra+=("$(cpu "$a" $set)")
		rb+=("$(cpu "$b" $set)")
		echo "$set round $r: A ${ra[-1]} s, B ${rb[-1]} s"
	done
	ma=$(printf '%s\n' "${ra[@]}" | median)
	mb=$(printf '%s\n' "${rb[@]}" | median)
	awk -v a="$ma" -v b="$mb" -v n="$n" -v s="$set" 'BEGIN { printf "%s (%d pictures): A %.1f ms, B %.1f ms of CPU per picture (medians); B / A = %.3f\n", s, n, 1000 * a / n, 1000 * b / n, b / a }'
done
