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

from posapp.domain.journal import canonical_json, canonical_value


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
