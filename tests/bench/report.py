#!/usr/bin/env python3
"""report.py WORK_DIR OUT.md -- writes BENCHMARKS.md from what tests/benchmarks.sh measured.

WORK_DIR holds:
  samples.tsv   one "KEY<TAB>VALUE" line per measured sample (desktop apps, audio export)
  meta.tsv      "KEY<TAB>TEXT": the machine, versions, date, run count, durations
  divan.txt     the output of `cargo bench --bench core`
  onsets.json   tests/audio_onsets.py --json of the 5-minute real playback
  timer.json    `limberup show --json` of the routine it played (its segment starts)
(divan.txt, onsets.json and timer.json only when meta.tsv's `only` is `everything`: a
BENCH_ONLY=desktop trial leaves those sections out and says so.)
Every figure printed comes from those files; a missing one stops the report (exit 1).
"""
import json
import re
import statistics
import sys
from collections import defaultdict

PEERS = ("workrave", "safeeyes")
NAMES = {"limberup": "Limber Up", "workrave": "Workrave", "safeeyes": "Safe Eyes"}


def fail(message):
    print(f"report: {message}", file=sys.stderr)
    sys.exit(1)


def load(work):
    samples = defaultdict(list)
    with open(f"{work}/samples.tsv") as f:
        for line in f:
            key, value = line.rstrip("\n").split("\t")
            samples[key].append(float(value))
    meta = {}
    with open(f"{work}/meta.tsv") as f:
        for line in f:
            key, value = line.rstrip("\n").split("\t", 1)
            meta[key] = value
    return samples, meta


class Stat:
    def __init__(self, values, scale=1.0):
        if not values:
            raise KeyError
        self.values = [v * scale for v in values]
        self.median = statistics.median(self.values)
        self.min, self.max, self.n = min(self.values), max(self.values), len(self.values)


def number(x, digits):
    return f"{x:,.{digits}f}"


def cell(stat, digits):
    if stat is None:
        return "—"
    return f"{number(stat.median, digits)} ({number(stat.min, digits)}–{number(stat.max, digits)})"


def ratio(a, b):
    if a is None or b is None:
        return "—"
    if b.median == 0:
        return "n/a (÷ 0: under one clock tick)"
    r = a.median / b.median
    return f"{r:.2f}" if r < 10 else f"{r:.1f}"


