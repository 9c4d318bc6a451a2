"""Sepidar client against the Sepidar fake: handshake, signing, versions, customers, invoices."""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import io
import itertools
import json
import uuid
from decimal import Decimal

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from posapp.cli import provider as cli
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
from posapp.providers import sepidar, sepidar_mapping
from posapp.providers.errors import (
    AuthenticationError,
    MalformedResponseError,
    ProviderValidationError,
    RemoteNotFoundError,
)
from posapp.providers.http import json_number
from posapp.settings.providers import build_provider, save_config
from posapp.settings.secrets import set_secret
from posapp.settings.store import SettingsStore
from tests.fakes.sepidar import DuplicateGuidAnswer, SepidarFake

SERIAL = "10017ff3"
PASSWORD = "رمز-فروشگاه"
AT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
KEYS = itertools.count(1)


@pytest.fixture(scope="module")
def key_pairs() -> list[rsa.RSAPrivateKey]:
    """Generated once: RSA generation is the slow part of a Sepidar test."""
    return [rsa.generate_private_key(public_exponent=65537, key_size=1024) for _ in range(2)]


def make_fake(key_pairs, **options) -> SepidarFake:
    fake = SepidarFake(key_pairs, **options)
    fake.add_device(SERIAL, "صندوق ۱")
    fake.add_user("cashier", PASSWORD, devices=[1001])
    return fake


@pytest.fixture
def fake(key_pairs):
    with make_fake(key_pairs) as server:
        yield server


class Keyring:
    """Stands in for the OS keyring sink: remembers what the client asked to store."""

    def __init__(self) -> None:
        self.device_key = ""

    def __call__(self, name: str, value: str) -> None:
        assert name == "device_key"
        self.device_key = value


def client(fake, keyring=None, *, serial=SERIAL, password=PASSWORD, device_key="", **config):
    options = {"base_url": fake.base_url, "username": "cashier", "walk_in_customer_ref":
               fake.walk_in["CustomerID"], "bank_account_id": 1, "max_retries": 2, **config}
    provider = sepidar.SepidarProvider(
        sepidar.SepidarConfig(**options),
        {"serial": serial, "password": password, "device_key": device_key},
        on_secret=keyring or Keyring(), today=lambda: dt.date(2026, 3, 10))
    provider._http._sleep = lambda seconds: None
    return provider


@pytest.fixture
def keyring():
    return Keyring()


@pytest.fixture
def provider(fake, keyring):
    with client(fake, keyring) as connected:
        yield connected


def sale(*lines: InvoiceLine, buyer: Party | None = None, number: str = "1A-000001",
         **changes) -> Invoice:
    lines = lines or (InvoiceLine("چای", Decimal(2), Decimal(1_250_000), product_code="1001",
                                  tax_rate=Decimal("0.10")),)
    return issue(Invoice(seller=Party("فروشگاه"), lines=lines, buyer=buyer, **changes), number, AT)


# -- handshake ---------------------------------------------------------------------------------


def test_full_handshake(fake, provider, keyring):
    assert provider.is_authorized() is True
    assert [r.operation for r in fake.requests] == [
        "GenerationVersion", "Register", "Login", "IsAuthorized"]
    assert provider.generation_version == 101
    assert fake.devices[1001].registered
    stored = json.loads(keyring.device_key)
    assert stored["serial"] == SERIAL
    assert stored["key"].startswith("<RSAKeyValue>")
    login = fake.requests[2]
    assert login.json()["PasswordHash"] == sepidar.sepidar_crypto.password_hash(PASSWORD)
    assert "Authorization" not in login.headers
    secured = fake.requests[3]
    assert secured.header("GenerationVersion") == "101"
    assert secured.header("IntegrationID") == "1001"
    assert secured.header("Authorization").startswith("Bearer ")
    assert provider.permissions["CanRegisterInvoice"] is True


def test_stored_device_key_skips_registration(fake, provider, keyring):
    provider.is_authorized()
    fake.clear_log()
    with client(fake, device_key=keyring.device_key) as again:
        assert again.is_authorized()
    assert "Register" not in [r.operation for r in fake.requests]


