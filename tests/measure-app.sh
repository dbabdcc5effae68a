#!/usr/bin/env bash
# Measures the release binary under Xvfb (software GL): time from exec to a visible window,
# RSS 10 s after start, and CPU (utime+stime from /proc) over a window of seconds while a
# countdown runs and while idle on the library. Prints medians of RUNS runs.
# usage: tests/measure-app.sh [BINARY] [RUNS] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$root/target/release/limberup}")
runs=${2:-5}
window=${3:-60}
ticks=$(getconf CLK_TCK)

# shellcheck source=tests/xvfb.sh
source "$root/tests/xvfb.sh"
start_xvfb "$root"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

measure() { # $1 = label, rest = args
  local label=$1; shift
  local starts=() rss=() cpu=()
  for _ in $(seq "$runs"); do
    local t0 t1 pid
    t0=$(date +%s%N)
    "$bin" "$@" >/dev/null 2>&1 & pid=$!
    timeout 30 xdotool search --sync --onlyvisible --pid "$pid" >/dev/null
    t1=$(date +%s%N)
    starts+=($(( (t1 - t0) / 1000000 )))
    sleep 10
    rss+=($(awk '/VmRSS/ {print $2}' "/proc/$pid/status"))
    local c0 c1
    c0=$(cpu_ticks "$pid"); sleep "$window"; c1=$(cpu_ticks "$pid")
    cpu+=($(awk -v d=$((c1 - c0)) -v t="$ticks" -v w="$window" 'BEGIN { printf "%.2f", 100 * d / t / w }'))
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
  printf '%s: window shown %s ms, RSS after 10 s %s MiB, CPU %s %% of a core over %s s (median of %s)\n' \
    "$label" "$(printf '%s\n' "${starts[@]}" | median)" \
    "$(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.0f", $1/1024}')" \
    "$(printf '%s\n' "${cpu[@]}" | median)" "$window" "$runs"
}

measure "countdown (play pre-run-warmup)" play pre-run-warmup
measure "idle on the library" 
