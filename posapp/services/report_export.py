"""The reports as tables, and those tables as XLSX, CSV, JSON and plain text.

`report_document` turns a typed report from `posapp.services.reports` into a `ReportDocument`;
the writers below (and `posapp.render.report` for A4 PDF) all work from that one shape, so every
output shows the same rows and the same totals. Amounts stay whole Rial in every format: numbers
in XLSX (with a grouping format), plain integers in CSV, decimal strings in JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from posapp.domain.formatting import format_quantity
from posapp.domain.invoice import InvoiceKind, PaymentMethod
from posapp.domain.jalali import format_jalali_date
from posapp.domain.report_table import Cell, CellKind, ReportDocument, ReportTable, TableColumn
from posapp.services.reports import (
    CashiersReport,
    CategoriesReport,
    CustomersReport,
    PaymentsReport,
    ProductsReport,
    ReportKind,
    SalesReport,
    VatReport,
)

SEASON_NAMES = {1: ("بهار", "spring"), 2: ("تابستان", "summer"), 3: ("پاییز", "autumn"), 4: ("زمستان", "winter")}
METHOD_NAMES = {
    PaymentMethod.CASH: ("نقد", "cash"),
    PaymentMethod.CARD: ("کارت", "card"),
    PaymentMethod.LINK: ("لینک پرداخت", "payment link"),
    PaymentMethod.CREDIT: ("نسیه (به حساب مشتری)", "on account"),
}
KIND_NAMES = {
    InvoiceKind.SALE: ("فروش", "sale"),
    InvoiceKind.RETURN: ("برگشت از فروش", "return"),
    InvoiceKind.REDUCTION: ("کاهشی", "reduction"),
}
REPORT_TITLES = {
    ReportKind.SALES: ("خلاصه فروش", "Sales summary"),
    ReportKind.PRODUCTS: ("فروش کالاها", "Products"),
    ReportKind.CATEGORIES: ("فروش دسته‌های کالا", "Product categories"),
    ReportKind.PAYMENTS: ("دریافت‌ها به روش پرداخت", "Payments"),
    ReportKind.CASHIERS: ("کاربران و صندوق‌داران", "Cashiers"),
    ReportKind.VAT: ("مالیات بر ارزش افزوده فصلی", "VAT by season"),
    ReportKind.CUSTOMERS: ("مشتریان و بدهی‌ها", "Customers"),
}
TOTAL = ("جمع", "Total")
FREE_TEXT_PRODUCT = ("ردیف‌های دستی (بدون کالا)", "hand-typed lines (no product)")
NO_CATEGORY = ("بدون دسته", "no category")


def _col(key: str, fa: str, en: str, kind: CellKind = CellKind.TEXT) -> TableColumn:
    return TableColumn(key, fa, en, kind)


A, Q, N, R, D = CellKind.AMOUNT, CellKind.QUANTITY, CellKind.COUNT, CellKind.RATE, CellKind.DATE


def season_title(year: int, season: int, language: str) -> str:
    fa, en = SEASON_NAMES[season]
    return f"{fa} {year}" if language == "fa" else f"{en} {year}"


def report_document(kind: ReportKind, report: Any, language: str = "fa") -> ReportDocument:
    """The tables of `report` (the typed result of the report `kind`). `language` picks the
    words inside cells (payment methods, seasons); column titles carry both languages."""
    builders: dict[ReportKind, Callable[[Any, str], tuple[ReportTable, ...]]] = {
        ReportKind.SALES: _sales_tables, ReportKind.PRODUCTS: _products_tables,
        ReportKind.CATEGORIES: _categories_tables,
        ReportKind.PAYMENTS: _payments_tables, ReportKind.CASHIERS: _cashiers_tables,
        ReportKind.VAT: _vat_tables, ReportKind.CUSTOMERS: _customers_tables,
    }
    kind = ReportKind(kind)
    fa, en = REPORT_TITLES[kind]
    span = report.range
    return ReportDocument(kind.value, fa, en, span.date_from, span.date_to, span.till,
                          builders[kind](report, language))


def _word(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language == "fa" else pair[1]


SALES_COLUMNS = (
    _col("invoices", "تعداد فاکتور", "invoices", N), _col("gross", "مبلغ کل", "gross", A),
    _col("discount", "تخفیف", "discounts", A), _col("returns", "برگشتی", "returns", A),
    _col("cancelled", "ابطالی", "cancelled", A), _col("net", "فروش خالص", "net sales", A),
    _col("vat", "مالیات و عوارض", "VAT", A), _col("charges", "هزینه‌های جانبی", "charges", A),
    _col("total", "جمع دریافتنی", "total", A),
)


def _sales_cells(figures: Any) -> tuple[Cell, ...]:
    return (figures.invoices, figures.gross, figures.discount, figures.returns, figures.cancelled,
            figures.net, figures.vat, figures.charges, figures.total)


def _sales_tables(report: SalesReport, language: str) -> tuple[ReportTable, ...]:
    totals = report.totals
    summary = ReportTable(
        "خلاصه", "Summary",
        (_col("figure", "شاخص", "figure"), _col("count", "تعداد", "count", N), _col("amount", "مبلغ", "amount", A)),
        (
            (_word(("فروش", "sales"), language), totals.invoices, totals.sales_total),
            (_word(("مبلغ کل پیش از تخفیف", "gross before discounts"), language), None, totals.gross),
            (_word(("تخفیف‌ها", "discounts"), language), None, totals.discount),
            (_word(("برگشت از فروش", "returns"), language), totals.returns_count, totals.returns),
            (_word(("ابطال‌شده", "cancelled"), language), totals.cancelled_count, totals.cancelled),
            (_word(("فروش خالص (بی مالیات)", "net sales (before VAT)"), language), None, totals.net),
            (_word(("مالیات و عوارض", "VAT"), language), None, totals.vat),
            (_word(("هزینه‌های جانبی", "charges"), language), None, totals.charges),
            (_word(("جمع دریافتنی پس از برگشتی", "total after returns"), language), None, totals.total),
            (_word(("میانگین هر فروش", "average sale"), language), None, totals.average),
        ),
    )
    first = (_col("hour", "ساعت", "hour") if report.by_hour else _col("day", "روز", "day", D))
    rows = tuple(
        (f"{bucket.start.hour:02d}:00" if report.by_hour else bucket.start.date(), *_sales_cells(bucket.figures))
        for bucket in report.buckets
    )
    by_time = ReportTable("به تفکیک ساعت" if report.by_hour else "به تفکیک روز",
                          "By hour" if report.by_hour else "By day",
                          (first, *SALES_COLUMNS), rows, (_word(TOTAL, language), *_sales_cells(totals)))
    return summary, by_time


def _products_tables(report: ProductsReport, language: str) -> tuple[ReportTable, ...]:
    columns = (
        _col("code", "کد", "code"), _col("name", "کالا", "product"), _col("category", "دسته", "category"),
        _col("unit", "واحد", "unit"),
        _col("sold_quantity", "مقدار فروش", "sold qty", Q), _col("sold_amount", "مبلغ فروش", "sold", A),
        _col("returned_quantity", "مقدار برگشتی", "returned qty", Q),
        _col("returned_amount", "مبلغ برگشتی", "returned", A),
        _col("net_quantity", "مقدار خالص", "net qty", Q), _col("net_amount", "فروش خالص", "net", A),
    )

    def cells(row: Any) -> tuple[Cell, ...]:
        name = row.name if row.product_id is not None else _word(FREE_TEXT_PRODUCT, language)
        return (row.code, name, row.category, row.unit, row.sold_quantity, row.sold_amount, row.returned_quantity,
                row.returned_amount, row.net_quantity, row.net_amount)

    totals = (_word(TOTAL, language), None, None, None, None, report.sold_amount, None, report.returned_amount, None,
              report.net_amount)
    tables = [ReportTable("فروش کالاها (پرفروش‌ترین‌ها نخست)", "Products (best sellers first)", columns,
                          tuple(cells(r) for r in report.rows), totals)]
    if report.bottom:
        tables.append(ReportTable("کم‌فروش‌ترین‌ها", "Weakest sellers", columns, tuple(cells(r) for r in report.bottom)))
    return tuple(tables)


def _categories_tables(report: CategoriesReport, language: str) -> tuple[ReportTable, ...]:
    columns = (
        _col("category", "دسته", "category"), _col("products", "تعداد کالا", "products", N),
        _col("sold_amount", "مبلغ فروش", "sold", A), _col("returned_amount", "مبلغ برگشتی", "returned", A),
        _col("net_amount", "فروش خالص", "net", A),
    )
    rows = tuple((r.category or _word(NO_CATEGORY, language), r.products, r.sold_amount, r.returned_amount,
                  r.net_amount) for r in report.rows)
    totals = (_word(TOTAL, language), sum(r.products for r in report.rows), report.sold_amount,
              report.returned_amount, report.net_amount)
    return (ReportTable("فروش به تفکیک دسته", "Sales by category", columns, rows, totals),)


def _payments_tables(report: PaymentsReport, language: str) -> tuple[ReportTable, ...]:
    columns = (
        _col("method", "روش پرداخت", "method"), _col("provider", "سامانه", "provider"),
        _col("received_count", "تعداد دریافت", "payments", N), _col("received", "دریافتی", "received", A),
        _col("refunded_count", "تعداد بازپرداخت", "refunds", N), _col("refunded", "بازپرداخت", "refunded", A),
        _col("net", "خالص", "net", A),
    )
    rows = tuple((_word(METHOD_NAMES[r.method], language), r.provider, r.received_count, r.received,
                  r.refunded_count, r.refunded, r.net) for r in report.rows)
    totals = (_word(("جمع پول دریافتی (بی نسیه)", "money received (on account aside)"), language), None, None,
              report.received, None, report.refunded, report.net)
    return (ReportTable("دریافت‌ها", "Payments", columns, rows, totals),)


def _cashiers_tables(report: CashiersReport, language: str) -> tuple[ReportTable, ...]:
    columns = (
        _col("cashier", "کاربر", "user"),
        _col("sales_count", "تعداد فروش", "sales", N), _col("sales", "مبلغ فروش", "sold", A),
        _col("discount", "تخفیف", "discounts", A), _col("returns_count", "تعداد برگشتی", "returns", N),
        _col("returns", "مبلغ برگشتی", "returned", A), _col("cancelled_count", "تعداد ابطالی", "cancelled", N),
        _col("cancelled", "مبلغ ابطالی", "cancelled amount", A), _col("net", "خالص", "net", A),
        _col("approvals_asked", "تأیید گرفته", "approvals asked", N),
        _col("approvals_given", "تأیید داده", "approvals given", N),
    )
    figures = [(r.sales_count, r.sales, r.discount, r.returns_count, r.returns, r.cancelled_count,
                r.cancelled, r.net, r.approvals_asked, r.approvals_given) for r in report.rows]
    rows = tuple((r.cashier, *numbers) for r, numbers in zip(report.rows, figures, strict=True))
    totals = (_word(TOTAL, language), *(sum(numbers[index] for numbers in figures)
                                        for index in range(len(columns) - 1)))
    return (ReportTable("کاربران: فروش، برگشت، ابطال، تخفیف و تأییدها",
                        "Users: sales, returns, cancellations, discounts and approvals", columns, rows, totals),)


def _vat_tables(report: VatReport, language: str) -> tuple[ReportTable, ...]:
    rate_columns = (
        _col("season", "فصل", "season"), _col("from", "از", "from", D), _col("to", "تا", "to", D),
        _col("rate", "نرخ", "rate", R), _col("sales_taxable", "مبلغ فروش", "sales taxable", A),
        _col("sales_vat", "مالیات فروش", "sales VAT", A), _col("returns_taxable", "مبلغ برگشتی", "returns taxable", A),
        _col("returns_vat", "مالیات برگشتی", "returns VAT", A), _col("taxable", "مبلغ مشمول خالص", "taxable", A),
        _col("vat", "مالیات خالص", "VAT", A),
    )
    rate_rows: list[tuple[Cell, ...]] = []
    number_rows: list[tuple[Cell, ...]] = []
    for season in report.seasons:
        title = season_title(season.year, season.season, language)
        for line in season.rates:
            rate_rows.append((title, season.date_from, season.date_to, line.rate, line.sales_taxable, line.sales_vat,
                              line.returns_taxable, line.returns_vat, line.taxable, line.vat))
        for span in season.numbers:
            number_rows.append((title, _word(KIND_NAMES[span.kind], language), span.first, span.last, span.count))
    vat_total = sum((season.vat for season in report.seasons), Decimal(0))
    rates = ReportTable("مالیات به تفکیک فصل و نرخ", "VAT by season and rate", rate_columns, tuple(rate_rows),
                        (_word(TOTAL, language), None, None, None, None, None, None, None, None, vat_total))
    numbers = ReportTable(
        "شماره فاکتورهای هر فصل", "Invoice numbers covered",
        (_col("season", "فصل", "season"), _col("kind", "نوع", "kind"), _col("first", "از شماره", "first"),
         _col("last", "تا شماره", "last"), _col("count", "تعداد", "count", N)),
        tuple(number_rows))
    return rates, numbers


def _customers_tables(report: CustomersReport, language: str) -> tuple[ReportTable, ...]:
    columns = (
        _col("name", "مشتری", "customer"), _col("mobile", "موبایل", "mobile"),
        _col("sales_count", "تعداد خرید", "purchases", N), _col("sales", "خرید", "bought", A),
        _col("returns", "برگشتی", "returned", A), _col("net", "خالص", "net", A),
        _col("balance", "بدهی به حساب", "owes on account", A),
    )
    rows = tuple((r.name, r.mobile, r.sales_count, r.sales, r.returns, r.net, r.balance) for r in report.rows)
    totals = (_word(TOTAL, language), None, None, report.sales, report.returns, report.sales - report.returns,
              report.owed)
    title_fa, title_en = "مشتریان", "Customers"
    if len(rows) < report.customer_count:
        title_fa += f" ({len(rows)} نخست از {report.customer_count}؛ همه در خروجی اکسل)"
        title_en += f" (first {len(rows)} of {report.customer_count}; all in the Excel export)"
    return (ReportTable(title_fa, title_en, columns, rows, totals),)


# -- writers ---------------------------------------------------------------------------------


def plain_cell(value: Cell, kind: CellKind) -> str:
    """A cell as machine-readable text: integers for Rial, dots for decimals, Jalali dates
    with ASCII digits, rates as percentages."""
    if value is None:
        return ""
    if kind is CellKind.DATE and isinstance(value, date):
        return format_jalali_date(value, persian_digits=False)
    if kind is CellKind.RATE and isinstance(value, Decimal):
        return f"{(value * 100).normalize():f}"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value != value.to_integral_value() else f"{value:.0f}"
    return str(value)


def _title_with_range(document: ReportDocument, language: str) -> str:
    span = f"{plain_cell(document.date_from, D)} - {plain_cell(document.date_to, D)}"
    till = ""
    if document.till:
        till = f" ({'صندوق' if language == 'fa' else 'till'} {document.till})"
    return f"{document.title(language)}: {span}{till}"


def _header(column: TableColumn, language: str) -> str:
    """A column title for the plain-text formats, where rates are written as percentages."""
    return column.title(language) + (" (%)" if column.kind is R else "")


def to_csv(document: ReportDocument, language: str = "fa") -> str:
    """Every table one after another: its title, header row, rows and totals, a blank line
    between tables. Write it with a UTF-8 BOM (`encoding="utf-8-sig"`) for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for index, table in enumerate(document.tables):
        if index:
            writer.writerow([])
        writer.writerow([f"{_title_with_range(document, language)} / {table.title(language)}"])
        writer.writerow([_header(column, language) for column in table.columns])
        for row in (*table.rows, *((table.totals,) if table.totals else ())):
            writer.writerow([plain_cell(value, column.kind) for value, column in zip(row, table.columns, strict=True)])
    return buffer.getvalue()


