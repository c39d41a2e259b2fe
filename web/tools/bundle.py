#!/usr/bin/env python3
"""Makes the one-file app: DIST/optiscope.html, the page of DIST/index.html with the JS glue,
the .wasm and the interface's Chinese font inside it, so it opens by double click from
file://, offline, with no other request.

    python3 web/tools/bundle.py DIST

Each file is gzip-compressed (the browser's DecompressionStream unpacks it) and written in
RFC 1924 base85 (25 % larger than the bytes, where base64 adds 33 %) into a
<script type="application/x-optiscope" data-name="..."> element at the page's
<!--optiscope-payload--> mark; the alphabet has no '/', so no data can end its element.
Standard library only.
"""
import base64
import gzip
import os
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
dist = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "web", "dist")
MARK = "<!--optiscope-payload-->"
FILES = [
    ("optiscope.js", os.path.join(dist, "optiscope.js")),
    ("optiscope_bg.wasm", os.path.join(dist, "optiscope_bg.wasm")),
    ("font", os.path.join(root, "assets", "fonts", "NotoSansCJKsc-Regular-ui.otf")),
]

with open(os.path.join(dist, "index.html"), encoding="utf-8") as f:
    page = f.read()
if page.count(MARK) != 1:
    sys.exit(f"bundle.py: {dist}/index.html must hold {MARK} once")

parts = []
for name, path in FILES:
    with open(path, "rb") as f:
        data = f.read()
    # mtime=0: the same inputs give the same page.
    packed = base64.b85encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")
    parts.append(f'<script type="application/x-optiscope" data-name="{name}">{packed}</script>')
    print(f"  {name}: {len(data) // 1024} KiB, {len(packed) // 1024} KiB in the page", file=sys.stderr)

out = os.path.join(dist, "optiscope.html")
with open(out, "w", encoding="utf-8") as f:
    f.write(page.replace(MARK, "\n  ".join(parts)))
print(f"== {out}: {os.path.getsize(out) // 1024} KiB, one file", file=sys.stderr)
