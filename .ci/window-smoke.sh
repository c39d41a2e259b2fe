#!/usr/bin/env bash
# Opens the real optiscope window on every built-in preset under Xvfb (software OpenGL), lets it
# animate, takes a screenshot, and fails if the process crashed, printed a panic, or the picture
# is blank; then once more in lecture mode (F11, light theme, then PageDown through every scene,
# a screenshot each). Installs what it needs with apt-get (CI machines have only Rust).
#
# usage: .ci/window-smoke.sh [BINARY] [SECONDS]   (default: target/debug/optiscope, 3 s per preset)
# Screenshots are left in target/window-smoke/ for a look.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:-target/debug/optiscope}
seconds=${2:-3}
out=target/window-smoke
[[ -x $bin ]] || { echo "window-smoke: no binary at $bin (build it first)" >&2; exit 1; }

need=()
for pair in Xvfb:xvfb xauth:xauth xdotool:xdotool /usr/bin/import:imagemagick \
            /usr/bin/identify:imagemagick; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair##*:}")
done
libs=$(ldconfig -p 2>/dev/null || true)
for pair in libxkbcommon-x11.so.0:libxkbcommon-x11-0 libEGL.so.1:libegl1 libGL.so.1:libgl1 \
            libXcursor.so.1:libxcursor1 libXi.so.6:libxi6 libXrandr.so.2:libxrandr2; do
  grep -qF "${pair%%:*}" <<<"$libs" || need+=("${pair##*:}")
done
compgen -G '/usr/lib/*/dri/swrast_dri.so' >/dev/null || need+=(libgl1-mesa-dri)
if [[ ${#need[@]} -gt 0 ]]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "window-smoke: installing ${need[*]}"
  sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

mkdir -p "$out"
# shellcheck source=.ci/xvfb.sh
source .ci/xvfb.sh
failed=0
# Every built-in preset, then the first-launch scene in lecture mode: F11 (full screen, larger),
# L (light theme) and PageDown (the next scene) pressed in the real window.
for preset in presets/*.ron lecture-mode; do
  name=$(basename "$preset" .ron)
  log="$out/$name.log"
  if [[ $preset == lecture-mode ]]; then
    "$bin" >"$log" 2>&1 &
  else
    "$bin" --preset "$preset" >"$log" 2>&1 &
  fi
  app=$!
  win=""
  for _ in $(seq 600); do  # up to 60 s for the first frame of a debug build
    kill -0 "$app" 2>/dev/null || break
    win=$(xdotool search --onlyvisible --name optiscope 2>/dev/null | head -n 1 || true)
    [[ -n $win ]] && break
    sleep 0.1
  done
  verdict=""
  if [[ -z $win ]]; then
    verdict="no window appeared"
  else
    sleep "$seconds"
    if [[ $preset == lecture-mode ]]; then
      xdotool windowfocus "$win" 2>/dev/null || true
      xdotool key --window "$win" --delay 300 F11 l Next 2>/dev/null || true
      sleep "$seconds"
      # The lecture walk of tests/layout.rs in the real window: every scene in turn by
      # PageDown, each kept as a screenshot (lecture-01.png ...) for a look.
      for k in $(seq -w 1 "$(ls presets/*.ron | wc -l)"); do
        kill -0 "$app" 2>/dev/null || break
        xdotool key --window "$win" Next 2>/dev/null || true
        sleep 1
        /usr/bin/import -display "$display" -window root "$out/lecture-$k.png"
      done
    fi
    if ! kill -0 "$app" 2>/dev/null; then
      verdict="the process exited while animating"
    else
      /usr/bin/import -display "$display" -window root "$out/$name.png"
      colours=$(/usr/bin/identify -format %k "$out/$name.png")
      (( colours >= 500 )) || verdict="the screenshot looks blank ($colours colours)"
    fi
  fi
  kill -TERM "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=""
  if grep -q "panicked" "$log"; then
    verdict="${verdict:+$verdict; }it panicked"
  fi
  if [[ -n $verdict ]]; then
    echo "FAIL $name: $verdict; its output:"
    tail -n 20 "$log" | sed 's/^/    /'
    failed=1
  else
    echo "ok   $name: window animated for ${seconds} s, screenshot with $colours colours"
  fi
done
exit "$failed"
