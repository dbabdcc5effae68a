#!/usr/bin/env bash
# Builds the portable tarball target/packages/limberup-VERSION-ARCH-linux.tar.gz: one folder
# limberup-VERSION/ with the binary and its routines/ beside it (where the binary looks
# first), the README and licences, the desktop file and icon, the man pages and the shell
# completions. Unpacked anywhere, `./limberup` runs from there. Prints the path on the last line.
# usage: packaging/build-tarball.sh [BINARY]   (default: a fresh release build)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
id=io.github.limberup.LimberUp

if [ $# -ge 1 ]; then
  bin=$1
else
  cargo build --release --locked
  bin=$target/release/limberup
fi
version=$("$bin" --version | awk '{print $2}')
arch=$(uname -m)
name=limberup-$version
out=$target/packages
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
top=$stage/$name

mkdir -p "$top"
install -m 755 "$bin" "$top/limberup"
cp -r routines "$top/routines"
install -m 644 README.md LICENSE-MIT LICENSE-APACHE "$top/"
install -m 644 "packaging/$id.desktop" "packaging/$id.metainfo.xml" "$top/"
install -m 644 "packaging/icons/hicolor/256x256/apps/$id.png" "$top/$id.png"
"$bin" generate man "$top/man" >/dev/null
"$bin" generate completions "$top/completions" >/dev/null
find "$top" -type d -exec chmod 755 {} +
find "$top" -type f ! -name limberup -exec chmod 644 {} +

mkdir -p "$out"
tarball=$out/$name-$arch-linux.tar.gz
# Same inputs, same bytes: sorted names, no owners, the last commit's time.
mtime=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$stage" -cf - "$name" |
  gzip -9n >"$tarball"
echo "$tarball"
