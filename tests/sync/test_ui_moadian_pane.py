"""The sync pane with Moadian on, as a real widget: Moadian's rows listed under its own name with
the tax administration's Persian errors, and the invoices close to their sending deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from posapp.domain.invoice import InvoiceLine
from posapp.domain.text import to_persian_digits
from posapp.services.moadian_sync import MoadianSync
from posapp.settings.moadian import MOADIAN_ENABLED
from posapp.settings.providers import config_setting
from posapp.settings.shop import SHOP_ECONOMIC_CODE
from posapp.ui.i18n import apply_language
from posapp.ui.sync_pane import create_sync_pane
from tests.providers.test_moadian import MEMORY_ID, SELLER_ECONOMIC_CODE


def settle(tasks):
    for _ in range(20):
        tasks.wait_idle()
        if not tasks.busy:
            return
    raise AssertionError("background work did not settle")


def test_the_pane_shows_moadian_refusals_and_invoices_near_their_deadline(make_shop, qtbot, tasks, qapp):
    apply_language(qapp, "fa")
    shop = make_shop()
    settings = shop.services.settings
    settings.set(config_setting("moadian"), {"memory_id": MEMORY_ID, "deadline_days": 12})
    settings.set(MOADIAN_ENABLED, True)
    settings.set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
    invoicing = shop.services.invoicing
    uncoded = invoicing.new_draft().with_changes(lines=(InvoiceLine("زعفران", Decimal(1), Decimal(900_000)),))
    refused = invoicing.issue(uncoded)
    old = invoicing.issue(uncoded, at=datetime.now(UTC) - timedelta(days=11))
    MoadianSync(shop.services, lambda: _NoNetwork()).run_once()
    pane = create_sync_pane(shop.engine(), tasks, actor="مریم")
    qtbot.addWidget(pane)
    pane.show()
    settle(tasks)
    assert "سامانه مؤدیان" in pane.summary_label.text()
    numbers = [pane.model.item(row).invoice_number for row in range(pane.model.rowCount())]
    assert sorted(numbers) == sorted([refused.number, old.number])
    pane.select_row(numbers.index(refused.number))
    assert "زعفران" in pane.detail.text()
    assert "«تلاش دوباره»" in pane.detail.text(), "the refused row says how to correct it"
    assert pane.deadline_label.isVisibleTo(pane)
    assert "مؤدیان" in pane.deadline_label.text()
    # the invoice number reads left to right inside the Persian line, and its state is given
    assert f"\u2066{to_persian_digits(old.number)}\u2069 (رد شد)" in pane.deadline_label.text()
    assert to_persian_digits(refused.number) not in pane.deadline_label.text(), "issued today"


class _NoNetwork:
    """A client that is never called: both documents are refused before anything is sent."""

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None