def desktop_table(samples, runs, window, busy_load, meta_load):
    def get(key, scale=1.0):
        return Stat(samples[key], scale) if key in samples else None

    mib = 1 / 1024
    # (label, Limber Up, the bare window, Workrave, Safe Eyes, digits, what was measured)
    rows = [
        ("Start-up: exec → first visible window, ms",
         get("limberup.library.startup_ms"), get("bare.idle.startup_ms"), get("workrave.startup_ms"),
         get("safeeyes.startup_ms"), 0,
         "Limber Up: the library window; the floor: its idle window; Workrave: its main (timers) "
         "window; Safe Eyes: no window until a break, so its break screen, asked for the moment its "
         "RPC server accepts (this includes the fixed 1 s Safe Eyes waits before any break it is "
         "asked for)"),
        ("Start-up straight into a routine (`play`), ms",
         get("limberup.countdown.startup_ms"), get("bare.countdown.startup_ms"), None, None, 0,
         "Limber Up playing; the floor: its countdown window"),
        ("Start-up: exec → ready for commands, ms",
         None, None, None, get("safeeyes.ready_ms"), 0,
         "Safe Eyes: its RPC server accepting connections (the last step of its start-up)"),
        ("RSS 10 s after start, idle, MiB",
         get("limberup.library.rss10_kib", mib), get("bare.idle.rss10_kib", mib),
         get("workrave.idle.rss10_kib", mib), get("safeeyes.idle.rss10_kib", mib), 1,
         "Limber Up on the library; the floor's static label; Workrave's main window; Safe Eyes "
         "waiting (no window)"),
        ("RSS 10 s after start, counting down, MiB",
         get("limberup.countdown.rss10_kib", mib), get("bare.countdown.rss10_kib", mib), None, None, 1,
         "Limber Up and the floor: both start counting at once"),
        (f"RSS after {window} s of countdown, MiB",
         get("limberup.countdown.rss_end_kib", mib), get("bare.countdown.rss_end_kib", mib),
         get("workrave.countdown.rss_end_kib", mib), get("safeeyes.countdown.rss_end_kib", mib), 1,
         "the whole process tree, summed"),
        (f"CPU while idle, % of one core over {window} s",
         get("limberup.library.cpu_pct"), get("bare.idle.cpu_pct"), get("workrave.idle.cpu_pct"),
         get("safeeyes.idle.cpu_pct"), 2,
         f"from 10 s to {10 + window} s after start, utime+stime of the process tree"),
        (f"CPU while counting down, % of one core over {window} s",
         get("limberup.countdown.cpu_pct"), get("bare.countdown.cpu_pct"),
         get("workrave.countdown.cpu_pct"), get("safeeyes.countdown.cpu_pct"), 2,
         f"Limber Up playing a routine and the floor counting down (10–{10 + window} s after "
         f"start); Workrave's rest-break window; Safe Eyes' break screen (3–{3 + window} s after "
         "each was shown)"),
        ("RSS 10 s after start, counting down, against the floor with a sound stream open, MiB",
         get("limberup.countdown.rss10_kib", mib), get("bare.sound.rss10_kib", mib), None, None, 1,
         "the floor: `bare-window countdown-sound`, the same countdown with the default sound "
         "device open as the player opens it (rodio, the same 1,536-frame buffer, a silent mono "
         "source mixed in); Limber Up's column repeats the row above"),
        (f"CPU while counting down, against the floor with a sound stream open, % of one core over {window} s",
         get("limberup.countdown.cpu_pct"), get("bare.sound.cpu_pct"), None, None, 2,
         "the same floor with its sound stream: what any eframe app pays here to keep a sound "
         "device ready for cues; Limber Up's column repeats the row above"),
        ("Break screen shown after the request, ms",
         None, None, get("workrave.break_window_ms"), get("safeeyes.break_window_ms"), 0,
         "from the D-Bus or RPC call to the window being mapped (Safe Eyes' includes its fixed 1 s)"),
    ]
    out = [
        f"Median (min–max) of {runs} runs each; every app started afresh for each run. The "
        "**floor** is a bare eframe 0.37 glow window with nothing of Limber Up in it "
        "(`tests/bench/bare_window.rs`, `cargo build --release --example bare-window`), started "
        "and measured exactly as Limber Up is: `bare-window idle` shows a static label and never "
        "asks for a frame; `bare-window countdown` shows a countdown in the player's digits "
        "(monospace, 192 points: their size at 1280x800) redrawn once a second with "
        "`request_repaint_after`; `bare-window countdown-sound` adds an open sound stream "
        "playing silence. What the floor costs is eframe's, Mesa's llvmpipe's and the "
        "font atlas's; Limber Up ÷ floor is what the app adds on top.",
        "",
        "| Figure | Limber Up | floor: bare eframe window | Workrave | Safe Eyes | Limber Up ÷ floor "
        "| Limber Up ÷ Workrave | Limber Up ÷ Safe Eyes | What was measured |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, lu, floor, wr, se, digits, note in rows:
        out.append(f"| {label} | {cell(lu, digits)} | {cell(floor, digits)} | {cell(wr, digits)} | "
                   f"{cell(se, digits)} | {ratio(lu, floor)} | {ratio(lu, wr)} | {ratio(lu, se)} | {note} |")
        for stat in (lu, floor, wr, se):
            if stat is not None and stat.n != runs:
                fail(f"{label}: {stat.n} samples instead of {runs}")
    out += ["", *load_lines(samples, runs, busy_load, meta_load)]
    return out


# The rounds of each column, by their keys in samples.tsv (load.KEY, repeats.KEY).
ROUNDS = {
    "Limber Up": ("limberup.library", "limberup.countdown"),
    "Limber Up at 20x": ("limberup.fast",),
    "floor": ("bare.idle", "bare.countdown", "bare.sound"),
    "Workrave": ("workrave",),
    "Safe Eyes": ("safeeyes.startup", "safeeyes"),
}


def load_lines(samples, runs, busy_load, meta_load):
    """The load each app's rounds began at, and how many starts were put off for it."""
    cells, repeated, starts = [], 0, 0
    for name, keys in ROUNDS.items():
        loads = [v for k in keys for v in samples.get(f"load.{k}", [])]
        if len(loads) != runs * len(keys):
            fail(f"{name}: {len(loads)} load averages instead of {runs * len(keys)}")
        repeats = sum(v for k in keys for v in samples[f"repeats.{k}"])
        repeated += repeats
        starts += len(loads)
        cells.append(f"{name} {statistics.median(loads):.2f} (max {max(loads):.2f}"
                     f"{f', {repeats:.0f} put off' if repeats else ''})")
    return [
        "1-minute load average as each round began, median over the rounds kept: "
        + "; ".join(cells) + ". "
        f"A round begins only when that figure is at most {busy_load} (on 2 cores; the "
        "previous published run's desktop rounds began at 0.23, this run at "
        f"{meta_load.split(' ')[0]}); above it the round waits up to 2 minutes for the load to fall "
        "and starts again, at most twice (a third start is measured whatever the load). "
        f"Rounds started again: {repeated:.0f} of {starts}.",
    ]


def fast_lines(samples, runs, meta):
    def get(key):
        return Stat(samples[key], 1 / 1024)

    at10, end, most = get("limberup.fast.rss10_kib"), get("limberup.fast.rss_end_kib"), get("limberup.fast.rss_max_kib")
    for stat in (at10, end, most):
        if stat.n != runs:
            fail(f"the 20x warm-up: {stat.n} samples instead of {runs}")
    grown = Stat([e - t for e, t in zip(samples["limberup.fast.rss_end_kib"], samples["limberup.fast.rss10_kib"])], 1 / 1024)
    routine_s = statistics.median(samples["limberup.fast.routine_s"])
    presses = statistics.median(samples["limberup.fast.presses"])
    steps = statistics.median(samples["limberup.fast.steps_done"])
    verdict = "within" if grown.max <= 10 else "NOT within"
    return [
        f"`limberup play {meta['play_routine']} --clock-speed {meta['fast_speed']}` (a hidden "
        "option: the player's clock runs that many times faster; the sound keeps its own pace, "
        f"its tracks rebuilt as the player moves on) plays the whole routine in {routine_s:.0f} s. "
        f"Its {presses:.0f} Done steps are pressed (Enter, with xdotool) 1.5 s after each should "
        "have begun, and the training log is checked to hold the session, completed with no step "
        f"skipped ({steps:.0f} steps done). RSS of the process tree, sampled every second, median "
        f"(min–max) of {runs} runs:",
        "",
        "| RSS over the whole pre-run warm-up (20x clock) | MiB |",
        "|---|---:|",
        f"| at 10 s | {cell(at10, 1)} |",
        f"| at the end (5 s after the last step) | {cell(end, 1)} |",
        f"| max | {cell(most, 1)} |",
        f"| end − 10 s | {cell(grown, 1)} |",
        "",
        f"The issue's target: the end within 10 MiB of the figure at 10 s: {verdict} "
        f"(worst run {grown.max:+.1f} MiB).",
    ]


UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}


