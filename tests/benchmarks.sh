#!/usr/bin/env bash
# Regenerates BENCHMARKS.md: Limber Up's core benchmarks, offline audio rendering and timer
# accuracy over a real 5-minute playback; then its release binary under Xvfb with software
# GL beside a bare eframe window (the floor: tests/bench/bare_window.rs, built as the
# `bare-window` example), Workrave and Safe Eyes (Debian's packages), taking turns in the
# same run: start-up, RSS, CPU idle and while a countdown runs; and Limber Up's RSS through
# the whole pre-run warm-up on a 20x clock (`play --clock-speed 20`, its Done steps pressed).
# Each app's round begins only on a quiet machine (1-minute load average at most
# BENCH_BUSY_LOAD, 0.5 by default): above it the round waits up to 2 min and starts again,
# at most twice; the load each round began at and the repeats are in the report.
# usage: bash tests/benchmarks.sh [RUNS]      (RUNS defaults to 5; the published figures need >= 5)
# As root it installs what it needs (packaging/install-deps.sh, then the peers); otherwise
# those must be installed already. Takes about 50 minutes with 5 runs on 2 cores (the 60 s
# CPU windows, 6 a run, the 5 real minutes of playback and the 20x warm-up, ~75 s a run, are
# 47 of them; more if rounds wait for the load), plus the first build of the benchmark
# binary (5-10 minutes); progress on stderr.
# Never writes a figure it did not measure: any measurement that cannot be taken stops it.
# For trials only: BENCH_WINDOW=SECONDS shortens the CPU windows (the file says so),
# BENCH_SHOTS=DIR keeps a screenshot of each app's screen from its first run,
# BENCH_ONLY=desktop skips the core, audio export and timer sections (the file says so),
# and BENCH_OUT=FILE writes FILE instead of BENCHMARKS.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-${RUNS:-5}}
window=${BENCH_WINDOW:-60} # seconds of each CPU window; 60 for the published figures
timer_seconds=300
timer_routine=tests/data/timer-5min.ron
play_routine=pre-run-warmup
fast_speed=20 # the clock speed of the whole-warm-up memory round
busy_load=${BENCH_BUSY_LOAD:-0.5} # on 2 cores; the last published run began at 0.23
only=${BENCH_ONLY:-}
out_file=${BENCH_OUT:-BENCHMARKS.md}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: bash tests/benchmarks.sh [RUNS]" >&2; exit 2; }
case $only in
  "" | desktop) ;;
  *) echo "BENCH_ONLY is desktop or unset, not '$only'" >&2; exit 2 ;;
esac
run_started=$(date +%s)

# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"

# ---- what it needs ----
peers=(workrave safeeyes)
tools=(Xvfb xdotool import glxinfo xdpyinfo xprop dbus-daemon gdbus pulseaudio pactl parec espeak-ng python3 cargo)
if [ "$(id -u)" -eq 0 ]; then
  progress "installing the build and test dependencies, then the peers"
  bash packaging/install-deps.sh >&2
  # Installed as a user would (with their recommended packages); mesa-utils for glxinfo.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${peers[@]}" mesa-utils dbus \
    at-spi2-core x11-utils >/dev/null
fi
for tool in "${peers[@]}" "${tools[@]}"; do
  command -v "$tool" >/dev/null || bench_fail "$tool is not installed (run this as root to install it)"
done

progress "building the release binary and the bare window"
cargo build --release --locked --quiet
cargo build --release --locked --quiet --example bare-window
bin=${CARGO_TARGET_DIR:-$root/target}/release/limberup
bare=${CARGO_TARGET_DIR:-$root/target}/release/examples/bare-window
[ -x "$bin" ] || bench_fail "no release binary at $bin"
[ -x "$bare" ] || bench_fail "no bare window at $bare"

bench_work=$(mktemp -d)
bench_out=$bench_work/samples.tsv
bench_shots=${BENCH_SHOTS:-}
: >"$bench_out"
meta() { printf '%s\t%s\n' "$1" "$2" >>"$bench_work/meta.tsv"; }
on_exit() {
  if [ -n "${session:-}" ] && [ -d "$session" ]; then session_end; fi
  stop_sound_server
  rm -rf "$bench_work"
}
trap on_exit EXIT

