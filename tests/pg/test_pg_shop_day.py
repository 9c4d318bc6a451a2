"""The shop's day on PostgreSQL: the close is serialised against sales in flight, one open
shift per till in the database, and tills appending to the journal at once never fork it."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from posapp.services.context import AppServices
from posapp.services.shifts import NoOpenShiftError
from posapp.storage.models import InvoiceRow
from tests.shop_data import sale_draft

pytestmark = pytest.mark.postgres


@pytest.fixture
def day(pg_services, pg_products):
    owner = pg_services.access.add_user("مالک", "owner", "1357")
    shift = pg_services.shifts.open(Decimal(0), owner.actor)
    return owner, shift


def _draft(services, products, owner):
    return sale_draft(services, products).with_changes(cashier=owner.name, cashier_id=owner.id)


def test_a_sale_in_flight_when_the_close_starts_is_in_that_shifts_z(postgres_url, shop_settings, pg_services,
                                                                    pg_products, day):
    owner, shift = day
    till = AppServices.open(postgres_url, settings=shop_settings)
    holding, release = threading.Event(), threading.Event()

    def sale_held_open() -> None:
        with till.database.write() as session:
            till.invoicing._issue_all(session, [_draft(till, pg_products, owner)], None)
            holding.set()
            release.wait(10)

    seller = threading.Thread(target=sale_held_open)
    seller.start()
    assert holding.wait(10)
    reports = []
    closer = threading.Thread(target=lambda: reports.append(pg_services.shifts.close(Decimal(0), owner.actor)))
    closer.start()
    closer.join(0.7)
    assert closer.is_alive(), "the close must wait for the sale's transaction"
    release.set()
    seller.join(10)
    closer.join(10)
    till.close()
    [z] = reports
    assert z.sales_count == 1
    with pg_services.database.read() as session:
        assert session.execute(select(InvoiceRow.shift_id)).scalars().all() == [shift.id]


def test_a_sale_that_starts_while_the_close_holds_the_shift_is_refused(postgres_url, shop_settings,
                                                                       pg_services, pg_products, day):
    owner, shift = day
    errors: list[BaseException] = []
    with pg_services.database.engine.connect() as closing:
        closing.begin()
        closing.execute(text("SELECT id FROM shifts WHERE id = :id FOR UPDATE"), {"id": shift.id})

        def sell() -> None:
            try:
                pg_services.invoicing.issue(_draft(pg_services, pg_products, owner))
            except BaseException as exc:
                errors.append(exc)

        seller = threading.Thread(target=sell)
        seller.start()
        seller.join(0.7)
        assert seller.is_alive(), "the sale must wait for the close"
        closing.execute(text("UPDATE shifts SET closed_at = now() WHERE id = :id"), {"id": shift.id})
        closing.commit()
    seller.join(10)
    assert len(errors) == 1
    assert isinstance(errors[0], NoOpenShiftError)


def test_one_open_shift_per_till_is_a_database_rule(pg_services, day):
    with pytest.raises(IntegrityError), pg_services.database.write() as session:
        session.execute(text("INSERT INTO shifts (till, number, opened_at, opening_float, counted_notes) "
                             "VALUES ('1', 99, now(), 0, '')"))


def test_two_tills_journaling_at_once_keep_one_chain(postgres_url, shop_settings, pg_services, pg_products, day):
    owner, _shift = day
    pg_services.shifts.open(Decimal(0), owner.actor, till="2")
    tills = [AppServices.open(postgres_url, settings=shop_settings) for _ in range(2)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sell(services: AppServices, till: str) -> None:
        start.wait()
        try:
            for _ in range(10):
                services.invoicing.issue(_draft(services, pg_products, owner).with_changes(till=till))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=sell, args=(tills[0], "1")), threading.Thread(target=sell, args=(tills[1], "2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for services in tills:
        services.close()
    assert errors == []
    result = pg_services.audit.verify()
    assert result.ok, result.problem
    assert result.records == 1 + 1 + 2 + 20


def test_audit_verify_on_postgresql_catches_a_changed_total_and_a_deleted_record(pg_services, pg_products, day):
    owner, _shift = day
    sale = pg_services.invoicing.issue(_draft(pg_services, pg_products, owner))
    pg_services.shifts.close(Decimal(0), owner.actor)
    assert pg_services.audit.verify().ok
    with pg_services.database.write() as session:
        session.execute(text("UPDATE invoices SET payable = payable + 1 WHERE number = :n"), {"n": sale.number})
    problem = pg_services.audit.verify().problem
    assert sale.number in problem.message_en
    with pg_services.database.write() as session:
        session.execute(text("UPDATE invoices SET payable = payable - 1 WHERE number = :n"), {"n": sale.number})
        session.execute(text("DELETE FROM journal WHERE seq = 3"))
    assert pg_services.audit.verify().problem.seq == 4
