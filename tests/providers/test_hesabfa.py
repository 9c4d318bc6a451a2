"""Hesabfa client against the strict Hesabfa fake: upsert, payments, links, receipts, errors, limits."""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest

from posapp.domain.invoice import (
    Charge,
    ChargeKind,
    Discount,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
    issue,
    make_return,
)
from posapp.providers import hesabfa as hesabfa_module
from posapp.providers.base import RemoteState, to_decimal
from posapp.providers.errors import (
    AuthenticationError,
    MalformedResponseError,
    NetworkError,
    ProviderError,
    ProviderValidationError,
    RateLimitedError,
    RemoteNotFoundError,
    ServerError,
)
from posapp.providers.hesabfa import HesabfaConfig, HesabfaProvider
from posapp.providers.hesabfa_mapping import InvoiceType
from posapp.providers.http import ClientConfig, HttpClient
from tests.fakes.hesabfa import HesabfaFake
from tests.providers.conftest import ISSUED_AT, line, make_hesabfa, sale

BUYER = Party(name="سعید محمدی", national_id="0012345679", mobile="09121234567")


def phone_sale(number: str = "1A-000001", **fields):
    # The seed's example: one phone at 100000 with 9000 tax → 109000.
    return sale(line("Galaxy J7 گوشی سامسونگ", "1", "100000", tax="0.09", code="0000001"), number=number, **fields)


def test_push_invoice_saves_contact_items_and_exact_amounts(hesabfa, hesabfa_fake):
    remote = hesabfa.push_invoice(phone_sale(), "1A-000001")
    assert remote.payable == Decimal(109000)
    assert remote.state is RemoteState.OPEN
    stored = hesabfa_fake.by_reference("1A-000001")
    assert stored["InvoiceItems"][0]["Tax"] == Decimal(9000)
    assert stored["ContactTitle"] == "مشتری گذری"
    assert "0000001" in hesabfa_fake.items
    body = next(r for r in hesabfa_fake.requests if r.operation == "invoice/save").json()
    assert body["apiKey"] == hesabfa_fake.api_key
    assert body["loginToken"] == hesabfa_fake.login_token
    item = body["invoice"]["invoiceItems"][0]
    assert (item["tax"], item["discount"], item["unitPrice"]) == (9000, 0, 100000)
    assert body["invoice"]["date"] == "2026-11-23 13:00:00"  # 09:30 UTC in Tehran


def test_sum_and_payable_arriving_as_strings_are_read_exactly(hesabfa, hesabfa_fake):
    hesabfa.push_invoice(phone_sale(), "1A-000001")
    raw = hesabfa.get_invoice(hesabfa.push_invoice(phone_sale("1A-000002"), "1A-000002").remote_id)
    assert raw["Sum"] == "109000"
    assert raw["Payable"] == "109000"
    assert to_decimal("1,090.50", provider="hesabfa", field_name="x") == Decimal("1090.50")
    with pytest.raises(MalformedResponseError):
        to_decimal("abc", provider="hesabfa", field_name="Payable")


def test_save_upserts_by_number(hesabfa, hesabfa_fake):
    remote = hesabfa.push_invoice(phone_sale(), "1A-000001")
    changed = sale(line("Galaxy J7 گوشی سامسونگ", "2", "100000", tax="0.09", code="0000001"), number="1A-000001")
    payload = hesabfa_module.invoice_payload(
        changed, contact_code=hesabfa._walk_in_contact(), contact_title="",
        item_codes=hesabfa._item_codes(changed), invoice_type=InvoiceType.SALE, status=2)
    saved = hesabfa.save_invoice({**payload, "number": int(remote.remote_id)})
    assert saved["Payable"] == "218000"
    assert len(hesabfa_fake.invoices) == 1


