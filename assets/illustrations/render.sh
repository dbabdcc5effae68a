#!/usr/bin/env bash
# Render the exercise illustrations.
#   1. figures.py (re)writes the SVG sources next to this script;
#   2. rsvg-convert renders each SVG to routines/images/<name>.png (800x600);
#   3. ImageMagick reduces each PNG to a palette and strips metadata;
#   4. montage builds the contact sheet docs/illustrations.png.
# Needs: python3, rsvg-convert (librsvg2-bin), ImageMagick (convert, montage),
# the DejaVu Sans font. Works from any directory; output is deterministic.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/routines/images"
sheet="$root/docs/illustrations.png"
font="DejaVu-Sans"

for tool in python3 rsvg-convert convert montage; do
    command -v "$tool" >/dev/null || { echo "render.sh: $tool is missing" >&2; exit 1; }
done

python3 "$here/figures.py" "$here"
mkdir -p "$out" "$(dirname "$sheet")"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# No timestamps or other varying chunks in any PNG.
png_opts=(-strip -define png:exclude-chunks=date,time,tIME -define png:compression-level=9)

list="$(python3 "$here/figures.py" --list)"
names=()
labels=()
while IFS=$'\t' read -r name label; do
    names+=("$name")
    labels+=("$label")
done <<< "$list"

for name in "${names[@]}"; do
    rsvg-convert --width 800 --height 600 --format png --output "$tmp/$name.png" "$here/$name.svg"
    convert "$tmp/$name.png" -alpha off +dither -colors 96 "${png_opts[@]}" "PNG8:$out/$name.png"
done

args=()
for i in "${!names[@]}"; do
    args+=(-label "${labels[$i]}" "$out/${names[$i]}.png")
done
montage -font "$font" -pointsize 22 -fill '#2E3440' -background '#FFFFFF' \
    "${args[@]}" -tile 6x -geometry 360x270+14+12 "$tmp/sheet.png"
convert "$tmp/sheet.png" -alpha off +dither -colors 128 "${png_opts[@]}" "PNG8:$sheet"

echo "rendered ${#names[@]} illustrations into $out and the contact sheet $sheet"
