"""A provider's settings dialog as a real widget: settings to the file, secrets to the keyring
only and never shown back, "test connection" against the Pod fake, refusals that save
nothing, and the provider's own labels in the UI's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit

from posapp.settings import providers as provider_settings
from posapp.settings.store import SettingsStore
from posapp.ui.i18n import apply_language
from posapp.ui.provider_settings import ProviderSettingsDialog
from tests.fakes.pod import PodFake
from tests.sync.providers_under_test import POD_GUILD


@pytest.fixture(autouse=True)
def persian_ui(qapp):
    """The dialog follows the application's language; these tests read the Persian UI."""
    apply_language(qapp, "fa")


@pytest.fixture
def pod_fake():
    with PodFake() as fake:
        yield fake


def fill(dialog, **values):
    for name, value in values.items():
        editor = dialog.editors[name]
        if isinstance(editor, QCheckBox):
            editor.setChecked(value)
        else:
            assert isinstance(editor, QLineEdit)
            editor.setText(value)


def test_test_connection_then_save_keeps_the_token_only_in_the_keyring(
        qtbot, tasks, memory_keyring, pod_fake, tmp_path: Path):
    store = SettingsStore(tmp_path / "settings.json")
    dialog = ProviderSettingsDialog("pod", store, tasks)
    qtbot.addWidget(dialog)
    fill(dialog, base_url=pod_fake.base_url, guild_code=POD_GUILD)
    dialog.secret_editors["token"].setText(pod_fake.token)
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert "✘" not in dialog.message.text()
    assert dialog.message.text().count("✔") >= 3
    dialog.enabled_box.setChecked(True)
    dialog.save()
    assert dialog.saved
    config = provider_settings.load_config(store, "pod")
    assert (config.base_url, config.guild_code) == (pod_fake.base_url, POD_GUILD)
    assert provider_settings.is_enabled(store, "pod")
    assert memory_keyring.store[("posapp/pod", "token")] == pod_fake.token
    assert pod_fake.token not in store.path.read_text(encoding="utf-8")
    again = ProviderSettingsDialog("pod", store, tasks)
    qtbot.addWidget(again)
    assert again.secret_editors["token"].text() == ""
    assert "ذخیره شده" in again.secret_editors["token"].placeholderText()


def test_a_wrong_token_fails_the_test_with_pods_message(qtbot, tasks, memory_keyring, pod_fake, tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    dialog = ProviderSettingsDialog("pod", store, tasks)
    qtbot.addWidget(dialog)
    fill(dialog, base_url=pod_fake.base_url, guild_code=POD_GUILD)
    dialog.secret_editors["token"].setText("not-a-pod-token")
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert "✘" in dialog.message.text()
    assert dialog.message.property("error") is True


def test_enabling_without_a_token_saves_nothing(qtbot, tasks, memory_keyring, tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    dialog = ProviderSettingsDialog("pod", store, tasks)
    qtbot.addWidget(dialog)
    fill(dialog, guild_code=POD_GUILD)
    dialog.enabled_box.setChecked(True)
    dialog.save()
    assert not dialog.saved
    assert "توکن" in dialog.message.text()
    assert not provider_settings.is_enabled(store, "pod")
    assert not store.path.exists() or POD_GUILD not in store.path.read_text(encoding="utf-8")
    assert memory_keyring.store == {}


def test_a_bad_base_url_is_refused_with_nothing_written(qtbot, tasks, memory_keyring, tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    dialog = ProviderSettingsDialog("pod", store, tasks)
    qtbot.addWidget(dialog)
    fill(dialog, base_url="ftp://pod.example", guild_code=POD_GUILD)
    dialog.secret_editors["token"].setText("tok")
    dialog.test_connection()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=10_000)
    assert "✘" in dialog.message.text()


def field_label(dialog, name):
    editor = dialog.editors[name] if name in dialog.editors else dialog.secret_editors[name]
    form = editor.parentWidget().layout()
    assert isinstance(form, QFormLayout)
    return form.labelForField(editor).text()


def test_the_provider_labels_follow_the_ui_language(qapp, qtbot, tasks, memory_keyring, tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    persian = ProviderSettingsDialog("pod", store, tasks)
    qtbot.addWidget(persian)
    assert persian.windowTitle() == "تنظیمات صورتحساب پاد"
    assert field_label(persian, "guild_code") == "کد صنف در پنل کسب‌وکار"
    assert field_label(persian, "token") == "توکن API کسب‌وکار پاد"
    apply_language(qapp, "en")
    try:
        english = ProviderSettingsDialog("pod", store, tasks)
        qtbot.addWidget(english)
        assert english.windowTitle() == "Pod billing settings"
        assert english.enabled_box.text() == "Send invoices to this provider"
        assert english.scope_box.itemText(0) == "Every invoice"
        assert field_label(english, "guild_code") == "guild code from the business panel"
        assert field_label(english, "token") == "Pod business API token"
        english.enabled_box.setChecked(True)
        english.save()
        assert english.message.text() == "To enable it, enter: Pod business API token"
    finally:
        apply_language(qapp, "fa")


def test_the_shops_sync_choices_for_a_provider_are_saved_from_its_dialog(qtbot, tasks, memory_keyring,
                                                                        tmp_path):
    from posapp.services.sync_settings import POD_CLOSE_PAID, POD_VERIFY_PAID, catalogue_providers

    store = SettingsStore(tmp_path / "settings.json")
    pod = ProviderSettingsDialog("pod", store, tasks)
    qtbot.addWidget(pod)
    assert set(pod.option_boxes) == {"verify_paid", "close_paid"}
    assert pod.option_boxes["verify_paid"].isChecked()
    pod.option_boxes["close_paid"].setChecked(True)
    pod.option_boxes["verify_paid"].setChecked(False)
    pod.save()
    assert (store.get(POD_VERIFY_PAID), store.get(POD_CLOSE_PAID)) == (False, True)

    for wanted in (True, False):
        hesabfa = ProviderSettingsDialog("hesabfa", store, tasks)
        qtbot.addWidget(hesabfa)
        assert set(hesabfa.option_boxes) == {"pull_catalogue"}
        hesabfa.option_boxes["pull_catalogue"].setChecked(wanted)
        hesabfa.save()
        assert hesabfa.saved
        assert ("hesabfa" in catalogue_providers(store)) is wanted
    hesabit = ProviderSettingsDialog("hesabit", store, tasks)
    qtbot.addWidget(hesabit)
    assert hesabit.option_boxes == {}


def test_plain_http_to_another_machine_is_refused_on_save_with_nothing_written(qtbot, tasks, memory_keyring,
                                                                             tmp_path):
    """Issue 18 item 8, from the dialog: the token would travel in clear text."""
    store = SettingsStore(tmp_path / "settings.json")
    dialog = ProviderSettingsDialog("pod", store, tasks)
    qtbot.addWidget(dialog)
    fill(dialog, base_url="http://api.pod.ir/srv/sc", guild_code=POD_GUILD)
    dialog.secret_editors["token"].setText("tok")
    dialog.save()
    assert "https" in dialog.message.text()
    assert provider_settings.load_config(store, "pod").base_url == ""
    assert ("posapp/pod", "token") not in memory_keyring.store
