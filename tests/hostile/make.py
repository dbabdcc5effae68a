#!/usr/bin/env python3
"""Writes the hostile-input corpus: malformed and malicious routine files, media and
bundles. Run from anywhere; writes beside this script. The files are committed; this script
says how each was made. (The 50 MB file and the symbolic link are made by the test.)"""
import os, struct, zipfile, zlib

HERE = os.path.dirname(os.path.abspath(__file__))

def write(name, data):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

def routine(step_fields='time: 30', title='"Hostile"', extra=''):
    return ('Routine(\n    format: 1,\n    title: %s,\n%s    sections: [\n'
            '        Section(title: "A", steps: [\n'
            '            Step(name: "Hold", instruction: "Hold it.", %s),\n'
            '        ]),\n    ],\n)\n') % (title, extra, step_fields)

# Syntax errors of every kind.
write("syntax-missing-comma.ron", routine().replace('title: "Hostile",', 'title: "Hostile"'))
write("syntax-unclosed.ron", routine()[:-3])
write("syntax-unterminated-string.ron", 'Routine(format: 1, title: "never ends, sections: [])\n')
write("syntax-stray-bracket.ron", routine().replace("sections: [", "sections: [[", 1))
write("syntax-garbage.ron", bytes(range(1, 256)) * 4)
write("syntax-null-bytes.ron", routine().replace("Hold it.", "Hold\0it."))
write("syntax-only-comments.ron", "// nothing but a comment\n/* and a block */\n")
write("syntax-empty.ron", "")
write("syntax-bom.ron", "\ufeff" + routine())
write("syntax-not-utf8.ron", routine().encode("utf-8").replace(b"Hold it.", b"Hold \xe9t\xe9."))
write("syntax-json.ron", '{"format": 1, "title": "json", "sections": []}\n')
# After the routine's closing bracket: a trailing comma, a second routine pasted in.
write("syntax-trailing-comma.ron", routine()[:-1] + ",\n")
write("syntax-second-routine.ron", routine() + routine())
# Wrong types and unknown names.
write("type-title-number.ron", routine(title="42"))
write("type-sections-map.ron", 'Routine(format: 1, title: "x", sections: {"a": 1})\n')
write("type-sides-string.ron", routine('time: 30, sides: "Both"'))
write("type-time-list.ron", routine('time: [30, 40]'))
write("unknown-field.ron", routine('time: 30, colour: "red"'))
write("unknown-variant.ron", routine('time: 30, sides: Sideways'))
write("unknown-struct-name.ron", routine().replace("Step(", "Exercise(", 1))
write("format-99.ron", routine().replace("format: 1", "format: 99"))
write("duplicate-keys.ron", 'Routine(format: 1, title: "d", exercises: {"a": (name: "A", time: 5), "a": (name: "B", time: 6)}, sections: [Section(title: "s", steps: [Step(exercise: "a")])])\n')
# Nesting and size.
write("deep-nesting.ron", 'Routine(format: 1, title: "deep", tags: ' + "[" * 20000 + "]" * 20000 + ', sections: [])\n')
write("deep-nesting-options.ron", 'Routine(format: 1, title: "deep", lead_in: ' + "Some(" * 20000 + "3" + ")" * 20000 + ', sections: [])\n')
write("giant-line.ron", routine(title='"' + "x" * 900_000 + '"'))
steps = "".join('            Step(name: "S%d", instruction: "Go.", time: 1),\n' % i for i in range(9000))
write("many-steps.ron", 'Routine(format: 1, title: "many", sections: [Section(title: "A", steps: [\n' + steps + "])])\n")
# Numbers out of range.
write("number-overflow.ron", routine('reps: 99999999999999999999999, rep_time: 1'))
write("number-negative-time.ron", routine('time: -5'))
write("number-negative-sets.ron", routine('time: 30, sets: -1'))
write("number-nan.ron", routine('time: NaN'))
write("number-infinite.ron", routine('time: inf'))
write("number-huge-float.ron", routine('time: 1e308'))
write("number-over-two-hours.ron", routine('time: "3 h"'))
# Sizes: each value in range, their product far too large to plan (found by fuzzing).
write("size-rounds-times-sets.ron", routine('time: 30, sets: 1000, sides: Both')
      .replace('Section(title: "A",', 'Section(title: "A", rounds: 1000,'))
write("number-paced-overflow.ron", routine('reps: 1000, rep_time: "2 h"'))
write("number-range-backwards.ron", routine('time: "30-20 s"'))
# Control and direction characters in names.
write("text-control-chars.ron", routine(title='"Bell\u0007 and escape \u001b[31m"'))
write("text-rtl-override.ron", routine(title='"Hips \u202egnp.exe"'))
write("text-zero-width.ron", routine(title='"Hip\u200bs"'))
write("text-empty-name.ron", routine().replace('name: "Hold"', 'name: ""'))
write("text-emoji-title.ron", routine(title='"Morning \U0001F3C3 warm-up"'))
# Paths out of the folder.
write("path-dotdot.ron", routine('time: 30, image: "../../../../etc/passwd"'))
write("path-absolute.ron", routine('time: 30, image: "/etc/passwd"'))
write("path-windows.ron", routine('time: 30, image: "C:\\\\Windows\\\\win.ini"'))
write("path-unc.ron", routine('time: 30, sound: "\\\\\\\\server\\\\share\\\\x.wav"'))
write("path-include-escape.ron", routine(extra='    include: ["../../etc/passwd"],\n'))
write("path-include-self.ron", routine(extra='    include: ["path-include-self.ron"],\n'))
write("path-symlink.ron", routine('time: 30, image: "media/link-out.png"'))  # link made by the test

