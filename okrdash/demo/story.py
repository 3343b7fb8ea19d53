"""The demo organisation's history, quarter by quarter: surveys, ideas, merges, votes, the one objective per team,
key results, deprioritized lists and weekly check-ins with believable trajectories.

Everything is computed from a seeded PRNG and a `today`, so the same seed and day give the same database.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from typing import Any

from okrdash import quarters, survey_payload
from okrdash.demo import content
from okrdash.demo.bulk import Ids, Rows

TRAJECTORIES = ["on_track", "on_track", "on_track", "stalling", "late_burst", "behind"]
STRATEGY_LEAD_DAYS = 21  # the planning quarter's strategy is written at least this long before today


@dataclass
class Org:
    """Ids of the generated people and teams, for the quarters to refer to."""

    people: dict[str, int] = field(default_factory=dict)  # name -> id
    teams: dict[str, int] = field(default_factory=dict)  # team name -> id
    leads: dict[str, int] = field(default_factory=dict)  # team name -> lead id
    members: dict[str, list[int]] = field(default_factory=dict)  # team name -> ids, lead first
    managers: dict[str, int] = field(default_factory=dict)  # department name -> manager id
    strategy: dict[str, dict[str, Any]] = field(default_factory=dict)  # quarter -> item ids by role


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def email_for(name: str) -> str:
    local = name.lower().replace("'", "").replace(" ", ".").replace("-", "")
    for accented, plain in zip("áéíóúñçöøåäłéè", "aeiouncooaalee", strict=False):
        local = local.replace(accented, plain)
    return f"{local}@{content.DOMAIN}"


def build_org(rows: Rows, ids: Ids) -> Org:
    org = Org()
    for name in content.PEOPLE:
        person_id = ids("seq_people")
        org.people[name] = person_id
        rows.add("people", id=person_id, name=name, email=email_for(name), is_admin=name == content.PEOPLE[0])
    for department, description in content.DEPARTMENTS.items():
        org.teams[department] = ids("seq_teams")
        rows.add("teams", id=org.teams[department], name=department, parent_id=None, description=description)
    for name, team in content.TEAMS.items():
        org.teams[name] = ids("seq_teams")
        rows.add("teams", id=org.teams[name], name=name, parent_id=org.teams[team["department"]],
                 description=team["description"])
    # Maya (VP Product, admin) manages everything; Daniel and Priya head the two departments; then six teams of
    # six, lead first. Rosa, the last person, is in no team.
    everyone = list(org.people.values())
    rows.add("manager_scopes", person_id=everyone[0], team_id=None)
    for offset, department in enumerate(content.DEPARTMENTS, start=1):
        org.managers[department] = everyone[offset]
        rows.add("manager_scopes", person_id=everyone[offset], team_id=org.teams[department])
    staff = everyone[3:]
    for index, name in enumerate(content.TEAMS):
        crew = staff[index * 6:(index + 1) * 6]
        org.members[name], org.leads[name] = crew, crew[0]
        for position, person_id in enumerate(crew):
            rows.add("memberships", team_id=org.teams[name], person_id=person_id,
                     role="lead" if position == 0 else "member")
    # Priya also sits in two Customer Product teams as staff PM: a person with several roles at once.
    rows.add("memberships", team_id=org.teams["Onboarding"], person_id=everyone[2], role="member")
    rows.add("memberships", team_id=org.teams["Payments & Invoicing"], person_id=everyone[2], role="member")
    org.members["Onboarding"].append(everyone[2])
    org.members["Payments & Invoicing"].append(everyone[2])
    return org


def add_strategy(rows: Rows, ids: Ids, org: Org, quarter: str, today: dt.date) -> None:
    """The quarter's strategy, written a month before the quarter starts, and for the quarter being prepared three
    weeks ago at the latest: before its surveys opened, which give it as pre-reading."""
    start, _ = quarters.bounds(quarter)
    stamp = at(min(start - dt.timedelta(days=30), today - dt.timedelta(days=STRATEGY_LEAD_DAYS)))
    items: dict[str, Any] = {"company_objectives": [], "strategies": []}

    def add(kind: str, position: int, title: str, body: str) -> int:
        item_id = ids("seq_strategy_items")
        rows.add("strategy_items", id=item_id, quarter=quarter, kind=kind, position=position, title=title,
                 body=body, updated_at=stamp)
        return item_id

    add("mission", 0, *content.MISSION)
    for position, (title, body) in enumerate(content.COMPANY_OBJECTIVES):
        items["company_objectives"].append(add("company_objective", position, title, body))
    add("product_vision", 0, *content.VISION)
    for position, (title, body) in enumerate(content.PRINCIPLES):
        add("principle", position, f"{title}", f"{body}")
    for position, (title, body) in enumerate(content.STRATEGIES):
        items["strategies"].append(add("product_strategy", position, title, f"{body}\n\n*Focus for {quarter}.*"))
    org.strategy[quarter] = items


@dataclass
class Workshop:
    """What one team's survey and workshop produced for a quarter."""

    survey_id: int
    objective_ideas: dict[int, list[int]]  # bank index -> idea ids
    roots: dict[int, int]  # bank index -> the idea that represents it after merging
    kr_ideas: dict[int, list[int]]