def test_hesabfa_numbers_the_invoice_and_posapps_number_is_the_reference(hesabfa, hesabfa_fake):
    """Issue 18 item 1: Hesabfa's numbers are numeric; posapp's goes in `reference`."""
    first = hesabfa.push_invoice(phone_sale(), "1A-000001")
    second = hesabfa.push_invoice(phone_sale("1A-000002"), "1A-000002")
    assert (first.remote_id, second.remote_id) == ("1001", "1002")
    assert (first.key, second.key) == ("1A-000001", "1A-000002")
    body = next(r for r in hesabfa_fake.requests if r.operation == "invoice/save").json()
    assert "number" not in body["invoice"]
    assert body["invoice"]["reference"] == "1A-000001"
    assert body["invoice"]["status"] == 2  # approved in the seed's status table, as its examples send
    with pytest.raises(ProviderValidationError) as caught:
        hesabfa.call("invoice/get", {"type": 0, "number": "1A-000001"})
    assert caught.value.code == 114


def test_an_earlier_attempt_is_found_by_reference_even_when_filters_are_ignored(hesabfa, hesabfa_fake,
                                                                                monkeypatch):
    """The fake ignores the listing's Filters (the seed has none): every row is compared here,
    across pages, and "some row came back" is never taken as "found"."""
    monkeypatch.setattr(hesabfa_module, "PAGE_SIZE", 2)
    for index in range(1, 6):
        hesabfa.push_invoice(phone_sale(f"1A-00000{index}"), f"1A-00000{index}")
    assert hesabfa.find_invoice("1A-000005").remote_id == "1005"
    assert hesabfa.find_invoice("1A-000009") is None


def test_find_and_payment_status(hesabfa):
    assert hesabfa.find_invoice("1A-000001") is None
    remote = hesabfa.push_invoice(phone_sale(), "1A-000001")
    assert hesabfa.find_invoice("1A-000001") == remote
    status = hesabfa.payment_status(remote.remote_id)
    assert not status.paid
    assert status.amount == 0
    with pytest.raises(RemoteNotFoundError):
        hesabfa.payment_status("9999")


def test_buyer_becomes_a_contact_found_again_by_national_id(hesabfa, hesabfa_fake):
    hesabfa.push_invoice(phone_sale(buyer=BUYER), "1A-000001")
    hesabfa.push_invoice(phone_sale("1A-000002", buyer=BUYER), "1A-000002")
    contacts = [c for c in hesabfa_fake.contacts.values() if c["Name"] == BUYER.name]
    assert len(contacts) == 1
    assert contacts[0]["Mobile"] == "09121234567"
    assert hesabfa_fake.by_reference("1A-000002")["ContactCode"] == contacts[0]["Code"]


def test_lines_without_product_code_use_the_generic_item(hesabfa, hesabfa_fake):
    invoice = sale(line("خدمات نصب", "1", "50000"), line("کابل", "3", "20000", discount=Discount.percent(10)),
                   invoice_discount=Discount.amount(1000))
    remote = hesabfa.push_invoice(invoice, "1A-000001")
    assert remote.payable == invoice.totals.payable
    codes = {i["ItemCode"] for i in hesabfa_fake.by_reference("1A-000001")["InvoiceItems"]}
    assert len(codes) == 1
    assert len(hesabfa_fake.items) == 1


def test_charges_go_as_freight_and_others(hesabfa, hesabfa_fake):
    invoice = phone_sale(charges=(Charge("ارسال", Decimal(20000), kind=ChargeKind.FREIGHT),
                                  Charge("تخفیف ویژه", Decimal(5000), is_deduction=True)))
    remote = hesabfa.push_invoice(invoice, "1A-000001")
    assert remote.payable == invoice.totals.payable == Decimal(124000)
    stored = hesabfa_fake.by_reference("1A-000001")
    assert stored["Freight"] == Decimal(20000)
    assert stored["Others"] == [{"Title": "تخفیف ویژه", "Amount": Decimal(5000), "Add": False}]


def test_weighed_quantity_keeps_every_rial(hesabfa, hesabfa_fake):
    invoice = sale(line("پنیر", "0.333", "1001", tax="0.10", code="0000009"))
    remote = hesabfa.push_invoice(invoice, "1A-000001")
    assert remote.payable == invoice.totals.payable


