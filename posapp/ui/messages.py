"""Telling the user something went wrong without blocking the till (no nested event loops)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from posapp.services.failures import explained


def error_text(error: BaseException, language: str) -> str:
    """The user-facing text of an error: the domain's own message (a database failure's too),
    or the exception's text."""
    known = explained(error)
    if known is not None:
        return known.message(language)
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename or ''}".strip(": ")
    return str(error) or type(error).__name__


def show_warning(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A window-modal warning opened with `open()`, so callers (and tests) never block on it."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("warningBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
