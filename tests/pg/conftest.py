"""A throw-away PostgreSQL server for the `postgres` tests: one cluster per test session on a
free port of 127.0.0.1 (trust authentication, no Unix socket), a fresh database per test.

The server binaries come from PATH or /usr/lib/postgresql/*/bin (`packaging/run-tests.sh`
installs Debian's `postgresql` package when they are missing). Under CI=true a missing server
fails the run; a local run without one skips these tests with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from posapp.services.catalog import ProductView
from posapp.services.context import AppServices
from posapp.settings.shop import SHOP_NAME, SHOP_NATIONAL_ID, TILL_CODE
from posapp.settings.store import SettingsStore
from tests.shop_data import create_products

SERVER_USER = "postgres"
"""The operating-system account that runs the server when the tests run as root (initdb
refuses root); also the database superuser initdb creates."""

START_TIMEOUT_SECONDS = 60


DEBIAN_SERVER_FOLDERS = "/usr/lib/postgresql/*/bin"


def find_server_binaries(debian_folders: str = DEBIAN_SERVER_FOLDERS) -> Path | None:
    """The folder holding both `initdb` and `pg_ctl`: PATH first, then the newest Debian version."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent

    def version(folder: str) -> int:
        name = Path(folder).parent.name
        return int(name) if name.isdigit() else 0

    for folder in sorted(glob.glob(debian_folders), key=version, reverse=True):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


def required_server_binaries(debian_folders: str = DEBIAN_SERVER_FOLDERS) -> Path:
    """The server binaries' folder; without one the test fails under CI=true (the test command
    installs the server, so its absence is a broken setup) and is skipped on a local run."""
    binaries = find_server_binaries(debian_folders)
    if binaries is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in " + debian_folders
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; packaging/run-tests.sh installs the Debian 'postgresql' package, "
                        "so a CI run must have them", pytrace=False)
        pytest.skip(f"{reason}; install PostgreSQL (Debian: apt-get install postgresql) to run these tests")
    return binaries


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class PostgresServer:
    """A running cluster: connect as the superuser over TCP on 127.0.0.1."""

    port: int
    data_dir: Path

    def admin_conninfo(self) -> str:
        return f"host=127.0.0.1 port={self.port} user={SERVER_USER} dbname=postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, icu_locale: str | None = None) -> str:
        """A new empty database: the cluster's C collation, or ICU's rules for `icu_locale`."""
        name = f"posapp_test_{uuid.uuid4().hex[:12]}"
        collation = (f" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '{icu_locale}' LOCALE 'C'"
                     if icu_locale else "")
        with psycopg.connect(self.admin_conninfo(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"{collation}')
        return name

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.admin_conninfo(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    result = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    binaries = required_server_binaries()
    data_dir = Path(tempfile.mkdtemp(prefix="posapp-pg-", dir="/tmp"))
    if os.geteuid() == 0:
        shutil.chown(data_dir, user=SERVER_USER)
    cluster = data_dir / "cluster"
    started = False
    try:
        _run([str(binaries / "initdb"), "--pgdata", str(cluster), "--username", SERVER_USER,
              "--auth", "trust", "--encoding", "UTF8", "--no-locale", "--no-sync"])
        (cluster / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\n", encoding="utf-8")
        port = free_port()
        with (cluster / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = ''\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
        _run([str(binaries / "pg_ctl"), "--pgdata", str(cluster), "--log", str(data_dir / "server.log"),
              "--wait", "--timeout", str(START_TIMEOUT_SECONDS), "start"])
        started = True
        yield PostgresServer(port, cluster)
    finally:
        if started:
            _run([str(binaries / "pg_ctl"), "--pgdata", str(cluster), "--mode", "immediate", "--wait", "stop"])
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A SQLAlchemy URL of a new, empty database on the session's server; dropped afterwards."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def persian_collated_url(postgres_server: PostgresServer) -> Iterator[str]:
    """Like `postgres_url`, but the database sorts text by ICU's Persian rules (fa-IR), as a shop
    creating its database with a Persian locale would have it."""
    name = postgres_server.create_database(icu_locale="fa-IR")
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def shop_settings(tmp_path: Path) -> SettingsStore:
    store = SettingsStore(tmp_path / "settings.json")
    store.set(SHOP_NAME, "فروشگاه نمونه")
    store.set(SHOP_NATIONAL_ID, "0012345679")
    store.set(TILL_CODE, "1")
    return store


@pytest.fixture
def pg_services(postgres_url: str, shop_settings: SettingsStore) -> Iterator[AppServices]:
    """AppServices on a fresh PostgreSQL database, migrated by `AppServices.open` itself."""
    with AppServices.open(postgres_url, settings=shop_settings) as opened:
        yield opened


@pytest.fixture
def pg_products(pg_services: AppServices) -> dict[str, ProductView]:
    """The shared products, the milk's name typed with Arabic kaf and yeh (search normalises)."""
    return create_products(pg_services.catalog, milk_name="شیر پاستوریزه كاله ۱ ليتری")
