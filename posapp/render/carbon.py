"""The Carbon theme: charcoal monochrome for black-and-white lasers, with copy labels.

By default it prints a seller's copy and a buyer's copy one after the other, each labelled in
its header and numbered from page one; the buyer's copy is the one to hand over.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from posapp.render.document import DocumentContext, InvoiceRenderer


class CarbonRenderer(InvoiceRenderer):
    """Geometry and colours come from themes/carbon/theme.toml; it adds signature boxes."""

    def closing(self, ctx: DocumentContext) -> list[Flowable]:
        return [*super().closing(ctx), *self.signature_boxes()]
