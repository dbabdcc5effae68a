# shellcheck shell=bash
# shellcheck disable=SC2154 # bench_work, bench_out and window are the caller's (see below).
# Sourced by tests/benchmarks.sh and tests/measure-app.sh: how one desktop app is started,
# timed and measured, the same way for Limber Up and its peers (Workrave, Safe Eyes).
#
# The caller has run start_xvfb (tests/xvfb.sh) and start_sound_server, and set:
#   bench_work  a scratch folder (removed by the caller)
#   bench_out   a file that gets one "KEY<TAB>VALUE" line per measured sample
#   window      the CPU window in seconds (60)
# and may set busy_load (default 0.5), the 1-minute load average above which a round waits,
# and busy_wait_s (default 120), how long it waits at most each time.
# Every app run gets a fresh session (session_start): HOME and every XDG folder in a new
# temporary folder, a private D-Bus session bus, a stand-in system bus (Safe Eyes connects to
# it to hear about suspend), and the accessibility bus already started, as on a desktop.
# Nothing of the user's is read, and nothing is left behind.

bench_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

bench_fail() { echo "benchmarks FAILED: $*" >&2; exit 1; }
progress() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
probe() { python3 "$bench_lib_dir/probe.py" "$@"; }
record() { printf '%s\t%s\n' "$1" "$2" >>"$bench_out"; }

# The pids of a process tree, the root first.
tree_pids() {
  local child
  echo "$1"
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do tree_pids "$child"; done
}

# Ends a process tree: TERM to every member, then KILL to what is left after 5 s.
end_tree() {
  local pids p
  pids=$(tree_pids "$1")
  # shellcheck disable=SC2086
  kill $pids 2>/dev/null || true
  for _ in $(seq 50); do
    for p in $pids; do kill -0 "$p" 2>/dev/null && continue 2; done
    return 0
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
}

# A private PulseAudio server with a null sink, for every app of the run (they all make
# sound: Limber Up's cues, Workrave's break sounds, Safe Eyes' alerts). Its own CPU is
# nobody's: it is outside every app's process tree.
start_sound_server() {
  local dir=$bench_work/pulse
  mkdir -p "$dir/run" "$dir/home"
  chmod 700 "$dir/run"
  XDG_RUNTIME_DIR=$dir/run HOME=$dir/home pulseaudio -D -n --exit-idle-time=-1 \
    --disallow-exit --log-target=stderr \
    --load="module-native-protocol-unix auth-anonymous=1" \
    --load="module-null-sink sink_name=bench rate=48000 channels=2" \
    --load="module-always-sink" 2>"$dir/pulse.log"
  export PULSE_SERVER=unix:$dir/run/pulse/native
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  pactl info >/dev/null 2>&1 || { cat "$dir/pulse.log" >&2; bench_fail "pulseaudio did not start"; }
  pactl set-default-sink bench
}

stop_sound_server() {
  [ -n "${PULSE_SERVER:-}" ] || return 0
  XDG_RUNTIME_DIR=$bench_work/pulse/run HOME=$bench_work/pulse/home pulseaudio --kill 2>/dev/null || true
  unset PULSE_SERVER
}

# The first GTK 3 app on an X display loads Mesa to pick its visuals, then caches them on the
# root window (GDK_VISUALS) for every later one: on a desktop some GTK app has always done it.
# One throwaway GTK window does it here, so Workrave's first run is like its others (without
# it, that run weighed ~50 MiB more). Debian 12's GTK 3.24.38-2~deb12u3 no longer leaves the
# property (it loads Mesa and keeps nothing), so its absence is noted in the report's
# machine table ("gtk_visuals") rather than fatal: each Workrave run then pays for itself
# alike. Limber Up does not use GTK.
gtk_warm_up() {
  session_start
  /usr/bin/python3 -c 'import gi; gi.require_version("Gtk", "3.0"); from gi.repository import Gtk, GLib
GLib.timeout_add(300, Gtk.main_quit); Gtk.Window().show(); Gtk.main()' ||
    bench_fail "a GTK 3 window could not be opened (python3-gi and gir1.2-gtk-3.0 come with safeeyes)"
  session_end
  if xprop -root GDK_VISUALS | grep -q '='; then
    meta gtk_visuals "cached on the root window by a first GTK window, as on a desktop"
  else
    progress "GTK did not cache its visuals on the root window: every GTK run loads Mesa itself"
    meta gtk_visuals "not cached by this GTK: every GTK run picks its own (Workrave's RSS includes it)"
  fi
}

