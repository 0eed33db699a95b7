#!/usr/bin/env bash
# Measures verify.Verifier.Verify against raw crypto/ed25519.Verify
# (BenchmarkVerify and BenchmarkBaselineEd25519Verify of package verify),
# interleaved: each round runs both benchmarks of the working tree's test
# binary back to back, and, if a git revision is given, those of that
# revision's binary too, the order of the two binaries alternating from one
# round to the next. It prints the raw benchmark lines, then per round and as
# medians the ratio Verify / ed25519.Verify in ns/op and in cpu-ns/op, and
# the allocations per Verify.
#
# Usage: scripts/bench-verify.sh [ROUNDS [REV]]   (ROUNDS default 6)
# Example: scripts/bench-verify.sh 6 main
set -euo pipefail
rounds=${1:-6}
rev=${2:-}
root=$(git rev-parse --show-toplevel)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$root" && go test -c -o "$tmp/head.test" ./verify)
bins=(head)
if [ -n "$rev" ]; then
	mkdir "$tmp/src"
	git -C "$root" archive "$rev" | tar -x -C "$tmp/src"
	(cd "$tmp/src" && go test -c -o "$tmp/rev.test" ./verify)
	bins=(head rev)
fi

for i in $(seq "$rounds"); do
	order=("${bins[@]}")
	if [ $((i % 2)) = 0 ] && [ ${#bins[@]} = 2 ]; then
		order=(rev head)
	fi
	for b in "${order[@]}"; do
		echo "# round $i $b"
		"$tmp/$b.test" -test.run '^$' -test.bench '^Benchmark(Verify|BaselineEd25519Verify)$' \
			-test.benchmem -test.count 1 | grep '^Benchmark'
	done
done | tee "$tmp/raw.txt"

echo
awk -v bins="${bins[*]}" '
/^# round/ { round = $3; bin = $4; next }
/^BenchmarkVerify-/ { v_ns[bin, round] = $3; v_cpu[bin, round] = $5; allocs[bin] = $9 }
/^BenchmarkBaselineEd25519Verify-/ { e_ns[bin, round] = $3; e_cpu[bin, round] = $5 }
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
	return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
}
END {
	nb = split(bins, b, " ")
	for (k = 1; k <= nb; k++) {
		n = 0
		line_ns = ""; line_cpu = ""
		for (r = 1; (b[k], r) in v_ns; r++) {
			n++
			rn[n] = v_ns[b[k], r] / e_ns[b[k], r]; rc[n] = v_cpu[b[k], r] / e_cpu[b[k], r]
			vn[n] = v_ns[b[k], r]; en[n] = e_ns[b[k], r]
			line_ns = line_ns sprintf(" %.3f", rn[n]); line_cpu = line_cpu sprintf(" %.3f", rc[n])
		}
		printf "%s Verify / ed25519.Verify, ns/op per round:    %s   median %.3f\n", b[k], line_ns, median(rn, n)
		printf "%s Verify / ed25519.Verify, cpu-ns/op per round:%s   median %.3f\n", b[k], line_cpu, median(rc, n)
		mv = median(vn, n); me = median(en, n)
		printf "%s medians: Verify %.2f µs, ed25519.Verify %.2f µs, ratio %.3f; %s allocs per Verify\n", b[k], mv / 1000, me / 1000, mv / me, allocs[b[k]]
	}
}' "$tmp/raw.txt"
