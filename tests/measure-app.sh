#!/usr/bin/env bash
# Measures the release binary under Xvfb (software GL) the way tests/benchmarks.sh does, alone
# and without the peers: time from exec to its first mapped window, RSS 10 s after start, and
# CPU (utime+stime of the process tree) over a window of seconds while a countdown runs and
# while idle on the library. Prints medians of RUNS runs. Needs what packaging/install-deps.sh
# installs.
# usage: tests/measure-app.sh [BINARY] [RUNS] [SECONDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$root/target/release/limberup}")
runs=${2:-5}
window=${3:-60}

# shellcheck source=tests/bench/lib.sh
source "$root/tests/bench/lib.sh"
# shellcheck source=tests/xvfb.sh
source "$root/tests/xvfb.sh"
bench_work=$(mktemp -d)
bench_out=$bench_work/samples.tsv
on_exit() {
  if [ -n "${session:-}" ] && [ -d "$session" ]; then session_end; fi
  stop_sound_server
  rm -rf "$bench_work"
}
start_xvfb "$root"
export LIBGL_ALWAYS_SOFTWARE=1
start_sound_server

for i in $(seq "$runs"); do
  progress "run $i of $runs"
  limberup_run "$bin" countdown play pre-run-warmup
  limberup_run "$bin" library
done

python3 - "$bench_out" "$runs" "$window" <<'EOF'
import statistics, sys
from collections import defaultdict
samples = defaultdict(list)
for line in open(sys.argv[1]):
    key, value = line.split("\t")
    samples[key].append(float(value))
med = lambda key: statistics.median(samples[key])
for key, label in (("countdown", "countdown (play pre-run-warmup)"), ("library", "idle on the library")):
    print(f"{label}: window shown {med(key + '.startup_ms'):.0f} ms, RSS after 10 s "
          f"{med(key + '.rss10_kib') / 1024:.0f} MiB, CPU {med(key + '.cpu_pct'):.2f} % of a core "
          f"over {sys.argv[3]} s (median of {sys.argv[2]})")
EOF