def run_survey(rows: Rows, ids: Ids, rng: random.Random, org: Org, team: str, quarter: str, *,
               favourite: int, deadline: dt.datetime, closed: bool, answering: list[int],
               drafting: list[int] = (), until: dt.datetime | None = None) -> Workshop:
    """A lead's survey and the members' answers, each becoming idea rows (anonymous for Data & Insights).
    Answers and drafts fall between the opening and `until` (the story's present; default: the deadline)."""
    bank = content.TEAMS[team]
    team_id, lead = org.teams[team], org.leads[team]
    anonymous = team == "Data & Insights"
    survey_id = ids("seq_surveys")
    opened = deadline - dt.timedelta(days=14)
    rows.add("surveys", id=survey_id, team_id=team_id, quarter=quarter, anonymous=anonymous, opened_by=lead,
             opened_at=opened, deadline=deadline, closed_at=deadline if closed else None,
             opening_text=f"{quarter} planning starts now. Read the strategy below, then give us your best "
                          "objective ideas and the key results that would prove them. Ideas beat polish.")
    strategy = org.strategy[quarter]
    for position, item_id in enumerate(strategy["company_objectives"] + strategy["strategies"]):
        rows.add("survey_prereading", survey_id=survey_id, strategy_item_id=item_id, position=position)
    work = Workshop(survey_id, {}, {}, {})
    for person_id in drafting:
        started = opened + (min(until or deadline, deadline) - opened) * rng.uniform(0.1, 0.6)
        idea = rng.choice(bank["ideas"])
        draft = {"objectives": [{"title": rng.choice(idea["phrasings"]), "problem": idea["problem"], "why_now": "",
                                 "strategy_item_id": None, "key_results": []}],
                 "deprioritize": [], "concerns": []}
        rows.add("survey_participation", survey_id=survey_id, person_id=person_id, status="draft",
                 started_at=started, submitted_at=None)
        rows.add("survey_drafts", survey_id=survey_id, person_id=person_id, updated_at=started,
                 payload=json.dumps(survey_payload.normalise(draft), ensure_ascii=False))
    for person_id in answering:
        submitted = opened + (min(until or deadline, deadline) - opened) * rng.uniform(0.05, 0.95)
        submitted = submitted.replace(second=0, microsecond=0)
        if anonymous:  # as the app stores them: no time of day that could tell who answered when
            submitted = submitted.replace(hour=0, minute=0)
        picks = {favourite} | set(rng.sample(range(len(bank["ideas"])), k=rng.randint(1, 2)))
        author = None if anonymous else person_id
        answer_id = ids("seq_survey_answers")
        payload: dict[str, Any] = {"objectives": [], "deprioritize": [], "concerns": []}
        for index in sorted(picks):
            idea = bank["ideas"][index]
            title = rng.choice(idea["phrasings"])
            serves = strategy["company_objectives"][idea["serves"]]
            idea_id = ids("seq_ideas")
            work.objective_ideas.setdefault(index, []).append(idea_id)
            rows.add("ideas", id=idea_id, team_id=team_id, quarter=quarter, kind="objective", parent_id=None,
                     title=title, problem=idea["problem"], why_now=idea["why_now"], strategy_item_id=serves,
                     author_id=author, anonymous=anonymous, survey_id=survey_id, answer_id=answer_id,
                     source="survey", created_at=submitted)
            krs = []
            for kr_title, metric, unit, baseline, target in idea["kr_ideas"][: rng.randint(0, 2)]:
                kr_id = ids("seq_ideas")
                work.kr_ideas.setdefault(index, []).append(kr_id)
                rows.add("ideas", id=kr_id, team_id=team_id, quarter=quarter, kind="key_result",
                         parent_id=idea_id, title=kr_title, metric=metric, unit=unit, baseline=baseline,
                         target=target, author_id=author, anonymous=anonymous, survey_id=survey_id,
                         answer_id=answer_id, source="survey", created_at=submitted)
                krs.append({"title": kr_title, "metric": metric, "unit": unit, "baseline": baseline,
                            "target": target})
            payload["objectives"].append({"title": title, "problem": idea["problem"], "why_now": idea["why_now"],
                                          "strategy_item_id": serves, "key_results": krs})
        if rng.random() < 0.6:
            title, reason = rng.choice(bank["deprioritize"])
            payload["deprioritize"].append({"title": title, "why": reason})
            rows.add("ideas", id=ids("seq_ideas"), team_id=team_id, quarter=quarter, kind="deprioritize",
                     title=title, reason=reason, author_id=author, anonymous=anonymous, survey_id=survey_id,
                     answer_id=answer_id, source="survey", created_at=submitted)
        if rng.random() < 0.5:
            concern = rng.choice(bank["concerns"])
            payload["concerns"].append({"title": concern})
            rows.add("ideas", id=ids("seq_ideas"), team_id=team_id, quarter=quarter, kind="concern", title=concern,
                     author_id=author, anonymous=anonymous, survey_id=survey_id, answer_id=answer_id,
                     source="survey", created_at=submitted)
        rows.add("survey_answers", id=answer_id, survey_id=survey_id, person_id=author,
                 payload=json.dumps(payload), submitted_at=submitted, updated_at=submitted)
        rows.add("survey_participation", survey_id=survey_id, person_id=person_id, status="submitted",
                 started_at=submitted if anonymous else submitted - dt.timedelta(minutes=rng.randint(5, 40)),
                 submitted_at=None if anonymous else submitted)
    return work


