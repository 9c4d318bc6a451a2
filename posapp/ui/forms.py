"""Forms whose fields show their own validation error right next to them, and fit small screens.

`FieldForm` lays out labelled fields, each with an error line under it, in one column or in
several side by side, with fields that span the whole form (an address) below them. Every field
is wide enough for its hint (`fit_placeholder`). `show_error` puts a domain `ValidationError`
on the field it names (or on the form when no field matches); nothing the user typed is cleared.
`ScrollingForm` holds a form that scrolls when the screen is shorter than it, so the dialog's
buttons below it stay on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStyle,
    QStyleOptionComboBox,
    QStyleOptionFrame,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError, ValidationError
from posapp.ui.screen_fit import fit_to_screen, fitted_size, screen_room

FIELD_MIN_CHARS = 32
"""The narrowest a form's field is, in average characters of its font."""
COLUMN_GAP_CHARS = 3
"""Room between two columns of fields, in average characters."""
LINE_EDIT_MARGIN = 2
"""QLineEdit keeps 2 px on each side of its text inside the style's contents rectangle."""


def placeholder_width(widget: QWidget) -> int:
    """The width `widget` (a line edit, or an editable combo box) needs to show its hint whole,
    as the style sizes it from its contents; 0 when it has no hint."""
    edit = widget.lineEdit() if isinstance(widget, QComboBox) else widget
    if not isinstance(edit, QLineEdit) or not edit.placeholderText():
        return 0
    widget.ensurePolished()
    edit.ensurePolished()
    margins = edit.textMargins()
    text = (edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 2 * LINE_EDIT_MARGIN
            + margins.left() + margins.right() + 1)
    contents = QSize(text, edit.fontMetrics().height())
    if isinstance(widget, QComboBox):
        combo_option = QStyleOptionComboBox()
        widget.initStyleOption(combo_option)
        return widget.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, combo_option,
                                               contents, widget).width()
    frame_option = QStyleOptionFrame()
    edit.initStyleOption(frame_option)
    return edit.style().sizeFromContents(QStyle.ContentsType.CT_LineEdit, frame_option,
                                         contents, edit).width()


def fit_placeholder(widget: QWidget) -> None:
    """Make `widget` at least as wide as its hint, so the hint is read whole."""
    widget.setMinimumWidth(max(widget.minimumWidth(), placeholder_width(widget)))


class FieldForm(QWidget):
    """Labelled fields keyed by the domain's field names (`name`, `national_id`, `price`...),
    in `columns` columns side by side (`add(..., column=1)`) and full-width rows below them
    (`add(..., wide=True)`)."""

    def __init__(self, language: str, parent: QWidget | None = None, *, columns: int = 1) -> None:
        super().__init__(parent)
        self._language = language
        outer = QVBoxLayout(self)
        side_by_side = QHBoxLayout()
        outer.addLayout(side_by_side)
        self._columns = [QFormLayout() for _ in range(columns)]
        for index, column in enumerate(self._columns):
            column.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            if index:
                side_by_side.addSpacing(self.fontMetrics().averageCharWidth() * COLUMN_GAP_CHARS)
            side_by_side.addLayout(column, 1)
        self._wide = QFormLayout()
        self._wide.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self._wide)
        self._labels: list[QLabel] = []
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.form_error = QLabel()
        self.form_error.setObjectName("errorLabel")
        self.form_error.setWordWrap(True)
        self.form_error.hide()
        self._min_field_width = self.fontMetrics().averageCharWidth() * FIELD_MIN_CHARS

    def add(self, field: str, label: str, widget: QWidget, *, column: int = 0,
            wide: bool = False) -> QWidget:
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        box = QWidget()
        box_column = QVBoxLayout(box)
        box_column.setContentsMargins(0, 0, 0, 0)
        box_column.setSpacing(1)
        box_column.addWidget(widget)
        box_column.addWidget(error)
        widget.setObjectName(f"field_{field}")
        if isinstance(widget, QLineEdit | QComboBox):
            widget.setMinimumWidth(max(widget.minimumWidth(), self._min_field_width))
            fit_placeholder(widget)
        caption = QLabel(label)
        caption.setBuddy(widget)
        form = self._wide if wide else self._columns[column]
        form.addRow(caption, box)
        if wide or column == 0:
            self._labels.append(caption)
        self.fields[field] = widget
        self.errors[field] = error
        return widget

    def finish(self) -> None:
        """Below the last field: the form's own error line. The labels of the first column and
        of the full-width rows share one width, so their fields start in one line."""
        self._wide.addRow(self.form_error)
        widest = max((label.sizeHint().width() for label in self._labels), default=0)
        for label in self._labels:
            label.setMinimumWidth(widest)

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
            self._reveal(self.fields[field])
        else:
            self.form_error.setText(text)
            self.form_error.show()
            self._reveal(self.form_error)

    def error_text(self, field: str) -> str:
        label = self.errors.get(field)
        return label.text() if label is not None else self.form_error.text()

    def _reveal(self, widget: QWidget) -> None:
        """Scroll the field with the problem into view when the form is in a ScrollingForm."""
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(widget)

    @staticmethod
    def _mark(widget: QWidget, invalid: bool) -> None:
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


class ScrollingForm(QScrollArea):
    """A form (or any tall widget) whose window opens, and grows as error lines appear, to the
    form's whole height while the screen has room; past that the form scrolls top to bottom and
    the dialog's buttons below it stay on the screen (`posapp.ui.screen_fit` trims the window)."""

    def __init__(self, form: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scrollingForm")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(form)
        form.setAutoFillBackground(False)  # the dialog's own background shows through
        self.viewport().setAutoFillBackground(False)
        form.installEventFilter(self)
        self._sized: QSize | None = None
        """The window size this form last asked for."""

    def _bar_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:
        form = self.widget()
        hint = form.sizeHint()
        if form.hasHeightForWidth():  # wrapped error lines: as tall as they are at that width
            hint.setHeight(max(hint.height(), form.heightForWidth(hint.width())))
        return QSize(hint.width() + self._bar_width(), hint.height())

    def minimumSizeHint(self) -> QSize:
        least = self.widget().minimumSizeHint()
        return QSize(least.width() + self._bar_width(), min(least.height(), 4 * self.fontMetrics().height()))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._follow_form()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            self.updateGeometry()
            self._follow_form()
        return False

    def _follow_form(self) -> None:
        """Qt opens a window at most 2/3 of the screen high and never resizes it for new
        content: follow the form's height (error lines come and go) until the cashier resizes
        the window by hand."""
        window = self.window()
        if self._sized is not None and window.size() != self._sized:
            return
        hint = window.sizeHint() if self._sized is not None else window.sizeHint().expandedTo(window.size())
        wanted = fitted_size(hint, screen_room(window))
        if wanted != window.size():
            window.resize(wanted)
            if window.isVisible():
                fit_to_screen(window)
        self._sized = window.size()
