"""Ranking rounds in the database: the lead opens one over the standing ideas, members cast append-only ballots,
the lead closes it; results are computed by `okrdash.ranking` from the ballots that count.

Blind rounds (the default) hide every total — from the lead too — until the round closes; who has voted (not how)
is visible. A ballot counts when it is its voter's latest for the method and was cast before the round closed.

Casting and closing take turns (`db.transaction(serial=…)`, per round): under snapshot isolation a ballot's
transaction would not see a close committed after it began, and the close's time is taken before it writes, so a
ballot could be confirmed and yet fall after the close. Taking turns, in every app process (PostgreSQL's advisory
lock), a ballot confirmed before the close counts, one arriving after it is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from okrdash import auth, db, fmt, ideas, ranking, validate
from okrdash.errors import Conflict, NotFound, PermissionDenied, ValidationError

if TYPE_CHECKING:  # the tables below import pandas when made: Home (which reads rounds) starts without it
    import pandas as pd



def _ballot_box(round_id: int) -> str:
    """The lock a round's ballots and its close take turns on (see the module docstring)."""
    return f"ballot box {round_id}"


_LATEST = """
    SELECT b.id, b.voter_id, b.method, b.cast_at, l.idea_id, l.points, l.rank, l.impact, l.confidence, l.ease
    FROM (SELECT id, voter_id, method, cast_at,
                 row_number() OVER (PARTITION BY voter_id, method ORDER BY cast_at DESC, id DESC) AS latest
          FROM ballots WHERE round_id = $round {until}) b
    JOIN ballot_lines l ON l.ballot_id = b.id
    WHERE b.latest = 1 {voter}
    ORDER BY b.id, l.idea_id"""


def get(round_id: int) -> dict[str, Any]:
    """A round by id, with its methods as a list (library use: callers check the actor against its team)."""
    found = db.row("""SELECT r.*, p.name AS opened_by_name FROM ranking_rounds r
                      LEFT JOIN people p ON p.id = r.opened_by WHERE r.id = ?""", [round_id])
    if found is None:
        raise NotFound("That ranking round no longer exists. Reload the page.")
    found["methods"] = ranking.parse_methods(found["methods"])
    found["is_open"] = found["closed_at"] is None
    found["totals_visible"] = not (found["blind"] and found["is_open"])
    return found


def rounds_of(actor: auth.Actor, team_id: int, quarter: str) -> list[dict[str, Any]]:
    """The team's rounds for the quarter, newest first, each with how many people voted."""
    auth.require_reader(actor, team_id, "see this team's ranking rounds")
    ids = db.column("SELECT id FROM ranking_rounds WHERE team_id = ? AND quarter = ? ORDER BY opened_at DESC, id DESC",
                    [team_id, quarter])
    found = [get(i) for i in ids]
    for r in found:
        r["voters"] = db.scalar("SELECT count(DISTINCT voter_id) FROM ballots WHERE round_id = ?", [r["id"]])
    return found


def current(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any] | None:
    """The open round, else the newest closed one, else None."""
    found = rounds_of(actor, team_id, quarter)
    return next((r for r in found if r["is_open"]), found[0] if found else None)


def candidates(actor: auth.Actor, round_id: int) -> list[dict[str, Any]]:
    """The round's ideas as they stand now (merges followed), in listing order (ideas.LISTING_ORDER): id, title."""
    rnd = get(round_id)
    auth.require_reader(actor, rnd["team_id"], "see this team's ranking rounds")
    ids, _ = _standing(rnd)
    return [{"id": i, "title": title} for i, title in _titles(ids).items()]


def _standing(rnd: dict[str, Any]) -> tuple[list[int], dict[int, int | None]]:
    # Nothing sealed: a round lists only ideas that were on the table when it opened (see open_round), and it keeps
    # them even if their anonymous survey is reopened later; so this read does not turn on the time of day.
    roots = ideas.root_map(rnd["team_id"], rnd["quarter"], sealed=None)
    snapshot = db.column("SELECT idea_id FROM ranking_round_ideas WHERE round_id = ?", [rnd["id"]])
    return sorted({roots.get(i) for i in snapshot} - {None}), roots


