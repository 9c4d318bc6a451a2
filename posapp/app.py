"""Composition root for the GUI: QApplication, fonts, translators, database, services, window.

`run_gui` opens the services on the configured database, applies the UI language (translators
and the application-wide layout direction), loads Vazirmatn and the stylesheet, and shows the
main window. Changing the language or amount unit in the settings rebuilds the window live,
carrying the sale in progress over.

With POSAPP_EXIT_WHEN_SHOWN=1 the app prints `window-shown <seconds>` (seconds since the
process started) once the main window is first shown, and quits: the cold-start benchmark
uses it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from posapp.services.context import AppServices

log = logging.getLogger(__name__)

EXIT_WHEN_SHOWN_ENV = "POSAPP_EXIT_WHEN_SHOWN"


def _process_uptime() -> float:
    """Seconds since this process started (from the OS), for start-up measurements."""
    try:
        import psutil

        return time.time() - psutil.Process().create_time()
    except ImportError:  # psutil is a test/bench dependency; fall back to interpreter time
        return time.perf_counter()


def database_display_name(url: str) -> str:
    """What the status bar shows for a database URL: the file name, or the URL without password."""
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).name or url
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


class PosApplication:
    """Owns the long-lived objects (settings, services, task helper) and the main window,
    which it can rebuild when the UI language or unit changes."""

    def __init__(self, qt_app: Any, store: Any, services: AppServices, database_name: str) -> None:
        from posapp.ui.tasks import TaskManager

        self.qt_app = qt_app
        self.store = store
        self.services = services
        self.database_name = database_name
        self.tasks = TaskManager()
        self.sync: Any = None
        """The SyncRunner, made once the first window is on screen (it loads the provider
        clients, which the cashier need not wait for)."""
        self.window: Any = None

    def build_window(self) -> Any:
        from posapp.domain.formatting import DisplayUnit
        from posapp.settings.shop import TILL_CODE
        from posapp.settings.ui import (
            ALLOW_PRICE_EDIT,
            CASHIER_NAME,
            DISPLAY_UNIT,
            UI_LANGUAGE,
            display_unit_or_default,
        )
        from posapp.ui.display import Display
        from posapp.ui.i18n import apply_language
        from posapp.ui.main_window import MainWindow

        language = apply_language(self.qt_app, self.store.get(UI_LANGUAGE))
        display = Display(language, DisplayUnit(display_unit_or_default(self.store.get(DISPLAY_UNIT))))
        window = MainWindow(
            self.services, self.tasks, self.store, display,
            till=self.store.get(TILL_CODE), cashier=self.store.get(CASHIER_NAME),
            database_name=self.database_name, allow_price_edit=self.store.get(ALLOW_PRICE_EDIT),
        )
        if self.window is None:  # the first window of this run: bring back an unfinished sale
            window.editor.restore_open_sale()
        window.sig_settings_changed.connect(self.rebuild_window)
        window.sig_first_shown.connect(lambda: self._attach_sync_later(window))
        self.window = window
        return window

    def _attach_sync_later(self, window: Any) -> None:
        """Sync joins the window just after it is first shown, so it never delays start-up."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: self._attach_sync(window))

    def _attach_sync(self, window: Any) -> None:
        if window is not self.window:
            return  # rebuilt meanwhile; the new window attaches itself
        if self.sync is None:
            from posapp.ui.sync_runner import SyncRunner

            self.sync = SyncRunner(self.services)
        window.attach_sync(self.sync)
        self.sync.start()

    def rebuild_window(self) -> None:
        """Replace the window after a language or unit change; the draft comes along."""
        old = self.window
        draft = old.editor.draft
        customer_name = old.editor.customer_label.text() if draft.customer_id is not None else ""
        old.sig_settings_changed.disconnect(self.rebuild_window)
        old.close()
        old.deleteLater()
        window = self.build_window()
        if draft.cashier_id is None:  # no users: the cashier's name comes from the settings
            draft = draft.with_changes(cashier=window.editor.draft.cashier)
        window.editor.set_draft(draft, customer_name)
        if window.editor.draft.till != draft.till:  # the till code changed: the sale moves with it
            self.services.invoicing.keep_open_sale(draft.with_changes(lines=()))
        window.show()

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.close()
        if self.sync is not None:
            self.sync.stop()
        self.tasks.shutdown()
        self.services.close()


def load_stylesheet() -> str:
    from posapp.paths import resources_dir

    path = resources_dir() / "styles" / "posapp.qss"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        log.warning("stylesheet %s is missing", path)
        return ""


def create_qt_application() -> Any:
    """The one QApplication, with font, icon and stylesheet (translators come per window)."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from posapp.paths import resources_dir
    from posapp.ui.i18n import load_application_font

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("posapp")
    app.setOrganizationName("posapp")
    load_application_font(app)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "posapp.svg")))
    app.setStyleSheet(load_stylesheet())
    return app


def report_start_failure(qt_app: Any, store: Any, url: str, error: BaseException) -> None:
    """Tell the cashier, in their language, that the database could not be opened and why."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from posapp.settings.ui import UI_LANGUAGE
    from posapp.ui.i18n import apply_language
    from posapp.ui.messages import error_text

    language = apply_language(qt_app, store.get(UI_LANGUAGE))
    QMessageBox.critical(
        None, QCoreApplication.translate("App", "posapp باز نشد"),
        QCoreApplication.translate("App", "پایگاه داده «%1» باز نشد:").replace(
            "%1", database_display_name(url)) + "\n" + error_text(error, language),
    )


def ask_for_shop_profile_when_empty(window: Any, store: Any) -> None:
    """On a first start (no shop name yet) the settings open on the shop's tab as soon as the
    window shows: no invoice can be issued without the shop's name (issue 11)."""
    from PySide6.QtCore import QTimer

    from posapp.settings.shop import SHOP_NAME

    if not store.get(SHOP_NAME).strip():
        window.sig_first_shown.connect(lambda: QTimer.singleShot(0, lambda: window.open_settings(shop_tab=True)))


def run_gui(args: argparse.Namespace) -> int:
    from posapp.paths import default_database_url
    from posapp.services.context import AppServices
    from posapp.settings.store import SettingsStore

    qt_app = create_qt_application()
    store = SettingsStore()
    url = getattr(args, "database_url", None) or default_database_url()
    try:
        services = AppServices.open(url, settings=store)
    except Exception as error:
        log.exception("could not open the database %s", database_display_name(url))
        report_start_failure(qt_app, store, url, error)
        return 1
    from posapp.settings.ui import UI_LANGUAGE
    from posapp.ui.i18n import apply_language
    from posapp.ui.shop_day import ask_first_owner

    ask_first_owner(services, apply_language(qt_app, store.get(UI_LANGUAGE)))
    pos = PosApplication(qt_app, store, services, database_display_name(url))
    window = pos.build_window()
    if os.environ.get(EXIT_WHEN_SHOWN_ENV):
        def report_and_quit() -> None:
            print(f"window-shown {_process_uptime():.3f}", flush=True)
            qt_app.quit()

        from PySide6.QtCore import QTimer

        window.sig_first_shown.connect(lambda: QTimer.singleShot(0, report_and_quit))
    else:
        ask_for_shop_profile_when_empty(window, store)
    window.show()
    try:
        return int(qt_app.exec())
    finally:
        pos.shutdown()
