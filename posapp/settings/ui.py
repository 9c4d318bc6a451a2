"""Settings of the user interface: language, how amounts are shown, window layout, cashier."""

from __future__ import annotations

from posapp.settings.store import Setting

SUPPORTED_LANGUAGES = ("fa", "en")
"""UI languages; Persian is the source language of every string, English comes from .qm files."""

DISPLAY_UNITS = ("rial", "toman")

UI_LANGUAGE: Setting[str] = Setting(
    "ui.language", "fa", str, "UI language: fa (right-to-left, default) or en",
)
DISPLAY_UNIT: Setting[str] = Setting(
    "ui.display_unit", "rial", str, "Show amounts in rial or toman (amounts are always kept in Rial)",
)
ALLOW_PRICE_EDIT: Setting[bool] = Setting(
    "ui.allow_price_edit", True, bool, "Whether the cashier may change a line's unit price",
)
CASHIER_NAME: Setting[str] = Setting(
    "ui.cashier_name", "", str, "Name of the person at this till, written on invoices",
)
ALERT_SOUND: Setting[bool] = Setting(
    "ui.alert_sound", True, bool, "Sound a short alert when a scanned or typed code is not found",
)
WINDOW_GEOMETRY: Setting[str] = Setting(
    "ui.window.geometry", "", str, "Main window geometry (base64 of QWidget.saveGeometry)",
)
WINDOW_STATE: Setting[str] = Setting(
    "ui.window.state", "", str,
    "Dock and toolbar layout: the screen size it was saved on, then base64 of QMainWindow.saveState",
)


def language_or_default(value: str) -> str:
    """A supported language code; anything else falls back to Persian."""
    return value if value in SUPPORTED_LANGUAGES else UI_LANGUAGE.default


def display_unit_or_default(value: str) -> str:
    return value if value in DISPLAY_UNITS else DISPLAY_UNIT.default