def merge_duplicates(rows: Rows, ids: Ids, org: Org, team: str, quarter: str, work: Workshop,
                     when: dt.datetime) -> None:
    """The lead merges each group of same-idea phrasings into one idea titled with its clearest phrasing."""
    bank = content.TEAMS[team]["ideas"]
    for index, idea_ids in sorted(work.objective_ideas.items()):
        if len(idea_ids) == 1:
            work.roots[index] = idea_ids[0]
            continue
        idea = bank[index]
        result_id = ids("seq_ideas")
        rows.add("ideas", id=result_id, team_id=org.teams[team], quarter=quarter, kind="objective",
                 title=idea["phrasings"][0], problem=idea["problem"], why_now=idea["why_now"],
                 author_id=None, anonymous=False, source="merge", created_at=when)
        for row in rows.tables["ideas"]:
            if row["id"] in idea_ids:
                row["merged_into"] = result_id
        rows.add("idea_merges", id=ids("seq_idea_merges"), team_id=org.teams[team], quarter=quarter,
                 result_idea_id=result_id, merged_by=org.leads[team], merged_at=when)
        work.roots[index] = result_id


def run_round(rows: Rows, ids: Ids, rng: random.Random, org: Org, team: str, quarter: str, work: Workshop, *,
              favourite: int, opened: dt.datetime, closed: bool, voters: list[int]) -> int:
    """A blind dot-voting + Borda round over the merged ideas; the favourite idea tends to win."""
    round_id = ids("seq_ranking_rounds")
    rows.add("ranking_rounds", id=round_id, team_id=org.teams[team], quarter=quarter,
             title=f"Which objective for {quarter}?", methods="dot,borda", dot_budget=10, dot_max_per_idea=5,
             blind=True, opened_by=org.leads[team], opened_at=opened,
             closed_at=opened + dt.timedelta(hours=2) if closed else None)
    candidates = [work.roots[i] for i in sorted(work.roots)]
    for idea_id in candidates:
        rows.add("ranking_round_ideas", round_id=round_id, idea_id=idea_id)
    favourite_id = work.roots[favourite]
    for voter in voters:
        cast = opened + dt.timedelta(minutes=rng.randint(3, 90))
        # Dot voting: up to 5 on the favourite, the rest spread over others.
        points = dict.fromkeys(candidates, 0)
        points[favourite_id] = rng.randint(3, 5)
        left = 10 - points[favourite_id]
        others = [c for c in candidates if c != favourite_id] or [favourite_id]
        while left > 0:
            choice = rng.choice(others)
            if points[choice] < 5:
                points[choice] += 1
                left -= 1
            elif all(points[c] >= 5 for c in others):
                break
        ballot_id = ids("seq_ballots")
        rows.add("ballots", id=ballot_id, round_id=round_id, voter_id=voter, method="dot", cast_at=cast)
        for idea_id, given in points.items():
            if given:
                rows.add("ballot_lines", ballot_id=ballot_id, idea_id=idea_id, points=given)
        # Borda: a full ranking, favourite usually first.
        order = sorted(candidates, key=lambda c: (c != favourite_id or rng.random() < 0.2, rng.random()))
        ballot_id = ids("seq_ballots")
        rows.add("ballots", id=ballot_id, round_id=round_id, voter_id=voter, method="borda",
                 cast_at=cast + dt.timedelta(minutes=2))
        for rank, idea_id in enumerate(order, start=1):
            rows.add("ballot_lines", ballot_id=ballot_id, idea_id=idea_id, rank=rank)
    return round_id


