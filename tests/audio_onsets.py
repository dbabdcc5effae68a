#!/usr/bin/env python3
"""audio_onsets.py CAPTURE.raw EVENTS.json [--json OUT] -- checks a real-playback capture (stdlib only).

CAPTURE.raw: what the null sink's monitor recorded, s16le, 48 kHz, 2 channels.
EVENTS.json: what `limberup play-audio --events` played, across every rebuild of its track:
"sounds", each with its start, its cue's due time, onset (its first sample at or above 0.05
full scale), end (or where a press cut it off), kind, whether it is isolated (nothing else
sounds in the 60 ms before its onset), whether its cue came due at a press and when the
track that started it was built; "presses", each command with the moment it was applied; and
"device_drift_ppm", how much faster than the system clock the device took frames.

The recording runs at the device's pace (the null sink's), which is a few tens of ppm off the
system clock the player and the screen run on; the app measures that pace from the frames the
device takes. So a sound planned at t s on the system clock is expected t times that drift
later in the recording: the capture's drift is not counted as the app's, and what is left is
when the sound plays against the clock the athlete sees. (Each track is placed on the system
clock when it is built, then plays at the device's pace: its sounds slip by the drift times the
time since it was built, under 2 ms before it is renewed.)

Checks, relative to the first track's tones: every isolated sound's onset is within 5 ms of its
planned offset; at each press that brings a cue, the first sound of that cue starts within
100 ms of the press (measured; the output's constant latency, the same for the first sound,
is not counted); there is speech (signal) through every spoken phrase; there is silence in
every gap of 250 ms or more where nothing is scheduled. Prints the onset errors (median and
worst) and each press's delay. Exits 1 on failure. With --json OUT, first writes every
measured onset (cue, kind, name, start, planned onset, error) and the failures to OUT.
"""
import array
import json
import statistics
import sys

RATE, CHANNELS = 48_000, 2
THRESHOLD = int(0.05 * 32768)
TOLERANCE_S = 0.005
PRESS_TOLERANCE_S = 0.100
SEARCH_S = 0.030


