"""`posapp report sales|products|categories|payments|cashiers|vat|customers`: the owner's reports over a
Jalali date range, as text, JSON, CSV, XLSX or an A4 PDF."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from posapp.cli import command_group

if TYPE_CHECKING:
    from posapp.services.context import AppServices
    from posapp.services.reports import ReportKind

OWNER_REPORTS = ("sales", "products", "categories", "payments", "cashiers", "vat", "customers")
FORMATS = ("text", "json", "csv", "xlsx", "pdf")
BINARY_FORMATS = ("xlsx", "pdf")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(subparsers, "report", "گزارش‌ها / reports")
    helps = {
        "sales": "خلاصه فروش / sales summary by day (by hour for one day)",
        "products": "فروش کالاها / quantity and amount per product",
        "categories": "فروش دسته‌ها / products' sales per catalogue category",
        "payments": "دریافت‌ها / totals per payment method",
        "cashiers": "صندوق‌ها و صندوق‌داران / per till and cashier",
        "vat": "مالیات فصلی / VAT per Jalali season and rate, with the invoice numbers",
        "customers": "مشتریان و بدهی‌ها / sales and on-account balances per customer",
    }
    for name in OWNER_REPORTS:
        parser = commands.add_parser(name, help=helps[name], description=helps[name])
        parser.add_argument("--from", dest="date_from", metavar="YYYY/MM/DD",
                            help="first Jalali day, e.g. 1405/01/01 (default: today)")
        parser.add_argument("--to", dest="date_to", metavar="YYYY/MM/DD",
                            help="last Jalali day, inclusive (default: the --from day)")
        parser.add_argument("--till", help="only this till's invoices")
        parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
        parser.add_argument("--out", type=Path, help="file to write (required for xlsx and pdf; else stdout)")
        parser.add_argument("--lang", choices=("fa", "en"), default="fa", help="language of the titles (default: fa)")
        parser.set_defaults(handler=run_report, report=name)


def run_report(args: argparse.Namespace) -> int:
    from posapp.domain.errors import DomainError
    from posapp.domain.jalali import iran_today, parse_jalali_date
    from posapp.services.reports import ReportKind, ReportRange

    if args.format in BINARY_FORMATS and args.out is None:
        print(f"برای {args.format} پرونده‌ی خروجی را با --out بدهید / {args.format} needs --out FILE",
              file=sys.stderr)
        return 2
    try:
        first = parse_jalali_date(args.date_from, field="from") if args.date_from else iran_today()
        last = parse_jalali_date(args.date_to, field="to") if args.date_to else first
        report_range = ReportRange(first, last, (args.till or "").strip().upper() or None)
    except DomainError as exc:
        print(f"{exc.message_fa}\n{exc.message_en}", file=sys.stderr)
        return 2
    from posapp.services.context import AppServices

    with AppServices.open(args.database_url) as services:
        kind = ReportKind(args.report)
        report = services.reports.report(kind, report_range)
        output = _render(kind, report, args.format, args.lang, services)
    if args.out is None:
        assert isinstance(output, str)
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
        return 0
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(output, bytes):
            args.out.write_bytes(output)
        else:
            args.out.write_text(output, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
    except OSError as exc:
        print(f"فایل نوشته نشد / cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    print(args.out)
    return 0


def _render(kind: ReportKind, report: Any, output_format: str, language: str, services: AppServices) -> str | bytes:
    from posapp.services import report_export

    document = report_export.report_document(kind, report, "en" if output_format == "json" else language)
    if output_format == "json":
        return report_export.to_json(document)
    if output_format == "csv":
        return report_export.to_csv(document, language)
    if output_format == "xlsx":
        return report_export.to_xlsx(document, language)
    if output_format == "pdf":
        return services.documents.report_pdf(document)
    return report_export.to_text(document, language)
