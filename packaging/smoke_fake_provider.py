"""Serves the Pod fake (tests/fakes) on 127.0.0.1 for the bundle smoke test, outside the bundle.

    python packaging/smoke_fake_provider.py STATE_FILE

Writes {"base_url", "token", "guild_code"} to STATE_FILE once listening, then serves until
standard input closes; on the way out it adds {"invoices": N}, the invoices the fake holds, so
smoke-bundle.sh can see that the bundle's `posapp sync --once` really delivered sales.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.fakes.pod import PodFake

GUILD_CODE = "INFORMATION_TECHNOLOGY_GUILD"


def main() -> int:
    state_file = Path(sys.argv[1])
    with PodFake(seed=1) as fake:
        state = {"base_url": fake.base_url, "token": fake.token, "guild_code": GUILD_CODE}
        state_file.write_text(json.dumps(state), encoding="utf-8")
        sys.stdin.read()
        state["invoices"] = len(fake.invoices)
    state_file.write_text(json.dumps(state), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
