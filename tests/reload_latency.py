#!/usr/bin/env python3
"""Live-reload latency: saves a routine 20 times while `limberup check --watch` runs and
prints the median time from the save to the re-check (the app uses the same watcher).
usage: tests/reload_latency.py BINARY"""
import os, statistics, subprocess, sys, tempfile, time
bin = sys.argv[1]
d = tempfile.mkdtemp(); os.makedirs(d, exist_ok=True)
f = os.path.join(d, "x.ron")
good = 'Routine(format: 1, title: "T%d", sections: [Section(title: "A", steps: [Step(name: "Hold", instruction: "Hold it.", time: 30)])])\n'
open(f, "w").write(good % 0)
p = subprocess.Popen([bin, "check", "--watch", f], stdout=subprocess.PIPE, text=True, bufsize=1)
def wait_for(word):
    while True:
        line = p.stdout.readline()
        if word in line: return
wait_for("watching")
lat = []
for i in range(1, 21):
    time.sleep(0.3)
    t = time.monotonic()
    open(f, "w").write(good % i)
    wait_for("changed: checking again")
    lat.append((time.monotonic() - t) * 1000)
    wait_for("checked")
p.kill()
print("save to re-check, ms: median %.0f, min %.0f, max %.0f over %d saves" % (statistics.median(lat), min(lat), max(lat), len(lat)))
