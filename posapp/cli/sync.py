"""`posapp sync --once` drains every outbox and prints a summary; `posapp sync status` shows the
queue per provider (and Moadian documents close to their deadline); `posapp sync enqueue NAME`
queues what was issued before NAME was enabled; `posapp sync correct-moadian NUMBER` renumbers a
document Moadian rejected.
Exit code 1 when a row was rejected (or needs manual work) during the run, 2 when a provider
could not be reached at all."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from posapp.domain.sync import OutboxItem, OutboxOperation, ProviderCounts
    from posapp.services.sync.results import SyncSummary

EXIT_REJECTED = 1
EXIT_UNREACHABLE = 2


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "sync",
        help="send queued invoices to the providers / ارسال صف فاکتورها به سامانه‌ها",
        description="Drain the sync outbox (--once) or show its status.",
    )
    parser.add_argument("--once", action="store_true",
                        help="send everything due now, print a summary and exit")
    parser.add_argument("--provider", action="append", dest="providers", metavar="NAME",
                        help="only this provider (repeatable)")
    parser.add_argument("--lanes", type=int, default=None,
                        help="requests in flight per provider (default 4)")
    parser.add_argument("--lease-seconds", type=float, default=None,
                        help="how long a claimed row stays with this process (default 120)")
    parser.add_argument("--no-pull", action="store_true",
                        help="do not poll payment status after sending")
    parser.set_defaults(handler=run_sync)
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION")
    status = actions.add_parser("status", help="pending/failed/done counts per provider")
    status.set_defaults(handler=run_status)
    retry = actions.add_parser("retry", help="send a failed outbox row again")
    retry.add_argument("item_id", type=int)
    retry.set_defaults(handler=run_retry)
    skip = actions.add_parser("skip", help="give up on a failed outbox row")
    skip.add_argument("item_id", type=int)
    skip.add_argument("--reason", default="")
    skip.set_defaults(handler=run_skip)
    enqueue = actions.add_parser(
        "enqueue", help="queue for a provider what was issued before it was enabled")
    enqueue.add_argument("provider", metavar="NAME")
    enqueue.add_argument("--from", dest="date_from", metavar="YYYY/MM/DD",
                         help="first Jalali day (default: the first sale)")
    enqueue.add_argument("--to", dest="date_to", metavar="YYYY/MM/DD",
                         help="last Jalali day (default: today)")
    enqueue.set_defaults(handler=run_enqueue)
    correct = actions.add_parser(
        "correct-moadian", help="send a document Moadian rejected again under a new tax ID")
    correct.add_argument("number", help="the invoice number")
    correct.set_defaults(handler=run_correct_moadian)


def _engine(args: argparse.Namespace) -> tuple[Any, Any]:
    from posapp.services.context import AppServices
    from posapp.services.sync.engine import build_engine
    from posapp.services.sync.policy import SyncPolicy

    services = AppServices.open(args.database_url)
    defaults = SyncPolicy()
    policy = SyncPolicy(
        lanes=args.lanes if getattr(args, "lanes", None) else defaults.lanes,
        lease_seconds=(args.lease_seconds if getattr(args, "lease_seconds", None) is not None
                       else defaults.lease_seconds),
    )
    return services, build_engine(services, policy=policy)


def run_sync(args: argparse.Namespace) -> int:
    if not args.once:
        print("use `posapp sync --once` or `posapp sync status`", file=sys.stderr)
        return 2
    from posapp.services.moadian_sync import run_if_enabled
    from posapp.services.sync.payments import pull_payments

    services, engine = _engine(args)
    try:
        summary = engine.run_once(args.providers)
        if not args.no_pull:
            summary = pull_payments(engine, summary)
        moadian = run_if_enabled(services) if not args.providers or "moadian" in args.providers else None
    finally:
        engine.close()
        services.close()
    print(format_summary(summary))
    if moadian is not None:
        print(moadian.text())
    if summary.rejected or (moadian is not None and moadian.rejected):
        return EXIT_REJECTED
    if summary.provider_errors or (moadian is not None and moadian.error):
        return EXIT_UNREACHABLE
    return 0


def run_status(args: argparse.Namespace) -> int:
    from posapp.services.moadian_sync import status_text

    services, engine = _engine(args)
    try:
        print(format_status(engine.queue.status(), engine.queue.problems(limit=20)))
        deadline = status_text(services)
        if deadline:
            print(deadline)
    finally:
        services.close()
    return 0


def run_correct_moadian(args: argparse.Namespace) -> int:
    """A rejected document gets a new tax ID and goes out with the next `posapp sync --once`."""
    from posapp.domain.errors import DomainError
    from posapp.services.context import AppServices
    from posapp.services.moadian_sync import build_moadian_sync

    services = AppServices.open(args.database_url)
    try:
        tax_id = build_moadian_sync(services).correct(args.number, actor="cli")
    except DomainError as error:
        print(f"{error.message_fa}\n{error.message_en}", file=sys.stderr)
        return 1
    finally:
        services.close()
    print(f"{args.number}: queued again under tax ID {tax_id}; run `posapp sync --once` to send it")
    return 0


def run_retry(args: argparse.Namespace) -> int:
    services, engine = _engine(args)
    try:
        item = engine.queue.retry(args.item_id, actor="cli")
    finally:
        services.close()
    if item is None:
        print(f"no outbox row {args.item_id}", file=sys.stderr)
        return 1
    print(f"#{item.id} {item.provider} {item.operation} {item.invoice_number}: {item.state}")
    return 0


def run_skip(args: argparse.Namespace) -> int:
    services, engine = _engine(args)
    try:
        item = engine.queue.skip(args.item_id, actor="cli", reason=args.reason)
    finally:
        services.close()
    if item is None:
        print(f"no outbox row {args.item_id}", file=sys.stderr)
        return 1
    print(f"#{item.id} {item.provider} {item.operation} {item.invoice_number}: {item.state}")
    return 0


def run_enqueue(args: argparse.Namespace) -> int:
    """Queue earlier documents for a provider enabled later; `posapp sync --once` sends them."""
    from posapp.domain.errors import DomainError
    from posapp.domain.jalali import parse_jalali_date
    from posapp.services.context import AppServices

    provider = args.provider.strip().lower()
    try:
        date_from = parse_jalali_date(args.date_from, field="from") if args.date_from else None
        date_to = parse_jalali_date(args.date_to, field="to") if args.date_to else None
    except DomainError as error:
        print(f"{error.message_fa}\n{error.message_en}", file=sys.stderr)
        return 2
    services = AppServices.open(args.database_url)
    try:
        queued = services.invoicing.queue_earlier(provider, date_from, date_to)
    except DomainError as error:
        print(f"{error.message_fa}\n{error.message_en}", file=sys.stderr)
        return 2
    finally:
        services.close()
    print(f"{provider}: {queued} earlier documents queued; send them with `posapp sync --once` "
          f"/ {queued} سند پیشین در صف {provider} قرار گرفت")
    return 0


def format_summary(summary: SyncSummary) -> str:
    """The text `posapp sync --once` prints: one line per provider, then each problem."""
    from posapp.services.sync.results import ItemResult

    lines = []
    for provider in summary.by_provider():
        line = (f"{provider.provider}: delivered {provider.delivered}, rejected {provider.rejected}, "
                f"unsupported {provider.unsupported}, retry later {provider.retrying}")
        if provider.skipped:
            line += f", nothing to send {provider.skipped}"
        if provider.error:
            line += f" — unreachable: {provider.error}"
        lines.append(line)
    if not lines:
        lines.append("nothing to send / صفی برای ارسال نیست")
    for outcome in summary.outcomes:
        if outcome.result in (ItemResult.REJECTED, ItemResult.UNSUPPORTED):
            lines.append(f"  #{outcome.item_id} {outcome.provider} "
                         f"{_operation_text(outcome.operation, outcome.idempotency_key)} "
                         f"{outcome.invoice_number}: {outcome.result}: {outcome.message}")
    if summary.payments_recorded:
        lines.append("paid by link: " + ", ".join(summary.payments_recorded))
    return "\n".join(lines)


def format_status(counts: Iterable[ProviderCounts], problems: Iterable[OutboxItem] = ()) -> str:
    """The text `posapp sync status` prints."""
    from posapp.domain.sync import OutboxState

    lines = []
    for c in counts:
        last_ok = c.last_success_at.isoformat(timespec="seconds") if c.last_success_at else "never"
        lines.append(f"{c.provider}: pending {c.pending} (blocked {c.blocked}), in flight {c.in_flight}, "
                     f"failed {c.failed}, done {c.done}, skipped {c.skipped}; last success {last_ok}")
        if c.last_error:
            at = c.last_error_at.isoformat(timespec="seconds") if c.last_error_at else ""
            lines.append(f"  last error {at}: {c.last_error}")
    if not lines:
        lines.append("no provider has anything queued / صف همگام‌سازی خالی است")
    for item in problems:
        if item.state is OutboxState.FAILED:
            lines.append(f"  #{item.id} {item.provider} "
                         f"{_operation_text(item.operation, item.idempotency_key)} "
                         f"{item.invoice_number}: {item.last_error}")
    return "\n".join(lines)


def _operation_text(operation: OutboxOperation, idempotency_key: str) -> str:
    """An outbox operation for the CLI; a payment says which of the invoice's payments it is
    (`payment#2`), since a sale may have several."""
    from posapp.domain.sync import OutboxOperation, payment_position

    if operation is OutboxOperation.PAYMENT and idempotency_key:
        return f"{operation}#{payment_position(idempotency_key) + 1}"
    return str(operation)