def test_every_request_has_a_new_arbitrary_code(fake, provider):
    for _ in range(3):
        provider.is_authorized()
    codes = [r.header("ArbitraryCode") for r in fake.requests if r.operation != "GenerationVersion"
             and r.operation != "Register"]
    assert len(set(codes)) == len(codes) == 4


def test_a_replayed_arbitrary_code_is_refused(fake, provider):
    provider.is_authorized()
    headers = dict(provider._headers(with_token=True))
    with httpx.Client(base_url=fake.base_url) as raw:
        assert raw.get("/api/IsAuthorized", headers=headers).status_code == 200
        replay = raw.get("/api/IsAuthorized", headers=headers)
    assert replay.status_code == 401
    assert replay.json() == {"Type": 0, "Message": "کد تکراری"}


def test_a_code_encrypted_under_another_key_is_refused(fake, provider, key_pairs):
    provider.is_authorized()
    headers = dict(provider._headers(with_token=True))
    other = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    headers["EncArbitraryCode"] = sepidar.sepidar_crypto.encrypt_arbitrary_code(
        other, uuid.UUID(headers["ArbitraryCode"]))
    answer = httpx.get(f"{fake.base_url}/api/IsAuthorized", headers=headers)
    assert answer.status_code == 401
    assert answer.json()["Message"] == "عدم تطابق کلید API"


def test_a_retried_read_is_signed_again_not_replayed(fake, provider):
    provider.is_authorized()
    fake.faults.drop_after_commit.next(1, operations={"Items"})
    assert len(provider.items()) == 3
    items = [r for r in fake.requests if r.operation == "Items"]
    assert len(items) == 2
    assert items[0].header("ArbitraryCode") != items[1].header("ArbitraryCode")
    assert items[1].status == 200


def test_version_mismatch_rereads_the_version(fake, provider):
    provider.is_authorized()
    fake.generation_version = 109
    assert provider.is_authorized()
    assert provider.generation_version == 109
    assert [r.status for r in fake.requests[-3:]] == [412, 200, 200]


def test_missing_version_header_is_412(fake):
    answer = httpx.get(f"{fake.base_url}/api/Items")
    assert answer.status_code == 412
    assert answer.json()["Message"] == "عدم انطباق نسخه دستگاه و سپیدار"


def test_reregistration_after_a_new_serial(fake, provider, keyring, key_pairs):
    provider.is_authorized()
    first_key = json.loads(keyring.device_key)["key"]
    new_serial = fake.regenerate_serial(1001)
    assert new_serial != SERIAL
    with pytest.raises(AuthenticationError):
        provider.is_authorized()
    with client(fake, keyring, serial=new_serial, device_key=keyring.device_key) as renewed:
        assert renewed.is_authorized()
    stored = json.loads(keyring.device_key)
    assert stored["serial"] == new_serial
    assert stored["key"] != first_key


def test_the_fake_never_issues_a_serial_twice_and_its_serials_follow_its_seed(key_pairs):
    """A repeated serial would keep the old key valid and fail the re-registration test at
    random (one run in 65,536 when the fake drew serials from the OS)."""
    with make_fake(key_pairs, seed=5) as one, make_fake(key_pairs, seed=5) as other:
        serials = [one.regenerate_serial(1001) for _ in range(300)]
        assert [other.regenerate_serial(1001) for _ in range(300)] == serials
    assert len(set(serials)) == 300
    assert SERIAL not in serials


def test_registering_a_registered_serial_without_its_key(fake, provider):
    provider.is_authorized()
    with client(fake) as stranger, pytest.raises(AuthenticationError) as caught:
        stranger.is_authorized()
    assert "سریال تازه" in caught.value.message_fa


@pytest.mark.parametrize(("serial", "expected"), [("20017ff3", "نمی‌شناسد"),
                                                  ("10017ff4", "عدم تطابق")])
def test_unknown_or_wrong_serial(fake, serial, expected):
    with client(fake, serial=serial) as wrong, pytest.raises(AuthenticationError) as caught:
        wrong.is_authorized()
    assert expected in caught.value.message_fa


