"""Service writes say what they changed: `@writes(Changes(...))` on each method that commits.

After the decorated method returns (its transaction committed), the declared `Changes` is
published on the service's database feed (`Database.changes`); a method that raises publishes
nothing, as nothing was kept. The declaration is also readable on the method itself
(`InvoicingService.cancel.changes`), so a caller and the tests can see what a write touches
without running it. Services keep their database in `self._db`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from posapp.domain.changes import ChangeFeed, Changes

INVOICE_WRITTEN = Changes(invoices=True, products=True, outbox=True, shift=True)
"""An invoice issued (sale, return, reduction) or cancelled: the invoice (and so its buyer's
balance), the stock it moves, its outbox rows and the shift it is counted in."""
HELD_SALES = Changes(held_sales=True)
SALE_AT_TILL = INVOICE_WRITTEN | HELD_SALES
"""Issuing the till's open sale also drops it from the open sales."""
PAYMENT_RECORDED = Changes(invoices=True, outbox=True, shift=True)
OUTBOX_QUEUED = Changes(outbox=True)
PRODUCTS = Changes(products=True)
CUSTOMERS = Changes(customers=True)
SHIFT = Changes(shift=True)

Method = TypeVar("Method", bound=Callable[..., Any])


class _HasDatabase(Protocol):
    @property
    def _db(self) -> _FeedOwner: ...


class _FeedOwner(Protocol):
    @property
    def changes(self) -> ChangeFeed: ...


def writes(changes: Changes) -> Callable[[Method], Method]:
    """Declare that the decorated service method commits `changes`, and publish them on
    `self._db.changes` once it returned."""

    def decorate(method: Method) -> Method:
        @functools.wraps(method)
        def wrapper(self: _HasDatabase, *args: Any, **kwargs: Any) -> Any:
            result = method(self, *args, **kwargs)
            self._db.changes.publish(changes)
            return result

        setattr(wrapper, "changes", changes)  # noqa: B010 -- read back by tests/services/test_changes.py
        return cast(Method, wrapper)

    return decorate
