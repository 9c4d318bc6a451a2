"""The product catalogue: scan lookup, name search, lazy paging for big tables, create/update
with validation, and CSV/Excel import and CSV export (see `posapp.services.catalog_io`).

Thread-safe: every call opens its own session; results are frozen `ProductView`s, never ORM rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Row, Select, bindparam, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from posapp.domain.errors import NotFoundError, ValidationError
from posapp.domain.invoice import check_quantity
from posapp.domain.moadian_invoice import clean_goods_code, clean_unit_code, unit_code_for
from posapp.domain.money import ZERO, check_amount, parse_amount, parse_number
from posapp.domain.tax import check_tax_rate
from posapp.domain.text import normalize_for_search, normalize_scanned_code
from posapp.services._common import (
    CONTROL_CHARACTERS,
    Cancel,
    Progress,
    chunks,
    decimal_places,
    required_text,
)
from posapp.services._paging import PagedListing
from posapp.services.changes import PRODUCTS, writes
from posapp.storage.engine import Database
from posapp.storage.models import BarcodeRow, ProductRow
from posapp.storage.search import MAX_MATCH_CHAR, TextSearch

if TYPE_CHECKING:
    from posapp.services.catalog_io import ImportPreview, ImportReport

DEFAULT_UNIT = "عدد"
MAX_CODE_LENGTH = 64
MAX_CATEGORY_LENGTH = 100
_PERSIAN_LETTERS = str.maketrans({"ي": "ی", "ك": "ک"})
_SPACE_OR_CONTROL = re.compile(rf"\s|{CONTROL_CHARACTERS.pattern}")

_PRODUCT_COLUMNS = (
    ProductRow.id, ProductRow.code, ProductRow.name, ProductRow.unit, ProductRow.price, ProductRow.stock,
    ProductRow.tax_rate_override, ProductRow.tax_exempt, ProductRow.goods_code, ProductRow.unit_code,
    ProductRow.category,
)
_BY_CODE = union_all(
    select(ProductRow.id).where(ProductRow.code == bindparam("code")),
    select(BarcodeRow.product_id).where(BarcodeRow.barcode == bindparam("code")),
).limit(1)
_PRODUCT_BY_CODE = select(*_PRODUCT_COLUMNS).where(ProductRow.id == _BY_CODE.scalar_subquery())
_PRODUCTS_BY_ID = select(*_PRODUCT_COLUMNS).where(ProductRow.id.in_(bindparam("ids", expanding=True)))
_BARCODES_BY_PRODUCT = (
    select(BarcodeRow.product_id, BarcodeRow.barcode)
    .where(BarcodeRow.product_id.in_(bindparam("ids", expanding=True)))
    .order_by(BarcodeRow.id)
)
_NAME_STARTS = (
    select(ProductRow.id)
    .where(ProductRow.name_normalized >= bindparam("low"), ProductRow.name_normalized < bindparam("high"))
    .order_by(ProductRow.name_normalized, ProductRow.id)
    .limit(bindparam("limit"))
)


@dataclass(frozen=True)
class ProductView:
    id: int
    code: str
    name: str
    unit: str
    price: Decimal
    stock: Decimal
    tax_rate_override: Decimal | None
    tax_exempt: bool
    barcodes: tuple[str, ...]
    goods_code: str = ""
    """Moadian goods/service code (13 digits) or empty."""
    unit_code: str = ""
    """The product's own Moadian unit code or empty (see `moadian_unit_code`)."""
    category: str = ""
    """The shelf group the products report sums by, or empty."""

    @property
    def moadian_unit_code(self) -> str:
        """The unit code an invoice line copies: the product's own, else its unit name's."""
        return unit_code_for(self.unit, self.unit_code)


def clean_code(value: str, *, field: str = "code") -> str:
    """A product code or barcode as stored and looked up: scanner keyboard-layout mistakes and
    Persian digits undone (normalize_scanned_code), no inner spaces, at most 64 characters."""
    code = normalize_scanned_code(str(value))
    if not code:
        raise ValidationError(field, "کد کالا را وارد کنید", "enter the product code")
    if _SPACE_OR_CONTROL.search(code):
        raise ValidationError(field, "کد یا بارکد نباید فاصله یا نویسه کنترلی داشته باشد",
                              "a code or barcode has no spaces or control characters")
    if len(code) > MAX_CODE_LENGTH:
        raise ValidationError(field, "کد یا بارکد بیش از ۶۴ نویسه است", "a code or barcode is longer than 64 characters")
    return code


