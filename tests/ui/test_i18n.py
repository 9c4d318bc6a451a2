"""The English catalogue is complete and compiled, and every UI string is wrapped for it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from posapp.ui.i18n import i18n_dir


def test_every_english_string_is_translated_and_compiled():
    ts = i18n_dir() / "posapp_en.ts"
    qm = i18n_dir() / "posapp_en.qm"
    unfinished = [
        message.findtext("source")
        for message in ET.parse(ts).getroot().iter("message")
        if message.find("translation").get("type") == "unfinished"
        or not (message.findtext("translation") or "").strip()
    ]
    assert unfinished == []
    assert qm.stat().st_size > 0
    assert qm.stat().st_mtime >= ts.stat().st_mtime - 1
