#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots/ from the real app under Xvfb (1280x800),
# driven with xdotool; then the player at 1280x720 and 1920x1080, running and paused, each
# on a screen of its size (`--player-at WxH`, which takes only those).
# usage: packaging/screenshots.sh [BINARY]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
player_at=
if [ "${1:-}" = --player-at ]; then
  player_at=$2
  shift 2
  export XVFB_SCREEN=${player_at}x24
fi
bin=$(realpath "${1:-$root/target/release/limberup}")
out=$root/docs/screenshots
mkdir -p "$out"

# shellcheck source=tests/xvfb.sh
source "$root/tests/xvfb.sh"
start_xvfb "$root"

app=0
start() { "$bin" "$@" >/dev/null 2>&1 & app=$!; wid=$(timeout 30 xdotool search --sync --onlyvisible --pid "$app" | head -n1); xdotool windowfocus --sync "$wid"; sleep 2; }
stop() { kill "$app"; wait "$app" 2>/dev/null || true; }
shot() { import -window root "$out/$1.png"; echo "wrote docs/screenshots/$1.png"; }
# One key a frame: egui counts a key pressed twice within one frame once.
keys() { for _ in $(seq "$1"); do xdotool key "$2"; sleep 0.5; done; }
# The index of the first segment of a kind in a routine's plan.
first() { "$bin" show --json "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print(next(s['index'] for s in d['segments'] if $2))"; }

# The player filling a screen of WxH, 4 s into the first stretch (its left side), then paused.
if [ -n "$player_at" ]; then
  start play pre-run-warmup
  xdotool windowmove --sync "$wid" 0 0 windowsize --sync "$wid" "${player_at%x*}" "${player_at#*x}"
  stretch=$(first pre-run-warmup "s['kind'] == 'work' and s.get('side') == 'left'")
  keys "$stretch" Right
  sleep 4; shot "player-$player_at"
  xdotool key space; sleep 1; shot "player-$player_at-paused"
  stop
  exit 0
fi

start; shot library; xdotool mousemove 366 25; sleep 0.5; xdotool click 1; sleep 1; shot settings; stop
start open pre-run-warmup; shot routine; stop

# Past the lead-in, which grows to hold the opening words (11 s here), 2 s into the work.
lead_in=$("$bin" show --json pre-run-warmup | python3 -c "import json,sys; s=json.load(sys.stdin)['segments'][0]; print(s['duration_ms'] // 1000 if s['kind'] == 'lead_in' else 0)")
start play pre-run-warmup; sleep $((lead_in + 2)); shot player-work
rest=$(first pre-run-warmup "s['kind'] == 'rest'"); keys $((rest - 1)) Right; sleep 3; shot player-rest
done_at=$(first pre-run-warmup "s['waits_for_done']"); keys $((done_at - rest)) Right; sleep 4; shot player-done
stop

start play mid-run-reset; sleep 3; keys 8 Right; sleep 1; xdotool key 3; sleep 1; shot finish; stop

# Levels: the lunge matrix's page at the standard level (`]` moves every step up one), and
# its player on an alternating rep.
start open lunge-matrix; xdotool key bracketright; sleep 1; shot routine-levels; stop
start play lunge-matrix --level 2; sleep 11; shot player-alternating; stop

broken=$(mktemp -d); mkdir -p "$broken/routines"
cp "$root/routines/desk-break.ron" "$root/routines/exercises.ron" "$broken/routines/"
cp -r "$root/routines/images" "$broken/routines/"
sed 's/title: "Mid-run reset"/tittle: "Mid-run reset"/' "$root/routines/mid-run-reset.ron" > "$broken/routines/mid-run-reset.ron"
sed 's/exercise: "cobra", sets/exercise: "cobar", sets/' "$root/routines/psoas-hip-flexor-release.ron" > "$broken/routines/psoas-hip-flexor-release.ron"
LIMBERUP_DATA_DIR=$broken start; shot errors; stop
rm -rf "$broken"

# The training log: five weeks of sessions put into the log the first start created, then H.
python3 "$root/packaging/seed-history.py" "$XDG_DATA_HOME/limberup/history.sqlite3"
start; xdotool mousemove 1270 790; xdotool key h; sleep 1; shot history; stop   # pointer off the chart

# The player from three metres, at two screen sizes.
for size in 1280x720 1920x1080; do bash "$0" --player-at "$size" "$bin"; done
