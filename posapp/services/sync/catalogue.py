"""The catalogue pull: products and customers from a provider into the local store, from where
the last pull of that provider stopped. The merging rules belong to the catalogue and customer
services (`posapp.services.catalog_merge`, `posapp.services.customer_merge`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from posapp.domain.errors import DomainError
from posapp.providers.base import Capability, RemoteCustomer, RemoteProduct
from posapp.services.catalog_merge import Merged, merge_remote_product
from posapp.services.customer_merge import merge_remote_customer
from posapp.services.sync.results import CatalogueSummary
from posapp.settings.store import Setting

if TYPE_CHECKING:
    from posapp.services.sync.engine import SyncEngine


def _cursor_setting(provider: str, kind: str) -> Setting[str]:
    return Setting(f"sync.cursor.{provider}.{kind}", "", str,
                   f"where the last {kind} pull from {provider} stopped (ISO time, UTC)")


def _parse_cursor(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def pull_catalogue(engine: SyncEngine, name: str) -> CatalogueSummary:
    """Products and customers from `name` into the local store, from where the last pull of
    that provider stopped (its cursor is kept in the settings). A record the store refuses
    (a malformed national ID, a duplicate barcode) is counted and reported, not fatal."""
    settings = engine.services.settings
    products_key = _cursor_setting(name, "products")
    customers_key = _cursor_setting(name, "customers")
    started = engine.clock()
    result = CatalogueSummary(provider=name)
    with engine.client_pool(name).lease() as client:
        if client.supports(Capability.PULL_PRODUCTS):
            since = _parse_cursor(settings.get(products_key))
            for product in client.pull_products(since):
                result = result.merge(_product(engine, product))
            settings.set(products_key, started.isoformat())
        if client.supports(Capability.PULL_CUSTOMERS):
            since = _parse_cursor(settings.get(customers_key))
            for customer in client.pull_customers(since):
                result = result.merge(_customer(engine, customer))
            settings.set(customers_key, started.isoformat())
    return result


def _product(engine: SyncEngine, remote: RemoteProduct) -> CatalogueSummary:
    try:
        merged = merge_remote_product(engine.services.catalog, remote)
    except DomainError as exc:
        return CatalogueSummary(remote.provider, refused=(
            f"{remote.code}: {exc.message_fa} / {exc.message_en}",))
    return CatalogueSummary(remote.provider, products_added=int(merged is Merged.ADDED),
                            products_updated=int(merged is Merged.UPDATED))


def _customer(engine: SyncEngine, remote: RemoteCustomer) -> CatalogueSummary:
    try:
        merged = merge_remote_customer(engine.services.customers, remote)
    except DomainError as exc:
        return CatalogueSummary(remote.provider, refused=(
            f"{remote.code or remote.name}: {exc.message_fa} / {exc.message_en}",))
    return CatalogueSummary(remote.provider, customers_added=int(merged is Merged.ADDED),
                            customers_updated=int(merged is Merged.UPDATED))
