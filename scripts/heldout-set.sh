#!/usr/bin/env bash
# heldout-set.sh regenerates the two held-out scan sets in scan/testdata:
#
#   photos/  camera-like 1280×720 photos of offline codes: perspective,
#            rotation, motion and Gaussian blur, low contrast, uneven light,
#            JPEG, tiny modules, paper noise, moiré, occlusion, glare, and
#            combinations of them
#   print/   photos and a 200 dpi scan of printed A4 sheets and batch pages:
#            the PDFs offcode writes, rasterised by pdftoppm, then distorted
#
#   scripts/heldout-set.sh [photos] [print]     (default: both)
#   SEED=2 OUT=/tmp/heldout2 scripts/heldout-set.sh
#
# SEED (default 1, the committed sets) makes a fresh set of the same
# conditions: other codes (heldoutsrc's SEED), other noise and placement
# seeds, and for SEED > 1 every photo's angle moved by up to ±15° and
# its pixels per module scaled by 0.9 to 1.1, every page's angle by up to
# ±10°. OUT (default scan/testdata) is where photos/ and print/ go.
#
# The scanner is never tuned on these sets (it is tuned on internal/testkit/degrade,
# a different generator with different parameters); package scan's tests
# only measure it on them. The clean sources come from
# scan/internal/heldoutsrc (testcode codes 1000 and up); every distortion is
# ImageMagick (Debian imagemagick) driven by the parameters below, with
# fixed noise seeds. Each set has an expected.tsv: file, condition, text,
# one line per code in the file.
set -euo pipefail
cd "$(dirname "$0")/.."
for c in convert pdftoppm; do
	command -v $c >/dev/null || { echo "needs $c: apt-get install imagemagick poppler-utils" >&2; exit 2; }
done
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
seed=${SEED:-1}
case $seed in '' | *[!0-9]* | 0) echo "SEED must be a positive number" >&2; exit 2 ;; esac
off=$(( (seed - 1) * 1000 )) # added to every noise and placement seed
go run ./scan/internal/heldoutsrc "$src" "$seed"
outdir=${OUT:-scan/testdata}
photos=$outdir/photos print=$outdir/print
want=" ${*:-photos print} "

# calc prints the value of an awk expression.
calc() { awk "BEGIN { printf \"%.3f\", $1 }"; }

# rnd N SEED prints a deterministic pseudo-random number in [0, 1) for
# draw N of SEED (a linear congruential generator, the same in every awk).
rnd() { awk -v n="$1" -v s="$2" 'BEGIN { x = (s * 7919 + 17) % 2147483648
	for (i = 0; i <= n; i++) x = (x * 1103515245 + 12345) % 2147483648
	printf "%.4f", x / 2147483648 }'; }

# corners W H CX CY SIDE ANGLE TILT SEED prints the -distort Perspective
# argument that maps a W×H source onto a square of side SIDE centred on
# CX,CY, rotated by ANGLE degrees, each corner moved by up to TILT × SIDE.
corners() {
	local w=$1 h=$2 cx=$3 cy=$4 side=$5 a=$6 t=$7 seed=$8
	awk -v w="$w" -v h="$h" -v cx="$cx" -v cy="$cy" -v s="$side" -v a="$a" -v t="$t" -v seed="$seed" 'BEGIN {
		x = (seed * 7919 + 17) % 2147483648
		split("0 1 1 0", sx, " "); split("0 0 1 1", sy, " ")
		r = a * 3.14159265 / 180
		for (i = 1; i <= 4; i++) {
			x = (x * 1103515245 + 12345) % 2147483648; dx = (2 * x / 2147483648 - 1) * t * s
			x = (x * 1103515245 + 12345) % 2147483648; dy = (2 * x / 2147483648 - 1) * t * s
			px = (sx[i] - 0.5) * s + dx; py = (sy[i] - 0.5) * s + dy
			printf "%d,%d %.1f,%.1f ", sx[i] * w, sy[i] * h, cx + px * cos(r) - py * sin(r), cy + px * sin(r) + py * cos(r)
		}
	}'
}

