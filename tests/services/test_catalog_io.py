"""Catalogue import (CSV and .xlsx, Persian or English headers) with preview, and CSV export."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from posapp.domain.errors import ValidationError
from posapp.services._common import CancelledError
from posapp.services.catalog import ProductInput

PERSIAN_CSV = (
    "کد,نام,بارکد,واحد,قیمت,موجودی,مالیات\n"
    "2001,ماست چکیده کاله,6260000000024;6260000000031,عدد,\"1,250,000\",12,\n"
    "2002,برنج هاشمی گلستان,,کیلوگرم,۸۵۰۰۰۰,۲۵٫۵,معاف\n"
    "2003,زعفران سرگل,6260000000048,بسته,9500000,3,9%\n"
    "2004,,,عدد,1000,1,\n"                       # no name
    "2005,چای,6260000000024,عدد,1000,1,\n"       # barcode repeats row 2
    "2006,قند,,عدد,-5,1,\n"                       # negative price
    "1001,شیر پاستوریزه کاله ۱ لیتری,6260100110011,عدد,470000,40,\n"  # updates milk
    "2007,کره,6260100110011,عدد,1000,1,\n"       # barcode of another product
    "\n"
)


def test_csv_preview_checks_rows_and_commit_imports_only_valid_ones(services, products, tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text(PERSIAN_CSV, encoding="utf-8")
    catalog = services.catalog
    preview = catalog.preview_import(path)
    assert [row.row_number for row in preview.rows] == [2, 3, 4, 8]
    assert sorted(preview.errors) == [5, 6, 7, 9]
    assert preview.errors[5][0].field == "name"
    assert preview.errors[7][0].field == "price"
    assert "6260000000024" in preview.errors[6][0].message_en
    assert (preview.new_count, preview.update_count) == (3, 1)
    assert catalog.count() == 3, "a preview saves nothing"

    seen = []
    report = catalog.commit_import(preview, progress=lambda done, total: seen.append((done, total)))
    assert (report.created, report.updated, report.skipped) == (3, 1, 4)
    assert seen[-1] == (4, 4)
    yogurt = catalog.find_by_code("6260000000031")
    assert (yogurt.code, yogurt.price, yogurt.stock) == ("2001", Decimal(1250000), Decimal(12))
    rice = catalog.find_by_code("2002")
    assert (rice.tax_exempt, rice.stock, rice.price) == (True, Decimal("25.5"), Decimal(850000))
    assert catalog.find_by_code("2003").tax_rate_override == Decimal("0.09")
    milk = catalog.get(products["milk"].id)
    assert (milk.price, milk.stock, milk.barcodes) == (Decimal(470000), Decimal(40), ("6260100110011",))
    assert [p.code for p in catalog.search("ماست چک")] == ["2001"]


def test_xlsx_with_english_headers_and_numeric_cells(services, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Code", "Price", "Barcodes", "Unit", "Stock", "Tax"])
    sheet.append(["پنیر پیتزا میهن", 3001, 1890000.0, "6260000000055|6260000000062", "عدد", 2.75, 10])
    sheet.append(["Tea", "3002", 12.5, None, None, None, None])  # price not whole Rial
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    preview = services.catalog.preview_import(path)
    assert [row.product.code for row in preview.rows] == ["3001"]
    assert preview.errors[3][0].field == "price"
    services.catalog.commit_import(preview)
    cheese = services.catalog.find_by_code("6260000000062")
    assert (cheese.price, cheese.stock, cheese.tax_rate_override) == (Decimal(1890000), Decimal("2.75"), Decimal("0.1"))


def test_unusable_files_are_refused_with_a_message(services, tmp_path):
    no_columns = tmp_path / "bad.csv"
    no_columns.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        services.catalog.preview_import(no_columns)
    assert "price" in caught.value.message_en
    other = tmp_path / "list.pdf"
    other.write_bytes(b"%PDF")
    with pytest.raises(ValidationError):
        services.catalog.preview_import(other)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ValidationError):
        services.catalog.preview_import(broken)


def test_windows_1256_csv_from_old_excel_is_read(services, tmp_path):
    path = tmp_path / "old.csv"
    path.write_bytes("code;name;price\n4001;لوبيا قرمز;650000\n".encode("cp1256"))  # Arabic yeh
    preview = services.catalog.preview_import(path)
    assert [row.product.name for row in preview.rows] == ["لوبيا قرمز"]
    services.catalog.commit_import(preview)
    assert [p.code for p in services.catalog.search("لوبیا")] == ["4001"], "Persian yeh finds it"


def test_cancelled_import_saves_nothing(services, tmp_path):
    lines = ["code,name,price"] + [f"C{i},کالا {i},{1000 + i}" for i in range(1200)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    preview = services.catalog.preview_import(path)
    calls = []

    def cancel():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(CancelledError):
        services.catalog.commit_import(preview, cancel=cancel)
    assert services.catalog.count() == 0


def test_export_round_trips_through_import(services, products, tmp_path):
    services.catalog.create(ProductInput(name="شیرکاکائو, \"ویژه\"", code="X-1", price=1000,
                                         barcodes=("111", "222"), tax_rate_override=Decimal("0.05")))
    path = tmp_path / "out" / "catalogue.csv"
    progress = []
    assert services.catalog.export(path, progress=lambda d, t: progress.append((d, t))) == 4
    assert progress[-1] == (4, 4)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "BOM so Excel shows Persian"
    preview = services.catalog.preview_import(path)
    assert preview.errors == {}
    assert preview.rows == (), "an export imports back as unchanged"
    assert len(preview.unchanged) == 4
    exported = {row.product.code: row.product for row in preview.unchanged}
    assert exported["X-1"].barcodes == ("111", "222")
    assert exported["X-1"].name == "شیرکاکائو, \"ویژه\""
    assert exported["X-1"].tax_rate_override == Decimal("0.05")
    assert exported["1002"].tax_exempt is True
    assert exported["1003"].stock == Decimal("10.5")
    with pytest.raises(CancelledError):
        services.catalog.export(tmp_path / "never.csv", cancel=lambda: True)
    assert not (tmp_path / "never.csv").exists()
    assert not list(tmp_path.glob(".export-*"))


def test_a_price_list_without_other_columns_keeps_what_it_does_not_mention(services, products, tmp_path):
    path = tmp_path / "prices-only.csv"
    path.write_text("کد,نام,قیمت\n1001,شیر پاستوریزه کاله ۱ لیتری,490000\n1003,پنیر لیقوان,3300000\n", encoding="utf-8")
    report = services.catalog.commit_import(services.catalog.preview_import(path))
    assert (report.created, report.updated) == (0, 2)
    milk = services.catalog.get(products["milk"].id)
    assert (milk.price, milk.barcodes, milk.stock) == (Decimal(490000), ("6260100110011",), Decimal(50))
    cheese = services.catalog.get(products["cheese"].id)
    assert (cheese.unit, cheese.tax_rate_override, cheese.stock) == ("کیلوگرم", Decimal("0.09"), Decimal("10.5"))
