#!/usr/bin/env bash
# The browser build in a real browser: builds web/dist with web/build.sh (which installs the
# web toolchain it needs), installs Chromium and puppeteer-core, and runs web/test/browser.mjs:
# the page loads and draws without a console error, a sweep finishes without freezing the page,
# a custom formula works, presets open from the file picker and by drag and drop, Save and
# Export download, links from `optiscope share` and File ▸ Copy link open their scene, a damaged
# link says so, PageDown, full screen and persistence work.
#
# usage: .ci/web.sh [NATIVE_BINARY]   (default target/debug/optiscope, for `optiscope share`)
# Screenshots are left in target/web-smoke/ for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/optiscope}
dist=target/web-dist
shots=target/web-smoke

if ! command -v chromium >/dev/null; then
  echo "== installing Chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

web/build.sh "$dist"

echo "== puppeteer-core (web/test/package-lock.json)"
(cd web/test && npm ci --no-audit --no-fund --silent)

echo "== the browser build in headless Chromium"
rm -rf "$shots"
node web/test/browser.mjs "$dist" "$bin" "$shots"
