"""`posapp render`: an issued invoice, or the built-in sample, as a PDF file in any theme."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from posapp.render.document import RenderOptions

THEMES = ("modern", "formal", "receipt", "carbon")
COPY_CHOICES: dict[str, tuple[str, ...]] = {
    "none": (), "seller": ("seller",), "buyer": ("buyer",), "both": ("seller", "buyer"),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render",
        help="write an invoice as PDF / فاکتور را به صورت PDF بنویس",
        description="Render an issued invoice (by number) or the built-in sample invoice as PDF.",
    )
    parser.add_argument("number", nargs="?", help="number of an issued invoice, e.g. 1A-000042")
    parser.add_argument("--sample", action="store_true", help="render the built-in sample invoice (no database)")
    parser.add_argument("--torture", choices=("sale", "return", "cancelled"), nargs="?", const="sale",
                        help="render the torture sample with every hard typesetting case (no database)")
    parser.add_argument("--logo", choices=("wide", "tall"), default="wide",
                        help="the torture sample's logo: very wide or very tall")
    parser.add_argument("--theme", choices=THEMES, help="theme (default: the invoice theme setting; sample: modern)")
    parser.add_argument("--width", type=int, choices=(58, 80), help="receipt paper width in mm")
    parser.add_argument("--paper", choices=("A4", "A5"), help="paper for the modern and carbon themes")
    parser.add_argument("--copies", choices=tuple(COPY_CHOICES), help="copy labels (carbon: both by default)")
    parser.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    parser.set_defaults(handler=run_render)


def run_render(args: argparse.Namespace) -> int:
    from posapp.domain.errors import DomainError
    from posapp.render.theme import ThemeError

    if sum(map(bool, (args.number, args.sample, args.torture))) != 1:
        print("یک شماره فاکتور، --sample یا --torture بدهید / give an invoice number, --sample or --torture",
              file=sys.stderr)
        return 2
    try:
        if args.torture:
            pdf = _render_torture(args)
        else:
            pdf = _render_sample(args) if args.sample else _render_number(args)
    except DomainError as exc:
        print(f"{exc.message_fa}\n{exc.message_en}", file=sys.stderr)
        return 1
    except (ThemeError, ValueError) as exc:
        print(f"گزینه‌ی نامعتبر / invalid option: {exc}", file=sys.stderr)
        return 2
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(pdf)
    except OSError as exc:
        print(f"فایل نوشته نشد / cannot write {args.out}: {exc}", file=sys.stderr)
        return 1
    print(args.out)
    return 0


def _options(args: argparse.Namespace, defaults: RenderOptions) -> RenderOptions:
    """The settings' options (or the defaults) with whatever the command line overrides."""
    from posapp.render.document import RenderOptions

    return RenderOptions(
        paper=args.paper or defaults.paper,
        receipt_width_mm=args.width or defaults.receipt_width_mm,
        copies=COPY_CHOICES[args.copies] if args.copies else defaults.copies,
        unit=defaults.unit,
    )


def _render_sample(args: argparse.Namespace) -> bytes:
    from posapp.render.document import RenderOptions
    from posapp.render.registry import render_invoice
    from posapp.render.sample import SAMPLE_BRANDING, sample_invoice

    options = _options(args, RenderOptions())
    return render_invoice(sample_invoice(), SAMPLE_BRANDING, args.theme or "modern", options)


def _render_torture(args: argparse.Namespace) -> bytes:
    from posapp.render.document import RenderOptions
    from posapp.render.registry import renderer_for
    from posapp.render.sample import torture_branding, torture_invoice

    renderer = renderer_for(args.theme or "modern", _options(args, RenderOptions()))
    pdf, missing = renderer.render_checked(torture_invoice(args.torture), torture_branding(args.logo))
    if missing:
        shown = " ".join(sorted(missing))
        print(f"نویسه‌هایی که قلم ندارد و به شکل جعبه چاپ شد / characters the font lacks, printed as a box: {shown}",
              file=sys.stderr)
    return pdf


def _render_number(args: argparse.Namespace) -> bytes:
    from posapp.paths import default_database_url
    from posapp.services.context import AppServices
    from posapp.services.documents import options_from_settings, theme_for
    from posapp.settings.documents import DocumentKind
    from posapp.storage.engine import sqlite_file
    from posapp.storage.opening import database_errors_explained

    kind = DocumentKind.RECEIPT if args.theme == "receipt" else DocumentKind.INVOICE
    url = args.database_url or default_database_url()
    with database_errors_explained(sqlite_file(url) or ""), AppServices.open(url) as services:
        theme = args.theme or theme_for(services.settings, kind)
        options = _options(args, options_from_settings(services.settings, theme))
        documents = services.documents
        return documents.render_number(args.number, kind, theme=theme, options=options).pdf
