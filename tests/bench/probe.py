#!/usr/bin/env python3
"""probe.py -- the measuring end of tests/benchmarks.sh (python3 stdlib only).

  probe.py window --pid PID [--release FIFO] [--port N] [--timeout S] [-- CMD ...]
      Watches the X display ($DISPLAY) for a top-level window being mapped (MapNotify on the
      root) whose _NET_WM_PID is PID or one of its descendants. The watch starts first; then
      the clock starts and FIFO is written (releasing an app that waits on it before its
      exec) and/or CMD is run (a trigger: "show your break now"; with --port, as soon as
      127.0.0.1:N accepts). Prints the milliseconds from then to the map (with --port, then
      the milliseconds to the port accepting). Event-driven, where `xdotool search --sync`
      polls every 500 ms.
  probe.py port --pid PID --port N [--release FIFO] [--timeout S]
      Milliseconds from releasing FIFO until 127.0.0.1:N accepts a connection.
  probe.py tree PID
      The process tree of PID now: "RSS_KIB CPU_TICKS PROCESSES". RSS is the sum of VmRSS;
      CPU is utime+stime+cutime+cstime summed (children that ended were added to their
      parent's c-times when reaped, so a tree's CPU never goes backwards).
  probe.py rate GLOB FRAME_BYTES NOMINAL_HZ
      How fast a recording grows against the system clock: waits for a file matching GLOB,
      samples its size every 0.5 s while it grows, and prints "FRAMES_PER_S PPM ERROR_PPM
      SECONDS": the least-squares slope, its offset from NOMINAL_HZ in parts per million, and
      that slope's standard error.
  probe.py cpu PID SECONDS
      CPU of PID's tree over SECONDS of wall time, as % of one core, then the tree's RSS at
      the end: "PERCENT RSS_KIB". Fails if PID is gone by then.
  probe.py watch PID SECONDS
      The tree's RSS every second for SECONDS: prints "RSS_KIB_AT_THE_END MAX_RSS_KIB".
      Fails if PID is gone by then.
  probe.py presses PLAN_JSON SPEED
      When to press Done through a routine played SPEED times faster (`limberup show --json`
      of it: segments with start_ms and waits_for_done, and total_ms): seconds after the
      player started, 1.5 s after each Done step should begin (a press starts the next step,
      so every later start moves with it), then the routine's end, on one line.
  probe.py finished CSV ROUTINE
      Checks `limberup history --csv`: one session of ROUTINE, completed, with no step
      skipped (so no press landed on the wrong step); prints its steps done.

Every failure exits non-zero with a message on stderr; nothing is ever guessed.
"""
import argparse
import csv
import ctypes
import glob
import json
import os
import select
import socket
import statistics
import subprocess
import sys
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def fail(message):
    print(f"probe: {message}", file=sys.stderr)
    sys.exit(1)


def children_map():
    kids = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        kids.setdefault(int(fields[1]), []).append(int(entry))
    return kids


def tree(pid):
    kids, found, todo = children_map(), [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(kids.get(p, []))
    return found


def sample(pid):
    """(rss_kib, cpu_ticks, processes) of pid's tree; None if pid is gone."""
    rss = ticks = count = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{p}/status") as f:
                status = f.read()
        except OSError:
            if p == pid:
                return None
            continue
        # After the ")": state=0 ppid=1 ... utime=11 stime=12 cutime=13 cstime=14.
        ticks += sum(int(x) for x in fields[11:15])
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss += int(line.split()[1])
        count += 1
    return rss, ticks, count


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def release(fifo):
    if fifo:
        with open(fifo, "w") as f:
            f.write("go\n")


# ---- X11 through ctypes: just enough to see windows being mapped and read _NET_WM_PID ----

MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
XA_CARDINAL = 6
c_ulong_p = ctypes.POINTER(ctypes.c_ulong)


def open_x():
    try:
        x = ctypes.cdll.LoadLibrary("libX11.so.6")
    except OSError as e:
        fail(f"cannot load libX11: {e}")
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XDefaultRootWindow.restype = ctypes.c_ulong
    x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
    x.XConnectionNumber.argtypes = [ctypes.c_void_p]
    x.XPending.argtypes = [ctypes.c_void_p]
    x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
        ctypes.c_int, ctypes.c_ulong, c_ulong_p, ctypes.POINTER(ctypes.c_int), c_ulong_p,
        c_ulong_p, ctypes.POINTER(ctypes.c_void_p),
    ]
    x.XFree.argtypes = [ctypes.c_void_p]
    display = x.XOpenDisplay(None)
    if not display:
        fail(f"cannot open the X display {os.environ.get('DISPLAY')!r}")
    return x, display


