"""The shop's day in the main window: when the sign-in screen, the lock (Ctrl+L and idle),
manager approval, the shift and cash dialogs, the X/Z/day reports and the first-owner question
appear (the dialogs themselves are in `posapp.ui.shop_day_dialogs`).

`ShopDay` is created by the main window and owns all of it; the window calls `guard_action`
for its action table and decorates its guarded methods with `guarded(permission)`. Another
feature that needs a permission (for example opening the drawer without a sale) calls
`window.shop_day.run_permitted(Permission.OPEN_DRAWER, action, detail)`: the action runs at
once for a user who holds the permission, after a manager's PIN for one who does not, or not
at all. In a database without users everything runs as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QLabel,
    QWidget,
)

from posapp.domain.access import Permission
from posapp.domain.cash import parse_denominations
from posapp.domain.errors import DomainError
from posapp.domain.shift_report import ShiftReport
from posapp.services.context import AppServices
from posapp.settings.shop_day import CASH_DENOMINATIONS, IDLE_LOCK_MINUTES
from posapp.ui.shop_day_dialogs import (
    ApprovalDialog,
    CashMoveDialog,
    CloseShiftDialog,
    FirstOwnerDialog,
    OpenShiftDialog,
    ReportDialog,
    SignInScreen,
    UsersDialog,
)

T = TypeVar("T")

ACTION_PERMISSIONS: dict[str, Permission] = {  # prices and discounts: see ShopDay.check_draft
    "new_product": Permission.MANAGE_PRODUCTS,
    "import_products": Permission.MANAGE_PRODUCTS,
    "new_customer": Permission.MANAGE_CUSTOMERS,
    "backup": Permission.MANAGE_SETTINGS,
    "demo_data": Permission.MANAGE_SETTINGS,
    "open_drawer": Permission.OPEN_DRAWER,
    "show_reports": Permission.VIEW_REPORTS,
}
"""Actions whose handler lives outside the main window's own guarded methods."""


def guarded(permission: Permission) -> Callable[[Callable[..., T]], Callable[..., T | None]]:
    """Decorate a method of the window or of a controller it owns (anything with a `shop_day`)
    so it runs only as `ShopDay.run_permitted` allows."""

    def decorate(method: Callable[..., T]) -> Callable[..., T | None]:
        @functools.wraps(method)
        def wrapper(window: Any, *args: Any, **kwargs: Any) -> T | None:
            return window.shop_day.run_permitted(permission, lambda: method(window, *args, **kwargs))

        return wrapper

    return decorate


