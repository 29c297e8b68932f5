"""Garbage collection while a document is built: the young objects only, once, at the end.

Building a report makes hundreds of thousands of short-lived objects (matplotlib artists and
transforms, reportlab paragraphs and shapes).  Each batch of them triggers the collector, and
every few batches it walks the whole heap, including the ~200,000 long-lived objects of the
loaded application (SQLAlchemy, matplotlib, reportlab, fonts), which cost a PDF report about
a seventh of its time.  ``young_collections_only`` pauses automatic collection while a
document is built and then collects the youngest generation, which holds everything the
build made, so a chart's reference cycles are still freed when the document is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # documents being built now (in any thread)
_was_enabled = False  # whether automatic collection was on when the first of them began


@contextmanager
def young_collections_only() -> Iterator[None]:
    """Pause automatic collection while the block runs; then collect what it left behind.

    Nested and concurrent builds share one pause: collection resumes (if it was on before)
    when the last of them ends.
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            resume = _depth == 0 and _was_enabled
            if resume:
                gc.enable()
        if resume:
            gc.collect(0)  # everything the build made is still in the youngest generation
