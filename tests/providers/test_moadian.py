"""The Moadian client and invoice mapping against the Moadian fake (tests/fakes/moadian.py), a real
HTTP server on 127.0.0.1 that decrypts, verifies and validates every invoice by the contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import (
    Discount,
    Invoice,
    InvoiceLine,
    Party,
    PartyKind,
    Payment,
    PaymentMethod,
    issue,
    make_reduction,
    make_return,
)
from posapp.domain.invoice import cancel as cancel_invoice
from posapp.domain.moadian import make_tax_id
from posapp.domain.moadian_invoice import (
    GoodsCode,
    InvoiceSubject,
    cancellation_document,
    correction_document,
    return_document,
    sale_document,
)
from posapp.providers.errors import AuthenticationError, NetworkError
from posapp.providers.moadian import (
    MoadianClient,
    MoadianConfig,
    ProcessingStatus,
    Signer,
    invoice_json,
    new_uid,
)
from tests.fakes.moadian import MoadianFake
from tests.providers.conftest import invoices

MEMORY_ID = "A111H1"
SELLER_ECONOMIC_CODE = "10101234567890"
TEA = GoodsCode("2710000138624", "1627")
RICE = GoodsCode("2720000166053", "164")
SELLER = Party(name="فروشگاه نمونه", economic_code=SELLER_ECONOMIC_CODE)


@cache
def identity(name: str) -> tuple[bytes, bytes]:
    """A private key and a certificate for it (PEM), made once per test process."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                         x509.NameAttribute(NameOID.SERIAL_NUMBER, "0012345678")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
                   .sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()),
            certificate.public_bytes(serialization.Encoding.PEM))


def public_key_of(pem: bytes) -> rsa.RSAPublicKey:
    return x509.load_pem_x509_certificate(pem).public_key()  # type: ignore[return-value]


@pytest.fixture
def fake() -> Iterator[MoadianFake]:
    with MoadianFake(in_progress_inquiries=1) as server:
        server.register(MEMORY_ID, public_key_of(identity("shop")[1]), economic_code=SELLER_ECONOMIC_CODE)
        yield server


def make_client(fake: MoadianFake, who: str = "shop") -> MoadianClient:
    key, certificate = identity(who)
    config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=5.0, max_retries=0)
    return MoadianClient(config, Signer.from_pem(key, certificate))


@pytest.fixture
def client(fake: MoadianFake) -> Iterator[MoadianClient]:
    with make_client(fake) as moadian:
        yield moadian


class Serials:
    """Tax-ID serials never reused, as the database counter will hand them out."""

    def __init__(self) -> None:
        self.last = 0

    def tax_id(self, at: datetime) -> str:
        self.last += 1
        return make_tax_id(MEMORY_ID, at, self.last)


@pytest.fixture
def serials() -> Serials:
    return Serials()


def sold(*lines: InvoiceLine, buyer: Party | None = None, minutes_ago: int = 5, **fields: object) -> Invoice:
    draft = Invoice(seller=SELLER, lines=lines, buyer=buyer, **fields)  # type: ignore[arg-type]
    return issue(draft, "1A-000001", at=datetime.now(UTC) - timedelta(minutes=minutes_ago))


def tea(quantity: str = "3", price: str = "1250000", **changes: object) -> InvoiceLine:
    return InvoiceLine("چای", Decimal(quantity), Decimal(price), tax_rate=Decimal("0.10"), **changes)  # type: ignore[arg-type]


def rice(quantity: str = "2.5", price: str = "2900000") -> InvoiceLine:
    return InvoiceLine("برنج", Decimal(quantity), Decimal(price), unit="کیلوگرم", tax_rate=Decimal(0))


def verdict(client: MoadianClient, uid: str) -> object:
    """Inquire until the fake gives its final answer (it says IN_PROGRESS first)."""
    for _ in range(5):
        (result,) = client.inquire_by_uid([uid])
        if result.status in (ProcessingStatus.SUCCESS, ProcessingStatus.FAILED):
            return result
    raise AssertionError("no final status")


def send_one(client: MoadianClient, document: object) -> object:
    uid = new_uid()
    (receipt,) = client.send([(uid, document)])  # type: ignore[list-item]
    assert receipt.uid == uid
    assert receipt.reference_number
    return verdict(client, uid)


# -- the tax ID and the JSON ------------------------------------------------------------------


def test_the_official_worked_example_tax_id():
    assert make_tax_id(MEMORY_ID, datetime(2024, 3, 20, 12, tzinfo=UTC), 1000) == "A111H104D5A00000003E89"


