"""Print how long the catalogue import takes, and how quickly hostile files are refused:

- preview and commit of an N-row price list as CSV and as .xlsx (default 50,000 rows)
- a second preview of the same file once every row exists (all "unchanged")
- refusal of a one-cell .xlsx addressed at XFD1048576 and of a shared-strings bomb
  (target: each refused in under 2 s, whatever the file claims)

    .venv/bin/python benchmarks/bench_import.py [--rows N]

Works in a temporary folder with a fresh SQLite database. Prints, never asserts.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from posapp.domain.errors import DomainError
from posapp.services import catalog_io
from posapp.services.context import AppServices
from posapp.settings.store import SettingsStore


def _rows(count: int) -> list[list[object]]:
    return [[f"B{n:06d}", f"کالای آزمایشی شماره {n}", f"62600{n:08d}", "عدد", 10_000 + n, n % 50, "9"]
            for n in range(count)]


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(catalog_io.EXPORT_HEADERS)
        writer.writerows(rows)


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(catalog_io.EXPORT_HEADERS))
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def _with_sheet(path: Path, sheet_xml: str | None = None, shared_strings: str | None = None) -> Path:
    workbook = Workbook()
    workbook.active.append(["code", "name", "price"])
    workbook.save(path)
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    if sheet_xml is not None:
        members["xl/worksheets/sheet1.xml"] = sheet_xml.encode()
    if shared_strings is not None:
        members["xl/sharedStrings.xml"] = shared_strings.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


def _describe(result: Any) -> str:
    if isinstance(result, catalog_io.ImportPreview):
        return (f"{result.new_count:,} new, {result.update_count:,} updated, {len(result.unchanged):,} unchanged,"
                f" {len(result.errors):,} refused")
    if isinstance(result, catalog_io.ImportReport):
        return f"{result.created:,} created, {result.updated:,} updated"
    return str(result)


def _timed(label: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        result = work()
    except DomainError as error:
        result = f"refused: {error.message_en[:80]}"
    print(f"{label:<44} {time.perf_counter() - started:8.2f} s   {_describe(result)}", flush=True)
    return result


def _bench_format(work: Path, suffix: str, write: Callable[[Path, list[list[object]]], None],
                  rows: list[list[object]]) -> None:
    path = work / f"list{suffix}"
    write(path, rows)
    with AppServices.open(f"sqlite:///{work / f'shop{suffix}.sqlite3'}",
                          settings=SettingsStore(work / "settings.json")) as services:
        catalog = services.catalog
        preview = _timed(f"preview {len(rows):,} rows {suffix}", lambda: catalog.preview_import(path))
        _timed(f"commit {len(rows):,} rows {suffix}", lambda: catalog.commit_import(preview))
        _timed(f"preview again (all unchanged) {suffix}", lambda: catalog.preview_import(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rows = _rows(args.rows)
        for suffix, write in ((".csv", _write_csv), (".xlsx", _write_xlsx)):
            _bench_format(work, suffix, write, rows)
        with AppServices.open(f"sqlite:///{work / 'bombs.sqlite3'}",
                              settings=SettingsStore(work / "settings.json")) as services:
            far = _with_sheet(work / "far.xlsx", (
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1">'
                '<c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c>'
                '<c r="C1" t="inlineStr"><is><t>price</t></is></c></row><row r="1048576">'
                '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'))
            _timed(f"one cell at XFD1048576 ({far.stat().st_size:,} bytes)",
                   lambda: services.catalog.preview_import(far))
            strings = _with_sheet(work / "strings.xlsx", shared_strings=(
                '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                'spreadsheetml/2006/main">' + "<si><t/></si>" * 3_000_000 + "</sst>"))
            _timed(f"shared-strings bomb ({strings.stat().st_size:,} bytes)",
                   lambda: services.catalog.preview_import(strings))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
