"""The main window: invoice editor at the centre, customer/product/history docks, status bar.

Docks can be moved, floated or closed; their arrangement is saved in the UI settings and
restored at the next start. The default layout gives the sale the room: the history and sync
panes start hidden (Ctrl+3, Ctrl+4 show them), customers and products are tabbed on the right
on screens at least DOCKS_SHOWN_FROM_WIDTH wide. The window and every dialog fit the screen.
Every menu entry and key comes from posapp.ui.actions.
"""

from __future__ import annotations

import base64
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from posapp.domain.access import Permission
from posapp.domain.changes import Changes
from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice
from posapp.domain.jalali import IRAN_TZ
from posapp.settings.store import SettingsStore
from posapp.settings.ui import ALERT_SOUND, WINDOW_GEOMETRY, WINDOW_STATE
from posapp.ui.actions import MENUS, build_actions, translated
from posapp.ui.changes import ChangeHub
from posapp.ui.counter import install_counter_hardware
from posapp.ui.customers import CustomersPane
from posapp.ui.display import Display
from posapp.ui.editor import InvoiceEditor
from posapp.ui.help_overlay import HelpOverlay
from posapp.ui.history import HistoryPane
from posapp.ui.invoice_actions import InvoiceActions
from posapp.ui.invoice_dialogs import HeldInvoicesDialog
from posapp.ui.invoice_model import COL_DISCOUNT, COL_PRICE, COL_QUANTITY
from posapp.ui.messages import error_text, show_warning
from posapp.ui.products import ProductsPane
from posapp.ui.screen_fit import ScreenFitter, fit_to_screen, screen_room
from posapp.ui.shop_day import ShopDay, guarded
from posapp.ui.tasks import TaskContext, TaskManager

if TYPE_CHECKING:
    from posapp.services.context import AppServices
    from posapp.ui.sync_runner import SyncRunner

log = logging.getLogger(__name__)

CLOCK_INTERVAL_MS = 1000
DEFAULT_SIZE = (1280, 800)
DOCKS_SHOWN_FROM_WIDTH = 1280
"""Below this screen width the customers and products panes start hidden (Ctrl+1, Ctrl+2)."""
SIDE_DOCK_SHARE = 0.3
BOTTOM_DOCK_SHARE = 0.4
LAYOUT_VERSION = 1
"""Saved dock layouts of another version are ignored (version 0 gave the history half the
window and squeezed the sale's lines to three rows at 1366×768)."""
DEMO_PRODUCTS = 2000
DEMO_CUSTOMERS = 500
DEMO_INVOICES = 2000


