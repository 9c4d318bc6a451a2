"""Catalogue import from CSV or Excel (.xlsx) with a checked preview, and export to either.

Headers may be Persian or English (code/کد, name/نام, barcode/بارکد, unit/واحد, price/قیمت,
stock/موجودی, tax/مالیات, Moadian's goods_code/شناسه کالا (13 digits) and unit_code/کد واحد, and
category/دسته (the shelf group the products report sums by).
Barcodes in one cell are separated by ';' or '|'. The tax column holds
a percentage ("9" or "9%"), "معاف"/"exempt", or "پیش‌فرض"/"default" (the VAT table applies).
A known code updates that product; a new code creates one.

Reading is strict, because a wrong price saved quietly is worse than a refused row:
- a blank cell leaves a known product's value as it is; for a new product a blank code, name or
  price is an error (unit, stock and tax fall back to "عدد", 0 and the VAT table);
- a CSV row with more or fewer cells than the header is an error, and so is an unterminated
  quote (for the whole file: everything after it would be misread);
- numbers are read by `posapp.domain.money.parse_number` (thousands separators only in threes);
- text is UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1256; see `decode_csv`;
- an .xlsx file is checked inside its zip before parsing and streamed with openpyxl's read-only
  mode under the bounds below, so no file can make the preview run for minutes or fill memory.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from posapp.domain.errors import DomainError, ValidationError
from posapp.domain.money import parse_number
from posapp.domain.text import normalize_for_search
from posapp.services._common import Cancel, CancelledError, Progress, chunks
from posapp.services.catalog import (
    DEFAULT_UNIT,
    CatalogService,
    ProductInput,
    ProductView,
    clean_code,
)
from posapp.storage.bulk import insert_rows
from posapp.storage.engine import Database
from posapp.storage.models import BarcodeRow, ProductRow

COLUMNS = ("code", "name", "barcodes", "unit", "price", "stock", "tax", "goods_code", "unit_code", "category")
EXPORT_HEADERS = ("کد", "نام", "بارکد", "واحد", "قیمت", "موجودی", "مالیات", "شناسه کالا", "کد واحد", "دسته")
HEADER_ALIASES = {
    "code": ("code", "product code", "sku", "کد", "کد کالا"),
    "name": ("name", "product name", "title", "نام", "نام کالا", "شرح"),
    "barcodes": ("barcode", "barcodes", "بارکد", "بارکدها"),
    "unit": ("unit", "واحد", "واحد کالا"),
    "price": ("price", "price (rial)", "قیمت", "قیمت (ریال)", "قیمت فروش", "مبلغ"),
    "stock": ("stock", "quantity", "موجودی", "تعداد"),
    "tax": ("tax", "tax %", "vat", "مالیات", "نرخ مالیات", "ارزش افزوده"),
    "goods_code": ("goods code", "goods_code", "sstid", "moadian code", "شناسه کالا", "شناسه کالا/خدمت",
                   "شناسه کالا و خدمت", "شناسه مودیان"),
    "unit_code": ("unit code", "unit_code", "mu", "کد واحد", "کد واحد سنجش"),
    "category": ("category", "group", "department", "دسته", "دسته‌بندی", "گروه", "گروه کالا"),
}
_HEADER_TO_COLUMN = {
    normalize_for_search(alias): column for column, aliases in HEADER_ALIASES.items() for alias in aliases
}
REQUIRED_COLUMNS = ("code", "name", "price")
EXEMPT_WORDS = frozenset({"معاف", "exempt", "no", "خیر"})
TABLE_RATE_WORDS = frozenset(normalize_for_search(word) for word in ("پیش‌فرض", "پیشفرض", "default", "جدول", "table"))
TABLE_RATE_EXPORT = "پیش‌فرض"
_BARCODE_SEPARATORS = re.compile(r"[;|]")
_COMMIT_CHUNK = 500
_CANCEL_EVERY = 500
"""Rows read between two looks at the cancel flag and two progress reports."""

MAX_ROWS = 200_000
"""Rows (after the header) one file may hold."""
MAX_COLUMNS = 64
MAX_CELLS = 4_000_000
"""Cells read in all, empty padding included: the bound on the work a sheet can ask for."""
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED = 256 * 1024 * 1024
"""Decompressed size of everything in an .xlsx, as its zip directory declares (Python's zip
reader never inflates a member beyond its declared size)."""
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; nothing of it is imported."""

    def __init__(self, message_fa: str, message_en: str) -> None:
        super().__init__("file", message_fa, message_en)