def test_payments_go_to_cash_or_bank_and_settle_the_invoice(hesabfa, hesabfa_fake):
    remote = hesabfa.push_invoice(phone_sale(), "1A-000001")
    hesabfa.record_payment(remote, Payment(PaymentMethod.CASH, Decimal(9000)), "P-1")
    hesabfa.record_payment(remote, Payment(PaymentMethod.CARD, Decimal(100000), "trace-77"), "P-2")
    hesabfa.record_payment(remote, Payment(PaymentMethod.CREDIT, Decimal(5000)), "P-3")
    assert [r["Transactions"][0]["Type"] for r in hesabfa_fake.receipts] == ["1", "3"]
    assert hesabfa_fake.receipts[1]["Transactions"][0]["Reference"] == "trace-77"
    status = hesabfa.payment_status(remote.remote_id)
    assert status.paid
    assert status.amount == Decimal(109000)
    assert hesabfa.find_invoice("1A-000001").state is RemoteState.PAID
    with pytest.raises(ProviderValidationError) as caught:
        hesabfa.record_payment(remote, Payment(PaymentMethod.CASH, Decimal(1)), "P-4")
    assert caught.value.code == 190


def test_received_amount_is_what_hesabfa_holds_as_paid(hesabfa, hesabfa_fake):
    remote = hesabfa.push_invoice(phone_sale(), "1A-000001")
    assert hesabfa.received_amount(remote) == 0
    hesabfa.record_payment(remote, Payment(PaymentMethod.CASH, Decimal(9000)), "P-1")
    assert hesabfa.received_amount(remote) == Decimal(9000)
    with pytest.raises(RemoteNotFoundError):
        hesabfa.received_amount(dataclasses.replace(remote, remote_id="1099"))


def test_payment_is_not_resent_when_it_may_have_landed(hesabfa, hesabfa_fake):
    remote = hesabfa.push_invoice(phone_sale(), "1A-000001")
    hesabfa_fake.faults.drop_after_commit.next(1, operations={"invoice/savepayment"})
    with pytest.raises(NetworkError) as caught:
        hesabfa.record_payment(remote, Payment(PaymentMethod.CASH, Decimal(9000)), "P-1")
    assert caught.value.maybe_committed
    assert len(hesabfa_fake.receipts) == 1


def test_save_is_never_resent_blindly_and_the_lookup_finds_it(hesabfa, hesabfa_fake):
    """Without a number of its own a resent save would make a second invoice: the client stops,
    and the lookup by reference (the engine's, when unsure) finds the one that landed."""
    hesabfa_fake.faults.drop_after_commit.next(1, operations={"invoice/save"})
    with pytest.raises(NetworkError) as caught:
        hesabfa.push_invoice(phone_sale(), "1A-000001")
    assert caught.value.maybe_committed
    assert hesabfa_fake.count("invoice/save") == 1
    found = hesabfa.find_invoice("1A-000001")
    assert found.payable == Decimal(109000)
    assert len(hesabfa_fake.invoices) == 1


def test_payment_source_must_be_one_known_account(hesabfa_fake):
    with make_hesabfa(hesabfa_fake, bank_code="9999") as client:
        remote = client.push_invoice(phone_sale(), "1A-000001")
        with pytest.raises(RemoteNotFoundError):
            client.record_payment(remote, Payment(PaymentMethod.CARD, Decimal(1000)), "P-1")
        with pytest.raises(ProviderValidationError):
            client.save_payment(remote.remote_id, Decimal(1000), when=ISSUED_AT, bank_code="0001", cash_code="0001")
        with pytest.raises(ProviderValidationError) as caught:
            client.save_payment(remote.remote_id, Decimal(1000), when=ISSUED_AT, bank_code="0002")
        assert caught.value.code == 190  # a USD bank for a Rial invoice


