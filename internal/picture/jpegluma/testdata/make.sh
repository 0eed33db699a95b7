#!/usr/bin/env bash
# Writes the JPEG files of the differential test (TestRealFiles) with the
# encoders photos come from, ImageMagick and libjpeg-turbo's cjpeg and
# jpegtran (Debian: imagemagick, libjpeg-turbo-progs). Files named
# fallback_* are ones jpegluma leaves to image/jpeg (progressive,
# arithmetic-coded, RGB, CMYK); every other one it must decode.
#
# Usage: bash internal/picture/jpegluma/testdata/make.sh
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Sources: ImageMagick's built-in colour logo at an odd size, and a grey
# crop of one of the scanner's held-out photos.
convert logo: -resize 211x158\! "$tmp/c.ppm"
convert ../../../../scan/testdata/photos/combination_48.jpg -crop 203x157+500+250 +repage "$tmp/g.pgm"
convert logo: -resize 9x17\! "$tmp/tiny.ppm"

# ImageMagick, at several qualities and chroma samplings.
for q in 15 50 92; do
	for s in 4:2:0 4:2:2 4:4:4 1x1; do
		convert "$tmp/c.ppm" -quality "$q" -sampling-factor "$s" "im_q${q}_${s//:/}.jpg"
	done
	convert "$tmp/g.pgm" -quality "$q" "im_grey_q$q.jpg"
done
convert "$tmp/tiny.ppm" -quality 75 im_tiny_9x17.jpg
convert logo: -resize 1x1\! -quality 75 im_tiny_1x1.jpg

# cjpeg: sampling factors ImageMagick does not offer, restart intervals,
# optimised Huffman tables, 16-bit quantisation tables (quality 1 without
# -baseline: an extended sequential SOF1 frame).
cjpeg -quality 60 -sample 4x1,1x1,1x1 "$tmp/c.ppm" >cj_411.jpg
cjpeg -quality 60 -sample 1x2,1x1,1x1 "$tmp/c.ppm" >cj_440.jpg
cjpeg -quality 60 -sample 4x2,1x1,1x1 "$tmp/c.ppm" >cj_4x2.jpg
cjpeg -quality 60 -sample 2x2,1x1,1x1 -restart 1 "$tmp/c.ppm" >cj_restart_row.jpg
cjpeg -quality 60 -sample 2x2,1x1,1x1 -restart 3B "$tmp/c.ppm" >cj_restart_3mcu.jpg
cjpeg -quality 60 -grayscale -restart 5B "$tmp/g.pgm" >cj_grey_restart_5.jpg
cjpeg -quality 80 -optimize "$tmp/c.ppm" >cj_optimize.jpg
cjpeg -quality 1 "$tmp/c.ppm" >cj_q1_16bit.jpg
cjpeg -quality 75 -sample 2x2 -grayscale "$tmp/g.pgm" >cj_grey_2x2.jpg

# A sequential picture in three scans, one per component (not interleaved).
printf '0;\n1;\n2;\n' >"$tmp/scans.txt"
jpegtran -scans "$tmp/scans.txt" cj_optimize.jpg >cj_three_scans.jpg

# What jpegluma leaves to image/jpeg.
cjpeg -quality 60 -progressive "$tmp/c.ppm" >fallback_progressive.jpg
cjpeg -quality 60 -progressive -grayscale "$tmp/g.pgm" >fallback_progressive_grey.jpg
cjpeg -quality 60 -rgb "$tmp/c.ppm" >fallback_rgb.jpg
convert "$tmp/c.ppm" -quality 60 -colorspace CMYK fallback_cmyk.jpg
cjpeg -quality 60 -arithmetic "$tmp/c.ppm" >fallback_arithmetic.jpg
