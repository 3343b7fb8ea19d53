"""The benchmark company: 10,000 people, ~1,000 teams under 50 departments, 8 quarters, 4 KRs per objective,
~400k weekly check-ins, ~100k survey ideas, ~300k ballots. Vectorised with numpy and written table by table through
DuckDB (no row-by-row inserts), so it takes well under a minute on two cores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd

from okrdash import db, publications, quarters, signin, summaries
from okrdash.demo import content
from okrdash.demo.bulk import id_block, insert_frame
from okrdash.errors import ValidationError

DEPARTMENTS, TEAMS_PER_DEPARTMENT, PEOPLE = 50, 20, 10_000
QUARTERS, KRS_PER_OBJECTIVE, ANSWERS_PER_SURVEY, IDEAS_PER_ANSWER = 8, 4, 4, 3
KINDS = np.array(["increase_to", "decrease_to", "stay_above", "stay_below", "milestone"])
FIRST = ["Ana", "Ben", "Chloé", "David", "Elena", "Finn", "Grace", "Hannah", "Isabel", "Jonas", "Kwame", "Leila",
         "Marcus", "Noor", "Omar", "Priya", "Rafael", "Sofia", "Tariq", "Yuki", "Zoe", "Mei", "Lukas", "Amara"]
LAST = ["Okafor", "Brandt", "Raman", "Herrera", "Lindqvist", "Mensah", "Weiss", "Mehta", "Fernández", "Grant",
        "Chen", "Keller", "Nwosu", "Brooks", "Tanaka", "Zahra", "Novak", "Costa", "Halvorsen", "Adeyemi", "Martin"]
AREAS = ["Payments", "Growth", "Onboarding", "Scheduling", "Mobile", "Data", "Platform", "Search", "Billing",
         "Identity", "Messaging", "Reporting", "Integrations", "Support tools", "Marketplace"]

Progress = Callable[[float, str], None]


def generate(seed: int = 7, today: dt.date | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Fill the empty current database with the benchmark company; returns rows written per table."""
    rng = np.random.default_rng(seed)
    today = today or dt.date.today()
    report = progress or (lambda share, message: None)
    current = quarters.key_for(today)
    keys = [quarters.shift(current, n - QUARTERS + 1) for n in range(QUARTERS)]
    counts: dict[str, int] = {}
    with db.transaction() as cur:
        if cur.execute("SELECT count(*) FROM people").fetchone()[0]:
            raise ValidationError("The database already has people; the benchmark company needs an empty one.")

        def write(table: str, frame: pd.DataFrame) -> None:
            counts[table] = counts.get(table, 0) + insert_frame(cur, table, frame)

        bounds = {k: quarters.bounds(k) for k in keys}
        write("quarters", pd.DataFrame({"key": keys, "starts_on": [bounds[k][0] for k in keys],
                                        "ends_on": [bounds[k][1] for k in keys],
                                        "is_current": [k == current for k in keys]}))
        people = id_block(cur, "seq_people", PEOPLE)
        names = [f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}" for i in range(PEOPLE)]
        write("people", pd.DataFrame({"id": people, "name": names, "is_admin": np.arange(PEOPLE) == 0,
                                      "email": [f"person{i:05d}@bench.example" for i in range(PEOPLE)]}))
        departments = id_block(cur, "seq_teams", DEPARTMENTS)
        team_count = DEPARTMENTS * TEAMS_PER_DEPARTMENT
        team_ids = id_block(cur, "seq_teams", team_count)
        write("teams", pd.DataFrame({
            "id": np.concatenate([departments, team_ids]),
            "name": [f"{AREAS[d % len(AREAS)]} department {d + 1}" for d in range(DEPARTMENTS)]
            + [f"{AREAS[t % len(AREAS)]} team {t + 1}" for t in range(team_count)],
            "parent_id": np.concatenate([np.full(DEPARTMENTS, -1), np.repeat(departments, TEAMS_PER_DEPARTMENT)]),
        }).replace({"parent_id": {-1: None}}))
        # Person 0 manages everything; persons 1..50 manage a department; the rest fill teams, the first a lead.
        write("manager_scopes", pd.DataFrame({"person_id": people[:DEPARTMENTS + 1],
                                              "team_id": [None, *departments.tolist()]}))
        staff = people[DEPARTMENTS + 1:]
        team_of_staff = team_ids[np.arange(len(staff)) % team_count]
        first_in_team = np.arange(len(staff)) < team_count
        write("memberships", pd.DataFrame({"team_id": team_of_staff, "person_id": staff,
                                           "role": np.where(first_in_team, "lead", "member")}))
        crew = pd.DataFrame({"team_id": team_of_staff, "person_id": staff})
        report(0.05, "People and teams")
        for index, key in enumerate(keys):
            quarter_rows(cur, rng, write, key, bounds[key], team_ids, crew, today)
            report(0.05 + 0.75 * (index + 1) / len(keys), f"Quarter {key}")
        # Snapshots for the current quarter's objectives: the one-pagers and the all-teams view read them.
        current_objectives = cur.execute(
            "SELECT id FROM objectives WHERE quarter = ? ORDER BY id", [current]).fetchall()
        report(0.8, "Publishing the current quarter")
        published_at = dt.datetime.combine(bounds[current][0], dt.time(9))
        publications.freeze_many([(objective_id, None, published_at) for (objective_id,) in current_objectives])
        counts["publications"] = len(current_objectives)
        signin.mark_demo(cur, "large", seed, today)
        report(1.0, "Summaries of every key result")
        summaries.rebuild(cur)  # once, at the end: the publications above name only the current quarter's teams
    return counts


