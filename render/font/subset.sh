#!/bin/sh
# subset.sh regenerates wqy-microhei-gb2312.ttf, the font the PDF sheets use.
#
# Source: WenQuanYi Micro Hei (face 0 of wqy-microhei.ttc, Debian package
# fonts-wqy-microhei), licensed Apache-2.0 (or GPL-3+ with font exception;
# we take Apache-2.0, see LICENSE). The subset keeps every character of
# GB 2312 (all 7445 of them, symbols and all 6763 hanzi), printable ASCII, and
# a few extra punctuation marks the sheets print. Hinting is dropped (the
# PDF viewer or printer rasterises at high resolution) to keep the file small.
#
# Needs: apt-get install fonts-wqy-microhei fonttools
set -eu
cd "$(dirname "$0")"
src=${1:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}
python3 - "$src" <<'PY'
import sys
from fontTools.ttLib import TTCollection
chars = set(chr(c) for c in range(0x20, 0x7f))
for b1 in range(0xA1, 0xF8):
    for b2 in range(0xA1, 0xFF):
        try:
            chars.add(bytes([b1, b2]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
# Extras: middle dot and dashes under their other common mappings, bullet,
# fullwidth tilde.
chars.update("\u00b7\u2014\u2015\u2022\u30fb\uff5e")
with open("chars.txt", "w", encoding="utf-8") as f:
    f.write("".join(sorted(chars)))
TTCollection(sys.argv[1]).fonts[0].save("face0.tmp.ttf")
PY
pyftsubset face0.tmp.ttf --text-file=chars.txt --no-hinting --layout-features='' \
	--name-IDs='*' --name-languages='*' --notdef-outline --drop-tables+=GSUB,GPOS,GDEF \
	--output-file=wqy-microhei-gb2312.ttf
rm -f face0.tmp.ttf chars.txt
ls -l wqy-microhei-gb2312.ttf
