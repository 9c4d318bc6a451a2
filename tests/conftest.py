"""Suite-wide fixtures: headless Qt, an isolated data folder, no real keyring, no network, and no
thread or timer outliving a GUI test.

The last three are enforced, not promised: the OS keyring is replaced by keyring's null backend
for the whole run and a test that calls a real backend fails (tests that need secrets ask for
`memory_keyring`, tests/support/keyrings.py); a test that resolves or connects to anything
beyond loopback fails, even when the code under test swallowed the error; and a test using Qt
fails when it leaves a thread, timer or background task running (tests/support/qt_leaks.py).
The guards cover this process; subprocesses started by tests talk only to the fakes they are
handed. The `tasks` fixture (a TaskManager shut down after the test) lives in tests/support/qt.py.
"""

from __future__ import annotations

import ipaddress
import os
import socket

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

pytest_plugins = ("tests.support.keyrings", "tests.support.qt_leaks", "tests.support.qt")

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback_host(host: object) -> bool:
    if host is None:
        return True  # getaddrinfo(None, port): the local wildcard, used to bind servers
    text = host.decode() if isinstance(host, bytes) else str(host)
    if text.lower() in LOCAL_NAMES or text == "":
        return True
    try:
        return ipaddress.ip_address(text.split("%")[0]).is_loopback
    except ValueError:
        return False


def is_loopback_address(address: object) -> bool:
    """A connect() address: (host, port[, …]) for IP sockets; a path or bytes for Unix sockets."""
    if isinstance(address, tuple):
        return is_loopback_host(address[0])
    return True


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own user data folder and database; nothing touches the real ones."""
    data_dir = tmp_path / "posapp-data"
    monkeypatch.setenv("POSAPP_DATA_DIR", str(data_dir))
    monkeypatch.delenv("POSAPP_DATABASE_URL", raising=False)
    return data_dir


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail the test that tried to reach beyond 127.0.0.0/8 (or ::1), by name or by address
    (a connection, or a datagram sent without one).
    Yields the attempts, so a test of the guard itself can clear the one it made on purpose."""
    attempts: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host, *args, **kwargs):
        if not is_loopback_host(host):
            attempts.append(f"resolve {host!r}")
            raise socket.gaierror(socket.EAI_NONAME, f"tests stay on loopback: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def guarded(real):
        def connect(self, address):
            if not is_loopback_address(address):
                attempts.append(f"connect {address!r}")
                raise ConnectionRefusedError(f"tests stay on loopback: {address!r}")
            return real(self, address)
        return connect

    real_sendto = socket.socket.sendto

    def sendto(self, data, *flags_and_address):
        """A datagram sent without connect() names its address on each send."""
        address = flags_and_address[-1]
        if not is_loopback_address(address):
            attempts.append(f"send to {address!r}")
            raise OSError(f"tests stay on loopback: {address!r}")
        return real_sendto(self, data, *flags_and_address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", guarded(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(real_connect_ex))
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    yield attempts
    if attempts:
        pytest.fail("the test reached beyond loopback: " + "; ".join(attempts), pytrace=False)