# Starts a dbus-daemon; prints "ADDRESS PID".
dbus_bus() {
  local out
  out=$(dbus-daemon --session --fork --nopidfile --print-address=1 --print-pid=1) ||
    bench_fail "dbus-daemon did not start"
  echo "$out" | paste -sd' '
}

session_start() {
  session=$(mktemp -d "$bench_work/session.XXXXXX")
  export HOME=$session/home XDG_RUNTIME_DIR=$session/run
  export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share
  export XDG_CACHE_HOME=$HOME/.cache XDG_STATE_HOME=$HOME/.local/state
  mkdir -p "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"
  chmod 700 "$XDG_RUNTIME_DIR"
  local bus
  bus=$(dbus_bus) || exit 1
  read -r DBUS_SESSION_BUS_ADDRESS session_bus_pid <<<"$bus"
  bus=$(dbus_bus) || exit 1
  read -r DBUS_SYSTEM_BUS_ADDRESS system_bus_pid <<<"$bus"
  export DBUS_SESSION_BUS_ADDRESS DBUS_SYSTEM_BUS_ADDRESS
  bus=$(gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus \
    --method org.a11y.Bus.GetAddress 2>&1) || bench_fail "the accessibility bus did not start: $bus"
  app_pid=
}

session_end() {
  if [ -n "${app_pid:-}" ]; then end_tree "$app_pid"; wait "$app_pid" 2>/dev/null || true; fi
  app_pid=
  end_tree "$session_bus_pid"
  end_tree "$system_bus_pid"
  rm -rf "$session"
}

# held_start NAME CMD...: starts CMD held just before its exec, until $gate is written, so a
# probe can start the clock at the exec itself. Sets app_pid, gate and app_log.
held_start() {
  local name=$1
  shift
  gate=$session/gate
  app_log=$session/$name.log
  mkfifo "$gate"
  # shellcheck disable=SC2016
  sh -c 'read -r _ < "$0"; exec "$@"' "$gate" "$@" >"$app_log" 2>&1 &
  app_pid=$!
}

started_fail() { tail -n 20 "$app_log" >&2; bench_fail "$*"; }

# launch NAME WAIT CMD...: held_start, then releases it and times the start-up to WAIT:
# "window" (its first mapped window) or "port:N" (127.0.0.1:N accepting). Sets launch_ms.
launch() {
  local name=$1 wait=$2
  shift 2
  held_start "$name" "$@"
  case $wait in
    window) launch_ms=$(probe window --pid "$app_pid" --release "$gate") ;;
    port:*) launch_ms=$(probe port --pid "$app_pid" --port "${wait#port:}" --release "$gate") ;;
  esac || started_fail "$name: start-up could not be timed"
}

# rss_and_cpu KEY_PREFIX STARTED_NS: the standard run after start-up: RSS 10 s after
# STARTED_NS (date +%s%N before the launch), then CPU over $window s (records
# PREFIX.rss10_kib, PREFIX.cpu_pct, PREFIX.rss_end_kib).
rss_and_cpu() {
  local prefix=$1 started=$2 tree
  sleep_until "$started" 10
  tree=$(probe tree "$app_pid") || started_fail "$prefix: the app is not running 10 s after start"
  record "$prefix.rss10_kib" "${tree%% *}"
  measure_cpu "$prefix"
}

# measure_cpu KEY_PREFIX: CPU of the app's tree over $window s and its RSS at the end.
measure_cpu() {
  local prefix=$1 out
  out=$(probe cpu "$app_pid" "$window") || started_fail "$prefix: the app stopped during the CPU window"
  record "$prefix.cpu_pct" "${out% *}"
  record "$prefix.rss_end_kib" "${out#* }"
}

# ---- a quiet machine for each round ----

load_1min() { cut -d' ' -f1 /proc/loadavg; }
over_load() { awk -v l="$1" -v t="${busy_load:-0.5}" 'BEGIN { exit !(l > t) }'; }

