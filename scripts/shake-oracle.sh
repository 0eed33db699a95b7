#!/usr/bin/env bash
# shake-oracle.sh measures how many of the held-out pictures smeared by
# ImageMagick's -motion-blur 0x6 (the odd combinations of the photo set,
# the odd shaken sheets of the print set) can be read at all once that
# very blur is undone by a Wiener filter, against how many "offcode scan"
# reads blind. Each argument is SEED:DIR, a held-out set that
# scripts/heldout-set.sh made with that SEED into DIR/photos and DIR/print
# (SEED 1 is the committed set, scan/testdata):
#
#   scripts/shake-oracle.sh 1:scan/testdata 8:/tmp/h8
#
# The blur of each picture (the smear's angle, the Gaussian sigma after
# it) is worked out as heldout-set.sh works it out; the smear's profile is
# measured with convert on a single white pixel. The deconvolution runs in
# package scan's TestShakeOracle (build tag oracle), which says which
# restorations read; TestEqualizeOracle then says, for each picture whose
# symbol the shape search locates on those restorations, how many modules
# thresholding and equalising get wrong (the code's text is taken from
# the set's expected.tsv).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/shake-oracle.sh SEED:DIR..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# -motion-blur 0x6's weights at 0, 1, … pixels along its angle.
kernel=$(convert -size 81x1 xc:black -fill white -draw "point 60,0" -motion-blur 0x6+0 -depth 16 txt:- |
	awk -F'[(),]' 'NR > 1 && $1 <= 60 && $3 > 0 { w[60 - $1] = $3 } END { for (i = 0; i in w; i++) printf "%s%s", (i ? "," : ""), w[i] }')
list=$work/list.tsv
for arg in "$@"; do
	seed=${arg%%:*} dir=${arg#*:}
	case $seed in '' | *[!0-9]* | 0) echo "shake-oracle: $arg: want SEED:DIR" >&2; exit 2 ;; esac
	off=$(( (seed - 1) * 1000 )) # as heldout-set.sh
	dir=$(cd "$dir" && pwd)
	# heldout-set.sh: combination v has motion=$((v % 2 * 6)),
	# mangle=$((v * 40)), blur=0.6 + (v % 3) * 0.4, and is photo 48 + v.
	for v in 1 3 5 7; do
		awk -F'\t' -v d="$dir/photos/" -v n="combination_$((48 + v)).jpg" -v v=$v \
			'$1 == n { printf "%s\t%d\t%.2f\t%s\n", d n, v * 40, 0.6 + (v % 3) * 0.4, $3 }' "$dir/photos/expected.tsv"
	done
	# sheet_blurred_i has motion=$((i % 2 * 6)) at (seed * 37 % 180)
	# with seed i + 310 + off, and blur=1 + i * 0.15.
	for i in 1 3 5; do
		awk -F'\t' -v d="$dir/print/" -v n="sheet_blurred_$i.jpg" -v a=$(( (i + 310 + off) * 37 % 180 )) -v i=$i \
			'$1 == n { printf "%s\t%d\t%.2f\t%s\n", d n, a, 1 + i * 0.15, $3 }' "$dir/print/expected.tsv"
	done
done > "$list"
[ "$(wc -l < "$list")" -eq $((7 * $#)) ] || { echo "shake-oracle: a picture or its expected.tsv line is missing" >&2; exit 2; }
while IFS=$'\t' read -r f _; do [ -f "$f" ] || { echo "shake-oracle: $f is missing" >&2; exit 2; }; done < "$list"
CGO_ENABLED=0 go build -o "$work/offcode" ./cmd/offcode
blind=0
while IFS=$'\t' read -r f _; do
	if "$work/offcode" scan "$f" >/dev/null 2>&1; then blind=$((blind + 1)); echo "offcode scan reads $f"; fi
done < "$list"
echo "offcode scan (blind) read $blind of $(wc -l < "$list")"
go test -count=1 -tags oracle -run 'ShakeOracle|EqualizeOracle' -v ./scan -args -oracle.list="$list" -oracle.kernel="$kernel" |
	sed -n 's/^ *oracle_internal_test.go:[0-9]*: //p'
