"""Per-provider glue for the sync tests: start a provider's fake ready for sales, build the real
client against it, and read back what the fake holds (for exactly-once and amount checks)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from posapp.providers import registry
from posapp.providers.base import Provider

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
    raise KeyError(name)


def client_for(name: str, fake: Any, **overrides: Any) -> Provider:
    if name == "hesabit":
        from posapp.providers import hesabit

        config = hesabit.HesabitConfig(**{
            "base_url": f"{fake.base_url}/v1/", "client_id": fake.client_id,
            "walk_in_customer_id": fake.walk_in["id"], **FAST_CLIENT, **overrides})
        return hesabit.HesabitProvider(
            config, {"access_token": fake.access_token, "refresh_token": fake.refresh_token,
                     "client_secret": fake.client_secret}, on_tokens=lambda a, r: None)
    module: Any = registry.provider_module(name)
    raise KeyError(f"no test glue for {module.__name__}")


def remote_invoices(name: str, fake: Any) -> list[RemoteRecord]:
    """Every invoice document the fake holds (cancelled ones included)."""
    with fake.lock:
        if name == "hesabit":
            return [RemoteRecord(str(r["Invoice"]["number"]), Decimal(r["Invoice"]["amount"]),
                                 str(r["Invoice"]["status"])) for r in fake.invoices.values()]
    raise KeyError(name)


def pay(name: str, fake: Any, number: str) -> None:
    """The customer pays the invoice `number` on the provider's page (the fake's test hook)."""
    with fake.lock:
        if name == "hesabit":
            invoice_id = next(i for i, r in fake.invoices.items()
                              if str(r["Invoice"]["number"]) == number)
    if name == "hesabit":
        fake.mark_paid(invoice_id)
        return
    raise KeyError(name)
