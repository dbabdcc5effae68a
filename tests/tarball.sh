#!/usr/bin/env bash
# The portable tarball as an athlete uses it: unpacked into a fresh temporary folder and run
# from there with a throw-away home, no LIMBERUP_DATA_DIR and the working directory outside
# the source tree, it lists (with paths: they must be the unpacked folder's), checks and
# plays its own bundled routines; the player is photographed under Xvfb.
# usage: tests/tarball.sh [TARBALL [OUT_DIR]]   (default: packaging/build-tarball.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
started=$SECONDS
fail() { echo "tarball test FAILED: $*" >&2; exit 1; }

tarball=$(realpath "${1:-$(bash "$root/packaging/build-tarball.sh" | tail -n1)}")
out=${2:-$(mktemp -d)}
mkdir -p "$out"
work=$(mktemp -d)
on_exit() { if [ -n "${app:-}" ]; then kill "$app" 2>/dev/null || true; fi; rm -rf "$work"; }
trap on_exit EXIT

tar -xzf "$tarball" -C "$work"
mapfile -t tops < <(ls -A "$work")
[ "${#tops[@]}" -eq 1 ] || fail "want one top folder, found: ${tops[*]}"
dir=$work/${tops[0]}
for f in limberup routines/pre-run-warmup.ron routines/exercises.ron routines/images \
  README.md LICENSE-MIT LICENSE-APACHE io.github.limberup.LimberUp.desktop \
  io.github.limberup.LimberUp.png man/limberup.1 completions/limberup.bash; do
  [ -e "$dir/$f" ] || fail "the tarball has no $f"
done
[ -x "$dir/limberup" ] || fail "limberup is not executable"

# As on a machine without the source tree: nothing points back at it.
unset LIMBERUP_DATA_DIR
export HOME=$work/home XDG_DATA_HOME=$work/home/data XDG_CONFIG_HOME=$work/home/config
mkdir -p "$HOME"
cd "$dir"

./limberup list --paths >"$work/list.txt" || fail "list"
cat "$work/list.txt"
[ "$(wc -l <"$work/list.txt")" -ge 9 ] || fail "fewer than 9 routines listed"
while read -r line; do
  path=${line##* }
  case $path in
    "$dir"/routines/*.ron) [ -f "$path" ] || fail "listed file missing: $path" ;;
    *) fail "a routine not from the unpacked folder: $line" ;;
  esac
done <"$work/list.txt"
./limberup check --strict routines | tail -n1 | grep -q ': 0 errors, 0 warnings' || fail "check routines"
echo "list and check: every routine comes from $dir/routines"

# shellcheck source=tests/xvfb.sh
source "$root/tests/xvfb.sh"
start_xvfb "$root"
unset LIMBERUP_DATA_DIR # start_xvfb points the app at the source tree; not here
alive() { kill -0 "$app" 2>/dev/null || fail "the app exited ($1): $(cat "$work/app.log")"; }
not_blank() {
  local sd
  sd=$(convert "$out/$1.png" -colorspace Gray -format "%[fx:standard_deviation]" info:)
  awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || fail "$1.png is blank (sd $sd)"
}
./limberup play pre-run-warmup >"$work/app.log" 2>&1 & app=$!
timeout 30 xdotool search --sync --onlyvisible --pid "$app" >/dev/null || fail "no window within 30 s"
sleep 5 # past the 3 s get-ready
alive "playing"; import -window root "$out/tarball-playing-1.png"; not_blank tarball-playing-1
sleep 2
alive "still playing"; import -window root "$out/tarball-playing-2.png"; not_blank tarball-playing-2
n=$(compare -metric AE "$out/tarball-playing-1.png" "$out/tarball-playing-2.png" null: 2>&1 || true)
[ "${n%% *}" != "0" ] || fail "the player did not move on in 2 s"

echo "tarball test passed in $((SECONDS - started)) s: $(basename "$tarball") ($(du -b "$tarball" | cut -f1) bytes); screenshots in $out"
