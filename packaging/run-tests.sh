#!/usr/bin/env bash
# Sets up what posapp needs (see setup-env.sh) and runs the whole check: ruff, the import-layer
# contracts, mypy --strict on every Qt-free package, then the pytest suite headless.
set -euo pipefail
EXTRAS=test
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
cd "$POSAPP_ROOT"
export QT_QPA_PLATFORM=offscreen
export PYTHON_KEYRING_BACKEND="${PYTHON_KEYRING_BACKEND:-keyring.backends.null.Keyring}"
echo "== ruff"; "$VENV/bin/ruff" check posapp tests benchmarks
echo "== import layers"; "$VENV/bin/lint-imports"
echo "== mypy --strict (the packages in pyproject.toml)"; "$VENV/bin/mypy"
echo "== pytest"
exec "$VENV/bin/python" -m pytest -n "${POSAPP_TEST_WORKERS:-2}" "$@"
