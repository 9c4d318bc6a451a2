"""Which payment links posapp shows or prints: https on the provider's known host, nothing else.

One rule for the counter screen, the sync engine and the printed QR (the renderer cannot reach
the services layer, so the rule lives in the domain).
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import SplitResult, urlsplit

from posapp.domain.errors import DomainError

KNOWN_PAYMENT_HOSTS: Mapping[str, frozenset[str]] = {
    "pod": frozenset({"pay.pod.ir", "pay.pod.land", "sandbox.pod.ir", "sandbox.pod.land"}),
    "hesabfa": frozenset({"app.hesabfa.com", "hesabfa.com", "www.hesabfa.com"}),
    "hesabit": frozenset({"www.hesabit.com", "hesabit.com"}),
    "payping": frozenset({"api.payping.ir", "payping.ir", "www.payping.ir"}),
}
"""Where each provider's customers pay (each provider's own document; docs/providers.md). Sepidar has none."""

SANDBOX_PORTS: Mapping[str, int] = {"sandbox.pod.ir": 1033, "sandbox.pod.land": 1033}
"""Pod's sandbox pay pages listen on their own port; every other host must use 443."""

MAX_LINK_LENGTH = 2048

class PaymentLinkRefused(DomainError):
    """A provider answered with a link posapp will not show to a customer."""


def _split(url: str) -> tuple[SplitResult, int | None] | None:
    """`url`'s parts and port, or None when it is empty, too long, holds spaces or controls,
    or does not parse."""
    if not url or len(url) > MAX_LINK_LENGTH or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return None
    try:
        parts = urlsplit(url)
        return parts, parts.port
    except ValueError:
        return None


def check_payment_link(provider: str, url: str) -> str:
    """`url` if it is an https link on `provider`'s known payment host; otherwise
    PaymentLinkRefused with a clear message. Checked before any link is stored or shown."""
    hosts = KNOWN_PAYMENT_HOSTS.get(provider)
    shown = url if len(url) <= 120 else url[:117] + "..."
    if hosts is None:
        raise PaymentLinkRefused(
            f"سامانه «{provider}» لینک پرداخت ندارد",
            f"provider {provider!r} has no payment links",
        )
    split = _split(url)
    if split is None:
        raise PaymentLinkRefused(
            f"لینک پرداخت نامعتبر است و نمایش داده نمی‌شود: {shown}",
            f"the payment link is not a valid URL and will not be shown: {shown}",
        )
    parts, port = split
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme != "https":
        raise PaymentLinkRefused(
            f"لینک پرداخت امن (https) نیست و نمایش داده نمی‌شود: {shown}",
            f"the payment link is not https and will not be shown: {shown}",
        )
    allowed_port = SANDBOX_PORTS.get(host)
    if (host not in hosts or parts.username is not None or parts.password is not None
            or port not in (None, 443, allowed_port)):
        known = "، ".join(sorted(hosts))
        raise PaymentLinkRefused(
            f"لینک پرداخت روی نشانی شناخته‌شدهٔ این سامانه ({known}) نیست و نمایش داده نمی‌شود: {shown}",
            f"the payment link is not on {provider}'s known host ({', '.join(sorted(hosts))}) "
            f"and will not be shown: {shown}",
        )
    return url



def printable_payment_link(url: str | None) -> str | None:
    """`url` if it passes `check_payment_link` for one of the providers that make links,
    else None: what a printed QR may carry."""
    if not url:
        return None
    for provider in KNOWN_PAYMENT_HOSTS:
        try:
            return check_payment_link(provider, url)
        except PaymentLinkRefused:
            continue
    return None