# A window can be gone by the time its property is read: ignore X errors rather than exit.
ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)(lambda d, e: 0)


def window_pid(x, display, atom, window):
    kind, fmt, items, after = ctypes.c_ulong(), ctypes.c_int(), ctypes.c_ulong(), ctypes.c_ulong()
    data = ctypes.c_void_p()
    status = x.XGetWindowProperty(
        display, window, atom, 0, 1, 0, XA_CARDINAL, ctypes.byref(kind), ctypes.byref(fmt),
        ctypes.byref(items), ctypes.byref(after), ctypes.byref(data),
    )
    if status != 0 or not data.value:
        return None
    pid = ctypes.cast(data, c_ulong_p)[0] if items.value == 1 and fmt.value == 32 else None
    x.XFree(data)
    return pid


def port_open(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def wait_window(args):
    x, display = open_x()
    x.XSetErrorHandler.argtypes = [type(ERROR_HANDLER)]
    x.XSetErrorHandler(ERROR_HANDLER)
    root = x.XDefaultRootWindow(display)
    atom = x.XInternAtom(display, b"_NET_WM_PID", 0)
    x.XSelectInput(display, root, SUBSTRUCTURE_NOTIFY_MASK)
    x.XSync(display, 0)
    fd = x.XConnectionNumber(display)
    event = (ctypes.c_ulong * 24)()
    t0 = time.monotonic_ns()
    release(args.release)
    deadline = t0 + int(args.timeout * 1e9)
    # With --port, CMD waits until the port accepts; X events are read meanwhile, so every
    # map is timed when it happens.
    trigger = ready = None
    while True:
        if trigger is None and args.cmd and (args.port is None or port_open(args.port)):
            ready = time.monotonic_ns()
            trigger = subprocess.Popen(args.cmd, stdout=subprocess.DEVNULL)
        while x.XPending(display):
            x.XNextEvent(display, event)
            at = time.monotonic_ns()
            if ctypes.c_int.from_buffer(event).value != MAP_NOTIFY:
                continue
            # XMapEvent: type, serial, send_event, display, event, window, override_redirect.
            owner = window_pid(x, display, atom, event[5])
            if owner is not None and owner in tree(args.pid):
                if trigger and trigger.wait(timeout=30) != 0:
                    fail(f"the trigger {args.cmd} failed")
                shown = f"{(at - t0) / 1e6:.1f}"
                print(shown if args.port is None else f"{shown} {(ready - t0) / 1e6:.1f}")
                return
        now = time.monotonic_ns()
        if now > deadline:
            fail(f"no window of process {args.pid} was mapped within {args.timeout:g} s")
        if not alive(args.pid):
            fail(f"process {args.pid} exited before mapping a window")
        wait = 0.005 if trigger is None and args.port is not None else 0.05
        select.select([fd], [], [], min(wait, (deadline - now) / 1e9))


def wait_port(args):
    t0 = time.monotonic_ns()
    release(args.release)
    deadline = t0 + int(args.timeout * 1e9)
    while time.monotonic_ns() < deadline:
        if port_open(args.port):
            print(f"{(time.monotonic_ns() - t0) / 1e6:.1f}")
            return
        if not alive(args.pid):
            fail(f"process {args.pid} exited before listening on port {args.port}")
        time.sleep(0.005)
    fail(f"nothing listened on 127.0.0.1:{args.port} within {args.timeout:g} s")


def rate(args):
    deadline = time.monotonic() + 120
    while not (found := glob.glob(args.glob)):
        if time.monotonic() > deadline:
            fail(f"no file matching {args.glob} appeared within 120 s")
        time.sleep(0.1)
    path, xs, ys, last, still = found[0], [], [], -1, 0
    time.sleep(2)  # past the first fill of the recorder's buffer
    while still < 4:
        try:
            size = os.path.getsize(path)
        except OSError:
            break
        if size == last:
            still += 1
        else:
            still, last = 0, size
            xs.append(time.monotonic())
            ys.append(size / args.frame_bytes)
        time.sleep(0.5)
    if len(xs) < 100:
        fail(f"{path} grew for only {len(xs) / 2:.0f} s")
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    residuals = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys))
    error = (residuals / (len(xs) - 2) / sxx) ** 0.5  # the slope's standard error
    ppm = lambda r: r / args.nominal_hz * 1e6
    print(f"{slope:.3f} {ppm(slope - args.nominal_hz):+.1f} {ppm(error):.1f} {xs[-1] - xs[0]:.0f}")


