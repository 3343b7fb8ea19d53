"""People: who can sign in, with their email (the identity key) and admin flag."""

from __future__ import annotations

from typing import Any

from okrdash import auth, db, validate
from okrdash.errors import NotFound, ValidationError

# Emails are unique by this module's rule (see okrdash/migrations/core.py): check-then-write takes turns on a lock
# named for it in every app process (db.transaction(serial=...)), so the rule holds even for two sign-ins of the
# same new admin at once.


def all_people(*, include_inactive: bool = False) -> list[dict[str, Any]]:
    """Everyone, by name (names are visible to the whole organisation, as in any directory)."""
    where = "" if include_inactive else "WHERE active"
    return db.rows(f"SELECT id, name, email, is_admin, active FROM people {where} ORDER BY name, id")


def search(text: str = "", *, limit: int = 50, include_inactive: bool = True) -> tuple[list[dict[str, Any]], int]:
    """People whose name or email contains `text` (any case), first `limit` by name, and how many match in all."""
    pattern = f"%{text.strip().lower()}%"
    where = "(lower(name) LIKE ? OR email LIKE ?)" + ("" if include_inactive else " AND active")
    total = db.scalar(f"SELECT count(*) FROM people WHERE {where}", [pattern, pattern])
    found = db.rows(
        f"SELECT id, name, email, is_admin, active FROM people WHERE {where} ORDER BY name, id LIMIT ?",
        [pattern, pattern, limit],
    )
    return found, int(total)


def get(person_id: int) -> dict[str, Any]:
    found = db.row("SELECT id, name, email, is_admin, active FROM people WHERE id = ?", [person_id])
    if found is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return found


def _check_email_free(email: str, except_id: int | None = None) -> None:
    other = db.row("SELECT id, name FROM people WHERE email = ?", [email])
    if other and other["id"] != except_id:
        raise ValidationError(f"{email} already belongs to {other['name']}.", "email")


def add(actor: auth.Actor, name: str, email: str, *, is_admin: bool = False) -> int:
    """An admin adds a person; returns the new id."""
    auth.require_admin(actor, "add people")
    return create(name, email, is_admin=is_admin)


def create(name: str, email: str, *, is_admin: bool = False) -> int:
    """Library-level insert (demo data, first sign-in of a configured admin); validates but checks no role."""
    name = validate.title(name, "Name", field="name")
    email = validate.email(email)
    with db.transaction(serial="people.email") as cur:
        _check_email_free(email)
        person_id = int(cur.execute("SELECT nextval('seq_people')").fetchone()[0])
        cur.execute(
            "INSERT INTO people (id, name, email, is_admin) VALUES (?, ?, ?, ?)", [person_id, name, email, is_admin]
        )
    return person_id


def update(actor: auth.Actor, person_id: int, *, name: str, email: str, is_admin: bool, active: bool) -> None:
    """An admin edits a person. Admins cannot remove their own admin flag (someone must stay admin)."""
    auth.require_admin(actor, "edit people")
    get(person_id)
    name = validate.title(name, "Name", field="name")
    email = validate.email(email)
    if person_id == actor.person_id and not (is_admin and active):
        raise ValidationError("You cannot remove your own admin rights or deactivate yourself.", "is_admin")
    with db.transaction(serial="people.email") as cur:
        _check_email_free(email, except_id=person_id)
        cur.execute(
            "UPDATE people SET name = ?, email = ?, is_admin = ?, active = ? WHERE id = ?",
            [name, email, is_admin, active, person_id],
        )


def ensure_configured_admin(email: str, name: str) -> int | None:
    """On sign-in: make a person listed in OKRDASH_ADMINS exist and be admin; None for anyone else."""
    email = email.strip().lower()
    if email not in auth.configured_admins():
        return None
    existing = db.scalar("SELECT id FROM people WHERE email = ?", [email])
    if existing is None:
        return create(name or email.split("@")[0], email, is_admin=True)
    db.execute("UPDATE people SET is_admin = true, active = true WHERE id = ?", [existing])
    return int(existing)


def names_by_id(person_ids: list[int] | None = None) -> dict[int, str]:
    """Display names for ids (all people when None)."""
    everyone = all_people(include_inactive=True)
    return {p["id"]: p["name"] for p in everyone if person_ids is None or p["id"] in person_ids}