def _titles(idea_ids: list[int]) -> dict[int, str]:
    if not idea_ids:
        return {}
    marks = ", ".join("?" for _ in idea_ids)
    found = {r["id"]: r["title"] for r in db.rows(
        f"SELECT id, title FROM ideas i WHERE id IN ({marks}) ORDER BY {ideas.LISTING_ORDER}", idea_ids)}
    return ideas.distinct_labels(found)  # two ideas worded alike stay two rows and two bars


def open_round(actor: auth.Actor, team_id: int, quarter: str, *, methods: list[str] | str, title: str = "",
               dot_budget: int = 10, dot_max_per_idea: int = 5, blind: bool = True,
               idea_ids: list[int] | None = None, now: dt.datetime | None = None) -> int:
    """The lead opens a round over the standing ideas (or a subset of them); returns its id."""
    auth.require_lead(actor, team_id, "open ranking rounds")
    ideas.require_open_quarter(quarter, now)
    chosen_methods = ranking.parse_methods(methods)
    dot_budget = validate.integer_in(dot_budget, "Points per voter", 1, ranking.BUDGET_MAX, field="dot_budget")
    dot_max_per_idea = validate.integer_in(dot_max_per_idea, "Most points per idea", 1, ranking.BUDGET_MAX,
                                           field="dot_max_per_idea")
    ranking.check_settings(dot_budget, dot_max_per_idea)
    title = validate.text(title, "Round title", max_len=validate.TITLE_MAX) or f"Which objective for {quarter}?"
    roots = ideas.root_map(team_id, quarter, now=now)  # sealed ideas are not on the table yet
    standing = sorted(i for i, root in roots.items() if root == i)
    if idea_ids is not None:
        stray = set(idea_ids) - set(standing)
        if stray:
            raise ValidationError("Some chosen ideas are not standing ideas of this team and quarter (merged, removed "
                                  "or another team's). Reload the page and choose again.", "ideas")
        standing = sorted(set(idea_ids))
    if len(standing) < 2:
        raise ValidationError("A round needs at least two ideas to rank. Add or restore ideas on the Consolidate "
                              "step first.", "ideas")
    when = now or dt.datetime.now()
    with db.transaction(scope=(team_id, quarter)) as cur:
        if cur.execute("SELECT count(*) FROM ranking_rounds WHERE team_id = ? AND quarter = ? AND closed_at IS NULL",
                       [team_id, quarter]).fetchone()[0]:
            raise Conflict("A round is already open for this team and quarter. Close it (or discard it if nobody "
                           "has voted) before opening another.")
        round_id = int(cur.execute("SELECT nextval('seq_ranking_rounds')").fetchone()[0])
        cur.execute("""INSERT INTO ranking_rounds (id, team_id, quarter, title, methods, dot_budget, dot_max_per_idea,
                                                   blind, opened_by, opened_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    [round_id, team_id, quarter, title, ",".join(chosen_methods), dot_budget, dot_max_per_idea,
                     bool(blind), actor.person_id, when])
        cur.executemany("INSERT INTO ranking_round_ideas (round_id, idea_id) VALUES (?, ?)",
                        [[round_id, i] for i in standing])
    return round_id


def close_round(actor: auth.Actor, round_id: int, *, now: dt.datetime | None = None) -> None:
    """The lead ends voting; totals become visible to everyone who may read the team."""
    rnd = get(round_id)
    auth.require_lead(actor, rnd["team_id"], "close ranking rounds")
    if not rnd["is_open"]:
        raise Conflict(f"This round already closed on {fmt.day(rnd['closed_at'])}.")
    # The time is taken once no ballot is being cast, so every ballot confirmed before counts.
    with db.transaction(scope=(rnd["team_id"], rnd["quarter"]), serial=_ballot_box(round_id)) as cur:
        cur.execute("UPDATE ranking_rounds SET closed_at = ? WHERE id = ? AND closed_at IS NULL",
                    [now or dt.datetime.now(), round_id])


def discard_round(actor: auth.Actor, round_id: int, *, now: dt.datetime | None = None) -> None:
    """The lead deletes a round nobody has voted in yet (wrong settings)."""
    rnd = get(round_id)
    auth.require_lead(actor, rnd["team_id"], "discard ranking rounds")
    with db.transaction(serial=_ballot_box(round_id)) as cur:
        cast = cur.execute("SELECT count(*) FROM ballots WHERE round_id = ?", [round_id]).fetchone()[0]
        if cast:
            raise ValidationError(f"{cast} ballot(s) were cast in this round, so it cannot be discarded; close it "
                                  "instead.")
        # Closed first, so no ballot can arrive while the round is taken apart.
        cur.execute("UPDATE ranking_rounds SET closed_at = ? WHERE id = ?", [now or dt.datetime.now(), round_id])
    if db.scalar("SELECT count(*) FROM ballots WHERE round_id = ?", [round_id]):
        raise Conflict("Someone voted at that very moment, so the round was closed instead of discarded.")
    # DuckDB checks foreign keys against committed rows: the snapshot goes in one transaction, the round in the next.
    # Two transactions: DuckDB refuses to delete a row whose referencing rows went in the same transaction. A
    # failure between them leaves a round with no ideas and no ballots, which discarding again removes.
    scope = (rnd["team_id"], rnd["quarter"])
    db.execute("DELETE FROM ranking_round_ideas WHERE round_id = ?", [round_id], scope=scope)
    db.execute("DELETE FROM ranking_rounds WHERE id = ?", [round_id], scope=scope)


def cast(actor: auth.Actor, round_id: int, method: str, lines: dict[int, Any] | list[int], *,
         now: dt.datetime | None = None) -> int:
    """A team member casts a ballot (a new row; their latest per method counts); returns its id.

    `lines`: dot {idea: points}; borda [idea, …] best first; ice {idea: (impact, confidence, ease)}.
    """
    rnd = get(round_id)
    auth.require_member(actor, rnd["team_id"], "vote in this team's ranking rounds")
    if not rnd["is_open"]:
        raise ValidationError(f"Voting in “{rnd['title']}” closed on {fmt.day(rnd['closed_at'])}; your ballot was "
                              "not recorded. The results are on the Rank step.")
    if method not in rnd["methods"]:
        raise ValidationError(f"This round does not use {ranking.METHODS.get(method, method)}.", "method")
    standing, _ = _standing(rnd)
    if method == "dot":
        clean = ranking.check_dot(dict(lines), standing, rnd["dot_budget"], rnd["dot_max_per_idea"])  # type: ignore
        rows = [[idea, points, None, None, None, None] for idea, points in clean.items()]
    elif method == "borda":
        order = ranking.check_borda(list(lines), standing)
        rows = [[idea, None, position, None, None, None] for position, idea in enumerate(order, start=1)]
    else:
        scores = ranking.check_ice(dict(lines), standing)  # type: ignore[arg-type]
        rows = [[idea, None, None, *parts] for idea, parts in scores.items()]
    # A close waits until this ballot is in (see the module docstring).
    with db.transaction(scope=(rnd["team_id"], rnd["quarter"]), serial=_ballot_box(round_id)) as cur:
        if cur.execute("SELECT closed_at FROM ranking_rounds WHERE id = ?", [round_id]).fetchone()[0] is not None:
            raise ValidationError("The lead closed this round a moment ago; your ballot was not recorded.")
        ballot_id = int(cur.execute("SELECT nextval('seq_ballots')").fetchone()[0])
        cur.execute("INSERT INTO ballots (id, round_id, voter_id, method, cast_at) VALUES (?, ?, ?, ?, ?)",
                    [ballot_id, round_id, actor.person_id, method, now or dt.datetime.now()])
        cur.executemany("""INSERT INTO ballot_lines (ballot_id, idea_id, points, rank, impact, confidence, ease)
                           VALUES (?, ?, ?, ?, ?, ?, ?)""", [[ballot_id, *row] for row in rows])
    return ballot_id


def _ballots(rnd: dict[str, Any], voter_id: int | None = None) -> list[ranking.Ballot]:
    params: dict[str, Any] = {"round": rnd["id"]}
    until = voter = ""
    if rnd["closed_at"] is not None:
        until, params["until"] = "AND cast_at <= $until", rnd["closed_at"]
    if voter_id is not None:
        voter, params["voter"] = "AND b.voter_id = $voter", voter_id
    found: dict[int, ranking.Ballot] = {}
    for r in db.rows(_LATEST.format(until=until, voter=voter), params):
        ballot = found.setdefault(r["id"], ranking.Ballot(r["id"], r["voter_id"], r["method"], r["cast_at"], {}))
        value = {"dot": r["points"], "borda": r["rank"]}.get(r["method"], (r["impact"], r["confidence"], r["ease"]))
        ballot.lines[r["idea_id"]] = value  # type: ignore[index]
    return list(found.values())


def my_ballots(actor: auth.Actor, round_id: int) -> dict[str, dict[str, Any]]:
    """The actor's ballots that count, per method, as they read over today's ideas: lines, cast_at, set_aside."""
    rnd = get(round_id)
    auth.require_member(actor, rnd["team_id"], "vote in this team's ranking rounds")
    _, roots = _standing(rnd)
    mine = {}
    for ballot in _ballots(rnd, actor.person_id):
        resolved, aside = ranking.resolve(ballot, roots)
        mine[ballot.method] = {"lines": dict(resolved.lines), "cast_at": ballot.cast_at, "set_aside": aside}
    return mine


def participation(actor: auth.Actor, round_id: int) -> dict[str, Any]:
    """Who may vote and how many have, per method (never how anyone voted): `eligible` (the team's active members
    now), `voted` (how many of them voted), `former` (voters who have left the team since, or were deactivated;
    their ballots still count), `voter_ids`, `by_method` (everyone who voted with each method)."""
    rnd = get(round_id)
    auth.require_reader(actor, rnd["team_id"], "see this team's ranking rounds")
    members = set(db.column("""SELECT m.person_id FROM memberships m JOIN people p ON p.id = m.person_id
                               WHERE m.team_id = ? AND p.active""", [rnd["team_id"]]))
    by_method = dict.fromkeys(rnd["methods"], 0)
    for r in db.rows("SELECT method, count(DISTINCT voter_id) AS n FROM ballots WHERE round_id = ? GROUP BY method",
                     [round_id]):
        by_method[r["method"]] = r["n"]
    voters = set(db.column("SELECT DISTINCT voter_id FROM ballots WHERE round_id = ?", [round_id]))
    return {"eligible": len(members), "voted": len(voters & members), "former": len(voters - members),
            "voter_ids": voters, "by_method": by_method}


def results(actor: auth.Actor, round_id: int) -> dict[str, Any]:
    """The round's results: `results` (ranking.Results) and `titles`; refused while a blind round is open.

    Computed from the ballots over the ideas as they stand now, also for a closed round: merges made after it
    closed add up their votes, ideas removed since drop out, and undoing either gives the same results back. The
    Rank page says so under the results."""
    rnd = get(round_id)
    auth.require_reader(actor, rnd["team_id"], "see this team's ranking results")
    if not rnd["totals_visible"]:
        raise PermissionDenied("Totals stay hidden from everyone, the lead included, until the lead closes this "
                               "blind round.")
    standing, roots = _standing(rnd)
    return {"round": rnd, "results": ranking.results(_ballots(rnd), standing, rnd["methods"], roots),
            "titles": _titles(standing)}


def results_table(actor: auth.Actor, round_id: int) -> pd.DataFrame:
    """One row per idea, overall order: each method's score and place side by side (what the page shows and
    downloads)."""
    import pandas as pd

    found = results(actor, round_id)
    res, titles = found["results"], found["titles"]
    table = []
    for place, idea in enumerate(res.order, start=1):
        row: dict[str, Any] = {"Place": place, "Idea": titles[idea]}
        for method, outcome in res.methods.items():
            score = outcome.scores[idea]
            row[f"{ranking.SHORT[method]} score"] = None if score is None else round(score, 2)
            row[f"{ranking.SHORT[method]} place"] = outcome.order.index(idea) + 1
        row["Combined (0–1)"] = round(res.combined[idea], 3)
        table.append(row)
    return pd.DataFrame(table)


def scores_by_method(actor: auth.Actor, round_id: int) -> pd.DataFrame:
    """Chart data: idea, method, score, share of the method's top score, place; one row per idea and method."""
    import pandas as pd

    found = results(actor, round_id)
    res, titles = found["results"], found["titles"]
    norms = {m: ranking.normalised(o.scores) for m, o in res.methods.items()}
    return pd.DataFrame([
        {"idea": titles[idea], "method": ranking.METHODS[m], "score": o.scores[idea] or 0.0,
         "share": norms[m][idea], "place": o.order.index(idea) + 1, "overall": res.order.index(idea) + 1}
        for m, o in res.methods.items() for idea in res.order
    ], columns=["idea", "method", "score", "share", "place", "overall"])