def test_cancel_deletes_and_is_idempotent(hesabfa, hesabfa_fake):
    remote = hesabfa.push_invoice(phone_sale(), "1A-000001")
    assert hesabfa.cancel_invoice(remote, "اشتباه").state is RemoteState.CANCELLED
    assert hesabfa.cancel_invoice(remote, "اشتباه").state is RemoteState.CANCELLED
    assert hesabfa_fake.invoices == {}
    paid = hesabfa.push_invoice(phone_sale("1A-000002"), "1A-000002")
    hesabfa.record_payment(paid, Payment(PaymentMethod.CASH, Decimal(1000)), "P-1")
    # no document says Hesabfa refuses a delete once there are receipts: the fake takes it, and
    # the receipts go with the invoice (the sync engine asks received_amount before cancelling)
    assert hesabfa.received_amount(paid) == Decimal(1000)
    assert hesabfa.cancel_invoice(paid, "دیر").state is RemoteState.CANCELLED
    assert hesabfa_fake.invoices == {}


def test_return_is_a_sales_return_invoice_referencing_the_original(hesabfa, hesabfa_fake):
    original = sale(line("کابل", "3", "20000", code="0000005"))
    remote = hesabfa.push_invoice(original, "1A-000001")
    returned = issue(make_return(original, {0: Decimal(1)}), "1A-000002", at=ISSUED_AT)
    result = hesabfa.push_return(returned, remote, "1A-000002")
    stored = hesabfa_fake.by_reference("1A-000002", InvoiceType.SALE_RETURN)
    assert "1A-000001" in stored["Note"]
    assert stored["Returned"] is True
    assert hesabfa.find_invoice("1A-000002").remote_id == stored["Number"]
    assert result.payable == returned.totals.payable == Decimal(22000)


def test_online_invoice_link(hesabfa, hesabfa_fake):
    link = hesabfa.create_payment_link(phone_sale(), "1A-000001")
    assert link.url.startswith("https://app.hesabfa.com/public/invoice?token=")
    assert link.amount == Decimal(109000)
    hesabfa_fake.online_gateway = False
    with pytest.raises(ProviderValidationError) as caught:
        hesabfa.online_invoice_url(link.remote_id)
    assert caught.value.code == 190
    assert "درگاه" in caught.value.message_fa


def test_lists_a_page_of_invoices(hesabfa):
    hesabfa.push_invoice(phone_sale(), "1A-000001")
    hesabfa.push_invoice(phone_sale("1A-000002"), "1A-000002")
    page = hesabfa.list_invoices(take=1)
    assert page["TotalCount"] == 2
    assert len(page["List"]) == 1
    assert "InvoiceItems" not in page["List"][0]


def test_pull_customers_and_products_page_through_everything(hesabfa, monkeypatch):
    monkeypatch.setattr(hesabfa_module, "PAGE_SIZE", 2)
    for index in range(5):
        hesabfa.save_item({"Name": f"کالا {index}", "SellPrice": 1000 * (index + 1), "Barcode": f"62600{index}"})
        hesabfa.save_contact({"Name": f"شخص {index}", "ContactType": 2 if index == 0 else 1})
    products = list(hesabfa.pull_products())
    customers = list(hesabfa.pull_customers())
    assert [p.price for p in products] == [Decimal(1000 * (i + 1)) for i in range(5)]
    assert products[0].barcode == "626000"
    assert len(customers) == 5
    assert customers[0].kind is PartyKind.LEGAL


def test_owner_password_login(hesabfa_fake):
    with make_hesabfa(hesabfa_fake, login="password") as client:
        assert client.push_invoice(phone_sale(), "1A-000001").payable == Decimal(109000)
    body = hesabfa_fake.requests[-1].json()
    assert body["userId"] == hesabfa_fake.user_id
    assert "loginToken" not in body
    with pytest.raises(AuthenticationError):
        HesabfaProvider(HesabfaConfig(), {"api_key": "k"})


@pytest.mark.parametrize(("change", "code"), [
    ({"api_key": ""}, 113), ({"api_key": "wrong"}, 107), ({"loginToken": "wrong"}, 106),
])
def test_credential_errors(hesabfa, change, code):
    if "api_key" in change:
        hesabfa._credentials["apiKey"] = change["api_key"]
    else:
        hesabfa._credentials["loginToken"] = change["loginToken"]
    with pytest.raises(AuthenticationError) as caught:
        hesabfa.find_invoice("1")
    assert caught.value.code == code
    assert caught.value.message_fa


