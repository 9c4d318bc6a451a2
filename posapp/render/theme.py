"""Themes as data: themes/<name>/theme.toml read with tomllib into an immutable `Theme`.

A theme file has these tables (lengths in millimetres, font sizes in points):

    [theme]     name, description, papers (allowed paper names, first is the default),
                landscape, copies (copy labels printed by default: "seller", "buyer")
    [fonts]     regular, bold (TTF file names in resources/fonts), body, small, heading, title
                (sizes), leading (line height as a multiple of the size)
    [colours]   text, muted, accent, on_accent, rule, zebra, stamp (hex "#rrggbb"); optionally
                table_header and on_table_header (the line table's header row, else accent)
    [geometry]  margin_top, margin_bottom, margin_side, plus keys a theme's code reads (logo_width
                and logo_height bound the logo); `key_A5` overrides `key` on A5, and `leading_A5`
                the [fonts] leading
    [table]     grid (bool), zebra (bool), totals_row (bool), cell_padding, hidden_on (a
                table: paper name -> column keys not printed on that paper)
    [[columns]] key, weight (share of the table width), align ("right", "centre", "left")
    [labels]    overrides of posapp.render.labels.DEFAULT_LABELS

Unknown keys are refused, so a typo in a theme file fails loudly instead of being ignored.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from reportlab.lib.colors import Color, HexColor

from posapp.paths import themes_dir
from posapp.render.labels import DEFAULT_LABELS

THEME_NAMES = ("modern", "formal", "receipt", "carbon")

COLUMN_KEYS = frozenset({
    "row", "code", "description", "quantity", "unit", "unit_price", "gross", "discount", "net",
    "tax", "total",
})
REQUIRED_COLOURS = ("text", "muted", "accent", "on_accent", "rule", "zebra", "stamp")
REQUIRED_GEOMETRY = ("margin_top", "margin_bottom", "margin_side")


class ThemeError(ValueError):
    """A theme file is missing, malformed or names something unknown."""


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    body: float
    small: float
    heading: float
    title: float
    leading: float


@dataclass(frozen=True)
class Column:
    key: str
    weight: float
    align: str


@dataclass(frozen=True)
class TableLook:
    grid: bool
    zebra: bool
    totals_row: bool
    cell_padding: float
    hidden_on: Mapping[str, tuple[str, ...]]
    """Paper name -> column keys left out on it (A5 has no room for every amount)."""


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    papers: tuple[str, ...]
    landscape: bool
    copies: tuple[str, ...]
    fonts: Fonts
    colours: Mapping[str, Color]
    geometry: Mapping[str, float]
    table: TableLook
    columns: tuple[Column, ...]
    labels: Mapping[str, str]
    folder: Path

    def label(self, key: str, **values: object) -> str:
        text = self.labels[key]
        return text.format(**values) if values else text


def _table(data: Mapping[str, Any], name: str, source: Path) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ThemeError(f"{source}: [{name}] must be a table")
    return value


def _check_keys(table: Mapping[str, Any], allowed: set[str], name: str, source: Path) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise ThemeError(f"{source}: unknown keys in [{name}]: {', '.join(sorted(unknown))}")


def parse_theme(data: Mapping[str, Any], folder: Path) -> Theme:
    """Build a `Theme` from parsed TOML, checking every table."""
    source = folder / "theme.toml"
    head = _table(data, "theme", source)
    _check_keys(head, {"name", "description", "papers", "landscape", "copies"}, "theme", source)
    fonts = _table(data, "fonts", source)
    _check_keys(fonts, {"regular", "bold", "body", "small", "heading", "title", "leading"}, "fonts", source)
    colours = _table(data, "colours", source)
    geometry = _table(data, "geometry", source)
    table = _table(data, "table", source)
    _check_keys(table, {"grid", "zebra", "totals_row", "cell_padding", "hidden_on"}, "table", source)
    labels = _table(data, "labels", source)
    _check_keys(labels, set(DEFAULT_LABELS), "labels", source)
    _check_keys(data, {"theme", "fonts", "colours", "geometry", "table", "columns", "labels"}, "file", source)
    try:
        missing = [c for c in REQUIRED_COLOURS if c not in colours]
        missing += [g for g in REQUIRED_GEOMETRY if g not in geometry]
        if missing:
            raise ThemeError(f"{source}: missing {', '.join(missing)}")
        columns = tuple(
            Column(str(c["key"]), float(c.get("weight", 1)), str(c.get("align", "centre")))
            for c in data.get("columns", [])
        )
        bad_columns = [c.key for c in columns if c.key not in COLUMN_KEYS]
        bad_columns += [c.align for c in columns if c.align not in ("right", "centre", "left")]
        if bad_columns:
            raise ThemeError(f"{source}: unknown column keys or alignments: {bad_columns}")
        return Theme(
            name=str(head["name"]),
            description=str(head.get("description", "")),
            papers=tuple(str(p) for p in head["papers"]),
            landscape=bool(head.get("landscape", False)),
            copies=tuple(str(c) for c in head.get("copies", ())),
            fonts=Fonts(
                regular=str(fonts["regular"]), bold=str(fonts["bold"]),
                body=float(fonts["body"]), small=float(fonts["small"]),
                heading=float(fonts["heading"]), title=float(fonts["title"]),
                leading=float(fonts["leading"]),
            ),
            colours=MappingProxyType({k: HexColor(str(v)) for k, v in colours.items()}),
            geometry=MappingProxyType({k: float(v) for k, v in geometry.items()}),
            table=TableLook(
                grid=bool(table.get("grid", False)), zebra=bool(table.get("zebra", False)),
                totals_row=bool(table.get("totals_row", False)),
                cell_padding=float(table.get("cell_padding", 1.5)),
                hidden_on=MappingProxyType({
                    str(paper): tuple(str(k) for k in keys)
                    for paper, keys in table.get("hidden_on", {}).items()
                }),
            ),
            columns=columns,
            labels=MappingProxyType({**DEFAULT_LABELS, **{k: str(v) for k, v in labels.items()}}),
            folder=folder,
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ThemeError):
            raise
        raise ThemeError(f"{source}: {exc!r}") from exc


@cache
def load_theme(name: str) -> Theme:
    """The theme called `name` from the themes folder (cached: themes are immutable)."""
    if name not in THEME_NAMES:
        raise ThemeError(f"unknown theme {name!r}; choose one of {', '.join(THEME_NAMES)}")
    folder = themes_dir() / name
    try:
        data = tomllib.loads((folder / "theme.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ThemeError(f"cannot read theme {name!r}: {exc}") from exc
    return parse_theme(data, folder)