def test_bad_serial_and_missing_secrets_are_refused_up_front(fake):
    with pytest.raises(AuthenticationError):
        client(fake, serial="12")
    with pytest.raises(AuthenticationError, match="configure sepidar"):
        client(fake, password="")


@pytest.mark.parametrize("case", ["password", "inactive", "unknown", "other-device"])
def test_login_errors(fake, case):
    if case == "inactive":
        fake.add_user("cashier", PASSWORD, devices=[1001], active=False)
    if case == "other-device":
        fake.add_user("cashier", PASSWORD, devices=[])
    options = {"password": "wrong"} if case == "password" else {}
    username = "nobody" if case == "unknown" else "cashier"
    with client(fake, username=username, **options) as refused, \
            pytest.raises(AuthenticationError):
        refused.is_authorized()


def test_permission_flags_and_a_permission_change(fake, provider):
    fake.add_user("cashier", PASSWORD, devices=[1001], CanRegisterInvoice=False)
    with pytest.raises(AuthenticationError) as caught:
        provider.push_invoice(sale(), "P-1")
    assert caught.value.status == 403
    fake.change_permissions("cashier", CanRegisterInvoice=True)
    remote = provider.push_invoice(sale(), "P-1")
    assert remote.payable == Decimal(2_750_000)
    assert [r.operation for r in fake.requests].count("Login") == 2


def provider_key(fake) -> str:
    """The keyring value a registered client would have stored for the fake's device."""
    key = fake.devices[1001].private_key.public_key()
    return json.dumps({"serial": SERIAL, "key": sepidar.sepidar_crypto.dotnet_rsa_key_xml(key)})


SETUP_CHECKS = ["currency_ref", "sale_type_ref", "stock_ref", "bank_account_id", "walk_in_customer_ref"]


def test_check_walks_every_step(fake, provider):
    results = provider.check()
    assert [(r.name, r.ok) for r in results] == [
        ("version", True), ("device", True), ("login", True), ("authorized", True),
        *((name, True) for name in SETUP_CHECKS)]
    said = {r.name: r.message_en for r in results}
    assert said["currency_ref"] == "CurrencyRef of the Rial: 1 (ریال)"
    assert said["bank_account_id"] == "BankAccountID receipts go to: 1 (ملت مرکزی)"
    assert said["walk_in_customer_ref"].endswith("(مشتری گذری)")
    with client(fake, password="wrong", device_key=provider_key(fake)) as refused:
        assert [(r.name, r.ok) for r in refused.check()] == [
            ("version", True), ("device", True), ("login", False)]


# -- lookups and customers -----------------------------------------------------------------------


def test_check_names_each_wrong_id_and_the_ones_to_choose_from(fake):
    """Issue 20: an id in the settings that Sepidar lacks is found by `posapp provider check`,
    not by the first sale the sync sends."""
    fake.stocks[0]["IsActive"] = False
    with client(fake, currency_ref=7, sale_type_ref=3, walk_in_customer_ref=999,
                bank_account_id=0) as wrong:
        results = {r.name: r for r in wrong.check()}
    assert [name for name in SETUP_CHECKS if results[name].ok] == []
    assert results["currency_ref"].message_en == (
        "CurrencyRef of the Rial (currency_ref) = 7 is not in Sepidar or not in use; choose one of: 1 (ریال)")
    assert "«شناسه ارز (ریال)» = 7 در سپیدار نیست" in results["currency_ref"].message_fa
    assert results["sale_type_ref"].message_en.endswith("choose one of: 1 (فروش داخلی), 2 (فروش صادراتی)")
    assert results["stock_ref"].message_en.endswith("= 1 is not in Sepidar or not in use; choose one of: -")
    assert results["bank_account_id"].message_en == (
        "BankAccountID receipts go to (bank_account_id) is not set; choose one of: 1 (ملت مرکزی)")
    assert "تعیین نشده است" in results["bank_account_id"].message_fa
    assert results["walk_in_customer_ref"].message_en.endswith("(walk_in_customer_ref) = 999 is not in Sepidar")
    assert not any(name in results for name in ("items", "invoices"))


