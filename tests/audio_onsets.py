#!/usr/bin/env python3
"""audio_onsets.py CAPTURE.raw EVENTS.json [--json OUT] -- checks a real-playback capture (stdlib only).

CAPTURE.raw: what the null sink's monitor recorded, s16le, 48 kHz, 2 channels.
EVENTS.json: what `limberup play-audio --events` scheduled: each sound's start, onset (its
first sample at or above 0.05 full scale), end, kind, and whether it is isolated (nothing
else sounds in the 60 ms before its onset).

Checks, relative to the first sound: every isolated sound's onset is within 5 ms of its
planned offset; there is speech (signal) through every spoken phrase; there is silence in
every gap of 250 ms or more where nothing is scheduled. Prints the onset errors (median and
worst). Exits 1 on failure. With --json OUT, first writes every measured onset (cue, kind,
name, start, planned onset, error) and the failures to OUT.
"""
import array
import json
import statistics
import sys

RATE, CHANNELS = 48_000, 2
THRESHOLD = int(0.05 * 32768)
TOLERANCE_S = 0.005
SEARCH_S = 0.030


def main():
    capture_path, events_path = sys.argv[1], sys.argv[2]
    json_path = sys.argv[4] if len(sys.argv) == 5 and sys.argv[3] == "--json" else None
    samples = array.array("h")
    with open(capture_path, "rb") as f:
        samples.frombytes(f.read())
    left = samples[::CHANNELS]
    events = sorted(json.load(open(events_path)), key=lambda e: e["onset_s"])
    if not events:
        fail("no sounds were scheduled")
    loud = lambda i: abs(left[i]) > THRESHOLD
    first = next((i for i in range(len(left)) if loud(i)), None)
    if first is None:
        fail(f"the capture ({len(left) / RATE:.1f} s) is silent")
    # The capture's time of the plan's zero: the first sound lines the two up.
    zero = first / RATE - events[0]["onset_s"]
    to_index = lambda t: int(round((zero + t) * RATE))
    failures, errors, measured = [], [], []
    for e in events:
        expected = to_index(e["onset_s"])
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
        errors.append(error)
        measured.append({"cue": e["cue"], "kind": e["kind"], "name": e["name"],
                         "at_s": e["at_s"], "onset_s": e["onset_s"], "error_s": error})
        if abs(error) > TOLERANCE_S:
            failures.append(f"{label}: onset off by {error * 1000:+.1f} ms")
    # Speech where it should be: signal through each phrase, in 100 ms windows.
    for e in (e for e in events if e["kind"] == "voice"):
        start, end = to_index(e["at_s"]), min(to_index(e["end_s"]), len(left))
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
            a, b = to_index(last_end + 0.02), min(to_index(start - 0.02), len(left))
            if b > a and max(abs(left[i]) for i in range(a, b)) > THRESHOLD:
                failures.append(f"sound in the quiet between {last_end:.3f} s and {start:.3f} s")
        last_end = max(last_end, end)
    if errors:
        worst = max(errors, key=abs)
        print(
            f"{len(errors)} onsets measured over {len(left) / RATE:.1f} s: error median "
            f"{statistics.median(abs(x) for x in errors) * 1000:.2f} ms, worst {worst * 1000:+.2f} ms"
        )
    voices = sum(1 for e in events if e["kind"] == "voice")
    print(f"{voices} spoken phrases checked for speech, {len(busy)} sounds scheduled")
    if len(errors) < 5:
        failures.append(f"only {len(errors)} onsets could be measured")
    if json_path:
        with open(json_path, "w") as f:
            json.dump({"capture_s": len(left) / RATE, "onsets": measured, "failures": failures}, f, indent=1)
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
