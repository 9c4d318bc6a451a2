"""Moadian is registered as a provider of its own kind: the generic sync engine, the sync
settings and the invoicing outbox never treat it as an ordinary sync provider."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from posapp.providers.registry import create_provider, is_sync_provider
from posapp.services.sync.engine import build_engine
from posapp.services.sync_settings import provider_names, provider_title
from posapp.settings import providers as provider_settings
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS
from posapp.storage.models import OutboxRow
from tests.shop_data import sale_draft


def test_moadian_is_never_an_ordinary_sync_provider(services, products, settings):
    assert not is_sync_provider("moadian")
    assert is_sync_provider("pod")
    assert "moadian" not in [name for name, *_ in provider_names()]
    assert provider_title("moadian", "fa") == "سامانه مؤدیان"
    with pytest.raises(ValueError, match="not a sync provider"):
        create_provider("moadian", provider_settings.load_config(settings, "moadian"), {})
    settings.set(ENABLED_SYNC_PROVIDERS, ["pod", "moadian"])
    assert build_engine(services).providers == ("pod",)
    assert services.invoicing.providers == ("pod",)
    services.invoicing.issue(sale_draft(services, products))
    with services.database.read() as session:
        assert list(session.scalars(select(OutboxRow.provider))) == ["pod"]
