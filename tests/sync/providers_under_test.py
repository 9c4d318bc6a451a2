"""Per-provider glue for the sync tests: start a provider's fake ready for sales, build the real
client against it, and read back what the fake holds (for exactly-once and amount checks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from posapp.providers.base import Provider

POD_GUILD = "INFORMATION_TECHNOLOGY_GUILD"

FAST_CLIENT = {"timeout": 2.0, "max_retries": 1}
"""Short timeouts and one transport retry, so a hang or a fault costs the test little time."""


@dataclass(frozen=True)
class RemoteRecord:
    """One invoice as the fake holds it: its number (our idempotency key) and amount in Rial."""

    number: str
    payable: Decimal
    state: str


@contextmanager
def start_fake(name: str, *, seed: int = 0) -> Iterator[Any]:
    if name == "hesabit":
        from tests.fakes.hesabit import HesabitFake

        with HesabitFake(seed=seed) as fake:
            fake.walk_in = fake.add_customer(name="مشتری گذری", mobile="09121234567")
            yield fake
        return
    if name == "pod":
        from tests.fakes.pod import PodFake

        with PodFake(seed=seed) as fake:
            yield fake
        return
    if name == "hesabfa":
        from tests.fakes.hesabfa import HesabfaFake

        with HesabfaFake(seed=seed, rate_limit=100_000) as fake:
            yield fake
        return
    if name == "payping":
        from tests.fakes.payping import PayPingFake

        with PayPingFake(seed=seed) as fake:
            yield fake
        return
    if name == "sepidar":
        from tests.fakes.sepidar import SepidarFake

        with SepidarFake(sepidar_keys(), seed=seed) as fake:
            fake.add_device(SEPIDAR_SERIAL, "صندوق ۱")
            fake.add_user("cashier", SEPIDAR_PASSWORD, devices=[1001])
            for code, title, fee in SEPIDAR_ITEMS:
                fake.add_item(code, title, fee)
            fake.posapp_device_key = {"device_key": ""}
            yield fake
        return
    raise KeyError(name)


SEPIDAR_SERIAL = "10017ff3"
SEPIDAR_PASSWORD = "رمز-فروشگاه"
SEPIDAR_ITEMS = (("2001", "چای", 1_250_000), ("2002", "قند", 400_000), ("2003", "برنج", 2_900_000))
"""Items the Sepidar fake knows; sales for Sepidar use these product codes."""


@cache
def sepidar_keys() -> tuple[Any, ...]:
    """RSA key pairs for the Sepidar fake, generated once per test process (the slow part)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return tuple(rsa.generate_private_key(public_exponent=65537, key_size=1024) for _ in range(2))


def fake_spec(name: str, fake: Any) -> dict[str, Any]:
    """What a client needs to reach `fake`, as plain JSON (handed to subprocess drivers)."""
    if name == "hesabit":
        return {"name": name, "base_url": f"{fake.base_url}/v1/", "client_id": fake.client_id,
                "walk_in_customer_id": fake.walk_in["id"], "access_token": fake.access_token,
                "refresh_token": fake.refresh_token, "client_secret": fake.client_secret}
    if name == "pod":
        return {"name": name, "base_url": fake.base_url, "token": fake.token,
                "guild_code": POD_GUILD}
    if name == "hesabfa":
        return {"name": name, "base_url": f"{fake.base_url}/v1", "api_key": fake.api_key,
                "login_token": fake.login_token}
    if name == "payping":
        return {"name": name, "base_url": fake.base_url, "token": fake.token}
    if name == "sepidar":
        return {"name": name, "base_url": fake.base_url, "walk_in_customer_ref": fake.walk_in["CustomerID"],
                "device_key": fake.posapp_device_key}
    raise KeyError(name)


