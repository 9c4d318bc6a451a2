"""Scanning a shop scale's label at the till: the layouts from the settings, the product from the catalogue.

`scan_scale_label` is what the sale screen calls for a code the catalogue does not know: if the
code is a scale label under one of the active layouts, it returns the weighed product and its
quantity; a label with a wrong check digit, or naming a product the catalogue lacks, raises
an error that says so in both languages.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from posapp.domain.errors import DomainError
from posapp.domain.scale_barcodes import (
    ScaleLabel,
    ScaleLabelError,
    ScaleLayout,
    parse_layout,
    read_scale_label,
)
from posapp.services.catalog import ProductView
from posapp.settings.hardware import SCALE_LABEL_LAYOUTS
from posapp.settings.store import SettingsStore

log = logging.getLogger(__name__)


class ProductsByCode(Protocol):
    def find_by_code(self, code: str) -> ProductView | None: ...


@dataclass(frozen=True)
class ScaleScan:
    label: ScaleLabel
    product: ProductView
    quantity: Decimal


def scale_layouts(settings: SettingsStore) -> tuple[ScaleLayout, ...]:
    """The active layouts in their stored order; a damaged entry is skipped with a warning
    (the settings dialog never stores one)."""
    layouts = []
    for text in settings.get(SCALE_LABEL_LAYOUTS):
        try:
            layouts.append(parse_layout(str(text)))
        except DomainError as error:
            log.warning("ignoring a scale label layout: %s", error.message_en)
    return tuple(layouts)


def scan_scale_label(catalog: ProductsByCode, settings: SettingsStore, scanned: str) -> ScaleScan | None:
    """The weighed product on the label `scanned`, or None when it is not a scale label."""
    layouts = scale_layouts(settings)
    if not layouts:
        return None
    label = read_scale_label(scanned, layouts)
    if label is None:
        return None
    stripped = label.product_code.lstrip("0")
    product = catalog.find_by_code(label.product_code)
    if product is None and stripped and stripped != label.product_code:
        product = catalog.find_by_code(stripped)
    if product is None:
        raise ScaleLabelError(
            f"برچسب ترازو کالای «{label.product_code}» را دارد که در فهرست کالاها نیست؛ کد کالا در ترازو و در فهرست باید یکی باشد",
            f"the scale label is for product {label.product_code}, which is not in the catalogue; "
            "the product code on the scale and in the catalogue must match",
        )
    return ScaleScan(label, product, label.quantity(product.price))
