"""Registers the bundled Vazirmatn TTFs with reportlab, once per process and thread-safely."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from posapp.paths import fonts_dir

_lock = threading.Lock()
_registered: dict[str, str] = {}


def font_name_for(file_name: str) -> str:
    """The reportlab font name for a TTF in resources/fonts, registering it on first use.

    `file_name` is a bare file name such as "Vazirmatn-Bold.ttf" (themes name fonts this way);
    the registered name is the file's stem ("Vazirmatn-Bold")."""
    with _lock:
        name = _registered.get(file_name)
        if name is None:
            path = fonts_dir() / Path(file_name).name
            if not path.is_file():
                raise FileNotFoundError(f"font {file_name!r} is not in {fonts_dir()}")
            name = path.stem
            pdfmetrics.registerFont(TTFont(name, str(path)))
            _registered[file_name] = name
        return name
