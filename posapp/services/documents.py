"""Printing use case: render an invoice (or an issued invoice by number) as PDF bytes.

Qt-free, so the CLI, the GUI and tests share it. It reads the shop profile (the seller's logo,
name) and the document settings (theme per document kind, paper, receipt width, footer, unit)
and hands an immutable invoice to the renderer. Rendering is pure: nothing is written to the
database or to disk here; saving and printing belong to the caller.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from posapp.domain.formatting import DisplayUnit
from posapp.domain.invoice import Invoice, is_business_buyer
from posapp.domain.report_table import ReportDocument
from posapp.render.document import PAPER_SIZES, Branding, RenderOptions
from posapp.render.receipt import RECEIPT_WIDTHS
from posapp.render.registry import render_invoice
from posapp.render.theme import THEME_NAMES, load_theme
from posapp.settings.documents import (
    AMOUNT_UNIT,
    CARBON_COPIES,
    FOOTER_TEXT,
    PAPER,
    RECEIPT_WIDTH_MM,
    THEME_SETTINGS,
    DocumentKind,
)
from posapp.settings.shop import SHOP_LOGO_PATH, SHOP_NAME
from posapp.settings.store import SettingsStore

log = logging.getLogger(__name__)


class InvoiceSource(Protocol):
    """What the document service needs from invoicing: an issued invoice by its number."""

    def get_by_number(self, number: str) -> Invoice: ...


@dataclass(frozen=True)
class RenderedDocument:
    pdf: bytes
    theme: str
    file_name: str
    """A suggested file name, e.g. "invoice-1A-000042-modern.pdf"."""


def branding_from_settings(settings: SettingsStore, seller_name: str = "") -> Branding:
    """The shop's display name (the seller's name when the profile has none), logo and footer."""
    logo = settings.get(SHOP_LOGO_PATH).strip()
    logo_path = Path(logo) if logo else None
    if logo_path is not None and not logo_path.is_file():
        log.warning("the shop logo %s does not exist; printing without it", logo_path)
        logo_path = None
    name = settings.get(SHOP_NAME).strip() or seller_name
    return Branding(shop_name=name, logo_path=logo_path, footer_text=settings.get(FOOTER_TEXT).strip())


def document_kind_for(invoice: Invoice) -> DocumentKind:
    """What the cashier's "print" gives for `invoice`: the official sales invoice form for a
    business buyer (a legal entity, or anyone with an economic code), the shop's invoice
    otherwise."""
    return DocumentKind.OFFICIAL if is_business_buyer(invoice) else DocumentKind.INVOICE


def theme_for(settings: SettingsStore, kind: DocumentKind) -> str:
    """The theme chosen for `kind`; an unknown stored name falls back to the kind's default."""
    setting = THEME_SETTINGS[kind]
    name = settings.get(setting).strip().lower()
    if name not in THEME_NAMES:
        log.warning("unknown theme %r in %s; using %s", name, setting.key, setting.default)
        return setting.default
    return name


def options_from_settings(settings: SettingsStore, theme: str) -> RenderOptions:
    """Paper, receipt width, copies and unit from the settings, each checked and defaulted."""
    paper = settings.get(PAPER).strip().upper()
    width = settings.get(RECEIPT_WIDTH_MM)
    unit = settings.get(AMOUNT_UNIT).strip().lower()
    return RenderOptions(
        paper=paper if paper in PAPER_SIZES and paper in load_theme(theme).papers else None,
        receipt_width_mm=width if width in RECEIPT_WIDTHS else RECEIPT_WIDTH_MM.default,
        copies=None if settings.get(CARBON_COPIES) else (),
        unit=DisplayUnit(unit) if unit in DisplayUnit._value2member_map_ else DisplayUnit.RIAL,
    )


class DocumentService:
    """Renders invoices with the shop's settings. Thread-safe: it holds no mutable state, so
    the GUI may render on its background lane."""

    def __init__(self, invoices: InvoiceSource | None, settings: SettingsStore) -> None:
        """`invoices` may be None when only invoices already in hand are rendered."""
        self._invoices = invoices
        self._settings = settings

    def render(self, invoice: Invoice, kind: DocumentKind = DocumentKind.INVOICE, *,
               theme: str | None = None, options: RenderOptions | None = None) -> RenderedDocument:
        """`invoice` as PDF in the theme for `kind` (or `theme`), with options from the settings
        unless `options` is given."""
        theme = theme or theme_for(self._settings, kind)
        options = options or options_from_settings(self._settings, theme)
        branding = branding_from_settings(self._settings, invoice.seller.name)
        pdf = render_invoice(invoice, branding, theme, options)
        number = invoice.number or "draft"
        return RenderedDocument(pdf, theme, f"{kind.value}-{number}-{theme}.pdf")

    def render_number(self, number: str, kind: DocumentKind = DocumentKind.INVOICE, *,
                      theme: str | None = None, options: RenderOptions | None = None) -> RenderedDocument:
        """The issued invoice `number` rendered as by `render`; NotFoundError if there is none."""
        if self._invoices is None:
            raise RuntimeError("this DocumentService was made without an invoice source")
        return self.render(self._invoices.get_by_number(number), kind, theme=theme, options=options)

    def report_pdf(self, document: ReportDocument) -> bytes:
        """A report as A4 PDF, headed with the shop's name and the time it was printed."""
        from posapp.render.report import render_report

        shop_name = branding_from_settings(self._settings).shop_name
        return render_report(document, shop_name, datetime.now(UTC))
