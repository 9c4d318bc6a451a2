"""A date field in the Jalali calendar: type 1405/09/02 (Persian or Latin digits), arrows step days.

Built on QAbstractSpinBox so it has the usual up/down arrows, keyboard stepping and validation
colouring. The value is a Gregorian `datetime.date` (what services take) or None when the field
is left empty and `optional` is set.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QAbstractSpinBox, QWidget

from posapp.domain.errors import ValidationError
from posapp.domain.jalali import format_jalali_date, parse_jalali_date
from posapp.domain.text import to_ascii_digits

_ALLOWED_WHILE_TYPING = set("0123456789/-. ")


class JalaliDateEdit(QAbstractSpinBox):
    """Jalali date entry. `date_changed` fires with the new Gregorian date (or None)."""

    date_changed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        value: date | None = None,
        optional: bool = False,
        persian_digits: bool = True,
    ) -> None:
        super().__init__(parent)
        self._optional = optional
        self._persian_digits = persian_digits
        self._date: date | None = None
        self.setAccelerated(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToPreviousValue)
        self.lineEdit().setPlaceholderText(self.tr("۱۴۰۵/۰۱/۰۱"))
        self.lineEdit().textEdited.connect(self._on_text_edited)
        self.editingFinished.connect(self._commit_text)
        self.set_date(value if value is not None or optional else date.today())

    def date(self) -> date | None:
        return self._date

    def set_date(self, value: date | None) -> None:
        if value is None and not self._optional:
            raise ValueError("this date field needs a date")
        changed = value != self._date
        self._date = value
        self.lineEdit().setText(
            format_jalali_date(value, persian_digits=self._persian_digits) if value else ""
        )
        if changed:
            self.date_changed.emit(value)

    def error(self) -> ValidationError | None:
        """Why the text typed so far is not a date, or None when it is (or empty and optional)."""
        text = self.lineEdit().text().strip()
        if not text and self._optional:
            return None
        try:
            parse_jalali_date(text)
        except ValidationError as exc:
            return exc
        return None

    def validate(self, text: str, pos: int) -> object:
        ascii_text = to_ascii_digits(text).strip()
        if not ascii_text:
            return QValidator.State.Acceptable if self._optional else QValidator.State.Intermediate
        if not set(ascii_text) <= _ALLOWED_WHILE_TYPING:
            return QValidator.State.Invalid
        try:
            parse_jalali_date(ascii_text)
        except ValidationError:
            return QValidator.State.Intermediate
        return QValidator.State.Acceptable

    def fixup(self, text: str) -> str:
        return text

    def stepBy(self, steps: int) -> None:
        self._commit_text()
        self.set_date((self._date or date.today()) + timedelta(days=steps))
        self.selectAll()

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        return (
            QAbstractSpinBox.StepEnabledFlag.StepUpEnabled
            | QAbstractSpinBox.StepEnabledFlag.StepDownEnabled
        )

    def clear(self) -> None:
        if self._optional:
            self.set_date(None)

    def _on_text_edited(self, text: str) -> None:
        error = self.error()
        self.setToolTip(error.message_fa + "\n" + error.message_en if error else "")
        self.setProperty("invalid", error is not None)
        self.style().unpolish(self)
        self.style().polish(self)

    def _commit_text(self) -> None:
        text = self.lineEdit().text().strip()
        if not text and self._optional:
            self.set_date(None)
            return
        try:
            self.set_date(parse_jalali_date(text))
        except ValidationError:
            self.set_date(self._date)
