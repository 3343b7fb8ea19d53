"""Generate the demo organisation: ~40 people, 6 teams in 2 departments, 4 quarters of history, the current quarter
mid-way and the next quarter's surveys and workshop under way."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from okrdash import db, publications, quarters, signin, summaries
from okrdash.demo import content, notifications
from okrdash.demo.bulk import Ids, Rows
from okrdash.demo.story import (
    TRAJECTORIES,
    Org,
    add_strategy,
    at,
    build_org,
    confidence_for,
    kickoff_value,
    merge_duplicates,
    run_round,
    run_survey,
    trajectory_value,
)
from okrdash.errors import ValidationError

Progress = Callable[[float, str], None]


def generate(seed: int = 7, today: dt.date | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Fill the (empty) current database with the demo organisation; returns rows written per table."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    current = quarters.key_for(today)
    history = [quarters.shift(current, -n) for n in (4, 3, 2, 1)]
    planning = quarters.shift(current, 1)
    report = progress or (lambda share, message: None)
    with db.transaction() as cur:
        if cur.execute("SELECT count(*) FROM people").fetchone()[0]:
            raise ValidationError("The database already has people; demo data goes into an empty database only.")
        ids, rows = Ids(cur), Rows()
        for key in [*history, current, planning]:
            start, end = quarters.bounds(key)
            rows.add("quarters", key=key, starts_on=start, ends_on=end, is_current=key == current)
        org = build_org(rows, ids)
        for key in [*history, current, planning]:
            add_strategy(rows, ids, org, key, today)
        report(0.1, "People, teams and strategy")
        for position, key in enumerate([*history, current]):
            for team_index, team in enumerate(content.TEAMS):
                past_quarter(rows, ids, rng, org, team, key, choice=(position + team_index) % 4, today=today)
            report(0.1 + 0.15 * (position + 1), f"Quarter {key}")
        planning_quarter(rows, ids, rng, org, planning, today)
        counts = rows.flush(cur)
        signin.mark_demo(cur, "demo", seed, today)  # demo identity mode may run here without sign-in
        summaries.rebuild(cur)  # once, for every quarter written above
    # Published after the bulk commit: snapshot queries run several times faster on committed rows.
    with db.transaction() as cur:
        counts["publications"] = publish_history(cur)
    report(0.9, "Workshop dates and the week's notifications")
    counts.update(notifications.add(org, today))
    report(1.0, "Done")
    return counts


def publish_history(cur) -> int:
    """Freeze every objective the story marked published, as its lead did on the day it was last edited."""
    published = cur.execute(
        "SELECT id, created_by, updated_at FROM objectives WHERE status = 'published' ORDER BY id").fetchall()
    publications.freeze_many([(objective_id, lead, when) for objective_id, lead, when in published])
    return len(published)


def past_quarter(rows: Rows, ids: Ids, rng: random.Random, org: Org, team: str, quarter: str, *, choice: int,
                 today: dt.date) -> None:
    """Survey → merge → vote → one objective → KRs → deprioritized list → weekly check-ins, for one team."""
    bank = content.TEAMS[team]
    start, end = quarters.bounds(quarter)
    crew, lead = org.members[team], org.leads[team]
    favourite = choice % len(bank["ideas"])
    answering = [p for p in crew if rng.random() < 0.85] or crew[:3]
    work = run_survey(rows, ids, rng, org, team, quarter, favourite=favourite,
                      deadline=at(start - dt.timedelta(days=8), 17), closed=True, answering=answering)
    merge_duplicates(rows, ids, org, team, quarter, work, at(start - dt.timedelta(days=6), 9, 30))
    run_round(rows, ids, rng, org, team, quarter, work, favourite=favourite, opened=at(start - dt.timedelta(days=5)),
              closed=True, voters=crew)
    idea = bank["ideas"][favourite]
    objective_id = ids("seq_objectives")
    rows.add("objectives", id=objective_id, team_id=org.teams[team], quarter=quarter, title=idea["objective"],
             why=f"{idea['problem']} {idea['why_now']}",
             strategy_item_id=org.strategy[quarter]["company_objectives"][idea["serves"]],
             idea_id=work.roots[favourite], status="published", created_by=lead,
             created_at=at(start - dt.timedelta(days=4)), updated_at=at(start - dt.timedelta(days=2)))
    for index in sorted(work.roots):
        if index != favourite and rng.random() < 0.5:
            rows.add("deprioritized", id=ids("seq_deprioritized"), team_id=org.teams[team], quarter=quarter,
                     title=bank["ideas"][index]["phrasings"][0], idea_id=work.roots[index], created_by=lead,
                     reason="A strong idea, but it doesn't serve this quarter's focus; first candidate next time.",
                     created_at=at(start - dt.timedelta(days=4)))
    for title, reason in rng.sample(bank["deprioritize"], k=2):
        rows.add("deprioritized", id=ids("seq_deprioritized"), team_id=org.teams[team], quarter=quarter,
                 title=title, reason=reason, created_by=lead, created_at=at(start - dt.timedelta(days=4)))
    count = rng.randint(3, 4)
    offset = rng.randrange(len(bank["key_results"]))
    chosen = [bank["key_results"][(offset + n) % len(bank["key_results"])] for n in range(count)]
    for position, (title, kind, metric, unit, baseline, target) in enumerate(chosen):
        kr_id = ids("seq_key_results")
        milestone = kind == "milestone"
        owner = rng.choice(crew)
        rows.add("key_results", id=kr_id, objective_id=objective_id, position=position, title=title, kind=kind,
                 metric="" if milestone else metric, unit=unit, baseline=None if milestone else baseline,
                 target=None if milestone else target, definition_of_done=metric if milestone else "",
                 owner_id=owner, due_on=end, achievable_confirmed=True,
                 created_at=at(start - dt.timedelta(days=3)), updated_at=at(start - dt.timedelta(days=2)))
        check_ins(rows, ids, rng, org, team, kr_id, kind, baseline, target, owner, start, end, today)


def check_ins(rows: Rows, ids: Ids, rng: random.Random, org: Org, team: str, kr_id: int, kind: str,
              baseline: float, target: float, owner: int, start: dt.date, end: dt.date, today: dt.date) -> None:
    """A kick-off check-in on the quarter's first morning (the starting point), then weekly check-ins from the
    first Friday after it until the quarter's end (or yesterday, less a stale gap)."""
    shape = rng.choice(TRAJECTORIES)
    gap = dt.timedelta(0)
    if start <= today <= end and rng.random() < 0.2:
        gap = dt.timedelta(days=rng.randint(9, 20))  # a stale KR: nobody checked in lately
    if start <= min(end, today) - gap:
        # Made at 9:00, so on a quarter's first day the current quarter already has check-ins by mid-morning.
        value, done = kickoff_value(kind, baseline, target)
        rows.add("checkins", id=ids("seq_checkins"), kr_id=kr_id, person_id=owner, checked_on=start, value=value,
                 done=done, confidence=confidence_for(shape, 0.0), comment=content.KICKOFF_COMMENT,
                 created_at=at(start, 9))
    last_day = min(end, today - dt.timedelta(days=1)) - gap
    day = start + dt.timedelta(days=(4 - start.weekday()) % 7 or 7)
    span = (end - start).days
    while day <= last_day:
        share = (day - start).days / span
        value, done = trajectory_value(kind, baseline, target, share, shape, rng)
        checkin_id = ids("seq_checkins")
        comment = rng.choice(content.CHECKIN_COMMENTS[shape]) if rng.random() < 0.35 else ""
        rows.add("checkins", id=checkin_id, kr_id=kr_id, person_id=owner, checked_on=day, value=value, done=done,
                 confidence=confidence_for(shape, share, rng), comment=comment, created_at=at(day, 16))
        if comment and rng.random() < 0.3:
            manager = org.managers[content.TEAMS[team]["department"]]
            rows.add("checkin_acks", id=ids("seq_checkin_acks"), checkin_id=checkin_id, person_id=manager,
                     comment=rng.choice(content.ACK_COMMENTS), created_at=at(day + dt.timedelta(days=1), 9))
        day += dt.timedelta(days=7)


