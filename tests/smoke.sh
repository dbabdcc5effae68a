#!/usr/bin/env bash
# Window smoke test: the binary under Xvfb, driven with xdotool (start, pause, skip),
# photographed; the process must stay alive and every picture must differ and not be blank.
# usage: tests/smoke.sh BINARY [OUT_DIR]
set -euo pipefail
bin=$(realpath "$1")
out=${2:-$(mktemp -d)}
mkdir -p "$out"
root=$(cd "$(dirname "$0")/.." && pwd)

# shellcheck source=tests/xvfb.sh
source "$root/tests/xvfb.sh"
on_exit() { if [[ -n ${app:-} ]]; then kill "$app" 2>/dev/null || true; fi; }
start_xvfb "$root"

fail() { echo "smoke test FAILED: $*" >&2; exit 1; }
alive() { kill -0 "$app" 2>/dev/null || fail "the app exited ($1)"; }
shot() { import -window root "$out/$1.png"; }
not_blank() {
  local sd
  sd=$(convert "$out/$1.png" -colorspace Gray -format "%[fx:standard_deviation]" info:)
  awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || fail "$1.png is blank (sd $sd)"
}
differs() {
  local n
  n=$(compare -metric AE "$out/$1.png" "$out/$2.png" null: 2>&1 || true)
  [ "${n%% *}" != "0" ] || fail "$2.png shows nothing new after $1.png"
}

"$bin" play pre-run-warmup >"$out/app.log" 2>&1 & app=$!
wid=$(timeout 30 xdotool search --sync --onlyvisible --pid "$app" | head -n1) || fail "no window within 30 s"
sleep 5 # past the 3 s get-ready
alive "after start"; shot 1-playing; not_blank 1-playing

xdotool windowfocus --sync "$wid"
xdotool key space; sleep 1.5
alive "after pause"; shot 2-paused; not_blank 2-paused; differs 1-playing 2-paused

xdotool key space; sleep 4
xdotool key Right; sleep 1.5
alive "after skip"; shot 3-skipped; not_blank 3-skipped; differs 2-paused 3-skipped

echo "smoke test passed: screenshots in $out"
