"""Service writes say what they changed: `@writes(Changes(...))` on each method that commits.

After the decorated method returns (its transaction committed), the declared `Changes` is
published on the service's database feed (`Database.changes`); a method that raises publishes
nothing, as nothing was kept (unless it names the exceptions after which its transaction was
committed anyway, `kept_on`: a wrong PIN still counts towards a lockout). The declaration is also readable on the method itself
(`InvoicingService.cancel.changes`), so a caller and the tests can see what a write touches
without running it. Services keep their database in `self._db`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from posapp.domain.changes import NOTHING, ChangeFeed, Changes

INVOICE_WRITTEN = Changes(invoices=True, products=True, outbox=True, shift=True)
"""An invoice issued (sale, return, reduction) or cancelled: the invoice (and so its buyer's
balance), the stock it moves, its outbox rows and the shift it is counted in."""
HELD_SALES = Changes(held_sales=True)
SALE_AT_TILL = INVOICE_WRITTEN | HELD_SALES
"""Issuing the till's open sale also drops it from the open sales."""
PAYMENT_RECORDED = Changes(invoices=True, outbox=True, shift=True)
OUTBOX_CHANGED = Changes(outbox=True)
"""Outbox rows queued, claimed, settled, retried or skipped, or what a provider holds of an
invoice (its remote id, state or link): the sync worker's own writes and the queue's commands."""
PRODUCTS = Changes(products=True)
CUSTOMERS = Changes(customers=True)
SHIFT = Changes(shift=True)
USERS = Changes(users=True)
JOURNAL_ONLY = NOTHING
"""A write that only appends to the journal (an approval, a drawer opened): no pane shows it."""

Method = TypeVar("Method", bound=Callable[..., Any])


class _HasDatabase(Protocol):
    @property
    def _db(self) -> _FeedOwner: ...


class _FeedOwner(Protocol):
    @property
    def changes(self) -> ChangeFeed: ...


def writes(changes: Changes, *, kept_on: tuple[type[BaseException], ...] = ()
           ) -> Callable[[Method], Method]:
    """Declare that the decorated service method commits `changes`, and publish them on
    `self._db.changes` once it returned, or raised one of `kept_on` (exceptions it raises after
    committing)."""

    def decorate(method: Method) -> Method:
        @functools.wraps(method)
        def wrapper(self: _HasDatabase, *args: Any, **kwargs: Any) -> Any:
            try:
                result = method(self, *args, **kwargs)
            except kept_on:
                self._db.changes.publish(changes)
                raise
            self._db.changes.publish(changes)
            return result

        setattr(wrapper, "changes", changes)  # noqa: B010 -- read back by tests/services/test_changes.py
        return cast(Method, wrapper)

    return decorate