def planning_quarter(rows: Rows, ids: Ids, rng: random.Random, org: Org, quarter: str, today: dt.date) -> None:
    """Next quarter's preparation, at different stages per team so every screen has something to show."""
    soon = at(today + dt.timedelta(days=6), 17)
    teams = list(content.TEAMS)
    # Onboarding: the survey closed two days ago, ideas are merged and a blind vote is running.
    crew = org.members[teams[0]]
    work = run_survey(rows, ids, rng, org, teams[0], quarter, favourite=2, closed=True,
                      deadline=at(today - dt.timedelta(days=2), 17), answering=crew[:-1])
    merge_duplicates(rows, ids, org, teams[0], quarter, work, at(today - dt.timedelta(days=1), 9))
    yesterday = today - dt.timedelta(days=1)
    run_round(rows, ids, rng, org, teams[0], quarter, work, favourite=2, opened=at(yesterday, 14), closed=False,
              voters=crew[1:4])
    # Scheduling: most have answered. Payments: a couple. Mobile: nobody yet, one draft. Data: anonymous, half.
    plans = {1: (4, 1), 2: (2, 1), 3: (0, 1), 4: (3, 0)}
    for index, (answered, drafting) in plans.items():
        crew = org.members[teams[index]]
        run_survey(rows, ids, rng, org, teams[index], quarter, favourite=index % 3, closed=False, deadline=soon,
                   answering=crew[1:1 + answered], drafting=crew[1 + answered:1 + answered + drafting],
                   until=at(yesterday, 18))
    # Developer Platform has not opened its survey yet: the lead owes that.
