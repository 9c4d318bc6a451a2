"""Forms whose fields show their own validation error right next to them.

`FieldForm` lays out labelled fields, each with an error line under it. `show_error` puts a
domain `ValidationError` on the field it names (or on the form when no field matches); nothing
the user typed is cleared.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from posapp.domain.errors import DomainError, ValidationError


class FieldForm(QWidget):
    """Labelled fields keyed by the domain's field names (`name`, `national_id`, `price`...)."""

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._layout = QFormLayout(self)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.form_error = QLabel()
        self.form_error.setObjectName("errorLabel")
        self.form_error.setWordWrap(True)
        self.form_error.hide()

    def add(self, field: str, label: str, widget: QWidget) -> QWidget:
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(widget)
        column.addWidget(error)
        widget.setObjectName(f"field_{field}")
        self._layout.addRow(label, box)
        self.fields[field] = widget
        self.errors[field] = error
        return widget

    def finish(self) -> None:
        self._layout.addRow(self.form_error)

    def clear_errors(self) -> None:
        for field, label in self.errors.items():
            label.clear()
            label.hide()
            self._mark(self.fields[field], False)
        self.form_error.clear()
        self.form_error.hide()

    def clear_error(self, field: str) -> None:
        if field in self.errors:
            self.errors[field].clear()
            self.errors[field].hide()
            self._mark(self.fields[field], False)

    def show_error(self, error: DomainError) -> None:
        text = error.message(self._language)
        field = error.field if isinstance(error, ValidationError) else ""
        if field in self.errors:
            self.errors[field].setText(text)
            self.errors[field].show()
            self._mark(self.fields[field], True)
            self.fields[field].setFocus()
        else:
            self.form_error.setText(text)
            self.form_error.show()

    def error_text(self, field: str) -> str:
        label = self.errors.get(field)
        return label.text() if label is not None else self.form_error.text()

    @staticmethod
    def _mark(widget: QWidget, invalid: bool) -> None:
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