# photo SRC OUT SEED [key=value…] distorts the symbol PNG SRC (12 px per
# module, 69 modules with the quiet zone) into a 1280×720 JPEG OUT.
# Keys: ppm (pixels per module in the frame), angle, tilt, ink, paper (per
# cent grey), motion (blur length px), mangle (its direction), blur (sigma),
# light (darkest per cent of a gradient), moire (period px), noise
# (attenuation of Gaussian noise), speck (paper speckle density), occlude,
# glare (fraction of the side covered), q (JPEG quality).
photo() {
	local in=$1 out=$2 seed=$3
	shift 3
	local ppm=4 angle=0 tilt=0.02 ink=10 paper=92 motion=0 mangle=0 blur=0 light=0 moire=0 noise=0.15 speck=0 occlude=0 glare=0 q=60
	local kv
	for kv in "$@"; do local "$kv"; done
	if [ "$off" != 0 ]; then
		angle=$(calc "$angle + ($(rnd 8 "$seed") - 0.5) * 30")
		ppm=$(calc "$ppm * (0.9 + 0.2 * $(rnd 9 "$seed"))")
	fi
	local border=36 w=900 # 3 modules of paper around the quiet zone
	local side cx cy
	side=$(calc "75 * $ppm")
	cx=$(calc "640 + ($(rnd 1 "$seed") - 0.5) * 200")
	cy=$(calc "360 + ($(rnd 2 "$seed") - 0.5) * 80")
	local pre=() post=()
	if [ "$occlude" != 0 ]; then
		# A thumb from the bottom edge over part of the data, off the finders.
		local ox r
		ox=$(calc "300 + $(rnd 3 "$seed") * 300")
		r=$(calc "sqrt($occlude * 828 * 828 / 3.14159 * 2)")
		pre+=(-fill 'gray(45%)' -draw "ellipse $ox,$(calc "864 + $r * 0.3") $(calc "$r * 0.7"),$r 0,360")
	fi
	if [ "$glare" != 0 ]; then
		# A near-white strip across the symbol, glare on glossy paper.
		local gy gw
		gy=$(calc "250 + $(rnd 4 "$seed") * 400")
		gw=$(calc "$glare * 828")
		pre+=(-fill 'rgba(255,255,255,0.92)' -draw "polygon 0,$gy 900,$(calc "$gy + 120") 900,$(calc "$gy + 120 + $gw") 0,$(calc "$gy + $gw")")
	fi
	if [ "$speck" != 0 ]; then
		# Paper fibre and dirt: sparse dark and light specks on the paper.
		pre+=(\( -size 900x900 xc:gray50 -seed "$seed" -attenuate "$speck" +noise Impulse -blur 0x0.6 \) -compose Overlay -composite -compose Over)
	fi
	if [ "$light" != 0 ]; then
		post+=(\( -size 1280x720 -define gradient:angle="$(calc "$(rnd 5 "$seed") * 360")" gradient:white-"gray($light%)" \) -compose Multiply -composite -compose Over)
	fi
	if [ "$moire" != 0 ]; then
		local ma
		ma=$(calc "0.3 + $(rnd 6 "$seed") * 0.9")
		post+=(\( -size 1280x720 xc: -fx "0.8+0.2*sin((i*cos($ma)+j*sin($ma))*2*pi/$moire)" \) -compose Multiply -composite -compose Over)
	fi
	[ "$motion" != 0 ] && post+=(-motion-blur "0x$motion+$mangle")
	[ "$blur" != 0 ] && post+=(-blur "0x$blur")
	convert "$in" -colorspace Gray -bordercolor white -border $border "${pre[@]}" +level "$ink%,$paper%" \
		-virtual-pixel background -background 'gray(30%)' -define distort:viewport=1280x720+0+0 \
		-distort Perspective "$(corners $w $w "$cx" "$cy" "$side" "$angle" "$tilt" "$seed")" \
		"${post[@]}" -seed "$seed" -attenuate "$noise" +noise Gaussian \
		-colorspace Gray -type Grayscale -strip -quality "$q" "$out"
}

