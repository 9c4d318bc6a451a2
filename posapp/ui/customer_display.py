"""The customer display: a second window, full screen on a chosen screen, facing the customer.

Between sales it shows the shop's name (and logo); during a sale the latest lines and the
amount to pay in large type; during pay-by-link the QR and the amount. It follows the editor
through `show_draft`, which only stores the draft and starts a short coalescing timer: the
display repaints after the scan has been handled and painted at the till, so a scan never waits
for it, and a burst of scans repaints it once.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.invoice import Invoice
from posapp.ui.display import Display
from posapp.ui.pay_by_link import qr_image

REFRESH_DELAY_MS = 60
"""How long after a change the display repaints: unnoticeable to the customer, and long
enough that it never shares the event-loop turn in which the till paints the new line."""
SHOWN_LINES = 12
QR_SIDE = 420


class CustomerDisplay(QWidget):
    """Pages: `idle_page` (shop name), `sale_page` (lines and total), `link_page` (QR)."""

    def __init__(self, display: Display, shop_name: str, logo_path: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("customerDisplay")
        self.setWindowTitle(self.tr("نمایشگر مشتری"))
        self.display = display
        self._draft: Invoice | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

        self.idle_page = QWidget()
        idle = QVBoxLayout(self.idle_page)
        self.logo_label = QLabel()
        self.logo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        if logo_path:
            logo = QPixmap(logo_path)
            if not logo.isNull():
                self.logo_label.setPixmap(logo.scaledToHeight(220, Qt.TransformationMode.SmoothTransformation))
        self.shop_label = QLabel(shop_name or self.tr("خوش آمدید"))
        self.shop_label.setObjectName("customerShopName")
        self.shop_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shop_label.setWordWrap(True)
        self._scale_font(self.shop_label, 3.2, bold=True)
        idle.addStretch(1)
        idle.addWidget(self.logo_label)
        idle.addWidget(self.shop_label)
        idle.addStretch(1)

        self.sale_page = QWidget()
        sale = QVBoxLayout(self.sale_page)
        self.lines_table = QTableWidget(0, 3)
        self.lines_table.setObjectName("customerLines")
        self.lines_table.setHorizontalHeaderLabels(
            [self.tr("کالا"), self.tr("مقدار"), self.tr("مبلغ")])
        self.lines_table.verticalHeader().hide()
        self.lines_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.lines_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lines_table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.lines_table.horizontalHeader().setStretchLastSection(False)
        self.lines_table.horizontalHeader().setSectionResizeMode(0, self.lines_table.horizontalHeader().ResizeMode.Stretch)
        self._scale_font(self.lines_table, 1.5)
        self.count_label = QLabel()
        self.count_label.setObjectName("customerLineCount")
        self._scale_font(self.count_label, 1.3)
        total_frame = QFrame()
        total_frame.setObjectName("customerTotalFrame")
        total_layout = QVBoxLayout(total_frame)
        caption = QLabel(self.tr("مبلغ قابل پرداخت"))
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scale_font(caption, 1.6)
        self.total_label = QLabel()
        self.total_label.setObjectName("customerTotal")
        self.total_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scale_font(self.total_label, 4.0, bold=True)
        total_layout.addWidget(caption)
        total_layout.addWidget(self.total_label)
        sale.addWidget(self.lines_table, 1)
        sale.addWidget(self.count_label)
        sale.addWidget(total_frame)

        self.link_page = QWidget()
        link = QVBoxLayout(self.link_page)
        link_caption = QLabel(self.tr("برای پرداخت، این کد را با گوشی اسکن کنید"))
        link_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scale_font(link_caption, 1.8)
        self.qr_label = QLabel()
        self.qr_label.setObjectName("customerQr")
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.link_amount_label = QLabel()
        self.link_amount_label.setObjectName("customerLinkAmount")
        self.link_amount_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scale_font(self.link_amount_label, 3.5, bold=True)
        link.addWidget(link_caption)
        link.addWidget(self.qr_label, 1)
        link.addWidget(self.link_amount_label)

        self.pages = QStackedWidget()
        for page in (self.idle_page, self.sale_page, self.link_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    @staticmethod
    def _scale_font(widget: QWidget, factor: float, *, bold: bool = False) -> None:
        font = widget.font()
        font.setPointSizeF(font.pointSizeF() * factor)
        font.setBold(bold)
        widget.setFont(font)

    # -- following the till ----------------------------------------------------------------

    def show_draft(self, draft: Invoice) -> None:
        """Remember the sale as it now stands; the display repaints shortly after."""
        self._draft = draft
        if not self._timer.isActive():
            self._timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed with the till's window: a repaint still waiting has nothing left to show."""
        self._timer.stop()
        super().closeEvent(event)

    def refresh(self) -> None:
        """Show the remembered draft now (the timer calls this; tests may too)."""
        self._timer.stop()
        if self.pages.currentWidget() is self.link_page:
            return
        draft = self._draft
        if draft is None or not draft.lines:
            self.pages.setCurrentWidget(self.idle_page)
            return
        try:
            totals = draft.totals
        except DomainError:
            return  # the till shows the problem; the customer keeps the last good figures
        shown = list(zip(draft.lines, totals.lines, strict=True))[-SHOWN_LINES:]
        table = self.lines_table
        table.setRowCount(len(shown))
        for row, (line, line_totals) in enumerate(shown):
            self._set(row, 0, line.description, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeading)
            self._set(row, 1, f"{self.display.quantity(line.quantity)} {line.unit}".strip())
            self._set(row, 2, self.display.amount(line_totals.total))
        table.scrollToBottom()
        self.count_label.setText(self.tr("تعداد ردیف: %1").replace("%1", self.display.number(len(draft.lines))))
        self.total_label.setText(self.display.amount(totals.payable, with_unit=True))
        self.pages.setCurrentWidget(self.sale_page)

    def _set(self, row: int, column: int, text: str,
             align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> None:
        item = self.lines_table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            item.setTextAlignment(align)
            self.lines_table.setItem(row, column, item)
        if item.text() != text:
            item.setText(text)

    def show_link(self, url: str, amount: Decimal) -> None:
        """Pay-by-link: the QR and the amount until `end_link`."""
        self.qr_label.setPixmap(QPixmap.fromImage(qr_image(url, QR_SIDE)))
        self.link_amount_label.setText(self.display.amount(amount, with_unit=True))
        self.pages.setCurrentWidget(self.link_page)

    def end_link(self) -> None:
        self.qr_label.clear()
        self.pages.setCurrentWidget(self.idle_page)
        self.refresh()

    # -- placing the window ------------------------------------------------------------------

    def show_on_screen(self, index: int) -> bool:
        """Full screen on screen `index`; False (and not shown) when there is no such screen."""
        screens = QGuiApplication.screens()
        if not 0 <= index < len(screens):
            return False
        screen = screens[index]
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        self.showFullScreen()
        return True
