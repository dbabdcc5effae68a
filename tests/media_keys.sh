#!/usr/bin/env bash
# Media keys: the release binary plays the quick pre-run warm-up under Xvfb on a private
# session bus (dbus-run-session), and playerctl drives it as the desktop's media keys and
# headset buttons would: the metadata names the step, play-pause pauses and resumes (with
# the count-in), next completes the slow jog (a Done step), previous goes back, and the
# player leaves the bus when the session ends. The training log must agree.
# usage: tests/media_keys.sh BINARY
set -euo pipefail
if [[ -z ${LIMBERUP_PRIVATE_BUS:-} ]]; then
  LIMBERUP_PRIVATE_BUS=1 exec dbus-run-session -- bash "$0" "$@"
fi
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)

# shellcheck source=tests/xvfb.sh
source "$root/tests/xvfb.sh"
on_exit() { if [[ -n ${app:-} ]]; then kill "$app" 2>/dev/null || true; fi; }
start_xvfb "$root"

log=$(mktemp)
fail() {
  echo "media keys test FAILED: $*" >&2
  echo "--- the app's output:" >&2
  cat "$log" >&2
  exit 1
}
p() { playerctl --player=limberup "$@" 2>/dev/null; }
# Waits up to $1 seconds until `p $2…` prints exactly $want.
until_shows() {
  local secs=$1
  shift
  local got=""
  for _ in $(seq $((secs * 10))); do
    got=$(p "$@" || true)
    [[ $got == "$want" ]] && return 0
    sleep 0.1
  done
  fail "playerctl $* showed '$got', not '$want', after ${secs} s"
}

"$bin" play quick-pre-run-warmup >"$log" 2>&1 & app=$!
wid=$(timeout 30 xdotool search --sync --onlyvisible --pid "$app" | head -n1) || fail "no window within 30 s"

for _ in $(seq 150); do
  playerctl --list-all 2>/dev/null | grep -qx limberup && break
  sleep 0.1
done
playerctl --list-all | grep -qx limberup || fail "no MPRIS player named limberup: $(playerctl --list-all 2>&1)"
[[ $(p metadata xesam:album) == "Quick pre-run warm-up" ]] || fail "album: $(p metadata xesam:album)"

# Past the lead-in: the slow jog, a Done step.
want="Slow jog"; until_shows 15 metadata xesam:title
want="Press Done when finished"; until_shows 2 metadata xesam:artist
want="Playing"; until_shows 1 status
p metadata

# Play-pause pauses; the time stops.
p play-pause
want="Paused"; until_shows 3 status
want="Paused · Press Done when finished"; until_shows 1 metadata xesam:artist
first=$(p position); sleep 1.5; second=$(p position)
[[ $first == "$second" ]] || fail "the position ran on while paused: $first, then $second"

# Play-pause again resumes, after the count-in.
p play-pause
want="Playing"; until_shows 3 status
want="Press Done when finished"; until_shows 8 metadata xesam:artist

# Next completes the Done step: the rest after the jog's section follows.
p next
want="Rest"; until_shows 3 metadata xesam:title
[[ $(p metadata mpris:length) == 10000000 ]] || fail "the rest's length: $(p metadata mpris:length)"

# Previous goes back to the jog.
p previous
want="Slow jog"; until_shows 3 metadata xesam:title

# Stop from the window (Esc asks, Enter confirms): the player leaves the bus.
xdotool windowfocus --sync "$wid"
xdotool key Escape; sleep 0.5; xdotool key Return
for _ in $(seq 30); do
  playerctl --list-all 2>/dev/null | grep -qx limberup || break
  sleep 0.1
done
playerctl --list-all 2>/dev/null | grep -qx limberup && fail "the player stayed on the bus after the session ended"
kill -0 "$app" 2>/dev/null || fail "the app exited"

# The log has the jog once as done (by the media key) and once as stopped under way.
csv=$("$bin" history --csv)
row=$(echo "$csv" | tail -n1)
IFS=, read -r -a cells <<<"$row"
header=$(echo "$csv" | head -n1)
IFS=, read -r -a names <<<"$header"
for i in "${!names[@]}"; do
  case ${names[$i]} in
    steps_done) done_steps=${cells[$i]} ;;
    steps_skipped) skipped_steps=${cells[$i]} ;;
  esac
done
[[ ${done_steps:-} == 1 && ${skipped_steps:-} == 1 ]] ||
  fail "the log says $done_steps done and $skipped_steps skipped, not 1 and 1"

echo "media keys test passed"
