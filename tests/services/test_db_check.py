"""`posapp db check`: SQLite's integrity and foreign-key checks and posapp's invariants (lines
and totals, outbox rows, numbering), each found when broken and reported readably."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from posapp.cli import main
from posapp.domain.invoice import Payment, PaymentMethod
from posapp.services.context import AppServices
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS
from posapp.settings.store import SettingsStore
from tests.shop_data import create_products, sale_draft


@pytest.fixture
def shop(tmp_path, settings):
    """Four sales sent to pod: paid in cash, unpaid, cancelled, and one with a return."""
    default_settings = SettingsStore()
    default_settings.set(ENABLED_SYNC_PROVIDERS, ["pod"])
    settings.set(ENABLED_SYNC_PROVIDERS, ["pod"])
    path = tmp_path / "shop.sqlite3"
    with AppServices.open(f"sqlite:///{path}", settings=settings) as services:
        products = create_products(services.catalog)
        invoicing = services.invoicing
        paid = invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
        unpaid = invoicing.issue(sale_draft(services, products))
        cancelled = invoicing.issue(sale_draft(services, products))
        invoicing.cancel(cancelled.number, "اشتباه")
        returned = invoicing.issue(sale_draft(services, products))
        refund = invoicing.create_return(returned.number, {0: Decimal(1)},
                                         payments=(Payment(PaymentMethod.CASH, Decimal(495_000)),))
    numbers = {"paid": paid.number, "unpaid": unpaid.number, "cancelled": cancelled.number,
               "returned": returned.number, "refund": refund.number}
    return path, numbers


def _check(path: Path, capsys) -> tuple[int, str]:
    code = main(["--database-url", f"sqlite:///{path}", "db", "check"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out


def _tamper(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys=OFF")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def test_a_sound_database_passes(shop, capsys):
    path, _ = shop
    before = path.read_bytes()
    code, out = _check(path, capsys)
    assert code == 0, out
    assert "no problems found" in out
    assert "✓ outbox rows" in out
    assert path.read_bytes() == before, "checking changes nothing"


def test_broken_totals_lines_outbox_rows_and_numbering_are_each_found(shop, capsys):
    path, numbers = shop
    _tamper(
        path,
        f"DELETE FROM invoice_lines WHERE invoice_id = (SELECT id FROM invoices WHERE number = '{numbers['unpaid']}')",
        f"UPDATE invoices SET payable = payable + 1 WHERE number = '{numbers['paid']}'",
        f"DELETE FROM outbox WHERE operation = 'payment' AND idempotency_key LIKE 'pod:payment:{numbers['paid']}:%'",
        "DELETE FROM outbox WHERE operation = 'cancel'",
        f"DELETE FROM outbox WHERE operation = 'issue' AND idempotency_key = 'pod:issue:{numbers['cancelled']}'",
        "DELETE FROM outbox WHERE operation = 'return'",
        "UPDATE number_counters SET last_sequence = last_sequence + 2",
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit, unit_price, tax_rate,"
        " discount_kind, discount_value, product_code, gross, line_discount, invoice_discount, net, tax, total)"
        " VALUES (9999, 0, 'x', 1000, 'عدد', 1, 0, 'amount', 0, '', 1, 0, 0, 1, 0, 1)",
    )
    code, out = _check(path, capsys)
    assert code == 1
    assert "✗ foreign keys" in out
    assert "invoice_lines row" in out
    assert f"{numbers['unpaid']}: has no lines" in out
    assert f"{numbers['paid']}: stored payable" in out
    assert f"{numbers['paid']}: payment 1 has no outbox row for pod" in out
    assert f"{numbers['cancelled']}: no outbox row for pod, which has the sales before and after it" in out
    assert f"{numbers['returned']}: return {numbers['refund']} has no outbox row for pod" in out
    assert "no invoice numbered 1A-000006, 1A-000007" in out
    assert "problem(s) found" in out


def test_a_cancellation_without_its_outbox_row_is_found(shop, capsys):
    path, numbers = shop
    _tamper(path, "DELETE FROM outbox WHERE operation = 'cancel'")
    code, out = _check(path, capsys)
    assert code == 1
    assert f"{numbers['cancelled']}: cancellation has no outbox row for pod" in out


def test_an_index_out_of_step_with_its_table_fails_the_integrity_check(shop, capsys):
    path, _ = shop
    index = "ix_products_name_normalized"
    with sqlite3.connect(path) as connection:
        entry = connection.execute("SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master WHERE name = ?",
                                   (index,)).fetchone()
        connection.execute("PRAGMA writable_schema=ON")
        connection.execute("DELETE FROM sqlite_master WHERE name = ?", (index,))
    with sqlite3.connect(path) as connection:  # a writer that does not know the index
        connection.execute("UPDATE products SET name_normalized = 'zzz' WHERE code = '1002'")
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA writable_schema=ON")
        connection.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", entry)
    code, out = _check(path, capsys)
    assert code == 1
    assert "✗ SQLite integrity check" in out
    assert index in out