def cpu(args):
    first = sample(args.pid)
    t0 = time.monotonic_ns()
    if first is None:
        fail(f"process {args.pid} is not running")
    time.sleep(args.seconds)
    last = sample(args.pid)
    t1 = time.monotonic_ns()
    if last is None or not alive(args.pid):
        fail(f"process {args.pid} exited during the {args.seconds:g} s CPU window")
    percent = 100 * (last[1] - first[1]) / CLK_TCK / ((t1 - t0) / 1e9)
    print(f"{percent:.2f} {last[0]}")


def watch(args):
    deadline, last, most = time.monotonic() + args.seconds, None, 0
    while True:
        found = sample(args.pid)
        if found is None or not alive(args.pid):
            fail(f"process {args.pid} exited during the {args.seconds:g} s watch")
        last, most = found[0], max(most, found[0])
        left = deadline - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(1.0, left))
    print(last, most)


PRESS_AFTER_S = 1.5


def press_schedule(plan, speed):
    """Seconds after the start to press Done at, and the routine's end, on a SPEED-times clock."""
    segments, shift, presses = plan["segments"], 0.0, []
    for i, segment in enumerate(segments):
        if not segment["waits_for_done"]:
            continue
        press = segment["start_ms"] / 1000 / speed + shift + PRESS_AFTER_S
        presses.append(press)
        # The next step starts at the press: every later start moves by as much.
        following = segments[i + 1]["start_ms"] if i + 1 < len(segments) else plan["total_ms"]
        shift = press - following / 1000 / speed
    return presses, plan["total_ms"] / 1000 / speed + shift


def presses(args):
    with open(args.plan) as f:
        plan = json.load(f)
    when, end = press_schedule(plan, args.speed)
    print(*(f"{t:.3f}" for t in when), f"{end:.3f}")


def finished(args):
    with open(args.csv, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["routine"] == args.routine]
    if len(rows) != 1:
        fail(f"{len(rows)} sessions of {args.routine} in the training log instead of 1")
    row = rows[0]
    if row["status"] != "completed" or row["steps_skipped"] != "0":
        fail(f"the session of {args.routine} was {row['status']} with {row['steps_skipped']} steps skipped")
    print(row["steps_done"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    w = sub.add_parser("window")
    w.add_argument("--pid", type=int, required=True)
    w.add_argument("--release")
    w.add_argument("--port", type=int)
    w.add_argument("--timeout", type=float, default=30)
    w.add_argument("cmd", nargs="*")
    p = sub.add_parser("port")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--release")
    p.add_argument("--timeout", type=float, default=30)
    t = sub.add_parser("tree")
    t.add_argument("pid", type=int)
    r = sub.add_parser("rate")
    r.add_argument("glob")
    r.add_argument("frame_bytes", type=int)
    r.add_argument("nominal_hz", type=float)
    c = sub.add_parser("cpu")
    c.add_argument("pid", type=int)
    c.add_argument("seconds", type=float)
    wa = sub.add_parser("watch")
    wa.add_argument("pid", type=int)
    wa.add_argument("seconds", type=float)
    pr = sub.add_parser("presses")
    pr.add_argument("plan")
    pr.add_argument("speed", type=float)
    fi = sub.add_parser("finished")
    fi.add_argument("csv")
    fi.add_argument("routine")
    args = parser.parse_args()
    if args.what == "watch":
        watch(args)
    elif args.what == "presses":
        presses(args)
    elif args.what == "finished":
        finished(args)
    elif args.what == "window":
        wait_window(args)
    elif args.what == "port":
        wait_port(args)
    elif args.what == "tree":
        found = sample(args.pid)
        if found is None:
            fail(f"process {args.pid} is not running")
        print(*found)
    elif args.what == "rate":
        rate(args)
    else:
        cpu(args)


if __name__ == "__main__":
    main()
