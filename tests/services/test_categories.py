"""Product categories: the form's and the import's category is cleaned and stored, the catalogue
export writes it and reads it back unchanged, and the categories report equals the sums
recomputed by walking the invoices with each product's category."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import InvoiceKind, InvoiceLine
from posapp.domain.jalali import to_iran_time
from posapp.services.catalog import ProductInput
from posapp.services.demo_data import SHELF_CATEGORIES
from posapp.services.report_export import report_document, to_csv
from posapp.services.reports import ReportKind, ReportRange
from tests.report_data import counts, in_range, reduced_sales


def test_a_category_is_cleaned_and_listed(services):
    catalog = services.catalog
    saved = catalog.create(ProductInput(name="ماست", code="C-1", price=100_000, category="  لبنيات   محلی "))
    assert saved.category == "لبنیات محلی"
    catalog.create(ProductInput(name="نان", code="C-2", price=10_000))
    assert catalog.get(saved.id).category == "لبنیات محلی"
    assert catalog.categories() == ["لبنیات محلی"]
    with pytest.raises(ValidationError) as refused:
        catalog.create(ProductInput(name="شیر", code="C-3", price=1, category="د" * 101))
    assert refused.value.field == "category"
    assert catalog.find_by_code("C-3") is None


def test_import_reads_a_category_column_and_export_writes_it_back(services, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["کد", "نام", "قیمت", "دسته"])
    sheet.append(["C-10", "پنیر لیقوان", 3_200_000, "لبنیات"])
    sheet.append(["C-11", "چای سیاه", 900_000, None])
    source = tmp_path / "in.xlsx"
    workbook.save(source)
    catalog = services.catalog
    catalog.commit_import(catalog.preview_import(source))
    assert catalog.find_by_code("C-10").category == "لبنیات"
    assert catalog.find_by_code("C-11").category == ""

    exported = tmp_path / "out.csv"
    catalog.export(exported)
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("دسته")
    assert {r[0]: r[column] for r in rows[1:]} == {"C-10": "لبنیات", "C-11": ""}
    again = catalog.preview_import(exported)
    assert again.new_count == again.update_count == 0

    as_xlsx = tmp_path / "out.xlsx"
    catalog.export(as_xlsx)
    header = [c.value for c in next(load_workbook(as_xlsx).active.iter_rows(max_row=1))]
    assert "دسته" in header


def test_the_categories_report_matches_the_walk(report_shop):
    services, _built, invoices = report_shop
    today = to_iran_time(datetime.now(UTC)).date()
    year = ReportRange(today - timedelta(days=370), today)
    category_of: dict[int | None, str] = {}
    expected: dict[str, list] = defaultdict(lambda: [set(), Decimal(0), Decimal(0)])
    reduced = reduced_sales(invoices)
    for invoice in invoices:
        if not counts(invoice, reduced) or not in_range(invoice, year.date_from, year.date_to):
            continue
        for line, totals in zip(invoice.lines, invoice.totals.lines, strict=True):
            if line.product_id not in category_of:
                category_of[line.product_id] = (services.catalog.get(line.product_id).category
                                                if line.product_id else "")
            row = expected[category_of[line.product_id]]
            row[0].add(line.product_id)
            row[2 if invoice.kind is InvoiceKind.RETURN else 1] += totals.net
    report = services.reports.categories(year)
    assert {r.category: (r.products, r.sold_amount, r.returned_amount) for r in report.rows} == {
        key: (len(value[0]), value[1], value[2]) for key, value in expected.items()}
    assert {r.category for r in report.rows} <= set(SHELF_CATEGORIES) | {""}
    assert len(report.rows) > 3
    assert [r.net_amount for r in report.rows if r.category] == sorted(
        (r.net_amount for r in report.rows if r.category), reverse=True)
    assert report.net_amount == services.reports.products(year).net_amount
    table = list(csv.reader(to_csv(report_document(ReportKind.CATEGORIES, report)).splitlines()))
    assert table[1][0] == "دسته"
    assert int(table[-1][-1]) == report.net_amount


def test_lines_typed_by_hand_join_the_row_without_a_category(services):
    catalog = services.catalog
    tea = catalog.create(ProductInput(code="T1", name="چای", price=Decimal(100000), category="خواربار"))
    shelf = catalog.create(ProductInput(code="S1", name="قفسه", price=Decimal(40000)))
    invoicing = services.invoicing
    today = to_iran_time(datetime.now(UTC)).date()
    lines = (invoicing.line_for_product(tea, Decimal(2)), invoicing.line_for_product(shelf, Decimal(1)),
             InvoiceLine("خدمت بسته‌بندی", Decimal(1), Decimal(30000)))
    invoicing.issue(invoicing.new_draft("مریم").with_changes(lines=lines))
    report = services.reports.categories(ReportRange(today, today))
    rows = {r.category: (r.products, r.sold_amount) for r in report.rows}
    assert rows["خواربار"] == (1, Decimal(200000))
    assert rows[""] == (2, Decimal(40000) + Decimal(30000)), "the shelf and the line typed by hand, before VAT"