# ---- the machine ----
meta command "bash tests/benchmarks.sh $runs"
meta runs "$runs"
meta window "$window"
meta only "${only:-everything}"
meta busy_load "$busy_load"
meta idle_load "$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min load averages as the run began)"
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta cpu "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
meta cores "$(nproc)"
meta memory "$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
meta kernel "$(uname -r)"
meta os "$(sed -n 's/^PRETTY_NAME="\?\([^"]*\)"\?$/\1/p' /etc/os-release) ($(cat /etc/debian_version 2>/dev/null || echo '?'))"
meta rustc "$(rustc --version | cut -d' ' -f1-2)"
meta limberup "$("$bin" --version | cut -d' ' -f2) at commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo ' with local changes')"
pkg_version() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo "not from a package"; }
meta workrave "$(pkg_version workrave)"
meta safeeyes "$(pkg_version safeeyes)"
meta xvfb "$(pkg_version xvfb)"
meta pulseaudio "$(pkg_version pulseaudio)"
meta play_routine "$play_routine"
meta timer_routine "$timer_routine"
meta timer_seconds "$timer_seconds"
meta timer_command "ONSETS_JSON=onsets.json bash tests/audio_playback.sh target/release/limberup $timer_seconds $timer_routine"

if [ -n "$only" ]; then
  progress "BENCH_ONLY=$only: no core benchmarks, audio export or timer accuracy (a trial)"
else
# ---- Limber Up's core ----
progress "cargo bench --bench core (builds the benchmark first)"
cargo bench --locked --bench core >"$bench_work/divan.txt" 2>"$bench_work/divan.err" ||
  { cat "$bench_work/divan.err" >&2; bench_fail "cargo bench"; }

# ---- offline audio ----
cli_home=$bench_work/cli-home
mkdir -p "$cli_home"
for file in routines/*.ron; do
  grep -q '^Routine(' "$file" || continue # exercises.ron is a shared library of exercises
  name=$(basename "$file" .ron)
  progress "export-audio $name ($runs runs with voice, $runs without)"
  for _ in $(seq "$runs"); do
    for voice in with without; do
      flags=()
      [ "$voice" = with ] || flags=(--no-voice)
      t0=$(date +%s%N)
      out=$(HOME=$cli_home XDG_CONFIG_HOME=$cli_home XDG_DATA_HOME=$cli_home XDG_CACHE_HOME=$cli_home \
        "$bin" export-audio "$file" -o "$bench_work/export.wav" --force "${flags[@]}" 2>"$bench_work/export.err") ||
        { cat "$bench_work/export.err" >&2; bench_fail "export-audio $name"; }
      t1=$(date +%s%N)
      if [ "$voice" = with ]; then
        [[ $out =~ ([0-9]+)\ phrases\ rendered\ in\ ([0-9]+)\ ms ]] ||
          bench_fail "export-audio $name did not render its voice: $out $(cat "$bench_work/export.err")"
        record "export.$name.phrases" "${BASH_REMATCH[1]}"
        record "export.$name.voice_ms" "${BASH_REMATCH[2]}"
        record "export.$name.wall_s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')"
        record "export.$name.audio_s" "$(python3 -c 'import sys, wave; w = wave.open(sys.argv[1]); print(w.getnframes() / w.getframerate())' "$bench_work/export.wav")"
      else
        record "export.$name.plain_wall_s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')"
      fi
    done
  done
done

# ---- timer accuracy: one real 5-minute playback (a corrupt null-sink capture is retried once) ----
progress "timer accuracy: playing $timer_routine for $timer_seconds s (real time)"
"$bin" show --json "$timer_routine" >"$bench_work/timer.json"
# Meanwhile, how fast the recording grows says whether its clock is the system clock's:
# audio_playback.sh makes its folder under TMPDIR, here a known one.
timer_run() {
  local rc=0 tmp=$bench_work/timer-tmp
  rm -rf "$bench_work/onsets.json" "$tmp"
  mkdir -p "$tmp"
  probe rate "$tmp/*/capture.raw" 4 48000 >"$bench_work/capture-rate" &
  local rate_pid=$!
  TMPDIR=$tmp ONSETS_JSON=$bench_work/onsets.json \
    bash tests/audio_playback.sh "$bin" "$timer_seconds" "$timer_routine" >"$bench_work/timer.log" 2>&1 || rc=$?
  wait "$rate_pid" || bench_fail "timer accuracy: the recording's rate could not be measured"
  return "$rc"
}
# Onsets measured late or early are the figures; anything else (no onset, sound in a quiet
# gap, silent speech) is the corrupt capture tests/run-all.sh also retries once.
only_timing_failures() {
  [ -s "$bench_work/onsets.json" ] && python3 -c '
import json, sys
failures = json.load(open(sys.argv[1]))["failures"]
sys.exit(0 if all(": onset off by " in f for f in failures) else 1)' "$bench_work/onsets.json"
}
if ! timer_run; then
  cat "$bench_work/timer.log" >&2
  if ! only_timing_failures; then
    progress "the capture looks corrupt; playing it once more"
    timer_run || cat "$bench_work/timer.log" >&2
    only_timing_failures || bench_fail "timer accuracy: the capture was corrupt twice"
  fi
