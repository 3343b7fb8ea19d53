"""What pages redraw on every script run, kept between runs: library reads until a write they depend on, and chart
specs per data.

A read is kept with the tables its SQL read (okrdash.db.reading) and their version in the read's scope (the team
and quarter named by its `team_id` and `quarter` arguments, okrdash.storage.changes); it is made again only when
that version moved. So a check-in on one team leaves another team's workshop cached, and a survey answer leaves
the dashboards cached, with no rule written in any page.

The organisation's views (the overview, the history, the weekly status, the alignment map) concern every team,
so any check-in would make them again in full. A read declared `kept_per_team` (okrdash.storage.changes) is kept
as per-team records instead, and after writes scoped to a few teams only those teams' records are read again
(`_PerTeamReads`).

Why not `st.cache_data`: it hashes every argument with Streamlit's own hasher. On the benchmark company a cache hit
cost 0.7 ms for a read keyed by ids, and hashing a 4-row DataFrame for a chart 1.9 ms; together that was most of a
dashboard's warm run. Our keys are small hashable values (ids, quarter keys, the Actor, the data version), so a dict
keyed by them costs 0.13 ms a hit. Values stay pickled, as `st.cache_data` keeps them, so a page that changes what
it got cannot change what the next run gets.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any

from streamlit import dataframe_util

from okrdash import db
from okrdash.storage.changes import EVERYWHERE, Mark, PerTeam, Scope

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


class _Reads:
    """Library reads, pickled, each with the tables it read and their version when it was made; bounded, least
    recently used first out."""

    def __init__(self, max_entries: int) -> None:
        self._entries: OrderedDict[Hashable, tuple[bytes, frozenset[str], Scope, tuple]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self.made = 0  # reads made rather than kept (tests and the benchmark count them)

    def get_or_make(self, key: Hashable, make: Callable[[], Any], scope: Scope) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None:
            stored, tables, _, seen = entry
            if db.version_of(tables, scope) == seen:
                db.note_reads(tables)  # an outer read being made depends on these too
                return pickle.loads(stored)  # noqa: S301  (bytes this process pickled itself)
        versions = db.versions()
        before = versions.totals()
        with db.reading() as tables:
            value = make()
        self.made += 1
        stored = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        # The version is taken after the read and kept only if no write to its tables landed meanwhile: a kept
        # value is never newer than its version says (a later write always moves the version past it).
        seen = versions.of(tables, scope)
        if not versions.written_since(before, tables):
            with self._lock:
                self._entries[key] = (stored, frozenset(tables), scope, seen)
                while len(self._entries) > self._max_entries:
                    self._entries.popitem(last=False)
        return pickle.loads(stored)  # noqa: S301  (bytes this process pickled itself, never read from outside)


class _PerTeamReads:
    """Reads declared `kept_per_team` (okrdash.storage.changes): each kept as its records and its value, with the
    mark of the writes it has seen. After writes scoped to a few teams, only those teams' records are read again
    and the value is combined anew; after a write that concerns no team in particular, the read is made in full.
    Records are dicts or the rows of a DataFrame, each with its `team_id`; they stay as they were read (never handed
    out, and `combine` only reads them). Values are pickled as in _Reads."""

    def __init__(self, max_entries: int) -> None:
        self._entries: OrderedDict[Hashable, tuple[Any, bytes, frozenset[str], Mark]] = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self.made = 0  # reads made in full
        self.refreshed = 0  # reads brought up to date team by team

    def get_or_make(self, key: Hashable, spec: PerTeam, args: tuple, kwargs: dict[str, Any], quarter: Any) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        versions = db.versions()
        mark = versions.mark()  # taken before reading: a write landing meanwhile is read again next time
        teams = None
        if entry is not None:
            kept_records, kept_value, tables, seen = entry
            teams = versions.teams_written_since(seen, tables, quarter)
            if teams is not None and not teams:
                db.note_reads(tables)
                return pickle.loads(kept_value)  # noqa: S301  (bytes this process pickled itself)
        with db.reading() as read:
            if teams is None:
                records = spec.rows(*args, **kwargs)
                records = records if hasattr(records, "columns") else tuple(records)
                self.made += 1
            else:
                records = _merged(kept_records, spec.rows(*args, teams=sorted(teams), **kwargs), teams)
                self.refreshed += 1
            value = spec.combine(records if hasattr(records, "columns") else list(records))
        stored = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._entries[key] = (records, stored,
                                  frozenset(read) | (entry[2] if entry is not None else frozenset()), mark)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)
        return pickle.loads(stored)  # noqa: S301  (bytes this process pickled itself, never read from outside)


def _merged(kept: Any, fresh: Any, teams: set[Any]) -> Any:
    """The kept records of every team but `teams`, then the fresh ones of `teams` (only theirs, whatever else
    `fresh` holds: a record never appears twice)."""
    if hasattr(kept, "columns"):  # a DataFrame (an empty part would turn its columns' types to object)
        import pandas as pd

        wanted = list(teams)
        parts = [part for part in (kept[~kept["team_id"].isin(wanted)], fresh[fresh["team_id"].isin(wanted)])
                 if len(part)]
        return pd.concat(parts, ignore_index=True) if parts else fresh.iloc[0:0]
    return (*(r for r in kept if r["team_id"] not in teams), *(r for r in fresh if r["team_id"] in teams))


_reads = _Reads(max_entries=2048)
_per_team = _PerTeamReads(max_entries=64)
_specs = _Store(max_entries=256)


def read(key: Hashable, make: Callable[[], Any], scope: Scope = EVERYWHERE) -> Any:
    """`make()`'s value, kept under `key` (which must name everything the value depends on besides the data: the
    function, its arguments, the database, the day) until a write to a table it read lands in `scope`. An exception
    from `make` is raised and nothing is kept."""
    return _reads.get_or_make(key, make, scope)


def call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`fn(*args, **kwargs)`, kept per function, arguments, database and day (reads that say "3 days ago" or "this
    quarter" change at midnight) until a write it depends on lands: what `ui.cached` does."""
    key = (fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())), db.target(), dt.date.today())
    per_team = getattr(fn, "per_team", None)
    if per_team is not None:
        return _per_team.get_or_make(key, per_team, args, kwargs, scope_of(fn, args, kwargs)[1])
    return read(key, lambda: fn(*args, **kwargs), scope_of(fn, args, kwargs))