# round KEY CMD...: runs one app's round (CMD...) on a quiet machine. The 1-minute load
# average is read as the round begins; above $busy_load, the round is not measured: it waits
# (up to $busy_wait_s, 2 min) for the load to fall and begins again, at most twice (the third start is
# measured whatever the load). Records load.KEY (the load the measured round began at) and
# repeats.KEY (how many starts were put off).
round() {
  local key=$1 repeats=0 load
  shift
  load=$(load_1min)
  while over_load "$load" && ((repeats < 2)); do
    repeats=$((repeats + 1))
    progress "$key: load $load is over ${busy_load:-0.5}; waiting up to ${busy_wait_s:-120} s, then starting again ($repeats of 2)"
    for _ in $(seq "${busy_wait_s:-120}"); do
      load=$(load_1min)
      over_load "$load" || break
      sleep 1
    done
    load=$(load_1min)
  done
  record "load.$key" "$load"
  record "repeats.$key" "$repeats"
  "$@"
}

# ---- Limber Up ----

# limberup_run BINARY KEY ARGS...: start-up to the first window, RSS 10 s after start, CPU
# over the next $window s (the screen ARGS open: the library, or `play ROUTINE` counting).
limberup_run() {
  local bin=$1 key=$2 started
  shift 2
  session_start
  started=$(date +%s%N)
  launch limberup window "$bin" "$@"
  record "$key.startup_ms" "$launch_ms"
  rss_and_cpu "$key" "$started"
  shot "$key"
  session_end
}

# limberup_fast BINARY KEY PLAN_JSON SPEED ROUTINE: `play ROUTINE --clock-speed SPEED` through
# the whole routine. Its Done steps (`waits_for_done` in PLAN_JSON, `limberup show --json`)
# are pressed with Enter 1.5 s after each should have begun, counted from the first window
# (the player starts then); a Done press starts the next step, so later steps move with it.
# Records KEY.rss10_kib (10 s after start), KEY.rss_end_kib (5 s after the routine's end)
# and KEY.rss_max_kib (the tree's RSS sampled every second throughout), and checks that the
# training log holds the session.
limberup_fast() {
  local bin=$1 key=$2 plan=$3 speed=$4 routine=$5 started shown schedule end tree wid at watch_pid watched steps
  session_start
  started=$(date +%s%N)
  launch limberup window "$bin" play "$routine" --clock-speed "$speed"
  record "$key.startup_ms" "$launch_ms"
  shown=$(awk -v s="$started" -v ms="$launch_ms" 'BEGIN { printf "%.0f", s + ms * 1e6 }')
  read -r -a schedule < <(probe presses "$plan" "$speed") || bench_fail "$key: no press schedule from $plan"
  end=${schedule[-1]}
  unset 'schedule[-1]'
  probe watch "$app_pid" "$(awk -v e="$end" 'BEGIN { print e + 5 }')" >"$session/rss-watch" &
  watch_pid=$!
  sleep_until "$started" 10
  tree=$(probe tree "$app_pid") || started_fail "$key: the app is not running 10 s after start"
  record "$key.rss10_kib" "${tree%% *}"
  wid=$(xdotool search --onlyvisible --pid "$app_pid" | head -n1) || started_fail "$key: no window"
  for at in "${schedule[@]}"; do
    sleep_until "$shown" "$at"
    xdotool windowfocus --sync "$wid" key Return || started_fail "$key: Enter could not be pressed"
  done
  wait "$watch_pid" || started_fail "$key: the app stopped before the routine's end"
  read -r -a watched <"$session/rss-watch"
  record "$key.rss_end_kib" "${watched[0]}"
  record "$key.rss_max_kib" "${watched[1]}"
  record "$key.presses" "${#schedule[@]}"
  record "$key.routine_s" "$end"
  shot "$key"
  # The finish screen writes the session to the training log: completed, no step skipped.
  "$bin" history --csv >"$session/history.csv" || started_fail "$key: limberup history failed"
  steps=$(probe finished "$session/history.csv" "$routine") ||
    bench_fail "$key: the routine did not finish as planned in ${end} s"
  record "$key.steps_done" "$steps"
  session_end
}

# sleep_until NS SECONDS: sleeps until SECONDS after NS (date +%s%N); at once if that passed.
sleep_until() {
  local now
  now=$(date +%s%N)
  sleep "$(awk -v s="$1" -v n="$now" -v at="$2" 'BEGIN { d = at - (n - s) / 1e9; print (d > 0) ? d : 0 }')"
}

# ---- Workrave ----

workrave_call() { # OBJECT METHOD ARGS...
  local object=$1 method=$2
  shift 2
  gdbus call --session --dest org.workrave.Workrave --object-path "/org/workrave/Workrave/$object" \
    --method "$method" "$@"
}

