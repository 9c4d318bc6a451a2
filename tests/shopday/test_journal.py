"""The hash-chained journal: every change appends in its own transaction, and `verify`
catches an edited invoice, a deleted, inserted or swapped record, and a cut-off tail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, text

from posapp.domain.invoice import Payment, PaymentMethod
from posapp.storage.models import JournalRow
from tests.shop_data import sale_draft


@pytest.fixture
def busy_day(services, products, shift, owner, cashier):
    """Three sales, a later payment, a cancellation, a paid-out and a closed shift."""
    sales = []
    for _ in range(3):
        draft = sale_draft(services, products).with_changes(cashier=cashier.name, cashier_id=cashier.id,
                                                            payments=(Payment(PaymentMethod.CASH, Decimal(1_000_000)),))
        sales.append(services.invoicing.issue(draft))
    services.invoicing.record_payment(sales[0].number, Payment(PaymentMethod.CARD, Decimal(500_000)), cashier.actor)
    services.invoicing.cancel(sales[2].number, "اشتباه", owner.actor)
    services.shifts.move_cash("out", Decimal(100_000), "نان", owner.actor)
    services.shifts.close(Decimal(5_000_000), owner.actor)
    services.shifts.open(Decimal(0), cashier.actor)
    return sales


def _sql(services, statement, **params):
    with services.database.write() as session:
        session.execute(text(statement), params)


def _seq(services, action, subject=None):
    with services.database.read() as session:
        query = select(JournalRow.seq).where(JournalRow.action == action)
        if subject:
            query = query.where(JournalRow.subject == subject)
        return session.execute(query).scalars().first()


def test_an_untouched_day_verifies_and_every_change_is_in_the_chain(services, busy_day):
    result = services.audit.verify()
    assert result.ok, result.problem
    with services.database.read() as session:
        actions = session.execute(select(JournalRow.action).order_by(JournalRow.seq)).scalars().all()
    assert actions == ["journal.start", "user.add", "user.add", "shift.open", "invoice.sale", "invoice.sale",
                       "invoice.sale", "invoice.payment", "invoice.cancel", "cash.out", "shift.close", "shift.open"]
    assert services.shifts.z_report(1).journal_seq == actions.index("shift.close")


def test_a_changed_invoice_total_is_named(services, busy_day):
    number = busy_day[1].number
    _sql(services, "UPDATE invoices SET payable = payable + 1 WHERE number = :n", n=number)
    problem = services.audit.verify().problem
    assert problem is not None
    assert number in problem.message_en
    assert problem.seq == _seq(services, "invoice.sale", number)


def test_a_changed_line_price_is_caught(services, busy_day):
    _sql(services, "UPDATE invoice_lines SET unit_price = 1 WHERE position = 0 AND invoice_id = "
                   "(SELECT id FROM invoices WHERE number = :n)", n=busy_day[0].number)
    assert busy_day[0].number in services.audit.verify().problem.message_en


def test_a_changed_payment_is_caught(services, busy_day):
    _sql(services, "UPDATE payments SET amount = 1 WHERE position = 1")
    assert "payment 2" in services.audit.verify().problem.message_en


def test_a_deleted_record_is_named(services, busy_day):
    seq = _seq(services, "invoice.cancel")
    _sql(services, "DELETE FROM journal WHERE seq = :s", s=seq)
    problem = services.audit.verify().problem
    assert problem.seq == seq + 1
    assert "missing" in problem.message_en


def test_an_inserted_record_is_named(services, busy_day):
    with services.database.read() as session:
        row = session.execute(select(JournalRow).where(JournalRow.seq == 5)).scalar_one()
    _sql(services, "UPDATE journal SET seq = seq + 1000 WHERE seq >= 6")
    _sql(services, "UPDATE journal SET seq = seq - 999 WHERE seq >= 1006")
    _sql(services, "INSERT INTO journal (seq, at, till, user_name, approver_name, action, subject, payload, "
                   "prev_hash, hash) VALUES (6, :at, '1', 'x', '', 'invoice.sale', 'FAKE', '{}', :prev, :hash)",
         at=row.at.replace(tzinfo=None), prev=row.hash, hash="f" * 64)
    problem = services.audit.verify().problem
    assert problem.seq == 6
    assert "changed" in problem.message_en


def test_two_swapped_records_are_named(services, busy_day):
    _sql(services, "UPDATE journal SET seq = -1 WHERE seq = 5")
    _sql(services, "UPDATE journal SET seq = 5 WHERE seq = 6")
    _sql(services, "UPDATE journal SET seq = 6 WHERE seq = -1")
    problem = services.audit.verify().problem
    assert problem.seq == 5


def test_a_record_cut_off_the_end_is_caught_by_the_head(services, busy_day):
    with services.database.read() as session:
        last = session.execute(select(JournalRow.seq).order_by(JournalRow.seq.desc())).scalars().first()
    _sql(services, "DELETE FROM journal WHERE seq = :s", s=last)
    problem = services.audit.verify().problem
    assert "end" in problem.message_en


def test_an_invoice_added_in_sql_is_caught(services, busy_day):
    _sql(services, "UPDATE invoices SET number = 'X-1' WHERE number = :n", n=busy_day[0].number)
    problem = services.audit.verify().problem
    assert "X-1" in problem.message_en


def test_a_changed_z_report_is_caught(services, busy_day):
    _sql(services, "UPDATE shifts SET z_report = replace(z_report, :old, :new)",
         old='"sales_count":3', new='"sales_count":2')
    assert "Z report" in services.audit.verify().problem.message_en
