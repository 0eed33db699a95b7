#!/usr/bin/env bash
# screenshots.sh — make the pictures in docs/ that README.md shows: phone
# cards of each kind (green personal, yellow kinship, red personal), a
# kinship A4 sheet and a page of batch cards, scaled down for the README.
#
#   scripts/screenshots.sh
#
# Needs ImageMagick (convert) and poppler-utils (pdftoppm). Codes are
# issued at a fixed time with a throw-away key made in a temporary
# directory, so the QR symbols differ from run to run; nothing else does.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in convert pdftoppm; do
	command -v "$tool" >/dev/null || { echo "needs $tool: apt-get install imagemagick poppler-utils" >&2; exit 2; }
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/offcode" ./cmd/offcode
oc() { "$dir/offcode" "$@"; }
at=2026-11-23T16:00:00+08:00
id=11010519491231002X
oc keygen --key "$dir/k.pem" --trust "$dir/t.json" --issuer "screenshots" >/dev/null 2>&1
issue() { oc issue --key "$dir/k.pem" --id "$id" --at "$at" "$@" 2>/dev/null; }
issue --colour green --out "$dir/green.png"
issue --colour yellow --kind kin --holder '张*华 **************002X' --out "$dir/yellow-kin.png"
issue --colour red --holder '李*明' --out "$dir/red.png"
issue --colour yellow --kind kin --holder '张*华 **************002X' --out "$dir/sheet.pdf"
printf 'id,colour,kind,holder\n' >"$dir/people.csv"
for row in green,, yellow,kin,张*华 red,, green,kin,李*明 red,kin, yellow,, green,, red,kin,王*; do
	printf '%s,%s\n' "$id" "$row" >>"$dir/people.csv"
done
oc batch --key "$dir/k.pem" --in "$dir/people.csv" --out "$dir/batch.pdf" --at "$at" 2>/dev/null
for card in green yellow-kin red; do
	# A third of the size, 64 colours: small enough for the README.
	convert "$dir/$card.png" -resize 360x640 -colors 64 "docs/card-$card.png"
done
pdftoppm -r 40 -png -singlefile "$dir/sheet.pdf" "$dir/sheet"
pdftoppm -r 40 -png -singlefile "$dir/batch.pdf" "$dir/batch"
convert "$dir/sheet.png" -colors 64 docs/sheet-kin.png
convert "$dir/batch.png" -colors 64 docs/batch-page.png
ls -l docs/*.png