# -- the preview -----------------------------------------------------------------------------


class RowAction:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class ImportRow:
    row_number: int
    """The row's number in the file as a spreadsheet shows it (the header is row 1)."""
    product: ProductInput
    """Validated values: the file's, with a known product's own values where the file is blank."""
    existing_id: int | None
    """The product this row updates, or None when it creates one."""
    given: frozenset[str] = frozenset(COLUMNS)
    """The columns this row fills; a known product keeps every other value."""
    notes: tuple[tuple[str, str], ...] = ()
    """(Persian, English) remarks on what was read, e.g. a line break made a space."""

    @property
    def action(self) -> str:
        return RowAction.NEW if self.existing_id is None else RowAction.UPDATE


@dataclass(frozen=True)
class ImportProblem:
    row_number: int
    field: str
    message_fa: str
    message_en: str
    code: str = ""
    """The row's product code, when it has a readable one."""


@dataclass(frozen=True)
class ReportLine:
    """One line of the per-row report the dialog and `posapp catalog import` show."""

    row_number: int
    action: str
    code: str
    field: str
    message_fa: str
    message_en: str


@dataclass(frozen=True)
class ImportPreview:
    path: Path
    rows: tuple[ImportRow, ...]
    """Rows that create or change a product."""
    errors: dict[int, tuple[ImportProblem, ...]] = field(default_factory=dict)
    """Problems per row number; those rows are not imported."""
    unchanged: tuple[ImportRow, ...] = ()
    """Rows that match their product exactly; importing leaves them alone."""

    @property
    def new_count(self) -> int:
        return sum(1 for row in self.rows if row.existing_id is None)

    @property
    def update_count(self) -> int:
        return len(self.rows) - self.new_count

    def report(self) -> list[ReportLine]:
        """Every non-blank data row in file order: what importing does with it, or why not."""
        lines = [
            ReportLine(row.row_number, action or row.action, row.product.code, "", fa, en)
            for action, rows in ((None, self.rows), (RowAction.UNCHANGED, self.unchanged))
            for row in rows
            for fa, en in (row.notes or (("", ""),))
        ]
        lines.extend(
            ReportLine(problem.row_number, RowAction.REFUSED, problem.code, problem.field, problem.message_fa,
                       problem.message_en)
            for problems in self.errors.values() for problem in problems
        )
        return sorted(lines, key=lambda line: line.row_number)


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    skipped: int
    """Rows left out because of errors in the preview."""
    unchanged: int = 0


# -- reading files ---------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """Spreadsheet cells arrive as str, int, float or None; floats are read through their
    shortest repr so 12500.0 becomes "12500", never a binary approximation."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _is_arabic_script(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff"


def _plausible_windows_1256(text: str) -> str | None:
    """None when `text` (decoded as Windows-1256) reads as Persian/Arabic and ASCII, else the
    first character that says it is some other encoding. The rule: every letter is ASCII or
    Arabic script, no word mixes Latin and Arabic letters, and an Arabic mark (harakat) follows
    an Arabic letter. Latin-1 text decoded this way breaks one of them ("Café" gives a Latin é;
    "Straße" gives a Latin word with an Arabic letter inside; "Señor" a mark after a Latin n)."""
    previous_script = ""
    for ch in text:
        category = unicodedata.category(ch)[0]
        if ch.isascii():
            script = "latin" if ch.isalpha() else ""
        elif category == "L":
            if not _is_arabic_script(ch):
                return ch
            script = "arabic"
        elif category == "M":
            if not (_is_arabic_script(ch) and previous_script == "arabic"):
                return ch
            continue
        else:
            script = ""
        if script and previous_script and script != previous_script:
            return ch
        previous_script = script
    return None


