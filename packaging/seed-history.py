#!/usr/bin/env python3
"""Fills a Limber Up training log with five weeks of sessions up to today, for the
history screenshot. usage: seed-history.py HISTORY.sqlite3

The log must exist (the app creates it on its first start) at schema version 3: this
writes rows as that version lays them out and refuses any other version.
"""
import datetime as dt
import sqlite3
import sys

SCHEMA = 3


def main(path: str) -> None:
    db = sqlite3.connect(path)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA:
        sys.exit(f"{path}: schema version {version}, this script writes version {SCHEMA}")
    now = dt.datetime.now().astimezone()
    monday = (now - dt.timedelta(days=now.weekday())).replace(hour=7, minute=0, second=0, microsecond=0)
    rows = []

    def add(at, routine, title, planned, active, finished, before, after, note=None):
        if at >= now:
            return
        offset = int(at.utcoffset().total_seconds())
        rows.append((routine, title, "5f1d0c2a9b7e4431", int(at.timestamp() * 1000), offset,
                     planned * 1000, active * 1000, 20_000, int(finished), before, after, note))

    # Five weeks of three warm-ups, the tightness easing; a desk break now and then.
    for week in range(5, 0, -1):
        start = monday - dt.timedelta(weeks=week)
        ease = 5 - week
        for n, day in enumerate((0, 2, 4)):
            at = start + dt.timedelta(days=day, minutes=15 * n)
            add(at, "pre-run-warmup", "Pre-run warm-up", 1230, 1190, True,
                7 - ease + (n % 2), 5 - ease + (1 if n == 1 else 0))
        add(start + dt.timedelta(days=1, hours=8), "desk-break", "Desk break", 215, 215, True, None, 4 - min(ease, 3))
    # A stopped session, and this week so far.
    add(monday - dt.timedelta(weeks=3, days=-5, hours=-3), "psoas-hip-flexor-release",
        "Psoas and hip flexor release", 600, 240, False, 6, None, "phone rang")
    add(monday, "pre-run-warmup", "Pre-run warm-up", 1230, 1215, True, 3, 1, "no pump at all on the tempo run")
    add(monday + dt.timedelta(days=2), "quick-pre-run-warmup", "Quick pre-run warm-up", 450, 440, True, 4, 2)
    with db:
        db.executemany(
            "INSERT INTO session (routine_id, routine_title, content_hash, started_utc_ms, utc_offset_secs,"
            " planned_ms, active_ms, paused_ms, finished, check_in_before, check_in_after, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    print(f"seeded {len(rows)} sessions into {path}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
