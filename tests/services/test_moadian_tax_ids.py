"""Tax IDs at issue: taken from the database's serial counter for the shop's fiscal memory in
the issuing transaction, never twice (not across tills), for sales the scope covers, their
returns and cancellations; the check digit verified when read back."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import Party, PartyKind
from posapp.domain.moadian import days_since_epoch, parse_tax_id
from posapp.services.context import AppServices
from posapp.services.moadian_tax import current_document, verified_documents
from posapp.settings.moadian import MOADIAN_ENABLED, MOADIAN_SCOPE
from posapp.settings.providers import config_setting
from posapp.settings.shop import SHOP_NAME, TILL_CODE
from posapp.settings.store import SettingsStore
from posapp.storage.models import InvoiceRow, MoadianDocumentRow
from tests.shop_data import sale_draft

MEMORY_ID = "A1B2C3"
BUSINESS = Party("شرکت نمونه", kind=PartyKind.LEGAL, national_id="10101010101", economic_code="10101010101")
AT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def enable(settings, scope="all"):
    settings.set(config_setting("moadian"), {"memory_id": MEMORY_ID})
    settings.set(MOADIAN_ENABLED, True)
    settings.set(MOADIAN_SCOPE, scope)


def documents(services, invoice_id):
    with services.database.read() as session:
        return verified_documents(session, invoice_id)


def test_no_tax_id_while_moadian_is_off(services, products, settings):
    settings.set(config_setting("moadian"), {"memory_id": MEMORY_ID})
    sale = services.invoicing.issue(sale_draft(services, products), at=AT)
    assert sale.tax_id is None
    assert documents(services, sale.id) == []


def test_sale_return_and_cancellation_each_get_their_own_tax_id(services, products, settings):
    enable(settings)
    invoicing = services.invoicing
    sale = invoicing.issue(sale_draft(services, products, cash=Decimal(5_000_000)), at=AT)
    parts = parse_tax_id(sale.tax_id)
    assert (parts.memory_id, parts.serial, parts.days) == (MEMORY_ID, 1, days_since_epoch(AT))
    assert invoicing.get(sale.id).tax_id == sale.tax_id, "stored on the invoice, printed from there"

    first_return = invoicing.create_return(sale.number, {0: Decimal(1)})
    second_return = invoicing.create_return(sale.number, {2: Decimal(1)})
    assert parse_tax_id(first_return.tax_id).serial == 2
    [doc] = documents(services, first_return.id)
    assert (doc.subject, doc.referenced_tax_id) == (4, sale.tax_id)
    [doc] = documents(services, second_return.id)
    assert (doc.subject, doc.referenced_tax_id) == (4, first_return.tax_id), "a return replaces the latest"

    invoicing.cancel(second_return.number, "اشتباه")
    cancellation = documents(services, second_return.id)[-1]
    assert (cancellation.subject, cancellation.referenced_tax_id) == (3, second_return.tax_id)
    assert parse_tax_id(cancellation.tax_id).serial == 4
    with services.database.read() as session:
        assert current_document(session, sale.number) == first_return.tax_id

    other = invoicing.issue(sale_draft(services, products), at=AT)
    invoicing.cancel(other.number, "مشتری منصرف شد")
    sale_doc, cancel_doc = documents(services, other.id)
    assert (sale_doc.subject, cancel_doc.subject, cancel_doc.referenced_tax_id) == (1, 3, other.tax_id)
    assert [parse_tax_id(d.tax_id).serial for d in (sale_doc, cancel_doc)] == [5, 6]


def test_business_scope_numbers_only_identified_buyers_and_their_returns(services, products, settings):
    enable(settings, scope="business")
    invoicing = services.invoicing
    walk_in = invoicing.issue(sale_draft(services, products, cash=Decimal(5_000_000)), at=AT)
    business = invoicing.issue(sale_draft(services, products, buyer=BUSINESS, cash=Decimal(5_000_000)), at=AT)
    assert walk_in.tax_id is None
    assert parse_tax_id(business.tax_id).serial == 1
    assert invoicing.create_return(walk_in.number, {0: Decimal(1)}).tax_id is None
    assert parse_tax_id(invoicing.create_return(business.number, {0: Decimal(1)}).tax_id).serial == 2


def test_a_damaged_stored_tax_id_is_refused_when_read_back(services, products, settings):
    enable(settings)
    sale = services.invoicing.issue(sale_draft(services, products), at=AT)
    damaged = sale.tax_id[:-1] + str((int(sale.tax_id[-1]) + 1) % 10)
    with services.database.write() as session:
        session.execute(update(MoadianDocumentRow).where(MoadianDocumentRow.invoice_id == sale.id)
                        .values(tax_id=damaged))
        session.execute(update(InvoiceRow).where(InvoiceRow.id == sale.id).values(tax_id=damaged))
    with pytest.raises(ValidationError) as caught:
        documents(services, sale.id)
    assert "check digit" in caught.value.message_en


def test_two_tills_on_two_engines_never_share_a_serial(database_url, tmp_path, products):
    stores = []
    for till in ("1", "2"):
        store = SettingsStore(tmp_path / f"till{till}.json")
        store.set(SHOP_NAME, "فروشگاه نمونه")
        store.set(TILL_CODE, till)
        enable(store)
        stores.append(store)
    errors: list[BaseException] = []
    tax_ids: list[str] = []
    lock = threading.Lock()

    def till_worker(store):
        try:
            with AppServices.open(database_url, settings=store) as own:
                for _ in range(10):
                    sale = own.invoicing.issue(sale_draft(own, products))
                    cancelled = own.invoicing.cancel(sale.number, "آزمون")
                    with own.database.read() as session:
                        found = [d.tax_id for d in verified_documents(session, cancelled.id)]
                    with lock:
                        tax_ids.extend(found)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=till_worker, args=(store,)) for store in stores for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(tax_ids) == len(set(tax_ids)) == 80
    assert sorted(parse_tax_id(t).serial for t in tax_ids) == list(range(1, 81))


def test_a_price_reduction_of_a_reported_sale_is_numbered_as_a_correction_of_it(services, products, settings):
    from posapp.domain.invoice import make_reduction

    enable(settings)
    sale = services.invoicing.issue(sale_draft(services, products, cash=Decimal(5_000_000)), at=AT)
    later = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
    reduction = services.invoicing.issue(make_reduction(sale, {0: (Decimal(2), Decimal(400_000))}, returned={}), at=later)
    [correction] = documents(services, reduction.id)
    assert (correction.subject, correction.referenced_tax_id) == (2, sale.tax_id)
    assert correction.tax_id == reduction.tax_id
    assert parse_tax_id(correction.tax_id).serial == 2
    assert parse_tax_id(correction.tax_id).days == days_since_epoch(later)
    assert services.invoicing.get(sale.id).status.value == "cancelled", "the reduction replaced the sale"
    assert [d.subject for d in documents(services, sale.id)] == [1], "and Moadian is not sent a cancellation"


def test_a_reduction_after_a_return_corrects_the_returns_document_with_what_the_customer_holds(
        services, products, settings):
    """Before the fix a reported sale with returns was refused (the reduction restated the
    whole sale); now the reduction carries the kept quantities and corrects the document that
    stands at Moadian after the return."""
    from posapp.domain.invoice import make_reduction

    enable(settings)
    sale = services.invoicing.issue(sale_draft(services, products, cash=Decimal(5_000_000)), at=AT)
    returned = services.invoicing.create_return(sale.number, {0: Decimal(1), 2: Decimal(1)})
    with pytest.raises(ValidationError, match="still holds"):
        services.invoicing.issue(make_reduction(sale, {0: (Decimal(2), Decimal(400_000))}, returned={}))
    draft = services.invoicing.draft_reduction(sale.number, {0: (Decimal(1), Decimal(400_000))})
    assert [(line.origin_line, line.quantity) for line in draft.lines] == [(0, Decimal(1)), (1, Decimal("0.750"))]
    reduction = services.invoicing.issue(draft)
    [correction] = documents(services, reduction.id)
    assert (correction.subject, correction.referenced_tax_id) == (2, returned.tax_id)
    assert parse_tax_id(correction.tax_id).serial == 3
    assert services.invoicing.get(sale.id).status.value == "cancelled"
    assert services.invoicing.get(returned.id).status.value != "cancelled", "the return stays valid"