def to_json(document: ReportDocument) -> str:
    """The tables with English keys; amounts, quantities and rates are decimal strings."""

    def value(cell: Cell, kind: CellKind) -> Any:
        if cell is None or (isinstance(cell, int | str) and not isinstance(cell, bool)):
            return cell
        if isinstance(cell, date):
            return {"jalali": plain_cell(cell, D), "gregorian": cell.isoformat()}
        if kind is R and isinstance(cell, Decimal):
            return f"{cell.normalize():f}"
        return plain_cell(cell, CellKind.TEXT)

    def row_object(table: ReportTable, row: tuple[Cell, ...]) -> dict[str, Any]:
        return {column.key: value(cell, column.kind) for cell, column in zip(row, table.columns, strict=True)}

    payload = {
        "report": document.kind,
        "from": value(document.date_from, D), "to": value(document.date_to, D), "till": document.till,
        "currency": "IRR",
        "tables": [
            {"title": table.title_en, "columns": [c.key for c in table.columns],
             "rows": [row_object(table, row) for row in table.rows],
             "totals": row_object(table, table.totals) if table.totals else None}
            for table in document.tables
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def to_text(document: ReportDocument, language: str = "fa") -> str:
    """Aligned columns for a terminal; amounts grouped in thousands."""

    def shown(value: Cell, kind: CellKind) -> str:
        if isinstance(value, Decimal) and kind is A:
            return f"{value:,.0f}"
        if isinstance(value, Decimal) and kind is Q:
            return format_quantity(value, persian_digits=False)
        if isinstance(value, int) and not isinstance(value, bool) and kind in (N, A):
            return f"{value:,}"
        return plain_cell(value, kind)

    out = [_title_with_range(document, language), ""]
    for table in document.tables:
        cells = [[_header(c, language) for c in table.columns]]
        cells += [[shown(v, c.kind) for v, c in zip(row, table.columns, strict=True)]
                  for row in (*table.rows, *((table.totals,) if table.totals else ()))]
        widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
        out.append(f"== {table.title(language)} ==")
        for row in cells:
            out.append("  ".join(
                text.rjust(width) if column.kind not in (CellKind.TEXT, D) else text.ljust(width)
                for text, width, column in zip(row, widths, table.columns, strict=True)).rstrip())
        out.append("")
    return "\n".join(out)


XLSX_FORMATS = {A: "#,##0", Q: "#,##0.###", N: "#,##0", R: "0.##%"}
MAX_SHEET_TITLE = 31
_SHEET_UNSAFE = str.maketrans({c: " " for c in "[]:*?/\\"})


def to_xlsx(document: ReportDocument, language: str = "fa") -> bytes:
    """One sheet per table: header row (bold, frozen), rows, a bold totals row; numbers with
    grouping formats, Jalali dates as text, sheets right-to-left in Persian."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    for empty_sheet in book.worksheets:
        book.remove(empty_sheet)
    book.properties.title = _title_with_range(document, language)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    used: set[str] = set()
    for table in document.tables:
        title = table.title(language).translate(_SHEET_UNSAFE)[:MAX_SHEET_TITLE].strip() or "sheet"
        while title in used:
            title = f"{title[:MAX_SHEET_TITLE - 2]} {len(used)}"
        used.add(title)
        sheet = book.create_sheet(title)
        sheet.sheet_view.rightToLeft = language == "fa"
        sheet.append([column.title(language) for column in table.columns])
        for cell in sheet[1]:
            cell.font = bold
            cell.fill = header_fill
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        rows = [*table.rows, *((table.totals,) if table.totals else ())]
        for row in rows:
            sheet.append([_xlsx_value(value, column.kind) for value, column in zip(row, table.columns, strict=True)])
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            number_format = XLSX_FORMATS.get(column.kind)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            longest = max([len(column.title(language)), *(len(plain_cell(r[index - 1], column.kind)) + 3 for r in rows)])
            sheet.column_dimensions[letter].width = min(60, max(10, longest + 2))
        if table.totals:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Cell, kind: CellKind) -> Any:
    if kind is D and isinstance(value, date):
        return plain_cell(value, D)
    if isinstance(value, Decimal) and kind is A:
        return int(value)
    return value
