#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine for posapp: system libraries Qt needs, a virtual
# environment in .venv and the package installed into it (with EXTRAS=test also the PostgreSQL
# server the database tests start). Safe to run again: it installs only what is missing. Sourced
# by run-app.sh and run-tests.sh; EXTRAS picks the optional extras.
set -euo pipefail

POSAPP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${POSAPP_VENV:-$POSAPP_ROOT/.venv}"
EXTRAS="${EXTRAS:-}"

# Libraries Qt needs offscreen and on a real X11 screen, the font tools, and the Python parts
# a bare Debian/Ubuntu lacks: the Qt libraries are the ones measured for offscreen and X11 runs.
SYSTEM_PACKAGES=(
  python3 python3-venv python3-dev ca-certificates
  libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libxkbcommon0 libx11-6
  libpng16-16 fontconfig fonts-dejavu-core
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
  libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1
  libxcb-glx0 libx11-xcb1 libxkbcommon-x11-0
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    case "$pkg" in
      python3|python3-venv|python3-dev)
        # A machine whose python3 (3.11 or newer) already has venv, ensurepip and headers needs nothing.
        if python3 -c 'import sys, venv, ensurepip, sysconfig, os; sys.exit(sys.version_info < (3, 11) or not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' 2>/dev/null; then
          continue
        fi ;;
    esac
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "posapp: installing system packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

postgres_server_found() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    return 0
  fi
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    if [ -x "$bin/initdb" ] && [ -x "$bin/pg_ctl" ]; then
      return 0
    fi
  done
  return 1
}

# The test run (EXTRAS includes test) starts a throw-away PostgreSQL cluster for tests/pg, so it
# needs the server programs (initdb, pg_ctl), and checks PDF text with pdftotext; the app itself
# needs neither. Each is installed only if missing.
install_test_tools() {
  case ",$EXTRAS," in
    *,test,*) ;;
    *) return 0 ;;
  esac
  # The printed documents' text layer is checked with poppler's pdftotext too.
  if ! command -v pdftotext >/dev/null 2>&1; then
    echo "posapp: installing poppler-utils for the text-layer tests"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends poppler-utils
  fi
  if postgres_server_found; then
    return 0
  fi
  echo "posapp: installing the PostgreSQL server for the database tests: postgresql"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql
}

install_python_environment() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "posapp: creating virtual environment in $VENV"
    python3 -m venv "$VENV"
  fi
  local spec="$POSAPP_ROOT"
  [ -n "$EXTRAS" ] && spec="$POSAPP_ROOT[$EXTRAS]"
  # Re-install only when pyproject.toml changed since the last successful install.
  local stamp="$VENV/.posapp-installed"
  local wanted
  wanted="$(sha256sum "$POSAPP_ROOT/pyproject.toml" | cut -d' ' -f1) $EXTRAS"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$spec"
    echo "$wanted" > "$stamp"
  fi
}

install_system_packages
install_test_tools
install_python_environment
