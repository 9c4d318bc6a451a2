"""Moadian delivery through the outbox against the Moadian fake (a real HTTP server that decrypts,
verifies and judges every invoice): batches, the IN_PROGRESS → SUCCESS poll, a dropped answer
found by inquiry, refusals kept for the cashier, correction under a new tax ID, returns and
cancellations, and the deadline list."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from posapp.domain.invoice import Party, PartyKind
from posapp.domain.moadian import parse_tax_id
from posapp.providers.moadian import MoadianClient, MoadianConfig, Signer
from posapp.services.catalog import ProductInput
from posapp.services.moadian_sync import MoadianPolicy, MoadianSync, status_text
from posapp.services.moadian_tax import verified_documents
from posapp.settings.moadian import MOADIAN_ENABLED
from posapp.settings.providers import config_setting
from posapp.settings.shop import SHOP_ECONOMIC_CODE
from posapp.storage import outbox as outbox_rows
from posapp.storage.models import OutboxRow
from tests.fakes.moadian import MoadianFake
from tests.providers.test_moadian import MEMORY_ID, SELLER_ECONOMIC_CODE, identity, public_key_of
from tests.shop_data import sale_draft
from tests.sync.conftest import ManualClock

MILK_CODE = "2710000138624"
CHEESE_CODE = "2720000166053"
BREAD_CODE = "2730000100017"


@pytest.fixture
def fake():
    with MoadianFake(in_progress_inquiries=1) as server:
        server.register(MEMORY_ID, public_key_of(identity("shop")[1]), economic_code=SELLER_ECONOMIC_CODE)
        yield server


def _coded(catalog, product, goods_code):
    base = ProductInput(name=product.name, code=product.code, price=product.price, unit=product.unit,
                        stock=product.stock, tax_rate_override=product.tax_rate_override,
                        tax_exempt=product.tax_exempt, barcodes=product.barcodes)
    return catalog.update(product.id, replace(base, goods_code=goods_code))


@pytest.fixture
def shop(services, products, settings, fake):
    settings.set(config_setting("moadian"), {"memory_id": MEMORY_ID, "deadline_days": 12})
    settings.set(MOADIAN_ENABLED, True)
    settings.set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
    coded = {name: _coded(services.catalog, products[name], code)
             for name, code in (("milk", MILK_CODE), ("cheese", CHEESE_CODE), ("bread", BREAD_CODE))}
    clock = ManualClock()
    key, certificate = identity("shop")

    def client():
        config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=5.0, max_retries=0)
        return MoadianClient(config, Signer.from_pem(key, certificate))

    return services, coded, MoadianSync(services, client, clock=clock, policy=MoadianPolicy()), clock


def sell(services, products, **changes):
    return services.invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000), **changes))


def until_settled(delivery, clock, rounds=6):
    summaries = []
    for _ in range(rounds):
        summaries.append(delivery.run_once())
        clock.advance(delivery.policy.poll_seconds + 1)
    return summaries


def outbox(services):
    with services.database.read() as session:
        return [(r.operation, r.state) for r in session.scalars(
            select(OutboxRow).where(OutboxRow.provider == "moadian").order_by(OutboxRow.id))]


def document(services, invoice_id, subject):
    with services.database.read() as session:
        return next(d for d in verified_documents(session, invoice_id) if d.subject == subject)


def test_a_sale_is_sent_then_polled_from_in_progress_to_success(shop, fake):
    services, products, delivery, clock = shop
    sale = sell(services, products)
    assert outbox(services) == [("issue", "pending")], "queued in the issuing transaction"
    first = delivery.run_once()
    assert (first.sent, first.accepted) == (1, [])
    stored = document(services, sale.id, 1)
    assert (stored.status, stored.uid in fake.packets) == ("sent", True)
    clock.advance(delivery.policy.poll_seconds + 1)
    second = delivery.run_once()
    assert (second.accepted, second.waiting) == ([], 1), "the fake answers IN_PROGRESS first"
    clock.advance(delivery.policy.poll_seconds + 1)
    assert delivery.run_once().accepted == [sale.number]
    assert outbox(services) == [("issue", "done")]
    assert document(services, sale.id, 1).status == "accepted"
    assert sale.tax_id in fake.accepted
    assert fake.count("send-invoices") == 1


def test_a_dropped_answer_after_commit_is_found_by_inquiry_not_sent_again(shop, fake):
    services, products, delivery, clock = shop
    sales = [sell(services, products) for _ in range(3)]
    fake.faults.drop_after_commit.next(1, operations={"send-invoices"})
    lost = delivery.run_once()
    assert lost.error
    assert {document(services, s.id, 1).uid for s in sales} <= set(fake.packets), "uids stored before sending"
    until_settled(delivery, clock)
    assert fake.count("send-invoices") == 1
    assert outbox(services) == [("issue", "done")] * 3
    assert {s.tax_id for s in sales} <= set(fake.accepted)


def test_a_crash_between_storing_the_uid_and_posting_resends_under_the_same_uid(shop, fake):
    services, products, delivery, clock = shop
    sale = sell(services, products)
    fake.faults.drop_before_commit.next(1, operations={"send-invoices"})
    assert delivery.run_once().error
    uid = document(services, sale.id, 1).uid
    assert uid
    assert uid not in fake.packets
    until_settled(delivery, clock)
    assert document(services, sale.id, 1).uid == uid
    assert document(services, sale.id, 1).status == "accepted"
    assert fake.count("inquiry-by-uid") >= 1
    assert fake.count("inquiry-invoice-status") == 1, "its tax ID was looked up before it was sent again"
    assert fake.count("send-invoices") == 2


def test_a_line_without_a_goods_code_is_refused_then_sent_once_the_product_has_one(shop, fake):
    services, _products, delivery, clock = shop
    nameless = services.catalog.create(ProductInput(name="ماست محلی", code="9100", price=Decimal(300000)))
    sale = services.invoicing.issue(services.invoicing.new_draft().with_changes(
        lines=(services.invoicing.line_for_product(nameless),)))
    summary = delivery.run_once()
    [(number, message)] = summary.rejected
    assert number == sale.number
    assert "ماست محلی" in message
    assert "goods/service code" in message
    assert outbox(services) == [("issue", "failed")]
    assert fake.count("send-invoices") == 0
    returned = services.invoicing.create_return(sale.number, {0: Decimal("0.5")})
    _coded(services.catalog, nameless, "2740000100018")
    new_tax_id = delivery.correct(sale.number)
    assert new_tax_id == sale.tax_id, "nothing went to Moadian: its tax ID was never used"
    until_settled(delivery, clock, rounds=8)
    assert outbox(services) == [("issue", "done"), ("return", "done")]
    assert new_tax_id in fake.accepted
    assert returned.tax_id in fake.accepted


def test_moadians_refusal_keeps_its_persian_errors_for_the_cashier(shop, fake):
    services, products, delivery, clock = shop
    buyer = Party("شرکت نمونه", kind=PartyKind.LEGAL, national_id="10101010101", economic_code="4110")
    sale = sell(services, products, buyer=buyer)
    rejected = [r for s in until_settled(delivery, clock) for r in s.rejected]
    assert [number for number, _ in rejected] == [sale.number]
    stored = document(services, sale.id, 1)
    assert stored.status == "rejected"
    assert any("\u0600" <= ch <= "\u06ff" for ch in stored.messages)
    assert outbox(services) == [("issue", "failed")]


def test_a_document_moadian_refused_is_retried_under_a_new_tax_id(shop, fake):
    services, products, delivery, clock = shop
    sale = sell(services, products)
    returned = services.invoicing.create_return(sale.number, {0: Decimal(1)})
    services.settings.set(SHOP_ECONOMIC_CODE, "10101234567891")  # a typo in the shop's settings
    rejected = [r for s in until_settled(delivery, clock) for r in s.rejected]
    assert [number for number, _ in rejected] == [sale.number]
    assert "0300902" in rejected[0][1]
    assert outbox(services) == [("issue", "failed"), ("return", "pending")], "the return waits"
    services.settings.set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
    [failed] = [i for i in outbox_rows.items(services.database, provider="moadian") if i.state.value == "failed"]
    outbox_rows.reopen(services.database, failed.id, clock())  # the sync pane's "retry"
    until_settled(delivery, clock, rounds=8)
    new_tax_id = services.invoicing.get(sale.id).tax_id
    assert new_tax_id != sale.tax_id, "the printed tax ID follows"
    assert parse_tax_id(new_tax_id).serial > parse_tax_id(returned.tax_id).serial, "a serial is never reused"
    assert document(services, returned.id, 4).referenced_tax_id == new_tax_id, "the waiting return follows"
    assert outbox(services) == [("issue", "done"), ("return", "done")]
    assert {new_tax_id, returned.tax_id} <= set(fake.accepted)
    assert sale.tax_id not in fake.accepted


def test_return_and_cancellation_follow_an_accepted_sale(shop, fake):
    services, products, delivery, clock = shop
    sale = sell(services, products)
    returned = services.invoicing.create_return(sale.number, {0: Decimal(1)})
    other = sell(services, products)
    services.invoicing.cancel(other.number, "مشتری منصرف شد")
    until_settled(delivery, clock, rounds=10)
    assert outbox(services) == [("issue", "done"), ("return", "done"), ("issue", "done"), ("cancel", "done")]
    assert returned.tax_id in fake.accepted
    assert fake.accepted[sale.tax_id].get("cancelled"), "the return replaced the sale"
    cancellation = document(services, other.id, 3)
    assert cancellation.status == "accepted"
    assert fake.accepted[other.tax_id].get("cancelled")


def test_sync_status_lists_documents_close_to_the_deadline(shop, fake):
    services, products, _delivery, _clock = shop
    recent = sell(services, products)
    old = services.invoicing.issue(sale_draft(services, products), at=datetime.now(UTC) - timedelta(days=11))
    text = status_text(services)
    assert old.number in text
    assert old.tax_id in text
    assert recent.number not in text
    assert "12-day deadline" in text


def test_cancelling_a_sale_moadian_never_accepted_sends_nothing(shop, fake):
    services, _products, delivery, clock = shop
    uncoded = services.catalog.create(ProductInput(name="عسل", code="9200", price=Decimal(900000)))
    sale = services.invoicing.issue(services.invoicing.new_draft().with_changes(
        lines=(services.invoicing.line_for_product(uncoded),)))
    assert delivery.run_once().rejected
    [failed] = outbox_rows.items(services.database, provider="moadian")
    outbox_rows.skip(services.database, failed.id, clock(), reason="از مؤدیان کنار گذاشته شد")
    services.invoicing.cancel(sale.number, "اشتباه")
    summary = delivery.run_once()
    assert (summary.accepted, summary.rejected, summary.sent) == ([], [], 0)
    assert outbox(services) == [("issue", "skipped"), ("cancel", "done")]
    assert document(services, sale.id, 3).status == "not-needed"
    assert fake.count("send-invoices") == 0


def test_a_damaged_tax_id_fails_its_row_and_is_never_sent(shop, fake):
    from sqlalchemy import update

    from posapp.storage.models import MoadianDocumentRow

    services, products, delivery, _clock = shop
    sale = sell(services, products)
    damaged = sale.tax_id[:-1] + str((int(sale.tax_id[-1]) + 1) % 10)
    with services.database.write() as session:
        session.execute(update(MoadianDocumentRow).values(tax_id=damaged))
    summary = delivery.run_once()
    assert "check digit" in summary.rejected[0][1]
    assert outbox(services) == [("issue", "failed")]
    assert fake.count("send-invoices") == 0


def test_a_price_reduction_goes_as_a_correction_after_its_sale_and_can_be_cancelled(shop, fake):
    from posapp.domain.invoice import make_reduction

    services, products, delivery, clock = shop
    sale = sell(services, products)
    reduction = services.invoicing.issue(make_reduction(sale, {0: (Decimal(2), sale.lines[0].unit_price - 10_000)}, returned={}))
    assert outbox(services) == [("issue", "pending"), ("reduce", "pending")]
    first = delivery.run_once()
    assert first.sent == 1, "the correction waits until its sale is accepted"
    until_settled(delivery, clock, rounds=8)
    assert outbox(services) == [("issue", "done"), ("reduce", "done")]
    correction = document(services, reduction.id, 2)
    assert (correction.status, correction.referenced_tax_id, correction.tax_id) == (
        "accepted", sale.tax_id, reduction.tax_id)
    sent = fake.accepted[reduction.tax_id]
    assert sent["header"]["ins"] == 2
    assert sent["header"]["tbill"] + 2 * len(reduction.lines) >= reduction.totals.payable >= sent["header"]["tbill"]
    assert sent["body"][0]["fee"] == sale.lines[0].unit_price - 10_000
    assert fake.accepted[sale.tax_id].get("cancelled"), "the correction replaced the sale"
    services.invoicing.cancel(reduction.number, "مشتری منصرف شد")
    until_settled(delivery, clock, rounds=6)
    assert outbox(services) == [("issue", "done"), ("reduce", "done"), ("cancel", "done")]
    assert document(services, reduction.id, 3).referenced_tax_id == reduction.tax_id
    assert fake.accepted[reduction.tax_id].get("cancelled")


JWT = "eyJhbGciOiJSUzI1NiJ9.eyJub25jZSI6IngiLCJjbGllbnRJZCI6IkExMTFIMSJ9.c2lnbmF0dXJlLWJ5dGVz"
PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"


def _stored_texts(services, summary):
    with services.database.read() as session:
        rows = list(session.scalars(select(OutboxRow.last_error)))
        from posapp.storage.models import MoadianDocumentRow

        messages = list(session.scalars(select(MoadianDocumentRow.messages)))
    return "\n".join([*rows, *messages, summary.text()])


def test_a_token_or_key_in_moadians_error_never_reaches_the_outbox_or_the_screen(shop, fake):
    from posapp.providers.errors import ProviderError

    services, products, delivery, _clock = shop
    sell(services, products)
    real_factory = delivery.client_factory

    def leaky_client():
        client = real_factory()

        def send(_documents):
            raise ProviderError("moadian", f"خطای سامانه؛ توکن {JWT}",
                                f"refused: Authorization: Bearer {JWT} token={JWT[:20]} key {PEM}",
                                code="5199", status=500)
        client.send = send
        return client

    delivery.client_factory = leaky_client
    summary = delivery.run_once()
    text = _stored_texts(services, summary)
    assert "5199" in text, "the error itself is kept"
    for secret in (JWT, JWT[:20], "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "eyJ"):
        assert secret not in text


def test_a_token_echoed_in_moadians_verdict_is_scrubbed_before_it_is_kept(shop, fake, monkeypatch):
    services, products, delivery, clock = shop
    monkeypatch.setattr(MoadianFake, "_buyer_errors", staticmethod(
        lambda header: [("0101204", f"توکن نامعتبر {JWT}; private key {PEM}")]))
    sale = sell(services, products)
    summaries = until_settled(delivery, clock)
    assert [n for s in summaries for n, _ in s.rejected] == [sale.number]
    text = "\n".join(_stored_texts(services, s) for s in summaries)
    assert "0101204" in text
    assert "eyJ" not in text
    assert "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" not in text


def test_an_answer_lost_longer_ago_than_the_inquiry_window_is_found_by_tax_id_not_sent_again(shop):
    """The till was off for eight days after Moadian took a batch whose answer was lost: its uid
    is beyond the week an inquiry may cover, so only the tax ID shows it was accepted."""
    services, products, _delivery, clock = shop
    key, certificate = identity("shop")
    with MoadianFake(in_progress_inquiries=1, clock=lambda: clock().timestamp()) as fake:
        fake.register(MEMORY_ID, public_key_of(certificate), economic_code=SELLER_ECONOMIC_CODE)
        config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=5.0, max_retries=0)
        delivery = MoadianSync(services, lambda: MoadianClient(config, Signer.from_pem(key, certificate), clock=clock),
                               clock=clock, policy=MoadianPolicy())
        sales = [sell(services, products) for _ in range(3)]
        fake.faults.drop_after_commit.next(1, operations={"send-invoices"})
        assert delivery.run_once().error
        clock.advance(8 * 86_400)
        summary = delivery.run_once()
        assert sorted(summary.accepted) == sorted(s.number for s in sales)
        assert fake.count("send-invoices") == 1, "nothing was sent twice"
        assert outbox(services) == [("issue", "done")] * 3
        for sale in sales:
            stored = document(services, sale.id, 1)
            assert stored.status == "accepted"
            assert "NO_NEED_REACTION" in stored.messages


def test_without_a_key_the_rows_say_why_they_wait(shop, fake):
    from posapp.providers.errors import AuthenticationError

    services, products, delivery, _clock = shop
    sell(services, products)

    def unconfigured():
        raise AuthenticationError("moadian", "کلید یا گواهی سامانه مؤدیان تنظیم نشده",
                                  "the Moadian key or certificate is not set; run `posapp provider configure moadian`")

    delivery.client_factory = unconfigured
    summary = delivery.run_once()
    assert "provider configure moadian" in summary.error
    [item] = outbox_rows.items(services.database, provider="moadian")
    assert (item.state.value, "provider configure moadian" in item.last_error) == ("pending", True)
    assert fake.count() == 0


def test_a_refused_row_says_how_to_correct_it_and_the_document_keeps_only_the_verdict(shop, fake):
    services, products, delivery, clock = shop
    buyer = Party("شرکت نمونه", kind=PartyKind.LEGAL, national_id="10101010101", economic_code="4110")
    sale = sell(services, products, buyer=buyer)
    until_settled(delivery, clock)
    [item] = outbox_rows.items(services.database, provider="moadian")
    assert item.last_error.splitlines()[0].startswith("0101204"), "the table's column shows the error first"
    assert "press Retry" in item.last_error.splitlines()[-1]
    assert "Retry" not in document(services, sale.id, 1).messages


def test_a_packet_moadian_gave_up_on_goes_out_again_under_a_new_uid_and_the_same_tax_id(shop, fake):
    services, products, delivery, clock = shop
    sale = sell(services, products)
    fake.timeout_packets = 1
    until_settled(delivery, clock, rounds=8)
    stored = document(services, sale.id, 1)
    assert stored.status == "accepted"
    assert outbox(services) == [("issue", "done")]
    first, second = fake.received
    assert first.uid != second.uid == stored.uid
    assert second.tax_id == stored.tax_id == sale.tax_id, "the tax ID Moadian never held is kept"
    assert fake.count("inquiry-invoice-status") == 1, "its tax ID was looked up first"


def test_a_reduction_after_a_return_is_accepted_as_a_correction_of_the_returns_document(shop, fake):
    """The corrected invoice describes the sale as it stands after the correction: the
    quantities the customer kept (a line returned in full left out) at the lowered price; the
    strict fake refuses a correction that adds goods or changes a VAT rate, and the totals are
    checked line by line. Before the fix the reduction was refused outright."""
    services, products, delivery, clock = shop
    sale = sell(services, products)
    returned = services.invoicing.create_return(sale.number, {0: Decimal(1), 2: Decimal(1)})
    lower = sale.lines[0].unit_price - 10_000
    reduction = services.invoicing.issue(services.invoicing.draft_reduction(sale.number, {0: (Decimal(1), lower)}))
    until_settled(delivery, clock, rounds=10)
    assert outbox(services) == [("issue", "done"), ("return", "done"), ("reduce", "done")]
    correction = document(services, reduction.id, 2)
    assert (correction.status, correction.referenced_tax_id) == ("accepted", returned.tax_id)
    sent = fake.accepted[reduction.tax_id]
    assert sent["header"]["ins"] == 2
    assert [(line["am"], line["fee"]) for line in sent["body"]] == [
        (Decimal(1), lower), (Decimal("0.75"), sale.lines[1].unit_price)]
    expected_tbill = sum((t.total for t in reduction.totals.lines), Decimal(0))
    assert expected_tbill - 2 * len(reduction.lines) <= sent["header"]["tbill"] <= expected_tbill
    assert fake.accepted[returned.tax_id].get("cancelled"), "the correction replaced the return's document"