def quarter_rows(cur, rng, write, key: str, bounds: tuple[dt.date, dt.date], team_ids: np.ndarray,
                 crew: pd.DataFrame, today: dt.date) -> None:
    start, end = bounds
    teams = len(team_ids)
    items = id_block(cur, "seq_strategy_items", 1 + len(content.COMPANY_OBJECTIVES))
    write("strategy_items", pd.DataFrame({
        "id": items, "quarter": key, "kind": ["mission"] + ["company_objective"] * len(content.COMPANY_OBJECTIVES),
        "position": [0, *range(len(content.COMPANY_OBJECTIVES))],
        "title": [content.MISSION[0]] + [t for t, _ in content.COMPANY_OBJECTIVES],
        "body": [content.MISSION[1]] + [b for _, b in content.COMPANY_OBJECTIVES]}))
    # Surveys: one per team, four answers each, three ideas per answer.
    surveys = id_block(cur, "seq_surveys", teams)
    deadline = pd.Timestamp(start - dt.timedelta(days=8)) + pd.Timedelta(hours=17)
    write("surveys", pd.DataFrame({"id": surveys, "team_id": team_ids, "quarter": key, "deadline": deadline,
                                   "opening_text": f"{key} planning: your objective ideas, please.",
                                   "closed_at": deadline}))
    by_team = crew.groupby("team_id")["person_id"].apply(list)
    authors = np.array([by_team[t][: ANSWERS_PER_SURVEY] for t in team_ids])  # teams x answers
    answers = id_block(cur, "seq_survey_answers", teams * ANSWERS_PER_SURVEY)
    submitted = deadline - pd.to_timedelta(rng.integers(1, 200, len(answers)), unit="h")
    write("survey_answers", pd.DataFrame({"id": answers, "survey_id": np.repeat(surveys, ANSWERS_PER_SURVEY),
                                          "person_id": authors.ravel(), "payload": "{}", "submitted_at": submitted,
                                          "updated_at": submitted}))
    write("survey_participation", pd.DataFrame({
        "survey_id": np.repeat(surveys, ANSWERS_PER_SURVEY), "person_id": authors.ravel(), "status": "submitted",
        "started_at": submitted, "submitted_at": submitted}))
    idea_count = len(answers) * IDEAS_PER_ANSWER
    ideas = id_block(cur, "seq_ideas", idea_count)
    bank = [i for team in content.TEAMS.values() for i in team["ideas"]]
    pick = rng.integers(0, len(bank), idea_count)
    write("ideas", pd.DataFrame({
        "id": ideas, "team_id": np.repeat(team_ids, ANSWERS_PER_SURVEY * IDEAS_PER_ANSWER), "quarter": key,
        "kind": "objective", "title": [bank[p]["phrasings"][0] for p in pick],
        "problem": [bank[p]["problem"] for p in pick], "author_id": np.repeat(authors.ravel(), IDEAS_PER_ANSWER),
        "survey_id": np.repeat(surveys, ANSWERS_PER_SURVEY * IDEAS_PER_ANSWER),
        "answer_id": np.repeat(answers, IDEAS_PER_ANSWER), "source": "survey",
        "created_at": np.repeat(submitted, IDEAS_PER_ANSWER)}))
    ballots_and_objectives(cur, rng, write, key, start, end, team_ids, ideas, by_team, items, today)


