"""The sync pane as a real widget: failed rows with the provider's message, retry and skip,
the status-bar line, its table model under qtmodeltester, and its English translation. The pane
does not poll: outside the main window a test wires its refresh to the feed as the window's
`on_changes` does (`follow_changes`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QCoreApplication, Qt

from posapp.domain.sync import OutboxOperation, OutboxState, ProviderCounts
from posapp.services.sync.engine import SyncEngine
from posapp.ui.changes import ChangeHub
from posapp.ui.i18n import apply_language
from posapp.ui.sync_labels import OPERATION_LABELS
from posapp.ui.sync_pane import create_sync_pane, status_text
from tests.sync import providers_under_test as put
from tests.sync.conftest import FAST_POLICY


@pytest.fixture(autouse=True)
def persian_ui(qapp):
    """The pane in the Persian (right-to-left) UI unless a test switches to English."""
    apply_language(qapp, "fa")


@pytest.fixture
def english(qapp):
    """The application in English for one test, back in Persian afterwards."""
    apply_language(qapp, "en")
    yield
    apply_language(qapp, "fa")


@pytest.fixture
def follow_changes():
    """`follow(pane, services)`: the pane re-reads the queue on each outbox announcement, as
    the main window's `on_changes` has it do."""
    hubs = []

    def follow(pane, services):
        hub = ChangeHub(services.changes, pane)
        hub.sig_changed.connect(lambda changes: pane.refresh() if changes.outbox else None)
        hubs.append(hub)

    yield follow
    for hub in hubs:
        hub.close()


def rejected_shop(make_shop):
    """A shop whose Hesabit client lacks the walk-in customer, so a sale without a buyer's
    mobile is rejected by Hesabit while the others go through."""
    shop = make_shop("hesabit")
    good = shop.sell(1)
    draft = shop.services.invoicing.new_draft().with_changes(lines=good[0].lines)
    rejected = shop.services.invoicing.issue(draft)
    fake = shop.fakes["hesabit"]
    engine = SyncEngine(shop.services, lambda name: put.client_for(name, fake, walk_in_customer_id=""),
                        clock=shop.clock, policy=FAST_POLICY)
    engine.run_once()
    return shop, engine, rejected


def settle(tasks):
    """Let background work and the callbacks it queues (which may start more work) finish."""
    for _ in range(20):
        tasks.wait_idle()
        if not tasks.busy:
            return
    raise AssertionError("background work did not settle")


def test_the_pane_lists_the_rejected_row_with_the_providers_message(make_shop, qtbot, tasks, qtmodeltester,
                                                                     follow_changes):
    shop, engine, rejected = rejected_shop(make_shop)
    pane = create_sync_pane(engine, tasks, actor="مریم")
    qtbot.addWidget(pane)
    follow_changes(pane, shop.services)
    lines = []
    pane.sig_status_text.connect(lines.append)
    pane.show()
    settle(tasks)
    assert "۱ ناموفق" in lines[-1]
    assert pane.model.rowCount() == 1
    qtmodeltester.check(pane.model)
    item = pane.model.item(0)
    assert (item.invoice_number, item.state) == (rejected.number, OutboxState.FAILED)
    pane.select_row(0)
    assert "مشتری" in pane.detail.text()
    pane.refresh()
    settle(tasks)
    assert pane.selected_item().id == item.id  # a refresh keeps the cashier's selection
    assert pane.retry_button.isEnabled()
    assert pane.skip_button.isEnabled()
    pane.skip(item.id, "ثبت دستی در حسابیت")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0)
    settle(tasks)
    assert "۰ ناموفق" in lines[-1]
    pane.hide()


def test_retry_from_the_pane_sends_the_row_once_the_cause_is_fixed(make_shop, qtbot, tasks, follow_changes):
    shop, _engine, rejected = rejected_shop(make_shop)
    fixed = shop.engine()  # the walk-in customer is configured now
    pane = create_sync_pane(fixed, tasks)
    qtbot.addWidget(pane)
    follow_changes(pane, shop.services)
    lines = []
    pane.sig_status_text.connect(lines.append)
    pane.show()
    settle(tasks)
    pane.select_row(0)
    pane.retry_selected()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 0)
    settle(tasks)
    assert rejected.number in {r.number for r in put.remote_invoices("hesabit", shop.fakes["hesabit"])}
    assert "۰ ناموفق" in lines[-1]
    pane.hide()


def test_status_text_counts_the_queue_and_names_the_latest_error():
    at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    counts = [
        ProviderCounts("pod", 2, 1, 0, 5, 0, 0, at, "old", at - timedelta(hours=1)),
        ProviderCounts("hesabfa", 1, 0, 1, 0, 0, 0, None, "ErrorCode 101 TooManyRequests", at),
    ]
    text = status_text(counts)
    assert "۴ در صف، ۱ ناموفق" in text
    assert "(حسابفا): ErrorCode 101" in text
    assert "هرگز" in status_text([])


def test_the_pane_speaks_english_in_the_english_ui(make_shop, qtbot, tasks, english):
    _shop, engine, _rejected = rejected_shop(make_shop)
    pane = create_sync_pane(engine, tasks)
    qtbot.addWidget(pane)
    lines = []
    pane.sig_status_text.connect(lines.append)
    pane.show()
    settle(tasks)
    assert not pane.isRightToLeft()
    assert pane.retry_button.text() == "Retry"
    header = pane.model.headerData(1, Qt.Orientation.Horizontal)
    assert header == "Provider"
    assert pane.model.index(0, 2).data() == "Issue"
    assert pane.model.index(0, 4).data() == "Rejected"
    assert "Hesabit: 0 queued (0 waiting behind a rejected row), 1 failed" in pane.summary_label.text()
    assert lines[-1].startswith("Sync: 0 queued, 1 failed · last successful send: ")
    assert "(Hesabit): " in lines[-1]
    assert not any("\u06f0" <= ch <= "\u06f9" for ch in pane.summary_label.text() + lines[-1])
    pane.hide()


def test_every_outbox_operation_has_a_label_in_both_languages(english):
    assert set(OPERATION_LABELS) == {operation.value for operation in OutboxOperation}
    assert OPERATION_LABELS[OutboxOperation.PAYMENT] == "دریافت وجه"
    assert QCoreApplication.translate("SyncPane", OPERATION_LABELS["payment"]) == "Payment received"


def test_a_refusal_in_the_providers_own_words_reaches_the_pane_at_once(make_shop, qtbot, tasks):
    shop = make_shop("pod")
    [sale] = shop.sell(1)
    shop.fakes["pod"].forced_errors["issueInvoice"] = [120]  # a code posapp does not know
    engine = shop.engine()
    engine.run_once()
    pane = create_sync_pane(engine, tasks, actor="مریم")
    qtbot.addWidget(pane)
    pane.show()
    settle(tasks)
    assert pane.model.rowCount() == 1
    item = pane.model.item(0)
    assert (item.invoice_number, item.state) == (sale.number, OutboxState.FAILED)
    pane.select_row(0)
    assert "خطای اجباری آزمون" in pane.detail.text()  # Pod's own message
    assert "120" in pane.detail.text()
    pane.hide()
