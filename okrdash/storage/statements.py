"""What a SQL statement touches, and its text in each engine's placeholder style: worked out once per statement text.

The tables a statement reads and writes are what invalidation follows (okrdash.storage.changes): a write marks the
tables it wrote, a cached read remembers the tables it read. Names are found by the keywords that introduce a table
(FROM, JOIN, INTO, UPDATE … SET, TABLE); a CTE's name or a column after EXTRACT(… FROM x) may be caught too, which
only ever adds a harmless dependency, never loses one.

Placeholders: okrdash writes `?` (positional) and `$name` (named, with a dict), as DuckDB takes them. psycopg takes
`%s` and `%(name)s`, and then needs every `%` doubled, in literals too. The conversion leaves `?` and `$` alone in
string literals, quoted identifiers and comments. It is not a transpiler: the SQL itself must already be portable.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_WORD = r"([A-Za-z_][A-Za-z0-9_]*)"
_READ = re.compile(rf"\b(?:FROM|JOIN)\s+{_WORD}\b(?!\s*\()", re.IGNORECASE)
_WRITE = re.compile(
    rf"\bINSERT\s+INTO\s+{_WORD}|\bUPDATE\s+{_WORD}\s+SET\b|\bDELETE\s+FROM\s+{_WORD}"
    rf"|\b(?:CREATE|ALTER|DROP)\s+TABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?{_WORD}|\bTRUNCATE\s+(?:TABLE\s+)?{_WORD}",
    re.IGNORECASE,
)
_NOT_TABLES = frozenset({"select", "set", "only", "lateral", "unnest", "values", "the"})


@dataclass(frozen=True)
class Statement:
    text: str  # in the engine's placeholder style
    reads: frozenset[str]
    writes: frozenset[str]


def _names(pattern: re.Pattern[str], sql: str) -> frozenset[str]:
    found = {next(g for g in match.groups() if g).lower() for match in pattern.finditer(sql)}
    return frozenset(found - _NOT_TABLES)


@functools.lru_cache(maxsize=4096)
def analysed(sql: str, style: str) -> Statement:
    """`sql` for an engine whose placeholder style is "qmark" (DuckDB) or "pyformat" (psycopg), with its tables."""
    code = _without_literals(sql)
    text = sql if style == "qmark" else to_pyformat(sql)
    return Statement(text=text, reads=_names(_READ, code), writes=_names(_WRITE, code))


_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|\$[A-Za-z_][A-Za-z0-9_]*|\?|%", re.DOTALL)


def _without_literals(sql: str) -> str:
    """The statement with string literals and comments blanked, so a title like 'FROM people' names no table."""
    return _TOKENS.sub(lambda m: " " if m.group(0)[0] in "'-/" else m.group(0), sql)


_SWAPS = {"?": "%s", "%": "%%"}


def to_pyformat(sql: str) -> str:
    """`?` → `%s` and `$name` → `%(name)s` outside literals, quoted names and comments; every `%` → `%%`."""
    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        if found[0] == "$":
            return f"%({found[1:]})s"
        # psycopg reads `%` as a placeholder everywhere, even in a literal or comment: each stays as written,
        # with its `%` doubled.
        return _SWAPS.get(found) or found.replace("%", "%%")
    return _TOKENS.sub(swap, sql)
