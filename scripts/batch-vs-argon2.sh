#!/usr/bin/env bash
# batch-vs-argon2.sh compares the rate of "offcode batch" (issue, card,
# streamed PDF, per row: BenchmarkBatchRows) with an Argon2id-only loop over
# the same rows on the same worker pool (BenchmarkArgon2idRows), in one run:
# ROUNDS interleaved rounds of each, N rows a round, medians compared: the
# wall-clock rate, and the rate per CPU second (process CPU time, which on a
# shared machine leaves out the time spent waiting for a core).
#
# With BASE set to a git revision (BASE=main), the same is done for the
# tree at that revision too, its rounds interleaved with this tree's, so
# that the two are compared on the same cores at the same load.
#
#   [BASE=REV] scripts/batch-vs-argon2.sh [ROUNDS] [N]     (defaults 5 and 256)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
n=${2:-256}
base=${BASE:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go test -c -o "$dir/tree.test" ./cmd/offcode
trees=tree
if [ -n "$base" ]; then
	mkdir "$dir/src"
	git archive "$base" | tar -x -C "$dir/src"
	(cd "$dir/src" && go test -c -o "$dir/base.test" ./cmd/offcode)
	trees="base tree"
fi
for r in $(seq 1 "$rounds"); do
	for t in $trees; do
		for b in BatchRows Argon2idRows; do
			"$dir/$t.test" -test.run '^$' -test.bench "^Benchmark$b\$" -test.benchtime "${n}x" |
				awk -v b="$t-$b" '$1 ~ /^Benchmark/ { print b, $3; for (i = 4; i < NF; i++) if ($(i + 1) == "cpu-ns/op") print b "-cpu", $i }' >> "$dir/ns"
		done
	done
done
median() { grep "^$1 " "$dir/ns" | cut -d' ' -f2 | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
each() { grep "^$1 " "$dir/ns" | cut -d' ' -f2 | tr '\n' ' '; }
for t in $trees; do
	if [ "$t" = base ]; then
		echo "== $base (BASE)"
	elif [ -n "$base" ]; then
		echo "== this tree"
	fi
	for b in BatchRows Argon2idRows; do
		awk -v b="$b" -v m="$(median "$t-$b")" -v all="$(each "$t-$b")" \
			'BEGIN { printf "%-13s %6.0f rows/s  (median %.2f ms/row; ns/row of each round: %s)\n", b, 1e9 / m, m / 1e6, all }'
	done
	awk -v b="$(median "$t-BatchRows")" -v a="$(median "$t-Argon2idRows")" 'BEGIN { printf "batch rate / Argon2id-only rate: %.2f (wall clock)\n", a / b }'
	awk -v b="$(median "$t-BatchRows-cpu")" -v a="$(median "$t-Argon2idRows-cpu")" -v all_b="$(each "$t-BatchRows-cpu")" -v all_a="$(each "$t-Argon2idRows-cpu")" \
		'BEGIN { printf "CPU per row: batch %.2f ms, Argon2id-only %.2f ms (each round: %s/ %s)\nbatch rate / Argon2id-only rate per CPU second: %.2f\n", b / 1e6, a / 1e6, all_b, all_a, a / b }'
done
