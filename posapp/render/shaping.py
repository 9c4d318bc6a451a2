"""One line of logical text turned into positioned glyphs in drawing order, with the font's own rules.

The pipeline for a line (already wrapped, in logical order):

1. **Bidi levels** from python-bidi's Rust implementation (`bidi.get_display(..., debug=True)`
   reports the resolved embedding level of every UTF-8 byte). It pairs brackets (Unicode bidi
   rule N0), keeps numbers with separators (phones, dates, ``1A-000042``) in their order, and
   lets a right-to-left base direction hold Latin runs.
2. **Runs** of equal level are shaped one by one with HarfBuzz (`uharfbuzz`) on the TrueType
   font itself, in the run's direction and with the whole line as context: the font's own
   contextual forms (also ۀ after a non-joining letter, which has no presentation-form code
   point in Vazirmatn), lam-alef, marks positioned on their base (hamza above, tanwin, ZWNJ
   honoured) and, in right-to-left runs, mirrored brackets.
3. The runs are put in visual order (rule L2) and joined into one reportlab `ShapedStr`, which
   the canvas draws glyph by glyph with HarfBuzz's offsets.

A glyph the font lacks comes back from HarfBuzz as glyph 0 (.notdef, which Vazirmatn leaves
blank): the character is drawn as the replacement character � instead and recorded in
`ShapedLine.missing`, so the caller can say what could not be drawn; nothing disappears.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz
from bidi import get_display
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr, TTFont

_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
_FEATURES = {"kern": True, "liga": True}
REPLACEMENT = "\ufffd"
"""What a character the font lacks is drawn as (Vazirmatn has this glyph)."""
_INVISIBLE = frozenset("\u200c\u200d\u200e\u200f\u00ad\ufeff\u2066\u2067\u2068\u2069")
"""Characters that have no glyph by design (ZWNJ, ZWJ, marks): never reported as missing."""


class ShapingUnavailable(RuntimeError):
    """A font cannot be shaped (uharfbuzz missing or the font is not TrueType)."""


@dataclass(frozen=True)
class ShapedLine:
    """A line ready to draw: `glyphs` in visual order, `advance` in 1/1000 of the font size,
    `missing` the characters the font has no glyph for."""

    text: str
    glyphs: ShapedStr
    advance: float
    missing: frozenset[str]
    ink: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    """Left, bottom, right, top of the inked glyphs around the origin on the baseline, in
    1/1000 of the font size (what the layout checks compare; empty for a blank line)."""

    def width(self, size: float) -> float:
        return self.advance * size / 1000


_LEFT_TO_RIGHT_CLASSES = frozenset({"L", "EN", "AN", "LRE", "LRO", "LRI", "RLE", "RLO", "RLI", "FSI", "PDF", "PDI"})
_RIGHT_TO_LEFT_CLASSES = frozenset({"R", "AL", "AN", "LRE", "LRO", "LRI", "RLE", "RLO", "RLI", "FSI", "PDF", "PDI"})


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """The resolved bidi embedding level of each character of `text` (one paragraph, no
    newline), with a right-to-left (`rtl`) or left-to-right base direction.

    A line with nothing that could open a run of the other direction (no Latin letter or
    digit in a right-to-left line; no Persian letter or Arabic-Indic digit in a left-to-right
    one; no explicit embedding) is all at the base level, which rules W1-N2 give too: most
    labels and amounts take this short way instead of a full run of the algorithm."""
    other = _LEFT_TO_RIGHT_CLASSES if rtl else _RIGHT_TO_LEFT_CLASSES
    if not any(unicodedata.bidirectional(char) in other for char in text):
        return [1 if rtl else 0] * len(text)
    report = get_display(text, base_dir="R" if rtl else "L", debug=True)
    start = report.index("levels:")
    end = report.index("paragraphs:", start)
    byte_levels = [int(level) for level in _LEVEL.findall(report, start, end)]
    levels: list[int] = []
    offset = 0
    for char in text:
        levels.append(byte_levels[offset])
        offset += len(char.encode("utf-8"))
    if offset != len(byte_levels):
        raise ShapingUnavailable(f"python-bidi reported {len(byte_levels)} levels for {offset} bytes")
    return levels


def visual_runs(levels: list[int]) -> list[tuple[int, int, int]]:
    """(start, end, level) runs of equal level, in visual order (Unicode bidi rule L2)."""
    runs: list[tuple[int, int, int]] = []
    start = 0
    for index in range(1, len(levels) + 1):
        if index == len(levels) or levels[index] != levels[start]:
            runs.append((start, index, levels[start]))
            start = index
    if not runs:
        return runs
    highest = max(level for _, _, level in runs)
    lowest_odd = min((level for _, _, level in runs if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(runs):
            if runs[index][2] >= level:
                end = index
                while end < len(runs) and runs[end][2] >= level:
                    end += 1
                runs[index:end] = reversed(runs[index:end])
                index = end
            else:
                index += 1
    return runs


def _font(font_name: str) -> TTFont:
    font = getFont(font_name)
    if not isinstance(font, TTFont) or not font.shapable:
        raise ShapingUnavailable(f"font {font_name!r} cannot be shaped with HarfBuzz (is uharfbuzz installed?)")
    return font


@lru_cache(maxsize=16384)
def shape_line(text: str, font_name: str, rtl: bool) -> ShapedLine:
    """`text` (one line, logical order) shaped with `font_name` in drawing order. A character
    the font has no glyph for is drawn as the replacement character � (Vazirmatn's .notdef
    is blank) and named in `missing`.

    Memoised: labels, units, amounts and product names recur on every invoice; the result is
    independent of the font size (advances are in 1/1000 em)."""
    line = _shape(text, font_name, rtl)
    if not line.missing:
        return line
    drawable = "".join(REPLACEMENT if char in line.missing else char for char in text)
    return dataclasses.replace(_shape(drawable, font_name, rtl), text=text, missing=line.missing)


@lru_cache(maxsize=8)
def _hb_font(font_name: str) -> tuple[TTFont, uharfbuzz.Font, float]:
    """The reportlab font, its HarfBuzz font and the factor from font units to 1/1000 em."""
    font = _font(font_name)
    return font, font.hbFont(1000), 1000 / font.face.unitsPerEm


@lru_cache(maxsize=16384)
def _ink(font_name: str, glyph: int) -> tuple[float, float, float, float] | None:
    """A glyph's inked box (left, top, right, bottom in font units, y up), None if blank."""
    extents = _hb_font(font_name)[1].get_glyph_extents(glyph)
    if extents is None or not extents.width or not extents.height:
        return None
    return (extents.x_bearing, extents.y_bearing, extents.x_bearing + extents.width,
            extents.y_bearing + extents.height)


