"""Issue 11 item 9, the official form: continuation pages name the buyer and carry the total
over («جمع نقل به صفحه بعد» at the foot, «نقل از صفحه قبل» at the head of the next page)."""

from __future__ import annotations

from decimal import Decimal
from itertools import accumulate

from posapp.domain.formatting import format_amount
from posapp.domain.text import to_ascii_digits
from posapp.render.registry import renderer_for
from posapp.render.sample import TORTURE_BRANDING, TORTURE_BUYER, sample_invoice, torture_invoice
from posapp.render.text import recorded_layout


def amount_in(text):
    return to_ascii_digits(text.split(": ", 1)[1].removesuffix(" ریال"))


def test_continuation_pages_carry_the_total_and_name_the_buyer():
    invoice = torture_invoice()
    with recorded_layout() as boxes:
        renderer_for("formal").render(invoice, TORTURE_BRANDING)
    pages = max(box.page for box in boxes)
    assert pages >= 3
    out = {box.page: amount_in(box.text) for box in boxes if box.text.startswith("جمع نقل به صفحه بعد")}
    into = {box.page: amount_in(box.text) for box in boxes if box.text.startswith("نقل از صفحه قبل")}
    assert sorted(out) == list(range(1, pages))
    assert sorted(into) == list(range(2, pages + 1))
    assert all(out[page] == into[page + 1] for page in out)
    running = {to_ascii_digits(format_amount(total, with_unit=False))
               for total in accumulate((t.total for t in invoice.totals.lines), initial=Decimal(0))}
    assert set(out.values()) <= running  # each is the total of the lines printed so far
    buyer_pages = {box.page for box in boxes if box.text.startswith("خریدار:") and TORTURE_BUYER.name[:10] in box.text}
    assert buyer_pages >= set(range(2, pages + 1))


def test_a_one_page_form_carries_nothing():
    with recorded_layout() as boxes:
        renderer_for("formal").render(sample_invoice(), TORTURE_BRANDING)
    assert not [box for box in boxes if "نقل" in box.text and "صفحه" in box.text]