# Start-up to its main window (the timers), RSS 10 s after start, CPU idle on the main window,
# then a rest break asked for over D-Bus (RestBreak, as its menu's "Rest break" does): time to
# the break window, and CPU over $window s while it counts down (10 min by default).
workrave_run() {
  local started ms state
  session_start
  started=$(date +%s%N)
  launch workrave window workrave
  record workrave.startup_ms "$launch_ms"
  rss_and_cpu workrave.idle "$started"
  ms=$(probe window --pid "$app_pid" -- gdbus call --session --dest org.workrave.Workrave \
    --object-path /org/workrave/Workrave/UI --method org.workrave.ControlInterface.RestBreak) ||
    bench_fail "workrave: no rest break window after RestBreak"
  record workrave.break_window_ms "$ms"
  sleep 3
  measure_cpu workrave.countdown
  state=$(workrave_call Core org.workrave.CoreInterface.GetBreakState restbreak) ||
    bench_fail "workrave: GetBreakState failed"
  [ "$state" = "('break',)" ] || bench_fail "workrave: the rest break ended during the CPU window ($state)"
  shot workrave
  session_end
}

# ---- Safe Eyes ----

safeeyes_port=
# Its own config: short breaks of 150 s (so one counts down through the whole CPU window),
# the next scheduled break 15 min away, an RPC port of its own, and "smart pause" off: it
# pauses Safe Eyes when the user is idle, which a display with no keyboard always is.
safeeyes_config() {
  local system
  system=$(dpkg -L safeeyes | grep '/config/safeeyes.json$') || bench_fail "safeeyes is not installed"
  mkdir -p "$XDG_CONFIG_HOME/safeeyes/style"
  cp "$(dirname "$system")/style/safeeyes_style.css" "$XDG_CONFIG_HOME/safeeyes/style/"
  safeeyes_port=$((20000 + RANDOM % 20000))
  python3 - "$system" "$XDG_CONFIG_HOME/safeeyes/safeeyes.json" "$safeeyes_port" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config.update(short_break_duration=150, short_break_interval=15, rpc_port=int(sys.argv[3]))
for plugin in config["plugins"]:
    if plugin["id"] == "smartpause":
        plugin["enabled"] = False
json.dump(config, open(sys.argv[2], "w"), indent=4)
EOF
}

# What `safeeyes --take-break` sends, without starting a second Python with GTK to send it.
safeeyes_take_break=(python3 -c
  'import sys, xmlrpc.client as x; x.ServerProxy(f"http://127.0.0.1:{sys.argv[1]}/").take_break()')

# Safe Eyes shows no window until a break (its tray icon has no tray under Xvfb). Start-up is
# timed to two points: its RPC server accepting (the last step of its start), and its first
# window when a break is asked for the moment the RPC server accepts.
safeeyes_startup() {
  local times
  session_start
  safeeyes_config
  held_start safeeyes safeeyes
  times=$(probe window --pid "$app_pid" --release "$gate" --port "$safeeyes_port" -- \
    "${safeeyes_take_break[@]}" "$safeeyes_port") ||
    started_fail "safeeyes: start-up could not be timed"
  record safeeyes.startup_ms "${times% *}"
  record safeeyes.ready_ms "${times#* }"
  session_end
}

# RSS 10 s after start and CPU idle (the scheduler waiting, no window), then a break asked for
# over its RPC server (as `safeeyes --take-break` does): time to the break screen, and CPU
# over $window s while it counts down.
safeeyes_run() {
  local started ms
  session_start
  safeeyes_config
  started=$(date +%s%N)
  launch safeeyes "port:$safeeyes_port" safeeyes
  rss_and_cpu safeeyes.idle "$started"
  ms=$(probe window --pid "$app_pid" -- "${safeeyes_take_break[@]}" "$safeeyes_port") || bench_fail "safeeyes: no break window after take_break"
  record safeeyes.break_window_ms "$ms"
  sleep 3
  measure_cpu safeeyes.countdown
  [ -n "$(xdotool search --onlyvisible --pid "$app_pid" 2>/dev/null)" ] ||
    bench_fail "safeeyes: the break screen closed during the CPU window"
  shot safeeyes
  session_end
}

# One screenshot per app (the first run's), to show that the countdown really ran.
shot() {
  [ -n "${bench_shots:-}" ] && [ ! -e "$bench_shots/$1.png" ] || return 0
  mkdir -p "$bench_shots"
  import -window root "$bench_shots/$1.png"
}