def ballots_and_objectives(cur, rng, write, key, start, end, team_ids, ideas, by_team, items, today) -> None:
    teams = len(team_ids)
    per_team = len(ideas) // teams
    rounds = id_block(cur, "seq_ranking_rounds", teams)
    opened = pd.Timestamp(start - dt.timedelta(days=5)) + pd.Timedelta(hours=10)
    write("ranking_rounds", pd.DataFrame({"id": rounds, "team_id": team_ids, "quarter": key,
                                         "methods": "dot,borda,ice", "opened_at": opened,
                                         "closed_at": opened + pd.Timedelta(hours=2)}))
    candidates = ideas.reshape(teams, per_team)[:, :4]  # each round ranks four ideas
    write("ranking_round_ideas", pd.DataFrame({"round_id": np.repeat(rounds, 4), "idea_id": candidates.ravel()}))
    voters = [by_team[t] for t in team_ids]
    round_of, voter_of = zip(*[(r, v) for r, vs in zip(rounds, voters, strict=True) for v in vs], strict=True)
    methods = np.array(["dot", "borda", "ice"])
    ballot_ids = id_block(cur, "seq_ballots", len(round_of) * 3)
    write("ballots", pd.DataFrame({"id": ballot_ids, "round_id": np.repeat(round_of, 3),
                                   "voter_id": np.repeat(voter_of, 3), "method": np.tile(methods, len(round_of)),
                                   "cast_at": opened + pd.Timedelta(minutes=30)}))
    ideas_of_round = dict(zip(rounds, candidates, strict=True))
    line_ideas = np.concatenate([ideas_of_round[r] for r in np.repeat(round_of, 3)])
    lines = len(line_ideas)
    method_of_line = np.repeat(np.tile(methods, len(round_of)), 4)
    points = rng.multinomial(10, [0.4, 0.3, 0.2, 0.1], size=lines // 4).ravel()
    ranks = np.tile(np.arange(1, 5), lines // 4)
    write("ballot_lines", pd.DataFrame({
        "ballot_id": np.repeat(ballot_ids, 4), "idea_id": line_ideas,
        "points": np.where(method_of_line == "dot", points, None),
        "rank": np.where(method_of_line == "borda", ranks, None),
        "impact": np.where(method_of_line == "ice", rng.integers(1, 11, lines), None),
        "confidence": np.where(method_of_line == "ice", rng.integers(1, 11, lines), None),
        "ease": np.where(method_of_line == "ice", rng.integers(1, 11, lines), None)}))
    objectives = id_block(cur, "seq_objectives", teams)
    chosen = candidates[:, 0]
    write("objectives", pd.DataFrame({
        "id": objectives, "team_id": team_ids, "quarter": key, "idea_id": chosen,
        "title": [content.TEAMS[list(content.TEAMS)[i % 6]]["ideas"][i % 4]["objective"] for i in range(teams)],
        "strategy_item_id": items[1 + np.arange(teams) % (len(items) - 1)], "status": "published"}))
    key_results_and_checkins(cur, rng, write, start, end, objectives, voters, today)


def key_results_and_checkins(cur, rng, write, start, end, objectives, voters, today) -> None:
    krs = len(objectives) * KRS_PER_OBJECTIVE
    kr_ids = id_block(cur, "seq_key_results", krs)
    kinds = KINDS[rng.choice(len(KINDS), krs, p=[0.45, 0.25, 0.1, 0.1, 0.1])]
    baseline = rng.uniform(5, 100, krs).round(1)
    change = rng.uniform(0.1, 0.8, krs)
    target = np.where(kinds == "decrease_to", baseline * (1 - change), baseline * (1 + change)).round(1)
    milestone = kinds == "milestone"
    owners = np.array([team[(n * 7 + 1) % len(team)] for team in voters for n in range(KRS_PER_OBJECTIVE)])
    write("key_results", pd.DataFrame({
        "id": kr_ids, "objective_id": np.repeat(objectives, KRS_PER_OBJECTIVE),
        "position": np.tile(np.arange(KRS_PER_OBJECTIVE), len(objectives)),
        "title": [f"Move {k.replace('_', ' ')} metric {i % 97}" for i, k in enumerate(kinds)], "kind": kinds,
        "metric": np.where(milestone, "", "weekly metric"), "unit": np.where(milestone, "", "%"),
        "baseline": np.where(milestone, np.nan, baseline), "target": np.where(milestone, np.nan, target),
        "definition_of_done": np.where(milestone, "Shipped to every customer", ""), "owner_id": owners,
        "due_on": end, "achievable_confirmed": True}))
    last = min(end, today - dt.timedelta(days=1))
    first_friday = start + dt.timedelta(days=(4 - start.weekday()) % 7)
    weeks = pd.date_range(first_friday, last, freq="7D")
    if len(weeks) == 0:
        return
    span = (end - start).days
    share = ((weeks - pd.Timestamp(start)).days / span).to_numpy()
    shape = rng.uniform(0.4, 1.2, krs)  # how fast each KR moves: below 1 stalls, above 1 runs ahead
    progress = np.clip(np.outer(shape, share) + rng.normal(0, 0.03, (krs, len(share))), 0, 1.2)
    values = baseline[:, None] + (target - baseline)[:, None] * progress
    checkins = krs * len(weeks)
    write("checkins", pd.DataFrame({
        "id": id_block(cur, "seq_checkins", checkins), "kr_id": np.repeat(kr_ids, len(weeks)),
        "person_id": np.repeat(owners, len(weeks)), "checked_on": np.tile(weeks.date, krs),
        "value": np.where(np.repeat(milestone, len(weeks)), np.nan, values.ravel().round(2)),
        "done": np.where(np.repeat(milestone, len(weeks)), progress.ravel() > 0.9, None),
        "confidence": np.clip((progress.ravel() * 8 + rng.integers(0, 3, checkins)).round(), 0, 10).astype(int),
        "comment": np.where(rng.random(checkins) < 0.1, "Weekly update", "")}))
