"""The reports window (Ctrl+5): a Jalali date range with presets, a till filter, and a tab per
report (sales, products, payments, cashiers, VAT by season, customers) with a Qt Charts chart
where one helps, the report's tables, and XLSX / CSV / A4 PDF output.

Reports are computed on the read lane of the task manager, one tab at a time when it is first
shown for a range; a new range or till clears what was computed. The tables come from the same
`ReportDocument` the exports write, so the window and the spreadsheet never disagree. Charts use
the UI's language: Persian digits and Jalali labels in Persian, ASCII digits in English.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from posapp.domain.errors import DomainError
from posapp.domain.formatting import display_value
from posapp.domain.jalali import Period, period_days, to_jalali
from posapp.domain.report_table import Cell, CellKind, ReportDocument, ReportTable
from posapp.services.context import AppServices
from posapp.services.report_export import METHOD_NAMES, report_document, to_csv, to_xlsx
from posapp.services.reports import ReportKind, ReportRange
from posapp.ui.display import Display
from posapp.ui.jalali_edit import JalaliDateEdit
from posapp.ui.messages import error_text, show_warning
from posapp.ui.tasks import TaskContext, TaskManager

TOP_PRODUCTS = 20
SIDE_CHARTS = {ReportKind.PRODUCTS, ReportKind.CATEGORIES}
"""Reports whose chart stands beside the tables, at the window's full height (twenty product
names need it), instead of above them."""
WINDOW_LIMITS = {ReportKind.PRODUCTS: TOP_PRODUCTS, ReportKind.CUSTOMERS: 500}
"""Rows the window shows of the long reports (the top and bottom products, the first
customers); the exports write them all."""
MAX_BARS = 31
"""Up to this many days (or the 24 hours of one day) the sales chart draws bars; a longer range
draws a line."""
CHART_LABELS = 8
SMALL_SLICE_PERCENT = 5
"""Pie slices smaller than this share are named in the legend only (their labels would not fit)."""
ACCENT = QColor("#0f766e")
AnyIndex = QModelIndex | QPersistentModelIndex


def period_labels() -> list[tuple[Period | None, str]]:
    return [
        (Period.TODAY, QCoreApplication.translate("Reports", "امروز")), (Period.YESTERDAY, QCoreApplication.translate("Reports", "دیروز")), (Period.THIS_WEEK, QCoreApplication.translate("Reports", "این هفته")),
        (Period.THIS_MONTH, QCoreApplication.translate("Reports", "این ماه")), (Period.THIS_SEASON, QCoreApplication.translate("Reports", "این فصل")), (Period.THIS_YEAR, QCoreApplication.translate("Reports", "امسال")),
        (None, QCoreApplication.translate("Reports", "بازه دلخواه")),
    ]


def tab_labels() -> dict[ReportKind, str]:
    return {
        ReportKind.SALES: QCoreApplication.translate("Reports", "فروش"), ReportKind.PRODUCTS: QCoreApplication.translate("Reports", "کالاها"), ReportKind.CATEGORIES: QCoreApplication.translate("Reports", "دسته‌ها"), ReportKind.PAYMENTS: QCoreApplication.translate("Reports", "دریافت‌ها"),
        ReportKind.CASHIERS: QCoreApplication.translate("Reports", "صندوق‌داران"), ReportKind.VAT: QCoreApplication.translate("Reports", "مالیات فصلی"), ReportKind.CUSTOMERS: QCoreApplication.translate("Reports", "مشتریان"),
    }


class ReportTableModel(QAbstractTableModel):
    """A read-only view of one `ReportTable`; the totals row, if any, is the last row (bold)."""

    def __init__(self, table: ReportTable, display: Display, parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table
        self.display = display
        self.rows = [*table.rows, *((table.totals,) if table.totals else ())]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.table.columns[section].title(self.display.language)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.table.columns[index.column()]
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(value, column.kind)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.kind is CellKind.TEXT:
                return int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.table.totals and index.row() == len(self.rows) - 1:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def cell_text(self, value: Cell, kind: CellKind) -> str:
        display = self.display
        if value is None:
            return ""
        if kind is CellKind.AMOUNT and isinstance(value, Decimal | int):
            return display.amount(value)
        if kind is CellKind.QUANTITY and isinstance(value, Decimal):
            return display.quantity(value)
        if kind is CellKind.RATE and isinstance(value, Decimal):
            return display.percent(value * 100)
        if kind is CellKind.DATE and isinstance(value, date):
            return display.date(value)
        if kind is CellKind.COUNT and isinstance(value, int):
            return display.quantity(value)  # a whole number, grouped in the UI's digits
        return display.number(str(value))


class ReportTab(QWidget):
    """One report: an optional chart above its tables."""

    def __init__(self, kind: ReportKind, display: Display, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.display = display
        self.setObjectName(f"report_{kind.value}")
        self.chart_view: QChartView | None = None
        self.tables: list[QTableView] = []
        self.status = QLabel(QCoreApplication.translate("Reports", "در حال محاسبه…"))
        self.status.setObjectName("reportStatus")
        self.splitter = QSplitter(Qt.Orientation.Horizontal if kind in SIDE_CHARTS else Qt.Orientation.Vertical)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)

    def show_report(self, document: ReportDocument, chart: QChart | None) -> None:
        """Replace what the tab shows with `document` (and `chart`)."""
        while self.splitter.count():
            widget = self.splitter.widget(0)
            widget.setParent(None)
            widget.deleteLater()
        self.tables = []
        self.chart_view = None
        if chart is not None:
            self.chart_view = QChartView(chart)
            self.chart_view.setObjectName("reportChart")
            self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.chart_view.setMinimumHeight(220)
            self.splitter.addWidget(self.chart_view)
        row = QWidget()
        row_layout = QVBoxLayout(row) if self.kind in SIDE_CHARTS else QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        for table in document.tables:
            box = QWidget()
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            title = QLabel(table.title(self.display.language))
            title.setObjectName("reportTableTitle")
            view = QTableView()
            view.setObjectName(f"reportTable{len(self.tables)}")
            view.setModel(ReportTableModel(table, self.display, view))
            view.setAlternatingRowColors(True)
            view.verticalHeader().hide()
            view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            view.horizontalHeader().setStretchLastSection(False)
            box_layout.addWidget(title)
            box_layout.addWidget(view, 1)
            self.tables.append(view)
            row_layout.addWidget(box, 1 if table.rows else 0)
        self.splitter.addWidget(row)
        if chart is not None:
            self.splitter.setSizes([300, 300])
        self.status.setText("")
        self.status.hide()
        self.splitter.show()

    def show_message(self, text: str, *, clear: bool = False) -> None:
        """Say `text` above the report; `clear` also takes the old report off the screen."""
        self.status.setText(text)
        self.status.show()
        self.splitter.setVisible(not clear)


class ReportsWindow(QWidget):
    """The owner's reports; non-modal, one per main window. `sig_message` carries status-bar
    text. `sig_loaded(kind)` fires when a tab's report is on screen (tests and benchmarks
    wait for it)."""

    sig_message = Signal(str)
    sig_loaded = Signal(str)

    def __init__(self, services: AppServices, tasks: TaskManager, display: Display, parent: QWidget | None = None,
                 *, today: date | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("reportsWindow")
        self.setWindowTitle(self.tr("گزارش‌ها"))
        self.services = services
        self.tasks = tasks
        self.display = display
        self.today = today
        self._documents: dict[ReportKind, ReportDocument] = {}
        self._pending: set[ReportKind] = set()
        self._generation = 0

        self.period = QComboBox()
        self.period.setObjectName("reportPeriod")
        for period, label in period_labels():
            self.period.addItem(label, period.value if period else None)
        persian = display.persian_digits
        self.date_from = JalaliDateEdit(persian_digits=persian)
        self.date_from.setObjectName("reportFrom")
        self.date_to = JalaliDateEdit(persian_digits=persian)
        self.date_to.setObjectName("reportTo")
        for edit in (self.date_from, self.date_to):
            edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance("۱۴۰۵/۰۹/۳۰") + 40)
        self.till = QComboBox()
        self.till.setObjectName("reportTill")
        self.till.addItem(self.tr("همه صندوق‌ها"), None)
        self.show_button = QPushButton(self.tr("نمایش"))
        self.show_button.setObjectName("reportShow")
        self.xlsx_button = QPushButton(self.tr("اکسل"))
        self.xlsx_button.setObjectName("reportXlsx")
        self.csv_button = QPushButton(self.tr("CSV"))
        self.csv_button.setObjectName("reportCsv")
        self.print_button = QPushButton(self.tr("چاپ A4"))
        self.print_button.setObjectName("reportPrint")

        bar = QHBoxLayout()
        for widget in (QLabel(self.tr("بازه:")), self.period, QLabel(self.tr("از")), self.date_from,
                       QLabel(self.tr("تا")), self.date_to, QLabel(self.tr("صندوق:")), self.till, self.show_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.xlsx_button, self.csv_button, self.print_button):
            bar.addWidget(widget)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        self.report_tabs: dict[ReportKind, ReportTab] = {}
        for kind, label in tab_labels().items():
            tab = ReportTab(kind, display)
            self.report_tabs[kind] = tab
            self.tabs.addTab(tab, label)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)

        self.period.currentIndexChanged.connect(self._on_period)
        self.date_from.date_changed.connect(self._on_dates_edited)
        self.date_to.date_changed.connect(self._on_dates_edited)
        self.till.currentIndexChanged.connect(lambda _index: self.refresh())
        self.show_button.clicked.connect(self.refresh)
        self.tabs.currentChanged.connect(lambda _index: self._load_current())
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.print_button.clicked.connect(self.print_report)
        self.resize(1200, 720)
        self._setting_period = False
        self.set_period(Period.TODAY)
        self._load_tills()

    # -- the range -------------------------------------------------------------------------

    def set_period(self, period: Period | None) -> None:
        """Choose a preset (None: custom) and show its reports."""
        index = self.period.findData(period.value if period else None)
        if index == self.period.currentIndex():
            self._on_period()
        else:
            self.period.setCurrentIndex(index)

    def _on_period(self) -> None:
        chosen = self.period.currentData()
        if chosen is None:
            return
        first, last = period_days(Period(chosen), self.today)
        self._setting_period = True
        try:
            self.date_from.set_date(first)
            self.date_to.set_date(last)
        finally:
            self._setting_period = False
        self.refresh()

    def _on_dates_edited(self, _value: object) -> None:
        if self._setting_period:
            return
        self.period.blockSignals(True)
        self.period.setCurrentIndex(self.period.findData(None))
        self.period.blockSignals(False)
        self.refresh()

    def report_range(self) -> ReportRange:
        first, last = self.date_from.date(), self.date_to.date()
        assert first is not None
        assert last is not None
        return ReportRange(first, last, self.till.currentData())

    def _load_tills(self) -> None:
        def fill(tills: list[str]) -> None:
            for till in tills:
                self.till.addItem(self.display.number(till), till)

        self.tasks.run(lambda _ctx: self.services.reports.tills(), on_done=fill, on_error=self._report_error)

    # -- loading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Forget computed reports and load the one on screen for the chosen range and till."""
        self._generation += 1
        self._documents.clear()
        self._pending.clear()
        try:
            self.report_range()
        except DomainError as exc:
            for tab in self.report_tabs.values():
                tab.show_message(exc.message(self.display.language), clear=True)
            return
        for tab in self.report_tabs.values():
            tab.show_message(QCoreApplication.translate("Reports", "در حال محاسبه…"))
        self._load_current()

    def current_kind(self) -> ReportKind:
        tab = self.tabs.currentWidget()
        assert isinstance(tab, ReportTab)
        return tab.kind

    def _load_current(self) -> None:
        kind = self.current_kind()
        if kind in self._documents or kind in self._pending:
            return
        self._pending.add(kind)
        generation = self._generation
        report_range = self.report_range()
        reports = self.services.reports
        language = self.display.language

        def work(_ctx: Any) -> tuple[Any, ReportDocument]:
            report = reports.report(kind, report_range, WINDOW_LIMITS.get(kind))
            return report, report_document(kind, report, language)

        def done(result: tuple[Any, ReportDocument]) -> None:
            if generation != self._generation:
                return
            self._pending.discard(kind)
            report, document = result
            self._documents[kind] = document
            self.report_tabs[kind].show_report(document, self.chart_for(kind, report))
            self.sig_loaded.emit(kind.value)

        def failed(error: BaseException) -> None:
            self._pending.discard(kind)
            self.report_tabs[kind].show_message(error_text(error, self.display.language), clear=True)

        self.tasks.run(work, on_done=done, on_error=failed)

    def document(self, kind: ReportKind) -> ReportDocument | None:
        return self._documents.get(kind)

    # -- charts ----------------------------------------------------------------------------

    def chart_for(self, kind: ReportKind, report: Any) -> QChart | None:
        builders: dict[ReportKind, Callable[[Any], QChart]] = {
            ReportKind.SALES: self.sales_chart, ReportKind.PRODUCTS: self.products_chart,
            ReportKind.CATEGORIES: self.categories_chart,
            ReportKind.PAYMENTS: self.payments_chart,
        }
        builder = builders.get(kind)
        return builder(report) if builder else None

    def _new_chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.setLocalizeNumbers(True)
        persian = self.display.persian_digits
        chart.setLocale(QLocale("fa_IR" if persian else "en_US"))
        chart.legend().setVisible(False)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setMargins(chart.margins())
        return chart

    def _million(self, amount: Decimal) -> float:
        """A chart height: millions of the display unit (charts need floats; figures never)."""
        return float(display_value(amount, self.display.unit)) / 1_000_000

    def _value_axis(self, maximum: float) -> QValueAxis:
        """An axis from 0 with round ticks, labelled with as many decimals as its step needs
        (an empty day or a small range would otherwise read «۰ ۰ ۱ ۱ ۱»)."""
        axis = QValueAxis()
        axis.setRange(0, max(maximum * 1.08, 1.0))
        axis.applyNiceNumbers()
        step = (axis.max() - axis.min()) / max(axis.tickCount() - 1, 1)
        decimals = next((d for d in range(4) if round(step, d) == round(step, 6)), 3)
        axis.setLabelFormat(f"%.{decimals}f")
        axis.setTitleText(self.tr("میلیون %1").replace("%1", self.display.unit_label))
        return axis

    def sales_chart(self, report: Any) -> QChart:
        chart = self._new_chart(self.tr("فروش خالص پس از برگشتی"))
        values = [max(self._million(b.figures.total), 0.0) for b in report.buckets]
        short = len(values) <= MAX_BARS
        if report.by_hour:
            labels = [self.display.number(str(b.start.hour)) for b in report.buckets]
            axis_title = self.tr("ساعت")
        elif short:
            labels = [self.display.number(str(to_jalali(b.start.date()).day)) for b in report.buckets]
            months = {self._month_label(b.start.date()) for b in report.buckets}
            axis_title = self.tr("روز") + "  " + " / ".join(sorted(months))
        else:
            labels = [self._day_label(b.start.date()) for b in report.buckets]
            axis_title = ""
        if short:
            bars = QBarSet(self.tr("فروش"))
            bars.setColor(ACCENT)
            bars.append(values)
            series = QBarSeries()
            series.append(bars)
            chart.addSeries(series)
            axis_x: Any = QBarCategoryAxis()
            axis_x.append(labels)
        else:
            series = QLineSeries()
            series.setColor(ACCENT)
            for index, value in enumerate(values):
                series.append(index, value)
            chart.addSeries(series)
            axis_x = QCategoryAxis()
            axis_x.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
            step = max(1, len(values) // CHART_LABELS)
            for index in range(0, len(values), step):
                axis_x.append(labels[index], index)
            axis_x.setRange(0, len(values) - 1)
        axis_x.setTitleText(axis_title)
        axis_y = self._value_axis(max(values, default=0.0))
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        return chart

    def _month_label(self, day: date) -> str:
        jalali = to_jalali(day)
        return self.display.number(f"{jalali.year}/{jalali.month:02d}")

    def _day_label(self, day: date) -> str:
        jalali = to_jalali(day)
        return self.display.number(f"{jalali.month:02d}/{jalali.day:02d}")

    def products_chart(self, report: Any) -> QChart:
        rows = report.rows[:TOP_PRODUCTS]
        return self._ranked_bars(
            self.tr("پرفروش‌ترین کالاها (فروش خالص)"),
            [r.name if r.product_id is not None else QCoreApplication.translate("Reports", "ردیف‌های دستی")
             for r in rows], [r.net_amount for r in rows])

    def categories_chart(self, report: Any) -> QChart:
        rows = report.rows[:TOP_PRODUCTS]
        return self._ranked_bars(
            self.tr("فروش خالص هر دسته"),
            [r.category or QCoreApplication.translate("Reports", "بدون دسته") for r in rows],
            [r.net_amount for r in rows])

    def _ranked_bars(self, title: str, labels: list[str], amounts: list[Decimal]) -> QChart:
        """Horizontal bars, the first label at the top, for a best-first list."""
        chart = self._new_chart(title)
        bars = QBarSet(self.tr("فروش خالص"))
        bars.setColor(ACCENT)
        bars.append([max(self._million(amount), 0.0) for amount in reversed(amounts)])
        series = QHorizontalBarSeries()
        series.append(bars)
        chart.addSeries(series)
        names: list[str] = []
        for label in reversed(labels):
            name = label if len(label) <= 32 else label[:31] + "…"
            while name in names:
                name += " "
            names.append(name)
        axis_y = QBarCategoryAxis()
        axis_y.append(names)
        axis_y.setTruncateLabels(False)
        small = axis_y.labelsFont()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        axis_y.setLabelsFont(small)
        axis_x = self._value_axis(max((bars.at(i) for i in range(bars.count())), default=0.0))
        axis_x.setReverse(self.display.persian_digits)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignRight if self.display.persian_digits else Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        series.attachAxis(axis_x)
        return chart

    def payments_chart(self, report: Any) -> QChart:
        chart = self._new_chart(self.tr("سهم هر روش پرداخت"))
        series = QPieSeries()
        total = sum((max(r.net, Decimal(0)) for r in report.rows), Decimal(0))
        language = self.display.language
        for row in report.rows:
            if row.net <= 0:
                continue
            fa, en = METHOD_NAMES[row.method]
            label = fa if language == "fa" else en
            if row.provider:
                label += f" ({row.provider})"
            share = self.display.percent((row.net * 100 / total).quantize(Decimal(1))) if total else ""
            piece = series.append(f"{label} {share}", float(row.net))
            piece.setLabelVisible(bool(total) and row.net * 100 >= total * SMALL_SLICE_PERCENT)
        chart.addSeries(series)
        chart.legend().setVisible(True)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        return chart

    # -- output ----------------------------------------------------------------------------

    def export(self, file_format: str, path: Path | None = None) -> None:
        """Write the report on screen, complete (every product, not just the top ones), as
        XLSX or CSV to `path` (None: ask where)."""
        kind = self.current_kind()
        if path is None:
            suffix = "xlsx" if file_format == "xlsx" else "csv"
            name, _filter = QFileDialog.getSaveFileName(
                self, self.tr("ذخیره گزارش"), f"{kind.value}.{suffix}",
                self.tr("اکسل (*.xlsx)") if file_format == "xlsx" else self.tr("CSV (*.csv)"))
            if not name:
                return
            path = Path(name)
        target = path
        report_range = self.report_range()
        language = self.display.language
        reports = self.services.reports

        def work(context: TaskContext) -> Path:
            document = report_document(kind, reports.report(kind, report_range), language)
            context.check()
            if file_format == "xlsx":
                content: bytes = to_xlsx(document, language)
            else:
                content = to_csv(document, language).encode("utf-8-sig")
            context.check()
            target.write_bytes(content)
            return target

        self.tasks.run_with_progress(
            self, self.tr("نوشتن گزارش…"), work, lane="read",
            on_done=lambda written: self._said(self.tr("گزارش در %1 ذخیره شد").replace("%1", str(written))),
            on_error=self._report_error,
            on_cancelled=lambda: self._said(self.tr("نوشتن گزارش لغو شد؛ پرونده‌ای نوشته نشد")))

    def print_report(self) -> None:
        """The report on screen as an A4 PDF in the print preview (print or save from there)."""
        document = self._documents.get(self.current_kind())
        if document is None:
            return
        documents = self.services.documents

        def open_preview(pdf: bytes) -> None:
            from posapp.ui.printing import PrintPreviewDialog

            dialog = PrintPreviewDialog(pdf, self, suggested_name=f"{document.kind}.pdf")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

        self.tasks.run(lambda _ctx: documents.report_pdf(document), on_done=open_preview,
                       on_error=self._report_error)

    def _said(self, text: str) -> None:
        self.sig_message.emit(text)

    def _report_error(self, error: BaseException) -> None:
        text = error_text(error, self.display.language)
        self.sig_message.emit(text)
        show_warning(self, self.tr("خطا"), text)


def open_reports(window: Any) -> ReportsWindow:
    """Show the main window's reports window, creating it on first use (the main window's hook)."""
    reports = getattr(window, "reports_window", None)
    if reports is None:
        reports = ReportsWindow(window.services, window.tasks, window.display, window)
        reports.sig_message.connect(window.show_message)
        window.reports_window = reports
    reports.show()
    reports.raise_()
    reports.activateWindow()
    return reports
