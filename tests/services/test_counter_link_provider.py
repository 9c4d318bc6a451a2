"""Which provider the counter's "pay by link" uses: the shop's choice, else the first enabled
provider that makes payment links, and none when the shop turned it off."""

from __future__ import annotations

from posapp.services.payment_links import counter_link_provider
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS, PAYMENT_LINK_PROVIDER
from posapp.settings.store import SettingsStore


def test_the_first_enabled_provider_that_makes_links_is_the_default(tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    assert counter_link_provider(store) is None
    store.set(ENABLED_SYNC_PROVIDERS, ["sepidar", "hesabfa", "pod"])
    assert counter_link_provider(store) == "hesabfa"  # Sepidar makes no payment links


def test_the_shops_choice_wins_and_none_turns_it_off(tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    store.set(ENABLED_SYNC_PROVIDERS, ["hesabfa"])
    store.set(PAYMENT_LINK_PROVIDER, "PayPing")
    assert counter_link_provider(store) == "payping"
    store.set(PAYMENT_LINK_PROVIDER, "none")
    assert counter_link_provider(store) is None
    store.set(PAYMENT_LINK_PROVIDER, "sepidar")
    assert counter_link_provider(store) is None
