"""Property tests: a posapp invoice mapped to Hesabfa's invoice/save body and back keeps every Rial."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from posapp.providers.hesabfa_mapping import InvoiceType, invoice_payload, payload_payable
from posapp.providers.http import json_number
from tests.providers.conftest import invoices


def round_trip(payload):
    """Through JSON exactly as the client sends it and the server reads it."""
    return json.loads(json.dumps(payload, default=json_number, ensure_ascii=False), parse_float=Decimal)


@given(invoices(charges=True))
@settings(max_examples=100, deadline=None)
def test_hesabfa_payload_round_trip_keeps_every_amount(invoice):
    payload = invoice_payload(invoice, contact_code="000001", contact_title="",
                              item_codes=["0000001"] * len(invoice.lines), invoice_type=InvoiceType.SALE, status=1)
    sent = round_trip(payload)
    totals = invoice.totals
    for item, line_totals in zip(sent["invoiceItems"], totals.lines, strict=True):
        assert Decimal(item["quantity"]) * Decimal(item["unitPrice"]) == line_totals.gross
        assert Decimal(item["discount"]) == line_totals.discount
        assert Decimal(item["tax"]) == line_totals.tax
    assert payload_payable(sent) == totals.payable


@given(invoices(charges=True))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_hesabfa_fake_totals_the_pushed_invoice_like_posapp(hesabfa, invoice):
    remote = hesabfa.push_invoice(invoice, f"P-{id(invoice)}")
    assert remote.payable == invoice.totals.payable
    assert hesabfa.payment_status(remote.remote_id).amount == 0
