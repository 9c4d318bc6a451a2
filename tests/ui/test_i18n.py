"""The English catalogue is complete, and the committed .qm holds exactly what the .ts says."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import QTranslator

from posapp.ui.i18n import i18n_dir


def test_every_english_string_is_translated_and_compiled(qapp):
    translator = QTranslator()
    assert translator.load("posapp_en", str(i18n_dir()))
    unfinished = []
    stale = []
    for context in ET.parse(i18n_dir() / "posapp_en.ts").getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if translation.get("type") == "unfinished" or not (translation.text or "").strip():
                unfinished.append(source)
            elif translator.translate(name, source) != translation.text:
                stale.append(source)
    assert unfinished == []
    assert stale == [], "run pyside6-lrelease (see resources/i18n/README.md)"


DOMAIN_ERRORS = {"DomainError", "ValidationError", "LifecycleError"}
"""A domain error carries its own Persian and English message; the UI shows the one for its
language (`posapp.ui.messages.error_text`), so those pairs stay outside Qt's catalogue."""


def _is_domain_error_message(node, class_bases):
    """`super().__init__(...)` in a class derived from a domain error: that error's message pair."""
    import ast

    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "__init__"
            and isinstance(func.value, ast.Call) and getattr(func.value.func, "id", "") == "super"
            and bool(class_bases & DOMAIN_ERRORS))


def _persian_literals_outside_translation(path):
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed_calls = {"tr", "translate", "QT_TRANSLATE_NOOP", *DOMAIN_ERRORS}
    allowed_text = {"فارسی"}  # a language's own name is never translated
    wrapped: set[int] = set()
    for class_node in (node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)):
        bases = {getattr(base, "id", "") for base in class_node.bases}
        for node in ast.walk(class_node):
            if isinstance(node, ast.Call) and _is_domain_error_message(node, bases):
                wrapped.update(id(part) for arg in node.args for part in ast.walk(arg))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in allowed_calls:
                wrapped.update(id(part) for arg in node.args for part in ast.walk(arg))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            wrapped.add(id(node.value))  # docstrings
    return [
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and any("\u0600" <= ch <= "\u06ff" and ch.isalpha() for ch in node.value)
        and id(node) not in wrapped and node.value not in allowed_text
    ]


def test_every_persian_ui_string_goes_through_qt_translation():
    from pathlib import Path

    import posapp.ui

    offenders = {
        path.name: found
        for path in sorted(Path(posapp.ui.__file__).parent.glob("*.py"))
        if (found := _persian_literals_outside_translation(path))
    }
    assert offenders == {}
