"""`posapp provider configure|show|check moadian` end to end (settings file, in-memory keyring,
the Moadian fake)."""

from __future__ import annotations

import pytest

from posapp.cli import main
from posapp.settings import providers as provider_settings
from posapp.settings.moadian import MOADIAN_ENABLED, active_memory_id, moadian_scope
from posapp.settings.shop import ENABLED_SYNC_PROVIDERS, SHOP_ECONOMIC_CODE
from posapp.settings.store import SettingsStore
from tests.fakes.moadian import MoadianFake
from tests.providers.test_moadian import MEMORY_ID, SELLER_ECONOMIC_CODE, identity, public_key_of


@pytest.fixture
def pem_files(tmp_path):
    key, certificate = identity("shop")
    (tmp_path / "key.pem").write_bytes(key)
    (tmp_path / "cert.pem").write_bytes(certificate)
    return tmp_path / "key.pem", tmp_path / "cert.pem"


@pytest.fixture
def fake():
    with MoadianFake() as server:
        server.register(MEMORY_ID, public_key_of(identity("shop")[1]), economic_code=SELLER_ECONOMIC_CODE)
        yield server


def configure(*options: str) -> int:
    return main(["provider", "configure", "moadian", *options])


def test_configure_keeps_key_and_certificate_in_the_keyring_only(memory_keyring, pem_files, capsys):
    key_file, certificate_file = pem_files
    code = configure("--memory-id", MEMORY_ID.lower(), "--private-key-file", str(key_file),
                     "--certificate-file", str(certificate_file), "--sandbox", "--enable", "--invoices", "business")
    assert code == 0
    store = SettingsStore()
    config = provider_settings.load_config(store, "moadian")
    assert (config.memory_id, config.sandbox) == (MEMORY_ID, True)
    assert active_memory_id(store) == MEMORY_ID
    assert moadian_scope(store).value == "business"
    assert memory_keyring.store[("posapp/moadian", "private_key")] == key_file.read_text()
    assert memory_keyring.store[("posapp/moadian", "certificate")] == certificate_file.read_text()
    printed = capsys.readouterr().out
    assert "secret private_key: present" in printed
    assert "CN=shop" in printed
    settings_text = store.path.read_text(encoding="utf-8")
    for secret in (key_file.read_text(), certificate_file.read_text()):
        body = secret.splitlines()[1]
        assert body not in printed
        assert body not in settings_text
    assert "moadian" not in store.get(ENABLED_SYNC_PROVIDERS), "not one of the sync providers"


def test_configure_refuses_a_key_that_is_not_the_certificates_and_a_bad_memory_id(memory_keyring, pem_files,
                                                                                  tmp_path, capsys):
    key_file, _ = pem_files
    (tmp_path / "other.pem").write_bytes(identity("someone else")[1])
    assert configure("--memory-id", MEMORY_ID, "--private-key-file", str(key_file),
                     "--certificate-file", str(tmp_path / "other.pem")) == 2
    assert "does not belong to the private key" in capsys.readouterr().err
    assert memory_keyring.store == {}
    assert provider_settings.load_config(SettingsStore(), "moadian").memory_id == ""
    assert configure("--memory-id", "A1-B2") == 2
    assert "6 Latin letters or digits" in capsys.readouterr().err
    assert configure("--private-key-file", str(key_file)) == 2
    assert configure("--enable") == 2, "no memory ID yet"
    assert not SettingsStore().get(MOADIAN_ENABLED)
    assert configure("--memory-id", MEMORY_ID, "--private-key-file", str(tmp_path / "missing.pem"),
                     "--certificate-file", str(tmp_path / "missing.pem")) == 2
    assert "could not be read" in capsys.readouterr().err


def test_check_reads_fiscal_information_and_the_taxpayer_from_the_fake(memory_keyring, pem_files, fake, capsys):
    key_file, certificate_file = pem_files
    SettingsStore().set(SHOP_ECONOMIC_CODE, SELLER_ECONOMIC_CODE)
    assert configure("--memory-id", MEMORY_ID, "--private-key-file", str(key_file),
                     "--certificate-file", str(certificate_file), "--base-url", fake.api_url) == 0
    capsys.readouterr()
    assert main(["provider", "check", "moadian"]) == 0
    printed = capsys.readouterr().out
    assert "✓ fiscal-information: فروشگاه نمونه (ACTIVE)" in printed
    assert f"✓ taxpayer {SELLER_ECONOMIC_CODE}" in printed
    SettingsStore().set(SHOP_ECONOMIC_CODE, "12345678901")
    assert main(["provider", "check", "moadian"]) == 1
    assert "کد اقتصادی پیدا نشد" in capsys.readouterr().out


def test_check_without_a_key_says_how_to_configure(memory_keyring, capsys):
    assert configure("--memory-id", MEMORY_ID) == 0
    capsys.readouterr()
    assert main(["provider", "check", "moadian"]) == 2
    assert "posapp provider configure moadian" in capsys.readouterr().out