def divan(path):
    """{bench: (fastest_ms, slowest_ms, median_ms, mean_ms, samples, iters)} from divan's table."""
    found = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^[├╰]─ (\S+)\s+(.*)$", line.rstrip())
            if not m:
                continue
            cols = [c.strip() for c in m.group(2).split("│")]
            if len(cols) != 6:
                continue
            times = []
            for c in cols[:4]:
                value, unit = c.split()
                times.append(float(value) * UNITS[unit])
            found[m.group(1)] = (*times, int(cols[4]), int(cols[5]))
    if "load_and_validate_1000_files" not in found:
        fail(f"no load_and_validate_1000_files line in {path}")
    return found


def core_table(work):
    rows = divan(f"{work}/divan.txt")
    labels = {
        "load_and_validate_1000_files": "Load and validate 1,000 routine files from disk (read, parse, check)",
        "load_bundled_library": "Load the bundled library (every routine, each including the exercise library; pictures' headers read)",
        "plan_largest_bundled_routine": "Plan the largest bundled routine",
        "state_query": "Player state query + next-change query",
    }
    out = ["| Benchmark | median | fastest | slowest | samples | iterations in all |", "|---|---:|---:|---:|---:|---:|"]
    for name, (fastest, slowest, median, _mean, samples, iters) in rows.items():
        out.append(f"| {labels.get(name, name)} | {duration(median)} | {duration(fastest)} | "
                   f"{duration(slowest)} | {samples} | {iters} |")
    return out


def duration(ms):
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 1:
        return f"{ms:.1f} ms"
    if ms >= 0.001:
        return f"{ms * 1000:.2f} µs"
    return f"{ms * 1e6:.0f} ns"