def clean_category(value: str) -> str:
    """A category as stored: spaces collapsed, Arabic letters as Persian ones (so "لبنيات" and
    "لبنیات" are one category), at most 100 characters; empty is allowed."""
    category = " ".join(str(value or "").translate(_PERSIAN_LETTERS).split())
    if len(category) > MAX_CATEGORY_LENGTH:
        raise ValidationError("category", "نام دسته بیش از ۱۰۰ نویسه است", "a category is longer than 100 characters")
    return category


def _decimal(value: object, *, field: str, fa: str, en: str) -> Decimal:
    number = parse_number(value)
    if number is None:
        raise ValidationError(field, fa, en)
    return number


@dataclass(frozen=True)
class ProductInput:
    """What a form or an import row gives for a product. `validated()` returns the clean
    values or raises ValidationError naming the field, with Persian and English messages."""

    name: str
    code: str
    price: Decimal | int | str
    unit: str = DEFAULT_UNIT
    stock: Decimal | int | str = ZERO
    tax_rate_override: Decimal | str | None = None
    """A fraction (0.09 for 9%); None means the VAT table's rate for the invoice day."""
    tax_exempt: bool = False
    barcodes: tuple[str, ...] = field(default_factory=tuple)
    goods_code: str = ""
    """Moadian goods/service code: 13 digits, or empty."""
    unit_code: str = ""
    """Moadian unit code, or empty to go by the unit's name."""
    category: str = ""
    """The shelf group (dairy, drinks...), or empty."""

    def validated(self) -> ProductInput:
        name = required_text(self.name, field="name", label_fa="نام کالا", label_en="product name",
                             max_length=200)
        code = clean_code(self.code)
        unit = required_text(self.unit or DEFAULT_UNIT, field="unit", label_fa="واحد", label_en="unit",
                             max_length=32)
        price = check_amount(parse_amount(self.price, field="price"), field="price")
        if price != price.to_integral_value():
            raise ValidationError("price", "قیمت باید ریال کامل باشد", "the price must be whole Rial")
        stock = _decimal(self.stock, field="stock", fa="موجودی باید عدد باشد", en="the stock must be a number")
        if stock != ZERO:
            check_quantity(abs(stock), field="stock")
        override = None
        if self.tax_rate_override is not None and str(self.tax_rate_override).strip() != "":
            override = check_tax_rate(self.tax_rate_override, field="tax_rate_override")
            if decimal_places(override) > 6:
                raise ValidationError("tax_rate_override", "نرخ مالیات حداکثر شش رقم اعشار دارد",
                                      "a tax rate takes at most six decimal places")
        barcodes: list[str] = []
        for raw in self.barcodes:
            if not str(raw).strip():
                continue
            barcode = clean_code(raw, field="barcodes")
            if barcode not in barcodes and barcode != code:
                barcodes.append(barcode)
        return ProductInput(name=name, code=code, price=price, unit=unit, stock=stock,
                            tax_rate_override=override, tax_exempt=bool(self.tax_exempt),
                            barcodes=tuple(barcodes), goods_code=clean_goods_code(self.goods_code),
                            unit_code=clean_unit_code(self.unit_code), category=clean_category(self.category))


def _view(row: Row[*tuple[Any, ...]], barcodes: Sequence[str]) -> ProductView:
    return ProductView(
        id=row.id, code=row.code, name=row.name, unit=row.unit, price=row.price, stock=row.stock,
        tax_rate_override=row.tax_rate_override, tax_exempt=row.tax_exempt, barcodes=tuple(barcodes),
        goods_code=row.goods_code, unit_code=row.unit_code, category=row.category,
    )


@contextmanager
def _unique_codes_guard(clean: ProductInput) -> Iterator[None]:
    """Another till may take the same code between our check and our commit; the database's
    unique index catches it and the cashier gets the same message as for a known conflict."""
    try:
        yield
    except IntegrityError:
        raise ValidationError(
            "code", f"کد «{clean.code}» یا یکی از بارکدها همین حالا برای کالای دیگری ثبت شد",
            f"code '{clean.code}' or one of the barcodes was just taken by another product",
        ) from None


def search_words(text: str) -> list[str]:
    return normalize_for_search(text).split()