def client_from_spec(spec: dict[str, Any], **overrides: Any) -> Provider:
    name = spec["name"]
    if name == "hesabit":
        from posapp.providers import hesabit

        config = hesabit.HesabitConfig(**{
            "base_url": spec["base_url"], "client_id": spec["client_id"],
            "walk_in_customer_id": spec["walk_in_customer_id"], **FAST_CLIENT, **overrides})
        return hesabit.HesabitProvider(
            config, {"access_token": spec["access_token"], "refresh_token": spec["refresh_token"],
                     "client_secret": spec["client_secret"]})
    if name == "pod":
        from posapp.providers import pod

        config = pod.PodConfig(**{"base_url": spec["base_url"], "guild_code": spec["guild_code"],
                                  **FAST_CLIENT, **overrides})
        return pod.PodProvider(config, {"token": spec["token"]})
    if name == "hesabfa":
        from posapp.providers import hesabfa

        config = hesabfa.HesabfaConfig(**{"base_url": spec["base_url"], "client_rate_limit": 0,
                                          "cash_code": "0001", "bank_code": "0001",
                                          **FAST_CLIENT, **overrides})
        return hesabfa.HesabfaProvider(config, {"api_key": spec["api_key"], "login_token": spec["login_token"]})
    if name == "payping":
        from posapp.providers import payping

        config = payping.PayPingConfig(**{"base_url": spec["base_url"], **FAST_CLIENT, **overrides})
        return payping.PayPingProvider(config, {"token": spec["token"]})
    if name == "sepidar":
        from posapp.providers import sepidar

        device_key = spec["device_key"]  # shared by every client, as the keyring would be
        config = sepidar.SepidarConfig(**{
            "base_url": spec["base_url"], "username": "cashier", "bank_account_id": 1,
            "walk_in_customer_ref": spec["walk_in_customer_ref"], **FAST_CLIENT, **overrides})
        return sepidar.SepidarProvider(
            config, {"serial": SEPIDAR_SERIAL, "password": SEPIDAR_PASSWORD,
                     "device_key": device_key["device_key"]},
            on_secret=lambda name, value: device_key.update({name: value}))
    raise KeyError(f"no test glue for provider {name!r}")


def pod_client(fake: Any, *, token: str) -> Provider:
    """A Pod client for `fake` with a token of the test's choosing (e.g. a refused one)."""
    return client_from_spec({**fake_spec("pod", fake), "token": token})


def client_for(name: str, fake: Any, **overrides: Any) -> Provider:
    return client_from_spec(fake_spec(name, fake), **overrides)


def remote_invoices(name: str, fake: Any) -> list[RemoteRecord]:
    """Every invoice document the fake holds (cancelled ones included)."""
    with fake.lock:
        if name == "hesabit":
            return [RemoteRecord(str(r["Invoice"]["number"]), Decimal(r["Invoice"]["amount"]),
                                 str(r["Invoice"]["status"])) for r in fake.invoices.values()]
        if name == "pod":
            return [RemoteRecord(str(r["billNumber"]), Decimal(str(r["payableAmount"])),
                                 "cancelled" if r["canceled"] else "paid" if r["payed"] else "open")
                    for r in fake.invoices.values() if r["billNumber"]]
        if name == "hesabfa":
            return [RemoteRecord(str(r["Reference"]), Decimal(r["Payable"]), "return" if kind == 2 else "sale")
                    for (kind, _number), r in fake.invoices.items()]
        if name == "payping":
            return [RemoteRecord(str(r["invoiceNumber"]), Decimal(r["total"]) * 10, str(r["status"]))
                    for r in fake.invoices.values()]
        if name == "sepidar":
            return [RemoteRecord(guid, Decimal(str(fake.invoices[invoice_id]["NetPrice"])), "invoice")
                    for guid, invoice_id in fake.invoice_guids.items()]
    raise KeyError(name)


def remote_key(name: str, number: str) -> str:
    """How invoice `number` is filed on the provider (PayPing wants an int64)."""
    if name == "payping":
        from posapp.providers.payping import invoice_number_for

        return str(invoice_number_for(number))
    if name == "sepidar":
        from posapp.providers.sepidar import invoice_guid

        return str(invoice_guid(number))
    return number


def pay(name: str, fake: Any, number: str) -> None:
    """The customer pays the invoice `number` on the provider's page (the fake's test hook)."""
    with fake.lock:
        if name == "hesabit":
            invoice_id = next(i for i, r in fake.invoices.items()
                              if str(r["Invoice"]["number"]) == number)
        if name == "pod":
            invoice_id = next(i for i, r in fake.invoices.items() if r["billNumber"] == number)
    if name == "hesabit":
        fake.mark_paid(invoice_id)
        return
    if name == "pod":
        fake.pay(invoice_id)
        return
    raise KeyError(name)
