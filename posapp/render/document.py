"""The base invoice renderer: it owns the page template and every theme inherits it.

`InvoiceRenderer.render(invoice, branding)` turns an immutable `Invoice` snapshot into PDF bytes.
The base class lays out the running page header and footer ("صفحه x از y" on every page), the
right-to-left line table whose header row repeats on each page, the totals, payments, notes and
payment QR, and marks cancelled, draft, returned and reduced invoices on every page. A theme is
its theme.toml plus a small subclass that overrides geometry and drawing hooks, never a fork
(ARCHITECTURE.md principle 9). Renderers are stateless after construction apart from cached
styles, so one instance may render many invoices, one at a time.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from posapp.domain.formatting import DisplayUnit, amount_in_words, format_amount, format_quantity
from posapp.domain.invoice import (
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    LineTotals,
    Party,
    PartyKind,
)
from posapp.domain.jalali import format_jalali_date, format_jalali_datetime
from posapp.domain.payment_links import printable_payment_link
from posapp.domain.text import to_persian_digits
from posapp.render.fonts import font_name_for
from posapp.render.qr import QrFlowable
from posapp.render.text import (
    RtlText,
    TextStyle,
    clean,
    draw_block,
    draw_line,
    fit_block,
    fit_lines,
    missing_characters,
    record_box,
    text_width,
)
from posapp.render.theme import Column, Theme

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("fa",)
PAPER_SIZES = {"A4": A4, "A5": A5}
AMOUNT_COLUMNS = frozenset({"unit_price", "gross", "discount", "net", "tax", "total"})
SUMMED_COLUMNS = ("gross", "discount", "net", "tax", "total")
COPY_KEYS = ("seller", "buyer")
STATUS_MARK_ALPHA = 0.22
"""Opacity of the diagonal "cancelled" / "draft" word: clear at a glance, text still legible."""


def load_logo(path: Path | None, max_width: float, max_height: float) -> tuple[ImageReader, float, float] | None:
    """The logo at `path` with the width and height that fit a `max_width` x `max_height` box
    keeping its aspect ratio; None (with a warning) when there is none or it cannot be read."""
    if path is None:
        return None
    try:
        image = ImageReader(str(path))
        image_width, image_height = image.getSize()
        scale = min(max_width / image_width, max_height / image_height)
    except (OSError, ValueError, ZeroDivisionError) as exc:
        log.warning("cannot draw the shop logo %s: %s", path, exc)
        return None
    return image, image_width * scale, image_height * scale


def payment_qr_link(invoice: Invoice) -> str | None:
    """The link a printed QR may carry: only on a sale with something still due, and only a
    link that passes the screen's own check (https on a provider's known host)."""
    if invoice.kind is not InvoiceKind.SALE or invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID):
        return None
    if invoice.totals.balance_due <= 0:
        return None
    return printable_payment_link(invoice.payment_link)


@dataclass(frozen=True)
class Branding:
    """What the shop prints besides the invoice itself. The document language is Persian, the
    only one the document catalogue has; it is a field so the choice is explicit."""

    shop_name: str
    logo_path: Path | None = None
    footer_text: str = ""
    language: str = "fa"

    def __post_init__(self) -> None:
        if self.language not in SUPPORTED_LANGUAGES:
            raise ValueError(f"documents can be printed in {SUPPORTED_LANGUAGES}, not {self.language!r}")


@dataclass(frozen=True)
class RenderOptions:
    """Per-print choices. `paper` is A4 or A5 for page themes (None: the theme's default);
    `receipt_width_mm` is 58 or 80 for the receipt; `copies` lists copy labels ("seller",
    "buyer") to print one after another, None meaning the theme's default."""

    paper: str | None = None
    receipt_width_mm: int = 80
    copies: tuple[str, ...] | None = None
    unit: DisplayUnit = DisplayUnit.RIAL

    def __post_init__(self) -> None:
        if self.paper is not None and self.paper not in PAPER_SIZES:
            raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}, not {self.paper!r}")
        if self.copies is not None and not set(self.copies) <= set(COPY_KEYS):
            raise ValueError(f"copies must be among {COPY_KEYS}, not {self.copies!r}")


@dataclass(frozen=True)
class DocumentContext:
    """One copy of one invoice being rendered."""

    invoice: Invoice
    branding: Branding
    copy: str | None = None


