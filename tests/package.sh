#!/usr/bin/env bash
# The .deb as a user gets it: built, installed with `apt-get install ./…deb`, its routines
# checked, its desktop files validated, the app started from the desktop entry's Exec line
# under Xvfb and photographed, then purged, and none of its files may be left.
# Installing a system package needs root (or sudo without a password): without either, only
# the build and the checks of the .deb's contents run, and the skip is said loudly.
# usage: tests/package.sh [DEB [OUT_DIR]]   (default: packaging/build-deb.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
id=io.github.limberup.LimberUp
started=$SECONDS
fail() { echo "package test FAILED: $*" >&2; exit 1; }
say() { printf -- '--- %s\n' "$*"; }

say "the packaged desktop file, metainfo and MIME type validate"
desktop-file-validate "$root/packaging/$id.desktop"
appstreamcli validate --no-net --pedantic "$root/packaging/$id.metainfo.xml"
data=$(mktemp -d)
mkdir -p "$data/mime/packages"
cp "$root/packaging/$id.mime.xml" "$data/mime/packages/$id.xml"
warnings=$(XDG_DATA_DIRS=$data update-mime-database "$data/mime" 2>&1)
[ -z "$warnings" ] && [ -f "$data/mime/application/x-limberup.xml" ] || fail "MIME type: $warnings"
rm -rf "$data"

deb=$(realpath "${1:-$(bash "$root/packaging/build-deb.sh" | tail -n1)}")
out=${2:-$(mktemp -d)}
mkdir -p "$out"
say "$deb: $(du -b "$deb" | cut -f1) bytes"
depends=$(dpkg-deb -f "$deb" Depends)
recommends=$(dpkg-deb -f "$deb" Recommends)
echo "Depends: $depends"
echo "Recommends: $recommends"
[[ $depends == *libc6* && $depends == *libasound2* ]] || fail "Depends lacks libc6 or libasound2"
[ "$recommends" = espeak-ng ] || fail "Recommends is not espeak-ng"
expected=(
  /usr/bin/limberup
  /usr/share/limberup/routines/pre-run-warmup.ron
  /usr/share/limberup/routines/exercises.ron
  /usr/share/limberup/routines/images/cobra.png
  "/usr/share/applications/$id.desktop"
  "/usr/share/metainfo/$id.metainfo.xml"
  "/usr/share/mime/packages/$id.xml"
  "/usr/share/icons/hicolor/scalable/apps/$id.svg"
  /usr/share/man/man1/limberup.1.gz
  /usr/share/man/man1/limberup-check.1.gz
  /usr/share/bash-completion/completions/limberup
  /usr/share/zsh/vendor-completions/_limberup
  /usr/share/fish/vendor_completions.d/limberup.fish
  /usr/share/doc/limberup/copyright
)
for size in 16 22 24 32 48 64 128 256 512; do
  expected+=("/usr/share/icons/hicolor/${size}x${size}/apps/$id.png")
done
contents=$(dpkg-deb -c "$deb" | awk '{print substr($6, 2)}')
for f in "${expected[@]}"; do
  grep -qxF "$f" <<<"$contents" || fail "the .deb has no $f"
done

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  cat >&2 <<'NOTE'

!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! package test: install, run from the desktop entry and purge were SKIPPED:    !!
!! installing a system package needs root or sudo without a password. CI runs  !!
!! them as root; to run them here: sudo bash tests/package.sh                   !!
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!

NOTE
  exit 0
fi
if dpkg-query -W -f='${Status}' limberup 2>/dev/null | grep -q 'ok installed'; then
  fail "limberup is already installed here, and this test purges it; remove it first: apt-get purge limberup"
fi

