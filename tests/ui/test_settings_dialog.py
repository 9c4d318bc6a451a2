"""The settings dialog: saved values reach the settings, a bad till code is refused with a
message and saves nothing, and a language change asks for the window to be rebuilt."""

from __future__ import annotations

from posapp.settings.shop import PAYMENT_LINK_PROVIDER, TILL_CODE
from posapp.settings.ui import UI_LANGUAGE
from posapp.ui.settings_dialog import SettingsDialog


def test_saving_stores_the_choices_and_a_language_change_rebuilds(qtbot, store):
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.link_provider.setCurrentIndex(dialog.link_provider.findData("hesabfa"))
    dialog.accept()
    assert store.get(UI_LANGUAGE) == "en"
    assert store.get(PAYMENT_LINK_PROVIDER) == "hesabfa"
    assert dialog.needs_rebuild


def test_a_bad_till_code_is_refused_and_nothing_is_saved(qtbot, store):
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.till.setText("صندوق یک!")
    dialog.link_provider.setCurrentIndex(dialog.link_provider.findData("none"))
    dialog.accept()
    assert dialog.result() != SettingsDialog.DialogCode.Accepted
    assert store.get(TILL_CODE) == "1"
    assert store.get(PAYMENT_LINK_PROVIDER) == ""
    assert dialog.form.error_text("till")