def winner(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any] | None:
    """The overall top idea of the newest closed round (if it still stands): id, title, round title."""
    closed = [r for r in rounds_of(actor, team_id, quarter) if not r["is_open"]]
    if not closed:
        return None
    found = results(actor, closed[0]["id"])
    top = found["results"].winner
    if top is None or not closed[0]["voters"]:
        return None
    return {"id": top, "title": found["titles"][top], "round": closed[0]["title"]}


def rounds_listing(actor: auth.Actor, idea_id: int) -> list[dict[str, Any]]:
    """The rounds whose ballot lists this very idea (shown before undoing the merge that made it: votes on it would
    be set aside). Says nothing about the votes themselves, so a blind round stays blind."""
    idea = ideas.get(idea_id)
    auth.require_reader(actor, idea["team_id"], "see this team's ranking rounds")
    return db.rows("""SELECT r.id, r.title, r.closed_at IS NULL AS is_open FROM ranking_round_ideas ri
                      JOIN ranking_rounds r ON r.id = ri.round_id WHERE ri.idea_id = ? ORDER BY r.opened_at, r.id""",
                   [idea_id])


def votes_owed(actor: auth.Actor) -> list[dict[str, Any]]:
    """Home: open rounds in the actor's teams where they have not yet voted with every method."""
    if not actor.member_of:
        return []
    marks = ", ".join("?" for _ in actor.member_of)
    owed = []
    for r in db.rows(
        f"""SELECT r.id, r.team_id, r.quarter, r.title, r.methods, t.name AS team, p.name AS lead,
                   (SELECT count(DISTINCT b.method) FROM ballots b
                    WHERE b.round_id = r.id AND b.voter_id = ?) AS mine,
                   (SELECT count(DISTINCT b.voter_id) FROM ballots b WHERE b.round_id = r.id) AS voters
            FROM ranking_rounds r JOIN teams t ON t.id = r.team_id LEFT JOIN people p ON p.id = r.opened_by
            WHERE r.closed_at IS NULL AND r.team_id IN ({marks}) ORDER BY r.opened_at, r.id""",
        [actor.person_id, *sorted(actor.member_of)],
    ):
        methods = ranking.parse_methods(r["methods"])
        if r["mine"] >= len(methods):
            continue
        names = fmt.names([ranking.METHODS[m].lower() for m in methods], empty="")
        started = f" You have voted with {r['mine']} of {len(methods)} methods." if r["mine"] else ""
        owed.append({
            "what": f"Vote in {r['team']}'s ranking round for {r['quarter']}",
            "detail": f"“{r['title']}” by {names}; {r['voters']} voted so far.{started}",
            "page": "pages/workshop_rank.py", "action": "Vote",
            "query_params": {"team": r["team"], "quarter": r["quarter"]}, "due": None,
        })
    return owed
