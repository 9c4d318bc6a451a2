"""Issue 18 items 8-10: no plain http to another machine, no secret in a stored or shown provider
message, and a CA file checked when it is given (never a traceback later)."""

from __future__ import annotations

import json

import pytest

from posapp.cli import main
from posapp.providers.errors import ProviderValidationError
from posapp.providers.hesabfa import HesabfaConfig, HesabfaProvider
from posapp.providers.http import HttpClient, check_endpoint_url
from posapp.providers.pod import PodConfig
from posapp.services.error_text import error_text
from posapp.settings import providers as provider_settings
from posapp.settings.store import SettingsStore
from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, json_response
from tests.providers.conftest import no_sleep
from tests.providers.test_provider_cli import configure

PROVIDERS = ("pod", "hesabfa", "hesabit", "sepidar", "payping")


@pytest.mark.parametrize("name", PROVIDERS)
def test_plain_http_to_another_machine_is_refused_for_every_provider(name, memory_keyring, monkeypatch, capsys):
    code = configure(monkeypatch, name, "--base-url", "http://api.pod.ir/srv/sc", "--no-prompt")
    assert code == 2
    err = capsys.readouterr().err
    assert "https" in err
    assert "http" in err
    assert "Traceback" not in err
    assert provider_settings.load_config(SettingsStore(), name).base_url == ""


@pytest.mark.parametrize("url", ["http://127.0.0.1:7373", "http://localhost:8080/api", "http://[::1]:9000",
                                 "https://api.pod.ir/srv/sc"])
def test_https_and_loopback_http_are_accepted(url, memory_keyring, monkeypatch):
    assert configure(monkeypatch, "sepidar", "--base-url", url, "--no-prompt") == 0
    assert provider_settings.load_config(SettingsStore(), "sepidar").base_url == url


def test_pod_pay_and_file_addresses_are_checked_too():
    with pytest.raises(ProviderValidationError) as caught:
        PodConfig(pay_base_url="http://pay.pod.ir").validate()
    assert "pay_base_url" in caught.value.field_errors
    for url in ("http://10.0.0.5:7373", "ftp://example.com", "http://127.0.0.1.example.com"):
        with pytest.raises(ValueError):
            check_endpoint_url(url)


def test_missing_ca_bundle_is_refused_when_given(memory_keyring, monkeypatch, capsys, tmp_path):
    missing = tmp_path / "no-such-ca.pem"
    assert configure(monkeypatch, "pod", "--ca-bundle", str(missing), "--no-prompt") == 2
    err = capsys.readouterr().err
    assert "CA" in err
    assert str(missing) in err
    assert provider_settings.load_config(SettingsStore(), "pod").ca_bundle == ""
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate")
    assert configure(monkeypatch, "pod", "--ca-bundle", str(garbage), "--no-prompt") == 2


def test_a_stored_missing_ca_bundle_makes_check_say_so_without_a_traceback(memory_keyring, monkeypatch,
                                                                           capsys, tmp_path):
    """A file deleted after it was configured: `provider check` names it and exits 2."""
    store = SettingsStore()
    store.set(provider_settings.config_setting("pod"), {"ca_bundle": str(tmp_path / "gone.pem"),
                                                        "guild_code": "G"})
    memory_keyring.store[("posapp/pod", "token")] = "tok"
    assert main(["provider", "check", "pod"]) == 2
    printed = capsys.readouterr().out
    assert "gone.pem" in printed
    assert "CA" in printed


class EchoingHesabfa(FakeServer):
    """A Hesabfa-shaped server whose error message echoes the whole request body and headers, as
    careless servers do."""

    def __init__(self) -> None:
        super().__init__(seed=3)
        self.route("POST", "/v1/contact/getcontacts", self.echo, name="contact/getcontacts")

    def echo(self, request: FakeRequest) -> FakeResponse:
        echoed = f"bad request {request.body.decode()} headers={json.dumps(request.headers)}"
        return json_response({"Success": False, "ErrorCode": 190, "ErrorMessage": echoed, "Result": None})


def test_secrets_echoed_by_a_provider_never_reach_the_outbox_text():
    api_key, login_token = "KEY-7f3a9c2d", "LOGIN-55aa01bb"
    with EchoingHesabfa() as fake:
        config = HesabfaConfig(base_url=f"{fake.base_url}/v1", client_rate_limit=0, timeout=2.0)
        http = HttpClient(config.client_config(config.base_url), provider="hesabfa", sleep=no_sleep)
        with (HesabfaProvider(config, {"api_key": api_key, "login_token": login_token}, http=http) as client,
              pytest.raises(ProviderValidationError) as caught):
            client.list_contacts()
    stored = error_text(caught.value)
    assert "bad request" in stored
    for secret in (api_key, login_token):
        assert secret not in stored
        assert secret not in str(caught.value)
        assert secret not in caught.value.message_fa


def test_scrub_hides_values_named_as_secrets_even_when_they_were_not_sent():
    from posapp.providers.http import scrub

    text = scrub('{"access_token": "abc123xyz", "note": "ok"} Authorization: Bearer eyJhbGciOi.x.y '
                 "password=hunter22&user=bob")
    assert "abc123xyz" not in text
    assert "eyJhbGciOi" not in text
    assert "hunter22" not in text
    assert '"note": "ok"' in text
    assert "user=bob" in text


def test_a_provider_error_raised_outside_the_http_layer_is_scrubbed_when_stored():
    error = ProviderValidationError("sepidar", "خطا: Authorization: Bearer eyJabc.def.ghi",
                            'refused {"password": "hunter22"}', field_errors={"token": "tok=abcd1234"})
    stored = error_text(error)
    assert "eyJabc" not in stored
    assert "hunter22" not in stored
    assert "abcd1234" not in stored
