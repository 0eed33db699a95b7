#!/usr/bin/env bash
# batch-vs-argon2.sh compares the rate of "offcode batch" (issue, card,
# streamed PDF, per row: BenchmarkBatchRows) with an Argon2id-only loop over
# the same rows on the same worker pool (BenchmarkArgon2idRows), in one run:
# ROUNDS interleaved rounds of each, N rows a round, medians compared: the
# wall-clock rate, and the rate per CPU second (process CPU time, which on a
# shared machine leaves out the time spent waiting for a core).
#
#   scripts/batch-vs-argon2.sh [ROUNDS] [N]     (defaults 5 and 256)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
n=${2:-256}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go test -c -o "$dir/offcode.test" ./cmd/offcode
for r in $(seq 1 "$rounds"); do
	for b in BatchRows Argon2idRows; do
		"$dir/offcode.test" -test.run '^$' -test.bench "^Benchmark$b\$" -test.benchtime "${n}x" |
			awk -v b="$b" '$1 ~ /^Benchmark/ { print b, $3; for (i = 4; i < NF; i++) if ($(i + 1) == "cpu-ns/op") print b "-cpu", $i }' >> "$dir/ns"
	done
done
median() { grep "^$1 " "$dir/ns" | cut -d' ' -f2 | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mb=$(median BatchRows)
ma=$(median Argon2idRows)
for b in BatchRows Argon2idRows; do
	m=$(median $b)
	awk -v b="$b" -v m="$m" -v all="$(grep "^$b " "$dir/ns" | cut -d' ' -f2 | tr '\n' ' ')" \
		'BEGIN { printf "%-13s %6.0f rows/s  (median %.2f ms/row; ns/row of each round: %s)\n", b, 1e9 / m, m / 1e6, all }'
done
awk -v b="$mb" -v a="$ma" 'BEGIN { printf "batch rate / Argon2id-only rate: %.2f (wall clock)\n", a / b }'
cb=$(median BatchRows-cpu)
ca=$(median Argon2idRows-cpu)
awk -v b="$cb" -v a="$ca" -v all_b="$(grep '^BatchRows-cpu ' "$dir/ns" | cut -d' ' -f2 | tr '\n' ' ')" -v all_a="$(grep '^Argon2idRows-cpu ' "$dir/ns" | cut -d' ' -f2 | tr '\n' ' ')" \
	'BEGIN { printf "CPU per row: batch %.2f ms, Argon2id-only %.2f ms (each round: %s/ %s)\nbatch rate / Argon2id-only rate per CPU second: %.2f\n", b / 1e6, a / 1e6, all_b, all_a, a / b }'
