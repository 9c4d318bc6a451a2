"""Provider test fixtures: the Pod and Hesabfa fakes, clients wired to them, small invoice builders and hypothesis strategies for issued invoices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import assume
from hypothesis import strategies as st

from posapp.domain.errors import ValidationError
from posapp.domain.invoice import Charge, ChargeKind, Discount, Invoice, InvoiceLine, Party, issue
from posapp.providers.hesabfa import HesabfaConfig, HesabfaProvider
from posapp.providers.http import HttpClient
from posapp.providers.pod import PodConfig, PodProvider
from tests.fakes.hesabfa import HesabfaFake
from tests.fakes.pod import PodFake


def no_sleep(seconds: float) -> None:
    """Retries in tests back off without waiting; the fake counts the requests instead."""


@pytest.fixture
def pod_fake() -> Iterator[PodFake]:
    with PodFake(seed=11) as fake:
        yield fake


def pod_config(fake: PodFake, **changes: object) -> PodConfig:
    values: dict[str, object] = {
        "base_url": fake.base_url, "pay_base_url": fake.base_url,
        "guild_code": "INFORMATION_TECHNOLOGY_GUILD", "timeout": 2.0,
    }
    values.update(changes)
    return PodConfig(**values)  # type: ignore[arg-type]


def make_pod(fake: PodFake, token: str | None = None, **changes: object) -> PodProvider:
    config = pod_config(fake, **changes)
    http = HttpClient(config.client_config(config.urls.platform), provider="pod", sleep=no_sleep)
    return PodProvider(config, {"token": token or fake.token}, http=http)


@pytest.fixture
def pod(pod_fake: PodFake) -> Iterator[PodProvider]:
    with make_pod(pod_fake) as provider:
        yield provider


@pytest.fixture
def hesabfa_fake() -> Iterator[HesabfaFake]:
    with HesabfaFake(seed=13) as fake:
        yield fake


def make_hesabfa(fake: HesabfaFake, *, login: str = "token", **changes: object) -> HesabfaProvider:
    values: dict[str, object] = {"base_url": f"{fake.base_url}/v1", "timeout": 2.0, "client_rate_limit": 0,
                                 "cash_code": "0001", "bank_code": "0001"}
    if login == "password":
        values["user_id"] = fake.user_id
    values.update(changes)
    config = HesabfaConfig(**values)  # type: ignore[arg-type]
    http = HttpClient(config.client_config(config.base_url), provider="hesabfa", sleep=no_sleep)
    if login == "password":
        return HesabfaProvider(config, {"api_key": fake.api_key, "password": fake.password}, http=http)
    return HesabfaProvider(config, {"api_key": fake.api_key, "login_token": fake.login_token}, http=http)


@pytest.fixture
def hesabfa(hesabfa_fake: HesabfaFake) -> Iterator[HesabfaProvider]:
    with make_hesabfa(hesabfa_fake) as provider:
        yield provider


SELLER = Party(name="فروشگاه نمونه")
ISSUED_AT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


def line(description: str, quantity: str, price: str, *, tax: str = "0.10", discount: Discount | None = None,
         code: str = "") -> InvoiceLine:
    return InvoiceLine(description=description, quantity=Decimal(quantity), unit_price=Decimal(price),
                       tax_rate=Decimal(tax), discount=discount or Discount(), product_code=code)


def sale(*lines: InvoiceLine, number: str = "1A-000001", buyer: Party | None = None, **fields: object) -> Invoice:
    draft = Invoice(seller=SELLER, lines=lines, buyer=buyer, **fields)  # type: ignore[arg-type]
    return issue(draft, number, at=ISSUED_AT)


# -- hypothesis strategies: issued invoices as providers see them ---------------------------

RATES = (Decimal("0"), Decimal("0.09"), Decimal("0.10"))

quantities = st.one_of(
    st.integers(1, 30).map(Decimal),
    st.integers(1, 50_000).map(lambda n: Decimal(n) / 1000),
)
prices = st.one_of(st.integers(1, 2_000).map(lambda n: Decimal(n * 1000)), st.integers(1, 9_999_999).map(Decimal))
discounts = st.one_of(
    st.just(Discount()),
    st.integers(0, 100).map(Discount.percent),
    st.integers(0, 50_000).map(Discount.amount),
)


@st.composite
def invoices(draw, *, one_rate: bool = False, charges: bool = False) -> Invoice:
    rate = draw(st.sampled_from(RATES))
    count = draw(st.integers(1, 5))
    lines = []
    for index in range(count):
        line_rate = rate if one_rate else draw(st.sampled_from(RATES))
        try:
            lines.append(InvoiceLine(description=f"کالای {index}", quantity=draw(quantities), unit_price=draw(prices),
                                     tax_rate=line_rate, discount=draw(discounts), product_code=f"00000{index}"))
        except ValidationError:
            assume(False)
    extra = ()
    if charges:
        extra = tuple(draw(st.lists(st.builds(
            Charge, label=st.sampled_from(["ارسال", "بسته‌بندی"]), amount=st.integers(1, 100_000).map(Decimal),
            is_deduction=st.booleans(), kind=st.sampled_from(list(ChargeKind))), max_size=2)))
    try:
        invoice = sale(*lines, invoice_discount=draw(st.one_of(st.just(Discount()), st.integers(0, 20).map(Discount.percent))),
                       charges=extra)
        invoice.totals  # noqa: B018 (totals validate discounts and deductions)
    except ValidationError:
        assume(False)
    return invoice
