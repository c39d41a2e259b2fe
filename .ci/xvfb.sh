# Sourced by window-smoke.sh and tests/soak.sh: starts Xvfb on a free display with software
# OpenGL and a throw-away HOME (so the window's saved state never leaks between runs), and
# cleans up on exit. Sets DISPLAY; the caller sets `app` to the PID it starts.
home=$(mktemp -d)
# A display no other X server holds (its lock file names the owner).
for _ in $(seq 50); do
  display=":$(( ${XVFB_BASE:-90} + RANDOM % 100 ))"
  [[ -e /tmp/.X${display#:}-lock ]] || break
done
# -noreset: by default an X server resets when its last client disconnects, and a window opened
# during that reset fails with "Failed to open connection to X server" (seen between presets).
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb=$!
app=""
cleanup() {
  [[ -n $app ]] && kill -KILL "$app" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT
# Ready when it answers, not merely when its socket exists (a stale socket may be left over).
for _ in $(seq 100); do
  DISPLAY=$display xdotool getdisplaygeometry >/dev/null 2>&1 && break
  sleep 0.1
done
export DISPLAY=$display LIBGL_ALWAYS_SOFTWARE=1 HOME=$home XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config
unset WAYLAND_DISPLAY