def decode_csv(raw: bytes) -> str:
    """The text of a CSV file. UTF-8 (with or without BOM) and UTF-16 (with BOM) are read as
    such; other bytes are read as Windows-1256 only when the result is plausible Persian or
    Arabic text (`_plausible_windows_1256`). Anything else is refused with a message naming
    the encoding problem, never imported as garbled text."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                f"پرونده با نشانه UTF-16 آغاز می‌شود ولی در بایت {exc.start} متن UTF-16 درستی ندارد",
                f"the file starts with a UTF-16 byte-order mark but is not valid UTF-16 at byte {exc.start}",
            ) from None
    utf16_without_bom = ImportFileError(
        "پرونده بایت صفر (NUL) دارد؛ شاید UTF-16 بدون نشانه BOM باشد. آن را با کدگذاری UTF-8 ذخیره کنید",
        "the file contains NUL bytes: it may be UTF-16 without a byte-order mark; save it as UTF-8",
    )
    if b"\x00" in raw.split(b"\n", 1)[0]:
        raise utf16_without_bom
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        not_utf8 = exc.start
    if b"\x00" in raw:
        raise utf16_without_bom
    text = raw.decode("cp1256", errors="replace")
    odd = _plausible_windows_1256(text)
    if odd is None and "\ufffd" not in text:
        return text
    raise ImportFileError(
        f"کدگذاری پرونده شناخته نشد: UTF-8 نیست (بایت {not_utf8}) و به Windows-1256 هم متن فارسی"
        f" درستی نمی‌دهد (نویسه «{odd or '?'}»). پرونده را با کدگذاری UTF-8 ذخیره کنید (در اکسل: CSV UTF-8)",
        f"the file's encoding is not supported: it is not UTF-8 (byte {not_utf8}) and does not read as"
        f" Persian text in Windows-1256 either (character '{odd or '?'}'); it may be Latin-1 or another"
        " code page. Save it as UTF-8 (in Excel: CSV UTF-8)",
    )


def _pick_delimiter(text: str) -> str:
    """The delimiter (',' ';' or tab) that splits the header into the most known column names."""
    first_line = text.split("\n", 1)[0]

    def known(delimiter: str) -> int:
        try:
            header = next(csv.reader([first_line], delimiter=delimiter), [])
        except csv.Error:
            return -1
        return sum(1 for title in header if normalize_for_search(title) in _HEADER_TO_COLUMN)

    return max((",", ";", "\t"), key=known)


def _read_csv(path: Path) -> Iterator[list[str]]:
    if path.stat().st_size > MAX_CSV_BYTES:
        raise ImportFileError(f"پرونده بزرگ‌تر از {MAX_CSV_BYTES // 2**20} مگابایت است",
                              f"the file is larger than {MAX_CSV_BYTES // 2**20} MB")
    text = decode_csv(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_pick_delimiter(text), strict=True)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFileError(
                f"پرونده CSV در سطر {reader.line_num} خراب است ({exc}): شاید گیومه‌ای (\") بسته نشده است؛"
                " هیچ سطری وارد نشد",
                f"the CSV file is malformed at line {reader.line_num} ({exc}): perhaps a quote (\") is"
                " never closed; nothing was imported",
            ) from None
        yield cells


def _too_big(what_fa: str, what_en: str) -> ImportFileError:
    return ImportFileError(
        f"پرونده اکسل بیش از حد بزرگ است ({what_fa})؛ آن را به چند پرونده کوچک‌تر بخش کنید",
        f"the Excel file is too big ({what_en}); split it into smaller files",
    )


def check_xlsx_container(path: Path) -> None:
    """Refuse an .xlsx whose zip would inflate beyond the bounds, before any XML is parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = sum(member.file_size for member in members)
            if total > MAX_XLSX_UNCOMPRESSED:
                raise _too_big(f"{total // 2**20} مگابایت پس از بازشدن",
                               f"{total // 2**20} MB when decompressed")
            for member in members:
                if member.filename.lower().endswith("sharedstrings.xml"):
                    if member.file_size > MAX_SHARED_STRINGS_BYTES:
                        raise _too_big("متن‌های مشترک بسیار بزرگ", "its shared strings are too large")
                    count = sum(1 for _ in _SHARED_STRING.finditer(archive.read(member)))
                    if count > MAX_SHARED_STRINGS:
                        raise _too_big(f"{count} متن مشترک", f"{count} shared strings")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ImportFileError("پرونده اکسل خوانده نشد (فایل xlsx معتبری نیست)",
                              f"the Excel file could not be read (not a valid .xlsx): {exc}") from None


