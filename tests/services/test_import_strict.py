"""Bad import files never save wrong data: each file in tests/data/import goes through the
dialog's service (preview, commit) and through `posapp catalog import`, and both say the same."""

from __future__ import annotations

import csv
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from posapp.cli import main
from posapp.domain.errors import ValidationError
from posapp.services import catalog_io
from posapp.services._common import CancelledError
from posapp.services.catalog import ProductInput
from posapp.storage.models import BarcodeRow, ProductRow

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


@pytest.fixture
def known(services):
    """Two products the files update: P1 milk and P2 yogurt."""
    catalog = services.catalog
    return {
        "P1": catalog.create(ProductInput(name="شیر", code="P1", price=450000, stock=Decimal(7),
                                          barcodes=("6260000000017",), tax_rate_override=Decimal("0.09"))),
        "P2": catalog.create(ProductInput(name="ماست", code="P2", price=520000, unit="کیلوگرم")),
    }


def _catalogue(services):
    with services.database.read() as session:
        products = [tuple(getattr(row, c) for c in ("code", "name", "unit", "price", "stock",
                                                      "tax_rate_override", "tax_exempt", "updated_at"))
                    for row in session.execute(select(ProductRow).order_by(ProductRow.code)).scalars()]
        barcodes = session.execute(select(BarcodeRow.product_id, BarcodeRow.barcode)
                                   .order_by(BarcodeRow.id)).all()
    return products, barcodes


def _command(database_url, path, *extra):
    return main(["--database-url", database_url, "catalog", "import", str(path), *extra])


def test_a_blank_cell_leaves_a_known_value_and_is_an_error_for_a_new_product(services, known, database_url, capsys):
    path = DATA / "blank_cells.csv"  # P1 blank price and stock; P2 new price; P3 new with nothing
    assert _command(database_url, path, "--dry-run") == 1
    out = capsys.readouterr().out
    assert "would update [P1]" not in out, "P1 changes nothing: its blanks keep its values"
    assert "row 2 [P1]: unchanged" in out
    assert "row 3 [P2]: would update" in out
    assert "row 4 [P3]: refused" in out
    assert "a new product needs a name" in out
    assert services.catalog.find_by_code("P2").price == Decimal(520000), "a dry run saves nothing"

    preview = services.catalog.preview_import(path)
    assert [row.row_number for row in preview.unchanged] == [2]
    assert [row.row_number for row in preview.rows] == [3]
    assert list(preview.errors) == [4]
    services.catalog.commit_import(preview)
    milk = services.catalog.find_by_code("P1")
    assert (milk.price, milk.stock, milk.barcodes, milk.tax_rate_override) == (
        Decimal(450000), Decimal(7), ("6260000000017",), Decimal("0.09"))
    yogurt = services.catalog.find_by_code("P2")
    assert (yogurt.price, yogurt.unit) == (Decimal(560000), "کیلوگرم")
    assert services.catalog.find_by_code("P3") is None


def test_a_row_with_fewer_or_more_cells_than_the_header_is_refused(services, known, database_url, capsys):
    for name, refused_row, code_kept in (("missing_cell.csv", 3, "P2"), ("extra_cell.csv", 2, None)):
        path = DATA / name
        before = _catalogue(services)
        preview = services.catalog.preview_import(path)
        assert list(preview.errors) == [refused_row]
        assert "cells but the header has 3" in preview.errors[refused_row][0].message_en
        assert _command(database_url, path, "--dry-run") == 1
        assert f"row {refused_row}: refused" in capsys.readouterr().out
        assert _catalogue(services) == before
        if code_kept:
            assert services.catalog.find_by_code(code_kept).price == Decimal(520000)
    assert services.catalog.find_by_code("M3") is None, "price 12 is never imported for 12,500"
    assert _command(database_url, DATA / "extra_cell.csv") == 1
    assert services.catalog.find_by_code("M3") is None
    assert services.catalog.find_by_code("M4").price == Decimal(500)


def test_an_unterminated_quote_refuses_the_whole_file(services, database_url, capsys):
    path = DATA / "unterminated_quote.csv"
    with pytest.raises(ValidationError) as caught:
        services.catalog.preview_import(path)
    assert "quote" in caught.value.message_en
    assert "گیومه" in caught.value.message_fa
    assert _command(database_url, path) == 2
    err = capsys.readouterr().err
    assert "quote" in err
    assert "Traceback" not in err
    assert services.catalog.count() == 0