# Media: a decompression bomb, truncated and lying files.
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

def png(width, height, rows):
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")

# 60000 x 60000 grey pixels (3.6 GB decoded) whose first rows compress to almost nothing.
write("media/bomb.png", png(60000, 60000, b"\0" * (60001 * 64)))
good = png(64, 48, b"".join(b"\0" + bytes([x * 4 % 256 for x in range(64)]) for _ in range(48)))
write("media/truncated.png", good[: len(good) // 2])
write("media/not-a-png.png", b"GIF89a" + b"\0" * 100)

def wav(data_len, rate=8000, channels=1, body=b"\0" * 100):
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * channels * 2, channels * 2, 16)
    return b"RIFF" + struct.pack("<I", 36 + data_len) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", data_len) + body

write("media/truncated.wav", wav(10_000_000))
write("media/zero-channels.wav", wav(100, channels=0))
write("media-bomb-png.ron", routine('time: 30, image: "media/bomb.png"'))
write("media-truncated-png.ron", routine('time: 30, image: "media/truncated.png"'))
write("media-not-a-png.ron", routine('time: 30, image: "media/not-a-png.png"'))
write("media-truncated-wav.ron", routine('time: 30, sound: "media/truncated.wav"'))
write("media-zero-channel-wav.ron", routine(extra='    sounds: Sounds(finish: "media/zero-channels.wav"),\n'))
# A picture named in another case than the file's: found on Windows and macOS, not on Linux.
write("media/hip.png", good)
write("media-case.ron", routine('time: 30, image: "media/Hip.PNG"'))

# Exercise files: a mistake in an included one (reported once, before the steps using it),
# and an id defined in a file beside the routine that it does not include.
write("includes/broken.exercises.ron",
      'Exercises(\n    format: 1,\n    exercises: {\n'
      '        "lunge": (name: "Lunge", instruction: "Step forward.", time: 30)\n'
      '        "squat": (name: "Squat", instruction: "Sit back.", time: 30),\n    },\n)\n')
write("include-broken.ron", routine(extra='    include: ["includes/broken.exercises.ron"],\n')
      .replace('Step(name: "Hold", instruction: "Hold it.", time: 30)',
               'Step(exercise: "lunge"), Step(exercise: "squat"), Step(exercise: "lunge")'))
write("siblings/legs.exercises.ron",
      'Exercises(format: 1, exercises: {"lunge": (name: "Lunge", instruction: "Step forward.", time: 30)})\n')
write("siblings/uses-sibling.ron", routine().replace(
    'Step(name: "Hold", instruction: "Hold it.", time: 30)', 'Step(exercise: "lunge")'))

# Plays, but its length cannot be known: a Done step without `suggested_time`.
write("length-unknown.ron", routine('until_done: true'))
# Still the example text `limberup new` wrote.
write("template-description.ron", routine(extra='    description: "What this routine is for and when to do it, in a sentence or two.",\n'))

# Bundles.
GOOD = routine('time: 30').encode()

def bundle(name, entries, compression=zipfile.ZIP_DEFLATED):
    path = os.path.join(HERE, "bundles", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", compression) as z:
        for entry in entries:
            if isinstance(entry, zipfile.ZipInfo):
                z.writestr(entry, b"/etc/passwd")
            else:
                # A fixed time, so running this again changes no committed bundle.
                info = zipfile.ZipInfo(entry[0], date_time=(2026, 1, 1, 0, 0, 0))
                info.compress_type = compression
                z.writestr(info, entry[1])

bundle("zip-slip.limberup", [("x/x.ron", GOOD), ("../../evil.ron", GOOD)])
bundle("zip-slip-deep.limberup", [("x/x.ron", GOOD), ("x/../../../evil.ron", GOOD)])
bundle("zip-absolute.limberup", [("x/x.ron", GOOD), ("/tmp/evil.ron", GOOD)])
bundle("zip-windows-absolute.limberup", [("x/x.ron", GOOD), ("C:\\evil.ron", GOOD)])
link = zipfile.ZipInfo("x/images/link.png", date_time=(2026, 1, 1, 0, 0, 0))
link.external_attr = (0o120777 << 16)
bundle("zip-symlink.limberup", [("x/x.ron", GOOD), link])
bundle("zip-bomb.limberup", [("x/x.ron", GOOD), ("x/notes.txt", b"\0" * 210_000_000)])
bundle("zip-many-entries.limberup", [("x/x.ron", GOOD)] + [("x/n%d.txt" % i, b"") for i in range(2001)])
bundle("zip-executable.limberup", [("x/x.ron", GOOD), ("x/run.sh", b"#!/bin/sh\nrm -rf ~\n")])
bundle("zip-broken-routine.limberup", [("x/x.ron", routine().replace('title: "Hostile",', 'tittle: "x",').encode())])
bundle("zip-no-routine.limberup", [("x/readme.txt", b"hello")])
# The zip reader indexes entries by name and keeps the last of a repeated one: imported.
bundle("zip-duplicate.limberup", [("x/x.ron", GOOD), ("x/x.ron", GOOD)])
write("bundles/zip-not-a-zip.limberup", "this is not a zip file\n")
whole = open(os.path.join(HERE, "bundles", "zip-slip.limberup"), "rb").read()
write("bundles/zip-truncated.limberup", whole[: len(whole) // 2])
write("bundles/zip-empty.limberup", b"")
