"""The messages the sync engine stores for the cashier (bilingual, secrets scrubbed)."""

from __future__ import annotations

from decimal import Decimal

from posapp.domain.sync import OutboxItem
from posapp.providers.errors import ProviderError
from posapp.services.error_text import error_text


def mismatch_text(provider: str, remote: Decimal, expected: Decimal) -> str:
    return (f"سامانه {provider} مبلغ فاکتور را {remote} ریال ثبت کرد و صندوق {expected} ریال؛ فاکتور "
            f"را در پنل سامانه اصلاح کنید و این مورد را رد کنید / {provider} holds {remote} Rial where "
            f"the till has {expected} Rial; correct the invoice in the provider's panel, then skip this item")


def manual_text(item: OutboxItem, what_fa: str, what_en: str) -> str:
    return (f"سامانه {item.provider} {what_fa} را پشتیبانی نمی‌کند؛ آن را در پنل سامانه دستی ثبت "
            f"و این مورد را رد کنید / {item.provider} does not support a {what_en}; enter it in "
            "the provider's panel by hand, then skip this item")


def unsupported_text(item: OutboxItem, exc: ProviderError) -> str:
    return f"{error_text(exc)} — " + manual_text(item, str(item.operation), str(item.operation))


