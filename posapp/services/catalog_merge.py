"""Merging a provider's product into the local catalogue: create it by code, or bring the
provider's name, price, unit and barcode into the product found, writing only what changed."""

from __future__ import annotations

from enum import StrEnum

from posapp.providers.base import RemoteProduct
from posapp.services.catalog import CatalogService, ProductInput


class Merged(StrEnum):
    """What merging one remote record did to the local store."""

    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    """Nothing was written: the record matched, or an inactive one was not there to update."""


def merge_remote_product(catalog: CatalogService, remote: RemoteProduct) -> Merged:
    """Create or update one product by code; a product that did not change is not written,
    so a repeated pull costs reads only. Raises the store's `DomainError` for a record it
    refuses (a duplicate barcode, say)."""
    existing = catalog.find_by_code(remote.code)
    if existing is None:
        if not remote.active:
            return Merged.UNCHANGED
        catalog.create(ProductInput(
            name=remote.name, code=remote.code, price=remote.price or 0,
            unit=remote.unit or "عدد", barcodes=(remote.barcode,) if remote.barcode else ()))
        return Merged.ADDED
    barcodes = existing.barcodes
    if remote.barcode and remote.barcode not in barcodes and remote.barcode != existing.code:
        barcodes = (*barcodes, remote.barcode)
    name = remote.name or existing.name
    price = existing.price if remote.price is None else remote.price
    unit = remote.unit or existing.unit
    if (name, price, unit, barcodes) == (existing.name, existing.price, existing.unit, existing.barcodes):
        return Merged.UNCHANGED
    catalog.update(existing.id, ProductInput(
        name=name, code=existing.code, price=price, unit=unit, stock=existing.stock,
        tax_rate_override=existing.tax_rate_override, tax_exempt=existing.tax_exempt,
        barcodes=barcodes))
    return Merged.UPDATED
