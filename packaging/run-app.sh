#!/usr/bin/env bash
# Sets up what posapp needs (see setup-env.sh) and starts the app on the local SQLite database
# in the user data directory. Extra arguments go to the `posapp` command.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup-env.sh"
exec "$VENV/bin/posapp" "$@"
