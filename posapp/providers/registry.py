"""The provider registry: names (`pod`, `hesabfa`, `hesabit`, `sepidar`, `payping`, `moadian`) to
modules.

Modules are imported only when first asked for, so `posapp --help` and the GUI never load five
HTTP clients. Every provider module must expose, at module level:

* ``CONFIG``: its frozen `ProviderConfig` subclass (non-secret settings; every field declared
  with `base.setting(default, fa, en)` so `posapp provider configure` can offer it as an option);
* ``SECRETS``: a tuple of `SecretSpec` naming what goes to the OS keyring (e.g. ``token``,
  ``api_key``, ``password``);
* ``create(config, secrets, *, transport=None, on_secret=None) -> Provider``: build a ready
  client from a ``CONFIG`` instance and a mapping of secret name to value (for the five HTTP
  providers, the client class itself: `posapp.providers.http_provider.HttpProvider` owns this
  constructor). ``transport`` is an
  optional ``httpx.BaseTransport`` passed down to `HttpClient` (tests, the sync engine);
  ``on_secret`` is a `base.SecretSink` for secrets learnt at run time (providers never import
  the keyring themselves). A required secret
  that is missing raises `AuthenticationError` with a message saying how to configure it.

The module's `Provider` subclass sets ``name`` to the registry name and ``capabilities`` to what
it really supports.

Moadian (the tax administration) is registered with `kind` TAX: it has `CONFIG` and `SECRETS`
(so `posapp provider configure/check/forget moadian` work) but no `create` and no `Provider`;
the sync engine drains only SYNC providers (`is_sync_provider`), and Moadian's documents go
through their own step (`posapp.services.moadian_sync`).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import httpx

    from posapp.providers.base import Provider, ProviderConfig, SecretSink, SecretSpec


class ProviderKind(StrEnum):
    SYNC = "sync"
    """An accounting or billing service the sync engine sends invoices to (a `Provider`)."""
    TAX = "tax"
    """The tax administration (Moadian): its own client and delivery step, never the engine's."""


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    module: str
    title_fa: str
    title_en: str
    kind: ProviderKind = ProviderKind.SYNC


PROVIDERS: Mapping[str, ProviderInfo] = {
    info.name: info for info in (
        ProviderInfo("pod", "posapp.providers.pod", "صورتحساب پاد", "Pod billing"),
        ProviderInfo("hesabfa", "posapp.providers.hesabfa", "حسابفا", "Hesabfa"),
        ProviderInfo("hesabit", "posapp.providers.hesabit", "حسابیت", "Hesabit"),
        ProviderInfo("sepidar", "posapp.providers.sepidar", "سپیدار", "Sepidar"),
        ProviderInfo("payping", "posapp.providers.payping", "پی‌پینگ", "PayPing"),
        ProviderInfo("moadian", "posapp.providers.moadian", "سامانه مؤدیان", "Moadian (tax administration)",
                     ProviderKind.TAX),
    )
}
SYNC_PROVIDERS: Mapping[str, ProviderInfo] = {
    name: info for name, info in PROVIDERS.items() if info.kind is ProviderKind.SYNC
}
"""The providers the sync engine and the sync settings offer."""


def is_sync_provider(name: str) -> bool:
    """Whether the sync engine may drain `name` (a known provider of kind SYNC)."""
    return name.strip().lower() in SYNC_PROVIDERS


def provider_info(name: str) -> ProviderInfo:
    try:
        return PROVIDERS[name.strip().lower()]
    except KeyError:
        known = ", ".join(PROVIDERS)
        raise ValueError(f"unknown provider {name!r}; known: {known}") from None


def provider_module(name: str) -> ModuleType:
    """The provider's module, imported on first use (ValueError when this build lacks it)."""
    info = provider_info(name)
    try:
        return importlib.import_module(info.module)
    except ModuleNotFoundError as error:
        if error.name != info.module:
            raise
        raise ValueError(f"{info.title_fa} در این نسخه موجود نیست / {info.title_en} is not available "
                         f"in this version") from None


def config_class(name: str) -> type[ProviderConfig]:
    return cast("type[ProviderConfig]", provider_module(name).CONFIG)


def secret_specs(name: str) -> tuple[SecretSpec, ...]:
    return cast("tuple[SecretSpec, ...]", provider_module(name).SECRETS)


def create_provider(name: str, config: ProviderConfig, secrets: Mapping[str, str], *,
                    transport: httpx.BaseTransport | None = None,
                    on_secret: SecretSink | None = None) -> Provider:
    if not is_sync_provider(name):
        raise ValueError(f"{name!r} is not a sync provider; it has its own client")
    module: Any = provider_module(name)
    return cast("Provider", module.create(config, secrets, transport=transport, on_secret=on_secret))
