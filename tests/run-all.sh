#!/usr/bin/env bash
# The whole test suite, as CI runs it: format, lints, docs, unit/integration/property/UI
# tests, then the window smoke test under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets --locked -- -D warnings

step "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked --quiet

step "cargo test"
cargo test --locked

step "the bundled routines pass the strict check"
cargo run --locked --quiet -- check --strict routines/

step "window smoke test (release binary under Xvfb)"
cargo build --release --locked
bash tests/smoke.sh target/release/limberup

step "the printable sheet, rendered by headless Chromium"
bash tests/sheet.sh target/release/limberup

step "real audio playback through a PulseAudio null sink"
# A null-sink capture is now and then corrupt as a whole (sound everywhere, measured 1 run
# in 7 here); a real regression fails both attempts, and the first failure stays printed.
bash tests/audio_playback.sh target/release/limberup || {
  echo "audio playback: retrying once (the first capture may have been corrupt)"
  bash tests/audio_playback.sh target/release/limberup
}