def test_money_goes_as_json_numbers_never_through_float():
    text = invoice_json({"am": Decimal("2.500"), "fee": Decimal("2900000"), "vra": Decimal("10.00"),
                         "sstt": "برنج", "extension": None})
    assert json.loads(text) == {"am": 2.5, "fee": 2900000, "vra": 10, "sstt": "برنج", "extension": None}
    assert b'"am":2.5,' in text
    assert b'"fee":2900000,' in text
    with pytest.raises(TypeError):
        invoice_json({"am": 2.5})


def test_a_walk_in_sale_is_type_2_without_buyer_or_settlement(serials):
    invoice = sold(tea(), rice())
    document = sale_document(invoice, tax_id=serials.tax_id(invoice.issued_at),
                             seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, RICE])
    header = document.payload["header"]
    assert (header["inty"], header["inp"], header["ins"]) == (2, 1, 1)
    assert "setm" not in header
    assert "tob" not in header
    assert header["inno"] == document.tax_id[11:21]
    assert header["tprdis"] == 3 * 1_250_000 + 7_250_000
    assert header["tvam"] == 375_000
    assert header["tbill"] == invoice.totals.payable
    assert document.rounding_difference == 0


def test_a_business_buyer_is_type_1_with_its_codes(serials):
    buyer = Party("شرکت نمونه", kind=PartyKind.LEGAL, economic_code="14001234567", national_id="10101234567")
    invoice = sold(tea(), buyer=buyer, payments=(Payment(PaymentMethod.CARD, Decimal(4_125_000)),))
    header = sale_document(invoice, tax_id=serials.tax_id(invoice.issued_at),
                           seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA]).payload["header"]
    assert (header["inty"], header["tob"], header["tinb"], header["setm"]) == (1, 2, "14001234567", 1)


def test_a_line_without_its_goods_code_is_refused_naming_the_product(serials):
    invoice = sold(tea(), rice())
    with pytest.raises(ValidationError) as refused:
        sale_document(invoice, tax_id=serials.tax_id(invoice.issued_at),
                      seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, None])
    assert "برنج" in refused.value.message_fa


def test_rounding_that_differs_from_posapp_is_reported(serials):
    invoice = sold(InvoiceLine("نخود", Decimal("0.333"), Decimal("1005"), tax_rate=Decimal("0.09")))
    document = sale_document(invoice, tax_id=serials.tax_id(invoice.issued_at),
                             seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA])
    line = document.payload["body"][0]
    assert line["prdis"] == 334
    assert line["vam"] == 30
    assert invoice.totals.payable == 335 + 30
    assert document.rounding_difference == 1


# -- the client against the fake -------------------------------------------------------------


def test_each_call_spends_a_fresh_nonce(client, fake):
    info = client.fiscal_information()
    assert info.economic_code == SELLER_ECONOMIC_CODE
    client.fiscal_information()
    assert fake.count("nonce") == 2
    assert fake.count("fiscal-information") == 2
    assert not fake.nonces, "every nonce was spent"


def test_an_unregistered_certificate_is_refused(fake):
    with make_client(fake, who="someone else") as stranger, pytest.raises(AuthenticationError) as refused:
        stranger.fiscal_information()
    assert refused.value.code == "4137"


def test_a_sale_is_accepted_after_being_in_progress(client, serials):
    invoice = sold(tea(), rice())
    document = sale_document(invoice, tax_id=serials.tax_id(invoice.issued_at),
                             seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, RICE])
    uid = new_uid()
    client.send([(uid, document)])
    (first,) = client.inquire_by_uid([uid])
    assert first.status is ProcessingStatus.IN_PROGRESS
    result = verdict(client, uid)
    assert result.status is ProcessingStatus.SUCCESS, result.errors


def test_a_tax_id_is_never_accepted_twice(client, serials):
    invoice = sold(tea())
    document = sale_document(invoice, tax_id=serials.tax_id(invoice.issued_at),
                             seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA])
    assert send_one(client, document).status is ProcessingStatus.SUCCESS
    again = send_one(client, document)
    assert again.status is ProcessingStatus.FAILED
    assert "0300101" in [error.code for error in again.errors]