def test_disabled_or_expired_business(hesabfa, hesabfa_fake):
    hesabfa_fake.api_enabled = False
    with pytest.raises(AuthenticationError) as caught:
        hesabfa.list_contacts()
    assert caught.value.code == 105
    hesabfa_fake.api_enabled, hesabfa_fake.expired = True, True
    with pytest.raises(AuthenticationError) as caught:
        hesabfa.list_contacts()
    assert caught.value.code == 108


def test_parameter_errors(hesabfa):
    with pytest.raises(ProviderValidationError) as caught:
        hesabfa.call("invoice/get", {"type": 0})
    assert caught.value.code == 104
    assert "number" in caught.value.message_en
    with pytest.raises(ProviderValidationError) as caught:
        hesabfa.call("invoice/get", {"type": 9, "number": "1"})
    assert caught.value.code == 114
    with pytest.raises(RemoteNotFoundError) as caught:
        hesabfa.delete_invoice("404")
    assert caught.value.code == 112
    with pytest.raises(RemoteNotFoundError):
        hesabfa.save_invoice({"date": "2026-11-23", "dueDate": "2026-11-23", "contactCode": "none",
                              "invoiceType": 0, "invoiceItems": []})


@pytest.mark.parametrize(("code", "kind", "attempts"), [
    (100, ServerError, 4), (109, ProviderValidationError, 1), (110, ProviderValidationError, 1), (111, ProviderValidationError, 1),
])
def test_codes_no_input_provokes_come_back_typed(hesabfa, hesabfa_fake, code, kind, attempts):
    hesabfa_fake.forced_errors["invoice/getinvoices"] = [code] * 4
    with pytest.raises(kind) as caught:
        hesabfa.list_invoices()
    assert caught.value.code == code
    assert hesabfa_fake.count("invoice/getinvoices") == attempts  # only the internal error is retried


def test_the_fake_takes_wrapped_bodies_and_only_post(hesabfa_fake):
    with httpx.Client(base_url=hesabfa_fake.base_url) as http:
        wrapped = http.post("/v1/contact/getcontacts", json={"data": {
            "apiKey": hesabfa_fake.api_key, "loginToken": hesabfa_fake.login_token, "queryInfo": {"Take": 5}}})
        assert wrapped.json()["Success"] is True
        assert http.get("/v1/contact/getcontacts").status_code == 405
        garbage = http.post("/v1/contact/getcontacts", content=b"not json")
        assert garbage.json()["ErrorCode"] == 103


@pytest.mark.parametrize(("code", "kind"), [
    (100, ServerError), (101, RateLimitedError), (103, ProviderValidationError), (104, ProviderValidationError),
    (105, AuthenticationError), (106, AuthenticationError), (107, AuthenticationError),
    (108, AuthenticationError), (109, ProviderValidationError), (110, ProviderValidationError), (111, ProviderValidationError),
    (112, RemoteNotFoundError), (113, AuthenticationError), (114, ProviderValidationError), (190, ProviderValidationError),
    (555, ProviderError),
])
def test_every_documented_error_code_is_typed(code, kind):
    error = hesabfa_module.hesabfa_error(code, "جزئیات", "invoice/save")
    assert type(error) is kind
    assert error.code == code
    assert "جزئیات" in error.message_fa


