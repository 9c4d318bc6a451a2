"""The Qt binding must not corrupt reference counts: on Python 3.11 (where True and None are
not immortal) PySide6-Essentials 6.12.0 decrements True on every Signal.emit() and None on
every None returned from a Python model's data(), so a till crashes after a few thousand
signals ("Fatal Python error: bool_dealloc"). 6.11.3 is clean; pin below 6.12 until fixed."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12), reason="True/None are immortal from 3.12")

ROUNDS = 50


class _Emitter(QObject):
    sig_ping = Signal(int)


class _Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):  # noqa: B008
        return 1

    def columnCount(self, parent=QModelIndex()):  # noqa: B008
        return 1

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None


def test_emitting_a_signal_keeps_the_refcount_of_true(qapp):
    emitter = _Emitter()
    emitter.sig_ping.connect(lambda _value: None)
    before = sys.getrefcount(True)
    for _ in range(ROUNDS):
        emitter.sig_ping.emit(1)
    assert sys.getrefcount(True) - before > -ROUNDS // 2


def test_returning_none_from_a_model_keeps_the_refcount_of_none(qapp):
    model = _Model()
    before = sys.getrefcount(None)
    for _ in range(ROUNDS):
        model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert sys.getrefcount(None) - before > -ROUNDS // 2
