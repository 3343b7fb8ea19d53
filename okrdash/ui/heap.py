"""Keeping Python's full garbage collections short in a long-running app process.

A full collection walks every object the process holds, and most of them live as long as the process: the modules
of Streamlit, pandas, Altair and okrdash. On the benchmark company, with every page opened once, a full collection
took ~100 ms; in a survey-week run (50 writers) one came every few seconds and stalled every session for 70–160 ms.
`gc.freeze()` moves the objects alive now out of the collector's reach (a full collection then took ~0 ms, measured
the same way), so after a run that imported modules (a page opened for the first time in this process) what the
process holds is frozen. Objects freed by their reference count are freed as before; only a cycle of garbage alive
at a freeze would stay, and a process freezes a handful of times in its life.
"""

from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_modules_frozen = 0  # how many modules the process had at its last freeze


def freeze_what_imports_made() -> bool:
    """At the start of a script run (app.py): freeze what the process holds if modules were imported since the last
    freeze. Returns whether it froze."""
    global _modules_frozen
    if len(sys.modules) <= _modules_frozen:  # the common case: one comparison, no lock
        return False
    with _lock:
        count = len(sys.modules)
        if count <= _modules_frozen:
            return False
        _modules_frozen = count
        gc.freeze()
    return True