code_of() { awk -F'\t' -v f="$1" '$1 == f { print $2 }' "$src/codes.tsv"; }

# The photo set: 4 photos of each single condition, 8 of combinations.
n=0
shot() { # condition key=value…
	local cond=$1
	shift
	local sym
	sym=$(printf "sym%02d.png" $n)
	local out
	out=$(printf "%s_%02d.jpg" "$cond" $n)
	photo "$src/$sym" "$photos/$out" $((n + 101 + off)) "$@"
	printf "%s\t%s\t%s\n" "$out" "$cond" "$(code_of "$sym")" >> "$photos/expected.tsv"
	n=$((n + 1))
}
if [[ $want == *" photos "* ]]; then
rm -rf "$photos" && mkdir -p "$photos"
: > "$photos/expected.tsv"
for v in 0 1 2 3; do
	a=$(calc "($(rnd 7 $v) - 0.5) * 40")
	shot perspective ppm=$(calc "4 + $v * 0.3") angle="$a" tilt=$(calc "0.05 + $v * 0.05")
	shot rotation ppm=$(calc "3.5 + $v * 0.4") angle=$(calc "(10 + $v * 11.7) * (1 - 2 * ($v % 2))")
	shot motion_blur ppm=$(calc "5 + $v * 0.5") motion=$((8 + v * 2)) mangle=$((v * 50)) angle=$((v * 7))
	shot gaussian_blur ppm=$(calc "4 + $v * 0.4") blur=$(calc "1.4 + $v * 0.35") angle=$((v * 9))
	shot low_contrast ppm=4 ink=$((38 + v * 2)) paper=$((64 - v * 2)) angle=$((v * 13 - 20)) noise=0.25
	shot uneven_light ppm=$(calc "3.8 + $v * 0.3") light=$((18 + v * 6)) angle=$((v * 11))
	shot jpeg ppm=$(calc "3 + $v * 0.25") q=$((15 + v * 8)) noise=0.3 angle=$((v * 15))
	shot small ppm=$(calc "1.5 + $v * 0.33") angle=$((v * 10)) q=70
	shot paper_noise ppm=4 speck=$(calc "0.6 + $v * 0.2") noise=$(calc "1.2 + $v * 0.4") angle=$((v * 8))
	shot moire ppm=$(calc "3.5 + $v * 0.3") moire=$(calc "2.6 + $v * 0.5") angle=$((v * 12))
	shot occlusion ppm=4 occlude=$(calc "0.05 + $v * 0.01") angle=$((v * 10))
	shot glare ppm=4 glare=$(calc "0.05 + $v * 0.01") angle=$((v * 14))
done
for v in 0 1 2 3 4 5 6 7; do
	shot combination ppm=$(calc "2.6 + $v * 0.3") angle=$((v * 29 % 90 - 45)) tilt=$(calc "0.05 + ($v % 4) * 0.03") \
		blur=$(calc "0.6 + ($v % 3) * 0.4") light=$((40 + v * 5)) q=$((25 + v * 3)) noise=0.6 \
		motion=$(( v % 2 * 6 )) mangle=$((v * 40)) glare=$(calc "($v % 3 == 0) * 0.05")
done
fi