def test_check_without_a_walk_in_customer_says_what_fails(fake):
    with client(fake, walk_in_customer_ref=0) as unset:
        (walk_in,) = [r for r in unset.check() if r.name == "walk_in_customer_ref"]
    assert not walk_in.ok
    assert "sales without a named buyer cannot be sent" in walk_in.message_en
    assert "فروش بدون نام خریدار" in walk_in.message_fa


def test_a_lookup_sepidar_refuses_fails_its_check_alone(fake, provider):
    fake.faults.server_error.next(3, operations={"Currencies"})
    results = {r.name: r for r in provider.check()}
    assert not results["currency_ref"].ok
    assert all(results[name].ok for name in SETUP_CHECKS[1:])


def test_lookups(provider):
    assert {u["Title"] for u in provider.units()} == {"عدد", "کیلوگرم"}
    assert provider.price_notes()[0]["Fee"] == 1_250_000
    products = list(provider.pull_products())
    assert [(p.code, p.price, p.unit, p.active) for p in products] == [
        ("1001", Decimal(1_250_000), "عدد", True), ("1002", Decimal(480_000), "کیلوگرم", True),
        ("9001", Decimal(9_000_000), "عدد", False)]


def test_customer_create_get_list(fake, provider):
    guid = str(uuid.uuid4())
    created = provider.create_customer({
        "GUID": guid, "CustomerType": 1, "Name": "مریم", "LastName": "رضایی",
        "Addresses": [{"CustomerAddressID": 0, "Title": "خانه", "IsMain": True, "CityRef": 1,
                       "Address": "تهران", "ZipCode": "1234567890"}]})
    assert created["GUID"] == guid
    customer_id = created["CustomerID"]
    assert provider.get_customer(customer_id)["Title"] == "مریم رضایی"
    assert customer_id in [c["CustomerID"] for c in provider.list_customers()]
    assert provider._customer_by_guid(guid) == customer_id
    with pytest.raises(RemoteNotFoundError):
        provider.get_customer(999)
    pulled = {c.remote_id: c for c in provider.pull_customers()}
    assert pulled[str(customer_id)].address == "تهران"


def test_customer_creation_needs_the_permission(fake, provider):
    fake.add_user("cashier", PASSWORD, devices=[1001], CanRegisterCustomer=False)
    with pytest.raises(AuthenticationError) as caught:
        provider.create_customer({"GUID": str(uuid.uuid4()), "CustomerType": 2, "Name": "شرکت",
                                  "LastName": "", "Addresses": []})
    assert caught.value.status == 403


def test_named_buyer_is_created_once_under_a_derived_guid(fake, provider):
    buyer = Party("شرکت نمونه", kind=PartyKind.LEGAL, national_id="10101010101")
    first = provider.push_invoice(sale(buyer=buyer, customer_id=7), "B-1")
    second = provider.push_invoice(sale(buyer=buyer, customer_id=7), "B-2")
    refs = {fake.invoices[int(r.remote_id)]["CustomerRef"] for r in (first, second)}
    assert len(refs) == 1
    customer = fake.customers[refs.pop()]
    assert customer["GUID"] == str(sepidar_mapping.customer_guid("posapp:7"))
    assert customer["CustomerType"] == 2


# -- invoices ------------------------------------------------------------------------------------


def test_push_invoice_sends_the_documented_body(fake, provider):
    invoice = sale(
        InvoiceLine("چای", Decimal(2), Decimal(1_250_000), product_code="1001",
                    tax_rate=Decimal("0.10"), discount=Discount.amount(50_000)),
        InvoiceLine("شکر", Decimal("1.5"), Decimal(480_000), product_code="1002"),
        invoice_discount=Discount.amount(10_000),
        charges=(Charge("ارسال", Decimal(40_000)), Charge("کسر", Decimal(1_000), is_deduction=True)))
    remote = provider.push_invoice(invoice, "1A-000001")
    assert remote.payable == invoice.totals.payable
    assert remote.number == "1"
    body = next(r for r in fake.requests if r.operation == "Invoices.create").json()
    assert body["GUID"] == str(sepidar_mapping.invoice_guid("1A-000001"))
    assert body["Items"][1]["Quantity"] == 1.5
    assert body["Addition"] == 40_000
    assert "Description" not in body
    stored = provider.get_invoice(int(remote.remote_id))
    assert stored["NetPrice"] == int(invoice.totals.payable)
    assert len(stored["InvoiceItems"]) == 2
    assert "RemainingAmount" not in stored
    with pytest.raises(RemoteNotFoundError):
        provider.get_invoice(999)


