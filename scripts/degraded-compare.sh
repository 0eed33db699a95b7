#!/usr/bin/env bash
# degraded-compare.sh compares "offcode scan" with zbarimg (Debian
# zbar-tools) and ZXingReader (Debian zxing-cpp-tools) on every scan set, in
# one run:
#
#   tuning   the set the scanner is tuned on: internal/testkit/degrade, written by
#            package scan's TestDegradedSet (VARIANTS images per condition)
#   photos   held-out camera-like photos (scan/testdata/photos)
#   print    held-out photos and scans of printed sheets and batch pages
#            (scan/testdata/print)
#
#   scripts/degraded-compare.sh [VARIANTS] [ROUNDS]   (defaults 10 and 3)
#
# FRESH=DIR adds the sets fresh-photos and fresh-print from DIR/photos and
# DIR/print: a held-out set of another seed that the scanner has never
# seen (SEED=2 OUT=DIR scripts/heldout-set.sh).
#
# A code counts as read by a tool when the tool prints exactly its text for
# that file (expected.tsv has one line per code in a file: a batch page has
# eight). Each tool reads every file of a set in one loop; the loops run
# ROUNDS times, the three tools interleaved within each round, and the user
# plus system CPU time of each loop is taken (bash's time); the median over
# the rounds, divided by the number of files, is the CPU per picture.
set -euo pipefail
cd "$(dirname "$0")/.."
variants=${1:-10}
rounds=${2:-3}
for c in zbarimg ZXingReader; do
	command -v $c >/dev/null || { echo "needs $c: apt-get install zbar-tools zxing-cpp-tools" >&2; exit 2; }
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# Built static, as README.md says to build it for a checkpoint box.
CGO_ENABLED=0 go build -o "$dir/offcode" ./cmd/offcode
mkdir "$dir/tuning"
go test -count=1 -run TestDegradedSet ./scan -args -degraded.variants="$variants" -degraded.out="$dir/tuning" >/dev/null
sets=(tuning photos print)
declare -A setdir=([tuning]="$dir/tuning" [photos]=scan/testdata/photos [print]=scan/testdata/print)
if [ -n "${FRESH:-}" ]; then
	for s in photos print; do
		[ -f "$FRESH/$s/expected.tsv" ] || { echo "FRESH=$FRESH has no $s/expected.tsv" >&2; exit 2; }
		sets+=("fresh-$s")
		setdir[fresh-$s]=$FRESH/$s
	done
fi

# read_all TOOL DIR OUT runs TOOL on every file of the set in DIR, writing
# "file<TAB>text" for every code it prints to OUT.
read_all() {
	local tool=$1 d=$2 out=$3 f
	: > "$out"
	for f in $(cut -f1 "$d/expected.tsv" | uniq); do
		case $tool in
		offcode) "$dir/offcode" scan "$d/$f" 2>/dev/null || true ;;
		zbar) zbarimg -q --raw "$d/$f" 2>/dev/null || true ;;
		# -1 prints: FILE FORMAT "TEXT" (or an error) per symbol.
		zxing) ZXingReader -format QRCode -1 "$d/$f" 2>/dev/null | sed -n 's/^[^"]*"\(.*\)"$/\1/p' || true ;;
		esac | awk -v f="$f" 'NF { print f "\t" $0 }' >> "$out"
	done
}

tools=(offcode zbar zxing)
declare -A cpu
for r in $(seq 1 "$rounds"); do
	for s in "${sets[@]}"; do
		for t in "${tools[@]}"; do
			TIMEFORMAT='%U %S'
			tm=$( { time read_all "$t" "${setdir[$s]}" "$dir/$s.$t.out" >/dev/null 2>&1; } 2>&1 )
			cpu[$s.$t]+="$(awk -v u="${tm% *}" -v y="${tm#* }" 'BEGIN { print u + y }') "
		done
	done
done

median() { tr ' ' '\n' | awk 'NF' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

for s in "${sets[@]}"; do
	d=${setdir[$s]}
	files=$(cut -f1 "$d/expected.tsv" | uniq | wc -l)
	codes=$(wc -l < "$d/expected.tsv")
	echo "== $s: $files pictures, $codes codes"
	printf '%-18s %9s %9s %9s\n' condition offcode zbar zxing-cpp
	for c in $(cut -f2 "$d/expected.tsv" | awk '!seen[$0]++'); do
		line=$(printf '%-18s' "$c")
		for t in "${tools[@]}"; do
			n=$(awk -F'\t' -v c="$c" 'NR == FNR { if ($2 == c) want[$1 "\t" $3] = 1; next } ($0 in want) && !seen[$0]++ { n++ } END { print n + 0 }' "$d/expected.tsv" "$dir/$s.$t.out")
			tot=$(awk -F'\t' -v c="$c" '$2 == c' "$d/expected.tsv" | wc -l)
			line+=$(printf ' %5d/%-3d' "$n" "$tot")
		done
		echo "$line"
	done
	line=$(printf '%-18s' total)
	for t in "${tools[@]}"; do
		n=$(awk -F'\t' 'NR == FNR { want[$1 "\t" $3] = 1; next } ($0 in want) && !seen[$0]++ { n++ } END { print n + 0 }' "$d/expected.tsv" "$dir/$s.$t.out")
		line+=$(printf ' %5d/%-3d' "$n" "$codes")
	done
	echo "$line"
	line=$(printf '%-18s' "CPU ms/picture")
	for t in "${tools[@]}"; do
		m=$(echo "${cpu[$s.$t]}" | median)
		line+=$(awk -v m="$m" -v n="$files" 'BEGIN { printf " %9.1f", 1000 * m / n }')
	done
	echo "$line"
	awk -v o="$(echo "${cpu[$s.offcode]}" | median)" -v z="$(echo "${cpu[$s.zxing]}" | median)" \
		'BEGIN { printf "CPU offcode / zxing-cpp: %.2f (median of '"$rounds"' interleaved rounds)\n", o / z }'
done
