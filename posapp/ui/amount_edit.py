"""A line edit for money: digits grouped by thousands as they are typed, Persian in the Persian UI.

The cashier may type Persian, Arabic-Indic or Latin digits (a keypad, a Persian keyboard, a
scanner); each keystroke is shown back in the UI's digits with thousands separators, the caret
staying after the digit just typed. `Display.parse_amount` reads the text back as Rial.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from posapp.domain.text import to_ascii_digits
from posapp.ui.display import Display

DECIMAL_POINTS = ".٫"
"""Amounts shown in Toman may have one decimal place."""
GROUPING = ",٬"


def grouped_digits(text: str, display: Display) -> str:
    """`text` as the field shows it: digits (and one decimal point) only, in the UI's digits, the
    whole part grouped by thousands. Anything else typed is dropped."""
    ascii_text = to_ascii_digits(text)
    whole, point, fraction = "", "", ""
    for ch in ascii_text:
        if ch.isdigit() and ch.isascii():
            if point:
                fraction += ch
            else:
                whole += ch
        elif ch in DECIMAL_POINTS and not point:
            point = "."
    grouped = f"{int(whole):,}" if whole else ""
    if point:
        grouped = (grouped or "0") + "." + fraction
    if display.persian_digits:
        return display.number(grouped.replace(",", "٬").replace(".", "٫"))
    return grouped


def _digits_before(text: str, position: int) -> int:
    return sum(1 for ch in text[:position] if to_ascii_digits(ch).isdigit() or ch in DECIMAL_POINTS)


class AmountEdit(QLineEdit):
    """An amount field in the display's unit; `set_amount(rial)` fills it, the text is read with
    `Display.parse_amount`."""

    def __init__(self, display: Display, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._display = display
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setPlaceholderText(display.number(0))
        self.textEdited.connect(self._regroup)

    def set_amount(self, rial: Decimal) -> None:
        self.setText(grouped_digits(self._display.amount_for_editing(rial), self._display))

    def _regroup(self, text: str) -> None:
        shown = grouped_digits(text, self._display)
        if shown == text:
            return
        typed_before_caret = _digits_before(text, self.cursorPosition())
        self.setText(shown)
        self.setModified(True)  # typed by the cashier, even though the text was regrouped
        position, seen = 0, 0
        while position < len(shown) and seen < typed_before_caret:
            if to_ascii_digits(shown[position]).isdigit() or shown[position] in DECIMAL_POINTS:
                seen += 1
            position += 1
        self.setCursorPosition(position)
