"""The process the Moadian kill -9 test kills: it delivers the shop's Moadian rows to the fake,
over and over, until SIGKILL ends it with whatever it had in flight.

    python -m tests.sync.moadian_crash_driver DATABASE_URL SETTINGS_PATH KEY_PEM CERT_PEM API_URL
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from posapp.providers.moadian import MoadianClient, MoadianConfig, Signer
from posapp.services.context import AppServices
from posapp.services.moadian_sync import MoadianPolicy, MoadianSync
from posapp.settings.moadian import memory_id
from posapp.settings.store import SettingsStore


def main() -> None:
    database_url, settings_path, key_path, certificate_path, api_url = sys.argv[1:]
    services = AppServices.open(database_url, settings=SettingsStore(Path(settings_path)))
    signer = Signer.from_pem(Path(key_path).read_bytes(), Path(certificate_path).read_bytes())
    config = MoadianConfig(base_url=api_url, memory_id=memory_id(services.settings), timeout=5.0, max_retries=0)
    delivery = MoadianSync(services, lambda: MoadianClient(config, signer),
                           policy=MoadianPolicy(batch_size=4, lease_seconds=0.3, poll_seconds=0.05,
                                                retry_seconds=0.05))
    os.write(sys.stdout.fileno(), f"started {os.getpid()}\n".encode())
    while True:
        delivery.run_once()


if __name__ == "__main__":
    main()