def test_numbers_are_parsed_strictly(services, database_url, capsys):
    path = DATA / "grouped_number.csv"
    preview = services.catalog.preview_import(path)
    assert [row.product.code for row in preview.rows] == ["N2"]
    assert preview.rows[0].product.price == Decimal(1_230_000)
    assert {number: problems[0].field for number, problems in preview.errors.items()} == {
        2: "price", 4: "price", 5: "stock"}
    assert _command(database_url, path) == 1
    assert "row 2 [N1]: refused / رد شد (price)" in capsys.readouterr().out
    assert [p.code for p in services.catalog.page("", 0, 10)] == ["N2"]


@pytest.mark.parametrize(("name", "names"), [
    ("utf8_bom.csv", {"B1": "نان سنگک"}),
    ("utf16.csv", {"U1": "دوغ آبعلی"}),
    ("cp1256.csv", {"W1": "پنير گچ", "W2": "چاي ممتاز «ويژه»"}),
])
def test_utf8_utf16_and_windows_1256_files_are_read(services, database_url, name, names, capsys):
    preview = services.catalog.preview_import(DATA / name)
    assert {row.product.code: row.product.name for row in preview.rows} == names
    assert _command(database_url, DATA / name) == 0
    assert {code: services.catalog.find_by_code(code).name for code in names} == names


def test_a_latin1_file_is_refused_naming_the_encoding(services, database_url, capsys):
    with pytest.raises(ValidationError) as caught:
        services.catalog.preview_import(DATA / "latin1.csv")
    assert "encoding" in caught.value.message_en
    assert "UTF-8" in caught.value.message_en
    assert "کدگذاری" in caught.value.message_fa
    assert _command(database_url, DATA / "latin1.csv") == 2
    assert "encoding" in capsys.readouterr().err
    assert services.catalog.count() == 0


def test_utf16_without_a_byte_order_mark_is_named(services, tmp_path):
    path = tmp_path / "no-bom.csv"
    path.write_bytes("code,name,price\nU2,tea,1000\n".encode("utf-16-le"))
    with pytest.raises(ValidationError) as caught:
        services.catalog.preview_import(path)
    assert "UTF-16 without a byte-order mark" in caught.value.message_en


def test_a_tax_over_100_percent_is_refused_in_percent_terms(services):
    preview = services.catalog.preview_import(DATA / "tax_150.csv")
    assert [row.product.code for row in preview.rows] == ["T2"]
    problem = preview.errors[2][0]
    assert problem.field == "tax"
    assert "150%" in problem.message_en
    assert "1.5" not in problem.message_en
    assert "percentage from 0 to below 100" in problem.message_en


def test_a_nul_byte_in_a_name_is_refused(services, database_url, capsys):
    preview = services.catalog.preview_import(DATA / "nul_in_name.csv")
    assert preview.rows == ()
    assert preview.errors[2][0].field == "name"
    assert _command(database_url, DATA / "nul_in_name.csv") == 1
    assert "control character" in capsys.readouterr().out
    assert services.catalog.count() == 0


def test_a_line_break_inside_a_quoted_name_becomes_a_space_and_is_reported(services, database_url, capsys):
    preview = services.catalog.preview_import(DATA / "newline_in_name.csv")
    assert [row.product.name for row in preview.rows] == ["شیر کم\u200cچرب", "ماست"]
    assert _command(database_url, DATA / "newline_in_name.csv") == 0
    assert "a line break in the name became a space" in capsys.readouterr().out
    assert services.catalog.find_by_code("NL1").name == "شیر کم\u200cچرب"


