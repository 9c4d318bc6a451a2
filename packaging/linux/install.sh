#!/usr/bin/env sh
# Installs the unpacked posapp bundle for the current user: the program under
# ~/.local/opt/posapp, the `posapp` command in ~/.local/bin, the menu entry and the icon.
# Run it from the unpacked folder: ./install.sh   (./install.sh --uninstall removes them again).
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${POSAPP_PREFIX:-$HOME/.local}"
TARGET="$PREFIX/opt/posapp"
if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$TARGET" "$PREFIX/bin/posapp" "$PREFIX/share/applications/posapp.desktop" \
    "$PREFIX/share/icons/hicolor/scalable/apps/posapp.svg"
  echo "posapp removed (your data folder is kept)."
  exit 0
fi
mkdir -p "$PREFIX/opt" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/icons/hicolor/scalable/apps"
rm -rf "$TARGET"
cp -R "$HERE/posapp" "$TARGET"
ln -sf "$TARGET/posapp" "$PREFIX/bin/posapp"
sed "s|^Exec=posapp|Exec=$TARGET/posapp|" "$HERE/posapp.desktop" > "$PREFIX/share/applications/posapp.desktop"
cp "$HERE/posapp.svg" "$PREFIX/share/icons/hicolor/scalable/apps/posapp.svg"
echo "posapp installed in $TARGET; start it from the menu or with: $PREFIX/bin/posapp"
