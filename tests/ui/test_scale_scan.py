"""Scale labels scanned into the sale: the weighed product with its quantity, or a clear message."""

from __future__ import annotations

from decimal import Decimal

from posapp.domain.scale_barcodes import ean13_check_digit
from posapp.domain.text import to_persian_digits
from posapp.settings.hardware import SCALE_LABEL_LAYOUTS
from posapp.ui.invoice_model import COL_QUANTITY
from tests.ui.test_editor import scan


def label(first_twelve: str) -> str:
    return first_twelve + str(ean13_check_digit(first_twelve))


def test_weight_and_price_labels_add_the_weighed_product(window, store, catalog):
    store.set(SCALE_LABEL_LAYOUTS, ["20-20/5/weight", "21/5/price"])
    editor = window.editor
    scan(window, label("200100301250"))  # cheese (code 1003), 1250 g
    assert [(line.product_id, line.quantity) for line in editor.model.draft.lines] == [
        (catalog["cheese"].id, Decimal("1.250"))]
    assert editor.model.index(0, COL_QUANTITY).data() == "۱٫۲۵"
    assert editor.error_label.isHidden()
    scan(window, to_persian_digits(label("210100201000")))  # bread (1002) for 1000 Rial of 120000
    assert editor.model.draft.lines[1].product_id == catalog["bread"].id
    assert editor.model.draft.lines[1].quantity == Decimal("0.008")
    assert editor.code_field.text() == ""


def test_a_wrong_check_digit_or_unknown_product_is_explained_and_adds_nothing(window, store, catalog):
    store.set(SCALE_LABEL_LAYOUTS, ["20-29/5/weight"])
    editor = window.editor
    good = label("200100301250")
    scan(window, good[:12] + str((int(good[12]) + 3) % 10))
    assert editor.model.rowCount() == 0
    assert "رقم کنترل" in editor.error_label.text()
    scan(window, label("220999901250"))
    assert editor.model.rowCount() == 0
    assert "۹۹۹۹" in editor.error_label.text() or "09999" in editor.error_label.text()
    assert "ترازو" in editor.error_label.text()


def test_without_layouts_a_scale_label_is_an_unknown_code(window, catalog):
    scan(window, label("200100301250"))
    assert window.editor.model.rowCount() == 0
    assert "پیدا نشد" in window.editor.error_label.text()
