"""Merging a provider's customer into the local customers: found by national ID or mobile (or,
with neither, by the same name), the provider's non-empty fields win, local ones are kept."""

from __future__ import annotations

from posapp.providers.base import RemoteCustomer
from posapp.services.catalog_merge import Merged
from posapp.services.customers import CustomerInput, CustomerService, CustomerView


def _found(customers: CustomerService, remote: RemoteCustomer) -> CustomerView | None:
    for value in (remote.national_id, remote.mobile):
        if value:
            existing = customers.find_exact(value)
            if existing is not None:
                return existing
    if remote.national_id or remote.mobile:
        return None
    # nothing else identifies them: the same name is the same customer
    return next((c for c in customers.search(remote.name, limit=20)
                 if c.name == " ".join(remote.name.split())), None)


def merge_remote_customer(customers: CustomerService, remote: RemoteCustomer) -> Merged:
    """Create a customer, or fill in what the provider knows about one already here; a customer
    that did not change is not written. Raises the store's `DomainError` for a record it
    refuses (a malformed national ID, say)."""
    existing = _found(customers, remote)
    if existing is None:
        if not remote.active:
            return Merged.UNCHANGED
        customers.create(CustomerInput.of(remote))
        return Merged.ADDED
    merged = CustomerInput.of(existing.filled_from(remote)).validated()
    current = CustomerInput.of(existing).validated()
    if merged == current:
        return Merged.UNCHANGED
    customers.update(existing.id, merged)
    return Merged.UPDATED
