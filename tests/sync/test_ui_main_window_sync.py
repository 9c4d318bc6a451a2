"""Sync inside the real main window against the Pod fake: a sale reaches Pod from the background
worker, the status bar and the history's sync column follow (through the announcements of the
sync writes, also for a retry or a cycle the worker did not run), and "pay by link" in the
payment dialog issues the sale, shows the QR and completes it when the customer pays."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from posapp.app import PosApplication
from posapp.domain.invoice import InvoiceStatus, PaymentMethod
from posapp.domain.sync import OutboxState
from posapp.providers.pod import PodConfig
from posapp.services.catalog import ProductInput
from posapp.services.invoicing import HistoryFilter
from posapp.services.sync_settings import provider_title
from posapp.settings import providers as provider_settings
from posapp.settings import secrets
from posapp.settings.shop import PAYMENT_LINK_PROVIDER, TILL_CODE
from posapp.settings.ui import CASHIER_NAME
from posapp.ui.pay_by_link import PayByLinkDialog
from posapp.ui.payment import PaymentDialog
from tests.sync import providers_under_test as put
from tests.ui.keys import press, type_text


@pytest.fixture
def pod_shop(make_shop, memory_keyring):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    store = shop.services.settings
    store.set(TILL_CODE, "1")
    store.set(CASHIER_NAME, "مریم")
    provider_settings.save_config(store, "pod", PodConfig(
        base_url=fake.base_url, guild_code=put.POD_GUILD, timeout=2.0, max_retries=1))
    secrets.set_secret("pod", "token", fake.token)
    shop.services.catalog.create(ProductInput(name="شیر پاستوریزه", code="1001", price=Decimal(450000)))
    return shop


@pytest.fixture
def pos(qapp, qtbot, pod_shop):
    application = PosApplication(qapp, pod_shop.services.settings, pod_shop.services, "posapp.sqlite3")
    window = application.build_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.sync is not None)  # sync joins just after the first show
    yield application
    window.close()
    application.sync.stop()
    application.tasks.shutdown()
    assert not application.sync.worker.running


def scan(window, code: str) -> None:
    field = window.editor.code_field
    field.setFocus()
    type_text(field, code)
    press(field, Qt.Key.Key_Return)


def pay_by_link_when_asked(fake, on_qr=lambda: None) -> dict[str, object]:
    """Answer the payment dialog that `editor.pay()` opens with "pay by link", then, once the
    QR is shown, note its link (and `on_qr()`) and pay it on the fake as the customer would."""
    seen: dict[str, object] = {}

    def pay_when_the_qr_is_shown():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PayByLinkDialog) or dialog.link is None:
            QTimer.singleShot(50, pay_when_the_qr_is_shown)
            return
        seen["url"] = dialog.link.url
        seen["on_qr"] = on_qr()
        fake.pay(dialog.link.remote_id)

    def choose_link_in_the_payment_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, PaymentDialog)
        assert dialog.link_button is not None
        QTimer.singleShot(0, pay_when_the_qr_is_shown)
        dialog.link_button.click()

    QTimer.singleShot(0, choose_link_in_the_payment_dialog)
    return seen


def history_sync_text(window, row: int = 0) -> str:
    history = window.history
    return history.model.index(row, history.sync_column).data()


def test_a_sale_reaches_pod_from_the_background_and_the_window_shows_it(pos, pod_shop, qtbot):
    window = pos.window
    assert pos.sync.worker.running
    assert not window.history.table.isColumnHidden(window.history.sync_column)
    scan(window, "1001")
    window.action("quick_cash").trigger()
    sale = window.last_issued
    fake = pod_shop.fakes["pod"]
    qtbot.waitUntil(lambda: [r.number for r in put.remote_invoices("pod", fake)] == [sale.number],
                    timeout=15_000)
    qtbot.waitUntil(lambda: "ارسال شد" in history_sync_text(window), timeout=15_000)
    assert history_sync_text(window) == provider_title("pod", "fa") + ": ارسال شد"
    qtbot.waitUntil(lambda: "۰ در صف" in window.sync_label.text(), timeout=15_000)


def test_pay_by_link_issues_the_sale_shows_the_qr_and_completes_it_when_paid(pos, pod_shop, qtbot):
    window = pos.window
    store = pod_shop.services.settings
    store.set(PAYMENT_LINK_PROVIDER, "pod")
    scan(window, "1001")
    seen = pay_by_link_when_asked(pod_shop.fakes["pod"])
    issued = window.editor.pay()
    assert issued is not None
    assert seen["url"].startswith("https://")
    stored = pod_shop.services.invoicing.get_by_number(issued.number)
    assert stored.status is InvoiceStatus.PAID
    assert [p.method for p in stored.payments] == [PaymentMethod.LINK]
    assert stored.payment_link == seen["url"]
    assert window.last_issued.status is InvoiceStatus.PAID


def test_pay_by_link_is_not_offered_without_a_link_provider(pos, pod_shop, qtbot):
    pod_shop.services.settings.set(PAYMENT_LINK_PROVIDER, "none")
    window = pos.window
    scan(window, "1001")
    offered = {}

    def look():
        dialog = QApplication.activeModalWidget()
        offered["button"] = dialog.link_button
        dialog.reject()

    QTimer.singleShot(0, look)
    assert window.editor.pay() is None
    assert offered["button"] is None


def test_the_automatic_receipt_of_a_sale_paid_by_link_waits_for_the_link(pos, pod_shop, qtbot,
                                                                          monkeypatch, tmp_path):
    from posapp.settings.documents import PRINT_RECEIPT_ON_ISSUE, RECEIPT_PRINTER
    from tests.ui.test_printing import _pdf_printers

    window = pos.window
    store = pod_shop.services.settings
    store.set(PAYMENT_LINK_PROVIDER, "pod")
    store.set(PRINT_RECEIPT_ON_ISSUE, True)
    store.set(RECEIPT_PRINTER, "Thermal-80")
    printed = _pdf_printers(monkeypatch, tmp_path, "Thermal-80")
    scan(window, "1001")
    seen = pay_by_link_when_asked(pod_shop.fakes["pod"], on_qr=lambda: len(printed))
    assert window.editor.pay() is not None
    assert seen["on_qr"] == 0  # nothing printed while the QR was waiting
    qtbot.waitUntil(lambda: len(printed) == 1 and printed[0].exists())


def test_pay_by_link_refuses_a_part_already_paid_another_way(pos, pod_shop, qtbot):
    pod_shop.services.settings.set(PAYMENT_LINK_PROVIDER, "pod")
    window = pos.window
    scan(window, "1001")
    seen = {}

    def card_then_link():
        dialog = QApplication.activeModalWidget()
        type_text(dialog.card_edit, "100000")
        dialog.link_button.click()
        seen["error"] = dialog.error_label.text()
        seen["open"] = dialog.isVisible()
        dialog.reject()

    QTimer.singleShot(0, card_then_link)
    assert window.editor.pay() is None
    assert seen["open"]
    assert "کل مبلغ" in seen["error"]
    assert pod_shop.services.invoicing.history_count(HistoryFilter()) == 0


def test_a_provider_that_cannot_be_reached_is_named_with_what_to_do(pos, pod_shop, qtbot, memory_keyring):
    memory_keyring.delete_password("posapp/pod", "token")
    window = pos.window
    scan(window, "1001")
    window.action("quick_cash").trigger()
    pane = window.sync_pane
    qtbot.waitUntil(lambda: pane.unreachable_label.isVisibleTo(pane), timeout=15_000)
    assert "posapp provider configure pod" in pane.unreachable_label.text()
    qtbot.waitUntil(lambda: "در دسترس نیست: صورتحساب پاد" in window.sync_label.text(), timeout=15_000)
    assert "۱ در صف" in window.sync_label.text() or "۲ در صف" in window.sync_label.text()


def test_a_retry_from_the_queue_command_shows_in_the_sync_pane_without_a_refresh(pos, pod_shop, qtbot):
    """The retry is announced: the window re-reads the queue and wakes the worker, which sends
    the row at once (the pane no longer polls, and the worker would sleep its idle time)."""
    window = pos.window
    idle = []
    pos.sync.sig_summary.connect(lambda summary: idle.append(not summary.outcomes))
    pod_shop.fakes["pod"].forced_errors["issueInvoice"] = [120]  # a refusal posapp does not know
    scan(window, "1001")
    window.action("quick_cash").trigger()
    sale = window.last_issued
    pane = window.sync_pane

    def shown_states():
        return [pane.model.item(row).state for row in range(pane.model.rowCount())]

    # the sale refused, its payment waiting behind it
    qtbot.waitUntil(lambda: shown_states() == [OutboxState.FAILED, OutboxState.PENDING], timeout=15_000)
    qtbot.waitUntil(lambda: "۱ ناموفق" in window.sync_label.text(), timeout=5_000)
    [failed] = [item for item in window.sync.engine.queue.problems() if item.state is OutboxState.FAILED]
    assert failed.invoice_number == sale.number
    qtbot.waitUntil(lambda: bool(idle) and idle[-1], timeout=10_000)  # the worker found nothing more: it sleeps
    window.sync.engine.queue.retry(failed.id, "مریم")  # as `posapp sync retry` or a script would
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: "۰ ناموفق" in window.sync_label.text(), timeout=5_000)
    qtbot.waitUntil(lambda: history_sync_text(window) == provider_title("pod", "fa") + ": ارسال شد",
                    timeout=5_000)
    assert [r.number for r in put.remote_invoices("pod", pod_shop.fakes["pod"])] == [sale.number]


def test_a_sync_cycle_run_elsewhere_updates_the_historys_sync_column(pos, pod_shop, qtbot):
    """A cycle the window's worker did not run (a `posapp sync --once` in this process, on a
    thread of its own) reaches the history's sync column through its announcements alone."""
    window = pos.window
    pos.sync.worker.stop()  # only the cycle below sends
    scan(window, "1001")
    window.action("quick_cash").trigger()
    sale = window.last_issued
    assert "ارسال شد" not in history_sync_text(window)
    engine = pod_shop.engine()
    elsewhere = threading.Thread(target=engine.run_once, name="sync-elsewhere")
    elsewhere.start()
    elsewhere.join()
    engine.close()
    assert [r.number for r in put.remote_invoices("pod", pod_shop.fakes["pod"])] == [sale.number]
    qtbot.waitUntil(lambda: history_sync_text(window) == provider_title("pod", "fa") + ": ارسال شد",
                    timeout=5_000)
    qtbot.waitUntil(lambda: "۰ در صف" in window.sync_label.text(), timeout=5_000)
