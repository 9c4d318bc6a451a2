"""The headless commands: `posapp db upgrade`, `posapp db backup`, `posapp demo-data`."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from posapp.cli import main
from posapp.domain.validators import (
    normalize_mobile,
    validate_legal_national_id,
    validate_national_id,
    validate_postal_code,
)
from posapp.services.context import AppServices
from posapp.services.demo_data import ean13
from posapp.services.invoicing import HistoryFilter
from posapp.storage import migrate
from posapp.storage.engine import Database
from posapp.storage.models import BarcodeRow, CustomerRow, InvoiceRow


def test_db_upgrade_creates_then_reports_up_to_date(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert main(["--database-url", url, "db", "upgrade"]) == 0
    assert "upgraded from empty to" in capsys.readouterr().out
    assert main(["--database-url", url, "db", "upgrade"]) == 0
    assert "already at revision" in capsys.readouterr().out
    database = Database(url)
    assert migrate.current_revision(database.engine) == migrate.head_revision()
    database.dispose()


def test_db_upgrade_uses_the_default_database_in_the_data_dir(isolated_data_dir, capsys):
    assert main(["db", "upgrade"]) == 0
    assert (isolated_data_dir / "posapp.sqlite3").exists()


def test_db_backup_writes_a_usable_copy(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    assert main(["--database-url", url, "demo-data", "--products", "20", "--customers", "5",
                 "--invoices", "10"]) == 0
    target = tmp_path / "backup.sqlite3"
    assert main(["--database-url", url, "db", "backup", str(target)]) == 0
    assert "backup written" in capsys.readouterr().out
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM invoices").fetchone() == (10,)


def test_demo_data_is_valid_and_deterministic(tmp_path, capsys):
    fingerprints = []
    for name in ("one", "two"):
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        assert main(["--database-url", url, "demo-data", "--products", "300", "--customers", "80",
                     "--invoices", "150", "--seed", "7"]) == 0
        assert "added 300 products, 80 customers and 150 invoices" in capsys.readouterr().out
        with AppServices.open(url) as services:
            history = services.invoicing.history(HistoryFilter(), 0, 200)
            assert len(history) == 150
            with services.database.read() as session:
                barcodes = session.execute(select(BarcodeRow.barcode)).scalars().all()
                customers = session.execute(select(CustomerRow)).scalars().all()
                issued = session.execute(select(InvoiceRow.issued_at).order_by(InvoiceRow.sequence)).scalars().all()
            assert all(ean13(code[:12]) == code for code in barcodes)
            for customer in customers:
                check = validate_national_id if customer.kind == "natural" else validate_legal_national_id
                assert check(customer.national_id) == customer.national_id
                assert normalize_mobile(customer.mobile) == customer.mobile
                assert validate_postal_code(customer.postal_code) == customer.postal_code
            assert issued == sorted(issued), "numbers follow time"
            assert services.catalog.search("شیر")
            fingerprints.append([(s.number, s.payable, s.customer_name) for s in history])
            first = services.invoicing.get(history[-1].id)
            assert first.number == "1A-000001"
            assert first.lines
    assert fingerprints[0] == fingerprints[1]


def test_demo_data_refuses_negative_counts(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["demo-data", "--products", "-1"])
    assert caught.value.code == 2
    assert "negative" in capsys.readouterr().err


def test_demo_invoices_can_be_added_to_an_existing_catalogue(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'grow.sqlite3'}"
    assert main(["--database-url", url, "demo-data", "--products", "40", "--customers", "10", "--invoices", "0"]) == 0
    assert main(["--database-url", url, "demo-data", "--products", "0", "--customers", "0", "--invoices", "30"]) == 0
    assert "added 0 products, 0 customers and 30 invoices" in capsys.readouterr().out
    with AppServices.open(url) as services:
        assert services.invoicing.history_count(HistoryFilter()) == 30
        assert services.catalog.count() == 40


def test_demo_invoices_without_any_product_explain_why(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    assert main(["--database-url", url, "demo-data", "--products", "0", "--invoices", "5"]) == 1
    assert "need products" in capsys.readouterr().err
    with AppServices.open(url) as services:
        assert services.customers.count() == 0, "nothing was added"
