"""The product form's Moadian fields (typed Persian digits are saved, a wrong code is shown
next to its field and saves nothing, editing shows the stored codes) and its category."""

from __future__ import annotations

from posapp.services.catalog import ProductInput
from posapp.ui.products import ProductDialog


def test_product_form_saves_and_shows_moadian_codes(window, services, qtbot):
    dialog = ProductDialog(services, window.display, None, window)
    qtbot.addWidget(dialog)
    dialog.code.setText("7001")
    dialog.name.setText("عسل")
    dialog.price.setText("900000")
    dialog.goods_code.setText("12345")
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "۱۳ رقم" in dialog.form.error_text("goods_code")
    assert services.catalog.find_by_code("7001") is None
    dialog.goods_code.setText("۲۷۱۰۰۰۰۱۲۳۴۵۷")
    dialog.unit_code.setText("۱۶۲۷")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = services.catalog.find_by_code("7001")
    assert (saved.goods_code, saved.unit_code) == ("2710000123457", "1627")
    editing = ProductDialog(services, window.display, saved, window)
    qtbot.addWidget(editing)
    assert (editing.goods_code.text(), editing.unit_code.text()) == ("2710000123457", "1627")


def test_product_form_saves_and_offers_categories(window, services, qtbot):
    services.catalog.create(ProductInput(name="ماست", code="7101", price=100_000, category="لبنیات"))
    dialog = ProductDialog(services, window.display, None, window)
    qtbot.addWidget(dialog)
    assert [dialog.category.itemText(i) for i in range(dialog.category.count())] == ["", "لبنیات"]
    dialog.code.setText("7102")
    dialog.name.setText("پنیر")
    dialog.price.setText("900000")
    dialog.category.setCurrentText("لبنیات")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = services.catalog.find_by_code("7102")
    assert saved.category == "لبنیات"
    editing = ProductDialog(services, window.display, saved, window)
    qtbot.addWidget(editing)
    assert editing.category.currentText() == "لبنیات"
