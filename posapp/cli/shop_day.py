"""`posapp user`, `posapp shift`, `posapp report` and `posapp audit`: the shop's day from the
command line.

PINs are never arguments (they would sit in the shell history and the process list): they are
read from standard input, one per line, or asked for with a hidden prompt on a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from posapp.services.context import AppServices

OK, FAILED, USAGE = 0, 1, 2


def register(subparsers: Any) -> None:
    user = subparsers.add_parser("user", help="کاربران صندوق / till users").add_subparsers(
        dest="user_command", metavar="ACTION", required=True)
    add = user.add_parser("add", help="کاربر جدید (رمز از ورودی استاندارد) / add a user (PIN from stdin)",
                          description="Add a user. The PIN is read from standard input (or a hidden prompt). "
                                      "After the first user (who must be an owner), --by names a user allowed "
                                      "to manage users; their PIN is the next line.")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="owner, manager, cashier or a role the owner made")
    add.add_argument("--by", help="who adds the user (after the first)")
    add.set_defaults(handler=run_user_add)
    listing = user.add_parser("list", help="فهرست کاربران / list users")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=run_user_list)
    for name, helptext in (("disable", "غیرفعال کردن / disable a user"), ("enable", "فعال کردن / enable a user")):
        command = user.add_parser(name, help=helptext)
        command.add_argument("name")
        command.add_argument("--by", required=True, help="who does it (their PIN from stdin)")
        command.set_defaults(handler=run_user_active, active=name == "enable")
    reset = user.add_parser("reset-pin", help="رمز تازه / set a new PIN",
                            description="Set a new PIN: the new PIN first, then (with --by) the PIN of --by.")
    reset.add_argument("name")
    reset.add_argument("--by", help="who resets it, if not the user themself")
    reset.set_defaults(handler=run_user_reset_pin)

    shift = subparsers.add_parser("shift", help="شیفت صندوق / till shifts").add_subparsers(
        dest="shift_command", metavar="ACTION", required=True)
    opening = shift.add_parser("open", help="باز کردن شیفت / open a shift")
    opening.add_argument("--float", dest="opening_float", required=True, help="cash in the drawer, Rial")
    opening.add_argument("--user", required=True)
    opening.add_argument("--till", help="till code (default: this till's setting)")
    opening.set_defaults(handler=run_shift_open)
    status = shift.add_parser("status", help="وضعیت شیفت / show the open shift")
    status.add_argument("--till")
    status.set_defaults(handler=run_shift_status)
    closing = shift.add_parser("close", help="بستن شیفت و چاپ Z / close the shift (prints the Z report)")
    closing.add_argument("--counted", required=True, help="counted cash, Rial")
    closing.add_argument("--user", required=True)
    closing.add_argument("--till")
    closing.set_defaults(handler=run_shift_close)

    from posapp.cli import command_group

    reports = command_group(subparsers, "report", "گزارش‌ها / reports")
    for kind, text in (("x", "گزارش X شیفت باز / X report of the open shift"),
                       ("z", "گزارش Z شیفت بسته / Z report of a closed shift"),
                       ("day", "گزارش روز همه صندوق‌ها / day report of every till")):
        report = reports.add_parser(kind, help=text)
        if kind == "day":
            report.add_argument("day", nargs="?", help="Jalali date YYYY/MM/DD (default today)")
        if kind == "z":
            report.add_argument("--shift", type=int, help="shift number (default the last closed)")
        report.add_argument("--till")
        report.add_argument("--format", choices=("text", "json", "pdf"), default="text")
        report.add_argument("--paper", choices=("A4", "80", "58"), default="A4", help="for pdf")
        report.add_argument("--lang", choices=("fa", "en"), default="fa", help="for text")
        report.add_argument("--out", type=Path, help="file to write (required for pdf)")
        report.set_defaults(handler=run_report, kind=kind)

    audit = subparsers.add_parser("audit", help="بررسی دفتر رویداد / check the journal").add_subparsers(
        dest="audit_command", metavar="ACTION", required=True)
    verify = audit.add_parser("verify", help="زنجیره را بررسی کن / verify the hash chain and the data")
    verify.set_defaults(handler=run_audit_verify)


def read_pin(prompt: str) -> str:
    """One PIN: a hidden prompt on a terminal, otherwise the next line of standard input."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline()
    if not line:
        raise EOFError(prompt)
    return line.strip()


def _run(args: argparse.Namespace, job: Any) -> int:
    """Open the services, run `job(services)`, and turn refusals into a message and exit 1."""
    from posapp.domain.errors import DomainError
    from posapp.services.context import AppServices

    try:
        with AppServices.open(args.database_url) as services:
            return int(job(services) or OK)
    except DomainError as exc:
        print(f"{exc.message_fa}\n{exc.message_en}", file=sys.stderr)
        return FAILED
    except EOFError:
        print("رمز خوانده نشد / no PIN on standard input", file=sys.stderr)
        return USAGE


