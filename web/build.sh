#!/usr/bin/env bash
# Builds optiscope for the browser into a static folder (default web/dist: index.html, the JS
# glue, the .wasm) that any static web server can serve (web/serve.sh serves it locally), and
# optiscope.html, the whole app in one file that opens from file:// (web/tools/bundle.py).
#
#   web/build.sh [OUT_DIR]
#
# Needs the wasm32-unknown-unknown target (`rustup target add wasm32-unknown-unknown`) and the
# wasm-bindgen CLI of the version in Cargo.lock (installed here with `cargo install` if
# missing). Where rustup cannot download the target (an offline mirror of crates only), a
# Debian machine can use Debian's web toolchain instead; see `debian_route` below.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-web/dist}
TARGET=wasm32-unknown-unknown
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR_WEB:-target/web}
start=$SECONDS

# Debian bookworm's rustup mirror has no wasm32 standard library, and Debian's own
# libstd-rust-dev-wasm32 belongs to an old rustc. Debian's "web" toolchain (rustc-web, the
# compiler Firefox and Chromium are built with) is new enough: it brings rustc and cargo with
# the WebAssembly backend and the standard library's sources, from which cargo builds std for
# wasm32 (-Zbuild-std, allowed on that stable compiler by RUSTC_BOOTSTRAP). lld-19 links.
debian_route() {
  if ! [[ -x /usr/bin/rustc && -d /usr/lib/rustlib/src/rust/library ]] || ! command -v wasm-ld-19 >/dev/null; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
      echo "== installing Debian's web toolchain (rustc-web, rust-web-src, lld-19)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rustc-web cargo-web rust-web-src lld-19 >/dev/null
    else
      echo "error: no wasm32 target: run 'rustup target add $TARGET'" >&2
      exit 1
    fi
  fi
  RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build \
    --profile web --bin optiscope --target $TARGET -Zbuild-std=std,panic_abort \
    --config "target.$TARGET.linker=\"wasm-ld-19\""
}

echo "== building optiscope for $TARGET"
if rustup target list --installed 2>/dev/null | grep -qx $TARGET; then
  cargo build --profile web --bin optiscope --target $TARGET
else
  debian_route
fi
WASM=$CARGO_TARGET_DIR/$TARGET/web/optiscope.wasm

# The CLI must be the version of the wasm-bindgen crate the app was built with.
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $BINDGEN_VERSION" ]]; then
  echo "== installing wasm-bindgen-cli $BINDGEN_VERSION (a few minutes, once)"
  cargo install --quiet wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

echo "== wasm-bindgen"
rm -rf "$OUT"
mkdir -p "$OUT"
# Without the name section (1 MB of function names, 140 KiB of the gzip-compressed download):
# a panic in the browser still reports its message and location, only the console's stack
# shows wasm-function[N] instead of Rust names.
wasm-bindgen --target web --no-typescript --remove-name-section --out-dir "$OUT" "$WASM"
cp web/index.html "$OUT/"
# The Chinese font, fetched by the page only when Chinese is chosen or appears (src/text/font.rs).
cp assets/fonts/NotoSansCJKsc-Regular-subset.otf "$OUT/"

# wasm-opt (binaryen) shrinks the download by about 150 KiB gzip-compressed, which keeps it
# within the 3.5 MB budget. A recent system binaryen is used where there is one; older ones
# (Debian bookworm's is 108) accept the module but break its function tables, so otherwise
# binaryen 132 comes from npm (web/tools/package-lock.json; it runs on node, about two
# minutes). Without either the module is left as built, larger but working.
wasm_opt=
binaryen=$(wasm-opt --version 2>/dev/null | grep -o 'version [0-9]*' | grep -o '[0-9]*' || true)
if [[ -n $binaryen ]] && (( binaryen >= 118 )); then
  wasm_opt=wasm-opt
elif command -v npm >/dev/null; then
  if [[ ! -x web/tools/node_modules/.bin/wasm-opt ]]; then
    echo "== binaryen's wasm-opt from npm (web/tools/package-lock.json)"
    (cd web/tools && npm ci --no-audit --no-fund --silent) || true
  fi
  [[ -x web/tools/node_modules/.bin/wasm-opt ]] && wasm_opt=web/tools/node_modules/.bin/wasm-opt
fi
if [[ -n $wasm_opt ]]; then
  echo "== wasm-opt -O2 ($($wasm_opt --version))"
  if $wasm_opt -O2 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue \
      "$OUT/optiscope_bg.wasm" -o "$OUT/optiscope_bg.opt.wasm"; then
    mv "$OUT/optiscope_bg.opt.wasm" "$OUT/optiscope_bg.wasm"
  else
    rm -f "$OUT/optiscope_bg.opt.wasm"
    echo "wasm-opt: this binaryen cannot read the module; left as built"
  fi
else
  echo "wasm-opt: no binaryen 118 or newer and no npm to fetch one; the module is left as built"
fi

# The one-file app: the page with the JS, the .wasm and the interface's Chinese font inside it.
python3 web/tools/bundle.py "$OUT"

bytes=$(stat -c %s "$OUT/optiscope_bg.wasm")
gz=$(gzip -9 -c "$OUT/optiscope_bg.wasm" | wc -c)
echo "== $OUT: optiscope_bg.wasm $((bytes / 1024)) KiB, $((gz / 1024)) KiB gzip-compressed ($((SECONDS - start)) s)"
