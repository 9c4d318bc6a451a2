"""PayPing client against the PayPing fake: customers, invoice lifecycle, links, Toman."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from posapp.domain.errors import ValidationError as DomainValidationError
from posapp.domain.invoice import (
    Charge,
    Discount,
    Invoice,
    InvoiceLine,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
    issue,
)
from posapp.providers import payping
from posapp.providers.base import RemoteState
from posapp.providers.errors import (
    AuthenticationError,
    InvalidStateError,
    NetworkError,
    ProviderValidationError,
    RemoteNotFoundError,
)
from posapp.providers.payping_mapping import ROUNDING_ITEM, VAT_ITEM
from tests.fakes.payping import DiscountScheme, ErrorFormat, Naming, PayPingFake

AT = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
KEYS = itertools.count(1)


def sale(*lines: InvoiceLine, buyer: Party | None = None, number: str = "1A-000001",
         **changes) -> Invoice:
    lines = lines or (InvoiceLine("چای", Decimal(2), Decimal(125_000), tax_rate=Decimal("0.10")),)
    return issue(Invoice(seller=Party("فروشگاه"), lines=lines, buyer=buyer, **changes), number, AT)


def connect(fake: PayPingFake, token: str | None = None, **config) -> payping.PayPingProvider:
    options = {"base_url": fake.base_url, "max_retries": 1, **config}
    provider = payping.PayPingProvider(payping.PayPingConfig(**options),
                                       {"token": token or fake.token}, now=fake.now)
    provider._http._sleep = lambda seconds: None
    return provider


@pytest.fixture
def fake():
    with PayPingFake() as server:
        yield server


@pytest.fixture
def provider(fake):
    with connect(fake) as client:
        yield client


BUYER = Party("مریم رضایی", mobile="09121234567")


# -- customers -----------------------------------------------------------------------------------


def test_customers_create_and_list(fake, provider):
    code = provider.create_customer(BUYER)
    assert fake.customers[code]["lastName"] == "رضایی"
    assert [c["code"] for c in provider.list_customers(search="0912123")] == [code]
    assert provider.customer_code_for(BUYER) == code
    assert len(fake.customers) == 1
    legal = provider.create_customer(Party("شرکت نمونه", kind=PartyKind.LEGAL))
    assert fake.customers[legal]["isBusiness"] is True
    assert {c.remote_id for c in provider.pull_customers()} == {code, legal}


def test_field_errors_come_back_by_field(fake, provider):
    with pytest.raises(ProviderValidationError) as caught:
        provider.create_customer(Party("علی", mobile="12345"))
    assert set(caught.value.field_errors) == {"phone"}


def test_titled_error_body_is_read_too(fake, provider):
    fake.error_format = ErrorFormat.TITLED
    with pytest.raises(ProviderValidationError) as caught:
        provider.create_customer(Party("علی", mobile="12345"))
    assert caught.value.field_errors == {"phone": "شماره موبایل معتبر نیست"}


def test_wrong_token_is_an_authentication_error(fake):
    with connect(fake, token="wrong") as refused:
        with pytest.raises(AuthenticationError):
            refused.list_invoices()
        assert [r.ok for r in refused.check()] == [False]


# -- invoices ------------------------------------------------------------------------------------


def test_walk_in_sale_is_a_device_payment_sent_for_payment(fake, provider):
    remote = provider.push_invoice(sale(), "1A-000001")
    assert remote.state is RemoteState.OPEN
    assert remote.payable == Decimal(275_000)
    detail = fake.invoices[remote.remote_id]
    assert detail["billToes"] == []
    assert detail["total"] == 27_500
    assert [i["name"] for i in detail["invoiceItems"]] == ["چای", VAT_ITEM]
    assert detail["dueDate"] == "2026-03-04T08:00:00Z"
    assert fake.sent == [remote.remote_id]
    create = next(r for r in fake.requests if r.operation == "invoice.create").json()
    assert create["createStatus"] == 0
    assert create["invoiceNumber"] == payping.invoice_number_for("1A-000001")
    assert {"billToes", "invoiceItems", "invoiceTitle", "totalDiscountValue"} <= set(create)


def test_a_sale_paid_in_full_at_the_till_stays_a_draft_and_is_never_sent(fake, provider):
    paid = sale(payments=(Payment(PaymentMethod.CASH, Decimal(275_000)),))
    remote = provider.push_invoice(paid, "1A-000002")
    assert remote.state is RemoteState.PENDING
    assert fake.sent == []
    fake.faults.drop_after_commit.next(1, operations={"invoice.create"})
    with pytest.raises(NetworkError):
        provider.push_invoice(sale(payments=paid.payments, number="1A-000003"), "1A-000003")
    found = provider.find_invoice("1A-000003")
    assert provider.resume_push(sale(payments=paid.payments, number="1A-000003"), found).state \
        is RemoteState.PENDING
    assert fake.sent == []
    assert len(fake.invoices) == 2


def test_named_buyer_is_billed(fake, provider):
    remote = provider.push_invoice(sale(buyer=BUYER), "B-1")
    assert fake.invoices[remote.remote_id]["billToes"][0]["addressBook"]["phone"] == BUYER.mobile
    provider.push_invoice(sale(buyer=BUYER), "B-2")
    assert len(fake.customers) == 1
    no_mobile = Party("شرکت نمونه", kind=PartyKind.LEGAL, national_id="10101010101")
    first = provider.customer_code_for(no_mobile)
    assert provider.customer_code_for(no_mobile) == first
    by_name = Party("حسن کریمی")
    assert provider.customer_code_for(by_name) == provider.customer_code_for(by_name)
    assert len(fake.customers) == 3


def test_seed_naming_sends_the_newer_names(fake):
    with connect(fake, field_naming="seed") as client:
        remote = client.push_invoice(sale(buyer=BUYER), "S-1")
    assert remote.payable == Decimal(275_000)
    create = next(r for r in fake.requests if r.operation == "invoice.create").json()
    assert {"customers", "products", "title", "number", "discountAmount"} <= set(create)
    assert "invoiceItems" not in create


def test_a_naming_the_server_does_not_take_is_a_field_error(fake):
    fake.accepted_namings = frozenset({Naming.SEED})
    with connect(fake) as client, pytest.raises(ProviderValidationError) as caught:
        client.push_invoice(sale(), "S-2")
    assert "products" in caught.value.field_errors


DISCOUNTED = (InvoiceLine("چای", Decimal(2), Decimal(125_000), discount=Discount.amount(20_000)),)


@pytest.mark.parametrize("scheme", list(DiscountScheme))
def test_discount_codes_agreeing_with_the_server_keep_the_amount(fake, scheme):
    fake.discount_scheme = scheme
    invoice = sale(*DISCOUNTED, charges=(Charge("کسر", Decimal(10_000), is_deduction=True),))
    with connect(fake, discount_codes=scheme.value) as client:
        remote = client.push_invoice(invoice, f"D-{scheme}")
    assert remote.payable == invoice.totals.payable == Decimal(220_000)
    item = fake.invoices[remote.remote_id]["invoiceItems"][0]
    assert item["discountAmount"] == 2_000


def test_discount_codes_disagreeing_with_the_server_are_caught_and_the_draft_deleted(fake):
    fake.discount_scheme = DiscountScheme.SEED
    small = InvoiceLine("چای", Decimal(2), Decimal(125_000), discount=Discount.amount(1_000))
    with connect(fake, discount_codes="spec") as client, pytest.raises(ProviderValidationError) as caught:
        client.push_invoice(sale(small), "D-3")
    assert "discountType" in caught.value.field_errors
    assert fake.count("invoice.delete") == 1
    assert fake.invoices == {}
    assert fake.sent == []


def test_a_discount_the_server_reads_as_over_100_percent_is_refused(fake):
    fake.discount_scheme = DiscountScheme.SEED
    with connect(fake, discount_codes="spec") as client, pytest.raises(ProviderValidationError) as caught:
        client.push_invoice(sale(*DISCOUNTED), "D-4")
    assert set(caught.value.field_errors) == {"items[0].discountValue"}
    assert fake.invoices == {}


def test_toman_exact_refuses_odd_rial(fake, provider):
    odd = sale(InvoiceLine("کالا", Decimal(1), Decimal(12_345)))
    with pytest.raises(ProviderValidationError) as caught:
        provider.push_invoice(odd, "T-1")
    assert set(caught.value.field_errors) == {"lines[0].gross"}
    assert fake.count("invoice.create") == 0


@pytest.mark.parametrize(("rounding", "expected"), [
    ("up", 1_235), ("down", 1_234), ("half_up", 1_235)])
def test_toman_rounding_rules_round_the_total_once(fake, rounding, expected):
    odd = sale(InvoiceLine("کالا", Decimal(3), Decimal(4_115)))
    with connect(fake, toman_rounding=rounding) as client:
        remote = client.push_invoice(odd, f"T-{rounding}")
    assert remote.payable == Decimal(expected * 10)
    names = [i["name"] for i in fake.invoices[remote.remote_id]["invoiceItems"]]
    assert "۳ عدد" in fake.invoices[remote.remote_id]["invoiceItems"][0]["description"]
    assert (ROUNDING_ITEM in names) == (expected == 1_235)


def test_an_earlier_attempt_is_found_through_the_listing_on_any_page(fake, provider, monkeypatch):
    """Issue 18 item 5: the spec promises neither that a reused number is refused (the fake
    takes it) nor that `search` matches numbers (the fake ignores it): the client reads every
    page of /v2/invoice/List and compares the numbers itself."""
    monkeypatch.setattr(payping, "LIST_LIMIT", 2)
    first = provider.push_invoice(sale(), "1A-000009")
    for index in range(5):
        provider.push_invoice(sale(number=f"1A-00002{index}"), f"1A-00002{index}")
    assert provider.find_invoice("1A-000009") == first
    assert provider.find_invoice("1A-000010") is None
    assert next(r.query for r in fake.requests if r.operation == "invoice.list") == [
        ("offset", "0"), ("limit", "2"), ("status", "5")]


def test_a_create_lost_after_commit_is_found_and_sent(fake, provider):
    fake.faults.drop_after_commit.next(1, operations={"invoice.create"})
    with pytest.raises(NetworkError) as caught:
        provider.push_invoice(sale(), "L-1")
    assert caught.value.maybe_committed
    found = provider.find_invoice("L-1")
    assert found.state is RemoteState.PENDING
    remote = provider.resume_push(sale(), found)
    assert remote.state is RemoteState.OPEN
    assert len(fake.invoices) == 1


def test_payment_link_then_paid(fake, provider):
    link = provider.create_payment_link(sale(), "P-1")
    assert link.url.startswith("https://api.payping.ir/v2/pay/gotoipg/")
    assert link.amount == Decimal(275_000)
    assert provider.payment_status(link.remote_id).paid is False
    fake.advance(dt.timedelta(hours=2))
    fake.pay(link.remote_id)
    status = provider.payment_status(link.remote_id)
    assert status.paid
    assert status.amount == Decimal(275_000)
    assert status.paid_at == AT + dt.timedelta(hours=2)
    with pytest.raises(InvalidStateError):
        provider.cancel_invoice(provider.get_invoice(link.remote_id), "دیر شد")


def test_overdue_invoice_can_still_be_paid(fake, provider):
    remote = provider.push_invoice(sale(), "O-1")
    fake.advance(dt.timedelta(days=4))
    assert fake.invoices[remote.remote_id]["status"] == 3
    assert provider.get_invoice(remote.remote_id).state is RemoteState.OPEN
    assert provider.payment_code(remote.remote_id)


def test_cancel_then_no_pay_code_and_delete(fake, provider):
    remote = provider.push_invoice(sale(), "C-1")
    cancelled = provider.cancel_invoice(remote, "مشتری منصرف شد")
    assert cancelled.state is RemoteState.CANCELLED
    assert fake.invoices[remote.remote_id]["canceledDateTime"] == "2026-03-01T08:00:00Z"
    with pytest.raises(ProviderValidationError):
        provider.payment_code(remote.remote_id)
    provider.delete_invoice(remote.remote_id)
    assert remote.remote_id not in fake.invoices


def test_list_invoices_holds_every_status(fake, provider):
    kept = provider.push_invoice(sale(), "F-1")
    gone = provider.push_invoice(sale(), "F-2")
    provider.cancel_invoice(gone, "x")
    assert {r["code"] for r in provider.list_invoices()} == {kept.remote_id, gone.remote_id}
    assert len(provider.list_invoices(limit=1)) == 1


def test_check_and_utc_text(provider):
    assert [r.ok for r in provider.check()] == [True]
    tehran = dt.datetime(2026, 3, 1, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=3, minutes=30)))
    assert payping.utc_text(tehran) == "2026-03-01T08:00:00Z"
    with pytest.raises(ValueError, match="aware"):
        payping.utc_text(dt.datetime(2026, 3, 1))


def test_invoice_number_is_stable_and_fits_int64():
    number = payping.invoice_number_for("1A-000042")
    assert number == payping.invoice_number_for("1A-000042")
    assert 0 < number < 2**63


toman_line = st.builds(
    InvoiceLine,
    description=st.just("کالا"),
    quantity=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(30), places=3),
    unit_price=st.integers(min_value=1, max_value=20_000_000).map(Decimal),
    tax_rate=st.sampled_from([Decimal(0), Decimal("0.10")]),
    discount=st.one_of(st.just(Discount()), st.integers(0, 100).map(Discount.percent)),
)
RULES = {"up": ROUND_CEILING, "down": ROUND_FLOOR, "half_up": ROUND_HALF_UP}


@pytest.fixture
def rounding_clients(fake):
    clients = {rule: connect(fake, toman_rounding=rule) for rule in RULES}
    yield clients
    for client in clients.values():
        client.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(toman_line, min_size=1, max_size=4), st.integers(0, 9_999),
       st.sampled_from(sorted(RULES)))
def test_amounts_are_preserved_up_to_the_chosen_rounding(rounding_clients, lines, freight, rule):
    try:
        invoice = sale(*lines, charges=(Charge("ارسال", Decimal(freight)),) if freight else ())
    except DomainValidationError:
        assume(False)
    assume(invoice.totals.payable >= 10)
    remote = rounding_clients[rule].push_invoice(invoice, f"H-{next(KEYS)}")
    expected = (invoice.totals.payable / 10).quantize(Decimal(1), rounding=RULES[rule]) * 10
    assert remote.payable == expected
    assert abs(remote.payable - invoice.totals.payable) < 10


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(toman_line.map(lambda line: InvoiceLine(
    line.description, line.quantity.to_integral_value() or Decimal(1),
    line.unit_price * 10, tax_rate=Decimal(0))), min_size=1, max_size=4))
def test_whole_toman_invoices_are_exact_under_the_refusing_rule(provider, lines):
    invoice = sale(*lines)
    remote = provider.push_invoice(invoice, f"E-{next(KEYS)}")
    assert remote.payable == invoice.totals.payable


def test_a_hang_is_a_network_error_and_a_5xx_is_retried(fake):
    fake.faults.hang_seconds = 2.0
    with connect(fake, timeout=0.3, max_retries=0) as client:
        fake.faults.hang_before_commit.next(1, operations={"invoice.list"})
        with pytest.raises(NetworkError):
            client.list_invoices()
    with connect(fake) as client:
        fake.faults.server_error.next(1, operations={"invoice.get"})
        remote = client.push_invoice(sale(), "R-1")
    assert remote.state is RemoteState.OPEN
    assert [r.status for r in fake.requests if r.operation == "invoice.get"] == [503, 200]


def test_registry_builds_the_client_from_stored_settings(fake):
    from posapp.providers import registry

    config = registry.config_class("payping").from_mapping({
        "base_url": fake.base_url, "field_naming": "seed", "toman_rounding": "up", "due_days": "5"})
    assert (config.field_naming, config.toman_rounding, config.due_days) == ("seed", "up", 5)
    with registry.create_provider("payping", config, {"token": fake.token}) as client:
        assert [r.ok for r in client.check()] == [True]
    with pytest.raises(AuthenticationError, match="configure payping"):
        registry.create_provider("payping", config, {})
    with pytest.raises(ValueError):
        payping.PayPingProvider(payping.PayPingConfig(toman_rounding="sideways"), {"token": "t"})


def test_only_drafts_and_cancelled_invoices_can_be_deleted(fake, provider):
    remote = provider.push_invoice(sale(), "X-1")
    with pytest.raises(ProviderValidationError):
        provider.delete_invoice(remote.remote_id)
    with pytest.raises(RemoteNotFoundError):
        provider.delete_invoice("missing")
    assert remote.remote_id in fake.invoices


def test_a_customer_search_the_server_ignores_never_bills_someone_else(fake, provider, monkeypatch):
    monkeypatch.setattr(payping, "LIST_LIMIT", 2)
    for index in range(5):
        fake.add_customer(f"مشتری {index}", "نمونه", phone=f"0935000000{index}")
    remote = provider.push_invoice(sale(buyer=BUYER), "B-9")
    billed = fake.invoices[remote.remote_id]["billToes"][0]["addressBook"]
    assert billed["phone"] == BUYER.mobile
    assert provider.customer_code_for(BUYER) == billed["code"]
    assert len(fake.customers) == 6
