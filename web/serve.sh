#!/usr/bin/env bash
# Serves the browser build (web/build.sh) at http://localhost:8080/ (or PORT), on this machine
# only. Any static server works; this one only needs Python.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-8080}
DIR=${2:-web/dist}
[[ -f $DIR/index.html ]] || { echo "no $DIR/index.html: run web/build.sh first" >&2; exit 1; }
echo "optiscope at http://localhost:$PORT/"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$DIR"
