"""Word-prefix search: the SQLite FTS5 backend and the portable LIKE backend (PostgreSQL's path,
run here on SQLite) find exactly the same rows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert

from posapp.domain.text import normalize_for_search
from posapp.storage.models import ProductRow
from posapp.storage.search import TextSearch, fts_query

NAMES = [
    "شیر پاستوریزه کم‌چرب کاله ۱ لیتری", "شیرکاکائو میهن", "ماست موسیر پاک", "پنیر لیقوان",
    "كره حيواني پگاه", "چای سیاه گلستان ۵۰۰ گرمی", "100% آب پرتقال", "روغن_مایع لادن",
]


@pytest.fixture
def filled(database):
    now = datetime.now(UTC)
    with database.write() as session:
        session.execute(insert(ProductRow.__table__), [
            {"code": f"S{i}", "name": name, "name_normalized": normalize_for_search(name), "unit": "عدد",
             "price": Decimal(1000), "tax_exempt": False, "stock": Decimal(0), "created_at": now, "updated_at": now}
            for i, name in enumerate(NAMES)
        ])
    return database


@pytest.mark.parametrize("query", [
    "شیر", "شیر پاس", "پاس شیر", "کم چرب", "کره حیوانی", "۵۰۰", "500 چای", "100%", "روغن_م", "ش", "ماست موسیر پاک",
    "لیتری کاله", "نیست", "%", "_",
])
def test_fts_and_like_backends_agree(filled, query):
    words = normalize_for_search(query).split()
    with filled.read() as session:
        fts = set(session.execute(TextSearch("sqlite").product_ids(words)).scalars())
        like = set(session.execute(TextSearch("postgresql").product_ids(words)).scalars())
    assert fts == like, query


def test_every_word_must_match_a_word_start(filled):
    with filled.read() as session:
        found = session.execute(TextSearch("sqlite").product_ids(["یوریزه"])).scalars().all()
    assert found == [], "inner parts of words do not match"


def test_fts_query_quotes_every_term():
    assert fts_query(['a"b', "NEAR"]) == '"a""b"* "NEAR"*'