class CatalogService(PagedListing[ProductView]):
    """Products: lookups for the sale screen, paging for the catalogue table, edits, import."""

    LIST_ORDER = (ProductRow.name_normalized, ProductRow.id)

    def __init__(self, database: Database) -> None:
        self._db = database
        self._search = TextSearch(database.engine.dialect.name)

    # -- reading ---------------------------------------------------------------------------

    def categories(self) -> list[str]:
        """The categories products have, for the product form's choices."""
        with self._db.read() as session:
            return list(session.execute(select(ProductRow.category).where(ProductRow.category != "")
                                        .distinct().order_by(ProductRow.category)).scalars())

    def get(self, product_id: int) -> ProductView:
        with self._db.connect() as connection:
            views = self._views(connection, [product_id])
        if not views:
            raise NotFoundError("کالا پیدا نشد", f"product {product_id} was not found")
        return views[0]

    def get_many(self, ids: Sequence[int]) -> list[ProductView]:
        """Views for `ids` in the same order; ids that no longer exist are left out."""
        with self._db.connect() as connection:
            return self._views(connection, ids)

    def find_by_code(self, code: str) -> ProductView | None:
        """The product whose code or one of whose barcodes is exactly `code` as scanned."""
        cleaned = normalize_scanned_code(code)
        if not cleaned:
            return None
        with self._db.connect() as connection:
            row = connection.execute(_PRODUCT_BY_CODE, {"code": cleaned}).first()
            if row is None:
                return None
            barcodes = [barcode for _, barcode in connection.execute(_BARCODES_BY_PRODUCT, {"ids": [row.id]})]
            return _view(row, barcodes)

    @staticmethod
    def _id_for_code(connection: Connection, code: str) -> int | None:
        return connection.execute(_BY_CODE, {"code": code}).scalar()

    def search(self, text: str, limit: int = 20) -> list[ProductView]:
        """Products for the sale screen's search box: an exact code or barcode first, then names
        starting with the text (alphabetical), then names where every word is a word prefix."""
        words = search_words(text)
        if not words or limit <= 0:
            return []
        key = " ".join(words)
        with self._db.connect() as connection:
            ids: list[int] = []
            exact = self._id_for_code(connection, normalize_scanned_code(text))
            if exact is not None:
                ids.append(exact)
            starts = connection.execute(_NAME_STARTS, {"low": key, "high": key + MAX_MATCH_CHAR, "limit": limit})
            ids.extend(pid for pid in starts.scalars() if pid not in ids)
            if len(ids) < limit:
                seen = set(ids)
                more = connection.execute(self._search.product_ids(words).limit(limit + len(ids))).scalars()
                ids.extend(pid for pid in more if pid not in seen)
            return self._views(connection, ids[:limit])

    def _filtered(self, text: str) -> Select[int]:
        """The products pane's list: names with every word as a word prefix, and codes starting
        with the text or a barcode equal to it (as a scanner or either keyboard layout typed it)."""
        statement = select(ProductRow.id)
        words = search_words(text)
        if not words:
            return statement
        by_name = ProductRow.id.in_(self._search.product_ids(words))
        code = normalize_scanned_code(text)
        if not code:
            return statement.where(by_name)
        by_code = union_all(
            select(ProductRow.id).where(ProductRow.code >= code, ProductRow.code < code + MAX_MATCH_CHAR),
            select(BarcodeRow.product_id).where(BarcodeRow.barcode == code),
        )
        return statement.where(or_(by_name, ProductRow.id.in_(by_code)))

    @staticmethod
    def _views(connection: Connection, ids: Sequence[int]) -> list[ProductView]:
        rows: dict[int, Row[*tuple[Any, ...]]] = {}
        barcodes: dict[int, list[str]] = {}
        for chunk in chunks(list(ids)):
            rows.update((row.id, row) for row in connection.execute(_PRODUCTS_BY_ID, {"ids": list(chunk)}))
            for product_id, barcode in connection.execute(_BARCODES_BY_PRODUCT, {"ids": list(chunk)}):
                barcodes.setdefault(product_id, []).append(barcode)
        return [_view(rows[pid], barcodes.get(pid, ())) for pid in ids if pid in rows]

    # -- writing ---------------------------------------------------------------------------

    @writes(PRODUCTS)
    def create(self, product: ProductInput) -> ProductView:
        clean = product.validated()
        with _unique_codes_guard(clean), self._db.write() as session:
            self._check_unique(session, clean, product_id=None)
            row = self._new_row(clean)
            session.add(row)
            session.flush()
            product_id = row.id
        return self.get(product_id)

    @writes(PRODUCTS)
    def update(self, product_id: int, product: ProductInput) -> ProductView:
        clean = product.validated()
        with _unique_codes_guard(clean), self._db.write() as session:
            row = session.get(ProductRow, product_id)
            if row is None:
                raise NotFoundError("کالا پیدا نشد", f"product {product_id} was not found")
            self._check_unique(session, clean, product_id=product_id)
            self._fill_row(row, clean)
            existing = {b.barcode: b for b in row.barcodes}
            row.barcodes = [existing.get(code) or BarcodeRow(barcode=code) for code in clean.barcodes]
        return self.get(product_id)

    @staticmethod
    def _fill_row(row: ProductRow, clean: ProductInput) -> None:
        row.code = clean.code
        row.name = clean.name
        row.name_normalized = normalize_for_search(clean.name)
        row.unit = clean.unit
        row.price = Decimal(clean.price)
        row.stock = Decimal(clean.stock)
        row.tax_rate_override = None if clean.tax_rate_override is None else Decimal(clean.tax_rate_override)
        row.tax_exempt = clean.tax_exempt
        row.goods_code = clean.goods_code
        row.unit_code = clean.unit_code
        row.category = clean.category
        row.updated_at = datetime.now(UTC)

    @classmethod
    def _new_row(cls, clean: ProductInput) -> ProductRow:
        row = ProductRow(created_at=datetime.now(UTC))
        cls._fill_row(row, clean)
        row.barcodes = [BarcodeRow(barcode=code) for code in clean.barcodes]
        return row

    @staticmethod
    def conflicts(session: Session, codes: Iterable[str], product_id: int | None) -> dict[str, int]:
        """Which of `codes` already belong (as code or barcode) to a product other than `product_id`."""
        wanted = list(dict.fromkeys(codes))
        found: dict[str, int] = {}
        for chunk in chunks(wanted):
            for code, owner in session.execute(
                select(ProductRow.code, ProductRow.id).where(ProductRow.code.in_(chunk))
            ):
                found[code] = owner
            for code, owner in session.execute(
                select(BarcodeRow.barcode, BarcodeRow.product_id).where(BarcodeRow.barcode.in_(chunk))
            ):
                found[code] = owner
        return {code: owner for code, owner in found.items() if owner != product_id}

    def _check_unique(self, session: Session, clean: ProductInput, product_id: int | None) -> None:
        taken = self.conflicts(session, (clean.code, *clean.barcodes), product_id)
        if clean.code in taken:
            raise ValidationError("code", f"کد «{clean.code}» برای کالای دیگری ثبت شده است",
                                  f"code '{clean.code}' already belongs to another product")
        for barcode in clean.barcodes:
            if barcode in taken:
                raise ValidationError("barcodes", f"بارکد «{barcode}» برای کالای دیگری ثبت شده است",
                                      f"barcode '{barcode}' already belongs to another product")

    # -- import and export -----------------------------------------------------------------

    def preview_import(
        self, path: Path | str, progress: Progress | None = None, cancel: Cancel | None = None,
    ) -> ImportPreview:
        """Read a CSV or .xlsx price list and check every row; nothing is saved yet. `cancel`
        stops the reading (CancelledError)."""
        from posapp.services.catalog_io import preview_import

        return preview_import(self._db, self, Path(path), progress, cancel)

    @writes(PRODUCTS)
    def commit_import(
        self, preview: ImportPreview, progress: Progress | None = None, cancel: Cancel | None = None,
    ) -> ImportReport:
        """Save the preview's valid rows in one transaction (new codes created, known codes
        updated). Cancelling rolls everything back."""
        from posapp.services.catalog_io import commit_import

        return commit_import(self._db, preview, progress, cancel)

    def export(self, path: Path | str, progress: Progress | None = None, cancel: Cancel | None = None) -> int:
        """Write the whole catalogue as CSV or .xlsx (by the extension) in the import's own
        columns; importing it back changes nothing. Returns the row count."""
        from posapp.services.catalog_io import export_catalogue

        return export_catalogue(self._db, Path(path), progress, cancel)


__all__ = ["CatalogService", "ProductInput", "ProductView", "clean_code"]
