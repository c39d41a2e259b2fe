#!/usr/bin/env bash
# Soak test of the real window: the heaviest scene the window allows (8 runs × 10,000 steps on
# Rosenbrock, animation at the maximum 10,000 steps/s) under Xvfb for MINUTES minutes, while
# xdotool drags the learning-rate, timeline and speed sliders, clicks new start points on the
# surface (each click recomputes all 8 runs) and presses the playback keys. Samples the
# resident memory every 15 s. Fails if the process dies, panics, or its memory grows by more
# than 25% (+20 MB) between the first sample after warm-up and the end.
#
# usage: tests/soak.sh [MINUTES] [BINARY]   (default: 10 minutes, target/release/optiscope)
# Needs Xvfb, xdotool and ImageMagick; .ci/window-smoke.sh installs them. Screenshots of the
# start and the end go to target/soak/.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-10}
bin=${2:-target/release/optiscope}
out=target/soak
mkdir -p "$out"
[[ -x $bin ]] || { echo "soak: no binary at $bin (cargo build --release)" >&2; exit 1; }
for tool in Xvfb xdotool import; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing (run .ci/window-smoke.sh once)" >&2; exit 1; }
done

XVFB_BASE=200
# shellcheck source=.ci/xvfb.sh
source .ci/xvfb.sh
scene=$home/soak.ron
cat >"$scene" <<'EOF'
(
    version: 1,
    title: "Soak: 8 runs × 10,000 steps",
    surface: "rosenbrock",
    start: (-1.5, 2.0),
    steps: 10000,
    speed: 10000.0,
    runs: [
        (optimizer: "sgd", lr: 0.001),
        (optimizer: "sgd(momentum=0.9)", lr: 0.0002),
        (optimizer: "sgd(momentum=0.9,nesterov=true)", lr: 0.0002),
        (optimizer: "adagrad", lr: 0.5),
        (optimizer: "rmsprop", lr: 0.01, schedule: "cosine(T_max=10000)"),
        (optimizer: "adam", lr: 0.05, warmup: "linear(steps=200)"),
        (optimizer: "nadam", lr: 0.05, schedule: "step(step_size=2000,gamma=0.5)"),
        (optimizer: "lion", lr: 0.01, noise: 0.5, seed: 3),
    ],
)
EOF

"$bin" --preset "$scene" >"$out/app.log" 2>&1 &
app=$!
win=""
for _ in $(seq 600); do
  win=$(xdotool search --onlyvisible --name optiscope 2>/dev/null | head -n 1 || true)
  [[ -n $win ]] && break
  sleep 0.1
done
[[ -n $win ]] || { echo "soak: no window appeared"; tail "$out/app.log"; exit 1; }
xdotool windowmove "$win" 0 0 windowfocus "$win" 2>/dev/null || true
sleep 5

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$app/status" 2>/dev/null || echo 0; }
drag() {  # x0 y0 x1 y1: press, move in steps, release
  xdotool mousemove "$1" "$2"; sleep 0.05; xdotool mousedown 1
  for i in 1 2 3 4 5 6; do
    xdotool mousemove $(( $1 + ($3 - $1) * i / 6 )) $(( $2 + ($4 - $2) * i / 6 )); sleep 0.05
  done
  xdotool mouseup 1
}

# Widget positions in the 1280×800 window (see target/soak/start.png): the selected run's
# learning-rate slider in the left panel, and the timeline and speed sliders of the toolbar.
lr_slider_y=${SOAK_LR_Y:-705}
/usr/bin/import -window root "$out/start.png"
end=$(( $(date +%s) + minutes * 60 ))
first=$(rss); samples=("$first"); next_sample=$(( $(date +%s) + 15 )); actions=0
echo "soak: ${minutes} min; RSS after warm-up ${first} kB"
while (( $(date +%s) < end )); do
  kill -0 "$app" 2>/dev/null || { echo "soak: the app exited (crash?)"; tail -n 30 "$out/app.log"; exit 1; }
  case $(( RANDOM % 6 )) in
    0) drag $(( 10 + RANDOM % 90 )) "$lr_slider_y" $(( 10 + RANDOM % 90 )) "$lr_slider_y" ;;   # learning rate
    1) drag $(( 425 + RANDOM % 90 )) 37 $(( 425 + RANDOM % 90 )) 37 ;;  # timeline scrub
    2) drag $(( 600 + RANDOM % 70 )) 37 676 37 ;;                        # speed up to the maximum
    3) xdotool mousemove $(( 420 + RANDOM % 380 )) $(( 120 + RANDOM % 560 )); sleep 0.05
       xdotool click 1 ;;                                                  # new start point
    4) xdotool key --delay 50 space Right Right Left End Home space ;;
    5) xdotool mousemove $(( 420 + RANDOM % 380 )) $(( 120 + RANDOM % 560 )); sleep 0.05
       xdotool click 4 click 5 ;;                                          # zoom in and out
  esac
  actions=$(( actions + 1 ))
  sleep 0.1
  if (( $(date +%s) >= next_sample )); then
    samples+=("$(rss)"); next_sample=$(( $(date +%s) + 15 ))
  fi
done
last=$(rss)
/usr/bin/import -window root "$out/end.png"
kill -0 "$app" 2>/dev/null || { echo "soak: the app exited at the end"; exit 1; }
kill -TERM "$app"; wait "$app" 2>/dev/null || true; app=""
max=$(printf '%s\n' "${samples[@]}" "$last" | sort -n | tail -1)
echo "soak: ${actions} actions; RSS start ${first} kB, end ${last} kB, max ${max} kB"
echo "soak: samples (kB, every 15 s): ${samples[*]} $last"
if grep -q panicked "$out/app.log"; then echo "soak: the app panicked"; cat "$out/app.log"; exit 1; fi
if (( last > first * 125 / 100 + 20480 )); then
  echo "soak: memory grew from ${first} kB to ${last} kB"; exit 1
fi
echo "soak: passed"