def scope_of(fn: Callable[..., Any], args: tuple, kwargs: dict[str, Any]) -> Scope:
    """The (team, quarter) a read of `fn(*args, **kwargs)` concerns: its `team_id` and `quarter` arguments, unless
    the function says otherwise with okrdash.storage.changes.read_scope. None where it names none (any); a frozenset
    of teams where the function computes the teams it reads."""
    team_at, quarter_at = _scope_parameters(fn)
    team = frozenset(team_at(*args, **kwargs)) if callable(team_at) else _argument(team_at, args, kwargs)
    return team, _argument(quarter_at, args, kwargs)


@functools.lru_cache(maxsize=1024)
def _scope_parameters(fn: Callable[..., Any]) -> tuple[Any, tuple[int, str] | None]:
    declared = getattr(fn, "read_scope", None)
    team, quarter = declared if declared is not None else ("team_id", "quarter")
    names = list(inspect.signature(fn).parameters)
    return (team if callable(team) else (names.index(team), team) if team in names else None,
            (names.index(quarter), quarter) if quarter in names else None)


def _argument(where: tuple[int, str] | None, args: tuple, kwargs: dict[str, Any]) -> Any:
    if where is None:
        return None
    index, name = where
    return args[index] if index < len(args) else kwargs.get(name)


def chart_spec(builder: Callable[..., alt.TopLevelMixin], frame: pd.DataFrame, *args: Hashable) -> dict[str, Any]:
    """The Vega-Lite spec of `builder(frame, *args)`, ready for `st.vega_lite_chart`, made once per builder,
    arguments and data. Its datasets are already Arrow bytes, as Streamlit's own Altair path makes them, so the
    page run only sends them."""
    key = (builder.__module__, builder.__qualname__, args, _fingerprint(frame))

    def make() -> dict[str, Any]:
        _use_arrow_datasets()
        _no_checks_while_building()
        _capture.datasets = {}
        try:
            # Not validated here: tests/test_charts.py validates every builder's spec against the Vega-Lite schema,
            # and validating a heatmap's spec on each page run after a write cost ~20 ms.
            spec = builder(frame, *args).to_dict(validate=False)
            captured = _capture.datasets
        finally:
            _capture.datasets = None
        inline = spec.get("datasets", {})  # data a builder gave as values rather than a frame
        spec["datasets"] = {**{name: dataframe_util.convert_anything_to_arrow_bytes(values)
                               for name, values in inline.items()}, **captured}
        return spec

    return _specs.get_or_make(key, make)


_capture = threading.local()  # the datasets of the chart spec being made on this thread


def _datasets_as_arrow(data: Any) -> Any:
    """Altair's data transformer once charts are drawn: while `chart_spec` makes a spec on this thread, a frame
    becomes Arrow bytes named after their digest (what Streamlit's own Altair path does, without the trip through
    a list of JSON rows, which cost a heatmap ~20 ms); anywhere else, Altair's default (inline values)."""
    datasets = getattr(_capture, "datasets", None)
    if datasets is None:
        from altair.vegalite.data import default_data_transformer

        return default_data_transformer(data)
    arrow = dataframe_util.convert_anything_to_arrow_bytes(data)
    name = "data-" + hashlib.blake2b(arrow, digest_size=16).hexdigest()
    datasets[name] = arrow
    return {"name": name}


@functools.cache
def _use_arrow_datasets() -> None:
    """Enabled once for the process (Altair's registry is global, so a per-call `enable` would race between
    threads; the thread-local capture above is what keeps each spec's datasets its own)."""
    import altair as alt

    alt.data_transformers.register("okrdash_arrow", _datasets_as_arrow)
    alt.data_transformers.enable("okrdash_arrow")


@functools.cache
def _no_checks_while_building() -> None:
    """Altair checks each part of a chart against the Vega-Lite schema as it is built (its debug mode, on unless
    turned off): about 1 ms a chart, paid on every page run after a write. tests/test_charts.py validates each
    builder's whole spec instead. Process-wide, as Altair's setting is."""
    from altair.utils import schemapi

    schemapi.disable_debug_mode()


def _fingerprint(frame: pd.DataFrame) -> bytes:
    """A digest of the frame's columns, types and values (exact floats, ISO dates)."""
    text = frame.to_json(orient="split", double_precision=15, date_format="iso", date_unit="us", default_handler=str)
    return hashlib.blake2b(f"{list(frame.dtypes.astype(str))}{text}".encode(), digest_size=20).digest()
