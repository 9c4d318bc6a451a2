"""`posapp sync --once`, `sync status`, `sync retry` and `sync skip` end to end: settings file,
in-memory keyring, a real database and the Pod fake."""

from __future__ import annotations

from posapp.cli import main
from posapp.providers.pod import PodConfig
from posapp.settings import providers as provider_settings
from posapp.settings import secrets
from posapp.settings.store import SettingsStore
from tests.sync import providers_under_test as put


def configure_pod(fake, guild_code=put.POD_GUILD):
    store = SettingsStore()  # the file `posapp` itself reads (POSAPP_DATA_DIR of this test)
    provider_settings.save_config(store, "pod", PodConfig(
        base_url=fake.base_url, guild_code=guild_code, timeout=2.0, max_retries=1))
    provider_settings.set_enabled(store, "pod", True)
    secrets.set_secret("pod", "token", fake.token)


def test_sync_once_delivers_and_status_reports(make_shop, memory_keyring, capsys):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    configure_pod(fake)
    sales = shop.sell(3)
    assert main(["--database-url", shop.database_url, "sync", "--once"]) == 0
    out = capsys.readouterr().out
    assert "pod: delivered 3, rejected 0" in out
    assert sorted(r.number for r in put.remote_invoices("pod", fake)) == sorted(s.number for s in sales)
    assert main(["--database-url", shop.database_url, "sync", "status"]) == 0
    status = capsys.readouterr().out
    assert "pod: pending 0 (blocked 0), in flight 0, failed 0, done 3" in status
    assert "last success never" not in status
    assert fake.token not in out + status


def test_a_rejection_exits_non_zero_and_the_cashier_can_retry_or_skip(make_shop, memory_keyring, capsys):
    shop = make_shop("pod")
    fake = shop.fakes["pod"]
    configure_pod(fake, guild_code="NOT_OUR_GUILD")
    shop.sell(2)
    assert main(["--database-url", shop.database_url, "sync", "--once"]) == 1
    out = capsys.readouterr().out
    assert "rejected 2" in out
    assert "[code 53]" in out  # Pod's own error code and message are kept
    assert main(["--database-url", shop.database_url, "sync", "status"]) == 0
    status = capsys.readouterr().out
    assert "failed 2" in status
    assert "#1 pod issue" in status
    assert main(["--database-url", shop.database_url, "sync", "skip", "1", "--reason", "by hand"]) == 0
    configure_pod(fake)
    assert main(["--database-url", shop.database_url, "sync", "retry", "2"]) == 0
    capsys.readouterr()
    assert main(["--database-url", shop.database_url, "sync", "--once"]) == 0
    assert "pod: delivered 1, rejected 0" in capsys.readouterr().out
    assert main(["--database-url", shop.database_url, "sync", "retry", "99"]) == 1


def test_a_provider_without_credentials_is_reported_unreachable(make_shop, memory_keyring, capsys):
    shop = make_shop("pod")
    store = SettingsStore()
    provider_settings.set_enabled(store, "pod", True)
    shop.sell(1)
    assert main(["--database-url", shop.database_url, "sync", "--once"]) == 2
    out = capsys.readouterr().out
    assert "unreachable" in out
    assert "posapp provider configure pod" in out


def test_enqueue_sends_what_was_sold_before_the_provider_was_enabled(make_shop, memory_keyring, capsys):
    shop = make_shop()
    earlier = shop.sell(3)
    cancelled = shop.services.invoicing.cancel(shop.sell(1)[0].number, "اشتباه صندوقدار")
    with put.start_fake("pod") as fake:
        configure_pod(fake)
        assert main(["--database-url", shop.database_url, "sync", "enqueue", "pod"]) == 0
        assert "pod: 3 earlier documents queued" in capsys.readouterr().out
        assert main(["--database-url", shop.database_url, "sync", "enqueue", "pod"]) == 0
        assert "pod: 0 earlier documents queued" in capsys.readouterr().out
        assert main(["--database-url", shop.database_url, "sync", "--once"]) == 0
        numbers = sorted(r.number for r in put.remote_invoices("pod", fake))
    assert numbers == sorted(s.number for s in earlier)
    assert cancelled.number not in numbers
    assert main(["--database-url", shop.database_url, "sync", "enqueue", "hesabfa"]) == 2
    assert "not enabled" in capsys.readouterr().err
