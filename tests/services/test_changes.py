"""Service writes say what they changed: each committed write publishes its declared `Changes`
on the database's feed, a refused write publishes nothing (unless it committed before it
refused: a wrong PIN), and no write method of the invoicing, catalogue, customer, shift,
users or sync queue services goes undeclared."""

from __future__ import annotations

import inspect
import threading
from decimal import Decimal

import pytest

from posapp.domain.access import SignInError
from posapp.domain.changes import NOTHING, ChangeFeed, Changes
from posapp.domain.errors import DomainError
from posapp.domain.invoice import Payment, PaymentMethod
from posapp.services.access import AccessService
from posapp.services.catalog import CatalogService, ProductInput
from posapp.services.changes import INVOICE_WRITTEN, PAYMENT_RECORDED
from posapp.services.customers import CustomerInput, CustomerService
from posapp.services.invoicing import InvoicingService
from posapp.services.shifts import ShiftService
from posapp.services.sync.queue import SyncQueue
from posapp.storage import outbox
from tests.shop_data import sale_draft


@pytest.fixture
def heard(services):
    """Every `Changes` published on the services' feed, in order."""
    seen: list[Changes] = []
    services.changes.subscribe(seen.append)
    yield seen
    services.changes.unsubscribe(seen.append)


def test_changes_merge_and_are_falsy_when_empty():
    assert not NOTHING
    merged = Changes(invoices=True) | Changes(products=True)
    assert merged == Changes(invoices=True, products=True)
    assert merged.kinds == {"invoices", "products"}


def test_a_sale_its_payment_return_and_cancellation_each_say_what_they_changed(services, products, heard):
    sale = services.invoicing.issue(sale_draft(services, products))
    assert heard[-1].kinds >= {"invoices", "products", "outbox", "held_sales"}
    heard.clear()
    services.invoicing.record_payment(sale.number, Payment(PaymentMethod.CARD, Decimal(1000)))
    assert heard == [PAYMENT_RECORDED]
    assert not heard[0].products
    heard.clear()
    services.invoicing.create_return(sale.number, {0: Decimal(1)})
    assert heard == [INVOICE_WRITTEN]
    other = services.invoicing.issue(sale_draft(services, products))
    heard.clear()
    services.invoicing.cancel(other.number, "اشتباه صندوق")
    assert heard == [INVOICE_WRITTEN]
    assert heard[0].products  # the stock went back


def test_a_refused_write_publishes_nothing(services, products, heard):
    sale = services.invoicing.issue(sale_draft(services, products))
    services.invoicing.create_return(sale.number, {0: Decimal(1)})
    heard.clear()
    with pytest.raises(DomainError):
        services.invoicing.cancel(sale.number, "دارای برگشتی")
    with pytest.raises(DomainError):
        services.catalog.create(ProductInput(name="", code="1001", price=Decimal(1)))
    assert heard == []


def test_catalogue_and_customer_writes_name_their_records(services, heard):
    product = services.catalog.create(ProductInput(name="ماست", code="2001", price=Decimal(90000)))
    services.catalog.update(product.id, ProductInput(name="ماست کم‌چرب", code="2001", price=Decimal(95000)))
    customer = services.customers.create(CustomerInput(name="علی رضایی", mobile="09121234567"))
    services.customers.update(customer.id, CustomerInput(name="علی رضایی", mobile="09121234568"))
    assert heard == [Changes(products=True)] * 2 + [Changes(customers=True)] * 2


def test_a_write_on_another_thread_is_heard_on_that_thread(services, products):
    threads: list[str] = []
    services.changes.subscribe(lambda _changes: threads.append(threading.current_thread().name))
    worker = threading.Thread(target=lambda: services.invoicing.issue(sale_draft(services, products)),
                              name="write-lane")
    worker.start()
    worker.join()
    assert threads == ["write-lane"]


def test_a_failing_listener_never_undoes_or_fails_the_write(caplog):
    feed = ChangeFeed()
    calls: list[Changes] = []

    def broken(_changes: Changes) -> None:
        raise RuntimeError("a closed window")

    feed.subscribe(broken)
    feed.subscribe(calls.append)
    feed.publish(Changes(invoices=True))
    assert calls == [Changes(invoices=True)]
    assert "change listener failed" in caplog.text


def test_user_and_role_writes_say_users_changed_and_a_wrong_pin_too(services, heard):
    owner = services.access.add_user("مالک", "owner", "1357")
    services.access.add_user("سارا", "cashier", "2468", owner.actor)
    services.access.reset_pin("سارا", "8642", owner.actor)
    services.access.set_active("سارا", False, owner.actor)
    assert heard == [Changes(users=True)] * 4
    heard.clear()
    with pytest.raises(SignInError):
        services.access.sign_in("مالک", "0000")  # the wrong PIN is counted and kept
    assert heard == [Changes(users=True)]
    heard.clear()
    with pytest.raises(DomainError):
        services.access.add_user("", "cashier", "1111", owner.actor)
    assert heard == []


def changes_of(method):
    """What a service method declared it changes (`@writes`), or None if it is not a declared write."""
    declared = getattr(method, "changes", None)
    return declared if isinstance(declared, Changes) else None


OUTBOX_WRITES = frozenset(
    name for name, function in inspect.getmembers(outbox, inspect.isfunction)
    if function.__module__ == outbox.__name__ and "db.write()" in inspect.getsource(function))
"""The outbox store's functions that open a write transaction (claim, settle, reopen, ...)."""


def opens_a_write(method) -> bool:
    """Whether a method's own code opens a write transaction, itself or through the outbox store."""
    source = inspect.getsource(inspect.unwrap(method))
    return "_db.write()" in source or any(f"outbox.{name}(" in source for name in OUTBOX_WRITES)


def test_the_outbox_writes_are_known():
    assert {"claim_due", "settle", "reopen", "skip", "save_link"} <= OUTBOX_WRITES


@pytest.mark.parametrize("service", [InvoicingService, CatalogService, CustomerService, ShiftService,
                                     AccessService, SyncQueue])
def test_every_write_method_declares_its_changes(service):
    """A public method that opens a write transaction must say what it changes."""
    undeclared = [
        name for name, method in inspect.getmembers(service, inspect.isfunction)
        if not name.startswith("_") and opens_a_write(method) and changes_of(method) is None
    ]
    assert undeclared == []


def test_the_queue_commands_and_user_writes_are_seen_as_writes():
    """The check above looks where the writes are: it would see these if they were undeclared."""
    assert opens_a_write(SyncQueue.retry)
    assert opens_a_write(SyncQueue.skip)
    assert opens_a_write(AccessService.add_user)
    assert changes_of(SyncQueue.retry) == Changes(outbox=True)
    assert changes_of(AccessService.set_role) == Changes(users=True)
