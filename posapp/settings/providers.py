"""Per-provider settings: the non-secret config, whether it is enabled, which invoices go there,
and `build_provider()` that joins them with the keyring's secrets into a ready client.

Non-secret values live in the settings file under `providers.<name>.config` as the provider
module's `CONFIG` fields (base URL, sandbox, guild code, cash and bank codes, ...); secrets live
only in the OS keyring (`posapp.settings.secrets`). Enabling reuses the shop's list of enabled
sync providers (`posapp.settings.shop.ENABLED_SYNC_PROVIDERS`). Provider modules are imported
only when a function here needs them, so reading settings stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from posapp.domain.invoice import Invoice
from posapp.domain.sync import InvoiceScope, scope_accepts
from posapp.settings import secrets
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS, enabled_sync_providers
from posapp.settings.store import Setting, SettingsStore

if TYPE_CHECKING:
    import httpx

    from posapp.providers.base import Provider, ProviderConfig


def config_setting(name: str) -> Setting[dict[str, Any]]:
    return Setting(f"providers.{name}.config", {}, dict,
                   f"تنظیمات غیرمحرمانه {name} / non-secret settings of {name}")


def scope_setting(name: str) -> Setting[str]:
    return Setting(f"providers.{name}.invoices", InvoiceScope.ALL.value, str,
                   "کدام فاکتورها فرستاده شوند / which invoices are sent (all|named-customer|payment-link)")


def load_config(store: SettingsStore, name: str) -> ProviderConfig:
    """The provider's config from the settings file (defaults for anything not set)."""
    from posapp.providers.registry import config_class

    stored: dict[str, Any] = store.get(config_setting(name))
    return config_class(name).from_mapping(stored)


def save_config(store: SettingsStore, name: str, config: ProviderConfig) -> None:
    store.set(config_setting(name), config.to_mapping())


def enabled_sync_targets(store: SettingsStore) -> tuple[str, ...]:
    """The enabled providers the sync engine sends to and invoices are queued for. A name of
    another kind in the list (Moadian, which has its own switch and delivery step) is left out."""
    from posapp.providers.registry import is_sync_provider

    return tuple(name for name in enabled_sync_providers(store) if is_sync_provider(name))


def is_enabled(store: SettingsStore, name: str) -> bool:
    return name in enabled_sync_providers(store)


def set_enabled(store: SettingsStore, name: str, enabled: bool) -> None:
    names = [n for n in enabled_sync_providers(store) if n != name]
    if enabled:
        names.append(name)
    store.set(ENABLED_SYNC_PROVIDERS, names)


def invoice_scope(store: SettingsStore, name: str) -> InvoiceScope:
    raw = store.get(scope_setting(name))
    return InvoiceScope(raw) if raw in InvoiceScope._value2member_map_ else InvoiceScope.ALL


def set_invoice_scope(store: SettingsStore, name: str, scope: InvoiceScope) -> None:
    store.set(scope_setting(name), scope.value)


def accepts_invoice(store: SettingsStore, name: str, invoice: Invoice) -> bool:
    """Whether an issued sale should be queued for provider `name`."""
    return is_enabled(store, name) and scope_accepts(invoice_scope(store, name), invoice)


def stored_secrets(name: str) -> dict[str, str]:
    """The provider's secrets found in the keyring."""
    from posapp.providers.registry import secret_specs

    return secrets.secrets_for(name, [spec.name for spec in secret_specs(name)])


def build_provider(name: str, store: SettingsStore | None = None, *,
                   transport: httpx.BaseTransport | None = None) -> Provider:
    """A ready client for `name` from the stored settings and the keyring's secrets. Raises
    KeyringUnavailableError without a usable keyring, AuthenticationError when a required
    secret is missing (the message says to run `posapp provider configure`)."""
    from posapp.providers.registry import create_provider

    store = store or SettingsStore()
    def keep_secret(secret_name: str, value: str) -> None:
        secrets.set_secret(name, secret_name, value)

    return create_provider(name, load_config(store, name), stored_secrets(name), transport=transport,
                           on_secret=keep_secret)