def test_invoice_guid_is_deterministic():
    assert sepidar_mapping.invoice_guid("1A-000001") == sepidar_mapping.invoice_guid("1A-000001")
    assert sepidar_mapping.invoice_guid("1A-000001") != sepidar_mapping.invoice_guid("1A-000002")
    assert sepidar_mapping.invoice_guid("1A-000001").version == 5


def test_unknown_product_code_is_refused_before_sending(fake, provider):
    invoice = sale(InvoiceLine("ناشناس", Decimal(1), Decimal(1000), product_code="7777"))
    with pytest.raises(ProviderValidationError) as caught:
        provider.push_invoice(invoice, "U-1")
    assert caught.value.field_errors == {"lines[0].product_code": "7777"}
    assert fake.count("Invoices.create") == 0


def test_server_side_refusals_are_validation_errors(fake, provider):
    with pytest.raises(ProviderValidationError) as caught:
        provider.push_invoice(sale(InvoiceLine("قفسه", Decimal(1), Decimal(9_000_000),
                                               product_code="9001")), "S-1")
    assert caught.value.message_fa.endswith(": کالای نامعتبر")


def test_walk_in_needs_a_configured_customer(fake):
    with client(fake, walk_in_customer_ref=0) as unconfigured, \
            pytest.raises(ProviderValidationError) as caught:
        unconfigured.push_invoice(sale(), "W-1")
    assert "buyer" in caught.value.field_errors


@pytest.mark.parametrize("answer", list(DuplicateGuidAnswer))
def test_pushing_twice_returns_the_first_invoice(key_pairs, answer):
    with make_fake(key_pairs, duplicate_guid=answer) as fake, client(fake) as provider:
        first = provider.push_invoice(sale(), "D-1")
        again = provider.push_invoice(sale(), "D-1")
        assert again == first
        assert len(fake.invoices) == 1
        assert fake.requests[-1].status == (201 if answer is DuplicateGuidAnswer.ECHO else 200)


def test_a_repeated_guid_is_recognised_by_looking_it_up_not_by_its_text(key_pairs):
    """Issue 18 item 4: the fake refuses a repeated GUID with a text no document gives; the
    client finds the first invoice by the GUID it wrote into the Description (v109)."""
    with make_fake(key_pairs, generation_version=109) as fake, client(fake) as provider:
        first = provider.push_invoice(sale(), "D-2")
        provider.push_invoice(sale(number="1A-000002"), "D-3")
        again = provider.push_invoice(sale(), "D-2")
        assert again == first
        assert len(fake.invoices) == 2
        refused = [r for r in fake.requests if r.operation == "Invoices.create"][-1]
        assert refused.status == 400


def test_a_refused_create_that_is_no_duplicate_is_reported(key_pairs):
    with make_fake(key_pairs, generation_version=109) as fake, client(fake) as provider:
        with pytest.raises(ProviderValidationError) as caught:
            provider.push_invoice(sale(InvoiceLine("قفسه", Decimal(1), Decimal(9_000_000),
                                                   product_code="9001")), "D-4")
        assert caught.value.message_fa.endswith(": کالای نامعتبر")
        assert fake.invoices == {}


def test_version_109_sends_the_required_extra_data_keys(key_pairs):
    """Issue 18 item 4: the v109 spec lists InvoiceExtraData and CustomerExtraData as required."""
    with make_fake(key_pairs, generation_version=109) as fake, client(fake) as provider:
        provider.push_invoice(sale(buyer=Party("مریم رضایی", mobile="09121234567")), "X-1")
        invoice_body = next(r for r in fake.requests if r.operation == "Invoices.create").json()
        customer_body = next(r for r in fake.requests if r.operation == "Customers.create").json()
    assert "InvoiceExtraData" in invoice_body
    assert invoice_body["InvoiceExtraData"] is None
    assert "CustomerExtraData" in customer_body


