#!/usr/bin/env bash
# scan-cpu-ab.sh compares the CPU per picture, and the codes read, of two
# offcode binaries, one "offcode scan FILE" process per picture as in
# degraded-compare.sh, over the held-out sets scan/testdata/photos and
# scan/testdata/print:
#
#   scripts/scan-cpu-ab.sh A B [ROUNDS]   (default 7)
#
# SETS="DIR ..." compares on other sets instead, each a directory of
# pictures with an expected.tsv (file, condition, text, one line per code),
# such as a fresh held-out set (SEED=4 OUT=/tmp/h4 scripts/heldout-set.sh,
# then SETS="/tmp/h4/photos /tmp/h4/print").
#
# A and B are built binaries (for example main's and this tree's: git
# worktree add /tmp/a main && (cd /tmp/a && go build -o /tmp/offcode-a
# ./cmd/offcode)). Each round runs A then B over the whole set; the user
# plus system CPU of each loop is taken (bash's time) and the medians over
# the rounds, divided by the number of pictures, are printed with B / A. The
# codes each binary reads are counted once, outside the timed rounds: a
# code counts when the binary prints exactly its text for its file.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: scripts/scan-cpu-ab.sh A B [ROUNDS]" >&2; exit 2; }
a=$1 b=$2 rounds=${3:-7}
for x in "$a" "$b"; do [ -x "$x" ] || { echo "scan-cpu-ab: $x is not an executable" >&2; exit 2; }; done
read -r -a sets <<<"${SETS:-scan/testdata/photos scan/testdata/print}"
for d in "${sets[@]}"; do
	[ -f "$d/expected.tsv" ] || { echo "scan-cpu-ab: $d has no expected.tsv" >&2; exit 2; }
done
files() { cut -f1 "$1/expected.tsv" | awk '!seen[$0]++'; } # dir -> its pictures, once each
loop() { # binary dir
	local f
	for f in $(files "$2"); do "$1" scan "$2/$f" >/dev/null 2>&1 || true; done
}
cpu() { # binary dir -> user+sys seconds
	local t
	t=$( { TIMEFORMAT='%U %S'; time loop "$1" "$2"; } 2>&1 )
	echo "$t" | awk '{ printf "%.3f", $1 + $2 }'
}
reads() { # binary dir -> codes read
	local f n=0 got
	for f in $(files "$2"); do
		got=$("$1" scan "$2/$f" 2>/dev/null || true)
		n=$((n + $(awk -F'\t' -v f="$f" '$1 == f { print $3 }' "$2/expected.tsv" | sort -u | comm -12 - <(printf '%s\n' "$got" | sort -u) | wc -l)))
	done
	echo "$n"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for d in "${sets[@]}"; do
	set=${d#scan/testdata/}
	n=$(files "$d" | wc -l)
	codes=$(wc -l <"$d/expected.tsv")
	ra=() rb=()
	for r in $(seq "$rounds"); do
		ra+=("$(cpu "$a" "$d")")
		rb+=("$(cpu "$b" "$d")")
		echo "$set round $r: A ${ra[-1]} s, B ${rb[-1]} s"
	done
	ma=$(printf '%s\n' "${ra[@]}" | median)
	mb=$(printf '%s\n' "${rb[@]}" | median)
	awk -v a="$ma" -v b="$mb" -v n="$n" -v s="$set" 'BEGIN { printf "%s (%d pictures): A %.1f ms, B %.1f ms of CPU per picture (medians); B / A = %.3f\n", s, n, 1000 * a / n, 1000 * b / n, b / a }'
	echo "$set: codes read of $codes: A $(reads "$a" "$d"), B $(reads "$b" "$d")"
done
