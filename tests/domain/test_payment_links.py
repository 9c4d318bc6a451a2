"""The one payment-link rule the screen, the sync engine and the printed QR share."""

from __future__ import annotations

import pytest

from posapp.domain.payment_links import (
    PaymentLinkRefused,
    check_payment_link,
    printable_payment_link,
)


@pytest.mark.parametrize("url", [
    "https://pay.pod.ir/v1/pbc/preinvoice/abc", "https://www.payping.ir/d/xyz",
    "https://sandbox.pod.ir:1033/v1/pbc/preinvoice/abc",
])
def test_a_provider_link_may_be_printed(url):
    assert printable_payment_link(url) == url


@pytest.mark.parametrize("url", [
    None, "", "javascript:alert(1)", "http://pay.pod.ir/x", "http://evil.example.com/pay",
    "https://pay.example.ir/i/1A-000042", "https://pay.pod.ir.evil.example/x",
    "https://user:pw@pay.pod.ir/x", "https://pay.pod.ir:8443/x", "https://pay.pod.ir/a b",
])
def test_a_link_the_screen_refuses_is_not_printed(url):
    assert printable_payment_link(url) is None


def test_the_screen_check_names_the_reason_in_both_languages():
    with pytest.raises(PaymentLinkRefused) as refused:
        check_payment_link("pod", "http://pay.pod.ir/x")
    assert "https" in refused.value.message_en
    assert "https" in refused.value.message_fa