def test_lookups_never_trust_the_servers_filter(key_pairs, monkeypatch):
    """Issue 18 item 3: the fake ignores `{Property}_{OP}` filters (no document lists them), so
    every row comes back; an unsent sale is not taken as sent, and a buyer is not booked to
    whichever customer came first. Results are read page by page."""
    monkeypatch.setattr(sepidar, "PAGE_SIZE", 2)
    with make_fake(key_pairs, generation_version=109) as fake, client(fake) as provider:
        for index in range(5):
            provider.push_invoice(sale(number=f"1A-00000{index}"), f"1A-00000{index}")
        assert provider.find_invoice("1A-000099") is None
        assert provider.find_invoice("1A-000004").remote_id == "5"
        fake.add_customer("دیگری", "مشتری", code="00077")
        buyer = Party("مریم رضایی", mobile="09121234567")
        provider.push_invoice(sale(number="1A-000010", buyer=buyer), "1A-000010")
        customer = fake.customers[fake.invoices[6]["CustomerRef"]]
        assert customer["Title"] == "مریم رضایی"


def test_a_create_lost_after_commit_is_reconciled(fake, provider):
    fake.faults.drop_after_commit.next(1, operations={"Invoices.create"})
    remote = provider.push_invoice(sale(), "L-1")
    assert len(fake.invoices) == 1
    assert remote.remote_id == str(next(iter(fake.invoices)))
    assert [r.status for r in fake.requests if r.operation == "Invoices.create"] == [0, 400]


def test_paginated_filters_and_order(fake, provider):
    for index in range(3):
        provider.push_invoice(sale(InvoiceLine("چای", Decimal(index + 1), Decimal(1_250_000),
                                               product_code="1001")), f"G-{index}")
    page = provider.invoices_page(limit=2, order_by="InvoiceID", descending=True)
    assert [r["InvoiceID"] for r in page.rows] == [3, 2]
    assert page.total == 3
    assert provider.invoices_page(offset=2).rows[0]["InvoiceID"] == 3
    ignored = provider.invoices_page(filters=[sepidar.Filter("NetPrice", "Lt", 3_000_000)])
    assert ignored.total == 3  # the fake applies no filter operator: none is documented


def test_find_invoice_by_key_from_version_109(key_pairs):
    with make_fake(key_pairs, generation_version=109) as fake, client(fake) as provider:
        remote = provider.push_invoice(sale(), "1A-000042")
        assert provider.find_invoice("1A-000042") == remote
        assert provider.find_invoice("1A-000043") is None
        assert f"[{sepidar_mapping.invoice_guid('1A-000042')}]" in fake.invoices[1]["Description"]


def test_find_invoice_on_version_101_cannot_search(provider):
    provider.push_invoice(sale(), "1A-000042")
    assert provider.find_invoice("1A-000042") is None


def test_receipt_against_an_invoice(key_pairs):
    with make_fake(key_pairs, generation_version=109) as fake, client(fake) as provider:
        remote = provider.push_invoice(sale(), "R-1")
        payment = Payment(PaymentMethod.CARD, Decimal(1_000_000), "TRACE-1")
        provider.record_payment(remote, payment, "R-1/1")
        with pytest.raises(ProviderValidationError):
            provider.record_payment(remote, payment, "R-1/1")  # its GUID again: refused, not doubled
        stored = provider.get_invoice(int(remote.remote_id))
        assert stored["TotalReceivedAmount"] == 1_000_000
        assert stored["RemainingAmount"] == 1_750_000
        assert len(fake.receipts) == 1
        with pytest.raises(ProviderValidationError):
            provider.record_payment(remote, Payment(PaymentMethod.CARD, Decimal(9_000_000)), "R-1/2")
        provider.record_payment(remote, Payment(PaymentMethod.CARD, Decimal(1_750_000)), "R-1/3")
        assert provider.get_invoice(int(remote.remote_id))["RemainingAmount"] == 0
        with pytest.raises(ProviderValidationError, match="مانده"):
            provider.record_payment(remote, Payment(PaymentMethod.CARD, Decimal(1)), "R-1/4")


