"""How outbox operations and states are named in the UI (the sync pane and the history's sync
column), as Persian source text translated in the "SyncPane" context. Light to import: the
history loads it at start-up, long before the sync machinery."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from posapp.domain.sync import OutboxState

CONTEXT = "SyncPane"

OPERATION_LABELS = {
    "issue": QT_TRANSLATE_NOOP("SyncPane", "صدور"),
    "cancel": QT_TRANSLATE_NOOP("SyncPane", "ابطال"),
    "return": QT_TRANSLATE_NOOP("SyncPane", "برگشت"),
    "reduce": QT_TRANSLATE_NOOP("SyncPane", "کاهش"),
    "payment_link": QT_TRANSLATE_NOOP("SyncPane", "لینک پرداخت"),
    "payment": QT_TRANSLATE_NOOP("SyncPane", "دریافت وجه"),
}
"""Persian source text of each outbox operation, by its value."""
STATE_LABELS = {
    OutboxState.PENDING: QT_TRANSLATE_NOOP("SyncPane", "در انتظار"),
    OutboxState.IN_FLIGHT: QT_TRANSLATE_NOOP("SyncPane", "در حال ارسال"),
    OutboxState.FAILED: QT_TRANSLATE_NOOP("SyncPane", "رد شد"),
    OutboxState.DONE: QT_TRANSLATE_NOOP("SyncPane", "ارسال شد"),
    OutboxState.SKIPPED: QT_TRANSLATE_NOOP("SyncPane", "رد شده توسط صندوق‌دار"),
}
"""Persian source text of each outbox state."""


def translated(label: str) -> str:
    return QCoreApplication.translate(CONTEXT, label)


def operation_label(operation: str) -> str:
    """An outbox operation (its value) in the UI language; an unknown one as it is."""
    return translated(OPERATION_LABELS[operation]) if operation in OPERATION_LABELS else operation


def state_label(state: OutboxState) -> str:
    """An outbox state in the UI language."""
    return translated(STATE_LABELS[state])
