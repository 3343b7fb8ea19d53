"""The process tests/test_crash_safety.py kills with SIGKILL: it writes through the library and reports each write
only after the library call returned.

    python -m tests.crash_writer write KR_ID SURVEY_ID FIRST_PERSON LAST_PERSON
        alternately records a check-in on KR_ID (as its owner) and submits an answer to SURVEY_ID for the next
        person in FIRST_PERSON..LAST_PERSON (ids), printing `checkin ID VALUE` and `answer ID PERSON TITLE`.
    python -m tests.crash_writer migrate-slowly INDEX
        opens the database, pausing inside migration INDEX (its statements run, not committed): prints `inside`.

OKRDASH_DB names the database. Dates are passed explicitly, so the wall clock does not matter.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
import time

TODAY = dt.date(2026, 11, 18)  # inside the small org's current quarter (tests/factories.py)
NOW = dt.datetime(2026, 11, 20, 10, 0)  # the survey's deadline is later (tests/survey_fixtures.py)


def write(kr_id: int, survey_id: int, first_person: int, last_person: int) -> None:
    from okrdash import auth, checkins, db
    from okrdash import survey_answers as answers

    owner = auth.load(db.scalar("SELECT owner_id FROM key_results WHERE id = ?", [kr_id]))
    people = iter(range(first_person, last_person + 1))
    for n in itertools.count(1):
        value = first_person * 1000 + n  # unique across runs
        checkin_id = checkins.record(owner, kr_id, value=value, confidence=n % 11, comment=f"write {value}",
                                     today=TODAY)
        print(f"checkin {checkin_id} {value}", flush=True)
        person_id = next(people, None)
        if person_id is None:
            continue
        person = auth.load(person_id)
        title = f"Idea {value} of person {person_id}"
        answers.save_objective(person, survey_id, {"title": title}, now=NOW)
        result = answers.submit(person, survey_id, now=NOW)
        print(f"answer {result['answer_id']} {person_id} {title}", flush=True)


def migrate_slowly(index: int) -> None:
    from okrdash import db, migrations

    original = migrations.MIGRATIONS[index]

    def paused(cur) -> None:
        original(cur)
        print("inside", flush=True)
        time.sleep(60)  # killed here, before the migration's COMMIT

    paused.__name__ = original.__name__
    migrations.MIGRATIONS[index] = paused
    db.database()


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "write":
        write(*(int(a) for a in args))
    elif command == "migrate-slowly":
        migrate_slowly(int(args[0]))
    else:
        sys.exit(f"unknown command {command}")
