"""Damaged and unusual databases: every command answers with a bilingual message and a non-zero
exit, never a traceback, and leaves the file exactly as it was; reading commands still work on
a read-only file system; an empty file is never set up as a new database."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from posapp.cli import main

COMMANDS = {
    "render": ["render", "1A-000003", "--out", "{tmp}/out.pdf"],
    "sync status": ["sync", "status"],
    "sync --once": ["sync", "--once"],
    "sync enqueue": ["sync", "enqueue", "pod"],
    "db backup": ["db", "backup", "{tmp}/backup.sqlite3"],
    "db upgrade": ["db", "upgrade"],
    "demo-data": ["demo-data", "--products", "5", "--customers", "0", "--invoices", "0"],
    "catalog export": ["catalog", "export", "{tmp}/catalogue.csv"],
}


@pytest.fixture(scope="module")
def shop_file(tmp_path_factory):
    """A small shop database (demo data) in rollback-journal mode, checkpointed."""
    path = tmp_path_factory.mktemp("shop") / "shop.sqlite3"
    assert main(["--database-url", f"sqlite:///{path}", "demo-data", "--products", "40", "--customers", "5",
                 "--invoices", "30"]) == 0
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    return path


def _fingerprint(path: Path) -> tuple[str, list[str]]:
    siblings = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))
    return hashlib.sha256(path.read_bytes()).hexdigest(), siblings


def _run(path: Path, command: list[str], tmp_path: Path) -> int:
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    return main(["--database-url", f"sqlite:///{path}", *argv])


def _assert_bilingual(err: str, *english: str) -> None:
    assert "Traceback" not in err
    assert any("\u0600" <= ch <= "\u06ff" for ch in err), err
    for words in english:
        assert words in err


def _every_command_refuses(path, tmp_path, capsys, *english):
    before = _fingerprint(path)
    for name, command in COMMANDS.items():
        assert _run(path, command, tmp_path) != 0, name
        _assert_bilingual(capsys.readouterr().err, *english)
        assert _fingerprint(path) == before, f"{name} changed the file"
    assert not (tmp_path / "out.pdf").exists()
    assert not (tmp_path / "backup.sqlite3").exists()


def test_a_truncated_database_is_refused_by_every_command(shop_file, tmp_path, capsys):
    path = tmp_path / "truncated.sqlite3"
    path.write_bytes(shop_file.read_bytes()[: shop_file.stat().st_size // 2])
    _every_command_refuses(path, tmp_path, capsys, "damaged or incomplete", "truncated", "posapp db backup")


def test_scrambled_pages_are_refused_by_every_command(shop_file, tmp_path, capsys):
    data = bytearray(shop_file.read_bytes())
    noise = random.Random(7)
    page = 4096
    for number in range(1, len(data) // page):
        for offset in range(number * page + 8, number * page + page, 3):
            data[offset] = noise.randrange(256)
    path = tmp_path / "scrambled.sqlite3"
    path.write_bytes(bytes(data))
    _every_command_refuses(path, tmp_path, capsys, "damaged or incomplete", "posapp db backup")


def test_text_that_is_not_utf8_is_reported_as_damage_not_as_an_invalid_option(shop_file, tmp_path, capsys):
    wal_mode = tmp_path / "wal.sqlite3"
    shutil.copyfile(shop_file, wal_mode)
    with sqlite3.connect(wal_mode) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    data = bytearray(wal_mode.read_bytes())
    with sqlite3.connect(shop_file) as connection:
        description = connection.execute(
            "SELECT l.description FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id "
            "WHERE i.number = '1A-000003' ORDER BY l.id LIMIT 1").fetchone()[0]
    encoded = description.encode()
    start = data.find(encoded)
    while start != -1:
        data[start] = 0xFF
        start = data.find(encoded, start + 1)
    path = tmp_path / "text.sqlite3"
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    assert _run(path, COMMANDS["render"], tmp_path) == 1
    err = capsys.readouterr().err
    _assert_bilingual(err, "damaged or incomplete", "not UTF-8")
    assert "invalid option" not in err
    assert path.read_bytes() == before


def test_an_empty_file_is_not_set_up_as_a_new_database(tmp_path, capsys):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    _every_command_refuses(path, tmp_path, capsys, "empty file (0 bytes)", "posapp db backup")
    assert path.stat().st_size == 0


def test_a_newer_database_is_refused_before_anything_writes_to_it(shop_file, tmp_path, capsys):
    path = tmp_path / "newer.sqlite3"
    shutil.copyfile(shop_file, path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    header = path.read_bytes()[:100]
    assert header[18:20] == b"\x01\x01", "rollback-journal mode"
    _every_command_refuses(path, tmp_path, capsys, "newer posapp", "0099")
    assert path.read_bytes()[:100] == header, "not converted to WAL, change counter untouched"


def test_a_missing_folder_is_named(tmp_path, capsys):
    path = tmp_path / "unplugged" / "posapp.sqlite3"
    assert _run(path, COMMANDS["sync status"], tmp_path) == 1
    _assert_bilingual(capsys.readouterr().err, "does not exist", "check the path")
    assert not path.parent.exists()


# -- real file systems: a read-only one and a full one (tmpfs mounts, root only) -----------


@pytest.fixture
def mount_tmpfs(tmp_path):
    """mount(size_kb, files, read_only=...) -> the mount point, holding copies of `files` (under
    `folder` if given); remounted read-only after copying when asked; unmounted after the test."""
    mounted: list[Path] = []

    def mount(size_kb: int, files: list[Path], *, read_only: bool, folder: str = "") -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(point)],
                                capture_output=True, check=False)
        if result.returncode != 0:
            pytest.skip("needs permission to mount a tmpfs (run as root)")
        mounted.append(point)
        (point / folder).mkdir(exist_ok=True)
        for file in files:
            shutil.copyfile(file, point / folder / file.name)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_reading_commands_work_on_a_read_only_file_system(shop_file, tmp_path, capsys, mount_tmpfs):
    point = mount_tmpfs(4096, [shop_file], read_only=True, folder="فروشگاه من #1")
    path = point / "فروشگاه من #1" / shop_file.name
    before = _fingerprint(path)
    for name in ("render", "sync status", "db upgrade", "catalog export", "db backup"):
        assert _run(path, COMMANDS[name], tmp_path) == 0, (name, capsys.readouterr().err)
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
    with sqlite3.connect(tmp_path / "backup.sqlite3") as copy:
        assert copy.execute("SELECT count(*) FROM invoices").fetchone() == (30,)
    capsys.readouterr()
    assert _run(path, COMMANDS["demo-data"], tmp_path) == 1
    _assert_bilingual(capsys.readouterr().err, "read-only", "reading works")
    assert main(["--database-url", f"sqlite:///{path}", "catalog", "import",
                 str(Path(__file__).parent.parent / "data" / "import" / "utf8_bom.csv")]) == 1
    _assert_bilingual(capsys.readouterr().err, "read-only")
    assert _fingerprint(path) == before


def test_a_new_database_cannot_be_made_on_a_read_only_file_system(tmp_path, capsys, mount_tmpfs):
    point = mount_tmpfs(1024, [], read_only=True)
    assert _run(point / "new.sqlite3", COMMANDS["sync status"], tmp_path) == 1
    _assert_bilingual(capsys.readouterr().err, "read-only")


def test_a_full_disk_is_named_and_saves_nothing(shop_file, tmp_path, capsys, mount_tmpfs):
    size_kb = shop_file.stat().st_size // 1024 + 64
    point = mount_tmpfs(size_kb, [shop_file], read_only=False)
    path = point / shop_file.name
    assert main(["--database-url", f"sqlite:///{path}", "demo-data", "--products", "3000", "--customers", "0",
                 "--invoices", "0"]) == 1
    err = capsys.readouterr().err
    _assert_bilingual(err, "is full", "Free some space")
    assert "database or disk is full" not in err
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT count(*) FROM products").fetchone() == (40,)
    assert _run(path, COMMANDS["render"], tmp_path) == 0, "reading still works"


def test_a_backup_onto_a_full_disk_says_so_and_leaves_no_partial_file(shop_file, tmp_path, capsys, mount_tmpfs):
    point = mount_tmpfs(64, [], read_only=False)
    source = tmp_path / "shop.sqlite3"
    shutil.copyfile(shop_file, source)
    target = point / "backup.sqlite3"
    assert main(["--database-url", f"sqlite:///{source}", "db", "backup", str(target)]) == 1
    _assert_bilingual(capsys.readouterr().err, "the backup failed", "is full", "free some space")
    assert list(point.iterdir()) == []
