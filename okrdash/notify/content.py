"""What each kind of message says: the email to one person (subject, blocks, why it came, attachments) and the
post to a team's chat. Facts come from okrdash.notify.due and okrdash.notify.digest; links from links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from okrdash import fmt, meetings, ranking, surveys
from okrdash.notify import ics, links
from okrdash.notify.due import Due
from okrdash.notify.render import Block, Content

DIGEST_SECTIONS = ("off_track", "stale", "changes", "acks")


def _first(name: str) -> str:
    return (name or "").split()[0] if name else "there"


def _closes(survey: dict[str, Any], now: dt.datetime) -> str:
    text = surveys.deadline_text(survey, now)  # 'Closes tomorrow at 17:00'
    return text[:1].lower() + text[1:]


def _survey_lines(due: Due) -> tuple[list[Block], str]:
    f = due.facts
    survey, now, meeting = f["survey"], f["now"], f["meeting"]
    lines: list[Block] = []
    if meeting:
        lines.append(("p", f"The workshop: {meetings.describe(meeting)}."))
    if survey["anonymous"]:
        lines.append(("p", "Answers are anonymous: nobody, the lead included, sees who wrote what."))
    elif f["counts"] and f["counts"]["total"]:
        c = f["counts"]
        lines.append(("p", f"{c['answered']} of {c['total']} members of {survey['team_name']} have answered so far."))
    return lines, links.survey(survey, now)


def survey_opened(due: Due) -> Content:
    survey, now = due.facts["survey"], due.facts["now"]
    lines, url = _survey_lines(due)
    who = survey["opened_by_name"] or "Your lead"
    blocks: list[Block] = [("p", f"Hi {_first(due.person['name'])},"),
                           ("p", f"{who} opened the {survey['team_name']} pre-workshop survey for {survey['quarter']}. "
                                 f"It {_closes(survey, now)}.")]
    if survey["opening_text"]:
        blocks.append(("quote", survey["opening_text"]))
    blocks += lines
    blocks.append(("link", "Answer the survey", url))
    meeting = due.facts["meeting"]
    if meeting:
        blocks.append(("p", "The calendar invitations for the workshop and the deadline are attached."))

    def calendars() -> list[tuple[str, bytes]]:
        files = [(ics.file_name(survey["team_name"], survey["quarter"], "survey-deadline"),
                  ics.deadline_file(survey, None))]
        if meeting:
            files.append((ics.file_name(survey["team_name"], survey["quarter"], "workshop"),
                          ics.workshop_file(survey, meeting)))
        return files

    return Content(f"The {survey['team_name']} survey for {survey['quarter']} is open: answer by "
                   f"{fmt.day(survey['deadline'])} at {survey['deadline']:%H:%M}", blocks,
                   f"you are a member of {survey['team_name']}", calendars)


def survey_closing(due: Due) -> Content:
    survey, now = due.facts["survey"], due.facts["now"]
    lines, url = _survey_lines(due)
    drafting = due.facts["my_status"] == "draft"
    blocks: list[Block] = [
        ("p", f"Hi {_first(due.person['name'])},"),
        ("p", f"the {survey['team_name']} pre-workshop survey for {survey['quarter']} {_closes(survey, now)}. "
              + ("Your draft is saved: it only needs a last look and Submit." if drafting else
                 "You have not answered yet: read the strategy, then add your objective ideas. It takes about "
                 "15 minutes.")),
        *lines, ("link", "Finish your answer" if drafting else "Answer the survey", url)]
    return Content(f"Reminder: the {survey['team_name']} survey {_closes(survey, now)}", blocks,
                   f"you are a member of {survey['team_name']} and have not submitted the survey yet")


def _methods(rnd: dict[str, Any]) -> str:
    return fmt.names([ranking.METHODS[m].lower() for m in rnd["methods"]], empty="")


def voting_open(due: Due) -> Content:
    rnd, mine = due.facts["round"], due.facts["mine"]
    opener = "You" if rnd["opened_by"] == due.person["id"] else rnd["opened_by_name"] or "Your lead"
    blocks: list[Block] = [
        ("p", f"Hi {_first(due.person['name'])},"),
        ("p", f"{opener} opened “{rnd['title']}”, {rnd['team_name']}'s ranking round for {rnd['quarter']}: rank "
              f"the objective ideas by {_methods(rnd)}.")]
    if mine:
        blocks.append(("p", f"You have voted with {mine} of {len(rnd['methods'])} methods so far."))
    if rnd["blind"]:
        blocks.append(("p", "The vote is blind: nobody sees any totals until the round closes."))
    blocks.append(("link", "Vote", links.team_page("workshop_rank", rnd["team_name"], rnd["quarter"])))
    return Content(f"Vote now: {rnd['team_name']}'s ranking round for {rnd['quarter']}", blocks,
                   f"you are a member of {rnd['team_name']} and have not voted yet")


def _okr_blocks(snapshot: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [("h", "Objective"), ("p", snapshot["objective"]["title"])]
    if snapshot["objective"].get("why"):
        blocks.append(("quote", snapshot["objective"]["why"]))
    krs = []
    for kr in snapshot["key_results"]:
        owner = (kr.get("owner") or {}).get("name")
        krs.append((kr["title"] + (f" — owner {owner}" if owner else ""), None))
    blocks += [("h", "Key results"), ("list", krs)]
    if snapshot.get("deprioritized"):
        blocks += [("h", "Deprioritized"),
                   ("list", [(d["title"] + (f" — {d['reason']}" if d.get("reason") else ""), None)
                             for d in snapshot["deprioritized"]])]
    return blocks


def _published_headline(pub: dict[str, Any]) -> str:
    if pub["version"] == 1:
        return f"{pub['team_name']} published its OKRs for {pub['quarter']}"
    return f"{pub['team_name']} updated its OKRs for {pub['quarter']} (version {pub['version']})"


def published(due: Due) -> Content:
    pub = due.facts["publication"]
    blocks: list[Block] = [("p", f"Hi {_first(due.person['name'])},"),
                           ("p", f"{pub['published_by_name'] or 'Your lead'} published version {pub['version']} of "
                                 f"{pub['team_name']}'s OKRs for {pub['quarter']}.")]
    blocks += _okr_blocks(pub["snapshot"])
    if pub["version"] > 1 and pub["change_log"]:
        blocks += [("h", "What changed"), ("quote", pub["change_log"])]
    blocks.append(("link", "Read the OKRs", links.team_page("okrs", pub["team_name"], pub["quarter"])))
    return Content(_published_headline(pub), blocks, f"you are a member of {pub['team_name']}")


def checkin_due(due: Due) -> Content:
    items = due.facts["items"]
    n = len(items)
    blocks: list[Block] = [
        ("p", f"Hi {_first(due.person['name'])},"),
        ("p", f"{'this key result has' if n == 1 else f'these {n} key results have'} had no check-in for a week:"),
        ("list", [(f"{i['what']} — {i['detail']}", links.checkin(i["query_params"]["kr"])) for i in items]),
        ("p", "A routine check-in takes three clicks: the value, your confidence, save."),
        ("link", "Check in", links.checkin()),
        ("p", "Tip: the Check-ins page has a weekly reminder for your calendar.")]
    return Content(f"{n} key result{'s wait' if n != 1 else ' waits'} for your check-in", blocks,
                   "you own key results of this quarter")


def _pct(value: float | None) -> str:
    return fmt.percent(value) if value is not None else "—"


def _digest_list(facts: dict[str, Any], name: str) -> list[tuple[str, str | None]]:
    rows, more = facts[name], facts["counts"][name] - len(facts[name])
    lines: list[tuple[str, str | None]] = []
    for r in rows:
        if name == "off_track":
            expected = f", {_pct(r['expected_now'])} expected" if r["kind"] in ("increase_to", "decrease_to") else ""
            line = f"{r['title']} — {r['team']} · {r['owner']} · {_pct(r['progress'])} done{expected}"
        elif name == "stale":
            line = f"{r['title']} — {r['team']} · {r['owner']} · no check-in for {r['days_since']} days"
        elif name == "changes":
            line = f"{r['title']} — {r['team']}: {_pct(r['before'])} → {_pct(r['progress'])}"
        else:
            said = f" · “{r['comment']}”" if r["comment"] else ""
            line = (f"{r['person']} on {r['title']} ({r['team']}, {fmt.day(r['checked_on'])}): "
                    f"confidence {r['confidence']}/10{said}")
        lines.append((line, links.kr_detail(r["kr_id"])))
    if more > 0:
        lines.append((f"… and {more} more", None))
    return lines


def manager_digest(due: Due) -> Content:
    f = due.facts
    c = f["counts"]
    titles = {"off_track": f"Off track ({c['off_track']})",
              "stale": f"Stale: no check-in for over a week ({c['stale']})",
              "changes": "Biggest changes this week",
              "acks": f"Check-ins waiting for an acknowledgement ({c['acks']})"}
    blocks: list[Block] = [("p", f"Hi {_first(due.person['name'])},"),
                           ("p", f"{f['quarter']} in {f['scope']}, week of {fmt.day(f['today'])}: {f['krs']} key "
                                 f"results, {f['on_track']} on track.")]
    for name in DIGEST_SECTIONS:
        if f[name]:
            blocks += [("h", titles[name]), ("list", _digest_list(f, name))]
    if not any(f[name] for name in DIGEST_SECTIONS):
        blocks.append(("p", "Nothing needs you this week: nothing off track or stale, every check-in acknowledged."))
    blocks.append(("link", "Open the organisation overview", links.page("dashboard_overview")))
    return Content(f"Weekly OKR digest: {c['off_track']} off track, {c['stale']} stale, {c['acks']} check-ins to "
                   "acknowledge", blocks, f"you manage {f['scope']}")


EMAIL = {"survey_opened": survey_opened, "survey_closing": survey_closing, "voting_open": voting_open,
         "published": published, "checkin_due": checkin_due, "manager_digest": manager_digest}


def email(due: Due) -> Content:
    return EMAIL[due.kind](due)


def chat(due: Due) -> tuple[str, list[Block], tuple[str, str]]:
    """The post to `due.team`'s chat for the kind and period of `due` (a team post: no one's own status)."""
    f = due.facts
    if due.kind in ("survey_opened", "survey_closing"):
        survey, now = f["survey"], f["now"]
        blocks: list[Block] = []
        if due.kind == "survey_opened" and survey["opening_text"]:
            blocks.append(("quote", survey["opening_text"]))
        blocks += _survey_lines(due)[0]
        head = (f"The {survey['team_name']} survey for {survey['quarter']} is open: it {_closes(survey, now)}."
                if due.kind == "survey_opened" else
                f"Last call: the {survey['team_name']} survey for {survey['quarter']} {_closes(survey, now)}.")
        return head, blocks, ("Answer the survey", links.survey(survey, now))
    if due.kind == "voting_open":
        rnd = f["round"]
        blocks = [("p", f"Rank the objective ideas by {_methods(rnd)}.")]
        if rnd["blind"]:
            blocks.append(("p", "The vote is blind: no totals until the round closes."))
        return (f"Voting is open in {rnd['team_name']}'s round “{rnd['title']}” for {rnd['quarter']}.", blocks,
                ("Vote", links.team_page("workshop_rank", rnd["team_name"], rnd["quarter"])))
    pub = f["publication"]
    return (_published_headline(pub) + ".", _okr_blocks(pub["snapshot"]),
            ("Read the OKRs", links.team_page("okrs", pub["team_name"], pub["quarter"])))
