"""Catalogue import from CSV or Excel (.xlsx) with a checked preview, and CSV export.

Headers may be Persian or English (code/کد, name/نام, barcode/بارکد, unit/واحد, price/قیمت,
stock/موجودی, tax/مالیات). Barcodes in one cell are separated by ';' or '|'. The tax column holds
a percentage ("9" or "9%"), "معاف"/"exempt", or nothing (the VAT table applies). A known code
updates that product; a new code creates one.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from posapp.domain.errors import ValidationError
from posapp.domain.text import normalize_for_search
from posapp.services._common import Cancel, CancelledError, Progress, chunks
from posapp.services.catalog import DEFAULT_UNIT, CatalogService, ProductInput
from posapp.storage.bulk import insert_rows
from posapp.storage.engine import Database
from posapp.storage.models import BarcodeRow, ProductRow

COLUMNS = ("code", "name", "barcodes", "unit", "price", "stock", "tax")
EXPORT_HEADERS = ("کد", "نام", "بارکد", "واحد", "قیمت", "موجودی", "مالیات")
HEADER_ALIASES = {
    "code": ("code", "product code", "sku", "کد", "کد کالا"),
    "name": ("name", "product name", "title", "نام", "نام کالا", "شرح"),
    "barcodes": ("barcode", "barcodes", "بارکد", "بارکدها"),
    "unit": ("unit", "واحد", "واحد کالا"),
    "price": ("price", "price (rial)", "قیمت", "قیمت (ریال)", "قیمت فروش", "مبلغ"),
    "stock": ("stock", "quantity", "موجودی", "تعداد"),
    "tax": ("tax", "tax %", "vat", "مالیات", "نرخ مالیات", "ارزش افزوده"),
}
_HEADER_TO_COLUMN = {
    normalize_for_search(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}
REQUIRED_COLUMNS = ("code", "name", "price")
EXEMPT_WORDS = frozenset({"معاف", "exempt", "no", "خیر"})
_BARCODE_SEPARATORS = re.compile(r"[;|]")
_COMMIT_CHUNK = 500


@dataclass(frozen=True)
class ImportRow:
    row_number: int
    """The row's number in the file as a spreadsheet shows it (the header is row 1)."""
    product: ProductInput
    """Validated values."""
    existing_id: int | None
    """The product this row updates, or None when it creates one."""


@dataclass(frozen=True)
class ImportProblem:
    row_number: int
    field: str
    message_fa: str
    message_en: str


@dataclass(frozen=True)
class ImportPreview:
    path: Path
    rows: tuple[ImportRow, ...]
    errors: dict[int, tuple[ImportProblem, ...]] = field(default_factory=dict)
    """Problems per row number; those rows are not imported."""
    columns: frozenset[str] = frozenset(COLUMNS)
    """The columns the file has. A known product keeps what the file does not mention (a price
    list without a barcode column leaves the barcodes alone)."""

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.existing_id is None)

    @property
    def update_count(self) -> int:
        return len(self.rows) - self.new_count


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    skipped: int
    """Rows left out because of errors in the preview."""