def _signed_in(services: AppServices, name: str, prompt: str | None = None) -> Any:
    return services.access.sign_in(name, read_pin(prompt or f"PIN of {name}: ")).actor


def run_user_add(args: argparse.Namespace) -> int:
    def job(services: AppServices) -> int:
        pin = read_pin(f"PIN for {args.name} (4-8 digits): ")
        if sys.stdin.isatty() and getpass.getpass("again: ") != pin:
            print("دو رمز یکی نیستند / the PINs differ", file=sys.stderr)
            return FAILED
        actor = _signed_in(services, args.by) if args.by else _system()
        user = services.access.add_user(args.name, args.role, pin, actor)
        print(f"{user.name} ({user.role.name})")
        return OK

    return _run(args, job)


def _system() -> Any:
    from posapp.domain.access import SYSTEM

    return SYSTEM


def run_user_list(args: argparse.Namespace) -> int:
    def job(services: AppServices) -> int:
        users = services.access.users()
        if args.format == "json":
            print(json.dumps([{"name": u.name, "role": u.role.name, "active": u.active} for u in users],
                             ensure_ascii=False, indent=2))
        for user in users if args.format == "text" else ():
            state = "" if user.active else "  (غیرفعال / disabled)"
            print(f"{user.name}\t{user.role.name}{state}")
        return OK

    return _run(args, job)


def run_user_active(args: argparse.Namespace) -> int:
    def job(services: AppServices) -> int:
        user = services.access.set_active(args.name, args.active, _signed_in(services, args.by))
        print(f"{user.name}: {'enabled' if user.active else 'disabled'}")
        return OK

    return _run(args, job)


def run_user_reset_pin(args: argparse.Namespace) -> int:
    def job(services: AppServices) -> int:
        pin = read_pin(f"new PIN for {args.name}: ")
        actor = _signed_in(services, args.by) if args.by else services.access.user(args.name).actor
        services.access.reset_pin(args.name, pin, actor)
        print(f"{args.name}: PIN changed")
        return OK

    return _run(args, job)


def run_shift_open(args: argparse.Namespace) -> int:
    from posapp.domain.money import parse_amount

    def job(services: AppServices) -> int:
        actor = _signed_in(services, args.user)
        shift = services.shifts.open(parse_amount(args.opening_float, field="opening_float"), actor, till=args.till)
        print(f"shift {shift.till}/{shift.number} open")
        return OK

    return _run(args, job)


def run_shift_status(args: argparse.Namespace) -> int:
    from posapp.domain.shift_report import report_text

    def job(services: AppServices) -> int:
        if services.shifts.current(args.till) is None:
            print("شیفتی باز نیست / no open shift")
            return FAILED
        print(report_text(services.shifts.x_report(args.till), "fa"), end="")
        return OK

    return _run(args, job)


def run_shift_close(args: argparse.Namespace) -> int:
    from posapp.domain.money import parse_amount
    from posapp.domain.shift_report import report_text

    def job(services: AppServices) -> int:
        actor = _signed_in(services, args.user)
        report = services.shifts.close(parse_amount(args.counted, field="counted"), actor, till=args.till)
        print(report_text(report, "fa"), end="")
        return OK

    return _run(args, job)


def run_report(args: argparse.Namespace) -> int:
    from posapp.domain.shift_report import report_text

    if args.format == "pdf" and args.out is None:
        print("برای pdf مسیر --out لازم است / --out is required for pdf", file=sys.stderr)
        return USAGE

    def job(services: AppServices) -> int:
        from posapp.domain.jalali import iran_today, parse_jalali_date
        from posapp.settings.shop import SHOP_NAME

        if args.kind == "x":
            report = services.shifts.x_report(args.till)
        elif args.kind == "z":
            report = services.shifts.z_report(args.shift, args.till)
        else:
            report = services.shifts.day_report(parse_jalali_date(args.day) if args.day else iran_today())
        if args.format == "json":
            output = json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        elif args.format == "text":
            output = report_text(report, args.lang)
        else:
            from posapp.services.shifts import report_pdf

            pdf = report_pdf(report, args.paper, services.settings.get(SHOP_NAME))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_bytes(pdf)
            print(args.out)
            return OK
        if args.out is not None:
            args.out.write_text(output, encoding="utf-8")
            print(args.out)
        else:
            sys.stdout.write(output)
        return OK

    return _run(args, job)


def run_audit_verify(args: argparse.Namespace) -> int:
    def job(services: AppServices) -> int:
        result = services.audit.verify()
        rate = result.records / result.seconds if result.seconds else 0
        problem = result.problem
        if problem is None:
            print(f"دفتر رویداد سالم است / the journal is intact: {result.records:,} records "
                  f"in {result.seconds:.2f}s ({rate:,.0f}/s)")
            return OK
        where = f"record {problem.seq}: " if problem.seq else ""
        print(f"{problem.message_fa}\n{where}{problem.message_en}", file=sys.stderr)
        return FAILED

    return _run(args, job)
