"""The settings dialog's "counter hardware" tab: the ESC/POS printer's dots, cut and timeout, the cash drawer's pulse, scale label layouts, the customer display's screen, and the calibration page.

The ESC/POS printer's address itself is chosen with the receipt printer on the printing tab;
`HardwareForm` reads it through the `printer_text` callable, so the calibration page can be
printed on an address before it is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.scale_barcodes import parse_layout
from posapp.domain.text import to_persian_digits
from posapp.settings.hardware import (
    CUSTOMER_DISPLAY_SCREEN,
    DRAWER_KICK_PIN,
    DRAWER_OPENS_ON_CASH,
    DRAWER_PULSE_OFF_MS,
    DRAWER_PULSE_ON_MS,
    ESCPOS_CUT,
    ESCPOS_DOT_WIDTH,
    ESCPOS_TIMEOUT_SECONDS,
    SCALE_LABEL_LAYOUTS,
)
from posapp.settings.store import SettingsStore
from posapp.ui.forms import FieldForm

if TYPE_CHECKING:
    from posapp.hardware.print_queue import PrintJob
    from posapp.services.counter import CounterService

@dataclass(frozen=True)
class HardwareValues:
    dot_width: int
    cut: str
    timeout: float
    pin: int
    on_ms: int
    off_ms: int
    opens_on_cash: bool
    layouts: list[str]
    screen: int


class HardwareForm(FieldForm):
    """The tab. `checked()` reads and checks every field (a ValidationError names the field);
    `save(values)` stores them."""

    _sig_job = Signal(object)

    def __init__(self, store: SettingsStore, language: str, printer_text: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(language, parent)
        self._store = store
        self._printer_text = printer_text
        self._language = language
        self._service: CounterService | None = None
        self._sig_job.connect(self._on_job)

        self.dot_width = QSpinBox()
        self.dot_width.setRange(0, 640)
        self.dot_width.setSingleStep(8)
        self.dot_width.setSpecialValueText(self.tr("از عرض کاغذ (۳۸۴ یا ۵۷۶)"))
        self.dot_width.setValue(max(0, store.get(ESCPOS_DOT_WIDTH)))
        self.cut = QComboBox()
        for value, title in (("partial", self.tr("برش ناقص")), ("full", self.tr("برش کامل")),
                             ("none", self.tr("بدون برش"))):
            self.cut.addItem(title, value)
        self.cut.setCurrentIndex(max(0, self.cut.findData(store.get(ESCPOS_CUT).strip().lower())))
        self.timeout = QDoubleSpinBox()
        self.timeout.setRange(0.5, 60)
        self.timeout.setDecimals(1)
        self.timeout.setSuffix(self.tr(" ثانیه"))
        self.timeout.setValue(store.get(ESCPOS_TIMEOUT_SECONDS))
        self.calibrate_button = QPushButton(self.tr("چاپ صفحهٔ تنظیم"))
        self.calibrate_button.setObjectName("printCalibration")
        self.calibrate_button.clicked.connect(self.print_calibration)
        self.calibration_status = QLabel()
        self.calibration_status.setObjectName("calibrationStatus")
        self.calibration_status.setWordWrap(True)
        calibration = QWidget()
        row = QHBoxLayout(calibration)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.calibrate_button)
        row.addWidget(self.calibration_status, 1)

        self.pin = QComboBox()
        for pin in (2, 5):
            self.pin.addItem(self.tr("پایهٔ %1").replace("%1", self._digits(pin)), pin)
        self.pin.setCurrentIndex(max(0, self.pin.findData(store.get(DRAWER_KICK_PIN))))
        self.on_ms, self.off_ms = (self._pulse_box(store.get(setting))
                                   for setting in (DRAWER_PULSE_ON_MS, DRAWER_PULSE_OFF_MS))
        self.opens_on_cash = QCheckBox(self.tr("کشو با فروش، برگشت یا دریافت نقدی باز شود"))
        self.opens_on_cash.setChecked(store.get(DRAWER_OPENS_ON_CASH))

        self.layouts = QLineEdit(", ".join(str(text) for text in store.get(SCALE_LABEL_LAYOUTS)))
        self.layouts.setPlaceholderText("20-29/5/weight, 21/5/price")
        self.layouts.setToolTip(self.tr(
            "هر چیدمان: بازهٔ پیشوند / تعداد رقم کد کالا / weight (وزن به گرم) یا price (قیمت به ریال)"))
        self.screen = QComboBox()
        self.screen.addItem(self.tr("خاموش"), -1)
        for index, screen in enumerate(QGuiApplication.screens()):
            size = screen.geometry()
            self.screen.addItem(self.tr("صفحهٔ %1: %2 (%3×%4)")
                                .replace("%1", self._digits(index + 1)).replace("%2", screen.name())
                                .replace("%3", self._digits(size.width()))
                                .replace("%4", self._digits(size.height())), index)
        configured = store.get(CUSTOMER_DISPLAY_SCREEN)
        if configured >= 0 and self.screen.findData(configured) < 0:
            self.screen.addItem(self.tr("صفحهٔ %1 (وصل نیست)").replace("%1", self._digits(configured + 1)),
                                configured)
        self.screen.setCurrentIndex(max(0, self.screen.findData(configured)))

        self.add("dot_width", self.tr("نقطه‌های عرض چاپ ESC/POS:"), self.dot_width)
        self.add("cut", self.tr("برش کاغذ:"), self.cut)
        self.add("timeout", self.tr("انتظار برای چاپگر:"), self.timeout)
        self.add("calibration", "", calibration)
        self.add("drawer_pin", self.tr("کشوی پول:"), self.pin)
        self.add("drawer_on_ms", self.tr("مدت پالس (روشن):"), self.on_ms)
        self.add("drawer_off_ms", self.tr("مدت پالس (خاموش):"), self.off_ms)
        self.add("drawer_opens_on_cash", "", self.opens_on_cash)
        self.add("scale_layouts", self.tr("برچسب‌های ترازو:"), self.layouts)
        self.add("customer_display", self.tr("نمایشگر مشتری:"), self.screen)
        self.finish()
        self.layouts.textEdited.connect(lambda _text: self.clear_error("scale_layouts"))

    def _digits(self, value: int) -> str:
        return to_persian_digits(str(value)) if self._language == "fa" else str(value)

    def _pulse_box(self, value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(2, 510)
        box.setSingleStep(2)
        box.setSuffix(self.tr(" میلی‌ثانیه"))
        box.setValue(value if 2 <= value <= 510 else 100)
        return box

    # -- checking and saving -------------------------------------------------------------------

    def checked_layouts(self) -> list[str]:
        """The layouts typed, each checked (ValidationError on the field), in their normal form."""
        parts = [part for part in self.layouts.text().replace("،", ",").replace("\n", ",").split(",")
                 if part.strip()]
        return [str(parse_layout(part)) for part in parts]

    def checked(self) -> HardwareValues:
        return HardwareValues(
            dot_width=self.dot_width.value() // 8 * 8, cut=self.cut.currentData(),
            timeout=round(self.timeout.value(), 1), pin=self.pin.currentData(),
            on_ms=self.on_ms.value() // 2 * 2, off_ms=self.off_ms.value() // 2 * 2,
            opens_on_cash=self.opens_on_cash.isChecked(), layouts=self.checked_layouts(),
            screen=self.screen.currentData(),
        )

    def save(self, values: HardwareValues) -> None:
        store = self._store
        store.set(ESCPOS_DOT_WIDTH, values.dot_width)
        store.set(ESCPOS_CUT, values.cut)
        store.set(ESCPOS_TIMEOUT_SECONDS, values.timeout)
        store.set(DRAWER_KICK_PIN, values.pin)
        store.set(DRAWER_PULSE_ON_MS, values.on_ms)
        store.set(DRAWER_PULSE_OFF_MS, values.off_ms)
        store.set(DRAWER_OPENS_ON_CASH, values.opens_on_cash)
        store.set(SCALE_LABEL_LAYOUTS, values.layouts)
        store.set(CUSTOMER_DISPLAY_SCREEN, values.screen)

    # -- the calibration page ------------------------------------------------------------------

    def print_calibration(self) -> None:
        """Print the calibration page on the address typed on the printing tab, with this
        tab's dot width and cut, before anything is saved."""
        from posapp.hardware.commands import CutMode
        from posapp.hardware.raster import DOT_WIDTHS
        from posapp.services.counter import CounterService, escpos_setup
        from posapp.services.documents import DocumentService

        try:
            setup = escpos_setup(self._store, self._printer_text())
        except DomainError as error:
            self.calibration_status.setText(error.message(self._language))
            return
        dots = self.dot_width.value() // 8 * 8 or DOT_WIDTHS[setup.paper_mm]
        setup = replace(setup, dot_width=min(dots, setup.paper_mm * 8), cut=CutMode(self.cut.currentData()),
                        timeout=self.timeout.value())
        if self._service is None:
            self._service = CounterService(DocumentService(None, self._store), self._store, None)
            self._service.queue.subscribe(self._sig_job.emit)
            self.destroyed.connect(self._service.close)
        self.calibration_status.setText(self.tr("در حال چاپ…"))
        self._service.print_calibration(setup=setup)

    def _on_job(self, job: PrintJob) -> None:
        state = str(job.state)
        if state == "printed":
            self.calibration_status.setText(self.tr("صفحهٔ تنظیم چاپ شد؛ هر دو سر خط‌کش باید دیده شود"))
        elif state == "failed" and job.error is not None:
            self.calibration_status.setText(job.error.message(self._language))
