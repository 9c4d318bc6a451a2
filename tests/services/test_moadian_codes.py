"""Moadian goods and unit codes on products: validated on save, imported and exported, and
copied onto invoice lines at issue so a later catalogue edit never changes an issued invoice."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from posapp.domain.errors import ValidationError
from posapp.services.catalog import ProductInput
from tests.shop_data import sale_draft

YOGURT_CODE = "2710000123457"


def _with_codes(catalog, product, goods_code="", unit_code=""):
    base = ProductInput(name=product.name, code=product.code, price=product.price, unit=product.unit,
                        stock=product.stock, tax_rate_override=product.tax_rate_override,
                        tax_exempt=product.tax_exempt, barcodes=product.barcodes)
    return catalog.update(product.id, replace(base, goods_code=goods_code, unit_code=unit_code))


def test_goods_code_is_13_digits_persian_digits_accepted_and_blank_allowed(services, products):
    catalog = services.catalog
    saved = _with_codes(catalog, products["milk"], "۲۷۱۰ ۰۰۰ ۱۲۳۴۵۷", "۱۶۲۷")
    assert (saved.goods_code, saved.unit_code) == (YOGURT_CODE, "1627")
    for bad in ("271000012345", "27100001234578", "27100001234x7"):
        with pytest.raises(ValidationError) as caught:
            _with_codes(catalog, products["milk"], bad)
        assert caught.value.field == "goods_code"
        assert "13 digits" in caught.value.message_en
        assert "۱۳ رقم" in caught.value.message_fa
    with pytest.raises(ValidationError) as caught:
        _with_codes(catalog, products["milk"], YOGURT_CODE, "عدد")
    assert caught.value.field == "unit_code"
    assert catalog.get(products["milk"].id).goods_code == YOGURT_CODE, "a refused edit changes nothing"
    assert _with_codes(catalog, products["milk"]).goods_code == ""


def test_unit_code_defaults_from_the_unit_name_only_when_the_product_has_none(services, products):
    catalog = services.catalog
    assert products["cheese"].moadian_unit_code == "164"  # کیلوگرم
    own = _with_codes(catalog, products["cheese"], YOGURT_CODE, "1622")
    assert own.moadian_unit_code == "1622"
    odd = catalog.create(ProductInput(name="طناب", code="9001", price=Decimal(1000), unit="حلقه"))
    assert odd.moadian_unit_code == ""


def test_issued_lines_keep_the_codes_they_were_sold_with(services, products):
    catalog = services.catalog
    milk = _with_codes(catalog, products["milk"], YOGURT_CODE)
    products = {**products, "milk": milk}
    issued = services.invoicing.issue(sale_draft(services, products, cash=Decimal(10_000_000)))
    _with_codes(catalog, milk, "1111111111111", "1628")
    stored = services.invoicing.get(issued.id)
    assert [(line.goods_code, line.unit_code) for line in stored.lines] == [
        (YOGURT_CODE, "1627"), ("", "164"), ("", "1627")]
    returned = services.invoicing.create_return(issued.number, {0: Decimal(1)})
    assert (returned.lines[0].goods_code, returned.lines[0].unit_code) == (YOGURT_CODE, "1627")
    assert services.invoicing.get(returned.id).lines[0].goods_code == YOGURT_CODE


def test_held_sale_keeps_the_codes(services, products):
    milk = _with_codes(services.catalog, products["milk"], YOGURT_CODE)
    draft = sale_draft(services, {**products, "milk": milk})
    resumed = services.invoicing.resume(services.invoicing.hold(draft))
    assert resumed.lines[0].goods_code == YOGURT_CODE
    assert resumed.lines[0].unit_code == "1627"


def test_import_reads_codes_blank_leaves_them_and_a_bad_code_refuses_the_row(services, products, tmp_path):
    catalog = services.catalog
    _with_codes(catalog, products["bread"], "2222222222222", "1627")
    path = tmp_path / "codes.csv"
    path.write_text(
        "کد,نام,قیمت,شناسه کالا,کد واحد\n"
        f"1001,,,{YOGURT_CODE},\n"           # known: gets a goods code, unit code left alone
        "1002,,,,\n"                          # known, every cell blank: nothing changes
        "4001,کشک,90000,۱۲۳۴۵۶۷۸۹۰۱۲۳,1627\n"  # new, Persian digits
        "4002,دوغ,50000,12345,\n"              # a 5-digit goods code
        "4003,لبنه,50000,,kg\n",               # a unit code that is not a number
        encoding="utf-8",
    )
    preview = catalog.preview_import(path)
    assert sorted(preview.errors) == [5, 6]
    assert preview.errors[5][0].field == "goods_code"
    assert preview.errors[6][0].field == "unit_code"
    assert [row.row_number for row in preview.unchanged] == [3]
    catalog.commit_import(preview)
    milk = catalog.get(products["milk"].id)
    assert (milk.goods_code, milk.unit_code, milk.price) == (YOGURT_CODE, "", products["milk"].price)
    bread = catalog.get(products["bread"].id)
    assert (bread.goods_code, bread.unit_code) == ("2222222222222", "1627")
    kashk = catalog.find_by_code("4001")
    assert (kashk.goods_code, kashk.unit_code) == ("1234567890123", "1627")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_carries_the_codes_and_importing_it_back_changes_nothing(services, products, tmp_path, suffix):
    catalog = services.catalog
    _with_codes(catalog, products["milk"], YOGURT_CODE, "1627")
    path = tmp_path / f"catalogue{suffix}"
    catalog.export(path)
    if suffix == ".xlsx":
        rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    else:
        rows = [line.split(",") for line in path.read_text(encoding="utf-8-sig").splitlines()]
    header = list(rows[0])
    goods, unit = header.index("شناسه کالا"), header.index("کد واحد")
    assert [[row[goods], row[unit]] for row in rows if row[0] == "1001"] == [[YOGURT_CODE, "1627"]]
    preview = catalog.preview_import(path)
    assert (len(preview.rows), len(preview.unchanged), preview.errors) == (0, 3, {})


def test_xlsx_numeric_goods_code_cell_is_read_as_its_digits(services, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Code", "Name", "Price", "Goods code", "Unit code"])
    sheet.append(["5001", "Salt", 10000, 2710000123457, 1627])
    path = tmp_path / "numeric.xlsx"
    workbook.save(path)
    preview = services.catalog.preview_import(path)
    assert preview.errors == {}
    assert (preview.rows[0].product.goods_code, preview.rows[0].product.unit_code) == (YOGURT_CODE, "1627")
