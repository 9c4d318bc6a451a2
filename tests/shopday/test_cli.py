"""`posapp user|shift|report|audit` end to end through `posapp.cli.main`, PINs on stdin."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest
from pypdf import PdfReader

from posapp.cli import main


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def run(url, monkeypatch, *args, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--database-url", url, *args])


def test_users_shift_reports_and_audit(url, tmp_path, monkeypatch, capsys):
    assert run(url, monkeypatch, "user", "add", "مالک", "--role", "owner", stdin="۱۳۵۷\n") == 0
    assert run(url, monkeypatch, "user", "add", "سارا", "--role", "cashier", "--by", "مالک",
               stdin="2468\n1357\n") == 0
    assert run(url, monkeypatch, "user", "add", "رضا", "--role", "cashier", "--by", "سارا",
               stdin="1111\n2468\n") == 1
    assert "manager's approval" in capsys.readouterr().err
    capsys.readouterr()
    assert run(url, monkeypatch, "user", "list", "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["name"], u["role"]) for u in listed] == [("سارا", "cashier"), ("مالک", "owner")]
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        hashes = [h for (h,) in db.execute("SELECT pin_hash FROM users")]
    assert all("1357" not in h and "2468" not in h for h in hashes)

    assert run(url, monkeypatch, "shift", "open", "--float", "5,000,000", "--user", "سارا", stdin="0000\n") == 1
    assert "wrong name or PIN" in capsys.readouterr().err
    assert run(url, monkeypatch, "shift", "open", "--float", "5,000,000", "--user", "سارا", stdin="2468\n") == 0
    capsys.readouterr()
    assert run(url, monkeypatch, "shift", "status") == 0
    assert "گزارش X" in capsys.readouterr().out
    assert run(url, monkeypatch, "report", "x", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["opening_float"] == "5000000"
    assert run(url, monkeypatch, "shift", "close", "--counted", "4900000", "--user", "سارا", stdin="2468\n") == 1
    assert "close a shift" in capsys.readouterr().err
    assert run(url, monkeypatch, "shift", "close", "--counted", "۴۹۰۰۰۰۰", "--user", "مالک", stdin="1357\n") == 0
    assert "اختلاف: \u2066−۱۰۰٬۰۰۰\u2069" in capsys.readouterr().out  # the sign before the number
    assert run(url, monkeypatch, "report", "z", "--shift", "1", "--format", "json") == 0
    z = json.loads(capsys.readouterr().out)
    assert (z["cash_expected"], z["cash_counted"], z["difference"]) == ("5000000", "4900000", "-100000")
    assert z["opened_by"] == "سارا"
    assert z["closed_by"] == "مالک"
    for paper in ("A4", "80", "58"):
        out = tmp_path / f"z-{paper}.pdf"
        assert run(url, monkeypatch, "report", "z", "--format", "pdf", "--paper", paper, "--out", str(out)) == 0
        page = PdfReader(out).pages[0]
        assert z["journal_hash"][:32] in page.extract_text()
        assert round(float(page.mediabox.width) / 72 * 25.4) == {"A4": 210, "80": 80, "58": 56}[paper]
    capsys.readouterr()
    assert run(url, monkeypatch, "report", "day", "--format", "json") == 0
    assert json.loads(capsys.readouterr().out)["shift_numbers"] == [1]
    assert run(url, monkeypatch, "report", "z", "--shift", "7") == 1
    assert run(url, monkeypatch, "audit", "verify") == 0
    assert "intact" in capsys.readouterr().out
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        db.execute("UPDATE journal SET subject = 'x' WHERE seq = 3")
    assert run(url, monkeypatch, "audit", "verify") == 1
    assert "record 3" in capsys.readouterr().err


def test_disable_and_reset_pin(url, monkeypatch, capsys):
    run(url, monkeypatch, "user", "add", "مالک", "--role", "owner", stdin="1357\n")
    run(url, monkeypatch, "user", "add", "سارا", "--role", "cashier", "--by", "مالک", stdin="2468\n1357\n")
    assert run(url, monkeypatch, "user", "reset-pin", "سارا", "--by", "مالک", stdin="8642\n1357\n") == 0
    assert run(url, monkeypatch, "shift", "open", "--float", "0", "--user", "سارا", stdin="8642\n") == 0
    assert run(url, monkeypatch, "user", "disable", "سارا", "--by", "مالک", stdin="1357\n") == 0
    assert run(url, monkeypatch, "shift", "status") == 0
    assert run(url, monkeypatch, "user", "add", "x", "--role", "cashier", "--by", "مالک") == 2
    assert "no PIN" in capsys.readouterr().err


def test_a_pin_is_not_an_argument(url, monkeypatch, capsys):
    with pytest.raises(SystemExit):
        run(url, monkeypatch, "user", "add", "مالک", "--role", "owner", "--pin", "1357")
