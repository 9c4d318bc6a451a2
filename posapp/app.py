"""Composition root for the GUI: QApplication, fonts, translators, database, services, window."""

from __future__ import annotations

import argparse
import sys


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    window = QMainWindow()
    window.setWindowTitle("posapp")
    window.show()
    return app.exec()
