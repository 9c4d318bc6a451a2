"""The messages the sync engine stores for the cashier (bilingual, secrets scrubbed)."""

from __future__ import annotations

from decimal import Decimal

from posapp.domain.sync import OutboxItem
from posapp.providers.errors import ProviderError
from posapp.providers.http import scrub


def mismatch_text(provider: str, remote: Decimal, expected: Decimal) -> str:
    return (f"سامانه {provider} مبلغ فاکتور را {remote} ریال ثبت کرد و صندوق {expected} ریال؛ فاکتور "
            f"را در پنل سامانه اصلاح کنید و این مورد را رد کنید / {provider} holds {remote} Rial where "
            f"the till has {expected} Rial; correct the invoice in the provider's panel, then skip this item")


def _error_text(exc: ProviderError) -> str:
    """A provider error as stored for the cashier. The HTTP layer already scrubbed the request's
    own secrets; the same scrubber runs again here for anything written next to a secret's name,
    whatever raised the error."""
    text = f"{exc.message_fa} / {exc.message_en}"
    fields_ = getattr(exc, "field_errors", None)
    if fields_:
        text += " (" + "; ".join(f"{name}: {message}" for name, message in fields_.items()) + ")"
    if exc.code is not None:
        text += f" [code {exc.code}]"
    return scrub(text)


def manual_text(item: OutboxItem, what_fa: str, what_en: str) -> str:
    return (f"سامانه {item.provider} {what_fa} را پشتیبانی نمی‌کند؛ آن را در پنل سامانه دستی ثبت "
            f"و این مورد را رد کنید / {item.provider} does not support a {what_en}; enter it in "
            "the provider's panel by hand, then skip this item")


def unsupported_text(item: OutboxItem, exc: ProviderError) -> str:
    return f"{_error_text(exc)} — " + manual_text(item, str(item.operation), str(item.operation))


