#!/usr/bin/env bash
# Puts the fonts the application PDF needs into var/fonts (or $VEIVISER_FONT_DIR): DejaVu Sans
# (Latin with æøå), Noto Sans Arabic UI and Abyssinica SIL (Ethiopic, for Tigrinya). Taken from
# the system when installed, otherwise from the Debian packages (apt-get download + dpkg-deb,
# no root needed), so a fresh machine needs nothing but the package registry.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${VEIVISER_FONT_DIR:-var/fonts}"
mkdir -p "$dest"
declare -A wanted=(
  [DejaVuSans.ttf]="fonts-dejavu-core:usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
  [DejaVuSans-Bold.ttf]="fonts-dejavu-core:usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
  [NotoSansArabicUI-Regular.ttf]="fonts-noto-ui-core:usr/share/fonts/truetype/noto/NotoSansArabicUI-Regular.ttf"
  [AbyssinicaSIL-Regular.ttf]="fonts-sil-abyssinica:usr/share/fonts/truetype/abyssinica/AbyssinicaSIL-Regular.ttf"
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in "${!wanted[@]}"; do
  [[ -s "$dest/$name" ]] && continue
  package="${wanted[$name]%%:*}"; path="${wanted[$name]#*:}"
  if [[ -s "/$path" ]]; then
    cp "/$path" "$dest/$name"; continue
  fi
  if ! ls "$work"/"$package"_*.deb >/dev/null 2>&1; then
    (cd "$work" && { apt-get download "$package" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get download "$package" >/dev/null; }; })
  fi
  dpkg-deb -x "$work"/"$package"_*.deb "$work/$package"
  cp "$work/$package/$path" "$dest/$name"
done
echo "fonts ready in $dest"
