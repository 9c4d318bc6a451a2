"""The shop's day in the real main window: sign-in with the keyboard or keypad, Ctrl+L and
idle lock, a cashier switch that keeps the open sale, manager approval, shift open and close
with notes counted, X and Z reports on screen, the users dialog and the first owner."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton
from sqlalchemy import select

from posapp.domain.access import Permission
from posapp.settings.shop_day import IDLE_LOCK_MINUTES
from posapp.storage.models import JournalRow
from posapp.ui.invoice_dialogs import CancelInvoiceDialog
from posapp.ui.shop_day import ask_first_owner
from posapp.ui.shop_day_dialogs import (
    ApprovalDialog,
    CashMoveDialog,
    CloseShiftDialog,
    FirstOwnerDialog,
    OpenShiftDialog,
    ReportDialog,
    UsersDialog,
)
from tests.ui.conftest import _close, _open_window
from tests.ui.keys import press, type_text

OWNER_PIN = "1357"
CASHIER_PIN = "2468"


@pytest.fixture
def people(services):
    owner = services.access.add_user("مالک", "owner", OWNER_PIN)
    cashier = services.access.add_user("سارا", "cashier", CASHIER_PIN, owner.actor)
    return owner, cashier


@pytest.fixture
def shop(qapp, qtbot, store, services, catalog, people):
    application, window = _open_window(qapp, qtbot, store, services)
    yield window
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ReportDialog):
            widget.close()
    _close(qapp, application)


def in_modal(kind, act, tries=200):
    """Run `act(dialog)` once a modal `kind` dialog is up (looking every 10 ms, two seconds)."""
    seen = []

    def run(left=tries):
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            assert left > 0, f"no {kind.__name__} appeared"
            QTimer.singleShot(10, lambda: run(left - 1))
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(0, run)
    return seen


def sign_in(window, qtbot, name, pin, opening_float="۵۰۰۰۰۰۰"):
    """Pick `name` with the arrow keys, type the PIN and Enter; open the shift if asked."""
    screen = window.shop_day.screen
    assert screen.isVisible()
    while screen.selected_name() != name:
        press(screen.pin, Qt.Key.Key_Down)
    type_text(screen.pin, pin)
    opened = []
    if window.services.shifts.current() is None:
        def fill(dialog):
            dialog.opening_float.clear()
            type_text(dialog.opening_float, opening_float)
            dialog.accept()

        opened = in_modal(OpenShiftDialog, fill)
    press(screen.pin, Qt.Key.Key_Return)
    if opened:
        qtbot.waitUntil(lambda: window.services.shifts.current() is not None, timeout=3000)


def test_a_shop_with_users_opens_locked_and_signs_in_with_the_keyboard(shop, qtbot, services, people):
    screen = shop.shop_day.screen
    assert screen.isVisible()
    assert not shop.action("pay").isEnabled()
    assert not shop.action("cancel_invoice").isEnabled()
    assert not shop.editor.isEnabled()
    assert not shop.history_dock.isEnabled()
    type_text(screen.pin, "0000")
    press(screen.pin, Qt.Key.Key_Return)
    assert screen.isVisible()
    assert "PIN" in screen.error.text() or "رمز" in screen.error.text()
    sign_in(shop, qtbot, "سارا", "۲۴۶۸")
    qtbot.waitUntil(lambda: services.shifts.current() is not None, timeout=3000)
    assert not screen.isVisible()
    assert shop.action("pay").isEnabled()
    assert shop.editor.isEnabled()
    assert services.till_session.user.name == "سارا"
    assert "سارا" in shop.cashier_label.text()
    assert shop.editor.draft.cashier_id == people[1].id
    shift = services.shifts.current()
    assert shift.opening_float == Decimal(5_000_000)
    assert "باز" in shop.shop_day.shift_label.text()


def test_keypad_buttons_type_the_pin(shop, qtbot, services):
    screen = shop.shop_day.screen
    while screen.selected_name() != "مالک":
        press(screen.pin, Qt.Key.Key_Up)
    services.shifts.open(Decimal(0), services.access.user("مالک").actor)
    for key in "1357✓":
        qtbot.mouseClick(screen.findChild(QPushButton, f"keypad_{key}"), Qt.MouseButton.LeftButton)
    assert not screen.isVisible()
    assert services.till_session.user.name == "مالک"


def test_ctrl_l_locks_and_the_next_cashier_leaves_the_open_sale_to_its_own(shop, qtbot, services, catalog):
    sign_in(shop, qtbot, "سارا", CASHIER_PIN)
    qtbot.waitUntil(lambda: services.shifts.current() is not None, timeout=3000)
    shop.editor.add_product(catalog["milk"])
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shop, timeout=2000)
    qtbot.keyClick(shop.editor.code_field, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert shop.shop_day.screen.isVisible()
    assert not shop.action("pay").isEnabled()
    sign_in(shop, qtbot, "مالک", OWNER_PIN)
    assert shop.editor.draft.cashier == "سارا"
    assert len(shop.editor.draft.lines) == 1
    assert "مالک" in shop.cashier_label.text()
    shop.editor.new_invoice()
    assert shop.editor.draft.cashier == "مالک"


def test_the_till_locks_itself_after_the_owners_idle_time(shop, qtbot, services, store):
    store.set(IDLE_LOCK_MINUTES, 2)
    services.shifts.open(Decimal(0), services.access.user("مالک").actor)
    sign_in(shop, qtbot, "مالک", OWNER_PIN)
    idle = shop.shop_day.idle
    assert idle.isActive()
    assert 60_000 < idle.remainingTime() <= 121_000
    idle.timeout.emit()
    assert shop.shop_day.screen.isVisible()
    assert not idle.isActive()


def test_a_cashier_cancelling_needs_a_managers_pin_and_both_names_are_journaled(shop, qtbot, services, catalog, people):
    sign_in(shop, qtbot, "سارا", CASHIER_PIN)
    qtbot.waitUntil(lambda: services.shifts.current() is not None, timeout=3000)
    draft = services.invoicing.new_draft().with_changes(
        lines=(services.invoicing.line_for_product(catalog["bread"]),))
    sale = services.invoicing.issue(draft)

    def approve(dialog):
        assert dialog.manager.currentText() == "مالک"
        type_text(dialog.pin, "9999")
        dialog.accept()
        assert dialog.isVisible()
        assert dialog.error.text()
        type_text(dialog.pin, OWNER_PIN)

        def cancel(cancel_dialog):
            cancel_dialog.reason.setPlainText("مشتری پشیمان شد")
            cancel_dialog.accept()

        in_modal(CancelInvoiceDialog, cancel)
        dialog.accept()

    in_modal(ApprovalDialog, approve)
    shop.cancel_invoice(sale.number)
    assert services.invoicing.get_by_number(sale.number).status.value == "cancelled"
    with services.database.read() as session:
        records = session.execute(select(JournalRow.action, JournalRow.user_name, JournalRow.approver_name)
                                  .where(JournalRow.action.in_(["approval", "invoice.cancel"]))
                                  .order_by(JournalRow.seq)).all()
    assert [tuple(r) for r in records] == [("approval", "سارا", "مالک"), ("invoice.cancel", "سارا", "مالک")]
    assert services.till_session.actor.approver_id is None


def test_a_refused_approval_does_nothing(shop, qtbot, services, people):
    sign_in(shop, qtbot, "سارا", CASHIER_PIN)
    qtbot.waitUntil(lambda: services.shifts.current() is not None, timeout=3000)
    ran = []
    in_modal(ApprovalDialog, lambda dialog: dialog.reject())
    shop.shop_day.run_permitted(Permission.OPEN_DRAWER, lambda: ran.append(1))
    assert ran == []
    shop.shop_day.run_permitted(Permission.REPRINT, lambda: ran.append(2))
    assert ran == [2]


def test_close_counts_notes_and_shows_the_z_report(shop, qtbot, services, catalog):
    services.shifts.open(Decimal(1_000_000), services.access.user("مالک").actor)
    sign_in(shop, qtbot, "مالک", OWNER_PIN)
    shop.action("x_report").trigger()
    x = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReportDialog) and w.isVisible())
    labels = [x.table.item(row, 0).text() for row in range(x.table.rowCount())]
    assert labels[0].startswith("گزارش X")
    x.close()

    def count(dialog):
        dialog.counts[Decimal(500_000)].setValue(2)
        dialog.counts[Decimal(100_000)].setValue(1)
        assert "۱٬۱۰۰٬۰۰۰" in dialog.total.text()
        dialog.accept()

    seen = in_modal(CloseShiftDialog, count)
    shop.action("close_shift").trigger()
    assert seen
    assert services.shifts.current() is None
    z = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ReportDialog) and w.isVisible())
    rows = {z.table.item(r, 0).text(): z.table.item(r, 1).text() for r in range(z.table.rowCount())}
    assert rows["نقد شمرده‌شده"] == "۱٬۱۰۰٬۰۰۰"
    assert rows["اختلاف"] == "۱۰۰٬۰۰۰"
    assert z.report == services.shifts.z_report(1)
    assert "بسته" in shop.shop_day.shift_label.text()
    z.close()


def test_users_dialog_adds_a_user_and_changes_a_role(shop, qtbot, services):
    services.shifts.open(Decimal(0), services.access.user("مالک").actor)
    sign_in(shop, qtbot, "مالک", OWNER_PIN)
    dialog = UsersDialog(services, shop.store, "fa", shop)
    qtbot.addWidget(dialog)
    type_text(dialog.new_name, "رضا")
    type_text(dialog.new_pin, "۴۴۴۴")
    dialog.add_user()
    assert [u.name for u in services.access.users()] == ["رضا", "سارا", "مالک"]
    column = dialog._role_names.index("cashier")
    row = list(Permission).index(Permission.CANCEL_INVOICE)
    dialog.roles_table.cellWidget(row, column).setChecked(True)
    dialog.save_roles()
    assert dialog.error.text() == ""
    assert services.access.allows(services.access.user("رضا").actor, Permission.CANCEL_INVOICE)


def test_the_first_owner_of_a_database_is_asked_for(qapp, qtbot, services):
    def fill(dialog):
        type_text(dialog.name, "مالک")
        type_text(dialog.pin, "1357")
        type_text(dialog.again, "1358")
        dialog.accept()
        assert dialog.isVisible()
        dialog.again.clear()
        type_text(dialog.again, "1357")
        dialog.accept()

    in_modal(FirstOwnerDialog, fill)
    assert ask_first_owner(services, "fa")
    assert [u.role.name for u in services.access.users()] == ["owner"]
    assert not ask_first_owner(services, "fa")


def test_without_users_the_window_works_unlocked(pos):
    window = pos.window
    assert not window.shop_day.screen.isVisible()
    assert window.action("pay").isEnabled()
    window.action("lock").trigger()
    assert not window.shop_day.screen.isVisible()


def test_a_cashiers_price_change_needs_approval_and_a_refusal_puts_the_price_back(shop, qtbot, services, catalog):
    from posapp.ui.invoice_model import COL_DISCOUNT, COL_PRICE

    sign_in(shop, qtbot, "سارا", CASHIER_PIN)
    qtbot.waitUntil(lambda: services.shifts.current() is not None, timeout=3000)
    editor = shop.editor
    editor.add_product(catalog["milk"])
    qtbot.waitUntil(lambda: shop.shop_day._accepted_draft is editor.draft, timeout=2000)

    refused = in_modal(ApprovalDialog, lambda dialog: dialog.reject())
    assert editor.model.setData(editor.model.index(0, COL_PRICE), "400000")
    qtbot.waitUntil(lambda: bool(refused) and editor.draft.lines[0].unit_price == Decimal(450000), timeout=3000)

    def approve(dialog):
        type_text(dialog.pin, OWNER_PIN)
        dialog.accept()

    approved = in_modal(ApprovalDialog, approve)
    assert editor.model.setData(editor.model.index(0, COL_PRICE), "400000")
    qtbot.waitUntil(lambda: bool(approved) and shop.shop_day._accepted_draft is editor.draft, timeout=3000)
    assert editor.draft.lines[0].unit_price == Decimal(400000)
    assert editor.model.setData(editor.model.index(0, COL_DISCOUNT), "۳٪")
    qtbot.waitUntil(lambda: shop.shop_day._accepted_draft is editor.draft, timeout=3000)
    with services.database.read() as session:
        records = session.execute(select(JournalRow.action, JournalRow.user_name, JournalRow.approver_name)
                                  .where(JournalRow.action.in_(["approval", "price.override"]))
                                  .order_by(JournalRow.seq)).all()
    assert [tuple(r) for r in records] == [("approval", "سارا", "مالک"), ("price.override", "سارا", "مالک")]


def test_a_language_rebuild_keeps_the_signed_in_cashier_and_the_sale(qtbot, services, people, pos, catalog):
    window = pos.window
    services.shifts.open(Decimal(0), people[0].actor)
    sign_in(window, qtbot, "سارا", CASHIER_PIN)
    window.editor.add_product(catalog["bread"])
    pos.rebuild_window()
    rebuilt = pos.window
    assert rebuilt is not window
    assert not rebuilt.shop_day.screen.isVisible()
    assert "سارا" in rebuilt.cashier_label.text()
    assert (rebuilt.editor.draft.cashier, rebuilt.editor.draft.cashier_id) == ("سارا", people[1].id)
    assert len(rebuilt.editor.draft.lines) == 1


def test_a_cashier_opening_the_drawer_needs_approval_and_the_journal_names_both(
        shop, qtbot, services, people, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    from posapp.settings.documents import RECEIPT_PRINTER
    from tests.fakes.escpos_printer import FakeEscposPrinter

    sign_in(shop, qtbot, "سارا", CASHIER_PIN)
    qtbot.waitUntil(lambda: services.shifts.current() is not None, timeout=3000)
    asked = []

    def approve(dialog):
        asked.append(dialog.manager.currentText())
        type_text(dialog.pin, OWNER_PIN)
        dialog.accept()

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("خرد کردن پول", True)))
    in_modal(ApprovalDialog, approve)
    with FakeEscposPrinter() as printer:
        shop.store.set(RECEIPT_PRINTER, printer.uri)
        shop.action("open_drawer").trigger()
        qtbot.waitUntil(lambda: printer.done.is_set(), timeout=5000)
    assert asked == ["مالک"]
    with services.database.read() as session:
        records = session.execute(select(JournalRow.action, JournalRow.user_name, JournalRow.approver_name)
                                  .where(JournalRow.action.in_(["approval", "drawer.open"]))
                                  .order_by(JournalRow.seq)).all()
    assert [tuple(r) for r in records] == [("approval", "سارا", "مالک"), ("drawer.open", "سارا", "مالک")]


def test_a_cashier_opening_the_reports_needs_a_managers_approval(shop, qtbot, services, people):
    sign_in(shop, qtbot, "سارا", CASHIER_PIN)
    qtbot.waitUntil(lambda: services.shifts.current() is not None, timeout=3000)
    in_modal(ApprovalDialog, lambda dialog: dialog.reject())
    shop.action("show_reports").trigger()
    assert getattr(shop, "reports_window", None) is None, "refused: every user's sales stay hidden"

    def approve(dialog):
        type_text(dialog.pin, OWNER_PIN)
        dialog.accept()

    in_modal(ApprovalDialog, approve)
    shop.action("show_reports").trigger()
    qtbot.waitUntil(lambda: getattr(shop, "reports_window", None) is not None, timeout=3000)
    shop.reports_window.close()
    with services.database.read() as session:
        approvals = session.execute(select(JournalRow.user_name, JournalRow.approver_name)
                                    .where(JournalRow.action == "approval")).all()
    assert [tuple(r) for r in approvals] == [("سارا", "مالک")]


def test_shift_amounts_are_typed_in_grouped_persian_digits(shop, qtbot, services):
    opening = OpenShiftDialog(services, shop.display, shop)
    qtbot.addWidget(opening)
    assert opening.opening_float.text() == "۰"
    opening.opening_float.selectAll()
    type_text(opening.opening_float, "5000000")
    assert opening.opening_float.text() == "۵٬۰۰۰٬۰۰۰"
    assert shop.display.parse_amount(opening.opening_float.text()) == Decimal(5_000_000)
    cash = CashMoveDialog(services, shop.display, shop)
    qtbot.addWidget(cash)
    type_text(cash.amount, "250000")
    assert cash.amount.text() == "۲۵۰٬۰۰۰"


def test_the_users_dialog_follows_every_user_write_through_the_window(shop, qtbot, services):
    """Users and roles writes are announced; the open users dialog lists what is stored after
    each, whoever wrote it (its own form, or another writer in this process), with no refresh
    of its own."""
    services.shifts.open(Decimal(0), services.access.user("مالک").actor)
    sign_in(shop, qtbot, "مالک", OWNER_PIN)
    owner = services.access.user("مالک").actor
    listed = {}

    def users_in(dialog):
        return [dialog.user_list.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(dialog.user_list.count())]

    def act(dialog):
        services.access.add_user("رضا", "cashier", "4444", owner)  # not through the dialog
        listed["added elsewhere"] = users_in(dialog)
        services.access.set_active("سارا", False, owner)
        listed["disabled"] = [dialog.user_list.item(row).text() for row in range(dialog.user_list.count())]
        type_text(dialog.new_name, "نرگس")
        type_text(dialog.new_pin, "۵۵۵۵")
        dialog.add_user()
        listed["added here"] = users_in(dialog)
        listed["form"] = (dialog.new_name.text(), dialog.new_pin.text())
        dialog.reject()

    in_modal(UsersDialog, act)
    shop.action("users").trigger()
    assert listed["added elsewhere"] == ["رضا", "سارا", "مالک"]
    assert any(text.startswith("سارا") and "غیرفعال" in text for text in listed["disabled"])
    assert listed["added here"] == ["رضا", "سارا", "مالک", "نرگس"]
    assert listed["form"] == ("", "")
    assert shop.shop_day.users_dialog is None
