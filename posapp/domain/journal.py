"""The tamper-evident journal's rules: canonical record content and the SHA-256 hash chain.

Each record's hash covers its own canonical content and the previous record's hash, so an
edited, deleted, inserted or reordered record breaks the chain from that point on. The journal
is one chain for the whole shop (appends are serialised in the database); `check_chain` finds
the first record that does not fit. Pure Python, no I/O.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

GENESIS_HASH = "0" * 64
"""The `prev_hash` of the first record."""

Scalar = str | int | bool | None


SHORT_WHOLE_DIGITS = 18
"""A whole Decimal written with at most this many digits (and no exponent) is already in
canonical form: far below the 28 significant digits `normalize` would round to."""


def canonical_decimal(value: Decimal) -> str:
    """A Decimal as plain text without exponent or trailing zeros ("1200", "0.09", "0"). Most
    amounts are short whole numbers, whose `str` is that text already (checked first because
    issuing writes dozens per invoice into the journal's fingerprints)."""
    text = str(value)
    if text.isdigit() and len(text) <= SHORT_WHOLE_DIGITS:
        return text
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def canonical_value(value: object) -> Scalar | list[Scalar] | dict[str, Scalar]:
    """A JSON-safe form that is the same however the value was produced: Decimals as plain
    strings without exponent or trailing zeros ("1200", "0.09"), datetimes as UTC ISO text."""
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Mapping):
        return {str(key): canonical_value(item) for key, item in value.items()}  # type: ignore[misc]
    if isinstance(value, list | tuple):
        return [canonical_value(item) for item in value]  # type: ignore[misc]
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def _encode_other(value: object) -> Scalar:
    if isinstance(value, Decimal):
        return canonical_decimal(value)
    if isinstance(value, datetime):
        return canonical_value(value)  # type: ignore[return-value]
    return str(value)


_CANONICAL_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                                      default=_encode_other)
"""Built once: `json.dumps` with these options would build an encoder for every call."""


def canonical_json(content: Mapping[str, object]) -> str:
    """Sorted keys, no spaces, UTF-8 kept as is, Decimals and datetimes as `canonical_value`
    writes them: one text for one content (json's C encoder does the walking)."""
    return _CANONICAL_ENCODER.encode(content)


def digest(content: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class JournalRecord:
    """One journal record as stored. `payload` is canonical JSON text."""

    seq: int
    at: datetime
    till: str
    user_id: int | None
    user_name: str
    approver_id: int | None
    approver_name: str
    action: str
    subject: str
    payload: str
    prev_hash: str
    hash: str

    def content(self) -> dict[str, object]:
        """What the hash covers: everything but the hash itself."""
        return {
            "seq": self.seq, "at": self.at, "till": self.till, "user_id": self.user_id,
            "user": self.user_name, "approver_id": self.approver_id, "approver": self.approver_name,
            "action": self.action, "subject": self.subject, "payload": self.payload,
            "prev": self.prev_hash,
        }


def record_hash(record: JournalRecord) -> str:
    return digest(record.content())


@dataclass(frozen=True)
class ChainProblem:
    """The first record that does not fit the chain, and what is wrong with it."""

    seq: int
    message_fa: str
    message_en: str


def check_chain(records: Iterable[JournalRecord], start_seq: int = 1,
                start_hash: str = GENESIS_HASH) -> tuple[ChainProblem | None, int, str]:
    """Walk `records` in stored order. Returns (the first problem or None, the last good seq,
    the last good hash); `start_seq`/`start_hash` continue a walk made in batches."""
    expected_seq = start_seq
    previous = start_hash
    for record in records:
        if record.seq != expected_seq:
            what = "missing" if record.seq > expected_seq else "out of order"
            return ChainProblem(
                record.seq,
                f"رکورد {record.seq} به جای رکورد {expected_seq} آمده است (رکوردی حذف یا جابه‌جا شده)",
                f"record {record.seq} found where record {expected_seq} was expected (a record is {what})",
            ), expected_seq - 1, previous
        if record.prev_hash != previous:
            return ChainProblem(
                record.seq,
                f"رکورد {record.seq} به رکورد پیش از خود نمی‌خورد (رکوردی درج، حذف یا جابه‌جا شده)",
                f"record {record.seq} does not follow the record before it "
                "(a record was inserted, deleted or reordered)",
            ), expected_seq - 1, previous
        if record_hash(record) != record.hash:
            return ChainProblem(
                record.seq,
                f"محتوای رکورد {record.seq} ({record.action} {record.subject}) تغییر کرده است",
                f"record {record.seq} ({record.action} {record.subject}) was changed after it was written",
            ), expected_seq - 1, previous
        previous = record.hash
        expected_seq += 1
    return None, expected_seq - 1, previous
