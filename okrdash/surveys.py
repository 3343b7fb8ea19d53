"""Pre-workshop surveys: a lead opens one per team and quarter, members answer before the workshop.

This module owns the survey itself (open, settings, close early, extend or reopen, deadline wording, what Home
shows). Answers and drafts live in `okrdash.survey_answers`, participation in `okrdash.survey_participation`.

A survey is open while it has no `closed_at` and its deadline is in the future. Closing early sets `closed_at`;
extending the deadline clears it, so a survey closed early opens again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import auth, db, fmt, meetings, quarters, strategy, validate
from okrdash.errors import NotFound, ValidationError

OPEN, CLOSED_EARLY, CLOSED = "open", "closed_early", "closed"
PREREADING_KINDS = ("company_objective", "product_strategy")
DEADLINE_HOUR = 17
DEFAULT_OPENING_TEXT = (
    "Planning for {quarter} starts now. Read the strategy below first, then give us your best objective ideas "
    "and the key results that would prove them, what we should stop or postpone, and what worries you. "
    "Ideas beat polish: rough notes are welcome, we shape them together in the workshop."
)
COLUMNS = """s.id, s.team_id, t.name AS team_name, s.quarter, s.opening_text, s.deadline, s.anonymous,
              s.opened_by, o.name AS opened_by_name, s.opened_at, s.closed_at"""
FROM = "FROM surveys s JOIN teams t ON t.id = s.team_id LEFT JOIN people o ON o.id = s.opened_by"



def clock(now: dt.datetime | None = None) -> dt.datetime:
    """`now` when a test passes one, else the wall clock (to the second)."""
    return now or dt.datetime.now().replace(microsecond=0)


def get(survey_id: int) -> dict[str, Any]:
    """The survey with its team and lead names (library helper: no permission check; pages use `survey`)."""
    found = db.row(f"SELECT {COLUMNS} {FROM} WHERE s.id = ?", [survey_id])
    if found is None:
        raise NotFound("That survey does not exist (any more). Pick another one.")
    return _with_lead(found)


def _with_lead(found: dict[str, Any]) -> dict[str, Any]:
    """Add `lead_name`: who runs the team's survey now (members are told whom to ask)."""
    found["lead_name"] = db.scalar(
        """SELECT p.name FROM memberships m JOIN people p ON p.id = m.person_id
           WHERE m.team_id = ? AND m.role = 'lead' AND p.active ORDER BY p.name LIMIT 1""",
        [found["team_id"]],
    )
    return found


def survey(actor: auth.Actor, survey_id: int) -> dict[str, Any]:
    """The survey, for a member of its team, its lead or a manager above it."""
    found = get(survey_id)
    auth.require_reader(actor, found["team_id"], "see this survey")
    return found


def find(actor: auth.Actor, team_id: int, quarter: str) -> dict[str, Any] | None:
    """The team's survey for the quarter, or None when the lead has not opened one."""
    auth.require_reader(actor, team_id, "see its surveys")
    found = db.row(f"SELECT {COLUMNS} {FROM} WHERE s.team_id = ? AND s.quarter = ?", [team_id, quarter])
    return None if found is None else _with_lead(found)


def state(found: dict[str, Any], now: dt.datetime | None = None) -> str:
    """OPEN, CLOSED_EARLY (the lead closed it before its deadline) or CLOSED (the deadline passed)."""
    now = clock(now)
    if found["closed_at"] is not None:
        return CLOSED_EARLY if found["closed_at"] < found["deadline"] else CLOSED
    return OPEN if now < found["deadline"] else CLOSED


def is_open(found: dict[str, Any], now: dt.datetime | None = None) -> bool:
    return state(found, now) == OPEN


def picker_label(found: dict[str, Any], now: dt.datetime | None = None) -> str:
    """How the Surveys page lists a survey: 'Scheduling · 2027-Q1' ('… (closed)'). Streamlit binds a picker to the
    URL by this label, so links to a survey (Home, reminders) carry it as `?survey=`."""
    return f"{found['team_name']} · {found['quarter']}" + ("" if is_open(found, now) else " (closed)")


