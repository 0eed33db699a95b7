#!/usr/bin/env bash
# degraded-compare.sh compares "offcode scan" with zbarimg (Debian zbar-tools)
# on the deterministic degraded test set of package scan (internal/degrade).
#
#   scripts/degraded-compare.sh [VARIANTS]     (default 10 images per condition)
#
# It writes the set to a temporary directory as PNG and JPEG files, runs
# both readers on every file, and counts a file as read only when the text
# read is exactly the code's text (expected.tsv).
set -euo pipefail
cd "$(dirname "$0")/.."
variants=${1:-10}
command -v zbarimg >/dev/null || { echo "needs zbarimg: apt-get install zbar-tools" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/offcode" ./cmd/offcode
mkdir "$dir/set"
go test -count=1 -run TestDegradedSet ./scan -args -degraded.variants="$variants" -degraded.out="$dir/set" >/dev/null
declare -A ok_off ok_zbar total
n=0 off=0 zb=0
while IFS=$'\t' read -r file cond text; do
	n=$((n + 1))
	total[$cond]=$((${total[$cond]:-0} + 1))
	got=$("$dir/offcode" scan "$dir/set/$file" 2>/dev/null || true)
	if [ "$got" = "$text" ]; then off=$((off + 1)); ok_off[$cond]=$((${ok_off[$cond]:-0} + 1)); fi
	got=$(zbarimg -q --raw "$dir/set/$file" 2>/dev/null | head -n 1 || true)
	if [ "$got" = "$text" ]; then zb=$((zb + 1)); ok_zbar[$cond]=$((${ok_zbar[$cond]:-0} + 1)); fi
done < "$dir/set/expected.tsv"
printf '%-16s %8s %8s\n' condition offcode zbarimg
for cond in $(cut -f2 "$dir/set/expected.tsv" | uniq); do
	printf '%-16s %5d/%-2d %5d/%-2d\n' "$cond" "${ok_off[$cond]:-0}" "${total[$cond]}" "${ok_zbar[$cond]:-0}" "${total[$cond]}"
done
printf '%-16s %5d/%-3d %4d/%-3d\n' total "$off" "$n" "$zb" "$n"
awk -v o="$off" -v z="$zb" -v n="$n" 'BEGIN { printf "offcode scan %.1f%%, zbarimg %.1f%%\n", 100*o/n, 100*z/n }'
