"""`posapp catalog import FILE [--dry-run] [--report REPORT.csv]` and `posapp catalog export FILE`:
the product import and export of the catalogue pane, from the command line.

Import prints the same per-row report as the preview dialog (row, what was done or why it was
refused) and exits 1 when a row was refused, 2 when the file as a whole could not be read.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from posapp.services.catalog_io import ReportLine

EXIT_ROWS_REFUSED = 1
EXIT_FILE_REFUSED = 2

ACTION_WORDS = {
    "new": ("جدید", "created"),
    "update": ("به‌روزرسانی", "updated"),
    "unchanged": ("بدون تغییر", "unchanged"),
    "refused": ("رد شد", "refused"),
}
DRY_RUN_WORDS = {"new": ("ایجاد می‌شود", "would create"), "update": ("به‌روز می‌شود", "would update")}
REPORT_HEADERS = ("row", "action", "code", "field", "message_fa", "message_en")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "catalog", help="ورود و خروج فهرست کالا / import or export the product catalogue (CSV, xlsx)")
    commands = parser.add_subparsers(dest="catalog_command", metavar="CATALOG_COMMAND", required=True)
    importing = commands.add_parser(
        "import", help="ورود کالا از CSV یا xlsx / import products from CSV or .xlsx (per-row report)")
    importing.add_argument("file", type=Path, help="پرونده CSV یا xlsx / the CSV or .xlsx file")
    importing.add_argument("--dry-run", action="store_true",
                           help="فقط بررسی، بدون ذخیره / check and report only, save nothing")
    importing.add_argument("--report", type=Path, metavar="REPORT.csv",
                           help="گزارش سطر به سطر در CSV / also write the per-row report as CSV")
    importing.set_defaults(handler=run_import)
    exporting = commands.add_parser(
        "export", help="خروجی فهرست کالا / export the catalogue as CSV or .xlsx (by extension)")
    exporting.add_argument("file", type=Path, help="پرونده csv یا xlsx / the .csv or .xlsx file to write")
    exporting.set_defaults(handler=run_export)


def _describe(line: ReportLine, dry_run: bool) -> str:
    words = DRY_RUN_WORDS if dry_run and line.action in DRY_RUN_WORDS else ACTION_WORDS
    fa, en = words[line.action]
    text = f"row {line.row_number}"
    if line.code:
        text += f" [{line.code}]"
    text += f": {en} / {fa}"
    if line.field:
        text += f" ({line.field})"
    if line.message_en:
        text += f": {line.message_en} / {line.message_fa}"
    return text


def _unwritable(path: Path, exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"پرونده «{path}» نوشته نشد ({reason})؛ مسیر، مجوز و فضای دیسک را بررسی کنید\n" \
           f"cannot write {path} ({reason}); check the path, permissions and free space"


def _write_report(path: Path, lines: list[ReportLine]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_HEADERS)
        for line in lines:
            writer.writerow((line.row_number, line.action, line.code, line.field, line.message_fa,
                             line.message_en))


def run_import(args: argparse.Namespace) -> int:
    from posapp.cli.demo import ProgressBar
    from posapp.domain.errors import DomainError
    from posapp.services.context import AppServices

    bar = ProgressBar()
    with AppServices.open(args.database_url) as services:
        try:
            preview = services.catalog.preview_import(args.file)
        except DomainError as exc:
            print(f"{exc.message_fa}\n{exc.message_en}", file=sys.stderr)
            return EXIT_FILE_REFUSED
        lines = preview.report()
        for line in lines:
            print(_describe(line, args.dry_run))
        if args.report is not None:
            try:
                _write_report(args.report, lines)
            except OSError as exc:
                print(_unwritable(args.report, exc), file=sys.stderr)
                return EXIT_FILE_REFUSED
        if args.dry_run:
            print(f"dry run, nothing saved / بدون ذخیره: {preview.new_count} new, {preview.update_count} "
                  f"updated, {len(preview.unchanged)} unchanged, {len(preview.errors)} rows refused")
        else:
            report = services.catalog.commit_import(
                preview, progress=lambda done, total: bar("import", done, total))
            print(f"imported / وارد شد: {report.created} new, {report.updated} updated, "
                  f"{report.unchanged} unchanged, {report.skipped} rows refused")
    return EXIT_ROWS_REFUSED if preview.errors else 0


def run_export(args: argparse.Namespace) -> int:
    from posapp.cli.demo import ProgressBar
    from posapp.domain.errors import DomainError
    from posapp.services.context import AppServices

    bar = ProgressBar()
    with AppServices.open(args.database_url) as services:
        try:
            written = services.catalog.export(args.file, progress=lambda done, total: bar("export", done, total))
        except DomainError as exc:
            print(f"{exc.message_fa}\n{exc.message_en}", file=sys.stderr)
            return EXIT_FILE_REFUSED
        except OSError as exc:
            print(_unwritable(args.file, exc), file=sys.stderr)
            return EXIT_FILE_REFUSED
    print(f"{written} products written to {args.file} / {written} کالا نوشته شد")
    return 0