def trajectory_value(kind: str, baseline: float, target: float, share: float, shape: str,
                     rng: random.Random) -> tuple[float | None, bool | None]:
    """The value (or done flag) a KR shows `share` of the way through its quarter, for a trajectory shape."""
    if kind == "milestone":
        done_at = {"on_track": 0.75, "late_burst": 0.95}.get(shape, 2.0)
        return None, share >= done_at
    if kind in ("stay_above", "stay_below"):
        margin = abs(target) * 0.02 or 0.5
        outside = shape in ("stalling", "behind") and rng.random() < 0.35
        direction = 1 if kind == "stay_above" else -1
        value = target + direction * (margin * rng.uniform(0.2, 1.5)) * (-1 if outside else 1)
        return round(value, 2), None
    progress = {
        "on_track": share * rng.uniform(0.9, 1.08),
        "stalling": min(share, 0.4) * rng.uniform(0.85, 1.05),
        "late_burst": share**3 * rng.uniform(0.95, 1.1),
        "behind": share * rng.uniform(0.5, 0.65),
    }[shape]
    value = baseline + (target - baseline) * max(0.0, progress)
    return round(value, 2 if abs(target - baseline) < 20 else 0), None


def kickoff_value(kind: str, baseline: float, target: float) -> tuple[float | None, bool | None]:
    """Where a KR stands on its quarter's first day: the baseline, a milestone not done, a guardrail held."""
    if kind == "milestone":
        return None, False
    if kind in ("stay_above", "stay_below"):
        margin = abs(target) * 0.02 or 0.5
        return round(target + (margin if kind == "stay_above" else -margin), 2), None
    return baseline, None


def confidence_for(shape: str, share: float, rng: random.Random | None = None) -> int:
    """The owner's confidence `share` of the way through the quarter (with a little noise when `rng` is given)."""
    start, end = {"on_track": (7, 8), "stalling": (7, 3), "late_burst": (5, 8), "behind": (6, 4)}[shape]
    noise = rng.choice([-1, 0, 0, 1]) if rng else 0
    return max(0, min(10, round(start + (end - start) * share + noise)))
