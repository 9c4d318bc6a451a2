"""`posapp provider ...` end to end: settings file, in-memory keyring, the Pod and Hesabfa fakes."""

from __future__ import annotations

import io

import keyring
import pytest
from keyring.backends import fail

from posapp.cli import main
from posapp.cli.provider import configure_parser
from posapp.domain.invoice import Party
from posapp.settings import providers as provider_settings
from posapp.settings.store import SettingsStore
from tests.providers.conftest import line, sale


class FakeStdin(io.StringIO):
    def __init__(self, text: str, *, tty: bool = False) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def configure(monkeypatch, *argv: str, stdin: str = "", tty: bool = False) -> int:
    monkeypatch.setattr("sys.stdin", FakeStdin(stdin, tty=tty))
    return main(["provider", "configure", *argv])


def test_configure_pod_stores_settings_and_token(memory_keyring, monkeypatch, capsys):
    code = configure(monkeypatch, "pod", "--guild-code", "FOOD_GUILD", "--sandbox", "--deadline-days", "2",
                     "--enable", "--invoices", "named-customer", "--token-stdin", stdin="pod-secret-token\n")
    assert code == 0
    store = SettingsStore()
    config = provider_settings.load_config(store, "pod")
    assert (config.guild_code, config.sandbox, config.deadline_days) == ("FOOD_GUILD", True, 2)
    assert provider_settings.is_enabled(store, "pod")
    assert memory_keyring.store[("posapp/pod", "token")] == "pod-secret-token"
    printed = capsys.readouterr().out
    assert "secret token: present" in printed
    assert "pod-secret-token" not in printed
    assert "pod-secret-token" not in (provider_settings.config_setting("pod").key + str(store.path.read_text()))
    with_buyer = sale(line("کالا", "1", "1000"), buyer=Party(name="مشتری"))
    assert provider_settings.accepts_invoice(store, "pod", with_buyer)
    assert not provider_settings.accepts_invoice(store, "pod", sale(line("کالا", "1", "1000")))


def test_secrets_cannot_be_given_on_the_command_line():
    parser = configure_parser("hesabfa")
    for option in ("--api-key", "--token", "--password", "--login-token"):
        with pytest.raises(SystemExit):
            parser.parse_args([option, "value"])
    help_text = parser.format_help()
    assert "--api-key-stdin" in help_text
    assert "--cash-code" in help_text


def test_several_secrets_are_read_one_line_each(memory_keyring, monkeypatch):
    code = configure(monkeypatch, "hesabfa", "--cash-code", "0001", "--api-key-stdin", "--login-token-stdin",
                     stdin="the-api-key\nthe-login-token\n")
    assert code == 0
    assert memory_keyring.store[("posapp/hesabfa", "api_key")] == "the-api-key"
    assert memory_keyring.store[("posapp/hesabfa", "login_token")] == "the-login-token"
    assert provider_settings.load_config(SettingsStore(), "hesabfa").cash_code == "0001"


def test_prompts_with_getpass_on_a_terminal(memory_keyring, monkeypatch):
    asked = []
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or "typed-token")
    assert configure(monkeypatch, "pod", tty=True) == 0
    assert memory_keyring.store[("posapp/pod", "token")] == "typed-token"
    assert len(asked) == 1  # the optional service-call key is not asked for
    assert configure(monkeypatch, "pod", "--guild-code", "X_GUILD", tty=True) == 0
    assert len(asked) == 1  # already stored


def test_missing_secret_without_a_terminal_is_reported(memory_keyring, monkeypatch, capsys):
    assert configure(monkeypatch, "pod", "--guild-code", "X_GUILD") == 0
    assert "secret token: missing" in capsys.readouterr().out
    assert main(["provider", "check", "pod"]) == 2
    assert "configure pod" in capsys.readouterr().out


def test_invalid_values_are_refused(memory_keyring, monkeypatch, capsys):
    assert configure(monkeypatch, "pod", "--deadline-days", "soon", "--no-prompt") == 2
    with pytest.raises(SystemExit):
        configure(monkeypatch, "pod", "--call-style", "carrier-pigeon")


def test_no_usable_keyring_explains_what_to_install(monkeypatch, capsys):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert configure(monkeypatch, "pod", "--token-stdin", stdin="tok\n") == 2
        err = capsys.readouterr().err
        assert configure(monkeypatch, "pod", "--guild-code", "X_GUILD") == 0  # no secret needed
        assert provider_settings.load_config(SettingsStore(), "pod").guild_code == "X_GUILD"
    finally:
        keyring.set_keyring(previous)
    assert "keyrings.alt" in err
    assert "gnome-keyring" in err


def test_check_pod_against_the_fake(memory_keyring, monkeypatch, pod_fake, capsys):
    url = pod_fake.base_url
    assert configure(monkeypatch, "pod", "--base-url", url, "--pay-base-url", url,
                     "--guild-code", "INFORMATION_TECHNOLOGY_GUILD", "--token-stdin", stdin=f"{pod_fake.token}\n") == 0
    capsys.readouterr()
    assert main(["provider", "check", "pod"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("✓") == 3
    assert pod_fake.token not in printed
    memory_keyring.store[("posapp/pod", "token")] = "revoked"
    assert main(["provider", "check", "pod"]) == 1
    assert "✗ token" in capsys.readouterr().out


def test_check_hesabfa_and_forget(memory_keyring, monkeypatch, hesabfa_fake, capsys):
    assert configure(monkeypatch, "hesabfa", "--base-url", f"{hesabfa_fake.base_url}/v1", "--cash-code", "0001",
                     "--bank-code", "0001", "--api-key-stdin", "--login-token-stdin",
                     stdin=f"{hesabfa_fake.api_key}\n{hesabfa_fake.login_token}\n") == 0
    assert main(["provider", "check", "hesabfa"]) == 0
    assert configure(monkeypatch, "hesabfa", "--bank-code", "0002", "--no-prompt") == 0
    capsys.readouterr()
    assert main(["provider", "check", "hesabfa"]) == 1
    printed = capsys.readouterr().out
    assert "✗ bank_code" in printed
    assert "0001 (بانک ملت)" in printed
    assert "✓ cash_code" in printed
    assert main(["provider", "forget", "hesabfa"]) == 0
    assert ("posapp/hesabfa", "api_key") not in memory_keyring.store
    assert "api_key, login_token" in capsys.readouterr().out


def test_list_and_show(memory_keyring, monkeypatch, capsys):
    configure(monkeypatch, "hesabfa", "--enable", "--no-prompt")
    capsys.readouterr()
    assert main(["provider", "list"]) == 0
    listing = capsys.readouterr().out
    assert "hesabfa  enabled   missing: api_key" in listing
    assert "pod      disabled  missing: token" in listing
    memory_keyring.set_password("posapp/pod", "token", "t0k3n")
    assert main(["provider", "list"]) == 0
    listing = capsys.readouterr().out
    assert "pod      disabled  secrets set" in listing
    assert "t0k3n" not in listing
    assert main(["provider", "show", "hesabfa"]) == 0
    assert "secret api_key: missing" in capsys.readouterr().out
