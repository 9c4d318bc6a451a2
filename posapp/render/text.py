"""The Persian text pipeline for reportlab: cleaning, line breaking, shaping and drawing.

reportlab neither reorders right-to-left text nor, by itself, applies a font's Arabic-script
rules dependably (see RENDERING.md), so every string on a page goes through this module:

1. `clean` makes user text printable (controls and bidi overrides removed, Arabic ي/ك made
   Persian, ASCII digits in Persian text made Persian; see `persian_print_form`);
2. `wrap_text` breaks it into lines that fit a width, in logical order, measuring each word
   as HarfBuzz shapes it;
3. `draw_line` / `draw_lines` shape each finished line with `posapp.render.shaping` (bidi
   levels from python-bidi, glyphs and marks from HarfBuzz, brackets paired and mirrored) and
   draw it with its letters as ActualText (base letters, not presentation forms, ZWNJ
   kept), written so that poppler and pdfium both extract it in logical order
   (`posapp.render.text_layer`): text extraction and search find what was printed.

Characters the font cannot draw are drawn as the font's visible .notdef box and collected by
`missing_characters()` while a document is rendered, so the caller can report them.

User text is never parsed as markup: `RtlText` is a small flowable of its own, not a reportlab
`Paragraph`, so `<font>`, `&` or `<img>` in a customer's name are printed literally.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from reportlab.lib.colors import Color, black
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfdoc import PDFName
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from posapp.domain.text import persian_print_form
from posapp.render.shaping import ShapedLine, bidi_levels, shape_line, visual_runs
from posapp.render.text_layer import (
    MIRRORED,
    for_pdfium,
    for_poppler,
    pdf_text_string,
    pdfium_direction_is_a_tie,
    pdfium_reverses,
)

Align = Literal["right", "centre", "left"]

# Strong right-to-left letters (Hebrew, Arabic script and its presentation forms); Arabic-Indic
# and Persian digits and separators are not letters: a number alone reads left to right.
_RTL_LETTER = re.compile(
    "[\u0590-\u05ff\u0600-\u065f\u066e-\u06ef\u06fa-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f]"
)
RLM = "\u200f"
"""A right-to-left mark: put first, it makes a line right-to-left even when it holds only
Latin text and digits (a numbered product name on a receipt)."""
# Invisible controls a pasted string may carry: explicit bidi overrides/isolates (they could
# spoof the order of what is printed) and C0/C1 controls other than the line break.
_UNPRINTABLE = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u3000]+")
# A number with separators inside (a phone, postal or card number, a date, 1A-000042, SN8-3550):
# after Persian letters its digits count as Arabic numbers, and a hyphen between two of those
# splits it into pieces laid out right to left (۰۲۱-۸۸۷۷ would read ۸۸۷۷-۰۲۱). Each such token
# is drawn inside a left-to-right isolate so it keeps its order.
_NUMBER_TOKEN = re.compile(
    "(?=[\\w]*[0-9۰-۹٠-٩])[0-9A-Za-z۰-۹٠-٩]+"
    "(?:[-/.:,٫٬][0-9A-Za-z۰-۹٠-٩]+)+"
    # A negative figure (posapp.domain.formatting signs it with U+2212, its isolate cleaned
    # away): the sign goes inside the isolate with its digits, before them and on their left.
    "|\u2212[0-9۰-۹٠-٩]+(?:[.,٫٬][0-9۰-۹٠-٩]+)*"
)
_ISOLATES = str.maketrans("", "", "\u2066\u2069")

_missing: ContextVar[set[str] | None] = ContextVar("posapp_render_missing", default=None)


@dataclass(frozen=True)
class DrawnBox:
    """Where something was drawn, in page coordinates (points, origin bottom left): `kind`
    is "text", "mark" (a stamp or watermark meant to lie over the page) or "image"."""

    page: int
    kind: str
    text: str
    left: float
    bottom: float
    right: float
    top: float
    size: float = 0.0
    """The font size of a line of text (0 for images and frames)."""

    def overlaps(self, other: DrawnBox, tolerance: float = 0.2) -> bool:
        return (self.page == other.page and self.left < other.right - tolerance
                and other.left < self.right - tolerance and self.bottom < other.top - tolerance
                and other.bottom < self.top - tolerance)


_layout: ContextVar[list[DrawnBox] | None] = ContextVar("posapp_render_layout", default=None)


@contextmanager
def recorded_layout() -> Iterator[list[DrawnBox]]:
    """Collect, while the block runs, the page box of every line of text and image drawn:
    the layout tests check that nothing leaves its page or lands on something else."""
    boxes: list[DrawnBox] = []
    token = _layout.set(boxes)
    try:
        yield boxes
    finally:
        _layout.reset(token)


def record_box(canvas: Canvas, kind: str, text: str, left: float, bottom: float,
               right: float, top: float, size: float = 0.0) -> None:
    """Note a drawn box (in the canvas's current coordinates) when a layout is recorded."""
    sink = _layout.get()
    if sink is None:
        return
    a, b, c, d, e, f = canvas._currentMatrix
    xs, ys = [], []
    for x, y in ((left, bottom), (left, top), (right, bottom), (right, top)):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    sink.append(DrawnBox(canvas.getPageNumber(), kind, text, min(xs), min(ys), max(xs), max(ys), size))


@contextmanager
def missing_characters() -> Iterator[set[str]]:
    """Collect, while the block runs, every character drawn as a box because the font has
    no glyph for it (an emoji, a check mark); the set is filled as pages are drawn."""
    found: set[str] = set()
    token = _missing.set(found)
    try:
        yield found
    finally:
        _missing.reset(token)


def clean(text: str) -> str:
    """User text made printable: controls removed, runs of spaces collapsed, CRLF unified,
    Arabic letter forms and digits made Persian (`persian_print_form`)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNPRINTABLE.sub("", text)
    text = persian_print_form(text)
    return "\n".join(_SPACES.sub(" ", part).strip() for part in text.split("\n"))


def has_rtl(text: str) -> bool:
    return _RTL_LETTER.search(text) is not None


def isolate_numbers(text: str) -> str:
    """`text` with each number that holds separators wrapped in a left-to-right isolate."""
    return _NUMBER_TOKEN.sub(lambda match: f"\u2066{match.group()}\u2069", text)


@lru_cache(maxsize=16384)
def shaped(text: str, font: str) -> ShapedLine:
    """One line shaped for drawing. The base direction is right-to-left whenever the line
    holds Persian letters; an all-Latin line (a product model, a URL) keeps left-to-right so
    its trailing punctuation stays where a reader expects it."""
    return shape_line(isolate_numbers(text), font, has_rtl(text))


def text_width(text: str, font: str, size: float) -> float:
    """The drawn width of one line of logical `text`, as HarfBuzz shapes it."""
    return shaped(text, font).width(size)


@lru_cache(maxsize=16384)
def extraction_text(text: str) -> str:
    """The line's characters in the order its glyphs are drawn (left to right): base letters,
    not presentation forms, right-to-left runs reversed with their brackets as seen. Tests use
    it to check bracket pairing and number order without rasterising."""
    rtl = has_rtl(text)
    text = isolate_numbers(text)
    parts = []
    for start, end, level in visual_runs(bidi_levels(text, rtl)):
        run = text[start:end]
        parts.append(run[::-1].translate(MIRRORED) if level % 2 else run)
    return "".join(parts).translate(_ISOLATES)


def draw_shaped(canvas: Canvas, text: str, x: float, y: float, font: str, size: float,
                kind: str = "text") -> float:
    """Draw one clean logical line with its left end at `x` and baseline at `y`; returns
    the drawn width. The line carries its text for extractors (see `_text_object`)."""
    line = shaped(text, font)
    sink = _missing.get()
    if sink is not None and line.missing:
        sink.update(line.missing)
    if line.ink[2] > line.ink[0]:
        scale = size / 1000
        record_box(canvas, kind, text, x + line.ink[0] * scale, y + line.ink[1] * scale,
                   x + line.ink[2] * scale, y + line.ink[3] * scale, size)
    _reads_right_to_left(canvas)
    canvas.setFont(font, size)
    canvas._code.append(_text_object(canvas, text, font, size, x, y))
    return line.width(size)


def _reads_right_to_left(canvas: Canvas) -> None:
    """Declare the document's text right to left (``/ViewerPreferences /Direction /R2L``),
    once: the reading order pdfium's text extraction assumes (see `posapp.render.text_layer`)."""
    catalog = canvas._doc.Catalog
    if getattr(catalog, "ViewerPreferences", None) is None:
        canvas.setViewerPreference("Direction", PDFName("R2L"))


def _text_object(canvas: Canvas, text: str, font_name: str, size: float, x: float, y: float) -> str:
    """The PDF operators drawing shaped `text` with its left end at (x, y): TJ arrays per font
    subset, kerned wherever HarfBuzz's advance differs from the glyph's width, a text rise for
    a mark HarfBuzz lifts or lowers. (reportlab draws a ShapedStr the same way glyph by
    glyph, one text object per call, at about three times the cost.)

    The line sits in two ActualText spans, one for poppler and one for pdfium (see
    `posapp.render.text_layer`); pdfium takes its text from the line's first (leftmost) text
    object and reverses it when that object's glyphs read right to left, so it is written
    reversed then."""
    font = getFont(font_name)
    doc = canvas._doc
    scale = size / 1000
    glyphs = shaped(text, font_name).glyphs
    data = glyphs.__shapeData__
    operators = [f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm"]
    first_object: str | None = None
    glyph_text = str(glyphs)
    poppler_and_pdfium, reversed_for_pdfium, cut_first = line_text_layer(text, font_name)
    rise = 0.0
    index = 0

    def show(items: list[str]) -> None:
        nonlocal first_object
        operators.append(f"[{' '.join(items)}] TJ")
        if first_object is None:
            first_object = glyph_text[:index]

    for subset, chunk in font.splitString(glyphs, doc):
        operators.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf")
        items: list[str] = []
        run = bytearray()
        for code in chunk:
            shape = data[index]
            glyph_rise = shape.y_offset * scale
            if glyph_rise != rise or shape.x_offset:
                if run:
                    items.append(f"({escapePDF(bytes(run))})")
                    run.clear()
                if glyph_rise != rise:
                    if items:
                        show(items)
                        items = []
                    operators.append(f"{fp_str(glyph_rise)} Ts")
                    rise = glyph_rise
                if shape.x_offset:
                    items.append(fp_str(-shape.x_offset))
            run.append(code)
            index += 1
            adjust = shape.width - shape.x_advance + shape.x_offset
            if abs(adjust) > 0.001:
                items += [f"({escapePDF(bytes(run))})", fp_str(adjust)]
                run.clear()
            if first_object is None and cut_first and _strong(glyph_text[index - 1]):
                if run:
                    items.append(f"({escapePDF(bytes(run))})")
                    run.clear()
                show(items)
                items = []
        if run:
            items.append(f"({escapePDF(bytes(run))})")
        if items:
            show(items)
    if rise:
        operators.append("0 Ts")
    operators.append("ET")
    spans = reversed_for_pdfium if pdfium_reverses(first_object or "") else poppler_and_pdfium
    return f"{spans} {' '.join(operators)} EMC EMC"


def _strong(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("L", "R", "AL")


@lru_cache(maxsize=8192)
def line_text_layer(text: str, font: str) -> tuple[str, str, bool]:
    """A line's two marked-content openings (poppler's Span, then pdfium's ReadingOrder),
    with pdfium's text as written for a left-to-right first object and reversed for a
    right-to-left one; and whether its first object must be cut after its first letter."""
    logical = text.replace(RLM, "")
    poppler = f"/Span <</ActualText {pdf_text_string(for_poppler(logical))}>> BDC"
    pdfium = for_pdfium(logical)
    return (f"{poppler} /ReadingOrder <</ActualText {pdf_text_string(pdfium)}>> BDC",
            f"{poppler} /ReadingOrder <</ActualText {pdf_text_string(pdfium[::-1])}>> BDC",
            pdfium_direction_is_a_tie(str(shaped(text, font).glyphs)))


def _break_long_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a word wider than `width` (a long code or URL) into pieces that fit."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap_text(text: str, font: str, size: float, width: float, *, break_words: bool = True) -> list[str]:
    """`text` (logical order, may hold newlines) cleaned and broken into lines no wider than
    `width`, still in logical order (see `wrapped_lines`, which it copies from its memo)."""
    return list(wrapped_lines(text, font, size, width, break_words))


@lru_cache(maxsize=8192)
def wrapped_lines(text: str, font: str, size: float, width: float, break_words: bool) -> tuple[str, ...]:
    """Memoised line breaking. A word wider than a line is split when `break_words`,
    otherwise it overflows (short column headers read better a little wide than cut in half).
    Spaces never join letters, so each word is measured as shaped on its own."""
    lines: list[str] = []
    space = text_width(" ", font, size)
    for paragraph in clean(text).split("\n"):
        current: list[str] = []
        current_width = 0.0
        for word in paragraph.split(" "):
            word_width = text_width(word, font, size)
            pieces = [(word, word_width)]
            if word_width > width and break_words:
                pieces = [(piece, text_width(piece, font, size))
                          for piece in _break_long_word(word, font, size, width)]
            for piece, piece_width in pieces:
                needed = piece_width + (space if current else 0.0)
                if current and current_width + needed > width:
                    lines.append(" ".join(current))
                    current, current_width = [piece], piece_width
                else:
                    current.append(piece)
                    current_width += needed
        lines.append(" ".join(current))
    return tuple(lines)


@dataclass(frozen=True)
class TextStyle:
    """How a run of text looks: a registered font name, size and leading in points."""

    font: str
    size: float
    leading: float
    colour: Color = black
    align: Align = "right"

    def with_(self, **changes: Any) -> TextStyle:
        return dataclasses.replace(self, **changes)

    @property
    def baseline_offset(self) -> float:
        """Distance from the top of a line box down to the baseline, glyphs centred in it."""
        return _baseline_offset(self.font, self.size, self.leading)


@lru_cache(maxsize=256)
def _baseline_offset(font: str, size: float, leading: float) -> float:
    ascent, descent = getAscentDescent(font, size)
    return float((leading - (ascent - descent)) / 2 + ascent)


def _cut(line: str, style: TextStyle, width: float) -> str:
    """`line` shortened to end in an ellipsis within `width`: whole words dropped first,
    letters only when a single word is too long."""
    words = line.split(" ")
    while len(words) > 1 and (text_width(" ".join(words) + " …", style.font, style.size) > width
                               or words[-1] in ("و", "-", "—")):
        words.pop()
    cut = " ".join(words)
    while cut and text_width(cut + " …", style.font, style.size) > width:
        cut = cut[:-1]
    return cut.rstrip(" ،,؛") + " …"


def fit_block(items: list[tuple[str, TextStyle, int]], width: float,
              height: float) -> list[tuple[TextStyle, list[str]]]:
    """Several texts stacked in a `width` x `height` box, each (text, style, most lines):
    each is wrapped and shrunk by `fit_lines`; if together they are still too tall, all are
    set smaller (down to 60 %), then the last lines are cut with an ellipsis."""
    def fitted(scale: float) -> list[tuple[TextStyle, list[str]]]:
        return [fit_lines(text, style.with_(size=style.size * scale, leading=style.leading * scale),
                          width, most) for text, style, most in items if text]

    def total(block: list[tuple[TextStyle, list[str]]]) -> float:
        return sum(style.leading * len(lines) for style, lines in block)

    block = fitted(1.0)
    if total(block) > height:
        block = fitted(max(0.6, height / total(block)))
    while block and total(block) > height:
        style, lines = block[-1]
        if len(lines) > 1:
            block[-1] = (style, [*lines[:-2], lines[-2].rstrip() + " …"])
        else:
            block.pop()
    return block


def draw_block(canvas: Canvas, block: list[tuple[TextStyle, list[str]]], x: float, top: float) -> float:
    """Draw a fitted block from `top` down, each line anchored at `x` by its style's
    alignment; returns the y where the block ends."""
    y = top
    for style, lines in block:
        for line in lines:
            draw_line(canvas, line, x, y - style.baseline_offset, style)
            y -= style.leading
    return y


def _anchored_left(x: float, width: float, align: Align) -> float:
    if align == "right":
        return x - width
    if align == "centre":
        return x - width / 2
    return x


def draw_line(canvas: Canvas, text: str, x: float, y: float, style: TextStyle, kind: str = "text") -> float:
    """Draw one line of logical `text` with its baseline at `y`, anchored at `x` (the right
    edge, centre or left edge, after `style.align`). Returns the drawn width. `kind` "mark"
    tells the layout checks the line is meant to lie over the page (a stamp, a watermark)."""
    line = clean(text).replace("\n", " ")
    canvas.setFillColor(style.colour)
    width = text_width(line, style.font, style.size)
    return draw_shaped(canvas, line, _anchored_left(x, width, style.align), y, style.font, style.size, kind)


def fit_lines(text: str, style: TextStyle, width: float, max_lines: int,
              min_scale: float = 0.7) -> tuple[TextStyle, list[str]]:
    """`text` wrapped to `width` in at most `max_lines` lines: first wrapped, then set smaller
    (down to `min_scale` of the size), and only then cut with an ellipsis. Returns the style
    used and the lines, so a header block never runs into its neighbours."""
    scale = 1.0
    while True:
        fitted = style.with_(size=style.size * scale, leading=style.leading * scale)
        lines = wrap_text(text, fitted.font, fitted.size, width)
        if len(lines) <= max_lines or scale <= min_scale:
            break
        scale = max(min_scale, scale - 0.05)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _cut(lines[max_lines - 1], fitted, width)]
    return fitted, lines


class RtlText(Flowable):  # type: ignore[misc]
    """A block of plain text, wrapped to the available width and drawn right-to-left.

    The text is never interpreted as markup. It splits across frames and pages line by line.
    `max_lines` truncates (used on narrow receipts for very long names) with an ellipsis."""

    def __init__(self, text: str, style: TextStyle, *, max_lines: int | None = None,
                 break_words: bool = True) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.max_lines = max_lines
        self.break_words = break_words
        self._lines: list[str] = []
        self._wrapped_for: float | None = None

    def _layout(self, width: float) -> list[str]:
        if self._wrapped_for != width:
            lines = wrap_text(self.text, self.style.font, self.style.size, width,
                              break_words=self.break_words)
            if self.max_lines is not None and len(lines) > self.max_lines:
                lines = [*lines[: self.max_lines - 1], lines[self.max_lines - 1] + " …"]
            self._lines = lines
            self._wrapped_for = width
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = len(self._layout(avail_width)) * self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._layout(avail_width)
        fits = int(avail_height // self.style.leading)
        if fits <= 0 or fits >= len(lines):
            return []
        return [_PresetLines(lines[:fits], self.style), _PresetLines(lines[fits:], self.style)]

    def draw(self) -> None:
        draw_lines(self.canv, self._layout(self.width), self.width, self.height, self.style)


class _PresetLines(RtlText):
    """The part of an `RtlText` left over after a split: its lines are already broken."""

    def __init__(self, lines: list[str], style: TextStyle) -> None:
        super().__init__("", style)
        self._preset = lines

    def _layout(self, width: float) -> list[str]:
        return self._preset


def draw_lines(canvas: Canvas, lines: list[str], width: float, height: float, style: TextStyle) -> None:
    """Draw already wrapped logical `lines` top-down inside a box of `width` x `height`."""
    canvas.setFillColor(style.colour)
    baseline = height - style.baseline_offset
    anchor = {"right": width, "centre": width / 2, "left": 0.0}[style.align]
    for line in lines:
        line_width = text_width(line, style.font, style.size)
        draw_shaped(canvas, line, _anchored_left(anchor, line_width, style.align), baseline,
                    style.font, style.size)
        baseline -= style.leading