def test_command_report_csv_has_a_line_per_row(services, known, database_url, tmp_path, capsys):
    report = tmp_path / "report.csv"
    assert _command(database_url, DATA / "blank_cells.csv", "--report", str(report)) == 1
    with report.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["action"], r["code"]) for r in rows] == [
        ("2", "unchanged", "P1"), ("3", "update", "P2"), ("4", "refused", "P3")]
    assert rows[2]["field"] == "name"
    assert rows[2]["message_fa"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(services, products, known, database_url, tmp_path, suffix, capsys):
    services.catalog.create(ProductInput(name="کد با صفر, \"ویژه\"", code="007", price=1000, stock=Decimal("2.125"),
                                         barcodes=("111", "222"), tax_exempt=True))
    path = tmp_path / f"catalogue{suffix}"
    before = _catalogue(services)
    assert main(["--database-url", database_url, "catalog", "export", str(path)]) == 0
    assert _command(database_url, path) == 0
    out = capsys.readouterr().out
    assert "0 new, 0 updated, 6 unchanged, 0 rows refused" in out
    assert _catalogue(services) == before


# -- .xlsx bounds (the files are built here, never committed) --------------------------------


def _xlsx_with_sheet(path: Path, sheet_xml: str, shared_strings: str | None = None) -> Path:
    """A minimal, valid .xlsx whose first sheet is `sheet_xml` (written as given)."""
    workbook = Workbook()
    workbook.active.append(["code", "name", "price"])
    workbook.save(path)
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    if shared_strings is not None:
        members["xl/sharedStrings.xml"] = shared_strings.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


def _sheet(rows_xml: str, dimension: str = "A1:C2") -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{rows_xml}</sheetData></worksheet>')


HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>price</t></is></c></row>')


def _refused_quickly(services, database_url, path, words, capsys):
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        services.catalog.preview_import(path)
    assert time.monotonic() - started < 20, "bounded work"
    assert words in caught.value.message_en
    assert _command(database_url, path) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
    assert services.catalog.count() == 0


def test_one_cell_at_the_last_address_is_refused_quickly(services, database_url, tmp_path, capsys):
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = _xlsx_with_sheet(tmp_path / "far.xlsx", _sheet(HEADER_ROW + far, "A1:XFD1048576"))
    assert path.stat().st_size < 10_000
    _refused_quickly(services, database_url, path, "rows", capsys)


def test_a_declared_huge_dimension_with_a_small_sheet_is_read_normally(services, tmp_path):
    row = ('<row r="2"><c r="A2" t="inlineStr"><is><t>D1</t></is></c>'
           '<c r="B2" t="inlineStr"><is><t>کالا</t></is></c><c r="C2"><v>1000</v></c></row>')
    path = _xlsx_with_sheet(tmp_path / "declared.xlsx", _sheet(HEADER_ROW + row, "A1:XFD5000000"))
    preview = services.catalog.preview_import(path)
    assert [row.product.code for row in preview.rows] == ["D1"]


def test_too_many_columns_is_refused(services, database_url, tmp_path, capsys):
    wide = '<row r="2"><c r="A2"><v>1</v></c><c r="CZ2" t="inlineStr"><is><t>x</t></is></c></row>'
    path = _xlsx_with_sheet(tmp_path / "wide.xlsx", _sheet(HEADER_ROW + wide))
    _refused_quickly(services, database_url, path, "columns", capsys)


def test_too_many_rows_are_refused(services, database_url, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(catalog_io, "MAX_ROWS", 1000)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 1100))
    path = _xlsx_with_sheet(tmp_path / "long.xlsx", _sheet(HEADER_ROW + rows))
    _refused_quickly(services, database_url, path, "more than 1,000 rows", capsys)


def test_a_shared_strings_bomb_is_refused_before_parsing(services, database_url, tmp_path, capsys):
    strings = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + "<si><t/></si>" * (catalog_io.MAX_SHARED_STRINGS + 1) + "</sst>")
    path = _xlsx_with_sheet(tmp_path / "strings.xlsx", _sheet(HEADER_ROW), strings)
    assert path.stat().st_size < 200_000
    _refused_quickly(services, database_url, path, "shared strings", capsys)


def test_a_decompression_bomb_is_refused_before_parsing(services, database_url, tmp_path, capsys):
    padding = " " * (catalog_io.MAX_XLSX_UNCOMPRESSED + 1)
    path = _xlsx_with_sheet(tmp_path / "bomb.xlsx", _sheet(HEADER_ROW) + padding)
    assert path.stat().st_size < 1_000_000
    _refused_quickly(services, database_url, path, "decompressed", capsys)


def test_a_sheet_broken_mid_file_is_refused_without_a_raw_parse_error(services, database_url, tmp_path, capsys):
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>B{n}</t></is></c>'
                   f'<c r="B{n}" t="inlineStr"><is><t>کالا</t></is></c><c r="C{n}"><v>10</v></c></row>'
                   for n in range(2, 200))
    broken = _sheet(HEADER_ROW + rows)[:-400]
    path = _xlsx_with_sheet(tmp_path / "broken.xlsx", broken)
    _refused_quickly(services, database_url, path, "damaged", capsys)


def test_the_preview_can_be_cancelled_while_reading(services, tmp_path):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["code", "name", "price"])
    for n in range(3000):
        sheet.append([f"C{n}", f"کالا {n}", 1000 + n])
    path = tmp_path / "many.xlsx"
    workbook.save(path)
    seen = []

    def cancel():
        seen.append(1)
        return len(seen) > 2

    with pytest.raises(CancelledError):
        services.catalog.preview_import(path, cancel=cancel)
    assert len(seen) == 3, "reading stopped at the third look, long before the end"
    assert services.catalog.count() == 0


def test_exported_xlsx_keeps_codes_as_text(services, tmp_path):
    services.catalog.create(ProductInput(name="آب", code="0012", price=1000))
    path = tmp_path / "out.xlsx"
    services.catalog.export(path)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "0012"


def test_an_export_that_cannot_be_written_says_so(services, database_url, tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert main(["--database-url", database_url, "catalog", "export", str(blocker / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err
    assert "نوشته نشد" in err
