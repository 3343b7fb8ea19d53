"""What pages redraw on every script run, kept between runs: library reads until the next write, and chart specs
per data.

Why not `st.cache_data`: it hashes every argument with Streamlit's own hasher. On the benchmark company a cache hit
cost 0.7 ms for a read keyed by ids, and hashing a 4-row DataFrame for a chart 1.9 ms; together that was most of a
dashboard's warm run. Our keys are small hashable values (ids, quarter keys, the Actor, the data version), so a dict
keyed by them costs 0.13 ms a hit. Values stay pickled, as `st.cache_data` keeps them, so a page that changes what
it got cannot change what the next run gets.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from streamlit import dataframe_util

if TYPE_CHECKING:  # Altair costs 0.2 s to import: pages without charts (Home, on a cold start) never load it
    import altair as alt
    import pandas as pd


class _Store:
    """A bounded, thread-safe map from a hashable key to a pickled value; the least recently used entry goes first."""

    def __init__(self, max_entries: int) -> None:
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            stored = self._entries.get(key)
            if stored is not None:
                self._entries.move_to_end(key)
        if stored is None:
            # Made outside the lock: two threads missing at once both read, which is cheaper than serialising reads.
            stored = pickle.dumps(make(), protocol=pickle.HIGHEST_PROTOCOL)
            with self._lock:
                self._entries[key] = stored
                while len(self._entries) > self._max_entries:
                    self._entries.popitem(last=False)
        return pickle.loads(stored)  # noqa: S301  (bytes this process pickled itself, never read from outside)


_reads = _Store(max_entries=1024)
_specs = _Store(max_entries=256)


def read(key: Hashable, make: Callable[[], Any]) -> Any:
    """`make()`'s value, kept under `key` (which must name everything the value depends on). An exception from
    `make` is raised and nothing is kept."""
    return _reads.get_or_make(key, make)


def chart_spec(builder: Callable[..., alt.TopLevelMixin], frame: pd.DataFrame, *args: Hashable) -> dict[str, Any]:
    """The Vega-Lite spec of `builder(frame, *args)`, ready for `st.vega_lite_chart`, made once per builder,
    arguments and data. Its datasets are already Arrow bytes, as Streamlit's own Altair path makes them, so the
    page run only sends them."""
    key = (builder.__module__, builder.__qualname__, args, _fingerprint(frame))

    def make() -> dict[str, Any]:
        spec = builder(frame, *args).to_dict()
        datasets = spec.get("datasets", {})
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(values)
                            for name, values in datasets.items()}
        return spec

    return _specs.get_or_make(key, make)


def _fingerprint(frame: pd.DataFrame) -> bytes:
    """A digest of the frame's columns, types and values (exact floats, ISO dates)."""
    text = frame.to_json(orient="split", double_precision=15, date_format="iso", date_unit="us", default_handler=str)
    return hashlib.blake2b(f"{list(frame.dtypes.astype(str))}{text}".encode(), digest_size=20).digest()
