"""The text a PDF reader extracts from a drawn line: ActualText written for poppler and for pdfium.

A line is drawn as glyphs in visual order (left to right). Text extractors put the letters
back in logical order with their own, simplified bidi rules, each different, so the text of
a mixed Persian/Latin line, a word joined by ZWNJ or a word with a mark comes out scrambled
unless the document tells them. Each drawn line therefore carries two replacement texts,
measured against poppler 22 (pdftotext, Evince, Okular) and pdfium (pypdfium2 5, Chrome,
the app's preview); each is the string that the reader's own reordering turns into the
line's logical text:

- **poppler** reads the ActualText of a ``/Span`` marked-content sequence with an inline
  property list, and only that tag. It then orders each line from the right: a right-to-left
  section (letters of right-to-left scripts and neutrals) reversed, a left-to-right section
  (Latin letters, digits and number punctuation: bidi classes L, EN, ES, ET, AN, CS, and
  every neutral up to the next right-to-left letter) kept, alternately. It mirrors nothing.
  `for_poppler` builds the string it reorders into the logical line; a neutral that ends a
  left-to-right section before a right-to-left letter (``[256GB] (مشکی)``, ``، نمی‌شود``)
  cannot be placed by that rule, so a left-to-right mark (U+200E, invisible) follows it.
- **pdfium** reads the ActualText of the innermost marked content with a property list,
  whatever its tag, once for all the text objects under it; objects on a line are taken by
  their x position, an object whose own glyphs read right to left contributes its text
  reversed, and with the document's ``/ViewerPreferences /Direction /R2L`` every line is
  then cut into direction classes (L; R/AL; numbers with ES, ET, CS, NSM and BN such as
  ZWNJ; other neutrals) whose order is reversed, brackets mirrored in a right-to-left run.
  `for_pdfium` builds the string that this turns into the logical line. pdfium joins the
  lines of table cells that share a baseline and may put a space between them: a neutral at
  either end of a line would merge with that space, so an invisible mark of the run's
  direction closes such an end.

The line is drawn as ``/Span <</ActualText poppler>> BDC /ReadingOrder <</ActualText pdfium>>
BDC ... EMC EMC`` (see `posapp.render.text`): poppler ignores the inner, non-Span tag; pdfium
takes the inner, innermost one. Spec-wise both are plain marked content; readers that follow
neither rule see the outer Span.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

LEFT_TO_RIGHT_MARK = "\u200e"
RIGHT_TO_LEFT_MARK = "\u200f"
MIRRORED = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")
"""Each bracket and its mirror image, as a right-to-left run draws it."""
_POPPLER_NUMBER_CLASSES = frozenset({"EN", "ES", "ET", "AN", "CS"})
_PDFIUM_WEAK_CLASSES = frozenset({"EN", "AN", "NSM", "CS", "ES", "ET", "BN"})


def _poppler_kind(char: str) -> str:
    """How poppler's line reordering sees a character: "R" right-to-left letter, "L" Latin
    letter or number, "N" neutral."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L" or kind in _POPPLER_NUMBER_CLASSES:
        return "L"
    return "N"


def _pdfium_kind(char: str) -> str:
    """pdfium's direction class (CFX_BidiChar): "L", "R", "W" (weak: numbers, their
    punctuation, marks, ZWNJ) or "N" (neutral)."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    if kind in _PDFIUM_WEAK_CLASSES:
        return "W"
    return "N"


def _runs(text: str, kind_of: dict[str, str]) -> list[tuple[str, str]]:
    runs: list[tuple[str, str]] = []
    for char in text:
        kind = kind_of[char]
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return runs


@lru_cache(maxsize=8192)
def for_poppler(text: str) -> str:
    """The ActualText poppler reorders into `text` (a logical line, right-to-left base)."""
    sections: list[list[str]] = []  # [kind, characters]: "R" sections hold R and N, "L" L and N
    for char in text:
        kind = _poppler_kind(char)
        if sections and (kind == "N" or kind == sections[-1][0]):
            sections[-1][1] += char
        else:
            sections.append(["R" if kind == "N" else kind, char])
    for section in sections:
        if section[0] == "L" and _poppler_kind(section[1][-1]) == "N":
            section[1] += LEFT_TO_RIGHT_MARK
    return "".join(chars[::-1] if kind == "R" else chars for kind, chars in reversed(sections))


@lru_cache(maxsize=8192)
def for_pdfium(text: str) -> str:
    """The ActualText pdfium turns into `text` (a logical line) in a right-to-left document,
    as the text of an object whose glyphs read left to right (see `pdfium_reverses`)."""
    kinds = {char: _pdfium_kind(char) for char in set(text)}
    runs = _runs(text, kinds)
    current = "R"
    parts: list[str] = [RIGHT_TO_LEFT_MARK] if runs and runs[0][0] == "N" else []
    for kind, chars in runs:
        if kind == "R" or (kind == "N" and current == "R"):
            current = "R"
            parts.append(chars.translate(MIRRORED))
        else:
            if kind == "L":
                current = "L"
            parts.append(chars)
    if runs and runs[-1][0] == "N":
        parts.append(RIGHT_TO_LEFT_MARK if current == "R" else LEFT_TO_RIGHT_MARK)
    return "".join(reversed(parts))


@lru_cache(maxsize=8192)
def pdfium_reverses(glyph_text: str) -> bool:
    """Whether pdfium reverses the ActualText of a text object drawing `glyph_text` (the
    Unicode its glyphs map to): it does when their runs of right-to-left letters outnumber
    their runs of Latin letters (measured: a tie reads left to right)."""
    kinds = {char: _pdfium_kind(char) for char in set(glyph_text)}
    runs = [kind for kind, _ in _runs(glyph_text, kinds)]
    right = runs.count("R")
    return right > runs.count("L")


def pdfium_direction_is_a_tie(glyph_text: str) -> bool:
    """Whether glyphs reading `glyph_text` have as many right-to-left runs as Latin ones
    (a number beside a label whose first letter maps to a private-use code, or no letters at
    all): pdfium's reversal of such an object was measured to depend on the text read before
    it, so the line's first object is cut after its first letter, which decides alone."""
    kinds = {char: _pdfium_kind(char) for char in set(glyph_text)}
    runs = [kind for kind, _ in _runs(glyph_text, kinds)]
    return runs.count("R") == runs.count("L")


def pdf_text_string(text: str) -> str:
    """`text` as a PDF hex string in UTF-16 with its byte-order mark."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"