work=$(mktemp -d)
installed=0
on_exit() {
  if [ -n "${app:-}" ]; then kill "$app" 2>/dev/null || true; fi
  # A failure half-way leaves no package behind for the next run to trip over.
  if [ "$installed" -eq 1 ]; then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q limberup >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap on_exit EXIT

say "apt-get install $deb"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" >"$work/apt.log" 2>&1 ||
  fail "apt-get install: $(cat "$work/apt.log")"
installed=1
dpkg-query -W -f='${Status}' limberup | grep -q 'ok installed' || fail "not installed"
dpkg -L limberup >"$work/files.txt"

say "the installed files"
for f in "${expected[@]}"; do [ -f "$f" ] || fail "$f is not installed"; done
desktop-file-validate "/usr/share/applications/$id.desktop"
appstreamcli validate --no-net --pedantic "/usr/share/metainfo/$id.metainfo.xml"
if command -v update-mime-database >/dev/null; then
  [ -f /usr/share/mime/application/x-limberup.xml ] || fail "the MIME database does not know application/x-limberup"
fi
zcat /usr/share/man/man1/limberup.1.gz >"$work/limberup.1"
grep -q '^\.TH limberup 1' "$work/limberup.1" || fail "limberup.1.gz is not the man page"
bash -c 'source /usr/share/bash-completion/completions/limberup && complete -p limberup' >/dev/null ||
  fail "the bash completion does not load"
[ "$(command -v limberup)" = /usr/bin/limberup ] || fail "limberup on PATH is $(command -v limberup)"

say "the installed app finds its own routines (HOME and working directory outside the source tree)"
(
  unset LIMBERUP_DATA_DIR
  export HOME=$work/home XDG_DATA_HOME=$work/home/data XDG_CONFIG_HOME=$work/home/config
  mkdir -p "$HOME" && cd "$HOME"
  limberup check /usr/share/limberup/routines | tee "$work/check.txt"
  grep -q ': 0 errors, 0 warnings' "$work/check.txt" || fail "limberup check /usr/share/limberup/routines"
  limberup list --paths >"$work/list.txt"
  [ "$(wc -l <"$work/list.txt")" -ge 9 ] || fail "fewer than 9 routines: $(cat "$work/list.txt")"
  while read -r line; do
    case ${line##* } in
      /usr/share/limberup/routines/*.ron) ;;
      *) fail "a routine not from /usr/share/limberup: $line" ;;
    esac
  done <"$work/list.txt"
  echo "list: $(wc -l <"$work/list.txt") routines, all under /usr/share/limberup/routines"
)

say "started from the desktop entry's Exec line under Xvfb"
exec_line=$(sed -n 's/^Exec=//p' "/usr/share/applications/$id.desktop" | head -n1)
# Started without files, the field codes go (desktop entry spec, "The Exec key").
command_line=$(sed -E 's/ ?%[fFuUdDnNickvm]//g; s/%%/%/g' <<<"$exec_line")
read -ra argv <<<"$command_line"
echo "Exec=$exec_line  ->  ${argv[*]}"
# shellcheck source=tests/xvfb.sh
source "$root/tests/xvfb.sh"
start_xvfb "$root"
unset LIMBERUP_DATA_DIR # start_xvfb points the app at the source tree; not here
export HOME=$xvfb_home
(cd "$HOME" && exec "${argv[@]}") >"$work/app.log" 2>&1 & app=$!
wid=$(timeout 30 xdotool search --sync --onlyvisible --pid "$app" | head -n1) || fail "no window within 30 s"
sleep 3
kill -0 "$app" 2>/dev/null || fail "the app exited: $(cat "$work/app.log")"
import -window root "$out/package-desktop-entry.png"
sd=$(convert "$out/package-desktop-entry.png" -colorspace Gray -format "%[fx:standard_deviation]" info:)
awk -v sd="$sd" 'BEGIN { exit !(sd > 0.02) }' || fail "the screenshot is blank (sd $sd)"
# WM_CLASS(STRING) = "instance", "class"
class=$(xprop -id "$wid" WM_CLASS | sed -n 's/.*, "\(.*\)"$/\1/p')
title=$(xdotool getwindowname "$wid")
echo "window: \"$title\", WM_CLASS $(xprop -id "$wid" WM_CLASS | cut -d= -f2)"
wm_class=$(sed -n 's/^StartupWMClass=//p' "/usr/share/applications/$id.desktop")
[ "$class" = "$wm_class" ] || fail "the window's class $class is not the desktop file's StartupWMClass $wm_class"
# As numbers (plain xprop draws icons as text art): width, height, then the pixels.
icon=$(xprop -id "$wid" -f _NET_WM_ICON 32c -len 12 _NET_WM_ICON)
[[ $icon == "_NET_WM_ICON(CARDINAL) = 256, 256"* ]] || fail "the window has no 256 px icon: $icon"
echo "window icon: 256 x 256"
kill "$app"
wait "$app" 2>/dev/null || true

say "apt-get purge limberup"
: >"$work/dirs.txt"
: >"$work/regular.txt"
while read -r path; do
  if [ -d "$path" ] && [ ! -L "$path" ]; then echo "$path" >>"$work/dirs.txt"; else echo "$path" >>"$work/regular.txt"; fi
done <"$work/files.txt"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q limberup >"$work/apt.log" 2>&1 ||
  fail "apt-get purge: $(cat "$work/apt.log")"
installed=0
if dpkg -s limberup >/dev/null 2>&1; then fail "dpkg still knows limberup after the purge"; fi
left=0
while read -r path; do
  if [ -e "$path" ] || [ -L "$path" ]; then echo "left behind: $path" >&2; left=$((left + 1)); fi
done <"$work/regular.txt"
while read -r path; do
  [ -d "$path" ] || continue
  if dpkg -S "$path" >/dev/null 2>&1; then continue; fi # shared with an installed package
  if [ -z "$(ls -A "$path")" ]; then echo "left behind, empty: $path/" >&2; left=$((left + 1)); fi
  # Otherwise it holds only other packages' caches (icon-theme.cache, mime.cache): not ours.
done <"$work/dirs.txt"
[ ! -e /usr/share/limberup ] || fail "/usr/share/limberup is still there"
[ "$left" -eq 0 ] || fail "$left paths of the package are left after the purge"
echo "purged: none of the $(wc -l <"$work/regular.txt") files of the package is left"

echo "package test passed in $((SECONDS - started)) s; screenshot in $out"
