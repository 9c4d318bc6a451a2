"""Issue 11 item 6: no invoice without a seller; demo data fills a shop profile; the official
form names the seller fields it lacks before printing for a business buyer."""

from __future__ import annotations

import dataclasses

import pytest

from posapp.cli import main
from posapp.domain.errors import ValidationError
from posapp.domain.invoice import Party
from posapp.render.document import RenderOptions
from posapp.render.registry import render_invoice
from posapp.render.sample import SAMPLE_BRANDING, SAMPLE_SELLER, sample_invoice
from posapp.services.context import AppServices
from posapp.services.demo_data import DEMO_SHOP_PROFILE
from posapp.services.invoicing import HistoryFilter
from posapp.settings.shop import SHOP_NAME
from posapp.settings.store import SettingsStore
from posapp.storage.models import InvoiceRow
from tests.shop_data import count_rows, sale_draft


def test_issuing_without_the_shops_name_is_refused_and_saves_nothing(services, products):
    services.settings.set(SHOP_NAME, "   ")
    draft = sale_draft(services, products)
    with pytest.raises(ValidationError) as refused:
        services.invoicing.issue(draft)
    assert refused.value.field == "seller"
    assert "مشخصات فروشگاه" in refused.value.message_fa
    assert "shop profile" in refused.value.message_en
    assert count_rows(services, InvoiceRow) == 0


def test_demo_data_fills_an_empty_shop_profile(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert SettingsStore().get(SHOP_NAME) == ""
    assert main(["--database-url", url, "demo-data", "--products", "20", "--customers", "5",
                 "--invoices", "3", "--seed", "3"]) == 0
    name = dict(DEMO_SHOP_PROFILE)[SHOP_NAME]
    assert SettingsStore().get(SHOP_NAME) == name
    with AppServices.open(url) as services:
        [first, *_] = services.invoicing.history(HistoryFilter(), 0, 10)
        assert services.invoicing.get(first.id).seller.name == name


def test_demo_data_keeps_a_real_shop_profile(tmp_path, capsys):
    SettingsStore().set(SHOP_NAME, "بقالی محل")
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert main(["--database-url", url, "demo-data", "--products", "10", "--invoices", "1"]) == 0
    assert SettingsStore().get(SHOP_NAME) == "بقالی محل"


def test_the_official_form_names_missing_seller_fields_for_a_business_buyer():
    invoice = sample_invoice()
    bare = dataclasses.replace(invoice, seller=Party(name=SAMPLE_SELLER.name, kind=SAMPLE_SELLER.kind))
    with pytest.raises(ValidationError) as refused:
        render_invoice(bare, SAMPLE_BRANDING, "formal", RenderOptions())
    assert "شماره اقتصادی" in refused.value.message_fa
    assert "postal code" in refused.value.message_en
    walk_in = dataclasses.replace(bare, buyer=None, customer_id=None)
    assert render_invoice(walk_in, SAMPLE_BRANDING, "formal", RenderOptions()).startswith(b"%PDF")
    assert render_invoice(invoice, SAMPLE_BRANDING, "formal", RenderOptions()).startswith(b"%PDF")