def test_rate_limit_is_retried_with_backoff_and_counted():
    with HesabfaFake(rate_limit=3, rate_window=0.4) as fake:
        config = HesabfaConfig(base_url=f"{fake.base_url}/v1", client_rate_limit=0)
        client_config = ClientConfig(base_url=config.base_url, max_retries=3, backoff_base=0.2, backoff_cap=0.4)
        sleeps: list[float] = []

        def sleep(seconds: float) -> None:
            sleeps.append(seconds)
            time.sleep(0.45)  # the fake's window is short; wait it out

        http = HttpClient(client_config, provider="hesabfa", sleep=sleep)
        with HesabfaProvider(config, {"api_key": fake.api_key, "login_token": fake.login_token}, http=http) as client:
            for _ in range(4):
                client.list_contacts(take=1)
        assert fake.count("contact/getcontacts") == 5  # the fourth was refused once, then retried
        assert len(sleeps) == 1
    with HesabfaFake(rate_limit=1, rate_window=30) as fake, make_hesabfa(fake) as client:
        client.list_contacts(take=1)
        with pytest.raises(RateLimitedError):
            client.list_contacts(take=1)
        assert fake.count("contact/getcontacts") == 1 + 1 + 3  # one answered, one refused, three retries


def test_client_side_limit_stays_under_hesabfas_documented_50_a_minute():
    limit = HesabfaConfig().rate_limit()
    assert limit is not None
    assert limit.burst + limit.refill_per_second * limit.per_seconds <= 50
    assert HesabfaConfig(client_rate_limit=0).rate_limit() is None


def test_check_reports_credentials_and_accounts(hesabfa_fake):
    with make_hesabfa(hesabfa_fake) as client:
        assert all(result.ok for result in client.check())
    with make_hesabfa(hesabfa_fake, cash_code="") as client:
        client._credentials["apiKey"] = "wrong"
        results = {r.name: r for r in client.check()}
    assert not results["credentials"].ok
    assert not results["cash_code"].ok
    assert not results["bank_code"].ok  # nothing can be read with a wrong key


def test_check_proves_the_cash_box_and_bank_exist_in_the_invoices_currency(hesabfa_fake):
    with make_hesabfa(hesabfa_fake) as client:
        results = {r.name: r for r in client.check()}
    assert results["cash_code"].message_en == "cash box code for cash payments: 0001 (صندوق فروشگاه)"
    assert results["bank_code"].message_fa == "کد بانک برای کارت و پیوند پرداخت: 0001 (بانک ملت)"
    # set, but naming nothing Hesabfa holds; a bank in dollars; a code without its leading zeros
    with make_hesabfa(hesabfa_fake, cash_code="0009", bank_code="0002") as client:
        results = {r.name: r for r in client.check()}
    assert results["credentials"].ok
    assert results["invoices"].ok
    assert not results["cash_code"].ok
    assert not results["bank_code"].ok
    assert results["cash_code"].message_en == (
        "cash box code for cash payments (cash_code) = 0009 is not in Hesabfa or not in IRR; "
        "choose one of: 0001 (صندوق فروشگاه)")
    assert results["bank_code"].message_en.endswith("= 0002 is not in Hesabfa or not in IRR; choose one of: 0001 (بانک ملت)")
    assert results["bank_code"].message_fa == (
        "«کد بانک برای کارت و پیوند پرداخت» = 0002 در حسابفا نیست یا واحد پولش IRR نیست؛ "
        "یکی از این‌ها را بگذارید: 0001 (بانک ملت)")
    with make_hesabfa(hesabfa_fake, bank_code="1", cash_code="") as client:
        results = {r.name: r for r in client.check()}
    assert not results["bank_code"].ok
    assert results["cash_code"].message_en == (
        "cash box code for cash payments (cash_code) is not set; choose one of: 0001 (صندوق فروشگاه)")
    # what the check promises is what a receipt meets: the dollar bank is refused there too
    with make_hesabfa(hesabfa_fake, bank_code="0002") as client:
        remote = client.push_invoice(phone_sale(), "1A-000001")
        with pytest.raises(ProviderError):
            client.record_payment(remote, Payment(PaymentMethod.CARD, Decimal(9000), reference="R-1"), "P-1")


