"""Report exports read back: XLSX through openpyxl, CSV through the csv module, JSON, the A4 PDF
through pypdf, and the `posapp report` command end to end."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from posapp.cli import main
from posapp.domain.jalali import format_jalali_date, to_iran_time
from posapp.services.report_export import report_document, to_csv, to_json, to_xlsx
from posapp.services.reports import ReportKind, ReportRange

TODAY = to_iran_time(datetime.now(UTC)).date()
YEAR = ReportRange(TODAY - timedelta(days=370), TODAY)


def _sheet_rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_sales_xlsx_reads_back_with_formats_and_right_to_left(report_shop):
    services, _built, _invoices = report_shop
    report = services.reports.sales(YEAR)
    book = load_workbook(io.BytesIO(to_xlsx(report_document(ReportKind.SALES, report))))
    assert book.sheetnames == ["خلاصه", "به تفکیک روز"]
    by_day = book["به تفکیک روز"]
    assert by_day.sheet_view.rightToLeft is True
    assert by_day.freeze_panes == "A2"
    header = _sheet_rows(by_day)[0]
    assert header[:3] == ["روز", "تعداد فاکتور", "مبلغ کل"]
    assert all(cell.font.b for cell in by_day[1])
    rows = _sheet_rows(by_day)[1:]
    assert len(rows) == len(report.buckets) + 1
    assert rows[0][0] == format_jalali_date(YEAR.date_from, persian_digits=False)
    totals = rows[-1]
    assert totals[0] == "جمع"
    assert all(cell.font.b for cell in by_day[by_day.max_row])
    assert totals[1:] == [report.totals.invoices, report.totals.gross, report.totals.discount, report.totals.returns,
                          report.totals.cancelled, report.totals.net, report.totals.vat, report.totals.charges,
                          report.totals.total]
    assert sum(row[9] for row in rows[:-1]) == report.totals.total
    assert by_day.cell(row=2, column=3).number_format == "#,##0"
    summary = _sheet_rows(book["خلاصه"])
    assert summary[1] == ["فروش", report.totals.invoices, report.totals.sales_total]


def test_vat_xlsx_has_rates_as_percentages_and_the_numbers(report_shop):
    services, _built, _invoices = report_shop
    report = services.reports.vat(YEAR)
    book = load_workbook(io.BytesIO(to_xlsx(report_document(ReportKind.VAT, report), "en")))
    rates, numbers = book.worksheets
    assert rates.sheet_view.rightToLeft is False
    rows = _sheet_rows(rates)
    assert rows[0][3] == "rate"
    expected = [(line.rate, line.taxable, line.vat) for season in report.seasons for line in season.rates]
    assert [(Decimal(str(r[3])), r[8], r[9]) for r in rows[1:-1]] == expected
    assert rates.cell(row=2, column=4).number_format == "0.##%"
    assert rows[-1][9] == sum(season.vat for season in report.seasons)
    spans = [(n.first, n.last, n.count) for season in report.seasons for n in season.numbers]
    assert [(r[2], r[3], r[4]) for r in _sheet_rows(numbers)[1:]] == spans


def test_products_csv_and_json_give_the_same_figures(report_shop):
    services, _built, _invoices = report_shop
    report = services.reports.products(YEAR)
    rows = list(csv.reader(io.StringIO(to_csv(report_document(ReportKind.PRODUCTS, report)))))
    assert rows[0][0].startswith("فروش کالاها")
    assert rows[1][0] == "کد"
    body = rows[2:-1]
    assert [(r[0], r[2], Decimal(r[4]), int(r[5]), int(r[9])) for r in body] == [
        (p.code, p.category, p.sold_quantity, p.sold_amount, p.net_amount) for p in report.rows]
    assert int(rows[-1][9]) == report.net_amount
    payload = json.loads(to_json(report_document(ReportKind.PRODUCTS, report, "en")))
    table = payload["tables"][0]
    assert payload["report"] == "products"
    assert payload["from"]["gregorian"] == YEAR.date_from.isoformat()
    first = table["rows"][0]
    assert isinstance(first["sold_amount"], str)
    assert Decimal(first["sold_amount"]) == report.rows[0].sold_amount
    assert Decimal(table["totals"]["net_amount"]) == report.net_amount


def test_payments_json_uses_english_labels_and_decimal_strings(report_shop):
    services, _built, _invoices = report_shop
    report = services.reports.payments(YEAR)
    payload = json.loads(to_json(report_document(ReportKind.PAYMENTS, report, "en")))
    methods = [row["method"] for row in payload["tables"][0]["rows"]]
    assert "cash" in methods
    assert "payment link" in methods
    assert payload["tables"][0]["totals"]["received"] == str(report.received)


def test_the_pdf_is_a4_with_the_report_title_and_its_totals(report_shop):
    services, _built, _invoices = report_shop
    report = services.reports.cashiers(YEAR)
    pdf = services.documents.report_pdf(report_document(ReportKind.CASHIERS, report))
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert sorted((round(width), round(height))) == [595, 842]
    import pypdfium2

    page = pypdfium2.PdfDocument(pdf)[0]
    text = unicodedata.normalize("NFKC", page.get_textpage().get_text_range()).replace("\u200c", "")
    words = set(text.split())
    # Word order across a mixed line is each extractor's guess (docs/printing.md); the words are not.
    assert {"فروشگاه", "نمونه", "کاربران", "مبالغ", "ریال"} <= words


def test_the_report_command_writes_xlsx(report_shop, tmp_path, capsys):
    services, _built, _invoices = report_shop
    url = str(services.database.engine.url)
    out = tmp_path / "vat.xlsx"
    first = format_jalali_date(YEAR.date_from, persian_digits=False)
    last = format_jalali_date(YEAR.date_to, persian_digits=False)
    assert main(["--database-url", url, "report", "vat", "--from", first, "--to", last,
                 "--format", "xlsx", "--out", str(out)]) == 0
    sheet = load_workbook(out).worksheets[0]
    assert sheet.sheet_view.rightToLeft is True
    assert _sheet_rows(sheet)[-1][9] == sum(s.vat for s in services.reports.vat(YEAR).seasons)


def test_the_report_command_prints_json_for_one_till(report_shop, capsys):
    services, _built, _invoices = report_shop
    url = str(services.database.engine.url)
    first = format_jalali_date(YEAR.date_from, persian_digits=False)
    last = format_jalali_date(YEAR.date_to)
    assert main(["--database-url", url, "report", "sales", "--from", first, "--to", last, "--till", "2",
                 "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["till"] == "2"
    expected = services.reports.sales(ReportRange(YEAR.date_from, YEAR.date_to, "2")).totals
    assert Decimal(payload["tables"][1]["totals"]["total"]) == expected.total


@pytest.mark.parametrize("report", ["categories", "cashiers"])
def test_the_report_command_writes_categories_and_cashiers_as_json(report_shop, capsys, report):
    services, _built, _invoices = report_shop
    url = str(services.database.engine.url)
    first = format_jalali_date(YEAR.date_from, persian_digits=False)
    last = format_jalali_date(YEAR.date_to, persian_digits=False)
    assert main(["--database-url", url, "report", report, "--from", first, "--to", last, "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["report"] == report
    totals = payload["tables"][0]["totals"]
    if report == "categories":
        assert Decimal(totals["net_amount"]) == services.reports.categories(YEAR).net_amount
    else:
        rows = services.reports.cashiers(YEAR).rows
        assert int(totals["approvals_given"]) == sum(r.approvals_given for r in rows) > 0
        assert Decimal(totals["sales"]) == sum(r.sales for r in rows)


@pytest.mark.parametrize(("arguments", "message"), [
    (["--from", "1405/13/01"], "is not a day of the Jalali calendar"),
    (["--from", "1405/09/10", "--to", "1405/09/01"], "the end date is before the start date"),
    (["--format", "xlsx"], "xlsx needs --out FILE"),
])
def test_the_report_command_refuses_bad_input_in_both_languages(report_shop, capsys, arguments, message):
    services, _built, _invoices = report_shop
    url = str(services.database.engine.url)
    assert main(["--database-url", url, "report", "sales", *arguments]) == 2
    error = capsys.readouterr().err
    assert message in error
    assert any("\u0600" <= ch <= "\u06ff" for ch in error)
    assert "Traceback" not in error


def test_report_subcommands_join_a_report_command_another_module_made():
    """The shop-day reports (another module) and the owner's reports share `posapp report`,
    whichever registers first."""
    import argparse

    from posapp.cli import command_group
    from posapp.cli.reports import register

    top = argparse.ArgumentParser()
    commands = top.add_subparsers(dest="command")
    earlier = commands.add_parser("report").add_subparsers(dest="report_command")
    earlier.add_parser("z")
    register(commands)
    assert {"z", "sales", "vat"} <= set(command_group(commands, "report", "").choices)
    assert top.parse_args(["report", "vat", "--from", "1405/01/01"]).report == "vat"
