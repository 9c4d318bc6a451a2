"""The HttpProvider base every HTTP provider client builds on: one constructor, one rule for
required secrets (from `SecretSpec.required`), one HTTP-status table. Building a client opens
no connection, so these tests need no server."""

from __future__ import annotations

import pytest

from posapp.providers import registry
from posapp.providers.errors import (
    AuthenticationError,
    ProviderError,
    ProviderValidationError,
    RemoteNotFoundError,
)
from posapp.providers.http_provider import HttpProvider

SYNC = sorted(registry.SYNC_PROVIDERS)
SETTINGS = {"username": "cashier", "user_id": "owner"}
"""Settings some clients need besides secrets (Sepidar's user name, Hesabfa's owner)."""
WELL_FORMED = {"serial": "10017ff3"}
"""Sepidar reads its device serial: 8 characters, the first 4 digits."""


def config(name):
    return registry.config_class(name).from_mapping(SETTINGS)


def all_secrets(name):
    return {spec.name: WELL_FORMED.get(spec.name, f"{spec.name}-value")
            for spec in registry.secret_specs(name) if spec.name != "device_key"}


def specs(required):
    return [(name, spec) for name in SYNC for spec in registry.secret_specs(name)
            if spec.required is required]


@pytest.mark.parametrize("name", SYNC)
def test_every_sync_provider_is_built_by_its_http_provider_class(name):
    module = registry.provider_module(name)
    assert issubclass(module.create, HttpProvider)
    assert module.create.SECRETS is module.SECRETS
    with registry.create_provider(name, config(name), all_secrets(name)) as client:
        assert isinstance(client, HttpProvider)
        assert client.name == name


@pytest.mark.parametrize(("name", "spec"), specs(required=True),
                         ids=lambda value: getattr(value, "name", value))
@pytest.mark.parametrize("value", [None, "", "   "])
def test_a_missing_required_secret_is_refused_naming_it_and_how_to_set_it(name, spec, value):
    secrets = all_secrets(name)
    if value is None:
        del secrets[spec.name]
    else:
        secrets[spec.name] = value
    with pytest.raises(AuthenticationError) as caught:
        registry.create_provider(name, config(name), secrets)
    assert spec.label_fa in caught.value.message_fa
    assert spec.label_en in caught.value.message_en
    for message in (caught.value.message_fa, caught.value.message_en):
        assert f"posapp provider configure {name}" in message


@pytest.mark.parametrize(("name", "spec"), specs(required=False),
                         ids=lambda value: getattr(value, "name", value))
def test_an_optional_secret_may_be_left_out(name, spec):
    secrets = all_secrets(name)
    secrets.pop(spec.name, None)
    with registry.create_provider(name, config(name), secrets) as client:
        assert client.name == name


@pytest.mark.parametrize("name", SYNC)
def test_one_status_table_for_every_provider(name):
    title = registry.provider_info(name)
    with registry.create_provider(name, config(name), all_secrets(name)) as client:
        for status, kind in ((400, ProviderValidationError), (409, ProviderValidationError), (422, ProviderValidationError),
                             (401, AuthenticationError), (403, AuthenticationError),
                             (404, RemoteNotFoundError), (418, ProviderError)):
            error = client.status_error(status, "the server's own words")
            assert type(error) is kind
            assert (error.provider, error.status) == (name, status)
            assert title.title_fa in error.message_fa
            assert title.title_en in error.message_en
            assert error.message_en.endswith(": the server's own words")
        refused = client.status_error(400, "bad", field_errors={"amount": "too big"})
        assert dict(refused.field_errors) == {"amount": "too big"}
        assert dict(client.status_error(400, "bad").field_errors) == {name: "bad"}