fi
read -r _ ppm ppm_error span <"$bench_work/capture-rate"
meta capture_rate "$ppm ± $ppm_error ppm (slope ± standard error, over $span s)"
fi

# ---- the desktop apps ----
# shellcheck source=tests/xvfb.sh
source "$root/tests/xvfb.sh"
start_xvfb "$root"
export LIBGL_ALWAYS_SOFTWARE=1
meta screen "$(xdpyinfo | awk '/dimensions:/ {print $2} /depth of root window:/ {print $5 "-bit"}' | paste -sd' ')"
meta gl "$(glxinfo -B | awk -F': ' '/OpenGL renderer string/ {r = $2} /OpenGL version string/ {v = $2} END {print r ", OpenGL " v}')"
start_sound_server
gtk_warm_up
meta load "$(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min load averages as the desktop apps' runs began)"

# The countdown must run through the whole CPU window: no Done-step before then.
timed=$("$bin" show --json "$play_routine" | python3 -c '
import json, sys
plan = json.load(sys.stdin)
print(next((s["start_ms"] for s in plan["segments"] if s["waits_for_done"]), plan["total_ms"]) // 1000)') ||
  bench_fail "limberup show --json $play_routine"
((timed >= window + 15)) || bench_fail "$play_routine counts only its first $timed s before waiting for Done"
meta play_timed "$timed"
meta fast_speed "$fast_speed"
"$bin" show --json "$play_routine" >"$bench_work/fast.json"

fast_s=$(probe presses "$bench_work/fast.json" "$fast_speed" | awk '{ printf "%.0f", $NF + 5 }') ||
  bench_fail "no Done-press schedule for $play_routine"
for i in $(seq "$runs"); do
  progress "run $i of $runs: Limber Up on the library ($((window + 10)) s)"
  round limberup.library limberup_run "$bin" limberup.library
  progress "run $i of $runs: the bare window idle ($((window + 10)) s)"
  round bare.idle limberup_run "$bare" bare.idle idle
  progress "run $i of $runs: Limber Up playing $play_routine ($((window + 10)) s)"
  round limberup.countdown limberup_run "$bin" limberup.countdown play "$play_routine"
  progress "run $i of $runs: the bare window counting down ($((window + 10)) s)"
  round bare.countdown limberup_run "$bare" bare.countdown countdown
  progress "run $i of $runs: the bare window counting down with a sound stream open ($((window + 10)) s)"
  round bare.sound limberup_run "$bare" bare.sound countdown-sound
  progress "run $i of $runs: Limber Up through $play_routine at ${fast_speed}x ($fast_s s)"
  round limberup.fast limberup_fast "$bin" limberup.fast "$bench_work/fast.json" "$fast_speed" "$play_routine"
  progress "run $i of $runs: Workrave idle, then in a rest break ($((2 * window + 15)) s)"
  round workrave workrave_run
  progress "run $i of $runs: Safe Eyes start-up, then idle, then in a break ($((2 * window + 20)) s)"
  round safeeyes.startup safeeyes_startup
  round safeeyes safeeyes_run
done

elapsed=$(($(date +%s) - run_started))
meta duration "$((elapsed / 60)) min $((elapsed % 60)) s"
python3 tests/bench/report.py "$bench_work" "$out_file"
progress "wrote $out_file in $((elapsed / 60)) min $((elapsed % 60)) s"
