"""Catalogue service: validation, scan lookup, prefix search, paging, updates."""

from __future__ import annotations

from decimal import Decimal

import pytest

from posapp.domain.errors import NotFoundError, ValidationError
from posapp.services.catalog import ProductInput


def test_find_by_code_matches_code_barcode_and_persian_layout_scans(services, products):
    catalog = services.catalog
    milk = products["milk"]
    assert catalog.find_by_code("1001") == milk
    assert catalog.find_by_code("6260100110011") == milk
    assert catalog.find_by_code("۶۲۶۰۱۰۰۱۱۰۰۱۱") == milk, "Persian digits from a scanner"
    assert catalog.find_by_code(" 6260100110011\n") == milk
    assert catalog.find_by_code("999") is None
    assert catalog.find_by_code("") is None


def test_search_every_word_is_a_prefix_and_arabic_letters_fold(services, products):
    catalog = services.catalog
    assert [p.code for p in catalog.search("شیر پاس")] == ["1001"]
    assert [p.code for p in catalog.search("پاس شی")] == ["1001"], "word order does not matter"
    assert [p.code for p in catalog.search("كاله")] == ["1001"], "Arabic kaf finds Persian ک"
    assert [p.code for p in catalog.search("لیقو")] == ["1003"]
    assert catalog.search("ماست") == []
    assert catalog.search("   ") == []
    assert catalog.search('"*') == [], "FTS syntax in the query is harmless"


def test_search_puts_exact_code_and_name_starts_first(services, products):
    catalog = services.catalog
    catalog.create(ProductInput(name="کره شیر پاستوریزه", code="2001", price=Decimal(1000)))
    catalog.create(ProductInput(name="شیرکاکائو", code="2002", price=Decimal(1000)))
    found = [p.code for p in catalog.search("شیر")]
    assert found[:2] == ["1001", "2002"], "names starting with the text come first, alphabetically"
    assert set(found) == {"1001", "2001", "2002"}
    assert catalog.search("1002")[0].code == "1002"
    assert len(catalog.search("شیر", limit=1)) == 1


def test_count_ids_page_and_get_many_for_lazy_models(services, products):
    catalog = services.catalog
    assert catalog.count() == 3
    assert catalog.count("پنیر") == 1
    ids = catalog.ids()
    assert len(ids) == 3
    names = [p.name for p in catalog.page("", 0, 10)]
    assert names == sorted(names, key=lambda n: n)  # name order
    assert [p.id for p in catalog.page("", 1, 1)] == ids[1:2]
    assert [p.id for p in catalog.get_many([ids[2], 999, ids[0]])] == [ids[2], ids[0]]
    assert catalog.ids("نان") == [products["bread"].id]


def test_the_pane_list_finds_codes_by_prefix_and_barcodes_exactly(services, products):
    catalog = services.catalog
    assert catalog.ids("100") == sorted(p.id for p in products.values()), "codes 1001-1003 start with 100"
    assert catalog.ids("1002") == [products["bread"].id]
    assert catalog.ids("۱۰۰۱") == [products["milk"].id], "Persian digits"
    assert catalog.ids("6260100110011") == [products["milk"].id], "a barcode, exactly"
    assert catalog.ids("626010011") == [], "a barcode is matched whole, not by its start"
    assert catalog.count("پنیر") == 1, "names still match"


def test_create_validates_fields_with_persian_and_english_messages(services, products):
    catalog = services.catalog
    cases = [
        (dict(name=" ", code="X1", price="10"), "name"),
        (dict(name="کالا", code="", price="10"), "code"),
        (dict(name="کالا", code="A B", price="10"), "code"),
        (dict(name="کالا", code="X1", price="-5"), "price"),
        (dict(name="کالا", code="X1", price="1000000000000000"), "price"),
        (dict(name="کالا", code="X1", price="12.5"), "price"),
        (dict(name="کالا", code="X1", price="abc"), "price"),
        (dict(name="کالا", code="X1", price="10", stock="1.2345"), "stock"),
        (dict(name="کالا", code="X1", price="10", tax_rate_override="10"), "tax_rate_override"),
        (dict(name="کالا", code="1001", price="10"), "code"),
        (dict(name="کالا", code="X1", price="10", barcodes=("6260100110011",)), "barcodes"),
        (dict(name="کالا", code="6260100110011", price="10"), "code"),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as caught:
            catalog.create(ProductInput(**values))
        assert caught.value.field == field, values
        assert caught.value.message_fa
        assert caught.value.message_en
    assert catalog.count() == 3, "nothing half-saved"


def test_update_replaces_fields_and_barcodes_and_reindexes_name(services, products):
    catalog = services.catalog
    milk = products["milk"]
    updated = catalog.update(milk.id, ProductInput(
        name="شیر کم‌چرب میهن", code="1001", price=Decimal(480000), stock=Decimal(7),
        barcodes=("6260100110011", "6260000000017")))
    assert updated.price == Decimal(480000)
    assert updated.barcodes == ("6260100110011", "6260000000017")
    assert catalog.search("پاستوریزه") == []
    assert [p.id for p in catalog.search("کم چرب")] == [milk.id], "ZWNJ splits words"
    assert catalog.find_by_code("6260000000017").id == milk.id
    catalog.update(milk.id, ProductInput(name="شیر", code="1001", price=1, barcodes=()))
    assert catalog.find_by_code("6260100110011") is None
    with pytest.raises(NotFoundError):
        catalog.update(9999, ProductInput(name="x", code="x", price=1))
    with pytest.raises(NotFoundError):
        catalog.get(9999)


def test_a_code_taken_by_another_till_meanwhile_gives_the_same_message(services, products, monkeypatch):
    from posapp.services.catalog import CatalogService

    monkeypatch.setattr(CatalogService, "_check_unique", lambda *args, **kwargs: None)  # the other till won the race
    with pytest.raises(ValidationError) as caught:
        services.catalog.create(ProductInput(name="دوباره", code="1001", price=1))
    assert caught.value.field == "code"
    assert services.catalog.count() == 3
