#!/usr/bin/env bash
# Installs what building, running and testing Limber Up needs on Debian or Ubuntu.
# Safe to run again. Needs root or sudo for apt-get.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=(
  build-essential pkg-config
  libasound2-dev          # rodio's ALSA output
  espeak-ng               # spoken cues
  xvfb xdotool imagemagick  # the window smoke test and screenshots
  x11-utils               # xprop: the window's class in the .deb test
  pulseaudio pulseaudio-utils libasound2-plugins  # the real-playback audio test
  librsvg2-bin            # rendering the illustrations from SVG
  fonts-dejavu-core       # labels on the illustrations contact sheet
  chromium poppler-utils  # rendering the printable sheet to PDF and checking it
  desktop-file-utils appstream shared-mime-info  # validating the desktop file, metainfo, MIME type
  playerctl dbus         # the media-key test: playerctl on a private session bus
  git ca-certificates     # the tarball's timestamp; installing cargo-deb for the .deb test
)
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null

need="1.95"
if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again:" >&2
  echo "  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --default-toolchain $need" >&2
  exit 1
fi
have=$(rustc --version | awk '{print $2}')
if [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]; then
  echo "Limber Up needs Rust $need or newer; this machine has $have. Run: rustup update" >&2
  exit 1
fi
echo "dependencies ready (Rust $have)"
