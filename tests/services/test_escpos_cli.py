"""`posapp print test`, `posapp print receipt NUMBER` and `posapp drawer open` against the fake printer."""

from __future__ import annotations

from posapp.cli import main
from posapp.services.counter import DRAWER_AUDIT_ACTION
from posapp.storage.models import AuditRow
from tests.fakes.escpos_printer import FakeEscposPrinter, decode, refusing_port
from tests.shop_data import sale_draft


def test_print_test_sends_the_calibration_page(capsys):
    with FakeEscposPrinter() as printer:
        assert main(["print", "test", "--printer", printer.uri]) == 0
        assert printer.done.wait(10)
    decoded = decode(printer.received)
    assert decoded.image.width == 576
    assert decoded.cuts == [1]  # partial cut by default
    assert "calibration page printed" in capsys.readouterr().out


def test_print_receipt_prints_an_issued_invoice(services, products, database_url, capsys):
    sale = services.invoicing.issue(sale_draft(services, products))
    with FakeEscposPrinter() as printer:
        assert main(["--database-url", database_url, "print", "receipt", sale.number,
                     "--printer", printer.uri, "--open-drawer"]) == 0
        assert printer.done.wait(10)
    decoded = decode(printer.received)
    assert decoded.kicks == [(0, 50, 50)]
    assert decoded.image.height > 500
    assert f"receipt {sale.number} printed" in capsys.readouterr().out


def test_errors_are_bilingual_and_exit_non_zero(services, database_url, capsys):
    assert main(["print", "test", "--printer", "lp0"]) == 1
    err = capsys.readouterr().err
    assert "نشانی چاپگر" in err
    assert "must start with tcp://" in err
    assert main(["--database-url", database_url, "print", "receipt", "1A-999999",
                 "--printer", "tcp://127.0.0.1:9100"]) == 1
    assert "1A-999999" in capsys.readouterr().err
    assert main(["print", "test", "--printer", f"tcp://127.0.0.1:{refusing_port()}"]) == 1
    err = capsys.readouterr().err
    assert "در دسترس نیست" in err
    assert "cannot be reached" in err
    assert "Traceback" not in err


def test_drawer_open_records_who_and_why(services, database_url, capsys):
    with FakeEscposPrinter() as printer:
        assert main(["--database-url", database_url, "drawer", "open", "--printer", printer.uri,
                     "--reason", "شمارش پایان شیفت", "--cashier", "علی"]) == 0
        assert printer.done.wait(10)
    assert printer.received == b"\x1bp\x00\x32\x32"
    with services.database.read() as session:
        rows = session.query(AuditRow).filter_by(action=DRAWER_AUDIT_ACTION).all()
    assert [(row.actor, row.details) for row in rows] == [("علی", "شمارش پایان شیفت")]