class MainWindow(QMainWindow):
    """The cashier's window. `sig_settings_changed` asks the application to rebuild the
    window after the UI language or amount unit changed (the draft is carried over)."""

    sig_settings_changed = Signal()
    sig_first_shown = Signal()

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        store: SettingsStore,
        display: Display,
        *,
        till: str,
        cashier: str,
        database_name: str,
        allow_price_edit: bool = True,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("posapp — صندوق فروش"))
        self.services = services
        self.tasks = tasks
        self.store = store
        self.display = display
        self._shown_once = False
        self.sync: SyncRunner | None = None
        self.sync_pane: Any = None

        self.editor = InvoiceEditor(services, tasks, display, cashier=cashier,
                                    allow_price_edit=allow_price_edit)
        self.setCentralWidget(self.editor)
        self.editor.sig_message.connect(self.show_message)
        self.editor.sig_issued.connect(self._on_issued)
        self.editor.sig_lookup_failed.connect(lambda _code: self.alert())
        self.editor.customer_button.clicked.connect(self.pick_customer)

        self.customers = CustomersPane(services, tasks, display)
        self.products = ProductsPane(services, tasks, display)
        self.history = HistoryPane(services, tasks, display)
        self.customers.sig_use_customer.connect(self.editor.set_customer)
        self.products.sig_add_product.connect(self.editor.add_product)
        self.history.sig_open_invoice.connect(self.open_invoice)
        self.customers.sig_open_invoice.connect(self.open_invoice)
        for pane in (self.customers, self.products, self.history):
            pane.sig_message.connect(self.show_message)
        self.customers_dock = self._dock("customersDock", self.tr("مشتریان"), self.customers,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.products_dock = self._dock("productsDock", self.tr("کالاها"), self.products,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.history_dock = self._dock("historyDock", self.tr("سابقه فاکتورها"), self.history,
                                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.customers_dock, self.products_dock)
        self.products_dock.raise_()

        self.counter = install_counter_hardware(self)
        self.help_overlay = HelpOverlay(self)
        self.shop_day = ShopDay(self)
        self.invoice_actions = InvoiceActions(self)
        self.change_hub = ChangeHub(services.changes, self)
        self.change_hub.sig_changed.connect(self.on_changes)
        self.actions = build_actions(self)
        self._build_menus()
        self._connect_actions()

        self.till_label = QLabel(self.tr("صندوق: %1").replace("%1", display.number(till)))
        self.cashier_label = QLabel(self.tr("صندوقدار: %1").replace("%1", cashier or "—"))
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clockLabel")
        self.database_label = QLabel(self.tr("پایگاه داده: %1").replace("%1", database_name))
        self.sync_label = QLabel(self.tr("همگام‌سازی: —"))
        self.sync_label.setObjectName("syncLabel")
        for label in (self.till_label, self.cashier_label, self.database_label, self.sync_label,
                      self.clock_label):
            self.statusBar().addPermanentWidget(label)
        self.shop_day.install()
        self.clock = QTimer(self)
        self.clock.setInterval(CLOCK_INTERVAL_MS)
        self.clock.timeout.connect(self._tick)
        self._tick()

        self._fitter = ScreenFitter(self)
        QApplication.instance().installEventFilter(self._fitter)
        self._default_layout()
        self._restore_layout()

    # -- construction ------------------------------------------------------------------------

    def add_pane(self, name: str, title: str, widget: QWidget) -> QDockWidget:
        """Dock another area's pane (for example the sync pane) beside the history; its
        place is remembered with the rest of the layout under `name`."""
        dock = self._dock(name, title, widget, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.history_dock, dock)
        dock.hide()
        self.menus["lists"].addAction(dock.toggleViewAction())
        self._restore_layout()
        return dock

    def attach_sync(self, runner: SyncRunner) -> None:
        """Show background sync in this window: the sync pane beside the history, the status
        bar line, each invoice's state per provider in the history, pay-by-link at payment."""
        from posapp.ui.sync_pane import create_sync_pane

        self.sync = runner
        self.sync_pane = create_sync_pane(runner.engine, self.tasks, worker=runner.worker,
                                          actor=self.editor.draft.cashier)
        self.sync_dock = self.add_pane("syncDock", self.tr("همگام‌سازی"), self.sync_pane)
        self.sync_pane.sig_status_text.connect(self.set_sync_state)
        runner.sig_summary.connect(self._on_sync_summary)
        self.history.set_sync_source(runner.states_for)
        self.editor.link_provider = lambda: runner.link_provider
        self.editor.sig_pay_by_link.connect(self.invoice_actions.pay_just_issued_by_link)
        self.actions["show_sync"].setEnabled(True)
        self.actions["provider_settings"].setEnabled(True)
        self.sync_pane.refresh()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_menus(self) -> None:
        menus = {menu_id: self.menuBar().addMenu(translated(label)) for menu_id, label in MENUS}
        self.menus = menus
        from posapp.ui.actions import ACTIONS

        for spec in ACTIONS:
            menus[spec.menu].addAction(self.actions[spec.id])
            self.addAction(self.actions[spec.id])
        view = menus["lists"]
        view.addSeparator()
        for dock in (self.customers_dock, self.products_dock, self.history_dock):
            view.addAction(dock.toggleViewAction())

    def _connect_actions(self) -> None:
        editor = self.editor
        handlers = {
            "new_invoice": editor.start_new_sale,
            "focus_code": editor.focus_code,
            "search_product": self._search_product,
            "pick_customer": self.pick_customer,
            "walk_in": lambda: editor.set_customer(None),
            "edit_quantity": lambda: editor.edit_current(COL_QUANTITY),
            "edit_price": lambda: editor.edit_current(COL_PRICE),
            "line_discount": lambda: editor.edit_current(COL_DISCOUNT),
            "invoice_discount": editor.ask_invoice_discount,
            "delete_line": editor.delete_current_line,
            "hold": editor.hold,
            "resume": self.show_held,
            "pay": editor.pay,
            "quick_cash": editor.quick_cash,
            "return": self.start_return,
            "cancel_invoice": self.cancel_invoice,
            "reprint": self.reprint_last,
            "show_customers": lambda: self._show_dock(self.customers_dock, self.customers),
            "show_products": lambda: self._show_dock(self.products_dock, self.products),
            "show_history": lambda: self._show_dock(self.history_dock, self.history.table),
            "new_customer": self.customers.new_customer,
            "new_product": self.products.new_product,
            "refresh": self.refresh_lists,
            "import_products": self.products.import_products,
            "export_products": self.products.export_products,
            "backup": self.backup,
            "demo_data": self.add_demo_data,
            "settings": self.open_settings,
            "provider_settings": self.open_provider_settings,
            "show_sync": lambda: self._show_dock(self.sync_dock, self.sync_pane.table),
            "open_drawer": lambda: self.counter.open_drawer(),
            "print_queue": self.counter.show_queue,
            "show_reports": self.open_reports,
            "quit": self.close,
            "help": self.help_overlay.toggle,
        }
        for action_id, handler in handlers.items():
            handler = self.shop_day.guard_action(action_id, handler)
            self.actions[action_id].triggered.connect(lambda _checked=False, h=handler: h())
        for action_id in ("show_sync", "provider_settings"):
            self.actions[action_id].setEnabled(False)  # until attach_sync()

    def action(self, action_id: str) -> QAction:
        return self.actions[action_id]

    # -- layout persistence ------------------------------------------------------------------

    def _default_layout(self) -> None:
        """The first start's layout on this screen: the sale first (see the module docstring);
        the window is maximised when the screen is smaller than DEFAULT_SIZE."""
        room = screen_room(self)
        width, height = DEFAULT_SIZE
        if room.width() <= width or room.height() <= height:
            self.setGeometry(room)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        else:
            self.resize(width, height)
        self.history_dock.hide()
        side_docks_shown = room.width() >= DOCKS_SHOWN_FROM_WIDTH
        for dock in (self.customers_dock, self.products_dock):
            dock.setVisible(side_docks_shown)
        if side_docks_shown:
            self.resizeDocks([self.products_dock], [int(min(room.width(), width) * SIDE_DOCK_SHARE)],
                             Qt.Orientation.Horizontal)

    def _screen_key(self) -> str:
        room = screen_room(self)
        return f"{room.width()}x{room.height()}:"

    def _restore_layout(self) -> None:
        """The layout saved on a screen of this size (dock widths are in pixels: one saved on a
        bigger screen would squeeze the sale), else the default one."""
        geometry = self.store.get(WINDOW_GEOMETRY)
        saved = self.store.get(WINDOW_STATE)
        state = saved.removeprefix(self._screen_key()) if saved.startswith(self._screen_key()) else ""
        try:
            if geometry:
                self.restoreGeometry(QByteArray(base64.b64decode(geometry)))
                fit_to_screen(self)
            if state:
                self.restoreState(QByteArray(base64.b64decode(state)), LAYOUT_VERSION)
        except ValueError:
            log.warning("saved window layout is damaged; using the default layout")

    def save_layout(self) -> None:
        self.store.set(WINDOW_GEOMETRY, base64.b64encode(bytes(self.saveGeometry().data())).decode())
        self.store.set(WINDOW_STATE, self._screen_key()
                       + base64.b64encode(bytes(self.saveState(LAYOUT_VERSION).data())).decode())

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.clock.start()
        self.editor.focus_code()
        if not self._shown_once:
            self._shown_once = True
            self.shop_day.on_shown()
            self.sig_first_shown.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.clock.stop()
        self.change_hub.close()
        if self.sync is not None:
            self.sync.sig_summary.disconnect(self._on_sync_summary)
            self.sync = None
        self.editor.product_search.close()
        self.shop_day.detach()
        self.counter.detach()
        super().closeEvent(event)

    # -- status ------------------------------------------------------------------------------

    def _tick(self) -> None:
        self.clock_label.setText(self.display.datetime(datetime.now(IRAN_TZ)))

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def set_sync_state(self, text: str) -> None:
        """The sync pane's one-line summary: pending, failed, last success, last error."""
        self.sync_label.setText(text)
        self.sync_label.setToolTip(text)

    def _on_sync_summary(self, summary: Any) -> None:
        """A sync cycle ended: name the providers it could not reach. What it wrote (rows sent,
        payments and catalogue pulled) was announced and reached the panes through `on_changes`."""
        if self.sync_pane is not None:
            self.sync_pane.show_unreachable(summary.provider_errors)

    def _show_dock(self, dock: QDockWidget, focus: QWidget) -> None:
        """Show and raise `dock` and give the keyboard to `focus` (its search field or list); a
        list gets its first row selected so arrows and PgDn move at once."""
        if dock.isHidden() and self.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea:
            dock.show()  # under the sale, taking no more than BOTTOM_DOCK_SHARE of the height
            self.resizeDocks([dock], [int(self.height() * BOTTOM_DOCK_SHARE)], Qt.Orientation.Vertical)
        dock.show()
        dock.raise_()
        if isinstance(focus, QAbstractItemView) and focus.model() is not None \
                and not focus.currentIndex().isValid() and focus.model().rowCount():
            focus.setCurrentIndex(focus.model().index(0, 0))
        focus.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def alert(self) -> None:
        """The short sound that marks a failed scan, unless switched off in the settings."""
        if self.store.get(ALERT_SOUND):
            QApplication.beep()

    def refresh_lists(self) -> None:
        """F5: read every list again, for what another process wrote (its writes are not
        announced here)."""
        for pane in (self.customers, self.products, self.history):
            pane.refresh()
        if self.sync_pane is not None:
            self.sync_pane.refresh()

    # -- actions -----------------------------------------------------------------------------

    def _search_product(self) -> None:
        self.editor.code_field.setFocus()
        self.editor.code_field.selectAll()

    def pick_customer(self) -> None:
        from posapp.ui.customers import CustomerPickerDialog

        dialog = CustomerPickerDialog(self.services, self.tasks, self.display, self)
        try:
            if dialog.exec() == CustomerPickerDialog.DialogCode.Accepted and dialog.chosen is not None:
                self.editor.set_customer(dialog.chosen)
        finally:
            dialog.deleteLater()
            self.editor.focus_code()

    def show_held(self) -> None:
        dialog = HeldInvoicesDialog(self.services, self.display, self)
        try:
            if dialog.exec() == HeldInvoicesDialog.DialogCode.Accepted and dialog.chosen_id is not None:
                self.editor.resume(dialog.chosen_id)
        finally:
            dialog.deleteLater()
            self.editor.focus_code()

    def _on_issued(self, invoice: Invoice) -> None:
        self.invoice_actions.after_issue(invoice)

    def on_changes(self, changes: Changes) -> None:
        """The one place that refreshes panes after a committed write, wherever it was made
        (editor, dialogs, panes, the sync worker): each pane that shows a kind of record that
        changed reads it again."""
        if changes.invoices:
            self.history.refresh()
            self.customers.refresh_details()
        if changes.customers:
            self.customers.refresh()
        if changes.products:
            self.products.refresh()
        if changes.shift:
            self.shop_day.refresh_status()
        if changes.outbox:
            self._wake_sync()
        if changes.users:
            self.shop_day.refresh_users()

    def _wake_sync(self) -> None:
        """Outbox rows changed: a sale, return, cancellation, payment or retry queued some (send
        them now), or the sync worker claimed and settled some; the history's sync column and
        the sync pane show where they stand. The worker's own announcements wake it for one more
        cycle, which finds nothing due and sleeps."""
        self.history.refresh_sync_states()
        if self.sync is not None:
            self.sync.wake()
            if self.sync_pane is not None:
                self.sync_pane.refresh()

    # The invoice flows live in posapp.ui.invoice_actions; these are the window's entry points.

    def open_invoice(self, number: str) -> None:
        self.invoice_actions.open_invoice(number)

    def receive_payment(self, invoice: Invoice) -> None:
        self.invoice_actions.receive_payment(invoice)

    def pay_by_link(self, invoice: Invoice) -> None:
        self.invoice_actions.pay_by_link(invoice)

    def start_return(self, number: str | None = None) -> None:
        self.invoice_actions.start_return(number)

    def cancel_invoice(self, number: str | None = None) -> None:
        self.invoice_actions.cancel_invoice(number)

    @property
    def last_issued(self) -> Invoice | None:
        return self.invoice_actions.last_issued

    def reprint_last(self) -> None:
        """Print the last invoice of this shift as it stands now (a payment or a payment link
        may have been added since it was issued)."""
        if self.last_issued is None or not self.last_issued.number:
            self.show_message(self.tr("هنوز فاکتوری در این نوبت صادر نشده است"))
            return
        try:
            current = self.services.invoicing.get_by_number(self.last_issued.number)
        except DomainError as error:
            self.report_error(error)
            return
        self.invoice_actions.last_issued = current
        self.print_invoice(current)

    @guarded(Permission.REPRINT)
    def print_invoice(self, invoice: Invoice) -> None:
        """Render `invoice` with the shop's document settings and open the print preview: the
        official form's theme for a business buyer, the invoice theme otherwise."""
        from posapp.services.documents import document_kind_for
        from posapp.ui.printing import preview_invoice

        try:
            preview_invoice(invoice, self, kind=document_kind_for(invoice), settings=self.store,
                            send_receipt=self.counter.reprint if self.counter.uses_escpos() else None)
        except DomainError as error:
            self.report_error(error)

    def add_demo_data(self) -> None:
        """Fill the database with the Persian demo data set in the background."""
        answer = QMessageBox.question(
            self, self.tr("داده نمایشی"),
            self.tr("%1 کالا، %2 مشتری و %3 فاکتور نمایشی به پایگاه داده افزوده شود؟")
            .replace("%1", self.display.number(DEMO_PRODUCTS))
            .replace("%2", self.display.number(DEMO_CUSTOMERS))
            .replace("%3", self.display.number(DEMO_INVOICES)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        from posapp.services.demo_data import DemoDataGenerator

        def work(context: TaskContext) -> object:
            stages = ("products", "customers", "invoices")

            def progress(stage: str, done: int, total: int) -> None:
                context.check()
                position = stages.index(stage) if stage in stages else 0
                context.report(position * 1000 + (done * 1000 // max(total, 1)), len(stages) * 1000)

            return DemoDataGenerator(self.services, progress=progress).run(
                DEMO_PRODUCTS, DEMO_CUSTOMERS, DEMO_INVOICES)

        self.tasks.run_with_progress(
            self, self.tr("در حال ساختن داده نمایشی…"), work,
            on_done=lambda _report: self.show_message(self.tr("داده نمایشی افزوده شد")),
            on_error=self.report_error,
            on_cancelled=lambda: self.show_message(self.tr("ساختن داده نمایشی متوقف شد")),
        )

    def backup(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("پشتیبان‌گیری"), "posapp-backup.sqlite3",
            self.tr("پایگاه داده (*.sqlite3)"),
        )
        if not path:
            return

        def work(context: TaskContext) -> object:
            return self.services.backup.backup(path, progress=context.report)

        self.tasks.run_with_progress(
            self, self.tr("در حال پشتیبان‌گیری…"), work,
            on_done=lambda _result: self.show_message(self.tr("پشتیبان ذخیره شد: %1").replace("%1", path)),
            on_error=self.report_error,
        )

    def report_error(self, error: BaseException) -> None:
        """Show `error` in the status bar and in a warning box, in the UI's language."""
        text = error_text(error, self.display.language)
        self.show_message(text)
        show_warning(self, self.tr("خطا"), text)

    @guarded(Permission.MANAGE_SETTINGS)
    def open_provider_settings(self) -> None:
        """Pick a provider, edit its settings (credentials go to the keyring) and test the
        connection; after a save the sync worker restarts with the new settings."""
        from PySide6.QtWidgets import QInputDialog

        from posapp.services.sync_settings import provider_names
        from posapp.ui.provider_settings import edit_provider_settings

        providers = provider_names()
        titles = [title_fa if self.display.language == "fa" else title_en
                  for _name, title_fa, title_en in providers]
        title, ok = QInputDialog.getItem(self, self.tr("تنظیمات سامانه‌ها"), self.tr("سامانه:"),
                                         titles, 0, False)
        if not ok or self.sync is None:
            return
        name = providers[titles.index(title)][0]
        if edit_provider_settings(name, self.store, self.tasks, self):
            self.sync.restart()
            self.sync_pane.use(self.sync.engine, self.sync.worker)

    def open_reports(self) -> None:
        """The reports window (Ctrl+5); its module (and Qt Charts) load on first use."""
        from posapp.ui.reports import open_reports

        open_reports(self)

    @guarded(Permission.MANAGE_SETTINGS)
    def open_settings(self, shop_tab: bool = False) -> None:
        from posapp.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.store, self)
        if shop_tab:
            dialog.tabs.setCurrentWidget(dialog.shop_form)
        try:
            if dialog.exec() == SettingsDialog.DialogCode.Accepted and dialog.needs_rebuild:
                self.sig_settings_changed.emit()
        finally:
            dialog.deleteLater()
