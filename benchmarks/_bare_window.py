"""Baseline for the start-up benchmark: a bare PySide6 QMainWindow, started the same way."""

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class _Watch(QObject):
    def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            print(f"startup painted {time.monotonic():.6f}", flush=True)
            print(f"startup data {time.monotonic():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False


app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 800)
watch = _Watch()
window.installEventFilter(watch)
window.show()
sys.exit(app.exec() if os.environ.get("QT_QPA_PLATFORM") or os.environ.get("DISPLAY") else 1)
