"""The suite's own promises: no network beyond loopback, no real keyring, fakes independent of
posapp (a fake that imports the client's code proves nothing about the client)."""

from __future__ import annotations

import ast
import socket
from pathlib import Path

import keyring
import pytest

FAKES = Path(__file__).resolve().parents[1] / "fakes"


def test_fakes_never_import_posapp():
    offenders = []
    for path in sorted(FAKES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "posapp"]
    assert offenders == []


def test_the_keyring_is_not_the_desktops():
    assert type(keyring.get_keyring()).__module__ in ("keyring.backends.null",) or \
        type(keyring.get_keyring()).__name__ == "MemoryKeyring"


def test_resolving_a_public_name_is_refused(loopback_only):
    with pytest.raises(OSError):
        socket.getaddrinfo("api.pod.ir", 443)
    assert loopback_only == ["resolve 'api.pod.ir'"]
    loopback_only.clear()


def test_connecting_beyond_loopback_is_refused_and_fails_the_test(pytester):
    pytester.makeconftest((Path(__file__).resolve().parents[1] / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile("""
        import socket

        def test_swallowed():
            sock = socket.socket()
            try:
                sock.connect(("192.0.2.1", 443))
            except OSError:
                pass
            finally:
                sock.close()

        def test_a_datagram_swallowed():
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                sock.sendto(b"ping", ("198.51.100.7", 53))
            except OSError:
                pass
            finally:
                sock.close()

        def test_loopback_is_fine():
            server = socket.socket()
            server.bind(("127.0.0.1", 0))
            server.listen()
            client = socket.socket()
            client.connect(server.getsockname())
            client.close()
            server.close()
    """)
    result = pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=2)
    result.stdout.fnmatch_lines_random(["*reached beyond loopback*connect*192.0.2.1*",
                                        "*reached beyond loopback*send to*198.51.100.7*"])


def test_a_real_keyring_backend_fails_the_test_even_when_its_error_is_swallowed(pytester, tmp_path):
    pytester.makeconftest((Path(__file__).resolve().parents[1] / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(f"""
        import keyring
        from keyrings.alt.file import PlaintextKeyring

        def test_writes_to_a_file_keyring():
            backend = PlaintextKeyring()
            backend.file_path = {str(tmp_path / "keyring.cfg")!r}
            try:
                backend.set_password("posapp/pod", "token", "secret")
            except Exception:
                pass

        def test_installs_a_real_backend_and_leaves_it():
            keyring.set_keyring(PlaintextKeyring())

        def test_the_memory_keyring_is_fine(memory_keyring):
            keyring.set_password("posapp/pod", "token", "secret")
            assert memory_keyring.store == {{("posapp/pod", "token"): "secret"}}

        def test_the_run_is_back_on_the_null_backend():
            assert type(keyring.get_keyring()).__module__ == "keyring.backends.null"
    """)
    result = pytester.runpytest_inprocess("-p", "no:xdist", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, errors=2)
    result.stdout.fnmatch_lines_random([
        "*used a real keyring: keyrings.alt.file.PlaintextKeyring.set_password*",
        "*used a real keyring: left keyrings.alt.file.PlaintextKeyring installed*",
    ])
    assert not (tmp_path / "keyring.cfg").exists()
