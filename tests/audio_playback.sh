#!/usr/bin/env bash
# Real playback: the app's audio engine (CueAudio, through `limberup play-audio`) plays the
# first minute of tests/data/audio-check.ron (or SECONDS of ROUTINE) at real time into a
# private PulseAudio null sink; parec records the sink's monitor; tests/audio_onsets.py checks
# every cue's onset (within 5 ms of its planned offset, relative to the first), speech and
# silence. Further arguments go to play-audio: `--press 12:done` presses Done 12 s after the
# start, through the same player API the window uses, and the check then also asks that the
# cue due at each press is heard within 100 ms of it. With ONSETS_JSON=FILE set, every
# measured onset is also written there (for tests/benchmarks.sh).
# usage: tests/audio_playback.sh [BINARY] [SECONDS] [ROUTINE] [--press SECS:COMMAND]...
# Needs pulseaudio, pulseaudio-utils, libasound2-plugins, espeak-ng, python3 (installs nothing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-}
seconds=${2:-60}
routine=$(realpath "${3:-$root/tests/data/audio-check.ron}")
shift $(($# < 3 ? $# : 3))
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --quiet)
  bin=${CARGO_TARGET_DIR:-$root/target}/debug/limberup
fi
bin=$(realpath "$bin")
for tool in pulseaudio pactl parec espeak-ng python3; do
  command -v "$tool" >/dev/null || { echo "audio playback FAILED: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
rec=
cleanup() {
  if [ -n "$rec" ]; then kill -INT "$rec" 2>/dev/null || true; fi
  pulseaudio --kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# A private server: found through this XDG_RUNTIME_DIR only, never the user's.
export XDG_RUNTIME_DIR=$work/run HOME=$work/home
mkdir -p "$XDG_RUNTIME_DIR" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
# norewinds=1: without it most captures were corrupt.
pulseaudio -D -n --exit-idle-time=-1 --disallow-exit --log-target=stderr \
  --load="module-native-protocol-unix" \
  --load="module-null-sink sink_name=ci rate=48000 channels=2 norewinds=1" \
  --load="module-always-sink" 2>"$work/pulse.log"
for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
pactl info >/dev/null 2>&1 || { cat "$work/pulse.log" >&2; echo "audio playback FAILED: pulseaudio did not start" >&2; exit 1; }
pactl set-default-sink ci

# --latency-msec=20, else the last fragment is lost on interrupt.
parec --device=ci.monitor --raw --rate=48000 --channels=2 --format=s16le --latency-msec=20 \
  "$work/capture.raw" & rec=$!
sleep 0.3
# The output's own latency, as the sound server sees it, a few seconds in (for the record).
(sleep 4; pactl list sink-inputs 2>/dev/null | grep -i 'latency' | sed 's/^[[:space:]]*/pulse: /') &
"$bin" play-audio "$routine" --seconds "$seconds" --events "$work/events.json" "$@"
sleep 0.5
kill -INT "$rec"; wait "$rec" || true; rec=
[ -n "${KEEP_EVENTS:-}" ] && cp "$work/events.json" "$KEEP_EVENTS"
python3 "$root/tests/audio_onsets.py" "$work/capture.raw" "$work/events.json" ${ONSETS_JSON:+--json "$ONSETS_JSON"}