def _read_xlsx(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    check_xlsx_container(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError("پرونده اکسل خوانده نشد", f"the Excel file could not be read: {exc}") from None
    try:
        sheet = workbook.worksheets[0]
        # the declared dimension may claim any size; read what the sheet really holds
        sheet.reset_dimensions()
        cells = 0
        rows = sheet.iter_rows(max_row=MAX_ROWS + 2, values_only=True)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except DomainError:
                raise
            except Exception as exc:  # a sheet broken mid-file: XML, zip or CRC errors
                raise ImportFileError(
                    "پرونده اکسل خراب است (بخشی از برگه خوانده نشد)؛ هیچ سطری وارد نشد",
                    f"the Excel file is damaged (part of the sheet could not be read: {exc}); nothing was imported",
                ) from None
            cells += max(len(values), 1)
            if cells > MAX_CELLS:
                raise _too_big(f"بیش از {MAX_CELLS} خانه", f"more than {MAX_CELLS:,} cells")
            texts = [_cell_text(value) for value in values]
            while texts and not texts[-1]:
                texts.pop()
            if len(texts) > MAX_COLUMNS:
                raise _too_big(f"بیش از {MAX_COLUMNS} ستون", f"more than {MAX_COLUMNS} columns")
            yield texts
    finally:
        workbook.close()


def read_table(path: Path) -> Iterator[list[str]]:
    """The rows of a CSV or .xlsx file as lists of cell texts (header first)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ImportFileError("پرونده پیدا نشد", f"the file {path} was not found")
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(path)
    raise ImportFileError("فقط پرونده CSV یا اکسل (xlsx) پذیرفته می‌شود",
                          "only CSV or Excel (.xlsx) files can be imported")


def _column_map(header: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, title in enumerate(header):
        column = _HEADER_TO_COLUMN.get(normalize_for_search(title))
        if column is None:
            continue
        if column in mapping:
            raise ImportFileError(
                f"ستون «{title}» دو بار در سطر اول آمده است",
                f"the first row names the {column} column twice ('{title}')",
            )
        mapping[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in mapping]
    if missing:
        raise ImportFileError(
            "ستون‌های لازم در سطر اول نیست: کد، نام، قیمت",
            f"the first row lacks required columns: {', '.join(missing)} (code, name, price)",
        )
    return mapping


def parse_tax_cell(text: str) -> tuple[Decimal | None, bool]:
    """(override fraction or None, exempt) from a non-blank tax cell: a percentage "9" or "9%",
    "معاف"/"exempt", or "پیش‌فرض"/"default" for the VAT table's rate."""
    key = normalize_for_search(text).replace("٪", "%")
    if key in EXEMPT_WORDS:
        return None, True
    if key in TABLE_RATE_WORDS:
        return None, False
    percent = parse_number(key.removesuffix("%").strip())
    if percent is None:
        raise ValidationError("tax", f"نرخ مالیات «{text}» نامعتبر است (مثلاً ۱۰ یا معاف)",
                              f"tax rate '{text}' is not valid (e.g. 10 or exempt)")
    if not Decimal(0) <= percent < Decimal(100):
        raise ValidationError("tax", f"نرخ مالیات «{text}» باید درصدی از ۰ تا کمتر از ۱۰۰ باشد",
                              f"tax rate '{text}' must be a percentage from 0 to below 100")
    return percent / 100, False


# -- checking rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _RawRow:
    row_number: int
    cells: dict[str, str]
    """Non-blank cells by column."""
    code: str


def _raw_rows(
    table: Iterator[list[str]], header: list[str], mapping: dict[str, int], *, padded: bool,
    errors: dict[int, list[ImportProblem]], cancel: Cancel | None, progress: Progress | None,
) -> list[_RawRow]:
    """The data rows with their cell count checked: a CSV row must have as many cells as the
    header; a sheet row (whose trailing empty cells are not stored) may have fewer, never more."""
    width = len(header)
    rows: list[_RawRow] = []
    for row_number, cells in enumerate(table, start=2):
        if row_number % _CANCEL_EVERY == 0:
            if cancel is not None and cancel():
                raise CancelledError()
            if progress is not None:
                progress(row_number, 0)
        if row_number - 1 > MAX_ROWS:
            raise ImportFileError(f"پرونده بیش از {MAX_ROWS} سطر دارد؛ آن را بخش کنید",
                                  f"the file has more than {MAX_ROWS:,} rows; split it")
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width or (len(cells) < width and not padded):
            errors.setdefault(row_number, []).append(ImportProblem(
                row_number, "file", f"این سطر {len(cells)} خانه دارد ولی سطر عنوان {width} خانه",
                f"this row has {len(cells)} cells but the header has {width}"))
            continue
        values = {column: cells[index].strip() for column, index in mapping.items()
                  if index < len(cells) and cells[index].strip()}
        try:
            code = clean_code(values.get("code", ""))
        except ValidationError as exc:
            errors.setdefault(row_number, []).append(
                ImportProblem(row_number, exc.field, exc.message_fa, exc.message_en))
            continue
        rows.append(_RawRow(row_number, values, code))
    return rows


def _as_input(view: ProductView) -> ProductInput:
    return ProductInput(
        name=view.name, code=view.code, price=view.price, unit=view.unit, stock=view.stock,
        tax_rate_override=view.tax_rate_override, tax_exempt=view.tax_exempt, barcodes=view.barcodes,
        goods_code=view.goods_code, unit_code=view.unit_code, category=view.category,
    )


_NEEDED_FOR_NEW = {
    "name": ("نام کالای جدید خالی است", "a new product needs a name"),
    "price": ("قیمت کالای جدید خالی است", "a new product needs a price"),
}


def _row_input(raw: _RawRow, existing: ProductView | None) -> tuple[ProductInput, frozenset[str], tuple[tuple[str, str], ...]]:
    """The row's product: its non-blank cells over the known product's values (or, for a new
    product, the defaults), validated; with the columns it fills and any notes."""
    cells = raw.cells
    if existing is None:
        for column, (fa, en) in _NEEDED_FOR_NEW.items():
            if column not in cells:
                raise ValidationError(column, fa, en)
        base = ProductInput(name="", code=raw.code, price=0, unit=DEFAULT_UNIT)
    else:
        base = _as_input(existing)
    changes: dict[str, object] = {"code": raw.code}
    notes: list[tuple[str, str]] = []
    for column in ("name", "unit"):
        if column in cells:
            changes[column] = cells[column]
            if any(ch in cells[column] for ch in "\r\n"):
                notes.append((f"شکستگی سطر در «{column}» به فاصله تبدیل شد",
                              f"a line break in the {column} became a space"))
    for column in ("price", "stock", "goods_code", "unit_code", "category"):
        if column in cells:
            changes[column] = cells[column]
    if "tax" in cells:
        changes["tax_rate_override"], changes["tax_exempt"] = parse_tax_cell(cells["tax"])
    if "barcodes" in cells:
        changes["barcodes"] = tuple(b for b in _BARCODE_SEPARATORS.split(cells["barcodes"]) if b.strip())
    product = replace(base, **changes).validated()  # type: ignore[arg-type]
    return product, frozenset(cells), tuple(notes)


def _same(product: ProductInput, view: ProductView) -> bool:
    return (product.name, product.unit, Decimal(product.price), Decimal(product.stock),
            product.tax_rate_override, product.tax_exempt, product.barcodes, product.goods_code,
            product.unit_code, product.category) == (
        view.name, view.unit, view.price, view.stock, view.tax_rate_override, view.tax_exempt, view.barcodes,
        view.goods_code, view.unit_code, view.category)


def preview_import(
    database: Database, catalog: CatalogService, path: Path,
    progress: Progress | None = None, cancel: Cancel | None = None,
) -> ImportPreview:
    """Read and check every row of `path`; nothing is saved. `cancel` stops it (CancelledError);
    `progress` gets (rows read, 0) while reading, as the total is not known in advance."""
    table = read_table(path)
    header = next(table, None)
    if header is None:
        raise ImportFileError("پرونده خالی است", "the file is empty")
    mapping = _column_map(header)
    errors: dict[int, list[ImportProblem]] = {}
    raw_rows = _raw_rows(table, header, mapping, padded=path.suffix.lower() == ".xlsx",
                         errors=errors, cancel=cancel, progress=progress)
    candidates: list[tuple[int, ProductInput, frozenset[str], tuple[tuple[str, str], ...], ProductView | None]] = []
    seen_codes: dict[str, int] = {}
    for batch in chunks(raw_rows):
        if cancel is not None and cancel():
            raise CancelledError()
        with database.connect() as connection:
            ids = dict(connection.execute(
                select(ProductRow.code, ProductRow.id).where(ProductRow.code.in_([raw.code for raw in batch]))
            ).all())
        views = {view.id: view for view in catalog.get_many(list(ids.values()))}
        for raw in batch:
            existing = views.get(ids.get(raw.code, -1))
            try:
                product, given, notes = _row_input(raw, existing)
            except ValidationError as exc:
                errors.setdefault(raw.row_number, []).append(
                    ImportProblem(raw.row_number, exc.field, exc.message_fa, exc.message_en, raw.code))
                continue
            clash = next((c for c in (product.code, *product.barcodes) if c in seen_codes), None)
            if clash is not None:
                errors.setdefault(raw.row_number, []).append(ImportProblem(
                    raw.row_number, "code", f"کد یا بارکد «{clash}» در سطر {seen_codes[clash]} هم آمده است",
                    f"code or barcode '{clash}' also appears on row {seen_codes[clash]}", raw.code))
                continue
            for code in (product.code, *product.barcodes):
                seen_codes[code] = raw.row_number
            candidates.append((raw.row_number, product, given, notes, existing))
    rows: list[ImportRow] = []
    unchanged: list[ImportRow] = []
    with database.read() as session:
        for chunk in chunks(candidates):
            owners = CatalogService.conflicts(session, [c for _, p, *_ in chunk for c in (p.code, *p.barcodes)],
                                              product_id=None)
            for row_number, product, given, notes, existing in chunk:
                existing_id = existing.id if existing is not None else None
                taken = [c for c in (product.code, *product.barcodes) if owners.get(c, existing_id) != existing_id]
                if taken:
                    errors.setdefault(row_number, []).append(ImportProblem(
                        row_number, "barcodes", f"«{taken[0]}» برای کالای دیگری ثبت شده است",
                        f"'{taken[0]}' already belongs to another product", product.code))
                    continue
                row = ImportRow(row_number, product, existing_id, given, notes)
                (unchanged if existing is not None and _same(product, existing) else rows).append(row)
    return ImportPreview(
        path=path, rows=tuple(rows),
        errors={number: tuple(problems) for number, problems in sorted(errors.items())},
        unchanged=tuple(unchanged),
    )


# -- saving ----------------------------------------------------------------------------------


def _product_values(product: ProductInput, now: datetime, given: frozenset[str]) -> dict[str, object]:
    """Column values from an import row: the code always, the rest only where the row fills it."""
    values: dict[str, object] = {"code": product.code, "updated_at": now}
    if "name" in given:
        values["name"] = product.name
        values["name_normalized"] = normalize_for_search(product.name)
    if "price" in given:
        values["price"] = Decimal(product.price)
    if "unit" in given:
        values["unit"] = product.unit
    if "stock" in given:
        values["stock"] = Decimal(product.stock)
    if "tax" in given:
        values["tax_rate_override"] = product.tax_rate_override
        values["tax_exempt"] = product.tax_exempt
    for column in ("goods_code", "unit_code", "category"):
        if column in given:
            values[column] = getattr(product, column)
    return values


_EVERY_COLUMN = frozenset(COLUMNS)


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
                    {**_product_values(row.product, now, _EVERY_COLUMN), "created_at": now} for row in new])
                new_id_of = dict(session.execute(
                    select(ProductRow.code, ProductRow.id).where(ProductRow.code.in_([r.product.code for r in new]))
                ).all()) if new else {}
                new_ids = [new_id_of[row.product.code] for row in new]
                for row in known:
                    session.execute(update(products).where(products.c.id == row.existing_id)
                                    .values(**_product_values(row.product, now, row.given)))
                relabelled = [row for row in known if "barcodes" in row.given]
                if relabelled:
                    session.execute(delete(barcodes).where(
                        barcodes.c.product_id.in_([row.existing_id for row in relabelled])))
                barcode_rows = [
                    {"product_id": product_id, "barcode": barcode}
                    for row, product_id in [*zip(new, new_ids, strict=True),
                                            *((row, row.existing_id) for row in relabelled)]
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
                        skipped=len(preview.errors), unchanged=len(preview.unchanged))


