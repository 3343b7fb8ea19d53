"""okrdash.storage: which tables a statement touches, placeholders per engine, and the version rule that decides
when a cached read is out of date (hypothesis: a read's version moves exactly when an overlapping write lands)."""

from hypothesis import given
from hypothesis import strategies as st

from okrdash.storage.changes import Versions
from okrdash.storage.statements import analysed, to_pyformat

TABLES = ["checkins", "ideas", "people"]
TEAMS = [None, 1, 2]
QUARTERS = [None, "2026-Q3", "2026-Q4"]
scopes = st.tuples(st.sampled_from(TEAMS), st.sampled_from(QUARTERS))
writes = st.tuples(st.sets(st.sampled_from(TABLES), min_size=1), st.lists(scopes, max_size=2))


# A read may also concern a set of teams (a person's own teams: okrdash.storage.changes.read_scope).
read_scopes = st.tuples(st.one_of(st.sampled_from(TEAMS), st.frozensets(st.sampled_from([1, 2, 3]))),
                        st.sampled_from(QUARTERS))


def overlaps(write_scope, read_scope) -> bool:
    return all(w is None or r is None or (w in r if isinstance(r, frozenset) else w == r)
               for w, r in zip(write_scope, read_scope, strict=True))


@given(st.lists(writes, max_size=12), st.sets(st.sampled_from(TABLES), min_size=1), read_scopes)
def test_a_read_changes_version_exactly_when_an_overlapping_write_lands(history, read_tables, read_scope):
    versions = Versions()
    for tables, write_scopes in history:
        before = versions.of(read_tables, read_scope)
        versions.bump(tables, write_scopes)
        concerned = bool(tables & read_tables) and any(overlaps(s, read_scope) for s in write_scopes or [(None, None)])
        assert (versions.of(read_tables, read_scope) != before) == concerned


@given(st.lists(writes, max_size=12), st.lists(writes, max_size=6), st.sets(st.sampled_from(TABLES), min_size=1),
       st.sampled_from(QUARTERS))
def test_the_teams_written_since_a_mark_are_those_whose_reads_moved(before, since, read_tables, quarter):
    # What okrdash/ui/memo.py relies on to read a kept overview again team by team: a team is named exactly when a
    # write since the mark moved the version of a read of that team; None when a write concerned no team at all.
    versions = Versions()
    for tables, write_scopes in before:
        versions.bump(tables, write_scopes)
    mark = versions.mark()
    moved = {team: versions.of(read_tables, (team, quarter)) for team in (1, 2, 3)}
    for tables, write_scopes in since:
        versions.bump(tables, write_scopes)
    teams = versions.teams_written_since(mark, read_tables, quarter)
    unscoped = any(tables & read_tables and any(team is None and overlaps((None, q), (None, quarter))
                                                 for team, q in write_scopes or [(None, None)])
                   for tables, write_scopes in since)
    if unscoped:
        assert teams is None
    else:
        assert teams == {team for team in (1, 2, 3) if versions.of(read_tables, (team, quarter)) != moved[team]}


def test_a_mark_older_than_the_record_of_writes_or_a_bump_everything_asks_for_a_full_read():
    from okrdash.storage import changes

    versions = Versions()
    mark = versions.mark()
    for _ in range(changes.LOG_LENGTH):
        versions.bump(["ideas"], [(1, "2026-Q4")])
    assert versions.teams_written_since(mark, ["ideas"], "2026-Q4") == {1}
    versions.bump(["ideas"], [(2, "2026-Q4")])  # the first write since the mark is forgotten now
    assert versions.teams_written_since(mark, ["ideas"], "2026-Q4") is None
    assert versions.teams_written_since(versions.mark(), ["ideas"], "2026-Q4") == set()
    mark = versions.mark()
    versions.bump_everything()
    assert versions.teams_written_since(mark, ["ideas"], "2026-Q4") is None


def test_everything_moves_on_a_bump_everything():
    versions = Versions()
    before = [versions.of(["ideas"], scope) for scope in [(1, "2026-Q4"), (None, None)]]
    versions.bump_everything()
    assert [versions.of(["ideas"], scope) for scope in [(1, "2026-Q4"), (None, None)]] != before
    assert versions.written_since((0, {}), [])


def test_a_write_during_a_read_is_seen():
    versions = Versions()
    before = versions.totals()
    versions.bump(["ideas"], [(1, "2026-Q4")])
    assert versions.written_since(before, ["ideas"]) and not versions.written_since(before, ["people"])


def test_statements_name_the_tables_they_read_and_write():
    statement = analysed("""WITH kr AS (SELECT * FROM key_results k JOIN objectives o ON o.id = k.objective_id)
                            INSERT INTO kr_summary (kr_id) SELECT kr.id FROM kr LEFT JOIN checkins c ON true
                            WHERE kr.title <> 'FROM people' ON CONFLICT (kr_id) DO UPDATE SET kr_id = 1""", "qmark")
    assert {"key_results", "objectives", "checkins"} <= statement.reads and "people" not in statement.reads
    assert statement.writes == {"kr_summary"}
    assert analysed("UPDATE ideas SET title = ? WHERE id = ?", "qmark").writes == {"ideas"}
    assert analysed("DELETE FROM awaiting_publish WHERE kr_id = ?", "qmark").writes == {"awaiting_publish"}
    assert analysed("SELECT nextval('seq_x') FROM range(?)", "qmark").reads == frozenset()


def test_placeholders_become_pyformat_outside_literals_and_comments():
    sql = ("SELECT '?', '%' || title, \"a?b\" FROM t -- why? 50%\n"
           "WHERE a = ? AND b = $team AND c LIKE '%x%' OR d % 2 = 0")
    assert to_pyformat(sql) == ("SELECT '?', '%%' || title, \"a?b\" FROM t -- why? 50%%\n"
                                "WHERE a = %s AND b = %(team)s AND c LIKE '%%x%%' OR d %% 2 = 0")
    assert analysed("SELECT ? + 1", "pyformat").text == "SELECT %s + 1"
