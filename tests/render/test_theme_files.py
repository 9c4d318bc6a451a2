"""Theme files are data: each shipped one loads, and mistakes in one fail loudly."""

from __future__ import annotations

import tomllib

import pytest

from posapp.paths import themes_dir
from posapp.render.document import Branding, RenderOptions
from posapp.render.labels import DEFAULT_LABELS
from posapp.render.registry import RENDERERS, renderer_for
from posapp.render.theme import THEME_NAMES, ThemeError, load_theme, parse_theme


@pytest.mark.parametrize("name", THEME_NAMES)
def test_every_shipped_theme_loads_with_a_renderer(name):
    theme = load_theme(name)
    assert theme.name == name
    assert name in RENDERERS
    assert set(DEFAULT_LABELS) <= set(theme.labels)


def test_formal_carries_the_official_form_columns_and_title():
    theme = load_theme("formal")
    assert [c.key for c in theme.columns] == [
        "row", "code", "description", "quantity", "unit", "unit_price", "gross", "discount",
        "net", "tax", "total",
    ]
    assert theme.label("title.sale") == "صورتحساب فروش کالا و خدمات"


def _modern_data():
    return tomllib.loads((themes_dir() / "modern" / "theme.toml").read_text(encoding="utf-8"))


def test_a_typo_in_a_theme_file_is_refused():
    data = _modern_data()
    data["colours"] = {**data["colours"]}
    data["table"] = {**data["table"], "zebar": True}
    with pytest.raises(ThemeError, match="zebar"):
        parse_theme(data, themes_dir() / "modern")


def test_an_unknown_column_or_label_is_refused():
    data = _modern_data()
    data["columns"] = [*data["columns"], {"key": "colour"}]
    with pytest.raises(ThemeError, match="colour"):
        parse_theme(data, themes_dir() / "modern")
    data = _modern_data()
    data["labels"] = {"title.invoice": "x"}
    with pytest.raises(ThemeError, match=r"title\.invoice"):
        parse_theme(data, themes_dir() / "modern")


def test_a_missing_colour_is_named():
    data = _modern_data()
    del data["colours"]["stamp"]
    with pytest.raises(ThemeError, match="stamp"):
        parse_theme(data, themes_dir() / "modern")


def test_unknown_theme_names_and_options_are_refused():
    with pytest.raises(ThemeError):
        renderer_for("fancy")
    with pytest.raises(ValueError, match="paper"):
        RenderOptions(paper="Letter")
    with pytest.raises(ValueError, match="copies"):
        RenderOptions(copies=("driver",))
    with pytest.raises(ValueError, match="58 or 80"):
        renderer_for("receipt", RenderOptions(receipt_width_mm=57)).paper  # noqa: B018
    with pytest.raises(ValueError, match="fa"):
        Branding(shop_name="x", language="en")
