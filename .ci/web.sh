#!/usr/bin/env bash
# The browser build in a real browser: builds web/dist with web/build.sh (which installs the
# web toolchain it needs), installs Chromium and puppeteer-core, and runs web/test/browser.mjs:
# the page loads and draws without a console error, a sweep finishes without freezing the page,
# a custom formula works, presets open from the file picker and by drag and drop, Save and
# Export download, links from `optiscope share` and File ▸ Copy link open their scene, a damaged
# link says so, PageDown, full screen and persistence work; with the network off and from file://,
# the one-file app, a scene page, two embeds in iframes, Save as web page and the gallery's cards.
# Then the one-file app and a scene page in Firefox (headful under Xvfb, software OpenGL).
#
# usage: .ci/web.sh [NATIVE_BINARY]   (default target/debug/optiscope, for `optiscope share`)
# Screenshots are left in target/web-smoke/ for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/optiscope}
dist=target/web-dist
shots=target/web-smoke

if ! command -v chromium >/dev/null || ! command -v firefox-esr >/dev/null || ! command -v xvfb-run >/dev/null; then
  echo "== installing Chromium, Firefox and Xvfb"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium firefox-esr xvfb xauth >/dev/null
fi

web/build.sh "$dist"

echo "== puppeteer-core (web/test/package-lock.json)"
(cd web/test && npm ci --no-audit --no-fund --silent)

echo "== the browser build in headless Chromium"
rm -rf "$shots"
node web/test/browser.mjs "$dist" "$bin" "$shots"

echo "== the one-file app and a scene page in Firefox, from file://"
"$bin" page --preset presets/stability-limit.ron --out "$shots/scene.html" --page "$dist/optiscope.html"
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1280x800x24" \
  node web/test/firefox.mjs "$dist/optiscope.html" "$shots/scene.html" \
  "Gradient descent at its stability limit" "$shots"
