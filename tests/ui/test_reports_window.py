"""The reports window driven like an owner would: Ctrl+5, presets, a custom Jalali range, the till
filter, every tab with its chart and tables, and an export, checked against the independent
walk over the invoices (tests/report_data.py)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from posapp.domain.jalali import Period, iran_today, period_days
from posapp.services.reports import ReportKind
from posapp.ui.reports import ReportsWindow
from tests.report_data import SECOND_TILL, all_invoices, build_report_shop, expected_sales
from tests.ui.keys import press, type_text


@pytest.fixture
def shop(window):
    built = build_report_shop(window.services, invoices=80)
    return built, all_invoices(window.services)


def _open(qtbot, window) -> ReportsWindow:
    with qtbot.waitSignal(window.findChild(object, "action_show_reports").triggered, timeout=2000):
        press(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    reports = window.reports_window
    qtbot.waitUntil(lambda: reports.document(ReportKind.SALES) is not None, timeout=10_000)
    return reports


def _sales_totals(reports: ReportsWindow) -> list:
    by_time = reports.report_tabs[ReportKind.SALES].tables[1].model()
    return list(by_time.rows[-1][1:])


def _expected(invoices, first, last, till=None) -> list:
    figures = expected_sales(invoices, first, last, till)
    return [figures[key] for key in ("invoices", "gross", "discount", "returns", "cancelled", "net", "vat",
                                     "charges", "total")]


def _choose_period(qtbot, reports: ReportsWindow, period: Period | None) -> None:
    with qtbot.waitSignal(reports.sig_loaded, timeout=10_000):
        reports.period.setCurrentIndex(reports.period.findData(period.value if period else None))


def test_ctrl_5_opens_today_and_the_presets_reload(qtbot, window, shop):
    _built, invoices = shop
    reports = _open(qtbot, window)
    assert reports.isVisible()
    today = iran_today()
    assert reports.period.currentData() == Period.TODAY.value
    assert (reports.date_from.date(), reports.date_to.date()) == (today, today)
    assert _sales_totals(reports) == _expected(invoices, today, today)
    chart = reports.report_tabs[ReportKind.SALES].chart_view.chart()
    assert isinstance(chart.series()[0], QBarSeries)
    assert chart.series()[0].barSets()[0].count() == 24

    _choose_period(qtbot, reports, Period.THIS_YEAR)
    first, last = period_days(Period.THIS_YEAR)
    assert (reports.date_from.date(), reports.date_to.date()) == (first, last)
    assert _sales_totals(reports) == _expected(invoices, first, last)
    line = reports.report_tabs[ReportKind.SALES].chart_view.chart().series()[0]
    assert isinstance(line, QLineSeries)
    assert line.count() == (last - first).days + 1

    _choose_period(qtbot, reports, Period.YESTERDAY)
    yesterday = today - timedelta(days=1)
    assert _sales_totals(reports) == _expected(invoices, yesterday, yesterday)


def test_a_typed_jalali_range_becomes_custom_and_the_till_filters(qtbot, window, shop):
    _built, invoices = shop
    reports = _open(qtbot, window)
    first = iran_today() - timedelta(days=40)
    reports.date_from.lineEdit().clear()
    type_text(reports.date_from.lineEdit(), reports.display.date(first))
    with qtbot.waitSignal(reports.sig_loaded, timeout=10_000):
        press(reports.date_from.lineEdit(), Qt.Key.Key_Return)
    assert reports.period.currentData() is None
    assert reports.date_from.date() == first
    assert _sales_totals(reports) == _expected(invoices, first, iran_today())

    qtbot.waitUntil(lambda: reports.till.findData(SECOND_TILL) >= 0, timeout=5000)
    with qtbot.waitSignal(reports.sig_loaded, timeout=10_000):
        reports.till.setCurrentIndex(reports.till.findData(SECOND_TILL))
    assert _sales_totals(reports) == _expected(invoices, first, iran_today(), SECOND_TILL)
    assert _sales_totals(reports)[0] == 2


def test_every_tab_shows_its_report(qtbot, window, shop):
    _built, invoices = shop
    reports = _open(qtbot, window)
    _choose_period(qtbot, reports, Period.THIS_YEAR)
    first, last = period_days(Period.THIS_YEAR)
    for index, kind in enumerate(ReportKind):
        if kind is not ReportKind.SALES:
            with qtbot.waitSignal(reports.sig_loaded, timeout=10_000) as loaded:
                reports.tabs.setCurrentIndex(index)
            assert loaded.args == [kind.value]
        tab = reports.report_tabs[kind]
        assert tab.tables, kind
        assert all(view.model().rowCount() for view in tab.tables if view.model().table.totals), kind

    products = reports.report_tabs[ReportKind.PRODUCTS]
    series = products.chart_view.chart().series()[0]
    assert isinstance(series, QHorizontalBarSeries)
    top = products.tables[0].model().table.rows
    assert series.barSets()[0].count() == len(top) <= 20
    axis = next(a for a in products.chart_view.chart().axes() if isinstance(a, QBarCategoryAxis))
    assert axis.categories()[-1].strip() == top[0][1][:32].strip() or axis.categories()[-1].endswith("…")

    categories = reports.report_tabs[ReportKind.CATEGORIES]
    shelf = categories.tables[0].model().table.rows
    assert categories.chart_view.chart().series()[0].barSets()[0].count() == len(shelf) > 1

    pie = reports.report_tabs[ReportKind.PAYMENTS].chart_view.chart().series()[0]
    assert isinstance(pie, QPieSeries)
    assert any(piece.label().startswith("کارت") for piece in pie.slices())
    assert reports.report_tabs[ReportKind.CASHIERS].chart_view is None

    customers = reports.report_tabs[ReportKind.CUSTOMERS].tables[0].model()
    assert customers.rows[-1][-1] == sum(
        (r[-1] for r in customers.rows[:-1]), Decimal(0))
    assert _sales_totals(reports) == _expected(invoices, first, last)


def test_export_writes_the_whole_report_as_xlsx(qtbot, window, shop, tmp_path):
    reports = _open(qtbot, window)
    _choose_period(qtbot, reports, Period.THIS_YEAR)
    with qtbot.waitSignal(reports.sig_loaded, timeout=10_000):
        reports.tabs.setCurrentIndex(list(ReportKind).index(ReportKind.PRODUCTS))
    target = tmp_path / "products.xlsx"
    with qtbot.waitSignal(reports.sig_message, timeout=10_000) as said:
        reports.export("xlsx", target)
    assert str(target) in said.args[0]
    sheet = load_workbook(target).worksheets[0]
    assert sheet.sheet_view.rightToLeft is True
    everything = window.services.reports.products(reports.report_range())
    assert sheet.max_row == 1 + len(everything.rows) + 1
    assert sheet.cell(row=sheet.max_row, column=10).value == everything.net_amount


def test_a_range_ending_before_it_starts_says_so_and_computes_nothing(qtbot, window, shop):
    reports = _open(qtbot, window)
    reports.date_to.set_date(date(2024, 1, 1))
    tab = reports.report_tabs[ReportKind.SALES]
    assert "پایان" in tab.status.text()
    assert reports.document(ReportKind.SALES) is None


def test_the_english_window_uses_ascii_digits(qtbot, english_pos):
    window = english_pos.window
    build_report_shop(window.services, invoices=30)
    reports = _open(qtbot, window)
    assert reports.tabs.tabText(0) == "Sales"
    assert reports.windowTitle() == "Reports"
    chart = reports.report_tabs[ReportKind.SALES].chart_view.chart()
    assert chart.locale().name() == "en_US"
    labels = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis)).categories()
    assert labels[:3] == ["0", "1", "2"]
    header = reports.report_tabs[ReportKind.SALES].tables[1].model().headerData(0, Qt.Orientation.Horizontal)
    assert header == "hour"
    QApplication.processEvents()


def test_print_a4_previews_the_report_on_screen(qtbot, window, shop):
    from posapp.ui.printing import PrintPreviewDialog

    reports = _open(qtbot, window)
    with qtbot.waitSignal(reports.sig_loaded, timeout=10_000):
        reports.tabs.setCurrentIndex(list(ReportKind).index(ReportKind.VAT))
    qtbot.mouseClick(reports.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reports.findChild(PrintPreviewDialog) is not None, timeout=10_000)
    preview = reports.findChild(PrintPreviewDialog)
    assert preview.page_count >= 1
    assert preview.suggested_name == "vat.pdf"
    assert preview.pdf_bytes.startswith(b"%PDF")
    preview.close()


@pytest.mark.parametrize("maximum", [0.0, 0.4, 2.3, 7.0, 960.0])
def test_the_value_axis_never_repeats_a_label(qtbot, window, maximum):
    reports = ReportsWindow(window.services, window.tasks, window.display, window)
    qtbot.addWidget(reports)
    axis = reports._value_axis(maximum)
    step = (axis.max() - axis.min()) / (axis.tickCount() - 1)
    labels = [axis.labelFormat() % (axis.min() + step * tick) for tick in range(axis.tickCount())]
    assert len(set(labels)) == len(labels), labels
    assert axis.min() == 0
    assert axis.max() >= maximum
