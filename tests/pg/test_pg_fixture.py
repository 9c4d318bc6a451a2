"""The PostgreSQL fixture's own rules: where it finds the server, and that a missing server
fails a CI run but only skips a local one."""

from __future__ import annotations

import shutil

import pytest

from tests.pg.conftest import find_server_binaries, required_server_binaries


@pytest.fixture
def no_server_on_path(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)


def _make_server_folder(root, version):
    folder = root / str(version) / "bin"
    folder.mkdir(parents=True)
    for program in ("initdb", "pg_ctl"):
        (folder / program).write_text("")
    return folder


def test_the_newest_debian_version_is_chosen(tmp_path, no_server_on_path):
    _make_server_folder(tmp_path, 9)
    newest = _make_server_folder(tmp_path, 15)
    (tmp_path / "16" / "bin").mkdir(parents=True)  # a client-only install: no initdb
    assert find_server_binaries(f"{tmp_path}/*/bin") == newest


def test_a_missing_server_fails_under_ci(tmp_path, no_server_on_path, monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="a CI run must have them"):
        required_server_binaries(f"{tmp_path}/*/bin")


def test_a_missing_server_skips_a_local_run(tmp_path, no_server_on_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install postgresql"):
        required_server_binaries(f"{tmp_path}/*/bin")
