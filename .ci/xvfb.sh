# Sourced by window-smoke.sh and tests/soak.sh: starts Xvfb on a free display with software
# OpenGL and a throw-away HOME (so the window's saved state never leaks between runs), and
# cleans up on exit. Sets DISPLAY; the caller sets `app` to the PID it starts.
home=$(mktemp -d)
display=":$(( ${XVFB_BASE:-90} + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
  [[ -n $app ]] && kill -KILL "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT
for _ in $(seq 50); do [[ -S /tmp/.X11-unix/X${display#:} ]] && break; sleep 0.1; done
export DISPLAY=$display LIBGL_ALWAYS_SOFTWARE=1 HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config
unset WAYLAND_DISPLAY
