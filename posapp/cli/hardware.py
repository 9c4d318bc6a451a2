"""`posapp print test|receipt` and `posapp drawer open`: the ESC/POS receipt printer and cash drawer from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

PRINTER_HELP = ("نشانی چاپگر / printer address: tcp://HOST[:9100], usb://VID:PID, "
                "serial:///dev/ttyUSB0?baud=9600, file:///dev/usb/lp0 (default: the receipt printer setting)")


def register(subparsers: Any) -> None:
    printing = subparsers.add_parser(
        "print", help="چاپ مستقیم روی چاپگر ESC/POS / print straight to an ESC/POS receipt printer")
    commands = printing.add_subparsers(dest="print_command", metavar="PRINT_COMMAND", required=True)
    test = commands.add_parser("test", help="صفحهٔ تنظیم چاپگر / the calibration page (ruler, darkness, Persian, QR)")
    test.add_argument("--printer", help=PRINTER_HELP)
    test.set_defaults(handler=run_print_test)
    receipt = commands.add_parser("receipt", help="رسید یک فاکتور صادرشده / the receipt of an issued invoice")
    receipt.add_argument("number", help="شمارهٔ فاکتور / invoice number, e.g. 1A-000042")
    receipt.add_argument("--printer", help=PRINTER_HELP)
    receipt.add_argument("--open-drawer", action="store_true",
                         help="کشو را هم باز کن / open the drawer with it")
    receipt.set_defaults(handler=run_print_receipt)

    drawer = subparsers.add_parser("drawer", help="کشوی پول / the cash drawer")
    drawer_commands = drawer.add_subparsers(dest="drawer_command", metavar="DRAWER_COMMAND", required=True)
    open_ = drawer_commands.add_parser("open", help="باز کردن کشو (در گزارش ثبت می‌شود) / open the drawer (recorded in the audit log)")
    open_.add_argument("--printer", help=PRINTER_HELP)
    open_.add_argument("--reason", default="command line / خط فرمان", help="چرا / why it is opened")
    open_.add_argument("--cashier", help="چه کسی (پیش‌فرض: نام صندوقدار در تنظیمات) / who (default: the cashier setting)")
    open_.set_defaults(handler=run_drawer_open)


def _fail(error: Any) -> int:
    print(f"{error.message_fa}\n{error.message_en}", file=sys.stderr)
    return 1


def _finish(counter: Any, job: Any, done: str) -> int:
    """Wait for `job` to print (its timeouts bound the wait) and say how it went."""
    from posapp.hardware.print_queue import JobState
    from posapp.hardware.transport import DEADLINE_FACTOR

    counter.queue.wait_idle(counter.setup(str(job.uri)).timeout * (DEADLINE_FACTOR + 2))
    final = next(j for j in counter.queue.jobs() if j.id == job.id)
    if final.state is not JobState.PRINTED:
        return _fail(final.error) if final.error else 1
    print(done)
    return 0


def run_print_test(args: argparse.Namespace) -> int:
    from posapp.domain.errors import DomainError
    from posapp.services.counter import CounterService
    from posapp.services.documents import DocumentService
    from posapp.settings.store import SettingsStore

    settings = SettingsStore()
    counter = CounterService(DocumentService(None, settings), settings, None)
    try:
        job = counter.print_calibration(args.printer)
        return _finish(counter, job, f"calibration page printed on {job.uri}")
    except DomainError as error:
        return _fail(error)
    finally:
        counter.close()


def run_print_receipt(args: argparse.Namespace) -> int:
    from posapp.domain.errors import DomainError
    from posapp.services.context import AppServices

    with AppServices.open(args.database_url) as services:
        counter = services.counter
        try:
            invoice = services.invoicing.get_by_number(args.number)
            job = counter.print_receipt(invoice, printer=args.printer,
                                        open_drawer=True if args.open_drawer else None)
            return _finish(counter, job, f"receipt {invoice.number} printed on {job.uri}")
        except DomainError as error:
            return _fail(error)


def run_drawer_open(args: argparse.Namespace) -> int:
    from posapp.domain.errors import DomainError
    from posapp.services.context import AppServices

    with AppServices.open(args.database_url) as services:
        counter = services.counter
        try:
            job = counter.open_drawer(args.reason, actor=args.cashier, printer=args.printer)
            return _finish(counter, job, f"drawer opened on {job.uri}")
        except DomainError as error:
            return _fail(error)