class _NumberedCanvas(Canvas):  # type: ignore[misc]
    """A canvas that holds pages back until the end so each footer can say "page x of y".

    Pages are numbered per copy: a seller's and a buyer's copy each count from one."""

    def __init__(self, *args: Any, finish_page: Callable[..., None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._finish_page = finish_page
        self._held_pages: list[dict[str, Any]] = []
        self.document_context: DocumentContext | None = None
        self.page_in_copy = 0
        """This page's number within its copy, counted as pages begin."""
        self.lines_on_page: list[int] = []
        """Indexes of the invoice lines whose table rows were drawn on this page."""
        self.carried: Decimal | None = None
        """The lines' total carried over from the previous page, if any."""

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals: dict[int, int] = {}
        for state in self._held_pages:
            key = id(state["document_context"])
            totals[key] = totals.get(key, 0) + 1
        seen: dict[int, int] = {}
        for state in self._held_pages:
            self.__dict__.update(state)
            key = id(self.document_context)
            seen[key] = seen.get(key, 0) + 1
            self._finish_page(self, self.document_context, seen[key], totals[key])
            super().showPage()
        super().save()


class LineMarker(Flowable):  # type: ignore[misc]
    """Takes no room; notes on the canvas that invoice line `index` was drawn on this page,
    so a page can carry its lines' running total over to the next."""

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        lines = getattr(self.canv, "lines_on_page", None)
        if lines is not None:
            lines.append(self.index)


class StampFlowable(Flowable):  # type: ignore[misc]
    """A return's or reduction's stamp: bold coloured words in a rounded box, centred."""

    def __init__(self, text: str, style: TextStyle) -> None:
        super().__init__()
        self.text, self.style = text, style
        self.pad = 2.5 * mm

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.text_width = min(text_width(clean(self.text), self.style.font, self.style.size),
                              avail_width - 2 * self.pad)
        self.height = self.style.size * 2.2
        return avail_width, self.height

    def draw(self) -> None:
        canvas = self.canv
        left = (self.width - self.text_width) / 2 - self.pad
        draw_line(canvas, self.text, self.width / 2, self.style.size * 0.75, self.style, kind="mark")
        canvas.setStrokeColor(self.style.colour)
        canvas.setLineWidth(1.6)
        canvas.roundRect(left, 0.8, self.text_width + 2 * self.pad, self.height - 1.6, 3)
        record_box(canvas, "text", self.text, left, 0, left + self.text_width + 2 * self.pad, self.height)


class InvoiceRenderer:
    """Renders invoices with one theme. Subclasses override the hooks below; `render` and the
    page machinery stay here."""

    def __init__(self, theme: Theme, options: RenderOptions | None = None) -> None:
        self.theme = theme
        self.options = options or RenderOptions()
        self.regular = font_name_for(theme.fonts.regular)
        self.bold = font_name_for(theme.fonts.bold)

    # ---- geometry hooks -------------------------------------------------------------------

    @cached_property
    def paper(self) -> str:
        paper = self.options.paper or self.theme.papers[0]
        if paper not in self.theme.papers:
            raise ValueError(f"the {self.theme.name} theme prints on {', '.join(self.theme.papers)}")
        return paper

    @cached_property
    def scale(self) -> float:
        """Font scale for the chosen paper (theme geometry `scale_A5` and the like)."""
        return float(self.theme.geometry.get(f"scale_{self.paper}", 1.0))

    def page_size(self, stories: Sequence[list[Flowable]]) -> tuple[float, float]:
        size: tuple[float, float] = PAPER_SIZES[self.paper]
        return landscape(size) if self.theme.landscape else size

    def geometry(self, key: str) -> float:
        """A theme length in points (theme files give millimetres); `key_A5` and the like,
        when the theme has it, is the length on that paper."""
        return float(self.theme.geometry.get(f"{key}_{self.paper}", self.theme.geometry[key]) * mm)

    def margins(self) -> tuple[float, float, float]:
        """Top, bottom and side margins of the content frame."""
        return self.geometry("margin_top"), self.geometry("margin_bottom"), self.geometry("margin_side")

    # ---- styles ---------------------------------------------------------------------------

    def style(self, size_key: str = "body", *, bold: bool = False, colour: str = "text",
              align: str = "right") -> TextStyle:
        size = getattr(self.theme.fonts, size_key) * self.scale
        leading = self.theme.geometry.get(f"leading_{self.paper}", self.theme.fonts.leading)
        return TextStyle(
            self.bold if bold else self.regular, size, size * leading,
            self.theme.colours[colour], align,  # type: ignore[arg-type]
        )

    @cached_property
    def body(self) -> TextStyle:
        return self.style()

    @cached_property
    def small(self) -> TextStyle:
        return self.style("small", colour="muted")

    @cached_property
    def strong(self) -> TextStyle:
        return self.style(bold=True)

    @cached_property
    def heading(self) -> TextStyle:
        return self.style("heading", bold=True, colour="accent")

    @cached_property
    def cell_padding(self) -> float:
        """Padding inside table cells, narrower on a paper set smaller (A5)."""
        return float(self.theme.table.cell_padding * mm * self.scale)

    def label(self, key: str, **values: object) -> str:
        return self.theme.label(key, **values)

    # ---- formatting (all through the domain helpers) --------------------------------------

    def amount(self, value: Decimal) -> str:
        return format_amount(value, self.options.unit, with_unit=False)

    def digits(self, text: str) -> str:
        return to_persian_digits(text)

    def unit_label(self) -> str:
        return self.label("unit.toman" if self.options.unit is DisplayUnit.TOMAN else "unit.rial")

    def title(self, invoice: Invoice) -> str:
        return self.label(f"title.{invoice.kind.value}")

    def number_text(self, invoice: Invoice) -> str:
        return self.digits(invoice.number or "—")

    def date_text(self, invoice: Invoice, *, with_time: bool = False) -> str:
        moment = invoice.issued_at or invoice.created_at
        return format_jalali_datetime(moment) if with_time else format_jalali_date(moment)

    # ---- rendering ------------------------------------------------------------------------

    def copies(self) -> tuple[str | None, ...]:
        copies = self.theme.copies if self.options.copies is None else self.options.copies
        return tuple(copies) or (None,)

    def render(self, invoice: Invoice, branding: Branding) -> bytes:
        """The invoice as PDF bytes. `invoice` is not changed; nothing is written anywhere.
        Characters the font cannot draw are printed as a box and logged as a warning."""
        pdf, missing = self.render_checked(invoice, branding)
        if missing:
            log.warning("invoice %s: the font has no glyph for %s; printed as a box",
                        invoice.number, " ".join(sorted(missing)))
        return pdf

    def render_checked(self, invoice: Invoice, branding: Branding) -> tuple[bytes, frozenset[str]]:
        """The PDF bytes and the characters that were drawn as a box for want of a glyph."""
        with missing_characters() as missing:
            pdf = self._build(invoice, branding)
        return pdf, frozenset(missing)

    def _build(self, invoice: Invoice, branding: Branding) -> bytes:
        contexts = [DocumentContext(invoice, branding, copy) for copy in self.copies()]
        stories = [self.story(ctx) for ctx in contexts]
        width, height = self.page_size(stories)
        top, bottom, side = self.margins()
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer, pagesize=(width, height), leftMargin=side, rightMargin=side, topMargin=top,
            bottomMargin=bottom, title=f"{self.title(invoice)} {invoice.number or ''}".strip(),
            author=branding.shop_name, creator="posapp", invariant=True, lang="fa-IR",
        )
        templates = []
        for index, ctx in enumerate(contexts):
            frame = Frame(side, bottom, width - 2 * side, height - top - bottom, leftPadding=0,
                          rightPadding=0, topPadding=0, bottomPadding=0, id=f"body{index}")
            templates.append(PageTemplate(f"copy{index}", [frame], onPage=partial(self._on_page, ctx),
                                          onPageEnd=partial(self._on_page_end, ctx)))
        doc.addPageTemplates(templates)
        flowables: list[Flowable] = []
        for index, story in enumerate(stories):
            if index:
                flowables += [NextPageTemplate(f"copy{index}"), PageBreak()]
            flowables += story
        doc.build(flowables, canvasmaker=partial(_NumberedCanvas, finish_page=self._finish_page))
        return buffer.getvalue()

    def _on_page(self, ctx: DocumentContext, canvas: _NumberedCanvas, doc: BaseDocTemplate) -> None:
        if canvas.document_context is not ctx:
            canvas.page_in_copy, canvas.carried = 0, None
        canvas.document_context = ctx
        canvas.page_in_copy += 1
        canvas.lines_on_page = []
        width, height = doc.pagesize
        canvas.saveState()
        self.draw_page_header(canvas, ctx, width, height)
        canvas.restoreState()

    def _on_page_end(self, ctx: DocumentContext, canvas: _NumberedCanvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        self.draw_status_mark(canvas, ctx, width, height)
        canvas.restoreState()
        lines = canvas.lines_on_page
        if lines and max(lines) < len(ctx.invoice.lines) - 1:
            carried = sum((t.total for t in ctx.invoice.totals.lines[: max(lines) + 1]), Decimal(0))
            canvas.saveState()
            self.draw_carried_total(canvas, ctx, width, carried)
            canvas.restoreState()
            canvas.carried = carried

    def draw_carried_total(self, canvas: Canvas, ctx: DocumentContext, width: float, carried: Decimal) -> None:
        """At the foot of a page the lines continue from: the themes that carry totals over
        (the official form) print the running total here."""

    def _finish_page(self, canvas: Canvas, ctx: DocumentContext, page: int, pages: int) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        self.draw_page_footer(canvas, ctx, width, height, page, pages)
        canvas.restoreState()

    # ---- page hooks (canvas drawing) ------------------------------------------------------

    def logo_box(self) -> tuple[float, float]:
        """The largest width and height the logo may take in the page header."""
        height = self.geometry("logo_height")
        return self.theme.geometry.get("logo_width", 0.0) * mm or 3 * height, height

    def draw_logo(self, canvas: Canvas, ctx: DocumentContext, right: float, top: float) -> float:
        """Draw the shop logo inside the theme's logo box with its top-right corner at
        (right, top), scaled to fit and keeping its aspect ratio; returns its width. A missing
        or unreadable logo is skipped with a warning, never fails the invoice."""
        logo = load_logo(ctx.branding.logo_path, *self.logo_box())
        if logo is None:
            return 0.0
        image, width, height = logo
        canvas.drawImage(image, right - width, top - height, width, height, mask="auto")
        record_box(canvas, "image", "logo", right - width, top - height, right, top)
        return width

    def header_fields(self, ctx: DocumentContext) -> list[str]:
        """Number, date and, where they apply, the original invoice and the Moadian tax ID."""
        invoice = ctx.invoice
        fields = [
            f"{self.label('field.number')}: {self.number_text(invoice)}",
            f"{self.label('field.date')}: {self.date_text(invoice, with_time=True)}",
        ]
        if invoice.original_number:
            fields.append(f"{self.label('field.original')}: {self.digits(invoice.original_number)}")
        if invoice.tax_id:
            fields.append(f"{self.label('field.tax_id')}: {invoice.tax_id}")
        return fields

    def header_box(self, height: float) -> tuple[float, float]:
        """Top and bottom y of the running header, above the rule under it."""
        top = height - self.geometry("header_top")
        rule = height - self.geometry("margin_top") + self.geometry("header_gap")
        return top, rule + 1.5 * mm

    def shop_block(self, ctx: DocumentContext, style: TextStyle, width: float,
                   height: float) -> list[tuple[TextStyle, list[str]]]:
        """The shop's name (two lines at most) and its phone and address (two lines), fitted."""
        seller = ctx.invoice.seller
        contact = "  ".join(self.digits(clean(p)) for p in (seller.phone, seller.address) if p)
        return fit_block([(ctx.branding.shop_name, style, 2), (contact, self.small, 2)], width, height)

    def draw_page_header(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float) -> None:
        """Shop logo, name and contact on the right; title, number and date on the left; a rule
        under both. Drawn on every page so each page says which invoice it belongs to. Every
        block keeps to its own column and to the header's height: it wraps, then is set
        smaller, then is cut, and never runs into its neighbour."""
        side = self.geometry("margin_side")
        top, bottom = self.header_box(height)
        right, left = width - side, side
        gap = 5 * mm
        title_style = self.style("title", bold=True, colour="accent", align="left")
        fields = [(clean(text), self.small.with_(align="left"), 1) for text in self.header_fields(ctx)]
        natural = max([text_width(self.title(ctx.invoice), title_style.font, title_style.size),
                       *(text_width(text, style.font, style.size) for text, style, _ in fields)])
        left_width = min(natural, 0.45 * (right - left))
        left_block = fit_block([(self.title(ctx.invoice), title_style, 1), *fields], left_width, top - bottom)
        draw_block(canvas, left_block, left, top)
        logo_width = self.draw_logo(canvas, ctx, right, top)
        name_right = right - (logo_width + 3 * mm if logo_width else 0)
        name_style = title_style.with_(colour=self.theme.colours["text"], align="right")
        room = name_right - left - left_width - gap
        draw_block(canvas, self.shop_block(ctx, name_style, room, top - bottom), name_right, top)
        if ctx.copy:
            self.draw_copy_label(canvas, ctx, width, height)
        rule_y = height - self.geometry("margin_top") + self.geometry("header_gap")
        canvas.setStrokeColor(self.theme.colours["accent"])
        canvas.setLineWidth(self.geometry("rule_width"))
        canvas.line(left, rule_y, right, rule_y)

    def draw_copy_label(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float) -> None:
        """The copy's label, boxed and centred in the strip above the header."""
        text = self.label(f"copy.{ctx.copy}")
        style = self.strong.with_(align="centre")
        strip_top = height - self.theme.geometry.get("band_height", 0.0) * mm
        strip_bottom = height - self.geometry("header_top")
        box_height = style.size * 1.6
        baseline = (strip_top + strip_bottom) / 2 - box_height / 2 + style.size * 0.45
        text_width = draw_line(canvas, text, width / 2, baseline, style, kind="mark")
        pad = 2 * mm
        canvas.setStrokeColor(self.theme.colours["text"])
        canvas.setLineWidth(0.8)
        canvas.roundRect(width / 2 - text_width / 2 - pad, baseline - style.size * 0.45,
                         text_width + 2 * pad, box_height, 2)
        record_box(canvas, "text", text, width / 2 - text_width / 2 - pad, baseline - style.size * 0.45,
                   width / 2 + text_width / 2 + pad, baseline - style.size * 0.45 + box_height)

    def draw_page_footer(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float,
                         page: int, pages: int) -> None:
        side = self.geometry("margin_side")
        y = self.geometry("footer_baseline")
        canvas.setStrokeColor(self.theme.colours["rule"])
        canvas.setLineWidth(0.5)
        canvas.line(side, y + self.small.leading, width - side, y + self.small.leading)
        page_text = self.digits(self.label("page", page=page, pages=pages))
        page_style = self.small.with_(align="left")
        page_width = draw_line(canvas, page_text, side, y, page_style)
        if ctx.branding.footer_text:
            room = width - 2 * side - page_width - 6 * mm
            style, lines = fit_lines(ctx.branding.footer_text, self.small, room, 2)
            for index, line in enumerate(lines):
                draw_line(canvas, line, width - side, y - index * style.leading, style)

    def status_mark(self, invoice: Invoice) -> str | None:
        """The big diagonal word across each page, if the invoice needs one."""
        if invoice.status is InvoiceStatus.CANCELLED:
            return self.label("mark.cancelled")
        if invoice.status is InvoiceStatus.DRAFT:
            return self.label("mark.draft")
        return None

    def correction_stamp(self, invoice: Invoice) -> str | None:
        """The boxed stamp of a return or reduction, naming the invoice it corrects."""
        if invoice.kind is InvoiceKind.SALE:
            return None
        stamp = self.label(f"mark.{invoice.kind.value}")
        if invoice.original_number:
            stamp += f" — {self.label('field.original')} {self.digits(invoice.original_number)}"
        return stamp

    def draw_status_mark(self, canvas: Canvas, ctx: DocumentContext, width: float, height: float) -> None:
        """A translucent diagonal word across cancelled and draft invoices, drawn over the
        content of every page so no table background can hide it."""
        mark = self.status_mark(ctx.invoice)
        if not mark:
            return
        stamp = self.theme.colours["stamp"]
        translucent = Color(stamp.red, stamp.green, stamp.blue, alpha=STATUS_MARK_ALPHA)
        size = min(width, height) / 7
        canvas.translate(width / 2, height / 2)
        canvas.rotate(35)
        draw_line(canvas, mark, 0, -size / 3, TextStyle(self.bold, size, size, translucent, "centre"), kind="mark")

    def stamp_block(self, ctx: DocumentContext) -> list[Flowable]:
        """The boxed stamp of a return or reduction at the head of the document, in the flow
        so it can never cover the seller's or buyer's details."""
        stamp = self.correction_stamp(ctx.invoice)
        if not stamp:
            return []
        style = TextStyle(self.bold, self.theme.fonts.heading * self.scale,
                          self.theme.fonts.heading * self.scale * 1.3, self.theme.colours["stamp"], "centre")
        return [StampFlowable(stamp, style), Spacer(1, self.geometry("block_gap"))]

    # ---- story hooks (flowables) ----------------------------------------------------------

    def story(self, ctx: DocumentContext) -> list[Flowable]:
        """Everything that flows through the pages: parties, lines, summary, signatures."""
        gap = Spacer(1, self.geometry("block_gap"))
        return [
            *self.stamp_block(ctx), *self.opening(ctx), gap, self.lines_table(ctx), Spacer(1, self.geometry("block_gap")),
            *self.closing(ctx),
        ]

    def opening(self, ctx: DocumentContext) -> list[Flowable]:
        return [self.parties_block(ctx)]

    def closing(self, ctx: DocumentContext) -> list[Flowable]:
        return [self.summary_block(ctx), *self.notes_block(ctx)]

    def frame_width(self) -> float:
        width, _ = self.page_size(())
        return width - 2 * self.geometry("margin_side")

    # parties

    def party_fields(self, party: Party, *, show_empty: bool) -> list[tuple[str, str]]:
        """(label, value) pairs describing a seller or buyer; values in Persian digits."""
        id_label = "party.legal_national_id" if party.kind is PartyKind.LEGAL else "party.national_id"
        fields = [
            ("party.name", party.name),
            ("party.economic_code", self.digits(party.economic_code)),
            (id_label, self.digits(party.national_id)),
            ("party.registration_number", self.digits(party.registration_number)),
            ("party.postal_code", self.digits(party.postal_code)),
            ("party.phone", self.digits(" / ".join(p for p in (party.phone, party.mobile) if p))),
            ("party.address", party.address),
        ]
        if party.kind is PartyKind.NATURAL and not party.registration_number and not show_empty:
            fields = [f for f in fields if f[0] != "party.registration_number"]
        return [(self.label(k), v) for k, v in fields if v or show_empty]

    def party_box(self, heading: str, party: Party | None, *, show_empty: bool = False) -> list[Flowable]:
        """A party's heading and fields, one field a line; on A5 the name and address keep
        their own lines and the codes run on together, so the box takes half the height."""
        items: list[Flowable] = [RtlText(heading, self.heading)]
        if party is None:
            items.append(RtlText(self.label("party.walk_in"), self.body))
            return items
        fields = [f"{label}: {value}" for label, value in self.party_fields(party, show_empty=show_empty)]
        if self.paper == "A5" and len(fields) > 3:
            fields = [fields[0], "؛ ".join(fields[1:-1]), fields[-1]]
        items += [RtlText(field, self.body) for field in fields]
        return items

    def parties_block(self, ctx: DocumentContext) -> Flowable:
        """Seller on the right, buyer on the left."""
        width = self.frame_width()
        seller = self.party_box(self.label("party.seller"), ctx.invoice.seller)
        buyer = self.party_box(self.label("party.buyer"), ctx.invoice.buyer)
        table = Table([[buyer, seller]], colWidths=[width / 2, width / 2])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (0, 0), 0.6, self.theme.colours["rule"]),
            ("BOX", (1, 0), (1, 0), 0.6, self.theme.colours["rule"]),
            *self.padding(2 * mm),
        ]))
        return table

    def padding(self, amount: float, cells: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (-1, -1))) -> list[tuple[Any, ...]]:
        start, end = cells
        return [(side, start, end, amount) for side in
                ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")]

    # the line table

    @cached_property
    def header_colours(self) -> tuple[str, str]:
        """Colour keys of the table's header row fill and text: the theme's `table_header`
        and `on_table_header` when it has them (a light row that spares toner), else its accent."""
        if "table_header" in self.theme.colours:
            return "table_header", "on_table_header"
        return "accent", "on_accent"

    def column_header(self, column: Column) -> Flowable:
        text = self.label(f"column.{column.key}")
        if column.key in AMOUNT_COLUMNS:
            text = f"{text} ({self.unit_label()})"
        style = self.style("small", bold=True, colour=self.header_colours[1], align="centre")
        return RtlText(text, style, break_words=False)

    def cell(self, text: str, style: TextStyle) -> RtlText:
        """A table cell's text: shaped, reordered and aligned by its style, never broken
        inside a word (amounts and units read better a little wide than cut in half)."""
        return RtlText(text, style, break_words=False)

    def column_style(self, column: Column, base: TextStyle | None = None) -> TextStyle:
        return (base or self.body).with_(align=column.align)

    def line_values(self, ctx: DocumentContext, index: int, line: InvoiceLine,
                    totals: LineTotals) -> dict[str, Flowable | list[Flowable]]:
        """Every column's cell for one line; tables pick the columns their theme lists."""
        styles = {c.key: self.column_style(c) for c in self.theme.columns}
        body = self.body
        extras = self.hidden_figures(line, totals)
        description: Flowable | list[Flowable] = RtlText(line.description, body)
        if extras:
            description = [description, RtlText(extras, self.small)]
        def number(key: str, text: str) -> Flowable:
            return self.cell(text, styles.get(key, body))
        return {
            "row": [number("row", self.digits(str(index + 1))), LineMarker(index)],
            "code": RtlText(line.product_code, self.small.with_(align="centre")),
            "description": description,
            "quantity": number("quantity", format_quantity(line.quantity)),
            "unit": RtlText(line.unit, body.with_(align="centre"), break_words=False),
            "unit_price": number("unit_price", self.amount(line.unit_price)),
            "gross": number("gross", self.amount(totals.gross)),
            "discount": number("discount", self.amount(totals.discount)),
            "net": number("net", self.amount(totals.net)),
            "tax": number("tax", self.amount(totals.tax)),
            "total": number("total", self.amount(totals.total)),
        }

    def hidden_figures(self, line: InvoiceLine, totals: LineTotals) -> str:
        """The figures of the columns this paper leaves out, as a second line under the
        description, so every line still reconciles: quantity x price - discount + tax = total."""
        hidden = {c.key for c in self.theme.columns} - {c.key for c in self.columns()}
        parts = []
        if "code" in hidden and line.product_code:
            parts.append(f"{self.label('column.code')}: {line.product_code}")
        for key, value in (("gross", totals.gross), ("discount", totals.discount),
                           ("net", totals.net), ("tax", totals.tax)):
            if key in hidden and value:
                parts.append(f"{self.label(f'column.{key}')}: {self.amount(value)}")
        return " — ".join(parts)

    def totals_row(self, ctx: DocumentContext, columns: Sequence[Column]) -> list[Flowable | str]:
        """The table's last row: sums under the amount columns, "جمع کل" spanning the rest."""
        totals = ctx.invoice.totals
        sums = {
            "gross": totals.gross, "discount": totals.discount, "net": totals.net,
            "tax": totals.tax, "total": sum((t.total for t in totals.lines), Decimal(0)),
        }
        row: list[Flowable | str] = [
            self.cell(self.amount(sums[c.key]), self.column_style(c, self.strong)) if c.key in sums else ""
            for c in columns
        ]
        first_label = min(i for i, c in enumerate(columns) if c.key not in SUMMED_COLUMNS)
        row[first_label] = self.cell(self.label("totals.sum"), self.strong.with_(align="centre"))
        return row

    def columns(self) -> list[Column]:
        """The theme's columns in reading order, less those it hides on this paper."""
        hidden = self.theme.table.hidden_on.get(self.paper, ())
        return [c for c in self.theme.columns if c.key not in hidden]

    def column_widths(self, columns: Sequence[Column], width: float) -> list[float]:
        total = sum(c.weight for c in columns)
        return [width * c.weight / total for c in columns]

    def lines_table(self, ctx: DocumentContext) -> Table:
        """The lines, columns reversed so the first theme column is the rightmost; the header
        row repeats at the top of every page."""
        columns = list(reversed(self.columns()))
        rows: list[list[Flowable | str]] = [[self.column_header(c) for c in columns]]
        invoice = ctx.invoice
        for index, (line, line_totals) in enumerate(zip(invoice.lines, invoice.totals.lines, strict=True)):
            values = self.line_values(ctx, index, line, line_totals)
            rows.append([values[c.key] for c in columns])
        look = self.theme.table
        if look.totals_row:
            rows.append(self.totals_row(ctx, columns))
        table = Table(rows, colWidths=self.column_widths(columns, self.frame_width()), repeatRows=1)
        table.setStyle(TableStyle(self.table_commands(columns, len(rows))))
        return table

    def table_commands(self, columns: Sequence[Column], row_count: int) -> list[tuple[Any, ...]]:
        colours = self.theme.colours
        look = self.theme.table
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), self.regular, self.body.size, self.body.leading),
            ("TEXTCOLOR", (0, 0), (-1, -1), colours["text"]),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), colours[self.header_colours[0]]),
            *self.padding(self.cell_padding),
        ]
        for index, column in enumerate(columns):
            commands.append(("ALIGN", (index, 1), (index, -1), column.align.upper().replace("CENTRE", "CENTER")))
        if look.zebra:
            commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, colours["zebra"]]))
        if look.grid:
            commands.append(("GRID", (0, 0), (-1, -1), 0.5, colours["rule"]))
        else:
            commands.append(("LINEBELOW", (0, 1), (-1, -1), 0.4, colours["rule"]))
        if look.totals_row:
            commands += [
                ("FONT", (0, row_count - 1), (-1, row_count - 1), self.bold, self.body.size, self.body.leading),
                ("BACKGROUND", (0, row_count - 1), (-1, row_count - 1), colours["zebra"]),
            ]
            label_index = max(i for i, c in enumerate(columns) if c.key not in SUMMED_COLUMNS)
            first_label = min(i for i, c in enumerate(columns) if c.key not in SUMMED_COLUMNS)
            commands += [
                ("SPAN", (first_label, row_count - 1), (label_index, row_count - 1)),
                ("ALIGN", (first_label, row_count - 1), (label_index, row_count - 1), "CENTER"),
            ]
        return commands

    # summary: totals, payments, words, notes, QR

    def totals_rows(self, ctx: DocumentContext) -> list[tuple[str, str, bool]]:
        """(label, amount text, emphasised) for the totals box, in reading order."""
        invoice, totals = ctx.invoice, ctx.invoice.totals
        rows = [(self.label("totals.gross"), self.amount(totals.gross), False)]
        if totals.discount:
            rows.append((self.label("totals.discount"), self.amount(totals.discount), False))
        if totals.tax:
            rows.append((self.label("totals.tax"), self.amount(totals.tax), False))
        for charge in invoice.charges:
            kind = self.label("charge.deduction" if charge.is_deduction else "charge.addition")
            rows.append((f"{clean(charge.label)} ({kind})", self.amount(charge.amount), False))
        refund = invoice.kind is InvoiceKind.RETURN
        payable_key = "totals.refundable" if refund else "totals.payable"
        rows.append((f"{self.label(payable_key)} ({self.unit_label()})", self.amount(totals.payable), True))
        for payment in invoice.payments:
            method = self.label(f"payment.{payment.method.value}")
            label = self.label("refund.by", method=method) if refund else method
            rows.append((label, self.amount(payment.amount), False))
        if totals.change and not refund:
            rows.append((self.label("totals.change"), self.amount(totals.change), False))
        if totals.balance_due:
            due_key = "totals.refund_due" if refund else "totals.balance_due"
            rows.append((self.label(due_key), self.amount(totals.balance_due), True))
        return rows

    def totals_table(self, ctx: DocumentContext, width: float) -> Table:
        rows = self.totals_rows(ctx)
        data = []
        for label, value, emphasised in rows:
            style = self.strong if emphasised else self.body
            data.append([self.cell(value, style.with_(align="left")), self.cell(label, style)])
        table = Table(data, colWidths=[width * 0.45, width * 0.55])
        colours = self.theme.colours
        commands: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), self.regular, self.body.size, self.body.leading),
            ("TEXTCOLOR", (0, 0), (-1, -1), colours["text"]),
            ("ALIGN", (0, 0), (0, -1), "LEFT"),
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colours["rule"]),
            *self.padding(self.cell_padding),
        ]
        for index, (_, _, emphasised) in enumerate(rows):
            if emphasised:
                commands += [
                    ("FONT", (0, index), (-1, index), self.bold, self.body.size * 1.1, self.body.leading * 1.1),
                    ("BACKGROUND", (0, index), (-1, index), colours["zebra"]),
                ]
        table.setStyle(TableStyle(commands))
        return table

    def words_block(self, ctx: DocumentContext) -> list[Flowable]:
        words = amount_in_words(ctx.invoice.totals.payable, self.options.unit)
        return [RtlText(f"{self.label('totals.in_words')}: {words}", self.strong)]

    def references_block(self, ctx: DocumentContext) -> list[Flowable]:
        """The cancellation and its reason, payment references and the cashier: short lines."""
        invoice = ctx.invoice
        items: list[Flowable] = []
        if invoice.status is InvoiceStatus.CANCELLED and invoice.cancel_reason:
            when = format_jalali_datetime(invoice.cancelled_at) if invoice.cancelled_at else ""
            items.append(RtlText(
                f"{self.label('mark.cancelled')} {when} — {self.label('field.cancel_reason')}: "
                f"{invoice.cancel_reason}", self.strong.with_(colour=self.theme.colours["stamp"]),
            ))
        references = [p for p in invoice.payments if p.reference]
        for payment in references:
            items.append(RtlText(
                f"{self.label(f'payment.{payment.method.value}')}: {payment.reference}", self.small,
            ))
        if invoice.cashier:
            items.append(RtlText(f"{self.label('field.cashier')}: {invoice.cashier}", self.small))
        return items

    def notes_block(self, ctx: DocumentContext) -> list[Flowable]:
        """The invoice's notes as free-flowing text that may run over several pages, so it is
        never put inside a table row (a row cannot be taller than a page)."""
        notes = ctx.invoice.notes.strip()
        if not notes:
            return []
        heading = RtlText(self.label("notes"), self.heading)
        heading.keepWithNext = True
        return [Spacer(1, self.geometry("block_gap")), heading, RtlText(notes, self.body)]

    def qr_block(self, ctx: DocumentContext, h_align: str = "RIGHT") -> list[Flowable]:
        link = payment_qr_link(ctx.invoice)
        if link is None:
            return []
        size = self.geometry("qr_size")
        return [
            Spacer(1, 1.5 * mm),
            QrFlowable(link, size, h_align=h_align),
            RtlText(self.label("qr.caption"), self.small.with_(align="right" if h_align == "RIGHT" else "centre")),
        ]

    def summary_block(self, ctx: DocumentContext) -> Flowable:
        """Totals on the left; amount in words, payments' references and QR on the right,
        where a right-to-left reader looks first."""
        width = self.frame_width()
        gap = 4 * mm
        totals_width = width * 0.42
        info = [*self.words_block(ctx), Spacer(1, 1.5 * mm), *self.references_block(ctx), *self.qr_block(ctx)]
        table = Table([[self.totals_table(ctx, totals_width), info]],
                      colWidths=[totals_width + gap, width - totals_width - gap])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            *self.padding(0),
            ("RIGHTPADDING", (0, 0), (0, 0), gap),
        ]))
        return table

    def signature_boxes(self) -> list[Flowable]:
        """Seller's and buyer's stamp-and-signature boxes; themes that print them add these."""
        width = self.frame_width()
        height = self.geometry("signature_height")
        style = self.small.with_(align="centre", colour=self.theme.colours["text"])
        boxes = [[RtlText(self.label("signature.buyer"), style), RtlText(self.label("signature.seller"), style)]]
        table = Table(boxes, colWidths=[width / 2, width / 2], rowHeights=[height])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BOX", (0, 0), (0, 0), 0.6, self.theme.colours["text"]),
            ("BOX", (1, 0), (1, 0), 0.6, self.theme.colours["text"]),
            *self.padding(2 * mm),
        ]))
        return [Spacer(1, self.geometry("block_gap")), table]

