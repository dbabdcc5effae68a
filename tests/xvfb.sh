# Sourced by the scripts that run the window: a private Xvfb display (1280x800, or
# XVFB_SCREEN, e.g. 1920x1080x24) and a
# throw-away home, both removed on exit, with the app pointed at this source tree's
# routines. Call `start_xvfb ROOT`; a caller may define `on_exit` to clean up more.
start_xvfb() {
  local root=$1
  local display=":$((90 + RANDOM % 400))"
  Xvfb "$display" -screen 0 "${XVFB_SCREEN:-1280x800x24}" -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  xvfb_home=$(mktemp -d)
  chmod 700 "$xvfb_home"
  trap 'declare -F on_exit >/dev/null && on_exit; kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$xvfb_home"' EXIT
  export DISPLAY=$display XDG_RUNTIME_DIR=$xvfb_home
  export XDG_DATA_HOME=$xvfb_home/data XDG_CONFIG_HOME=$xvfb_home/config
  export LIMBERUP_DATA_DIR=$root
  for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "Xvfb did not start on $display" >&2
  return 1
}
