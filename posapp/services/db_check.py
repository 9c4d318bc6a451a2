"""`posapp db check`: is this database whole and consistent? SQLite's own integrity and
foreign-key checks, then posapp's invariants, as a readable report.

posapp's invariants:
- every invoice has its lines (positions 0..n-1), and its stored amounts agree with its lines,
  charges and payments (each line: gross = quantity x price rounded, net = gross - discounts,
  total = net + tax; the invoice: sums of its lines, payable = lines + additions - deductions,
  paid = its payments, change and balance due from those, credit and settled likewise);
- every document and money payment has its outbox rows: for each enabled provider that holds a
  sale, the sale's money payments, its cancellation, returns and reductions each have a row for
  that provider; and a sale issued between two sales that provider holds, within its invoice
  scope, has its own row (which providers were enabled on a given day is not recorded, so a
  sale outside that span is not judged);
- numbering has no gaps: each till and series runs 1, 2, 3... and its counter stands at the
  last number used.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DBAPIError

from posapp.domain.invoice import InvoiceKind, InvoiceStatus, PaymentMethod
from posapp.domain.money import ZERO, round_rial
from posapp.domain.numbering import format_invoice_number
from posapp.domain.sync import InvoiceScope, OutboxOperation, payment_position, scope_accepts_sale
from posapp.storage.engine import Database
from posapp.storage.models import (
    ChargeRow,
    InvoiceLineRow,
    InvoiceRow,
    NumberCounterRow,
    OutboxRow,
    PaymentRow,
    RemoteLinkRow,
)
from posapp.storage.opening import explain_failure

LISTED_PER_SECTION = 50
"""Problems listed in full per section; the rest are counted."""


@dataclass
class CheckSection:
    title_fa: str
    title_en: str
    problems: list[str] = field(default_factory=list)
    note: str = ""
    """Said instead of "ok" when the check does not apply (e.g. on PostgreSQL)."""


@dataclass(frozen=True)
class CheckReport:
    sections: tuple[CheckSection, ...]

    @property
    def problem_count(self) -> int:
        return sum(len(section.problems) for section in self.sections)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def format(self) -> str:
        lines: list[str] = []
        for section in self.sections:
            if section.problems:
                state = f"{len(section.problems)} problem(s) / {len(section.problems)} مشکل"
            else:
                state = section.note or "ok / سالم"
            lines.append(f"{'✗' if section.problems else '✓'} {section.title_en} / {section.title_fa}: {state}")
            lines.extend(f"    {problem}" for problem in section.problems[:LISTED_PER_SECTION])
            if len(section.problems) > LISTED_PER_SECTION:
                more = len(section.problems) - LISTED_PER_SECTION
                lines.append(f"    ... and {more} more / و {more} مورد دیگر")
        if self.ok:
            lines.append("no problems found / مشکلی پیدا نشد")
        else:
            lines.append(f"{self.problem_count} problem(s) found / {self.problem_count} مشکل پیدا شد;"
                         " restore a backup (posapp db backup) or ask for support before working on")
        return "\n".join(lines)


def check_database(
    database: Database, providers: Sequence[str], scopes: Mapping[str, InvoiceScope], *,
    invariants: bool = True,
) -> CheckReport:
    """Run every check read-only; `providers` are the enabled sync providers, `scopes` their
    invoice scopes. Without `invariants` only SQLite's own checks run (for a database whose
    schema cannot be read)."""
    checks: list[tuple[str, str, Callable[[Connection], CheckSection]]] = [
        ("بررسی سلامت SQLite", "SQLite integrity check", _integrity),
        ("ارجاع‌های جدول‌ها", "foreign keys", _foreign_keys),
        ("فاکتورها، ردیف‌ها و جمع‌ها", "invoices, lines and totals", _invoices),
        ("صف ارسال به سامانه‌ها", "outbox rows", lambda connection: _outbox(connection, providers, scopes)),
        ("شماره‌گذاری بدون فاصله", "numbering without gaps", _numbering),
    ]
    sections = []
    for title_fa, title_en, check in checks if invariants else checks[:2]:
        try:
            with database.connect() as connection:
                sections.append(check(connection))
        except (DBAPIError, UnicodeDecodeError) as exc:
            problem = explain_failure(exc)
            reason = problem.message_en if problem is not None else str(exc)
            sections.append(CheckSection(title_fa, title_en, [f"could not be read: {reason}"
                                                              f" / خوانده نشد: {problem.message_fa if problem else ''}"]))
    return CheckReport(tuple(sections))


def _integrity(connection: Connection) -> CheckSection:
    section = CheckSection("بررسی سلامت SQLite", "SQLite integrity check")
    if connection.dialect.name != "sqlite":
        section.note = "not applicable: PostgreSQL checks its own pages / برای PostgreSQL کاربرد ندارد"
        return section
    messages = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA integrity_check(200)")]
    if messages != ["ok"]:
        section.problems.extend(messages)
    return section


def _foreign_keys(connection: Connection) -> CheckSection:
    section = CheckSection("ارجاع‌های جدول‌ها", "foreign keys")
    if connection.dialect.name != "sqlite":
        section.note = "enforced by PostgreSQL / PostgreSQL خودش نگه می‌دارد"
        return section
    for table, rowid, parent, _ in connection.exec_driver_sql("PRAGMA foreign_key_check"):
        section.problems.append(f"{table} row {rowid} refers to a missing {parent} row"
                                f" / سطر {rowid} از {table} به سطری از {parent} اشاره دارد که نیست")
    return section


_INVOICE_AMOUNTS = ("gross", "line_discount", "invoice_discount", "net", "tax")


def _invoices(connection: Connection) -> CheckSection:
    section = CheckSection("فاکتورها، ردیف‌ها و جمع‌ها", "invoices, lines and totals")
    lines = InvoiceLineRow
    line_sums = {
        row.invoice_id: row for row in connection.execute(
            select(lines.invoice_id, func.count().label("lines"), func.min(lines.position).label("first"),
                   func.max(lines.position).label("last"), func.sum(lines.total).label("total"),
                   *(func.sum(getattr(lines, name)).label(name) for name in _INVOICE_AMOUNTS))
            .group_by(lines.invoice_id))
    }
    paid: dict[int, Decimal] = defaultdict(Decimal)
    credit: dict[int, Decimal] = defaultdict(Decimal)
    for invoice_id, method, amount in connection.execute(
            select(PaymentRow.invoice_id, PaymentRow.method, PaymentRow.amount)):
        paid[invoice_id] += amount
        if method == PaymentMethod.CREDIT.value:
            credit[invoice_id] += amount
    additions: dict[int, Decimal] = defaultdict(Decimal)
    deductions: dict[int, Decimal] = defaultdict(Decimal)
    for invoice_id, is_deduction, amount in connection.execute(
            select(ChargeRow.invoice_id, ChargeRow.is_deduction, ChargeRow.amount)):
        (deductions if is_deduction else additions)[invoice_id] += amount
    numbers: dict[int, str] = {}
    amount_columns = (*_INVOICE_AMOUNTS, "additions", "deductions", "payable", "paid", "change", "balance_due",
                      "credit", "settled")
    for invoice in connection.execute(select(InvoiceRow.id, InvoiceRow.number,
                                             *(getattr(InvoiceRow, name) for name in amount_columns))):
        numbers[invoice.id] = invoice.number
        summed = line_sums.get(invoice.id)
        if summed is None:
            section.problems.append(f"{invoice.number}: has no lines / فاکتور {invoice.number} ردیفی ندارد")
            continue
        if (summed.first, summed.last) != (0, summed.lines - 1):
            section.problems.append(f"{invoice.number}: lines are missing (positions {summed.first}..{summed.last}"
                                    f" for {summed.lines} lines) / ردیف‌هایی از {invoice.number} نیست")
        expected = {name: getattr(summed, name) for name in _INVOICE_AMOUNTS}
        expected["additions"] = additions[invoice.id]
        expected["deductions"] = deductions[invoice.id]
        expected["payable"] = summed.total + additions[invoice.id] - deductions[invoice.id]
        expected["paid"] = paid[invoice.id]
        expected["change"] = max(ZERO, paid[invoice.id] - invoice.payable)
        expected["balance_due"] = max(ZERO, invoice.payable - paid[invoice.id])
        expected["credit"] = credit[invoice.id]
        expected["settled"] = invoice.paid - invoice.change - invoice.credit
        for name, value in expected.items():
            if getattr(invoice, name) != value:
                section.problems.append(
                    f"{invoice.number}: stored {name} {getattr(invoice, name):f} but its parts give {value:f}"
                    f" / جمع «{name}» فاکتور {invoice.number} با ردیف‌ها و پرداخت‌هایش نمی‌خواند")
    for line in connection.execute(select(lines.invoice_id, lines.position, lines.quantity, lines.unit_price,
                                          *(getattr(lines, name) for name in _INVOICE_AMOUNTS), lines.total)):
        number = numbers.get(line.invoice_id, f"#{line.invoice_id}")
        wrong = []
        if line.gross != round_rial(line.quantity * line.unit_price):
            wrong.append("gross")
        if line.net != line.gross - line.line_discount - line.invoice_discount:
            wrong.append("net")
        if line.total != line.net + line.tax:
            wrong.append("total")
        if wrong:
            section.problems.append(f"{number} line {line.position + 1}: {', '.join(wrong)} do not add up"
                                    f" / ردیف {line.position + 1} فاکتور {number} جمع درستی ندارد")
    return section


@dataclass
class _Sale:
    id: int
    number: str
    issued_at: object
    status: str
    in_scope: dict[str, bool]
    money_payments: list[int] = field(default_factory=list)
    corrections: list[tuple[int, str, str]] = field(default_factory=list)
    """(invoice id, number, outbox operation) of its returns and reductions."""
    replaced: bool = False


def _outbox(connection: Connection, providers: Sequence[str], scopes: Mapping[str, InvoiceScope]) -> CheckSection:
    section = CheckSection("صف ارسال به سامانه‌ها", "outbox rows")
    if not providers:
        section.note = "no sync provider is enabled / هیچ سامانه‌ای فعال نیست"
        return section
    rows: set[tuple[str, int, str, int | None]] = set()
    for provider, invoice_id, operation, key in connection.execute(
            select(OutboxRow.provider, OutboxRow.invoice_id, OutboxRow.operation, OutboxRow.idempotency_key)):
        position = payment_position(key) if operation == OutboxOperation.PAYMENT.value else None
        rows.add((provider, invoice_id, operation, position))
    linked = {(provider, invoice_id) for provider, invoice_id in
              connection.execute(select(RemoteLinkRow.provider, RemoteLinkRow.invoice_id))}
    payments = connection.execute(select(PaymentRow.invoice_id, PaymentRow.position, PaymentRow.method)).all()
    link_paid = {invoice_id for invoice_id, _, method in payments if method == PaymentMethod.LINK.value}
    sales: dict[str, _Sale] = {}
    corrections: list[tuple[str, int, str, str]] = []
    for invoice in connection.execute(select(
            InvoiceRow.id, InvoiceRow.number, InvoiceRow.kind, InvoiceRow.status, InvoiceRow.issued_at,
            InvoiceRow.original_number, InvoiceRow.buyer_name, InvoiceRow.payment_link).order_by(InvoiceRow.issued_at,
                                                                                                InvoiceRow.id)):
        if invoice.kind == InvoiceKind.SALE.value:
            named, by_link = bool(invoice.buyer_name.strip()), bool(invoice.payment_link) or invoice.id in link_paid
            sales[invoice.number] = _Sale(invoice.id, invoice.number, invoice.issued_at, invoice.status, {
                p: scope_accepts_sale(scopes.get(p, InvoiceScope.ALL), buyer_named=named, paid_by_link=by_link)
                for p in providers})
        else:
            operation = (OutboxOperation.RETURN if invoice.kind == InvoiceKind.RETURN.value
                         else OutboxOperation.REDUCE).value
            corrections.append((invoice.original_number or "", invoice.id, invoice.number, operation))
    for original, invoice_id, number, operation in corrections:
        sale = sales.get(original)
        if sale is not None:
            sale.corrections.append((invoice_id, number, operation))
            sale.replaced = sale.replaced or operation == OutboxOperation.REDUCE.value
    by_id = {sale.id: sale for sale in sales.values()}
    for invoice_id, position, method in payments:
        if invoice_id in by_id and method != PaymentMethod.CREDIT.value:
            by_id[invoice_id].money_payments.append(position)
    issue = OutboxOperation.ISSUE.value
    for provider in providers:
        held = [sale for sale in sales.values() if (provider, sale.id, issue, None) in rows]
        span = (held[0].issued_at, held[-1].issued_at) if held else None
        for sale in sales.values():
            holds = (provider, sale.id, issue, None) in rows
            if not holds and span is not None and sale.in_scope[provider] \
                    and span[0] < sale.issued_at < span[1]:  # type: ignore[operator]
                section.problems.append(
                    f"{sale.number}: no outbox row for {provider}, which has the sales before and after it"
                    f" / فاکتور {sale.number} در صف {provider} نیست")
            if not (holds or (provider, sale.id) in linked):
                continue
            expected: list[tuple[int, str, int | None, str]] = [
                (sale.id, OutboxOperation.PAYMENT.value, position, f"payment {position + 1}")
                for position in sorted(sale.money_payments)] if holds else []
            if sale.status == InvoiceStatus.CANCELLED.value and not sale.replaced:
                expected.append((sale.id, OutboxOperation.CANCEL.value, None, "cancellation"))
            expected.extend((invoice_id, operation, None, f"{operation} {number}")
                            for invoice_id, number, operation in sale.corrections)
            for invoice_id, operation, position, what in expected:
                if (provider, invoice_id, operation, position) not in rows:
                    section.problems.append(f"{sale.number}: {what} has no outbox row for {provider}"
                                            f" / برای {what} فاکتور {sale.number} ردیفی در صف {provider} نیست")
    return section


def _numbering(connection: Connection) -> CheckSection:
    section = CheckSection("شماره‌گذاری بدون فاصله", "numbering without gaps")
    used: dict[tuple[str, str], list[int]] = defaultdict(list)
    for till, series, sequence in connection.execute(
            select(InvoiceRow.till, InvoiceRow.series, InvoiceRow.sequence).order_by(InvoiceRow.sequence)):
        used[(till, series)].append(sequence)
    counters = {(row.till, row.series): row.last_sequence for row in connection.execute(select(NumberCounterRow))}
    for key in sorted(set(used) | set(counters)):
        till, series = key
        sequences = used.get(key, [])
        last = counters.get(key, 0)
        top = max([last, *sequences])
        missing = sorted(set(range(1, top + 1)) - set(sequences))
        if missing:
            shown = ", ".join(format_invoice_number(till, series, n) for n in missing[:20])
            more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
            section.problems.append(f"till {till} series {series}: no invoice numbered {shown}{more}"
                                    f" / شماره‌های {shown} در صندوق {till} سری {series} فاکتوری ندارند")
        if sequences and last < sequences[-1]:
            section.problems.append(
                f"till {till} series {series}: the counter stands at {last}, behind the last number used"
                f" ({sequences[-1]}) / شمارنده صندوق {till} سری {series} از آخرین شماره عقب است")
    return section