def test_a_return_replaces_the_sale_by_what_the_buyer_keeps(client, serials):
    invoice = sold(tea("3"), rice("2"))
    sale_id = serials.tax_id(invoice.issued_at)
    sale = sale_document(invoice, tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, RICE])
    assert send_one(client, sale).status is ProcessingStatus.SUCCESS
    first = issue(make_return(invoice, {0: Decimal(1)}), "1A-000002")
    now = datetime.now(UTC)
    first_id = serials.tax_id(now)
    kept = return_document(invoice, [first], tax_id=first_id, referenced_tax_id=sale_id,
                           seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, RICE], at=now)
    assert [line["am"] for line in kept.payload["body"]] == [Decimal(2), Decimal(2)]
    assert kept.subject is InvoiceSubject.CORRECTION, "a final consumer's return goes as a correction"
    assert kept.payload["header"]["ins"] == 2
    assert send_one(client, kept).status is ProcessingStatus.SUCCESS
    second = issue(make_return(invoice, {1: Decimal(2)}, {0: Decimal(1)}), "1A-000003")
    rest = return_document(invoice, [first, second], tax_id=serials.tax_id(now),
                           referenced_tax_id=first_id, seller_economic_code=SELLER_ECONOMIC_CODE,
                           codes=[TEA, RICE], at=now)
    assert [line["sstid"] for line in rest.payload["body"]] == [TEA.goods_id]
    assert send_one(client, rest).status is ProcessingStatus.SUCCESS
    stale = return_document(invoice, [first], tax_id=serials.tax_id(now), referenced_tax_id=sale_id,
                            seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, RICE], at=now)
    refused = send_one(client, stale)
    assert refused.status is ProcessingStatus.FAILED, "the sale was already replaced"


def test_returning_everything_must_be_a_cancellation(client, serials):
    invoice = sold(tea("1"))
    sale_id = serials.tax_id(invoice.issued_at)
    everything = issue(make_return(invoice, {0: Decimal(1)}), "1A-000002")
    with pytest.raises(ValidationError):
        return_document(invoice, [everything], tax_id=serials.tax_id(datetime.now(UTC)),
                        referenced_tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE,
                        codes=[TEA], at=datetime.now(UTC))
    sale = sale_document(invoice, tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA])
    assert send_one(client, sale).status is ProcessingStatus.SUCCESS
    cancelled = cancel_invoice(invoice, "اشتباه صندوق")
    voided = cancellation_document(cancelled, tax_id=serials.tax_id(datetime.now(UTC)),
                                   cancelled_tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE,
                                   at=datetime.now(UTC))
    assert voided.payload["body"] == []
    assert voided.payload["header"]["irtaxid"] == sale_id
    assert send_one(client, voided).status is ProcessingStatus.SUCCESS
    assert fake_refuses_referral_to(client, serials, sale_id)


def fake_refuses_referral_to(client: MoadianClient, serials: Serials, tax_id: str) -> bool:
    now = datetime.now(UTC)
    again = cancellation_document(sold(tea()), tax_id=serials.tax_id(now), cancelled_tax_id=tax_id,
                                  seller_economic_code=SELLER_ECONOMIC_CODE, at=now)
    result = send_one(client, again)
    return result.status is ProcessingStatus.FAILED and "0300601" in [e.code for e in result.errors]


def test_a_lost_answer_is_found_by_inquiry_not_by_sending_again(client, fake, serials):
    invoice = sold(tea())
    document = sale_document(invoice, tax_id=serials.tax_id(invoice.issued_at),
                             seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA])
    uid = new_uid()
    fake.faults.drop_after_commit.next(1, operations={"send-invoices"})
    with pytest.raises(NetworkError) as lost:
        client.send([(uid, document)])
    assert lost.value.maybe_committed
    assert fake.count("send-invoices") == 1, "a send whose outcome is unknown is not repeated"
    assert verdict(client, uid).status is ProcessingStatus.SUCCESS


