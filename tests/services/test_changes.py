"""Service writes say what they changed: each committed write publishes its declared `Changes`
on the database's feed, a refused write publishes nothing, and no write method of the
invoicing, catalogue, customer or shift services goes undeclared."""

from __future__ import annotations

import inspect
import threading
from decimal import Decimal

import pytest

from posapp.domain.changes import NOTHING, ChangeFeed, Changes
from posapp.domain.errors import DomainError
from posapp.domain.invoice import Payment, PaymentMethod
from posapp.services.catalog import CatalogService, ProductInput
from posapp.services.changes import INVOICE_WRITTEN, PAYMENT_RECORDED
from posapp.services.customers import CustomerInput, CustomerService
from posapp.services.invoicing import InvoicingService
from posapp.services.shifts import ShiftService
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


def changes_of(method):
    """What a service method declared it changes (`@writes`), or None if it is not a declared write."""
    declared = getattr(method, "changes", None)
    return declared if isinstance(declared, Changes) else None


@pytest.mark.parametrize("service", [InvoicingService, CatalogService, CustomerService, ShiftService])
def test_every_write_method_declares_its_changes(service):
    """A public method that opens a write transaction must say what it changes."""
    undeclared = [
        name for name, method in inspect.getmembers(service, inspect.isfunction)
        if not name.startswith("_") and "_db.write()" in inspect.getsource(inspect.unwrap(method))
        and changes_of(method) is None
    ]
    assert undeclared == []
