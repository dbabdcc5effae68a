#!/usr/bin/env bash
# Renders the app icon's PNG sizes in the hicolor layout from the SVG sources (needs
# rsvg-convert from librsvg2-bin), and the Windows .ico from them (needs ImageMagick).
# 16-24 px come from small.svg (bolder strokes), the rest from the scalable icon. The
# results are committed; run this again after editing an SVG.
set -euo pipefail
cd "$(dirname "$0")"
id=io.github.limberup.LimberUp
scalable=hicolor/scalable/apps/$id.svg
for size in 16 22 24 32 48 64 128 256 512; do
  source=$scalable
  [ "$size" -le 24 ] && source=small.svg
  mkdir -p "hicolor/${size}x${size}/apps"
  rsvg-convert --width "$size" --height "$size" "$source" -o "hicolor/${size}x${size}/apps/$id.png"
  echo "hicolor/${size}x${size}/apps/$id.png"
done
ico=()
for size in 16 24 32 48 64 256; do ico+=("hicolor/${size}x${size}/apps/$id.png"); done
convert "${ico[@]}" "$id.ico"
echo "$id.ico"