def test_inquiries_go_100_ids_at_a_time_and_unknown_ids_are_not_found(client, fake):
    uids = [new_uid() for _ in range(230)]
    results = client.inquire_by_uid(uids)
    assert [r.status for r in results] == [ProcessingStatus.NOT_FOUND] * 230
    assert fake.count("inquiry-by-uid") == 3


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invoice=invoices(), walk_in=st.booleans())
def test_every_mapped_sale_passes_the_fakes_arithmetic(client, invoice, walk_in):
    """Whatever the lines, discounts and rates: Moadian's own checks of every line and total pass,
    and the JSON holds posapp's amount to within its rounding difference."""
    if invoice.charges:
        return
    buyer = None if walk_in else Party("شرکت", kind=PartyKind.LEGAL, economic_code="14001234567")
    invoice = issue(Invoice(seller=SELLER, lines=invoice.lines, buyer=buyer,
                            invoice_discount=invoice.invoice_discount),
                    "1A-000009", at=datetime.now(UTC) - timedelta(minutes=1))
    tax_id = make_tax_id(MEMORY_ID, invoice.issued_at, abs(hash(new_uid())) % 10**11 + 1)
    if any(line.quantity * line.unit_price < 1 for line in invoice.lines):
        with pytest.raises(ValidationError):
            sale_document(invoice, tax_id=tax_id, seller_economic_code=SELLER_ECONOMIC_CODE,
                          codes=[TEA] * len(invoice.lines))
        return
    document = sale_document(invoice, tax_id=tax_id, seller_economic_code=SELLER_ECONOMIC_CODE,
                             codes=[TEA] * len(invoice.lines))
    header = document.payload["header"]
    assert header["tbill"] + document.rounding_difference == invoice.totals.payable
    assert 0 <= document.rounding_difference <= 2 * len(invoice.lines)
    result = send_one(client, document)
    assert result.status is ProcessingStatus.SUCCESS, result.errors


def test_a_discounted_sale_keeps_every_discount(client, serials):
    invoice = sold(tea("2", discount=Discount.percent(10)), rice("1"), invoice_discount=Discount.amount(100_000))
    document = sale_document(invoice, tax_id=serials.tax_id(invoice.issued_at),
                             seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, RICE])
    assert document.payload["header"]["tdis"] == invoice.totals.discount
    assert send_one(client, document).status is ProcessingStatus.SUCCESS


def test_a_retried_request_is_signed_over_a_fresh_nonce(fake):
    """Moadian's nonces are single use: an inquiry whose answer was lost after the server spent
    its nonce is retried under a new one, not refused as a reused token (401 code 4102)."""
    key, certificate = identity("shop")
    config = MoadianConfig(base_url=fake.api_url, memory_id=MEMORY_ID, timeout=5.0, max_retries=1)
    fake.faults.drop_after_commit.next(1, operations={"inquiry-by-uid"})
    with MoadianClient(config, Signer.from_pem(key, certificate)) as client:
        results = client.inquire_by_uid([new_uid()])
    assert [r.status for r in results] == [ProcessingStatus.NOT_FOUND]
    assert fake.count("inquiry-by-uid") == 2
    assert fake.count("nonce") == 2


# -- corrections (ins 2): a price or quantity reduction of a reported sale ---------------------


def reduced(invoice: Invoice, changes: dict[int, tuple[Decimal, Decimal]], number: str = "1A-000002") -> Invoice:
    return issue(make_reduction(invoice, changes, returned={}), number, at=datetime.now(UTC) - timedelta(minutes=1))


def correction_of(invoice: Invoice, reduction: Invoice, serials: Serials, referenced: str,
                  codes: list[GoodsCode]) -> object:
    assert reduction.issued_at is not None
    return correction_document(invoice, reduction, tax_id=serials.tax_id(reduction.issued_at),
                               referenced_tax_id=referenced, seller_economic_code=SELLER_ECONOMIC_CODE,
                               codes=codes, at=reduction.issued_at)