def audio_table(samples, runs):
    routines = sorted({k.split(".")[1] for k in samples if k.startswith("export.")})
    if not routines:
        fail("no audio export samples")
    out = [
        "| Routine | audio | phrases | voice render, ms | export with voice, s | × real time | tones only (`--no-voice`), s | × real time |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total_audio = total_wall = total_plain = 0.0
    for r in routines:
        def get(what):
            return Stat(samples[f"export.{r}.{what}"])
        audio, phrases, voice, wall, plain = (get(w) for w in ("audio_s", "phrases", "voice_ms", "wall_s", "plain_wall_s"))
        for s in (voice, wall, plain):
            if s.n != runs:
                fail(f"export of {r}: {s.n} samples instead of {runs}")
        total_audio += audio.median
        total_wall += wall.median
        total_plain += plain.median
        out.append(
            f"| {r} | {clock(audio.median)} | {phrases.median:.0f} | {cell(voice, 0)} | {cell(wall, 2)} | "
            f"{audio.median / wall.median:,.0f} | {cell(plain, 2)} | {audio.median / plain.median:,.0f} |")
    out.append(f"| **all {len(routines)}** | {clock(total_audio)} | | | {total_wall:.2f} | "
               f"{total_audio / total_wall:,.0f} | {total_plain:.2f} | {total_audio / total_plain:,.0f} |")
    return out


def clock(seconds):
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def slope_per_minute(points):
    """Least-squares slope of (seconds, ms) points, in ms per minute."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return 60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def timer_table(work, meta):
    onsets = json.load(open(f"{work}/onsets.json"))
    show = json.load(open(f"{work}/timer.json"))
    device_ppm = float(onsets["device_drift_ppm"])
    starts = {round(s["start_ms"]) for s in show["segments"] if s["start_ms"] > 0}
    played = float(meta["timer_seconds"])
    planned = sorted(s for s in starts if s < played * 1000)
    # audio_onsets.py measures each error with the recording's drift taken out: the recording
    # runs at the device's pace, `device_ppm` off the system clock as the app measured it from
    # the frames the device took, so a sound t s into the plan lands ppm·t later in it without
    # the app being late. Read as if it ran on the system clock, that drift counts as the app's.
    measured = [dict(o, own_ms=o["error_s"] * 1000,
                     system_ms=(o["error_s"] + device_ppm * 1e-6 * o["onset_s"]) * 1000)
                for o in onsets["onsets"]]
    if len(measured) < 2:
        fail(f"{len(measured)} onsets measured")
    boundary = [o for o in measured if round(o["at_s"] * 1000) in starts]
    if not boundary or len(boundary) < len(planned) // 2:
        fail(f"only {len(boundary)} of {len(planned)} segment boundaries could be measured")

    def worst(found, key):
        return max(found, key=lambda o: abs(o[key]))

    def median(found, key):
        return statistics.median(abs(o[key]) for o in found)

    def within(key):
        return sum(1 for o in measured if abs(o[key]) <= 5)

    def slope(key):
        return slope_per_minute([(o["onset_s"], o[key]) for o in measured])

    wb, wa = worst(boundary, "own_ms"), worst(measured, "own_ms")
    wbs, was = worst(boundary, "system_ms"), worst(measured, "system_ms")
    n = len(measured)
    return [
        "| Figure | the recording's drift taken out | the recording read as if on the system clock |",
        "|---|---:|---:|",
        f"| Played for real | {played:.0f} s ({onsets['capture_s']:.1f} s captured) | |",
        f"| Segment boundaries in that time | {len(planned)} | |",
        f"| Boundaries whose onset could be measured (nothing else sounding 60 ms before) | {len(boundary)} | |",
        f"| Worst segment-boundary error | {wb['own_ms']:+.2f} ms ({wb['cue']} at {wb['at_s']:.1f} s) | "
        f"{wbs['system_ms']:+.2f} ms ({wbs['cue']} at {wbs['at_s']:.1f} s) |",
        f"| Median segment-boundary error (absolute) | {median(boundary, 'own_ms'):.2f} ms | "
        f"{median(boundary, 'system_ms'):.2f} ms |",
        f"| Every measured onset (boundaries, halfway, countdown pips, reps): n, median, worst | "
        f"{n}, {median(measured, 'own_ms'):.2f} ms, {wa['own_ms']:+.2f} ms | "
        f"{n}, {median(measured, 'system_ms'):.2f} ms, {was['system_ms']:+.2f} ms |",
        f"| Onsets within 5 ms | {within('own_ms')} of {n} | {within('system_ms')} of {n} |",
        f"| Drift: least-squares slope of the error over the run | {slope('own_ms'):+.2f} ms per minute | "
        f"{slope('system_ms'):+.2f} ms per minute |",
        f"| The recording's clock against the system clock (+25 ppm would be +1.5 ms per minute) | "
        f"taken out: {device_ppm:+.1f} ppm × the onset's time in the plan (the device's pace, as the "
        f"app measured it) | how fast the capture file grew, measured beside it: {meta['capture_rate']} |",
        f"| The audio test's own checks (onsets within 5 ms, speech, silence) | | {checks(onsets['failures'])} |",
    ]


def checks(failures):
    if not failures:
        return "passed"
    late = [f for f in failures if ": onset off by " in f]
    other = [f for f in failures if f not in late]
    said = [f"{len(late)} onsets off by more than 5 ms, the first: {late[0]}"] if late else []
    return "FAILED: " + "; ".join(said + other)


def offline_sections(work, samples, runs, meta):
    """The core benchmarks, audio export and timer accuracy (left out by BENCH_ONLY)."""
    def m(key):
        return meta[key]
    return [
        "## Limber Up's core (`cargo bench --bench core`)",
        "",
        *core_table(work),
        "",
        "## Offline audio rendering (`limberup export-audio`)",
        "",
        f"Median (min–max) of {runs} runs per bundled routine. \"× real time\" is seconds of audio per "
        "second of wall time, medians. \"Voice render\" is what the app reports for rendering every "
        "phrase of the routine with espeak-ng (one process per phrase, as when a routine is opened).",
        "",
        *audio_table(samples, runs),
        "",
        "## Timer accuracy over a real 5-minute run",
        "",
        f"One run (it takes 5 real minutes): `{m('timer_command')}`. The app's audio engine plays "
        f"`{m('timer_routine')}` (a boundary every 5 to 45 s) into a PulseAudio null sink while the player "
        "runs on the system clock, polled at random 20–300 ms intervals as frames would; parec records "
        "the sink. Each error is when a sound's first loud sample was recorded minus when the plan "
        "puts it, relative to the first track's tones. The recording runs at the null sink's pace, "
        "a few tens of ppm off the system clock the player and the screen run on; the app measures "
        "that pace from the frames the device takes. The first column takes it out (`tests/"
        "audio_onsets.py` expects a sound planned t s in at t × (1 + drift) in the recording), so "
        "it is when each sound played against the clock the athlete sees. The second reads the "
        "recording as if it ran on the system clock, counting the capture's drift as the app's. "
        "The file's growth, measured beside the run by `probe.py rate`, checks the app's figure "
        "for the drift. It is a correction by a measured rate, not a line fitted to the onsets: a "
        "drift of the app's own would still show in the slope.",
        "",
        *timer_table(work, meta),
        "",
    ]


def main():
    work, out_path = sys.argv[1], sys.argv[2]
    samples, meta = load(work)
    runs = int(meta["runs"])
    def m(key):
        return meta[key]
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by `bash tests/benchmarks.sh` (see the end of this file): do not edit by hand. -->",
        "",
        f"Generated by `{m('command')}` on {m('date')}; the whole run took {m('duration')}. "
        "Limber Up and its peers were measured in the same run on the same machine, one at a time, "
        "so the ratios compare like with like; the absolute figures are this machine's.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m('cpu')} ({m('cores')} cores online) |",
        f"| Memory | {m('memory')} |",
        f"| OS | {m('os')}, kernel {m('kernel')} |",
        f"| Display | Xvfb {m('xvfb')}, screen {m('screen')}, no window manager |",
        f"| OpenGL | {m('gl')} |",
        f"| Sound | a private PulseAudio {m('pulseaudio')} null sink, shared by all three apps |",
        f"| Limber Up | {m('limberup')} (release build: `cargo build --release --locked`, {m('rustc')}) |",
        f"| Workrave | {m('workrave')} (Debian package) |",
        f"| Safe Eyes | {m('safeeyes')} (Debian package) |",
        f"| GTK's visuals | {meta.get('gtk_visuals', 'not recorded')} |",
        f"| Load | {m('load')} |",
        "",
        "## Desktop apps side by side",
        "",
        *desktop_table(samples, runs, int(m("window")), m("busy_load"), m("load")),
        "",
        "## Memory through a whole routine",
        "",
        *fast_lines(samples, runs, meta),
        "",
        *(offline_sections(work, samples, runs, meta) if m("only") == "everything" else [
            "## Left out of this run",
            "",
            f"This was a trial (`BENCH_ONLY={m('only')}`): Limber Up's core benchmarks, offline "
            "audio rendering and timer accuracy were not measured.",
            "",
        ]),
        "## How each figure was taken",
        "",
        "- **Display**: one Xvfb (`-screen 0 1280x800x24`), Mesa software GL; no window manager. "
        "Every app run gets a new temporary HOME with every XDG folder inside it, a private D-Bus "
        "session bus, a stand-in system bus (Safe Eyes asks it about suspend) and the accessibility "
        "bus already started, as on a desktop; all removed afterwards. Files read at start are in "
        "the page cache (nothing is flushed between runs). Before the first run one throwaway GTK "
        "window is opened, so GTK's visuals are cached on the root window (`GDK_VISUALS`) as on any "
        "desktop; otherwise the first GTK app of the display loads Mesa and weighs ~50 MiB more.",
        "- **Start-up**: the app is started held just before its `exec`; `tests/bench/probe.py` "
        "watches the X server for windows being mapped (MapNotify on the root window), starts the "
        "clock, releases the exec and stops at the first map of a window whose `_NET_WM_PID` is the "
        "app or one of its children. Limber Up's window is mapped once its first frame is drawn. "
        "Safe Eyes (a tray app) maps no window until a break: see the table.",
        "- **RSS**: VmRSS summed over the process tree, 10 s after the start and again at the end "
        "of the countdown window.",
        "- **CPU**: utime+stime (+ the c-times of reaped children) summed over the process tree "
        f"from /proc, difference over {m('window')} s of wall time, as % of one core. The sound server, "
        "dbus-daemon and the accessibility bus are nobody's tree and are not counted.",
        f"- **Limber Up**: `limberup` (library) and `limberup play {m('play_routine')}` "
        f"(its first {m('play_timed')} s are timed steps, so it counts through the whole window), "
        "with the source tree's routines (`LIMBERUP_DATA_DIR`).",
        "- **Floor**: `bare-window idle`, `bare-window countdown` and `countdown-sound` (the example "
        "`tests/bench/bare_window.rs`, built with the same release profile), each round started "
        "and measured by the same function as Limber Up's, in a fresh session, right after "
        "Limber Up's matching round.",
        f"- **Whole routine at {m('fast_speed')}x**: `limberup play {m('play_routine')} "
        f"--clock-speed {m('fast_speed')}`; `limberup show --json` gives each Done step's start, "
        "from which the presses are scheduled (a press starts the next step, so later starts move "
        "with it), counted from the window's first map; `probe.py watch` samples the tree's RSS "
        "every second until 5 s after the end; `limberup history --csv` (same HOME) must then show "
        "the session completed with no step skipped.",
        "- **Load**: `/proc/loadavg`'s 1-minute figure as each round begins (before its app is "
        f"started); at most {m('busy_load')} for the round to begin (see under the table).",
        "- **Workrave**: started as `workrave`; after the idle window, "
        "`gdbus call --session --dest org.workrave.Workrave --object-path /org/workrave/Workrave/UI "
        "--method org.workrave.ControlInterface.RestBreak` opens its rest break (10 minutes by "
        "default), which counts down while the user is idle; `GetBreakState restbreak` is checked "
        "to still be `break` after the CPU window.",
        "- **Safe Eyes**: started as `safeeyes` with its default config except: short breaks of "
        "150 s, its RPC server on a free port, and the smart-pause plugin off (it would pause Safe "
        "Eyes because a display without a keyboard is always idle). After the idle window, its "
        "RPC method `take_break` (what `safeeyes --take-break` calls) shows the break screen; the "
        "screen is checked to still be mapped after the CPU window.",
        "- **Load and validate**: divan's median of 10 samples (one load each) of 1,000 copies of a "
        "four-section routine in a temporary folder (`benches/core.rs`); fastest and slowest are "
        "divan's too (per iteration).",
        "- **Audio export**: `limberup export-audio ROUTINE -o FILE.wav` (48 kHz), wall time "
        "from start to exit, then again with `--no-voice`; the audio length is read from the WAV "
        "header; the voice render time is the `N phrases rendered in T ms` the command prints.",
        "",
        "Commands, from the repository root:",
        "",
        "```sh",
        f"{m('command')}        # everything above, installs what it needs when run as root",
        "bash tests/measure-app.sh [BINARY] [RUNS] [SECONDS]   # Limber Up's window figures alone",
        "cargo build --release --locked --example bare-window   # the floor: bare-window idle|countdown",
        "cargo bench --bench core",
        f"{m('timer_command')}",
        "```",
        "",
    ]
    with open(out_path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    try:
        main()
    except KeyError as e:
        fail(f"missing measurement or fact: {e}")
