"""`audit verify`: prove the journal is intact and that the invoices, payments, cancellations
and Z reports in the database are the ones it recorded.

The walk checks every record's hash and its link to the one before (an edited, deleted,
inserted or reordered record), the head row against the last record (a record cut off the
end), then the data against the journal: each invoice's fingerprint, each payment, each
cancellation and each stored Z report. Invoices and payments older than the journal (its first
record names them) are outside the proof. The first problem found is reported.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from posapp.domain.invoice import InvoiceStatus
from posapp.domain.journal import GENESIS_HASH, ChainProblem, canonical_json, check_chain, digest
from posapp.storage import journal
from posapp.storage.engine import Database
from posapp.storage.models import InvoiceRow, PaymentRow, ShiftRow


@dataclass(frozen=True)
class AuditResult:
    records: int
    seconds: float
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _problem(seq: int, fa: str, en: str) -> ChainProblem:
    return ChainProblem(seq, fa, en)


class AuditService:
    def __init__(self, database: Database) -> None:
        self._db = database

    def verify(self, progress: Callable[[int], None] | None = None) -> AuditResult:
        started = time.perf_counter()
        with self._db.read() as session:
            problem, walked, data = self._walk(session, progress)
            if problem is None:
                problem = self._check_data(session, data)
        return AuditResult(walked, time.perf_counter() - started, problem)

    @staticmethod
    def _walk(session: Any, progress: Callable[[int], None] | None) -> tuple[ChainProblem | None, int, dict[str, Any]]:
        data: dict[str, Any] = {"invoices": {}, "payments": {}, "cancels": {}, "closes": {},
                                "hashes": {}, "start": {"invoices_before": 0, "payments_before": 0}}
        seq, last_hash = 0, GENESIS_HASH
        walked = 0
        for batch in journal.records(session):
            problem, seq, last_hash = check_chain(batch, seq + 1, last_hash)
            if problem is not None:
                return problem, walked, data
            walked += len(batch)
            for record in batch:
                data["hashes"][record.seq] = record.hash
                payload = json.loads(record.payload)
                action = record.action
                if action == journal.START_ACTION:
                    data["start"] = payload
                elif action in ("invoice.sale", "invoice.return", "invoice.reduction"):
                    data["invoices"][record.subject] = (record.seq, payload)
                elif action == "invoice.payment":
                    data["payments"][(record.subject, payload["position"])] = (record.seq, payload)
                elif action in ("invoice.cancel", "invoice.replaced"):
                    data["cancels"][record.subject] = record.seq
                elif action == "shift.close":
                    data["closes"][payload["shift_id"]] = (record.seq, payload)
            if progress is not None:
                progress(walked)
        head_seq, head_hash = journal.head(session)
        if (head_seq, head_hash) != (seq, last_hash):
            return _problem(
                seq + 1 if head_seq > seq else head_seq,
                f"سر زنجیره رکورد {head_seq} را نشان می‌دهد ولی زنجیره با رکورد {seq} تمام می‌شود (رکوردی از انتها حذف یا به آن افزوده شده)",
                f"the chain's head says record {head_seq} but the chain ends at record {seq} "
                "(a record was removed from or added at the end)",
            ), walked, data
        return None, walked, data

    @staticmethod
    def _check_data(session: Any, data: dict[str, Any]) -> ChainProblem | None:
        invoices: dict[str, tuple[int, dict[str, Any]]] = data["invoices"]
        seen: set[str] = set()
        for _invoice_id, number, fingerprint in journal.invoice_fingerprints(
                session, int(data["start"]["invoices_before"])):
            entry = invoices.get(number)
            if entry is None:
                return _problem(0, f"فاکتور {number} در دفتر رویداد ثبت نشده است (بیرون از برنامه افزوده شده)",
                                f"invoice {number} has no journal record (it was added outside posapp)")
            seq, payload = entry
            if payload["fingerprint"] != fingerprint:
                return _problem(seq, f"فاکتور {number} با رکورد {seq} دفتر رویداد نمی‌خواند (مبلغ یا ردیف‌ها تغییر کرده)",
                                f"invoice {number} no longer matches journal record {seq} "
                                "(its amounts or lines were changed)")
            seen.add(number)
        for number, (seq, _payload) in invoices.items():
            if number not in seen:
                return _problem(seq, f"فاکتور {number} از رکورد {seq} در پایگاه داده نیست (حذف شده)",
                                f"invoice {number} of journal record {seq} is missing from the database")
        payments = session.execute(
            select(InvoiceRow.number, PaymentRow.position, PaymentRow.method, PaymentRow.amount, PaymentRow.reference)
            .join(InvoiceRow, InvoiceRow.id == PaymentRow.invoice_id)
            .where(PaymentRow.id > int(data["start"]["payments_before"])).order_by(PaymentRow.id)
        )
        for number, position, method, amount, reference in payments:
            fields = {"method": method, "amount": amount, "reference": reference}
            issued = invoices.get(number)
            if issued is not None and position < len(issued[1]["payments"]):
                seq, expected = issued[0], issued[1]["payments"][position]
            elif (number, position) in data["payments"]:
                seq, later = data["payments"][(number, position)]
                expected = {key: later[key] for key in ("method", "amount", "reference")}
            else:
                return _problem(0, f"پرداخت {position + 1} فاکتور {number} در دفتر رویداد ثبت نشده است",
                                f"payment {position + 1} of invoice {number} has no journal record")
            if canonical_json(expected) != canonical_json(fields):
                return _problem(seq, f"پرداخت {position + 1} فاکتور {number} با رکورد {seq} نمی‌خواند",
                                f"payment {position + 1} of invoice {number} no longer matches journal record {seq}")
        cancelled = session.execute(
            select(InvoiceRow.number).where(InvoiceRow.status == InvoiceStatus.CANCELLED.value,
                                            InvoiceRow.id > int(data["start"]["invoices_before"]))
        ).scalars()
        for number in cancelled:
            if number not in data["cancels"]:
                return _problem(0, f"ابطال فاکتور {number} در دفتر رویداد ثبت نشده است",
                                f"the cancellation of invoice {number} has no journal record")
        for shift_id, till, number, z_report in session.execute(
                select(ShiftRow.id, ShiftRow.till, ShiftRow.number, ShiftRow.z_report)
                .where(ShiftRow.z_report.is_not(None))):
            close = data["closes"].get(shift_id)
            report = json.loads(z_report)
            if close is None or close[1]["z_report"] != digest(report):
                seq = close[0] if close else 0
                return _problem(seq, f"گزارش Z شیفت {till}/{number} با دفتر رویداد نمی‌خواند",
                                f"the Z report of shift {till}/{number} does not match the journal")
            if data["hashes"].get(report["journal_seq"]) != report["journal_hash"]:
                return _problem(report["journal_seq"],
                                f"هش زنجیره در گزارش Z شیفت {till}/{number} با رکورد {report['journal_seq']} نمی‌خواند",
                                f"the chain hash on the Z report of shift {till}/{number} does not match "
                                f"record {report['journal_seq']}")
        return None
