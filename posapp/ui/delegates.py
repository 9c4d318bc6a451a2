"""In-place editors for table cells that validate before committing and say why they refuse.

`ValidatingDelegate` asks a `parse(index, text)` callable (which raises DomainError) before the
model sees the value. While the text is refused, Enter and Tab keep the editor open with what
was typed, the field is marked and the message is shown; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from posapp.domain.errors import DomainError

AnyIndex = QModelIndex | QPersistentModelIndex
_COMMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


class ValidatingDelegate(QStyledItemDelegate):
    """Line-edit delegate; `sig_error` carries the DomainError of refused text."""

    sig_error = Signal(object)

    def __init__(self, parse: Callable[[AnyIndex, str], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parse = parse
        self._language = "fa"

    def set_language(self, language: str) -> None:
        self._language = language

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("cellEditor")
        editor.setProperty("row", index.row())
        editor.setProperty("column", index.column())
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        if isinstance(editor, QLineEdit) and self.error_for(editor, index) is None:
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def error_for(self, editor: QLineEdit, index: AnyIndex) -> DomainError | None:
        """Validate the editor's text; mark the editor and report the error if refused."""
        try:
            self._parse(index, editor.text())
        except DomainError as error:
            editor.setProperty("invalid", True)
            editor.setToolTip(error.message(self._language))
            editor.style().unpolish(editor)
            editor.style().polish(editor)
            QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), error.message(self._language), editor)
            self.sig_error.emit(error)
            return error
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QLineEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _COMMIT_KEYS
        ):
            view = watched.parent()
            while view is not None and not hasattr(view, "model"):
                view = view.parent()
            index = view.model().index(int(watched.property("row")), int(watched.property("column"))) \
                if view is not None else QModelIndex()
            if index.isValid() and self.error_for(watched, index) is not None:
                return True
        return super().eventFilter(watched, event)
