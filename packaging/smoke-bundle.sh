#!/usr/bin/env bash
# Smoke test of the built bundle (dist/posapp, from build-bundle.sh; built first when missing):
# on a fresh data folder it runs the frozen `posapp` to create and migrate the database, add demo
# data, render a receipt and an invoice, sync to the Pod fake on 127.0.0.1, and open the window
# offscreen; then a second run on the same folder must upgrade nothing. Exits 0 only if all pass.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$ROOT/dist/posapp"
if [ ! -x "$BUNDLE/posapp" ]; then
  bash "$ROOT/packaging/build-bundle.sh"
fi
PYTHON="$ROOT/.venv-bundle/bin/python"   # runs the provider fake, never the app under test
POSAPP="$BUNDLE/posapp"

WORK="$(mktemp -d)"
FAKE_PID=""
cleanup() {
  if [ -n "$FAKE_PID" ]; then exec 3>&- 2>/dev/null || true; wait "$FAKE_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Everything the frozen app writes goes under WORK: data, settings, and a throw-away keyring
# (keyring's own keyringrc.cfg with keyring-path; the machine may have no Secret Service).
export POSAPP_DATA_DIR="$WORK/data"
export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/share" XDG_CACHE_HOME="$WORK/cache"
export QT_QPA_PLATFORM=offscreen
unset PYTHON_KEYRING_BACKEND POSAPP_DATABASE_URL PYTHONPATH
mkdir -p "$XDG_CONFIG_HOME/python_keyring" "$WORK/keyring"
cat > "$WORK/keyring/smoke_keyring.py" <<'PY'
"""A throw-away keyring for the bundle smoke test only: secrets in a file in its temporary folder."""
import json
import os

from keyring.backend import KeyringBackend


class SmokeTestKeyring(KeyringBackend):
    priority = 1
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "secrets.json")

    def _load(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                return json.load(handle)
        except FileNotFoundError:
            return {}

    def get_password(self, service, username):
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service, username, password):
        secrets = self._load()
        secrets[f"{service}\n{username}"] = password
        with open(self.path, "w", encoding="utf-8") as handle:
            json.dump(secrets, handle)

    def delete_password(self, service, username):
        secrets = self._load()
        secrets.pop(f"{service}\n{username}", None)
        with open(self.path, "w", encoding="utf-8") as handle:
            json.dump(secrets, handle)
PY
printf '[backend]\ndefault-keyring=smoke_keyring.SmokeTestKeyring\nkeyring-path=%s\n' "$WORK/keyring" \
  > "$XDG_CONFIG_HOME/python_keyring/keyringrc.cfg"

step() { echo "== $*"; }
fail() { echo "smoke test FAILED: $*" >&2; exit 1; }

step "version";        "$POSAPP" --version
step "db upgrade (fresh data folder)"
"$POSAPP" db upgrade | tee "$WORK/upgrade-1.txt"
grep -q "upgraded from empty" "$WORK/upgrade-1.txt" || fail "the first upgrade did not create the database"
step "demo data";      "$POSAPP" demo-data --products 40 --customers 10 --invoices 25 --seed 3
step "render the sample receipt (80 mm)"
"$POSAPP" render --sample --theme receipt --width 80 --out "$WORK/receipt.pdf"
step "render an issued invoice (A4 modern)"
"$POSAPP" render 1A-000001 --theme modern --out "$WORK/invoice.pdf"
for pdf in "$WORK/receipt.pdf" "$WORK/invoice.pdf"; do
  [ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "$pdf is not a PDF"
done

step "sync --once to the Pod fake on 127.0.0.1"
exec 3> >("$PYTHON" "$ROOT/packaging/smoke_fake_provider.py" "$WORK/fake.json")
FAKE_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/fake.json" ] && break; sleep 0.1; done
[ -s "$WORK/fake.json" ] || fail "the Pod fake did not start"
read -r BASE_URL TOKEN GUILD < <("$PYTHON" -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["base_url"], s["token"], s["guild_code"])' "$WORK/fake.json")
printf '%s\n' "$TOKEN" | "$POSAPP" provider configure pod --base-url "$BASE_URL" \
  --guild-code "$GUILD" --enable --token-stdin
"$POSAPP" sync enqueue pod
# Exit 1 means some rows were refused (printed with the provider's reason); a crash would print a
# traceback, which fails the smoke test either way.
"$POSAPP" sync --once --provider pod 2>&1 | tee "$WORK/sync.txt" || true
grep -q "Traceback" "$WORK/sync.txt" && fail "sync --once crashed"
"$POSAPP" sync status
exec 3>&-
wait "$FAKE_PID"; FAKE_PID=""
DELIVERED="$("$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["invoices"])' "$WORK/fake.json")"
echo "invoices at the Pod fake: $DELIVERED"
[ "$DELIVERED" -gt 0 ] || fail "no invoice reached the Pod fake"

step "open the window offscreen"
POSAPP_EXIT_WHEN_SHOWN=1 timeout 120 "$POSAPP" | tee "$WORK/gui-1.txt"
grep -q "^window-shown" "$WORK/gui-1.txt" || fail "the window was not shown"

step "second run on the same data folder"
"$POSAPP" db upgrade | tee "$WORK/upgrade-2.txt"
grep -q "already at revision" "$WORK/upgrade-2.txt" || fail "the second run upgraded something"
POSAPP_EXIT_WHEN_SHOWN=1 timeout 120 "$POSAPP" | tee "$WORK/gui-2.txt"
grep -q "^window-shown" "$WORK/gui-2.txt" || fail "the window was not shown on the second run"
"$POSAPP" sync status >/dev/null
echo "smoke test passed: $(du -sh "$BUNDLE" | cut -f1) bundle"