# -- export ----------------------------------------------------------------------------------


def format_tax_cell(override: Decimal | None, exempt: bool) -> str:
    if exempt:
        return "معاف"
    if override is None:
        return TABLE_RATE_EXPORT
    return f"{(override * 100).normalize():f}"


def _catalogue_rows(database: Database, progress: Progress | None, cancel: Cancel | None) -> Iterator[list[str]]:
    """The catalogue in code order as rows of cell texts, in the import's own columns."""
    with database.read() as session:
        ids = list(session.execute(select(ProductRow.id).order_by(ProductRow.code)).scalars())
        total = len(ids)
        written = 0
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
                yield [
                    row.code, row.name, ";".join(barcode_map.get(row.id, ())), row.unit,
                    f"{row.price:f}", f"{row.stock.normalize():f}",
                    format_tax_cell(row.tax_rate_override, row.tax_exempt), row.goods_code, row.unit_code,
                    row.category,
                ]
                written += 1
            if progress is not None:
                progress(written, total)


def export_catalogue(database: Database, path: Path, progress: Progress | None, cancel: Cancel | None) -> int:
    """Write the catalogue to `path` as CSV (UTF-8 with BOM so Excel shows Persian) or .xlsx (by
    the extension), in exactly the form import reads: importing it back changes nothing. Written
    to a temporary file first, so a cancelled or failed export never leaves half a file behind."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        raise ImportFileError("پسوند پرونده خروجی باید csv یا xlsx باشد", "the export file must end in .csv or .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=suffix)
    written = 0
    try:
        if suffix == ".csv":
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(EXPORT_HEADERS)
                for cells in _catalogue_rows(database, progress, cancel):
                    writer.writerow(cells)
                    written += 1
        else:
            os.close(fd)
            written = _write_xlsx(Path(tmp_name), _catalogue_rows(database, progress, cancel))
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return written


def _write_xlsx(path: Path, rows: Iterator[Sequence[str]]) -> int:
    """A one-sheet workbook; every cell is text, so codes keep leading zeros and amounts their
    exact digits."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("کالاها")
    sheet.sheet_view.rightToLeft = True
    sheet.append(list(EXPORT_HEADERS))
    written = 0
    for cells in rows:
        sheet.append(list(cells))
        written += 1
    workbook.save(path)
    return written