def _shape(text: str, font_name: str, rtl: bool) -> ShapedLine:
    font, hb_font, unit = _hb_font(font_name)
    face = font.face
    glyph_to_char = face.glyphToChar
    char_widths = face.charWidths
    levels = bidi_levels(text, rtl) if text else []
    pieces: list[str] = []
    shape_data: list[ShapeData] = []
    missing: set[str] = set()
    advance = 0.0
    ink = [float("inf"), float("inf"), float("-inf"), float("-inf")]
    for start, end, level in visual_runs(levels):
        buffer = uharfbuzz.Buffer()
        buffer.add_str(text, start, end - start)
        buffer.direction = "rtl" if level % 2 else "ltr"
        buffer.guess_segment_properties()
        buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
        uharfbuzz.shape(hb_font, buffer, _FEATURES)
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
            glyph = info.codepoint
            if glyph == 0:
                char = text[info.cluster]
                if char not in _INVISIBLE:
                    missing.add(char)
            try:
                code = glyph_to_char[glyph][0]
            except (KeyError, IndexError):
                code = font.hbAddPrivate(hb_font.glyph_to_string(glyph), glyph, position.x_advance)
            x_advance = position.x_advance * unit
            x_offset, y_offset = position.x_offset * unit, position.y_offset * unit
            glyph_ink = _ink(font_name, glyph)
            if glyph_ink is not None:
                left, top, right, bottom = (value * unit for value in glyph_ink)
                ink = [min(ink[0], advance + x_offset + left), min(ink[1], y_offset + bottom),
                       max(ink[2], advance + x_offset + right), max(ink[3], y_offset + top)]
            shape_data.append(ShapeData(info.cluster, x_advance, position.y_advance * unit,
                                        x_offset, y_offset, char_widths[code]))
            pieces.append(chr(code))
            advance += x_advance
    box = (ink[0], ink[1], ink[2], ink[3]) if ink[0] != float("inf") else (0.0, 0.0, 0.0, 0.0)
    return ShapedLine(text, ShapedStr("".join(pieces), shapeData=shape_data), advance,
                      frozenset(missing), box)
