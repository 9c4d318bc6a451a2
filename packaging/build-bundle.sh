#!/usr/bin/env bash
# Builds the posapp desktop bundle for Linux with PyInstaller: dist/posapp/ (one folder, no Python
# needed on the shop's machine) and dist/posapp-VERSION-linux-ARCH.tar.gz (the bundle, the menu
# entry, the icon and install.sh). Installs what it needs (binutils, a build environment in
# .venv-bundle with only posapp's run-time dependencies and PyInstaller) and is safe to run again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export POSAPP_VENV="${POSAPP_VENV:-$ROOT/.venv-bundle}"
EXTRAS=bundle
source "$ROOT/packaging/setup-env.sh"
cd "$POSAPP_ROOT"

# PyInstaller reads shared libraries' headers with objdump (binutils) on Linux.
if ! command -v objdump >/dev/null 2>&1; then
  echo "posapp: installing binutils for PyInstaller"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends binutils
fi

VERSION="$("$VENV/bin/python" -c 'import posapp; print(posapp.__version__)')"
ARCH="$(uname -m)"
echo "== PyInstaller (posapp $VERSION, $ARCH)"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" "$ROOT/packaging/posapp.spec"

STAGE="$ROOT/build/posapp-$VERSION-linux-$ARCH"
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp -R "$ROOT/dist/posapp" "$STAGE/posapp"
cp "$ROOT/packaging/linux/posapp.desktop" "$ROOT/packaging/linux/install.sh" "$STAGE/"
cp "$ROOT/resources/icons/posapp.svg" "$STAGE/posapp.svg"
TARBALL="$ROOT/dist/posapp-$VERSION-linux-$ARCH.tar.gz"
tar -C "$ROOT/build" -czf "$TARBALL" "posapp-$VERSION-linux-$ARCH"
echo "bundle:  $ROOT/dist/posapp ($(du -sh "$ROOT/dist/posapp" | cut -f1))"
echo "tarball: $TARBALL ($(du -h "$TARBALL" | cut -f1))"
