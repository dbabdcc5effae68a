#!/usr/bin/env bash
# Renders the printable sheet of the full pre-run warm-up with headless Chromium to PDF (A4
# and Letter) and checks it: a few pages, every thumbnail embedded, nothing fetched.
# With --png DIR, also writes the pages side by side as DIR/sheet-pre-run-warmup.png.
# usage: tests/sheet.sh BINARY [--png DIR]
set -euo pipefail
bin=$(realpath "$1")
png_dir=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" sheet pre-run-warmup -o "$work/sheet.html" >/dev/null
steps=$("$bin" show --json pre-run-warmup | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(len({(s['section'], s['title']) for s in d['segments'] if s['kind'] == 'work'}))")

for paper in A4 Letter; do
  # The page size a browser's print dialog would pick, forced by one extra rule.
  sed "s|<style>|<style>@page { size: $paper; }|" "$work/sheet.html" > "$work/$paper.html"
  # The flags keep Chromium off the network entirely (this machine's is closed).
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --no-pdf-header-footer \
    --print-to-pdf="$work/$paper.pdf" "file://$work/$paper.html" 2>/dev/null
  pages=$(pdfinfo "$work/$paper.pdf" | awk '/^Pages:/ {print $2}')
  images=$(pdfimages -list "$work/$paper.pdf" | tail -n +3 | wc -l)
  size=$(pdfinfo "$work/$paper.pdf" | awk -F': *' '/^Page size:/ {print $2}')
  echo "sheet on $paper ($size): $pages pages, $images pictures for $steps steps"
  if (( pages < 2 || pages > 4 )); then
    echo "FAIL: the full warm-up should print on 2 to 4 pages, not $pages" >&2; exit 1
  fi
  if (( images != steps )); then
    echo "FAIL: $images pictures in the PDF, $steps steps with pictures" >&2; exit 1
  fi
done

if [[ ${2:-} == --png && -n $png_dir ]]; then
  pdftoppm -r 70 -png "$work/A4.pdf" "$work/page"
  convert "$work"/page-*.png -bordercolor '#9a9a9a' -border 1 -background white -splice 12x0 +append \
    -bordercolor white -border 12 "$png_dir/sheet-pre-run-warmup.png"
  echo "wrote $png_dir/sheet-pre-run-warmup.png"
fi
echo "sheet: ok"