class ShopDay(QObject):
    """The shop's day of one main window (see the module docstring). The window calls `detach`
    when it closes; the signed-in user lives in the services' TillSession, so a rebuilt window
    (language change) keeps them."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.services = window.services
        self.language = window.display.language
        self.session = self.services.till_session
        self.screen = SignInScreen(self.services, self.language, window)
        self.screen.sig_signed_in.connect(self._on_signed_in)
        self.shift_label = QLabel()
        self.shift_label.setObjectName("shiftLabel")
        self.idle = QTimer(self)
        self.idle.setObjectName("idleLockTimer")
        self.idle.setSingleShot(True)
        self.idle.timeout.connect(self.lock)
        self._disabled_actions: list[Any] = []
        self.users_dialog: UsersDialog | None = None
        """The users dialog while it is open (refreshed by `refresh_users`)."""
        self._checking = False
        self._accepted_draft: Any = None
        """The sale as last allowed: a price or discount change beyond the user's rights is
        checked against it, and it comes back if no manager approves."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- wiring into the window ------------------------------------------------------------

    def guard_action(self, action_id: str, handler: Callable[[], object]) -> Callable[[], object]:
        """The window's handler for `action_id`, behind its permission if it has one."""
        permission = ACTION_PERMISSIONS.get(action_id)
        if permission is None:
            return handler
        return lambda: self.run_permitted(permission, handler)

    def install(self) -> None:
        """Connect the shop-day actions and the status line (after the window built both)."""
        actions = self.window.actions
        handlers = {
            "lock": self.lock,
            "open_shift": self.open_shift,
            "close_shift": lambda: self.run_permitted(Permission.CLOSE_SHIFT, self.close_shift),
            "cash_move": lambda: self.run_permitted(Permission.CASH_IN_OUT, self.move_cash),
            "x_report": self.show_x_report,
            "z_report": self.show_last_z_report,
            "day_report": self.show_day_report,
            "users": lambda: self.run_permitted(Permission.MANAGE_USERS, self.manage_users),
        }
        for action_id, handler in handlers.items():
            actions[action_id].triggered.connect(lambda _checked=False, h=handler: h())
        self.window.editor.model.sig_draft_changed.connect(self._on_draft_changed)
        self._accepted_draft = self.window.editor.draft
        self.window.statusBar().addPermanentWidget(self.shift_label)
        if self.session.user is not None:
            self.window.cashier_label.setText(self.tr("صندوقدار: %1").replace("%1", self.session.user.name))
        self.refresh_status()

    def on_shown(self) -> None:
        """At first show: a shop with users starts locked until someone signs in."""
        if self.session.user is None and self.services.access.has_users():
            self.lock()
        else:
            self._restart_idle()

    # -- lock and sign-in ------------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self.screen.isVisible()

    def lock(self) -> None:
        """Cover the window and disable every action until a user signs in. The sale in
        progress stays with the cashier who started it."""
        if not self.services.access.has_users():
            self.window.show_message(self.tr("برای قفل صندوق نخست مالک را بسازید (کاربران و نقش‌ها)"))
            return
        self.idle.stop()
        if not self.locked:
            self._disabled_actions = [a for a in self.window.actions.values() if a.isEnabled()]
            for action in self._disabled_actions:
                action.setEnabled(False)
            for widget in self._covered_widgets():
                widget.setEnabled(False)
        self.screen.show_for(self.session.user.name if self.session.user else "")

    def _covered_widgets(self) -> list[QWidget]:
        """What the lock takes the keyboard from: the sale and every pane (Tab cannot reach them)."""
        return [self.window.centralWidget(), *self.window.findChildren(QDockWidget)]

    def _on_signed_in(self, user: Any) -> None:
        self.session.user = user
        for action in self._disabled_actions:
            action.setEnabled(True)
        self._disabled_actions = []
        for widget in self._covered_widgets():
            widget.setEnabled(True)
        editor = self.window.editor
        if not editor.draft.lines:
            editor.set_draft(editor.draft.with_changes(cashier=user.name, cashier_id=user.id))
        self.window.cashier_label.setText(self.tr("صندوقدار: %1").replace("%1", user.name))
        self.refresh_status()
        self._restart_idle()
        editor.focus_code()
        if self.services.shifts.current() is None:
            QTimer.singleShot(0, self.window, self.open_shift)

    def _restart_idle(self) -> None:
        minutes = int(self.window.store.get(IDLE_LOCK_MINUTES))
        if minutes > 0 and self.session.user is not None and not self.locked:
            self.idle.start(minutes * 60_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress) and self.idle.isActive():
            self.idle.start()
        return False

    def detach(self) -> None:
        """The window is closing: stop the idle lock and stop watching the application's events."""
        self.idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # -- permissions -----------------------------------------------------------------------

    def run_permitted(self, permission: Permission, action: Callable[[], T], detail: str = "") -> T | None:
        """Run `action` as the signed-in user if they may; otherwise after a manager's
        approval (journaled with both names), lent to the user for this action only."""
        access = self.services.access
        actor = self.session.actor
        if access.allows(actor, permission):
            return action()
        if self.session.user is None:
            self.lock()
            return None
        dialog = ApprovalDialog(self.services, actor, permission, self.language, detail, self.window)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.approved is None:
                return None
            with self.session.acting(dialog.approved):
                return action()
        finally:
            dialog.deleteLater()

    # -- prices and discounts on the sale ----------------------------------------------------

    def _on_draft_changed(self, _draft: Any) -> None:
        QTimer.singleShot(0, self, self.check_draft)

    def check_draft(self) -> None:
        """A line price that is not the catalogue's needs CHANGE_PRICE, and a line or invoice
        discount above the role's limit needs DISCOUNT_ABOVE_LIMIT: without it a manager
        approves (journaled with the change), or the sale goes back to how it was."""
        if self._checking:
            return  # an approval dialog is up; the draft is checked again when it closes
        self._checking = True
        try:
            self._check_draft()
        finally:
            self._checking = False
        if self._accepted_draft is not self.window.editor.draft:
            QTimer.singleShot(0, self, self.check_draft)

    def _check_draft(self) -> None:
        editor = self.window.editor
        draft, accepted = editor.draft, self._accepted_draft
        if draft is accepted or self.session.user is None:
            self._accepted_draft = draft
            return
        changes = self._overrides(draft, accepted)
        for permission, action, subject, payload in changes:
            def record(action: str = action, subject: str = subject, payload: dict[str, object] = payload) -> bool:
                self.services.access.record(self.session.actor, action, subject, payload)
                return True

            if self._allowed_by_role(permission, payload) or self.run_permitted(permission, record, subject):
                continue
            self._accepted_draft = accepted
            editor.set_draft(accepted)
            self.window.show_message(self.tr("تغییر قیمت یا تخفیف بدون تأیید مدیر برگردانده شد"))
            return
        self._accepted_draft = draft

    def _allowed_by_role(self, permission: Permission, payload: dict[str, object]) -> bool:
        """A discount within the signed-in user's own limit needs no one's approval."""
        user = self.session.user
        percent = payload.get("percent")
        return (permission is Permission.DISCOUNT_ABOVE_LIMIT and user is not None
                and isinstance(percent, Decimal) and percent <= user.role.max_discount_percent)

    def _overrides(self, draft: Any, accepted: Any) -> list[tuple[Permission, str, str, dict[str, object]]]:
        known = {(line.product_id, line.unit_price) for line in accepted.lines} if accepted else set()
        new_prices = [line for line in draft.lines
                      if line.product_id is not None and (line.product_id, line.unit_price) not in known]
        catalogue = {p.id: p.price for p in self.services.catalog.get_many([line.product_id for line in new_prices])} \
            if new_prices else {}
        changes: list[tuple[Permission, str, str, dict[str, object]]] = []
        for line in new_prices:
            listed = catalogue.get(line.product_id)
            if listed is not None and listed != line.unit_price:
                changes.append((Permission.CHANGE_PRICE, "price.override", line.product_code or line.description,
                                {"listed": listed, "price": line.unit_price}))
        old_discounts = ({(line.product_id, line.discount) for line in accepted.lines} if accepted else set())
        for line, totals in zip(draft.lines, draft.totals.lines, strict=True):
            if totals.line_discount and (line.product_id, line.discount) not in old_discounts and totals.gross:
                percent = (totals.line_discount * 100 / totals.gross).quantize(Decimal("0.01"))
                changes.append((Permission.DISCOUNT_ABOVE_LIMIT, "discount.override",
                                line.product_code or line.description, {"percent": percent}))
        base = draft.totals.gross - draft.totals.line_discount
        if draft.totals.invoice_discount and base and (
                accepted is None or draft.invoice_discount != accepted.invoice_discount):
            percent = (draft.totals.invoice_discount * 100 / base).quantize(Decimal("0.01"))
            changes.append((Permission.DISCOUNT_ABOVE_LIMIT, "discount.override", "invoice", {"percent": percent}))
        return changes

    # -- shifts and cash -------------------------------------------------------------------

    def refresh_status(self) -> None:
        if not self.services.access.has_users():
            self.shift_label.setText("")
            return
        shift = self.services.shifts.current()
        if shift is None:
            self.shift_label.setText(self.tr("شیفت: بسته"))
        else:
            self.shift_label.setText(self.tr("شیفت %1: باز").replace("%1", self.window.display.number(shift.number)))

    def _exec(self, dialog: QDialog) -> bool:
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
            self.refresh_status()
            self.window.activateWindow()
            self.window.editor.focus_code()

    def open_shift(self) -> None:
        if self.services.shifts.current() is not None:
            self.window.show_message(self.tr("شیفت این صندوق باز است"))
            return
        if self._exec(OpenShiftDialog(self.services, self.window.display, self.window)):
            self.window.show_message(self.tr("شیفت باز شد"))

    def close_shift(self) -> None:
        if self.services.shifts.current() is None:
            self.window.show_message(self.tr("شیفت بازی نیست"))
            return
        try:
            denominations = parse_denominations(self.window.store.get(CASH_DENOMINATIONS))
        except DomainError:
            denominations = parse_denominations("")
        dialog = CloseShiftDialog(self.services, self.window.display, denominations, self.window)
        report = dialog.report if self._exec(dialog) else None
        if report is not None:
            self.show_report(report)

    def move_cash(self) -> None:
        if self._exec(CashMoveDialog(self.services, self.window.display, self.window)):
            self.window.show_message(self.tr("جابه‌جایی نقد ثبت شد"))

    # -- reports ---------------------------------------------------------------------------

    def show_report(self, report: ShiftReport) -> ReportDialog:
        from posapp.settings.shop import SHOP_NAME

        dialog = ReportDialog(report, self.window.display, self.window.store,
                              self.window.store.get(SHOP_NAME), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _report(self, make: Callable[[], ShiftReport]) -> ReportDialog | None:
        try:
            return self.show_report(make())
        except DomainError as error:
            self.window.show_message(error.message(self.language))
            return None

    def show_x_report(self) -> ReportDialog | None:
        return self._report(self.services.shifts.x_report)

    def show_last_z_report(self) -> ReportDialog | None:
        return self._report(self.services.shifts.z_report)

    def show_day_report(self) -> ReportDialog | None:
        from posapp.domain.jalali import iran_today

        return self._report(lambda: self.services.shifts.day_report(iran_today()))

    def manage_users(self) -> None:
        self.users_dialog = UsersDialog(self.services, self.window.store, self.language, self.window)
        try:
            self._exec(self.users_dialog)
        finally:
            self.users_dialog = None

    def refresh_users(self) -> None:
        """Users or roles changed (the window's `on_changes`): the open users dialog lists them
        again, and the status line follows (it is empty while the shop has no users)."""
        if self.users_dialog is not None:
            self.users_dialog.refresh()
        self.refresh_status()


def ask_first_owner(services: AppServices, language: str) -> bool:
    """At start-up of a database without users: ask for its first owner (the cashier may
    choose "later"; posapp then works as it did before users). True when an owner was made."""
    if services.access.has_users():
        return False
    dialog = FirstOwnerDialog(services, language)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
