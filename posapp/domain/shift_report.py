"""X, Z and day reports as immutable values, with their JSON form (every amount a decimal
string in Rial, times in UTC ISO text), so a Z report stored at close reads back identical.
Pure Python, no I/O.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from posapp.domain.formatting import format_amount, format_quantity
from posapp.domain.jalali import format_jalali_datetime
from posapp.domain.journal import canonical_json, canonical_value
from posapp.domain.text import to_persian_digits


class ReportKind(StrEnum):
    X = "x"
    """The open shift so far."""
    Z = "z"
    """A closed shift, as stored at its close."""
    DAY = "day"
    """Every shift opened on one Jalali day, all tills."""


@dataclass(frozen=True)
class VatRow:
    kind: str
    """The document kind: sale, return or reduction."""
    rate: Decimal
    net: Decimal
    tax: Decimal


@dataclass(frozen=True)
class PaymentRow:
    kind: str
    method: str
    amount: Decimal


@dataclass(frozen=True)
class CashierRow:
    name: str
    sales_count: int
    sales_amount: Decimal
    returns_count: int
    returns_amount: Decimal


@dataclass(frozen=True)
class NoteCount:
    note: Decimal
    count: int


@dataclass(frozen=True)
class ShiftReport:
    kind: ReportKind
    tills: tuple[str, ...]
    shift_numbers: tuple[int, ...]
    opened_at: datetime | None
    opened_by: str
    closed_at: datetime | None
    closed_by: str
    day: str
    """The Jalali day (YYYY/MM/DD) of a day report; empty otherwise."""
    generated_at: datetime
    first_number: str
    last_number: str
    sales_count: int
    sales_amount: Decimal
    returns_count: int
    returns_amount: Decimal
    reductions_count: int
    reductions_amount: Decimal
    cancellations_count: int
    cancellations_amount: Decimal
    discounts: Decimal
    additions: Decimal
    deductions: Decimal
    vat: tuple[VatRow, ...]
    payments: tuple[PaymentRow, ...]
    opening_float: Decimal
    cash_sales: Decimal
    """Cash taken for sales, less change given."""
    cash_refunds: Decimal
    """Cash given back for returns and cancellations."""
    paid_in: Decimal
    paid_out: Decimal
    cash_expected: Decimal
    cash_counted: Decimal | None
    """None until the cash is counted (X reports, a day with an open shift)."""
    counted_notes: tuple[NoteCount, ...]
    cashiers: tuple[CashierRow, ...]
    journal_seq: int
    journal_hash: str
    """The journal's last record and hash when the report was made (for a Z: at the close)."""

    @property
    def difference(self) -> Decimal | None:
        """Counted less expected: negative when cash is missing."""
        return None if self.cash_counted is None else self.cash_counted - self.cash_expected

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = canonical_value(dataclasses.asdict(self))  # type: ignore[assignment]
        data["difference"] = canonical_value(self.difference)
        return data

    def to_json(self) -> str:
        return canonical_json(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ShiftReport:
        def dec(value: str | None) -> Decimal | None:
            return None if value is None else Decimal(value)

        def moment(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value)

        generated = moment(data["generated_at"])
        assert generated is not None
        figures: dict[str, Any] = {
            **{name: int(data[name]) for name in ("sales_count", "returns_count", "reductions_count",
                                                  "cancellations_count", "journal_seq")},
            **{name: Decimal(data[name]) for name in (
                "sales_amount", "returns_amount", "reductions_amount", "cancellations_amount",
                "discounts", "additions", "deductions", "opening_float", "cash_sales",
                "cash_refunds", "paid_in", "paid_out", "cash_expected")},
        }
        return cls(
            kind=ReportKind(data["kind"]), tills=tuple(data["tills"]),
            shift_numbers=tuple(int(n) for n in data["shift_numbers"]),
            opened_at=moment(data["opened_at"]), opened_by=data["opened_by"],
            closed_at=moment(data["closed_at"]), closed_by=data["closed_by"], day=data["day"],
            generated_at=generated, first_number=data["first_number"], last_number=data["last_number"],
            **figures,
            cash_counted=dec(data["cash_counted"]),
            vat=tuple(VatRow(r["kind"], Decimal(r["rate"]), Decimal(r["net"]), Decimal(r["tax"]))
                      for r in data["vat"]),
            payments=tuple(PaymentRow(r["kind"], r["method"], Decimal(r["amount"])) for r in data["payments"]),
            counted_notes=tuple(NoteCount(Decimal(r["note"]), int(r["count"])) for r in data["counted_notes"]),
            cashiers=tuple(CashierRow(r["name"], int(r["sales_count"]), Decimal(r["sales_amount"]),
                                      int(r["returns_count"]), Decimal(r["returns_amount"]))
                           for r in data["cashiers"]),
            journal_hash=data["journal_hash"],
        )


KIND_TITLES = {
    ReportKind.X: ("گزارش X (شیفت باز)", "X report (open shift)"),
    ReportKind.Z: ("گزارش Z (بستن شیفت)", "Z report (shift close)"),
    ReportKind.DAY: ("گزارش روز", "Day report"),
}
DOCUMENT_KINDS = {"sale": ("فروش", "sales"), "return": ("برگشت", "returns"),
                  "reduction": ("کاهشی", "reductions")}
METHODS = {"cash": ("نقد", "cash"), "card": ("کارت", "card"), "link": ("پیوند پرداخت", "payment link"),
           "credit": ("نسیه", "on account")}


@dataclass(frozen=True)
class ReportLine:
    """One line of a printed or shown report: a heading (`value` None) or a label and value."""

    label: str
    value: str | None = None
    strong: bool = False


def report_lines(report: ShiftReport, language: str = "fa") -> list[ReportLine]:
    """The report as labelled lines in `language` ("fa" with Persian digits, or "en"): the one
    layout the screen, the text output, the receipt and the A4 PDF all show."""
    fa = language == "fa"

    def t(pair: tuple[str, str]) -> str:
        return pair[0] if fa else pair[1]

    def money(amount: Decimal | None) -> str:
        if amount is None:
            return "—"
        return format_amount(amount, persian_digits=fa, with_unit=False)

    def count(number: int) -> str:
        return format_quantity(number, persian_digits=fa)

    def when(moment: datetime | None) -> str:
        return format_jalali_datetime(moment, persian_digits=fa) if moment else "—"

    def digits(text: str) -> str:
        return to_persian_digits(text) if fa else text

    lines = [ReportLine(t(KIND_TITLES[report.kind]), None, True)]
    if report.kind is ReportKind.DAY:
        lines.append(ReportLine(t(("روز", "Day")), digits(report.day)))
    lines += [
        ReportLine(t(("صندوق", "Till")), digits("، ".join(report.tills) if fa else ", ".join(report.tills)) or "—"),
        ReportLine(t(("شماره شیفت", "Shift")),
                   digits(("، " if fa else ", ").join(str(n) for n in report.shift_numbers)) or "—"),
    ]
    if report.kind is not ReportKind.DAY:
        lines += [
            ReportLine(t(("باز شده", "Opened")), f"{when(report.opened_at)} {report.opened_by}".strip()),
            ReportLine(t(("بسته شده", "Closed")),
                       f"{when(report.closed_at)} {report.closed_by}".strip() if report.closed_at else "—"),
        ]
    lines += [
        ReportLine(t(("تهیه شده", "Printed")), when(report.generated_at)),
        ReportLine(t(("نخستین فاکتور", "First invoice")), report.first_number or "—"),
        ReportLine(t(("واپسین فاکتور", "Last invoice")), report.last_number or "—"),
        ReportLine(t(("فروش و برگشت (ریال)", "Sales and returns (Rial)")), None, True),
        ReportLine(t(("فروش", "Sales")) + f" ({count(report.sales_count)})", money(report.sales_amount)),
        ReportLine(t(("برگشت", "Returns")) + f" ({count(report.returns_count)})", money(report.returns_amount)),
        ReportLine(t(("کاهشی", "Reductions")) + f" ({count(report.reductions_count)})",
                   money(report.reductions_amount)),
        ReportLine(t(("ابطال", "Cancellations")) + f" ({count(report.cancellations_count)})",
                   money(report.cancellations_amount)),
        ReportLine(t(("تخفیف‌ها", "Discounts")), money(report.discounts)),
        ReportLine(t(("اضافات", "Charges")), money(report.additions)),
        ReportLine(t(("کسورات", "Deductions")), money(report.deductions)),
        ReportLine(t(("مالیات بر ارزش افزوده", "VAT by rate")), None, True),
    ]
    for row in report.vat:
        rate = format_quantity(row.rate * 100, persian_digits=fa)
        lines.append(ReportLine(f"{t(DOCUMENT_KINDS.get(row.kind, (row.kind, row.kind)))} {rate}%",
                                f"{money(row.net)} / {money(row.tax)}"))
    lines.append(ReportLine(t(("پرداخت‌ها", "Payments")), None, True))
    for payment in report.payments:
        label = f"{t(METHODS.get(payment.method, (payment.method, payment.method)))} — " \
                f"{t(DOCUMENT_KINDS.get(payment.kind, (payment.kind, payment.kind)))}"
        lines.append(ReportLine(label, money(payment.amount)))
    lines += [
        ReportLine(t(("صندوق نقد", "Cash drawer")), None, True),
        ReportLine(t(("موجودی اول شیفت", "Opening float")), money(report.opening_float)),
        ReportLine(t(("نقد فروش (منهای بازگشت به مشتری)", "Cash sales (less change)")), money(report.cash_sales)),
        ReportLine(t(("نقد پس‌داده", "Cash refunded")), money(report.cash_refunds)),
        ReportLine(t(("ورود وجه", "Paid in")), money(report.paid_in)),
        ReportLine(t(("خروج وجه", "Paid out")), money(report.paid_out)),
        ReportLine(t(("نقد مورد انتظار", "Cash expected")), money(report.cash_expected), True),
        ReportLine(t(("نقد شمرده‌شده", "Cash counted")), money(report.cash_counted), True),
        ReportLine(t(("اختلاف", "Difference")), money(report.difference), True),
    ]
    for note in report.counted_notes:
        lines.append(ReportLine(f"{money(note.note)} × {count(note.count)}", money(note.note * note.count)))
    if report.cashiers:
        lines.append(ReportLine(t(("به تفکیک صندوقدار", "Per cashier")), None, True))
        for cashier in report.cashiers:
            lines.append(ReportLine(
                f"{cashier.name or '—'} ({count(cashier.sales_count)}/{count(cashier.returns_count)})",
                f"{money(cashier.sales_amount)} / {money(cashier.returns_amount)}"))
    lines += [
        ReportLine(t(("دفتر رویداد", "Journal")), None, True),
        ReportLine(t(("رکورد", "Record")), count(report.journal_seq)),
        ReportLine(t(("هش زنجیره", "Chain hash")), report.journal_hash[:32]),
        ReportLine("", report.journal_hash[32:]),
    ]
    return lines


def report_text(report: ShiftReport, language: str = "fa") -> str:
    """Plain text, one line per `ReportLine` (headings underlined)."""
    out: list[str] = []
    for line in report_lines(report, language):
        if line.value is None:
            out += ["", line.label, "-" * max(len(line.label), 8)]
        else:
            out.append(f"{line.label}: {line.value}" if line.label else f"  {line.value}")
    return "\n".join(out).strip() + "\n"
