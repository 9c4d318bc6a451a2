"""The Persian text pipeline for reportlab: shaping, line breaking and right-to-left reordering.

reportlab neither joins Arabic-script letters nor reorders right-to-left text dependably (see
RENDERING.md), so every string on a page goes through this module:

1. `shape` joins letters in *logical* order with arabic-reshaper (lam-alef, ZWNJ kept);
2. `wrap_text` breaks the shaped text into lines that fit a width, still in logical order,
   measuring with the font's real advance widths;
3. `to_visual` reorders each finished line with python-bidi's `bidi.algorithm.get_display`
   (the implementation that mirrors brackets), right-to-left base direction.

User text is never parsed as markup: `RtlText` is a small flowable of its own, not a reportlab
`Paragraph`, so `<font>`, `&` or `<img>` in a customer's name are printed literally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

Align = Literal["right", "centre", "left"]

# Strong right-to-left letters (Hebrew, Arabic script and its presentation forms); Arabic-Indic
# and Persian digits and separators are not letters: a number alone reads left to right.
_RTL_LETTER = re.compile(
    "[\u0590-\u05ff\u0600-\u065f\u066e-\u06ef\u06fa-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]"
)
# Invisible controls a pasted string may carry: explicit bidi overrides/isolates (they could
# spoof the order of what is printed) and C0/C1 controls other than the line break.
_UNPRINTABLE = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x09\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u3000]+")

_reshaper = arabic_reshaper.ArabicReshaper(
    configuration={"delete_harakat": True, "support_ligatures": True, "delete_tatweel": False},
)


def clean(text: str) -> str:
    """User text made printable: controls removed, runs of spaces collapsed, CRLF unified."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNPRINTABLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", part).strip() for part in text.split("\n"))


def has_rtl(text: str) -> bool:
    return _RTL_LETTER.search(text) is not None


@lru_cache(maxsize=8192)
def shape(text: str) -> str:
    """Join Arabic-script letters into their contextual forms, keeping logical order.

    Memoised: reshaping is a pure function of the text, and labels, units and product names
    recur on every invoice."""
    if not has_rtl(text):
        return text
    return _reshaper.reshape(text)


@lru_cache(maxsize=8192)
def to_visual(line: str) -> str:
    """One finished line in drawing order. The base direction is right-to-left whenever the
    line holds Persian letters; an all-Latin line (a product model, a URL) keeps left-to-right
    so its trailing punctuation stays where a reader expects it. Memoised like `shape`."""
    return get_display(line, base_dir="R" if has_rtl(line) else "L")


def visual_line(text: str) -> str:
    """A short single-line string (a label, an amount) shaped and reordered for drawing."""
    return to_visual(shape(text))


def _break_long_word(word: str, font: str, size: float, width: float) -> list[str]:
    """Split a word wider than `width` (a long code or URL) into pieces that fit."""
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and stringWidth(shape(current + char), font, size) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap_text(text: str, font: str, size: float, width: float, *, break_words: bool = True) -> list[str]:
    """`text` (logical order, may hold newlines) broken into shaped lines no wider than
    `width`, still in logical order; reorder each with `to_visual` when drawing. A word wider
    than a line is split when `break_words`, otherwise it overflows (short column headers and
    units read better a little wide than cut in half)."""
    lines: list[str] = []
    space = stringWidth(" ", font, size)
    for paragraph in clean(text).split("\n"):
        words = paragraph.split(" ")
        # Spaces never join letters, so shaping the paragraph once and splitting it gives
        # each word's shaped form (lam-alef ligatures shorten words, never merge them).
        shaped_words = shape(paragraph).split(" ")
        current: list[str] = []
        current_width = 0.0
        for word, shaped in zip(words, shaped_words, strict=True):
            word_width = stringWidth(shaped, font, size)
            pieces = [(shaped, word_width)]
            if word_width > width and break_words:
                pieces = [
                    (shape(piece), stringWidth(shape(piece), font, size))
                    for piece in _break_long_word(word, font, size, width)
                ]
            for piece, piece_width in pieces:
                needed = piece_width + (space if current else 0.0)
                if current and current_width + needed > width:
                    lines.append(" ".join(current))
                    current, current_width = [piece], piece_width
                else:
                    current.append(piece)
                    current_width += needed
        lines.append(" ".join(current))
    return lines


@dataclass(frozen=True)
class TextStyle:
    """How a run of text looks: a registered font name, size and leading in points."""

    font: str
    size: float
    leading: float
    colour: Color = black
    align: Align = "right"

    def with_(self, **changes: object) -> TextStyle:
        values = {**self.__dict__, **changes}
        return TextStyle(**values)  # type: ignore[arg-type]

    @property
    def baseline_offset(self) -> float:
        """Distance from the top of a line box down to the baseline, glyphs centred in it."""
        return _baseline_offset(self.font, self.size, self.leading)


@lru_cache(maxsize=256)
def _baseline_offset(font: str, size: float, leading: float) -> float:
    ascent, descent = getAscentDescent(font, size)
    return (leading - (ascent - descent)) / 2 + ascent


def draw_line(canvas: Canvas, text: str, x: float, y: float, style: TextStyle) -> float:
    """Draw one line of logical `text` with its baseline at `y`, anchored at `x` (the right
    edge, centre or left edge, after `style.align`). Returns the drawn width."""
    visual = visual_line(clean(text).replace("\n", " "))
    canvas.setFont(style.font, style.size)
    canvas.setFillColor(style.colour)
    width = stringWidth(visual, style.font, style.size)
    if style.align == "right":
        canvas.drawString(x - width, y, visual)
    elif style.align == "centre":
        canvas.drawString(x - width / 2, y, visual)
    else:
        canvas.drawString(x, y, visual)
    return width


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
    canvas.setFont(style.font, style.size)
    canvas.setFillColor(style.colour)
    baseline = height - style.baseline_offset
    for line in lines:
        visual = to_visual(line)
        if style.align == "right":
            canvas.drawRightString(width, baseline, visual)
        elif style.align == "centre":
            canvas.drawCentredString(width / 2, baseline, visual)
        else:
            canvas.drawString(0, baseline, visual)
        baseline -= style.leading
