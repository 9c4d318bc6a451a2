"""Moadian (سامانه مؤدیان) switches: whether this shop reports to the tax administration, which
sales it reports, and its fiscal memory ID.

Moadian is not one of the sync providers in `sync.enabled_providers`: it has its own delivery
step (`posapp.services.moadian_sync`) and its own switch here. The memory ID and the other
non-secret values live with the provider's config (`providers.moadian.config`, written by
`posapp provider configure moadian`); the key and certificate only in the keyring.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from posapp.settings.providers import config_setting
from posapp.settings.store import Setting, SettingsStore

if TYPE_CHECKING:
    from posapp.providers.moadian import MoadianClient

NAME = "moadian"


class MoadianScope(StrEnum):
    """Which sales are sent to Moadian."""

    ALL = "all"
    BUSINESS = "business"
    """Only sales to an identified buyer (economic code or national ID): type-1 invoices."""


MOADIAN_ENABLED: Setting[bool] = Setting(
    "moadian.enabled", False, bool,
    "ارسال صورتحساب به سامانه مؤدیان / send invoices to the tax administration (Moadian)",
)
MOADIAN_SCOPE: Setting[str] = Setting(
    "moadian.invoices", MoadianScope.ALL.value, str,
    "کدام فروش‌ها به سامانه مؤدیان بروند / which sales go to Moadian (all|business)",
)


def memory_id(store: SettingsStore) -> str:
    """The configured fiscal memory ID (upper case), or empty."""
    return str(store.get(config_setting(NAME)).get("memory_id", "")).strip().upper()


def active_memory_id(store: SettingsStore) -> str:
    """The memory ID documents are numbered under now: empty unless Moadian is enabled."""
    return memory_id(store) if store.get(MOADIAN_ENABLED) else ""


def moadian_scope(store: SettingsStore) -> MoadianScope:
    raw = store.get(MOADIAN_SCOPE)
    return MoadianScope(raw) if raw in MoadianScope._value2member_map_ else MoadianScope.ALL


def build_client(store: SettingsStore, *, transport: Any = None) -> MoadianClient:
    """A ready Moadian client from the stored config and the keyring's key and certificate (as
    `posapp.settings.providers.build_provider` builds a sync provider's)."""
    from posapp.providers.moadian import create_client
    from posapp.settings import providers as provider_settings

    return create_client(provider_settings.load_config(store, NAME),  # type: ignore[arg-type]
                         provider_settings.stored_secrets(NAME), transport=transport)