def when(moment: dt.datetime) -> str:
    """'Tue 1 Dec 2026 at 17:00'."""
    return f"{fmt.day(moment)} at {moment:%H:%M}"


def relative(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """'today at 15:24', 'yesterday at 09:10', else 'on Tue 1 Dec 2026 at 17:00'."""
    days = (clock(now).date() - moment.date()).days
    if days == 0:
        return f"today at {moment:%H:%M}"
    if days == 1:
        return f"yesterday at {moment:%H:%M}"
    return f"on {when(moment)}"


def deadline_text(found: dict[str, Any], now: dt.datetime | None = None) -> str:
    """'Closes in 3 days (Tue 1 Dec 2026 at 17:00)', 'Closes today at 17:00 (in 5 hours)', 'Closed early on …'."""
    now = clock(now)
    current = state(found, now)
    if current == CLOSED_EARLY:
        return f"Closed early on {when(found['closed_at'])}"
    if current == CLOSED:
        return f"Closed on {when(found['deadline'])}"
    deadline = found["deadline"]
    left = deadline - now
    days = (deadline.date() - now.date()).days
    if left < dt.timedelta(hours=1):
        minutes = max(1, int(left.total_seconds() // 60))
        return f"Closes in {minutes} minute{'s' * (minutes != 1)} (at {deadline:%H:%M})"
    if days == 0:
        hours = int(left.total_seconds() // 3600)
        return f"Closes today at {deadline:%H:%M} (in {hours} hour{'s' * (hours != 1)})"
    if days == 1:
        return f"Closes tomorrow at {deadline:%H:%M}"
    return f"Closes in {days} days ({when(deadline)})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def closed_sentence(found: dict[str, Any], now: dt.datetime | None = None) -> str:
    """'The Growth survey for 2027-Q1 closed on Fri 27 Nov 2026 at 17:00' (or 'closed early on …')."""
    return f"The {found['team_name']} survey for {found['quarter']} {_lower_first(deadline_text(found, now))}"


def closed_message(found: dict[str, Any], now: dt.datetime | None = None) -> str:
    """Why an answer can no longer change, and who can help."""
    lead = found.get("lead_name") or "the team lead"
    return (
        f"{closed_sentence(found, now)}, so answers can no longer be submitted or changed. Your draft is kept: if "
        f"you still want to send it, ask {lead} to extend the deadline."
    )


# ---- defaults for the "open a survey" form ----


def default_deadline(now: dt.datetime | None = None) -> dt.datetime:
    """A week from now at 17:00."""
    day = clock(now).date() + dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(DEADLINE_HOUR))


def default_opening_text(quarter: str) -> str:
    return DEFAULT_OPENING_TEXT.format(quarter=quarter)


def prereading_options(quarter: str) -> list[dict[str, Any]]:
    """Strategy items a lead can ask members to read: the quarter's, or the previous quarter's when it has none."""
    found = strategy.items(quarter)
    return found or strategy.items(quarters.previous(quarter))


def default_prereading(quarter: str) -> list[int]:
    """That quarter's company objectives and product strategy (DESIGN.md: the context objectives should serve)."""
    return [i["id"] for i in prereading_options(quarter) if i["kind"] in PREREADING_KINDS]


def prereading(survey_id: int) -> list[dict[str, Any]]:
    """The pre-reading items of a survey in the order the lead chose."""
    return db.rows(
        """SELECT i.id, i.kind, i.title, i.body, i.quarter FROM survey_prereading r
           JOIN strategy_items i ON i.id = r.strategy_item_id WHERE r.survey_id = ? ORDER BY r.position, i.id""",
        [survey_id],
    )


def linkable_items(found: dict[str, Any]) -> list[dict[str, Any]]:
    """What an objective idea may serve: the quarter's linkable strategy items, plus the survey's pre-reading."""
    items = {i["id"]: i for i in strategy.linkable_items(found["quarter"])}
    for item in prereading(found["id"]):
        if item["kind"] != "mission":
            items.setdefault(item["id"], item)
    return list(items.values())


# ---- the lead's actions ----


def _check_deadline(deadline: object, quarter: str, now: dt.datetime) -> dt.datetime:
    if isinstance(deadline, dt.datetime):
        value = deadline.replace(tzinfo=None, microsecond=0)
    elif isinstance(deadline, dt.date):
        value = dt.datetime.combine(deadline, dt.time(DEADLINE_HOUR))
    else:
        raise ValidationError("Pick a deadline: a date and a time.", "deadline")
    if value <= now:
        raise ValidationError(
            f"The deadline {when(value)} has already passed; pick a moment in the future.", "deadline"
        )
    _, last_day = quarters.bounds(quarter)
    if value.date() > last_day:
        raise ValidationError(
            f"The deadline must fall before {quarter} ends ({fmt.day(last_day)}): the workshop needs the answers.",
            "deadline",
        )
    return value


def _check_prereading(item_ids: list[int] | None) -> list[int]:
    chosen = list(dict.fromkeys(int(i) for i in item_ids or []))
    if chosen:
        placeholders = ", ".join("?" for _ in chosen)
        known = set(db.column(f"SELECT id FROM strategy_items WHERE id IN ({placeholders})", chosen))
        if missing := [i for i in chosen if i not in known]:
            raise ValidationError(
                f"{len(missing)} of the chosen strategy items no longer exist; reload the page and pick again.",
                "prereading",
            )
    return chosen


def _write_prereading(cur, survey_id: int, item_ids: list[int]) -> None:
    cur.execute("DELETE FROM survey_prereading WHERE survey_id = ?", [survey_id])
    if item_ids:
        cur.executemany(
            "INSERT INTO survey_prereading (survey_id, strategy_item_id, position) VALUES (?, ?, ?)",
            [[survey_id, item_id, position] for position, item_id in enumerate(item_ids)],
        )


def open_survey(
    actor: auth.Actor, team_id: int, quarter: str, *, deadline: dt.datetime | dt.date, opening_text: str = "",
    anonymous: bool = False, prereading_ids: list[int] | None = None, workshop: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """The lead opens the team's survey for `quarter` (one per team and quarter); returns its id.

    `prereading_ids` None means the default pre-reading (company objectives and product strategy); [] means none.
    `workshop` {day, start, minutes, place}: when and where the workshop meets (okrdash.meetings), or None.
    """
    auth.require_lead(actor, team_id, "open its survey")
    quarters.get(quarter)
    now = clock(now)
    value = _check_deadline(deadline, quarter, now)
    text = validate.text(opening_text, "Opening text", field="opening_text")
    items = _check_prereading(default_prereading(quarter) if prereading_ids is None else prereading_ids)
    meeting = None if workshop is None else meetings.check(workshop, deadline=value, quarter=quarter, now=now)

    def attempt() -> int:
        with db.transaction(scope=(team_id, quarter)) as cur:
            if cur.execute("SELECT count(*) FROM surveys WHERE team_id = ? AND quarter = ?",
                           [team_id, quarter]).fetchone()[0]:
                raise ValidationError(
                    f"{auth.team_name(team_id)} already has a survey for {quarter}; there is one per team and "
                    "quarter. Change its settings or deadline instead."
                )
            survey_id = int(cur.execute("SELECT nextval('seq_surveys')").fetchone()[0])
            cur.execute(
                """INSERT INTO surveys (id, team_id, quarter, opening_text, deadline, anonymous, opened_by, opened_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                [survey_id, team_id, quarter, text, value, bool(anonymous), actor.person_id, now],
            )
            _write_prereading(cur, survey_id, items)
            if meeting is not None:
                meetings.write(cur, survey_id, meeting, by=actor.person_id, now=now)
            return survey_id

    return db.retrying(attempt)


def _led(actor: auth.Actor, survey_id: int, doing: str) -> dict[str, Any]:
    found = get(survey_id)
    auth.require_lead(actor, found["team_id"], doing)
    return found


def anonymity_lock(survey_id: int) -> str:
    """Why anonymity can no longer be switched (empty when it can): answers arrived, or anonymous drafts began."""
    found = get(survey_id)
    answers = db.scalar("SELECT count(*) FROM survey_answers WHERE survey_id = ?", [survey_id])
    if answers:
        return (f"Anonymity is locked: {answers} answer{'s' * (answers != 1)} arrived under the current setting, "
                "and everyone must be able to trust what the form told them.")
    drafts = db.scalar("SELECT count(*) FROM survey_participation WHERE survey_id = ?", [survey_id])
    if found["anonymous"] and drafts:
        return (f"Anonymity stays on: {drafts} {'person has' if drafts == 1 else 'people have'} started writing "
                "under the promise of anonymity.")
    return ""


def update_settings(
    actor: auth.Actor, survey_id: int, *, opening_text: str, anonymous: bool, prereading_ids: list[int]
) -> None:
    """The lead changes the opening text, the pre-reading and (until it locks) anonymity."""
    found = _led(actor, survey_id, "change its survey")
    text = validate.text(opening_text, "Opening text", field="opening_text")
    items = _check_prereading(prereading_ids)
    if bool(anonymous) != bool(found["anonymous"]) and (reason := anonymity_lock(survey_id)):
        raise ValidationError(reason + " Your other changes were not saved either; untick the change and save.",
                              "anonymous")
    with db.transaction(scope=(found["team_id"], found["quarter"])) as cur:
        # Again inside the write: an answer (or an anonymous draft) may have arrived since the check above.
        if bool(anonymous) != bool(get(survey_id)["anonymous"]) and (reason := anonymity_lock(survey_id)):
            raise ValidationError(reason + " Nothing was saved; reload the page.", "anonymous")
        if bool(anonymous) != bool(get(survey_id)["anonymous"]):
            # Claim every participation row: a submit racing this (it claims its person's row) makes one of the two
            # fail as a conflict, so no answer is stored under the other setting (migrations.m012_...).
            cur.execute("UPDATE survey_participation SET claims = claims + 1 WHERE survey_id = ?", [survey_id])
        cur.execute("UPDATE surveys SET opening_text = ?, anonymous = ? WHERE id = ?",
                    [text, bool(anonymous), survey_id])
        _write_prereading(cur, survey_id, items)


def close(actor: auth.Actor, survey_id: int, now: dt.datetime | None = None) -> None:
    """The lead closes the survey before its deadline; answers become read-only, drafts are kept."""
    found = _led(actor, survey_id, "close its survey")
    now = clock(now)
    if state(found, now) != OPEN:
        raise ValidationError(f"This survey is not open: it {_lower_first(deadline_text(found, now))}.")
    db.execute("UPDATE surveys SET closed_at = ? WHERE id = ?", [now, survey_id],
               scope=(found["team_id"], found["quarter"]))


def extend(actor: auth.Actor, survey_id: int, deadline: dt.datetime | dt.date,
           now: dt.datetime | None = None) -> bool:
    """The lead moves the deadline later; a survey that was closed (early or by its deadline) opens again.

    Returns True when the survey was closed and is now open again.
    """
    found = _led(actor, survey_id, "extend its survey")
    now = clock(now)
    value = _check_deadline(deadline, found["quarter"], now)
    meetings.check_new_deadline(survey_id, value, now)
    was_open = state(found, now) == OPEN
    if was_open and value <= found["deadline"]:
        raise ValidationError(
            f"{when(value)} is not later than the current deadline ({when(found['deadline'])}). "
            "To end the survey sooner, close it now instead.", "deadline"
        )
    db.execute("UPDATE surveys SET deadline = ?, closed_at = NULL WHERE id = ?", [value, survey_id],
               scope=(found["team_id"], found["quarter"]))
    return not was_open
