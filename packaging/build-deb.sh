#!/usr/bin/env bash
# Builds the .deb into target/packages/: the release binary, the man pages and shell
# completions generated from the command line (`limberup generate`), then
# `cargo deb --no-build` with the metadata in Cargo.toml ([package.metadata.deb]).
# Installs cargo-deb first if it is missing. Prints the .deb's path on the last line.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}

if ! cargo deb --version >/dev/null 2>&1; then
  echo "cargo-deb is missing: installing it (once, 1-3 minutes)"
  cargo install cargo-deb --locked --version "^3.8"
fi

cargo build --release --locked
bin=$target/release/limberup

# Generated fresh each time, so a removed command leaves no stale page behind.
rm -rf "$target/release/man" "$target/release/completions"
"$bin" generate man "$target/release/man" >/dev/null
gzip -9n "$target/release/man"/*.1
"$bin" generate completions "$target/release/completions" >/dev/null

mkdir -p "$target/packages"
cargo deb --no-build --locked --output "$target/packages/" | tail -n1