def main():
    capture_path, events_path = sys.argv[1], sys.argv[2]
    json_path = sys.argv[4] if len(sys.argv) == 5 and sys.argv[3] == "--json" else None
    samples = array.array("h")
    with open(capture_path, "rb") as f:
        samples.frombytes(f.read())
    left = samples[::CHANNELS]
    played = json.load(open(events_path))
    events = sorted(played["sounds"], key=lambda e: e["onset_s"])
    presses = played["presses"]
    drift = played["device_drift_ppm"] * 1e-6
    if not events:
        fail("no sounds were scheduled")
    loud = lambda i: abs(left[i]) > THRESHOLD
    first = next((i for i in range(len(left)) if loud(i)), None)
    if first is None:
        fail(f"the capture ({len(left) / RATE:.1f} s) is silent")
    # The capture's time of the plan's zero: the first sound lines the two up.
    zero = first / RATE - events[0]["onset_s"]
    to_index = lambda t: int(round((zero + t) * RATE))
    # When a moment t s into the plan (on the system clock) comes in the recording.
    recorded = lambda t: t * (1 + drift)
    expected_index = lambda e: to_index(recorded(e["onset_s"]))
    # The first sound may be speech, whose onset is soft: refine the zero on the sharp onsets
    # of the first track's tones.
    offsets = []
    for e in events:
        if e["kind"] != "tone" or not e["isolated"] or e["built_s"] > 1e-9:
            continue
        expected = expected_index(e)
        lo, hi = max(0, expected - int(SEARCH_S * RATE)), expected + int(SEARCH_S * RATE)
        hit = next((i for i in range(lo, min(hi, len(left))) if loud(i)), None)
        if hit is not None and hit > lo:
            offsets.append((hit - expected) / RATE)
    if offsets:
        zero += statistics.median(offsets)
    failures, errors, measured = [], [], []
    heard_at = {}
    for e in events:
        expected = expected_index(e)
        if not e["isolated"] or expected + int(SEARCH_S * RATE) >= len(left):
            continue
        lo = max(0, expected - int(SEARCH_S * RATE))
        hit = next((i for i in range(lo, expected + int(SEARCH_S * RATE)) if loud(i)), None)
        label = f"{e['cue']} {e['kind']} '{e['name'][:40]}' at {e['onset_s']:.3f} s"
        if hit is None:
            failures.append(f"{label}: no onset within {SEARCH_S * 1000:.0f} ms")
            continue
        if hit == lo and lo > 0:
            failures.append(f"{label}: already sounding {SEARCH_S * 1000:.0f} ms before its onset")
            continue
        error = (hit - expected) / RATE
        heard_at[id(e)] = hit / RATE - zero
        errors.append(error)
        measured.append({"cue": e["cue"], "kind": e["kind"], "name": e["name"],
                         "at_s": e["at_s"], "onset_s": e["onset_s"], "built_s": e["built_s"],
                         "error_s": error})
        if abs(error) > TOLERANCE_S:
            failures.append(f"{label}: onset off by {error * 1000:+.1f} ms")
    # Speech where it should be: signal through each phrase, in 100 ms windows.
    for e in (e for e in events if e["kind"] == "voice"):
        start, end = to_index(recorded(e["at_s"])), min(to_index(recorded(e["end_s"])), len(left))
        if end - start < RATE // 10:
            continue
        windows = range(start, end - RATE // 10 + 1, RATE // 10)
        heard = sum(1 for w in windows if rms(left, w, w + RATE // 10) > 0.01)
        if heard < 0.6 * len(windows):
            failures.append(f"speech '{e['name'][:40]}' at {e['at_s']:.3f} s: heard in {heard}/{len(windows)} windows")
    # Silence where nothing is scheduled (a little slack at each side).
    busy = sorted((e["at_s"], e["end_s"]) for e in events)
    last_end = 0.0
    for start, end in busy:
        if start - last_end >= 0.25:
            a, b = to_index(recorded(last_end) + 0.02), min(to_index(recorded(start) - 0.02), len(left))
            if b > a and max(abs(left[i]) for i in range(a, b)) > THRESHOLD:
                failures.append(f"sound in the quiet between {last_end:.3f} s and {start:.3f} s")
        last_end = max(last_end, end)
    # Each press that brings a cue: its first sound, heard within 100 ms of the press.
    delays = []
    for p in presses:
        due = [e for e in events if e["at_press"] and abs(e["due_s"] - p["at_s"]) < 1e-6]
        if not due:
            print(f"press {p['command']} at {p['at_s']:.3f} s: no cue due at it (as planned)")
            continue
        first = min(due, key=lambda e: e["onset_s"])
        label = f"press {p['command']} at {p['at_s']:.3f} s: {first['cue']} {first['kind']} '{first['name'][:30]}'"
        if id(first) not in heard_at:
            failures.append(f"{label}: its onset could not be measured (not isolated, or not heard)")
            continue
        delay = heard_at[id(first)] - recorded(p["at_s"])
        delays.append((p["command"], delay))
        print(f"{label}: heard {delay * 1000:.1f} ms after the press")
        if not -TOLERANCE_S <= delay <= PRESS_TOLERANCE_S:
            failures.append(f"{label}: heard {delay * 1000:+.1f} ms after the press")
    if delays:
        values = sorted(d for _, d in delays)
        print(f"{len(delays)} presses: delay median {statistics.median(values) * 1000:.1f} ms, "
              f"worst {values[-1] * 1000:.1f} ms (beyond the output latency every sound has)")
    if errors:
        worst = max(errors, key=abs)
        print(
            f"{len(errors)} onsets measured over {len(left) / RATE:.1f} s: error median "
            f"{statistics.median(abs(x) for x in errors) * 1000:.2f} ms, worst {worst * 1000:+.2f} ms"
        )
    print(f"device clock {played['device_drift_ppm']:+.1f} ppm against the system clock (taken out)")
    voices = sum(1 for e in events if e["kind"] == "voice")
    print(f"{voices} spoken phrases checked for speech, {len(busy)} sounds scheduled")
    if len(errors) < 5:
        failures.append(f"only {len(errors)} onsets could be measured")
    if json_path:
        with open(json_path, "w") as f:
            json.dump({"capture_s": len(left) / RATE, "device_drift_ppm": played["device_drift_ppm"],
                       "onsets": measured,
                       "presses": [{"command": c, "delay_s": d} for c, d in delays],
                       "failures": failures}, f, indent=1)
    if failures:
        fail("\n  ".join(failures))
    print("audio playback OK")


def rms(x, a, b):
    n = max(1, b - a)
    return (sum(float(x[i]) ** 2 for i in range(a, b)) / n) ** 0.5 / 32768


def fail(message):
    print(f"audio playback FAILED:\n  {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
