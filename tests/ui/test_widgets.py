"""Building blocks of the UI that need no database: task helper, Jalali edit, models, payment."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt

from posapp.domain.invoice import Invoice, InvoiceLine, Party, PaymentMethod
from posapp.ui.display import Display
from posapp.ui.invoice_model import COL_DISCOUNT, COL_PRICE, COL_QUANTITY, InvoiceLinesModel
from posapp.ui.jalali_edit import JalaliDateEdit
from posapp.ui.paged_model import Column, PagedTableModel
from posapp.ui.payment import PaymentDialog
from posapp.ui.tasks import TaskCancelled
from tests.ui.keys import type_text


def _line(name: str, qty: str, price: str, product_id: int | None = None) -> InvoiceLine:
    return InvoiceLine(name, Decimal(qty), Decimal(price), product_id=product_id, product_code=f"C{product_id}")


def test_task_result_arrives_on_gui_thread(qtbot, tasks):
    gui_thread = threading.get_ident()
    seen = {}

    def work(context):
        seen["worker"] = threading.get_ident()
        context.report(1, 1)
        return 42

    def done(value):
        seen["done"] = (value, threading.get_ident())

    tasks.run(work, on_done=done)
    qtbot.waitUntil(lambda: "done" in seen)
    assert seen["done"] == (42, gui_thread)
    assert seen["worker"] != gui_thread
    assert not tasks.busy


def test_task_error_and_cancel_reach_their_callbacks(qtbot, tasks):
    outcome = []

    def failing(context):
        raise ValueError("boom")

    tasks.run(failing, on_error=lambda e: outcome.append(("error", str(e))))
    release = threading.Event()

    def cancellable(context):
        release.wait(5)
        context.check()
        return "finished"

    context = tasks.run(cancellable, on_done=outcome.append, on_cancelled=lambda: outcome.append("cancelled"))
    context.cancel()
    release.set()
    qtbot.waitUntil(lambda: len(outcome) == 2)
    assert ("error", "boom") in outcome
    assert "cancelled" in outcome
    assert "finished" not in outcome
    assert TaskCancelled


def test_progress_dialog_cancel_stops_work(qtbot, tasks):
    outcome = []
    started = threading.Event()

    def long_work(context):
        started.set()
        for step in range(10_000):
            context.check()
            context.report(step, 10_000)
            threading.Event().wait(0.001)
        return "done"

    context = tasks.run_with_progress(None, "long", long_work, on_done=outcome.append,
                                      on_cancelled=lambda: outcome.append("cancelled"))
    assert started.wait(5)
    context.cancel()
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=5000)


def test_jalali_date_edit_parses_steps_and_rejects(qtbot):
    edit = JalaliDateEdit(value=date(2026, 11, 23))
    qtbot.addWidget(edit)
    assert edit.text() == "۱۴۰۵/۰۹/۰۲"
    edit.stepBy(1)
    assert edit.date() == date(2026, 11, 24)
    edit.lineEdit().clear()
    type_text(edit.lineEdit(), "۱۴۰۵/۱۲/۲۹")
    edit.editingFinished.emit()
    assert edit.date() == date(2027, 3, 20)
    edit.lineEdit().setText("1405/13/01")
    assert edit.error() is not None
    edit.editingFinished.emit()
    assert edit.date() == date(2027, 3, 20)


def test_optional_jalali_date_edit_accepts_empty(qtbot):
    edit = JalaliDateEdit(optional=True, persian_digits=False)
    qtbot.addWidget(edit)
    assert edit.date() is None
    edit.set_date(date(2025, 3, 21))
    assert edit.text() == "1404/01/01"
    edit.clear()
    assert edit.date() is None


def _paged_model(total: int, fetched: list[int]) -> PagedTableModel:
    def page(offset, limit):
        fetched.append(offset)
        return [(i, f"item {i}") for i in range(offset, min(offset + limit, total))]

    return PagedTableModel([Column("id", lambda r: str(r[0])), Column("name", lambda r: r[1])],
                           lambda: total, page, page_size=50, max_cached_pages=4)


def test_paged_model_passes_the_model_tester(qtmodeltester):
    model = _paged_model(500, [])
    qtmodeltester.check(model)
    assert model.cached_pages <= 4


def test_paged_model_loads_only_the_pages_it_shows():
    fetched: list[int] = []
    model = _paged_model(300_000, fetched)
    assert model.rowCount() == 300_000
    assert model.index(299_999, 1).data() == "item 299999"
    assert model.index(150_000, 0).data() == "150000"
    assert model.index(150_001, 0).data() == "150001"
    assert fetched == [299_950, 150_000]
    for row in range(0, 1000, 10):
        model.index(row, 0).data()
    assert model.cached_pages == 4


def test_invoice_lines_model_edits_through_the_domain(qtmodeltester):
    draft = Invoice(seller=Party("shop"), lines=(_line("چای", "1", "1000", 1),))
    model = InvoiceLinesModel(draft, Display())
    rejected = []
    model.sig_rejected.connect(rejected.append)
    qtmodeltester.check(model)
    assert model.setData(model.index(0, COL_QUANTITY), "۳")
    assert model.draft.totals.payable == Decimal(3000)
    assert not model.setData(model.index(0, COL_QUANTITY), "abc")
    assert not model.setData(model.index(0, COL_DISCOUNT), "5000")
    assert [e.field for e in rejected] == ["quantity", "discount"]
    assert model.draft.lines[0].quantity == Decimal(3)
    assert model.setData(model.index(0, COL_DISCOUNT), "10%")
    assert model.draft.totals.payable == Decimal(2700)
    assert model.setData(model.index(0, COL_PRICE), "2000")
    model.add_line(_line("چای", "1", "1000", 1))
    assert model.rowCount() == 1
    assert model.draft.lines[0].quantity == Decimal(4)
    model.add_line(_line("قند", "2", "500", 2))
    assert model.rowCount() == 2
    model.remove_line(0)
    assert [line.description for line in model.draft.lines] == ["قند"]


def test_payment_dialog_splits_and_shows_change(qtbot):
    draft = Invoice(seller=Party("shop"), lines=(_line("چای", "1", "150000", 1),))
    dialog = PaymentDialog(draft, Display())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.cash_edit.setText("")
    qtbot.keyClicks(dialog.card_edit, "100000")
    type_text(dialog.cash_edit, "۶۰۰۰۰")
    assert dialog.change_label.text() == "۱۰٬۰۰۰ ریال"
    assert dialog.tendered_label.text() == "۶۰٬۰۰۰ ریال"
    qtbot.keyClick(dialog.cash_edit, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted
    methods = {p.method: p.amount for p in dialog.payments()}
    assert methods == {PaymentMethod.CASH: Decimal(60000), PaymentMethod.CARD: Decimal(100000)}


def test_payment_dialog_refuses_short_payment_and_credit_without_customer(qtbot):
    draft = Invoice(seller=Party("shop"), lines=(_line("چای", "1", "150000", 1),))
    dialog = PaymentDialog(draft, Display(unit=Display().unit))
    qtbot.addWidget(dialog)
    assert not dialog.credit_edit.isEnabled()
    dialog.cash_edit.setText("1000")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "کمتر" in dialog.error_label.text()