def test_a_reduction_is_a_correction_carrying_every_rial_of_the_corrected_invoice(client, serials):
    buyer = Party("شرکت نمونه", kind=PartyKind.LEGAL, economic_code="14001234567", national_id="10101234567")
    invoice = sold(tea("3", discount=Discount.amount(50_000)), rice("2.5"), buyer=buyer,
                   invoice_discount=Discount.amount(20_000),
                   payments=(Payment(PaymentMethod.CARD, Decimal(5_000_000)),))
    sale_id = serials.tax_id(invoice.issued_at)
    sale = sale_document(invoice, tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, RICE])
    assert send_one(client, sale).status is ProcessingStatus.SUCCESS
    reduction = reduced(invoice, {0: (Decimal(3), Decimal(1_000_000)), 1: (Decimal(2), Decimal(2_900_000))})
    correction = correction_of(invoice, reduction, serials, sale_id, [TEA, RICE])
    header, body = correction.payload["header"], correction.payload["body"]
    assert correction.subject is InvoiceSubject.CORRECTION
    assert (header["ins"], header["irtaxid"], header["inty"], header["tob"], header["tinb"]) == (
        2, sale_id, 1, 2, "14001234567")
    assert header["taxid"] == correction.tax_id != sale_id
    assert [(line["sstid"], line["am"], line["fee"], line["vra"]) for line in body] == [
        (TEA.goods_id, Decimal(3), Decimal(1_000_000), Decimal(10)), (RICE.goods_id, Decimal(2), Decimal(2_900_000), Decimal(0))]
    totals = reduction.totals
    assert [line["prdis"] for line in body] == [3_000_000, 5_800_000]
    assert [line["dis"] for line in body] == [t.discount for t in totals.lines]
    assert header["tdis"] == totals.discount
    assert header["tvam"] == sum(line["vam"] for line in body) == totals.tax
    assert header["tbill"] + correction.rounding_difference == totals.payable
    assert correction.rounding_difference == 0
    assert (header["setm"], header["insp"]) == (3, invoice.totals.balance_due), "what the sale left on credit"
    assert header["cap"] + header["insp"] == header["tbill"]
    assert send_one(client, correction).status is ProcessingStatus.SUCCESS
    again = correction_of(invoice, reduced(invoice, {0: (Decimal(3), Decimal(900_000))}, "1A-000003"),
                          serials, sale_id, [TEA, RICE])
    refused = send_one(client, again)
    assert "0300601" in [e.code for e in refused.errors], "the sale was already replaced by the correction"
    corrected_twice = correction_of(invoice, reduced(invoice, {0: (Decimal(2), Decimal(900_000))}, "1A-000004"),
                                    serials, correction.tax_id, [TEA, RICE])
    assert send_one(client, corrected_twice).status is ProcessingStatus.SUCCESS, "a correction of the correction"


def test_the_fake_refuses_a_correction_that_changes_a_rate_a_goods_code_or_the_buyer(client, serials):
    invoice = sold(tea("3"), rice("2"))
    sale_id = serials.tax_id(invoice.issued_at)
    sale = sale_document(invoice, tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA, RICE])
    assert send_one(client, sale).status is ProcessingStatus.SUCCESS
    reduction = reduced(invoice, {0: (Decimal(3), Decimal(1_000_000))})

    def refused_codes(change):
        correction = correction_of(invoice, reduction, serials, sale_id, [TEA, RICE])
        change(correction.payload["header"], correction.payload["body"])
        result = send_one(client, correction)
        assert result.status is ProcessingStatus.FAILED
        return {e.code for e in result.errors}

    def other_rate(header, body):
        body[1]["vra"] = Decimal(10)
        body[1]["vam"] = body[1]["adis"] // 10
        body[1]["tsstam"] = body[1]["adis"] + body[1]["vam"]
        header["tvam"] = sum(line["vam"] for line in body)
        header["tbill"] = sum(line["tsstam"] for line in body)

    assert "0304401" in refused_codes(other_rate)
    assert "0303301" in refused_codes(lambda header, body: body[0].update(sstid="2799999999999"))
    assert "0300701" in refused_codes(lambda header, body: header.update(inty=1, tob=1, bid="0012345678"))
    assert "0300601" in refused_codes(lambda header, body: header.update(irtaxid=serials.tax_id(invoice.issued_at)))
    assert "0200201" in refused_codes(lambda header, body: header.update(
        indatim=header["indatim"] - 10 * 60_000, indati2m=header["indatim"] - 10 * 60_000))
    assert send_one(client, correction_of(invoice, reduction, serials, sale_id, [TEA, RICE])).status \
        is ProcessingStatus.SUCCESS, "the same correction, unchanged, is accepted"


def test_a_reduction_cannot_change_a_lines_rate_for_moadian(serials):
    invoice = sold(tea("3"))
    draft = make_reduction(invoice, {0: (Decimal(3), Decimal(1_000_000))}, returned={})
    tampered = issue(draft.with_changes(lines=(replace(draft.lines[0], tax_rate=Decimal("0.09")),)), "1A-000002")
    with pytest.raises(ValidationError):
        correction_of(invoice, tampered, serials, serials.tax_id(invoice.issued_at), [TEA])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invoice=invoices(), walk_in=st.booleans(), data=st.data())