def _cell_text(value: object) -> str:
    """Spreadsheet cells arrive as str, int, float or None; floats are read through their
    shortest repr so 12500.0 becomes "12500", never a binary approximation."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _read_csv(path: Path) -> Iterator[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError("file", "کدگذاری پرونده شناخته نشد (UTF-8 یا Windows-1256)",
                              "the file's encoding was not recognised (UTF-8 or Windows-1256)")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(text.splitlines(), dialect)


def _read_xlsx(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ValidationError("file", "پرونده اکسل خوانده نشد", f"the Excel file could not be read: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


def read_table(path: Path) -> Iterator[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(path)
    raise ValidationError("file", "فقط پرونده CSV یا اکسل (xlsx) پذیرفته می‌شود",
                          "only CSV or Excel (.xlsx) files can be imported")


def _column_map(header: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, title in enumerate(header):
        column = _HEADER_TO_COLUMN.get(normalize_for_search(title))
        if column and column not in mapping:
            mapping[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in mapping]
    if missing:
        raise ValidationError(
            "file",
            "ستون‌های لازم در سطر اول نیست: کد، نام، قیمت",
            f"the first row lacks required columns: {', '.join(missing)} (code, name, price)",
        )
    return mapping


def parse_tax_cell(text: str) -> tuple[Decimal | None, bool]:
    """(override fraction or None, exempt) from a tax cell: "9", "9%", "معاف" or empty."""
    key = normalize_for_search(text).replace("٪", "%")
    if not key:
        return None, False
    if key in EXEMPT_WORDS:
        return None, True
    number = key.rstrip("%").strip()
    try:
        percent = Decimal(number)
    except ArithmeticError:
        raise ValidationError("tax", f"نرخ مالیات «{text}» نامعتبر است (مثلاً ۱۰ یا معاف)",
                              f"tax rate '{text}' is not valid (e.g. 10 or exempt)") from None
    if not percent.is_finite():
        raise ValidationError("tax", "نرخ مالیات باید عدد باشد", "the tax rate must be a number")
    return percent / 100, False


def _row_input(cells: list[str], mapping: dict[str, int]) -> ProductInput:
    def cell(column: str) -> str:
        index = mapping.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    override, exempt = parse_tax_cell(cell("tax"))
    return ProductInput(
        name=cell("name"), code=cell("code"), price=cell("price") or "0",
        unit=cell("unit") or DEFAULT_UNIT, stock=cell("stock") or "0",
        tax_rate_override=override, tax_exempt=exempt,
        barcodes=tuple(b for b in _BARCODE_SEPARATORS.split(cell("barcodes")) if b.strip()),
    ).validated()


def preview_import(database: Database, path: Path) -> ImportPreview:
    table = read_table(path)
    header = next(table, None)
    if header is None:
        raise ValidationError("file", "پرونده خالی است", "the file is empty")
    mapping = _column_map(header)
    candidates: list[tuple[int, ProductInput]] = []
    errors: dict[int, list[ImportProblem]] = {}
    seen_codes: dict[str, int] = {}
    for row_number, cells in enumerate(table, start=2):
        if not any(c.strip() for c in cells):
            continue
        try:
            product = _row_input(cells, mapping)
        except ValidationError as exc:
            errors.setdefault(row_number, []).append(
                ImportProblem(row_number, exc.field, exc.message_fa, exc.message_en))
            continue
        clash = next((c for c in (product.code, *product.barcodes) if c in seen_codes), None)
        if clash is not None:
            errors.setdefault(row_number, []).append(ImportProblem(
                row_number, "code", f"کد یا بارکد «{clash}» در سطر {seen_codes[clash]} هم آمده است",
                f"code or barcode '{clash}' also appears on row {seen_codes[clash]}"))
            continue
        for code in (product.code, *product.barcodes):
            seen_codes[code] = row_number
        candidates.append((row_number, product))
    rows: list[ImportRow] = []
    with database.read() as session:
        for batch in chunks(candidates):
            codes = [c for _, p in batch for c in (p.code, *p.barcodes)]
            owners = CatalogService.conflicts(session, codes, product_id=None)
            code_ids = dict(session.execute(
                select(ProductRow.code, ProductRow.id).where(ProductRow.code.in_([p.code for _, p in batch]))
            ).all())
            for row_number, product in batch:
                existing_id = code_ids.get(product.code)
                taken = [c for c in (product.code, *product.barcodes) if owners.get(c, existing_id) != existing_id]
                if taken:
                    errors.setdefault(row_number, []).append(ImportProblem(
                        row_number, "barcodes", f"«{taken[0]}» برای کالای دیگری ثبت شده است",
                        f"'{taken[0]}' already belongs to another product"))
                    continue
                rows.append(ImportRow(row_number, product, existing_id))
    return ImportPreview(
        path=path, rows=tuple(rows),
        errors={number: tuple(problems) for number, problems in sorted(errors.items())},
        columns=frozenset(mapping),
    )


def _product_values(product: ProductInput, now: datetime, columns: frozenset[str]) -> dict[str, object]:
    """Column values from an import row: always code, name and price, the rest only when the
    file has that column."""
    values: dict[str, object] = {
        "code": product.code, "name": product.name, "name_normalized": normalize_for_search(product.name),
        "price": Decimal(product.price), "updated_at": now,
    }
    if "unit" in columns:
        values["unit"] = product.unit
    if "stock" in columns:
        values["stock"] = Decimal(product.stock)
    if "tax" in columns:
        values["tax_rate_override"] = product.tax_rate_override
        values["tax_exempt"] = product.tax_exempt
    return values


def commit_import(
    database: Database, preview: ImportPreview, progress: Progress | None, cancel: Cancel | None,
) -> ImportReport:
    total = len(preview.rows)
    products = ProductRow.__table__
    barcodes = BarcodeRow.__table__
    now = datetime.now(UTC)
    try:
        with database.write() as session:
            done = 0
            for batch in chunks(preview.rows, _COMMIT_CHUNK):
                if cancel is not None and cancel():
                    raise CancelledError()
                new = [row for row in batch if row.existing_id is None]
                known = [row for row in batch if row.existing_id is not None]
                insert_rows(session, products, [
                    {**_product_values(row.product, now, frozenset(COLUMNS)), "created_at": now} for row in new])
                new_id_of = dict(session.execute(
                    select(ProductRow.code, ProductRow.id).where(ProductRow.code.in_([r.product.code for r in new]))
                ).all()) if new else {}
                new_ids = [new_id_of[row.product.code] for row in new]
                for row in known:
                    session.execute(update(products).where(products.c.id == row.existing_id)
                                    .values(**_product_values(row.product, now, preview.columns)))
                if known and "barcodes" in preview.columns:
                    session.execute(delete(barcodes).where(
                        barcodes.c.product_id.in_([row.existing_id for row in known])))
                barcode_rows = [
                    {"product_id": product_id, "barcode": barcode}
                    for row, product_id in [*zip(new, new_ids, strict=True),
                                            *((row, row.existing_id) for row in known)]
                    for barcode in row.product.barcodes
                ]
                insert_rows(session, barcodes, barcode_rows)
                done += len(batch)
                if progress is not None:
                    progress(done, total)
    except IntegrityError:
        raise ValidationError(
            "file", "کدها یا بارکدهای این پرونده در این فاصله برای کالای دیگری ثبت شدند؛ دوباره پیش‌نمایش بگیرید",
            "codes or barcodes in this file were taken meanwhile; preview the file again",
        ) from None
    return ImportReport(created=preview.new_count, updated=preview.update_count,
                        skipped=len(preview.errors))


def format_tax_cell(override: Decimal | None, exempt: bool) -> str:
    if exempt:
        return "معاف"
    if override is None:
        return ""
    return f"{(override * 100).normalize():f}"


def export_csv(database: Database, path: Path, progress: Progress | None, cancel: Cancel | None) -> int:
    """Stream the catalogue to `path` (UTF-8 with BOM so Excel shows Persian), written to a
    temporary file first so a cancelled or failed export never leaves half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=".csv")
    written = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle, database.read() as session:
            writer = csv.writer(handle)
            writer.writerow(EXPORT_HEADERS)
            ids = list(session.execute(select(ProductRow.id).order_by(ProductRow.code)).scalars())
            total = len(ids)
            for batch in chunks(ids):
                if cancel is not None and cancel():
                    raise CancelledError()
                barcode_map: dict[int, list[str]] = {}
                for product_id, barcode in session.execute(
                    select(BarcodeRow.product_id, BarcodeRow.barcode)
                    .where(BarcodeRow.product_id.in_(batch)).order_by(BarcodeRow.id)
                ):
                    barcode_map.setdefault(product_id, []).append(barcode)
                for row in session.execute(
                    select(ProductRow).where(ProductRow.id.in_(batch)).order_by(ProductRow.code)
                ).scalars():
                    writer.writerow([
                        row.code, row.name, ";".join(barcode_map.get(row.id, ())), row.unit,
                        f"{row.price:f}", f"{row.stock.normalize():f}",
                        format_tax_cell(row.tax_rate_override, row.tax_exempt),
                    ])
                    written += 1
                if progress is not None:
                    progress(written, total)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return written
