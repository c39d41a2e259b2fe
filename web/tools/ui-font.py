#!/usr/bin/env python3
"""Writes assets/fonts/NotoSansCJKsc-Regular-ui.otf: the Chinese font of the one-file page.

The page cannot fetch the 5 MB font beside it (a file:// page may not read other files), and
the whole font would double the page. This subset holds what the app itself writes in Chinese:
every CJK character of the resource files, of the built-in scenes and of the sources (the
core's texts), plus CJK punctuation and the full-width forms; about 180 KB.
tests/text.rs fails when a character we ship is missing from it: rerun this script then.

    pip install fonttools && python3 web/tools/ui-font.py
"""
import glob
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
source = os.path.join(root, "assets/fonts/NotoSansCJKsc-Regular-subset.otf")
out = os.path.join(root, "assets/fonts/NotoSansCJKsc-Regular-ui.otf")


def cjk(c):
    return 0x2E80 <= ord(c) <= 0x9FFF or 0xF900 <= ord(c) <= 0xFAFF or 0xFE30 <= ord(c) <= 0xFE4F \
        or 0xFF00 <= ord(c) <= 0xFFEF or ord(c) >= 0x20000


chars = set()
for pattern in ["assets/text/*.ftl", "presets/*.ron", "src/**/*.rs"]:
    for path in glob.glob(os.path.join(root, pattern), recursive=True):
        with open(path, encoding="utf-8") as f:
            chars |= {ord(c) for c in f.read() if cjk(c)}
chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))

font = TTFont(source, recalcTimestamp=False)
options = subset.Options()
options.layout_features = ["*"]
options.notdef_outline = True
options.name_IDs = ["*"]
subsetter = subset.Subsetter(options)
subsetter.populate(unicodes=sorted(chars))
subsetter.subset(font)
font.save(out)
print(f"{os.path.relpath(out, root)}: {len(chars)} characters, {os.path.getsize(out)} bytes", file=sys.stderr)