def test_check_proves_a_set_project_is_one_of_hesabfas(hesabfa_fake):
    with make_hesabfa(hesabfa_fake) as client:
        assert "project" not in {r.name for r in client.check()}  # none set: invoices carry none
    with make_hesabfa(hesabfa_fake, project="پروژه یک") as client:
        line = {r.name: r for r in client.check()}["project"]
        assert line.ok
        assert line.message_en == "project: پروژه یک (12)"
        client.push_invoice(phone_sale(), "1A-000001")
    with make_hesabfa(hesabfa_fake, project="پروژه دو") as client:
        line = {r.name: r for r in client.check()}["project"]
        assert not line.ok
        assert line.message_en == "project (project) = پروژه دو is not in Hesabfa; choose one of: پروژه یک (12)"
        assert line.message_fa == "«پروژه» = پروژه دو در حسابفا نیست؛ یکی از این‌ها را بگذارید: پروژه یک (12)"
        with pytest.raises(RemoteNotFoundError):  # what the line warns of
            client.push_invoice(phone_sale("1A-000002"), "1A-000002")


def test_check_reads_the_accounts_once_each_with_only_the_credentials(hesabfa_fake):
    with make_hesabfa(hesabfa_fake) as client:
        client.check()
    assert hesabfa_fake.count("setting/getbanks") == 1
    assert hesabfa_fake.count("setting/getcashes") == 1
    body = next(r for r in hesabfa_fake.requests if r.operation == "setting/getbanks").json()
    assert set(body) == {"apiKey", "loginToken"}


def test_cash_receipts_carry_a_dash_and_the_date_the_money_was_taken(hesabfa, hesabfa_fake):
    """Issue 18 item 2: `transactionNumber` may not be empty; the seed's `date` is the
    transaction's date, not the moment the receipt is sent."""
    remote = hesabfa.push_invoice(phone_sale(), "1A-000001")
    taken = datetime(2025, 12, 13, 8, 15, tzinfo=UTC)
    hesabfa.record_payment(remote, Payment(PaymentMethod.CASH, Decimal(9000), recorded_at=taken), "P-1")
    body = next(r for r in hesabfa_fake.requests if r.operation == "invoice/savepayment").json()
    assert body["transactionNumber"] == "-"
    assert body["date"] == "2025-12-13 11:45:00"  # 08:15 UTC in Tehran
    assert body["number"] == 1001


def test_a_dropped_contact_answer_never_makes_a_second_contact(hesabfa, hesabfa_fake):
    hesabfa_fake.faults.drop_after_commit.next(1, operations={"contact/save"})
    hesabfa.push_invoice(phone_sale(buyer=BUYER), "1A-000001")
    hesabfa.push_invoice(phone_sale("1A-000002", buyer=BUYER), "1A-000002")
    assert [c["Name"] for c in hesabfa_fake.contacts.values()].count(BUYER.name) == 1
    assert hesabfa_fake.count("contact/save") <= 2  # the resend edits the same code


def test_a_contact_search_whose_filter_is_ignored_never_picks_someone_else(hesabfa, hesabfa_fake):
    hesabfa.save_contact({"Name": "دیگری", "Mobile": "09350000000", "NationalCode": "1111111111"})
    hesabfa.push_invoice(phone_sale(buyer=BUYER), "1A-000001")
    assert hesabfa_fake.contacts[hesabfa_fake.by_reference("1A-000001")["ContactCode"]]["Name"] == BUYER.name


def test_lanes_sending_at_once_create_one_walk_in_contact(hesabfa_fake):
    """Four lanes, each with its own client, send walk-in sales at the same moment: the walk-in
    contact has one fixed code, so a save racing another edits the same contact."""
    hesabfa_fake.faults.latency.sometimes(1.0)
    numbers = [f"1A-00000{index}" for index in range(1, 5)]
    start = threading.Barrier(len(numbers))

    def send(number: str) -> None:
        with make_hesabfa(hesabfa_fake) as lane:
            start.wait()
            lane.push_invoice(phone_sale(number), number)

    with ThreadPoolExecutor(len(numbers)) as pool:
        list(pool.map(send, numbers))
    walk_ins = [c for c in hesabfa_fake.contacts.values() if c["Name"] == hesabfa_module.WALK_IN_NAME]
    assert len(walk_ins) == 1
