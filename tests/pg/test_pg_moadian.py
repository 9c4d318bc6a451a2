"""Moadian on a real PostgreSQL server: two tills issuing at once never share a tax-ID serial (the
counter row's upsert and lock), the documents (sale, return, correction, cancellation) and the
products' goods and unit codes store and read back, and delivery to the Moadian fake runs its
fenced uid writes, receipts and verdicts on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import select

from posapp.domain.invoice import make_reduction
from posapp.domain.moadian import parse_tax_id
from posapp.providers.moadian import MoadianClient, MoadianConfig, Signer
from posapp.services.catalog import ProductInput
from posapp.services.context import AppServices
from posapp.services.moadian_sync import MoadianPolicy, MoadianSync
from posapp.services.moadian_tax import verified_documents
from posapp.settings.moadian import MOADIAN_ENABLED
from posapp.settings.providers import config_setting
from posapp.settings.shop import SHOP_ECONOMIC_CODE
from posapp.storage.models import MoadianSerialRow, OutboxRow
from tests.fakes.moadian import MoadianFake
from tests.providers.test_moadian import MEMORY_ID, SELLER_ECONOMIC_CODE, identity, public_key_of
from tests.shop_data import sale_draft
from tests.support.concurrency import run_together
from tests.sync.conftest import ManualClock

pytestmark = pytest.mark.postgres

CODES = {"milk": ("2710000138624", ""), "cheese": ("2720000166053", "164"), "bread": ("2730000100017", "1627")}


@pytest.fixture
def moadian_shop(shop_settings, pg_services, pg_products):
    shop_settings.set(config_setting("moadian"), {"memory_id": MEMORY_ID})
    shop_settings.set(MOADIAN_ENABLED, True)
    shop_settings.set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
    catalog = pg_services.catalog
    coded = {}
    for name, (goods, unit) in CODES.items():
        product = pg_products[name]
        base = ProductInput(name=product.name, code=product.code, price=product.price, unit=product.unit,
                            stock=product.stock, tax_rate_override=product.tax_rate_override,
                            tax_exempt=product.tax_exempt, barcodes=product.barcodes)
        coded[name] = catalog.update(product.id, replace(base, goods_code=goods, unit_code=unit))
    return pg_services, coded


def test_two_tills_issuing_at_once_never_share_a_serial_and_documents_read_back(
        postgres_url, shop_settings, moadian_shop):
    """Two AppServices (two engines, their own connections) start with no serial counter row yet
    (both race to create it), then issue sales and returns side by side."""
    services, products = moadian_shop
    per_till = 10
    tills = [AppServices.open(postgres_url, settings=shop_settings) for _ in range(2)]
    try:
        def issue_all(own: AppServices) -> list[str]:
            numbers = []
            for index in range(per_till):
                sale = own.invoicing.issue(sale_draft(own, products, cash=Decimal(10_000_000)))
                numbers.append(sale.number)
                if index % 3 == 0:
                    numbers.append(own.invoicing.create_return(sale.number, {0: Decimal(1)}).number)
            return numbers

        results, errors = run_together([lambda own=own: issue_all(own) for own in tills])
    finally:
        for own in tills:
            own.close()
    assert errors == []
    numbers = [number for numbers in results for number in numbers]
    invoices = [services.invoicing.get_by_number(number) for number in numbers]
    tax_ids = [invoice.tax_id for invoice in invoices]
    assert len(tax_ids) == len(set(tax_ids)) == 2 * (per_till + 4)
    assert sorted(parse_tax_id(t).serial for t in tax_ids) == list(range(1, len(tax_ids) + 1))
    with services.database.read() as session:
        assert session.scalar(select(MoadianSerialRow.last_serial)) == len(tax_ids)
        for invoice in invoices:
            [document] = verified_documents(session, invoice.id)
            assert document.tax_id == invoice.tax_id
            assert document.issued_at == invoice.issued_at
            assert document.issued_at.tzinfo is not None
            if invoice.original_number:
                sale = services.invoicing.get_by_number(invoice.original_number)
                assert (document.subject, document.referenced_tax_id) == (4, sale.tax_id)
            else:
                assert (document.subject, document.referenced_tax_id, document.status) == (1, "", "queued")
        queued = session.scalars(select(OutboxRow.invoice_id).where(OutboxRow.provider == "moadian")).all()
    assert sorted(queued) == sorted(invoice.id for invoice in invoices)


def test_codes_documents_and_delivery_round_trip_on_postgres(moadian_shop):
    services, products = moadian_shop
    milk = services.catalog.get(products["milk"].id)
    assert (milk.goods_code, milk.unit_code, milk.moadian_unit_code) == ("2710000138624", "", "1627")
    cheese = services.catalog.get(products["cheese"].id)
    assert (cheese.goods_code, cheese.moadian_unit_code) == ("2720000166053", "164")
    invoicing = services.invoicing
    sale = invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
    assert [(line.goods_code, line.unit_code) for line in invoicing.get(sale.id).lines] == [
        ("2710000138624", "1627"), ("2720000166053", "164"), ("2730000100017", "1627")]
    returned = invoicing.create_return(sale.number, {1: Decimal("0.250")})
    other = invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
    reduction = invoicing.issue(make_reduction(other, {0: (Decimal(2), other.lines[0].unit_price - 1_000)}, returned={}))
    voided = invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
    invoicing.cancel(voided.number, "انصراف مشتری")
    key, certificate = identity("shop")
    clock = ManualClock()
    with MoadianFake(in_progress_inquiries=1) as fake:
        fake.register(MEMORY_ID, public_key_of(certificate), economic_code=SELLER_ECONOMIC_CODE)
        config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=5.0, max_retries=0)
        delivery = MoadianSync(services, lambda: MoadianClient(config, Signer.from_pem(key, certificate)),
                               clock=clock, policy=MoadianPolicy())
        for _ in range(12):
            delivery.run_once()
            clock.advance(delivery.policy.poll_seconds + 1)
        with services.database.read() as session:
            states = session.execute(select(OutboxRow.operation, OutboxRow.state)
                                     .where(OutboxRow.provider == "moadian").order_by(OutboxRow.id)).all()
            documents = {invoice.number: verified_documents(session, invoice.id)
                         for invoice in (sale, returned, other, reduction, voided)}
        assert states == [("issue", "done"), ("return", "done"), ("issue", "done"), ("reduce", "done"),
                          ("issue", "done"), ("cancel", "done")]
        assert {t for t in (sale.tax_id, returned.tax_id, other.tax_id, reduction.tax_id, voided.tax_id)} \
            <= set(fake.accepted)
        for stored in documents.values():
            for document in stored:
                assert document.status == "accepted"
                assert document.uid in fake.packets
                assert document.reference_number == fake.packets[document.uid].reference
                assert document.sent_at is not None
                assert document.sent_at.tzinfo is not None
        [correction] = documents[reduction.number]
        assert (correction.subject, correction.referenced_tax_id) == (2, other.tax_id)
        [_, cancellation] = documents[voided.number]
        assert (cancellation.subject, cancellation.referenced_tax_id) == (3, voided.tax_id)
        assert delivery.near_deadline(12) == []
        assert [w.invoice_number for w in delivery.near_deadline(1)] == [], "all accepted"


def test_two_tills_delivering_at_once_send_each_document_once(postgres_url, shop_settings, moadian_shop):
    services, products = moadian_shop
    sales = [services.invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
             for _ in range(24)]
    key, certificate = identity("shop")
    signer = Signer.from_pem(key, certificate)
    clock = ManualClock()
    tills = [AppServices.open(postgres_url, settings=shop_settings) for _ in range(2)]
    try:
        with MoadianFake(in_progress_inquiries=1) as fake:
            fake.register(MEMORY_ID, public_key_of(certificate), economic_code=SELLER_ECONOMIC_CODE)
            fake.faults.latency.sometimes(0.5)
            fake.faults.latency_seconds = 0.02
            config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=5.0, max_retries=0)
            deliveries = [MoadianSync(own, lambda: MoadianClient(config, signer), clock=clock,
                                      policy=MoadianPolicy(batch_size=5)) for own in tills]
            for _ in range(6):
                _results, errors = run_together([
                    lambda delivery=delivery: [delivery.run_once().text()] for delivery in deliveries])
                assert errors == []
                clock.advance(deliveries[0].policy.poll_seconds + 1)
            with services.database.read() as session:
                states = session.scalars(select(OutboxRow.state).where(OutboxRow.provider == "moadian")).all()
            assert states == ["done"] * len(sales)
            assert {s.tax_id for s in sales} == set(fake.accepted)
            assert len(fake.packets) == len(sales), "no document went out under two packets"
    finally:
        for own in tills:
            own.close()