def test_received_amount_shows_from_version_109_only(key_pairs, provider):
    old_remote = provider.push_invoice(sale(), "R-5")
    assert provider.received_amount(old_remote) is None
    with make_fake(key_pairs, generation_version=109) as fake, client(fake) as current:
        remote = current.push_invoice(sale(), "R-6")
        assert current.received_amount(remote) == 0
        current.record_payment(remote, Payment(PaymentMethod.CARD, Decimal(1_000_000)), "R-6/1")
        assert current.received_amount(remote) == Decimal(1_000_000)


def test_receipt_needs_a_bank_account(fake):
    with client(fake, bank_account_id=0) as unconfigured:
        remote = unconfigured.push_invoice(sale(), "R-2")
        with pytest.raises(ProviderValidationError) as caught:
            unconfigured.record_payment(remote, Payment(PaymentMethod.CASH, Decimal(10)), "R-2/1")
    assert "bank_account_id" in caught.value.field_errors


amounts_line = st.builds(
    InvoiceLine,
    description=st.just("کالا"),
    quantity=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(40), places=3),
    unit_price=st.integers(min_value=1, max_value=90_000_000).map(Decimal),
    product_code=st.sampled_from(["1001", "1002"]),
    tax_rate=st.sampled_from([Decimal(0), Decimal("0.09"), Decimal("0.10")]),
    discount=st.one_of(st.just(Discount()), st.integers(0, 100).map(Discount.percent)),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(amounts_line, min_size=1, max_size=4), st.integers(0, 20_000), st.integers(0, 5_000))
def test_amounts_are_preserved_through_the_mapping(provider, lines, freight, invoice_discount):
    try:
        invoice = sale(*lines, invoice_discount=Discount.amount(invoice_discount),
                       charges=(Charge("ارسال", Decimal(freight)),) if freight else ())
    except DomainValidationError:
        assume(False)
    remote = provider.push_invoice(invoice, f"H-{next(KEYS)}")
    assert remote.payable == invoice.totals.payable


# -- fault knobs, tolerance switch, registry ------------------------------------------------------


def test_a_5xx_on_create_is_retried_with_a_fresh_signature(fake, provider):
    fake.faults.server_error.next(1, operations={"Invoices.create"})
    remote = provider.push_invoice(sale(), "X-1")
    assert remote.payable == Decimal(2_750_000)
    creates = [r for r in fake.requests if r.operation == "Invoices.create"]
    assert [r.status for r in creates] == [503, 201]
    assert len(fake.invoices) == 1


def test_a_malformed_answer_is_typed(fake, provider):
    provider.is_authorized()
    fake.faults.malformed_body.next(1, operations={"Items"})
    with pytest.raises(MalformedResponseError) as caught:
        provider.items()
    assert caught.value.maybe_committed


@pytest.mark.parametrize("tolerant", [False, True])
def test_the_text_form_of_the_code_is_accepted_only_by_the_tolerant_fake(key_pairs, tolerant):
    with make_fake(key_pairs, tolerant_arbitrary_code=tolerant) as fake, client(fake) as provider:
        provider.is_authorized()
        headers = dict(provider._headers(with_token=True))
        code = uuid.UUID(headers["ArbitraryCode"])
        public = fake.devices[1001].private_key.public_key()
        headers["EncArbitraryCode"] = base64.b64encode(
            public.encrypt(str(code).encode(), padding.PKCS1v15())).decode()
        answer = httpx.get(f"{fake.base_url}/api/IsAuthorized", headers=headers)
    assert answer.status_code == (200 if tolerant else 401)


