"""The settings file: typed values and defaults, a damaged file set aside, and several stores
or processes changing it without losing each other's changes."""

from __future__ import annotations

import json
import multiprocessing

from posapp.settings import store as store_module
from posapp.settings.store import Setting, SettingsStore

NAME = Setting("shop.name", "", str)
COUNT = Setting("test.count", 3, int)
FLAG = Setting("test.flag", False, bool)


def test_values_round_trip_with_types_and_defaults(tmp_path):
    store = SettingsStore(tmp_path / "settings.json")
    assert store.get(COUNT) == 3
    store.set(COUNT, "7")
    store.set(FLAG, "yes")
    again = SettingsStore(tmp_path / "settings.json")
    assert (again.get(COUNT), again.get(FLAG)) == (7, True)
    again.reset(COUNT)
    assert SettingsStore(tmp_path / "settings.json").get(COUNT) == 3


def test_a_damaged_file_is_kept_aside_and_defaults_are_used(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    store = SettingsStore(path)
    assert store.get(COUNT) == 3
    assert (tmp_path / "settings.damaged.json").read_text(encoding="utf-8") == "{not json"
    store.set(NAME, "فروشگاه")
    assert json.loads(path.read_text(encoding="utf-8")) == {"shop.name": "فروشگاه"}


def test_two_stores_keep_each_others_changes_and_see_them(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "RELOAD_CHECK_SECONDS", 0.0)
    app = SettingsStore(tmp_path / "settings.json")
    command_line = SettingsStore(tmp_path / "settings.json")
    app.get(NAME)
    command_line.set(NAME, "فروشگاه نمونه")
    app.set(COUNT, 9)
    assert app.get(NAME) == "فروشگاه نمونه"
    assert SettingsStore(tmp_path / "settings.json").get(NAME) == "فروشگاه نمونه"
    assert command_line.get(COUNT) == 9


def _set_many(path: str, prefix: str, count: int) -> None:
    store = SettingsStore(store_module.Path(path))
    for index in range(count):
        store.set(Setting(f"{prefix}.{index}", 0, int), index)


def test_processes_changing_the_file_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "settings.json")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_set_many, args=(path, prefix, 40)) for prefix in "abc"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    values = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert len(values) == 120