# The print set: pdftoppm renders the PDFs; photos of sheets are distorted
# into 1280×720 frames, batch pages into 1200×1600 portrait frames, and a
# batch page is also kept as a 200 dpi greyscale scan.
page() { # pdf dpi frameW frameH out seed angle tilt fill key=value…
	local pdf=$1 dpi=$2 fw=$3 fh=$4 out=$5 seed=$6 angle=$7 tilt=$8 fill=$9
	shift 9
	local blur=0 light=0 q=50 noise=0.3 motion=0 kv
	for kv in "$@"; do local "$kv"; done
	if [ "$off" != 0 ]; then
		angle=$(calc "$angle + ($(rnd 8 "$seed") - 0.5) * 20")
	fi
	pdftoppm -gray -r "$dpi" -singlefile "$src/$pdf" "$src/page"
	local pw ph
	pw=$(identify -format "%w" "$src/page.pgm")
	ph=$(identify -format "%h" "$src/page.pgm")
	# The page, its long side fill × the frame's height, on a desk.
	local s
	s=$(calc "$fh * $fill")
	local cx=$((fw / 2)) cy=$((fh / 2)) c
	c=$(awk -v pw="$pw" -v ph="$ph" -v s="$s" -v cx="$cx" -v cy="$cy" -v a="$angle" -v t="$tilt" -v seed="$seed" 'BEGIN {
		x = (seed * 7919 + 17) % 2147483648
		split("0 1 1 0", sx, " "); split("0 0 1 1", sy, " ")
		r = a * 3.14159265 / 180; w = s * pw / ph
		for (i = 1; i <= 4; i++) {
			x = (x * 1103515245 + 12345) % 2147483648; dx = (2 * x / 2147483648 - 1) * t * s
			x = (x * 1103515245 + 12345) % 2147483648; dy = (2 * x / 2147483648 - 1) * t * s
			px = (sx[i] - 0.5) * w + dx; py = (sy[i] - 0.5) * s + dy
			printf "%d,%d %.1f,%.1f ", sx[i] * pw, sy[i] * ph, cx + px * cos(r) - py * sin(r), cy + px * sin(r) + py * cos(r)
		}
	}')
	local post=()
	if [ "$light" != 0 ]; then
		post+=(\( -size "${fw}x${fh}" -define gradient:angle="$(calc "$(rnd 5 "$seed") * 360")" gradient:white-"gray($light%)" \) -compose Multiply -composite -compose Over)
	fi
	[ "$motion" != 0 ] && post+=(-motion-blur "0x$motion+$((seed * 37 % 180))")
	[ "$blur" != 0 ] && post+=(-blur "0x$blur")
	convert "$src/page.pgm" +level 8%,93% -virtual-pixel background -background 'gray(28%)' \
		-define distort:viewport="${fw}x${fh}+0+0" -distort Perspective "$c" "${post[@]}" \
		-seed "$seed" -attenuate "$noise" +noise Gaussian -colorspace Gray -type Grayscale -strip -quality "$q" "$print/$out"
}
expect() { # out condition pdf
	code_of "$3" | while IFS= read -r text; do printf "%s\t%s\t%s\n" "$1" "$2" "$text" >> "$print/expected.tsv"; done
}
if [[ $want == *" print "* ]]; then
rm -rf "$print" && mkdir -p "$print"
: > "$print/expected.tsv"
for i in 0 1 2 3 4 5; do
	page sheet$i.pdf 100 1280 720 "sheet_photo_$i.jpg" $((i + 300 + off)) $((i * 13 - 30)) $(calc "0.05 + $i * 0.02") 0.95 light=$((45 + i * 5)) q=$((30 + i * 5))
	expect "sheet_photo_$i.jpg" sheet_photo sheet$i.pdf
	page sheet$i.pdf 100 1280 720 "sheet_blurred_$i.jpg" $((i + 310 + off)) $((i * 7 - 20)) 0.04 0.9 blur=$(calc "1 + $i * 0.15") motion=$((i % 2 * 6)) noise=0.8 q=35
	expect "sheet_blurred_$i.jpg" sheet_blurred sheet$i.pdf
done
for i in 0 1; do
	pdftoppm -gray -r 200 -singlefile "$src/batch$i.pdf" "$src/page"
	convert "$src/page.pgm" -strip -quality 60 "$print/batch_scan200_$i.jpg"
	expect "batch_scan200_$i.jpg" batch_scan200 batch$i.pdf
	page batch$i.pdf 150 1200 1600 "batch_photo_$i.jpg" $((i + 320 + off)) $((i * 9 - 6)) 0.05 0.95 light=55 q=50
	expect "batch_photo_$i.jpg" batch_photo batch$i.pdf
	page batch$i.pdf 150 1200 1600 "batch_tilted_$i.jpg" $((i + 330 + off)) $((i * 20 - 12)) 0.09 0.9 blur=0.8 noise=0.6 q=40
	expect "batch_tilted_$i.jpg" batch_tilted batch$i.pdf
done
fi
du -sh "$photos" "$print"