def test_registry_builds_the_client_from_stored_settings(fake):
    from posapp.providers import registry

    config = registry.config_class("sepidar").from_mapping({
        "base_url": fake.base_url, "username": "cashier", "walk_in_customer_ref": "1",
        "duplicate_guid": "echo", "unknown_future_key": "x"})
    assert config.walk_in_customer_ref == 1
    assert {s.name for s in registry.secret_specs("sepidar")} == {"serial", "password", "device_key"}
    provider = registry.create_provider("sepidar", config, {"serial": SERIAL, "password": PASSWORD})
    with provider:
        provider._on_secret = Keyring()
        assert provider.is_authorized()


def test_the_device_key_goes_to_the_os_keyring_when_built_from_settings(fake, memory_keyring, tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    save_config(store, "sepidar", sepidar.SepidarConfig(base_url=fake.base_url, username="cashier"))
    set_secret("sepidar", "serial", SERIAL)
    set_secret("sepidar", "password", PASSWORD)
    with build_provider("sepidar", store) as provider:
        assert provider.is_authorized()
    device_key = memory_keyring.store[("posapp/sepidar", "device_key")]
    assert json.loads(device_key)["serial"] == SERIAL
    assert PASSWORD not in device_key


def raw_create(fake, provider, body):
    headers = {**provider._headers(with_token=True), "Content-Type": "application/json"}
    content = json.dumps(body, default=json_number)
    return httpx.post(f"{fake.base_url}/api/invoices/", content=content, headers=headers)


def test_documented_invoice_errors_of_the_fake(fake, provider):
    provider.is_authorized()
    body = provider.invoice_body(sale(), "E-1")
    missing_guid = raw_create(fake, provider, {**body, "GUID": ""})
    assert (missing_guid.status_code, missing_guid.json()) == (
        400, {"Type": 0, "Message": "شناسه سند نباید خالی باشد."})
    bad_parent = {**body, "Items": [{**body["Items"][0], "DiscountParentRef": 99}]}
    assert raw_create(fake, provider, bad_parent).json()["Message"] == "شناسه کالای مشمول تخفیف پیدا نشد."
    wrong_sum = {**body, "Tax": body["Tax"] + 1}
    assert raw_create(fake, provider, wrong_sum).status_code == 400
    unknown_customer = raw_create(fake, provider, {**body, "CustomerRef": 999})
    assert unknown_customer.status_code == 404
    assert fake.invoices == {}


def test_a_forged_token_is_refused(fake, provider):
    provider.is_authorized()
    headers = dict(provider._headers(with_token=True))
    header, claims, _ = headers["Authorization"].removeprefix("Bearer ").split(".")
    headers["Authorization"] = f"Bearer {header}.{claims}.forged"
    answer = httpx.get(f"{fake.base_url}/api/IsAuthorized", headers=headers)
    assert (answer.status_code, answer.json()["Message"]) == (401, "توکن نامعتبر است")


def test_configure_and_check_from_the_command_line(fake, memory_keyring):
    options = ["--base-url", fake.base_url, "--username", "cashier", "--walk-in-customer-ref", "1",
               "--bank-account-id", "1",
               "--serial-stdin", "--password-stdin", "--no-prompt"]
    configured = cli.run_configure(argparse.Namespace(name="sepidar", options=options),
                                   stdin=io.StringIO(f"{SERIAL}\n{PASSWORD}\n"), out=io.StringIO())
    assert configured == 0
    assert memory_keyring.store[("posapp/sepidar", "serial")] == SERIAL
    for _ in range(2):
        out = io.StringIO()
        assert cli.run_check(argparse.Namespace(name="sepidar"), out=out) == 0, out.getvalue()
    assert ("posapp/sepidar", "device_key") in memory_keyring.store
    assert fake.count("Register") == 1
    assert fake.count("Login") == 2
    fake.stocks[0]["IsActive"] = False
    out = io.StringIO()
    assert cli.run_check(argparse.Namespace(name="sepidar"), out=out) == 1
    printed = out.getvalue()
    assert "✗ stock_ref: «شناسه انبار» = 1 در سپیدار نیست یا فعال نیست" in printed
    assert "StockRef the goods leave from (stock_ref) = 1 is not in Sepidar or not in use" in printed
    assert "✓ currency_ref" in printed
