"""Draws resources/icons/posapp.svg into the icon files the installers need (posapp.ico for
Windows, posapp.icns for macOS) with Qt's own SVG renderer and image writers.

    python packaging/make_icon.py OUT.ico|OUT.icns
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "posapp.svg"
SIZE = 256


def main() -> int:
    out = Path(sys.argv[1])
    app = QGuiApplication([])  # noqa: F841  (image plugins need an application object)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):
        print(f"Qt could not write {out}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