def test_every_mapped_reduction_is_accepted_as_a_correction_to_the_rial(client, invoice, walk_in, data):
    """Whatever the lines, discounts, rates and the reduction: Moadian's checks of the correction
    pass, and its `tbill` is posapp's reduced payable to within the reported rounding."""
    if invoice.charges or any(line.quantity * line.unit_price < 2 for line in invoice.lines):
        return
    buyer = None if walk_in else Party("شرکت", kind=PartyKind.LEGAL, economic_code="14001234567")
    invoice = issue(Invoice(seller=SELLER, lines=invoice.lines, buyer=buyer,
                            invoice_discount=invoice.invoice_discount),
                    "1A-000009", at=datetime.now(UTC) - timedelta(minutes=3))
    first = abs(hash(new_uid())) % 10**11 + 1
    sale_id = make_tax_id(MEMORY_ID, invoice.issued_at, first)
    codes = [GoodsCode(f"27100001{index:05d}", "1627") for index in range(len(invoice.lines))]
    sale = sale_document(invoice, tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE, codes=codes)
    assert send_one(client, sale).status is ProcessingStatus.SUCCESS
    changes = {}
    for index, line in enumerate(invoice.lines):
        if data.draw(st.booleans(), label=f"reduce line {index}"):
            price = Decimal(data.draw(st.integers(1, int(line.unit_price) or 1), label="price"))
            changes[index] = (line.quantity, min(price, line.unit_price))
    try:
        reduction = issue(make_reduction(invoice, changes, returned={}), "1A-000010", at=datetime.now(UTC) - timedelta(minutes=1))
        reduction.totals  # noqa: B018 (totals validate discounts)
    except ValidationError:
        return
    tax_id = make_tax_id(MEMORY_ID, reduction.issued_at, first + 1)
    try:
        correction = correction_document(invoice, reduction, tax_id=tax_id, referenced_tax_id=sale_id,
                                         seller_economic_code=SELLER_ECONOMIC_CODE, codes=codes,
                                         at=reduction.issued_at)
    except ValidationError:
        assert any(line.quantity * line.unit_price < 1 or line.unit_price <= 0 for line in reduction.lines)
        return
    header = correction.payload["header"]
    assert header["tbill"] + correction.rounding_difference == reduction.totals.payable
    assert 0 <= correction.rounding_difference <= 2 * len(reduction.lines)
    assert header["tdis"] == sum(line["dis"] for line in correction.payload["body"])
    result = send_one(client, correction)
    assert result.status is ProcessingStatus.SUCCESS, result.errors


def test_invoice_status_tells_which_tax_ids_moadian_holds(client, serials):
    invoice = sold(tea())
    sale_id = serials.tax_id(invoice.issued_at)
    never_sent = serials.tax_id(invoice.issued_at)
    sale = sale_document(invoice, tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA])
    assert client.invoice_statuses([sale_id, never_sent]) == {}
    assert send_one(client, sale).status is ProcessingStatus.SUCCESS
    assert client.invoice_statuses([sale_id, never_sent]) == {sale_id: "NO_NEED_REACTION"}
    now = datetime.now(UTC)
    voided = cancellation_document(cancel_invoice(invoice, "اشتباه"), tax_id=serials.tax_id(now),
                                   cancelled_tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE, at=now)
    assert send_one(client, voided).status is ProcessingStatus.SUCCESS
    assert client.invoice_statuses([sale_id])[sale_id] == "CANCELED"


def test_an_identified_buyers_return_is_a_return_from_sale_and_type_2_may_not_use_one(client, serials):
    buyer = Party("شرکت نمونه", kind=PartyKind.LEGAL, economic_code="14001234567", national_id="10101234567")
    for who, subject in ((buyer, InvoiceSubject.RETURN_FROM_SALE), (None, InvoiceSubject.CORRECTION)):
        invoice = sold(tea("3"), buyer=who)
        sale_id = serials.tax_id(invoice.issued_at)
        sale = sale_document(invoice, tax_id=sale_id, seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA])
        assert send_one(client, sale).status is ProcessingStatus.SUCCESS
        now = datetime.now(UTC)
        back = issue(make_return(invoice, {0: Decimal(1)}), "1A-000002")
        kept = return_document(invoice, [back], tax_id=serials.tax_id(now), referenced_tax_id=sale_id,
                               seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA], at=now)
        assert (kept.subject, kept.payload["header"]["ins"]) == (subject, int(subject))
        if who is None:
            forced = return_document(invoice, [back], tax_id=serials.tax_id(now), referenced_tax_id=sale_id,
                                     seller_economic_code=SELLER_ECONOMIC_CODE, codes=[TEA], at=now)
            forced.payload["header"]["ins"] = 4
            refused = send_one(client, forced)
            assert "04008" in [e.code for e in refused.errors], "the stricter reading: type 2 takes ins 1-3"
        assert send_one(client, kept).status is ProcessingStatus.SUCCESS
